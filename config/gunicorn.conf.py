"""gunicorn settings for production: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Values come from the environment (GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_TIMEOUT), so
the same file serves every host. Responses carry no Server header: what runs here is
nobody's business (nginx: `server_tokens off;`).
"""

import os

from gunicorn.http import wsgi

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# Headers and request lines beyond these are refused before Django sees them.
limit_request_line = 8190
limit_request_fields = 100
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
# The access log has the path and query but never cookies or the body.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'


class _Response(wsgi.Response):
    def default_headers(self):
        return [line for line in super().default_headers() if not line.lower().startswith("server:")]


wsgi.Response = _Response
