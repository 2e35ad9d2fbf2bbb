"""Headers: CSP, Permissions-Policy, cookies the page's scripts cannot read, HSTS that binds no
sibling domain, no Server header. Every page of every role is checked by the access matrix
(tests/access/test_access_matrix.py::test_inside_scope), which requests them all anyway."""

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.urls import reverse

from core.scoping import Role
from tests.access.matrix import assert_common_headers
from tests.core.test_settings import production_env, run
from tests.world import PASSWORD

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]


def test_public_pages_have_the_headers_too(client, world):
    for url in [reverse("core:login"), reverse("core:health")]:
        assert_common_headers(client.get(url), url)


def test_the_csrf_cookie_is_http_only_and_scripts_read_the_token_from_the_page(client, world):
    response = client.get(reverse("core:login"))

    assert response.cookies["csrftoken"]["httponly"] is True
    script = (BASE_DIR / "static/js/yinling.js").read_text()
    assert 'meta[name="csrf-token"]' in script
    assert "document.cookie" not in script
    for path in (BASE_DIR / "static/js").glob("*.js"):
        assert "csrftoken" not in path.read_text(), path.name


def test_the_language_cookie_is_same_site_and_http_only(client, world):
    client.post(reverse("core:login"), {"username": "county_staff", "password": PASSWORD})

    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})

    cookie = response.cookies["django_language"]
    assert cookie["samesite"] == "Lax"
    assert cookie["httponly"] is True


def test_production_cookies_are_secure_and_hsts_binds_no_other_domain():
    script = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.LANGUAGE_COOKIE_SECURE, s.CSRF_COOKIE_HTTPONLY, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        " s.SECURE_HSTS_PRELOAD, s.SECURE_HSTS_SECONDS > 0)"
    )

    default = run(["-c", script], production_env())
    configured = run(["-c", script], production_env(SECURE_HSTS_INCLUDE_SUBDOMAINS="1", SECURE_HSTS_PRELOAD="1"))

    assert default.stdout.split() == ["True", "True", "False", "False", "True"], default.stderr
    assert configured.stdout.split()[2:4] == ["True", "True"], configured.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_sends_no_server_header():
    port = _free_port()
    env = production_env(GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="1", SECURE_SSL_REDIRECT="0")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"],
        cwd=BASE_DIR,
        env={**env, "ALLOWED_HOSTS": "127.0.0.1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=5) as response:
                    headers = response.headers
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=30)

    assert headers.get("Server") is None
    assert "default-src 'self'" in headers["Content-Security-Policy"]


def test_the_health_check_says_ok_without_login_or_data(client, world):
    response = client.get(reverse("core:health"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_the_health_check_reports_a_database_that_does_not_answer(client, world, monkeypatch):
    from django.db import OperationalError
    from django.db.backends.base.base import BaseDatabaseWrapper

    def refuse(self, *args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)

    response = client.get(reverse("core:health"))

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


def test_an_admin_role_header_check_is_the_same_for_the_admin_site(client, world):
    client.force_login(world.users[Role.ADMIN])

    response = client.get("/admin/core/user/")

    assert_common_headers(response, "admin")
    assert "no-store" in response["Cache-Control"]


def test_the_database_going_away_gives_a_friendly_page_and_the_next_request_recovers(client, world, monkeypatch):
    """Simulated in the view (the shared development server is not stopped by tests): the
    list's query fails as if the server had gone; the next request works again."""
    from django.db import OperationalError

    from core.mixins import ScopedListView

    client.force_login(world.users[Role.COUNTY_STAFF])
    real = ScopedListView.get_queryset

    def server_gone(self):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(ScopedListView, "get_queryset", server_gone)
    down = client.get(reverse("core:person_list"))
    monkeypatch.setattr(ScopedListView, "get_queryset", real)
    up = client.get(reverse("core:person_list"))

    assert down.status_code == 503
    assert "数据库暂时连接不上" in down.content.decode()
    assert down["Retry-After"] == "30"
    assert "no-store" in down["Cache-Control"]
    assert up.status_code == 200
