from tests.access.matrix import Case, everyone

CASES = [
    Case("core:password_change", everyone(200)),
    Case("core:session_keepalive", everyone(200), method="post"),
    Case("core:health", everyone(200), public=True, note="the load balancer's check: no login, no data"),
]
