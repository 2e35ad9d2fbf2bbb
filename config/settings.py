"""Settings for Yinling, read from the environment (one module for all places).

Environment variables:
  MIGRATE_DATABASE_URL  the schema owner's URL when DATABASE_URL is the application's
                        own role (core/dbroles.py): migrations run as the owner.
  DATABASE_URL          postgres://user:pass@host:5432/name; required when DEBUG
                        is off. In development and tests, unset: the URL of the
                        private PostgreSQL that `make db` (core.devdb) started,
                        from .data/database_url.
  DATABASE_REPLICA_URL  a streaming replica of DATABASE_URL that the reports read from
                        (core/db_routing.py); unset: everything reads the primary.
  DATABASE_REPLICA_MAX_LAG  seconds the replica may be behind before reports read the primary (30).
  YINLING_DATA_DIR      the private PostgreSQL's folder (default: .data/ in the project).
  SECRET_KEY            required when DEBUG is off.
  DEBUG                 "1" for development; off by default.
  ALLOWED_HOSTS         comma-separated host names.
  CSRF_TRUSTED_ORIGINS  comma-separated origins, e.g. https://yinling.example.gov.cn
  SECURE_SSL_REDIRECT   "0" to let nginx handle the redirect (default on when DEBUG is off).
  MEDIA_ROOT            where uploaded photos and attachments are kept.
  AWS_STORAGE_BUCKET_NAME  keep them in this S3-compatible bucket instead (django-storages), with
                        AWS_S3_ENDPOINT_URL, AWS_S3_REGION_NAME, AWS_S3_ADDRESSING_STYLE, AWS_LOCATION,
                        and the keys in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY.
  REPORT_WORD_TEMPLATE  the office's own Word template of the annual report (default: the project's).
  TRUSTED_PROXY_COUNT   proxies in front (nginx: 1, the default with DEBUG off).
  SESSION_IDLE_TIMEOUT  seconds without a request before a session ends (1800).
  SESSION_MAX_AGE       seconds after login before a session ends (43200).
  ADMIN_PASSWORD_MAX_AGE_DAYS  days before an administrator's password expires (90; 0 never).
  LOGIN_ADDRESS_FAILURE_LIMIT  failed logins from one address before it is locked (30).
  EXPORT_INLINE_ROWS    a list export of more rows than this runs as a background job (2000).
  EXPORT_FILE_DAYS      days a background export's file is kept before `manage.py prune_exports`
                        deletes it (7).
  AUDIT_RETENTION_DAYS  days audit entries are kept before `manage.py prune_audit` may delete
                        them (at least 180; unset: kept forever, the command deletes nothing).
  SECURE_HSTS_INCLUDE_SUBDOMAINS, SECURE_HSTS_PRELOAD  "1" only if the parent domain allows.
  LOCALE_DIR            translation catalogues (default: locale/ in the project).
"""

import os
import sys
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {
        "1",
        "true",
        "yes",
        "on",
    }


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
TESTING = "pytest" in sys.modules or os.environ.get("YINLING_TESTING") == "1"

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-key-not-for-production-8f3kq2m9x7w4p1z6v5b0n"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG or TESTING else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_filters",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "core",
    "branches",
    "volunteers",
    "aid_cases",
    "funds",
    "reports",
]

MIDDLEWARE = [
    # The database going away mid-request: a friendly page, and recovery at the next request.
    "core.security.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute session limits, forced password changes, no-store and Permissions-Policy.
    "core.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
                "core.context_processors.session_timeout",
            ],
            "builtins": ["core.templatetags.yinling"],
        },
    },
]

# The database: DATABASE_URL, or in development and tests the private server's.
# Settings only read a URL: `make db` (core.devdb) starts the private server and writes its URL.
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.config(conn_max_age=60, conn_health_checks=True)}
elif DEBUG or TESTING:
    dev_data = Path(os.environ.get("YINLING_DATA_DIR") or BASE_DIR / ".data").resolve()
    url_file = dev_data / "database_url"
    if not url_file.exists():
        raise RuntimeError(
            f"No database: set DATABASE_URL, or run `make db` to start the private PostgreSQL ({url_file})"
        )
    DATABASES = {"default": dj_database_url.parse(url_file.read_text().strip())}
    # `make db` also writes the application role's URL: `make run` serves as that role and
    # migrates as the owner, like production; tests stay the owner (they create databases).
    app_url_file = dev_data / "app_database_url"
    if DEBUG and not TESTING and app_url_file.exists():
        DATABASES = {
            "default": dj_database_url.parse(app_url_file.read_text().strip()),
            "owner": DATABASES["default"],
        }
else:
    raise RuntimeError("DATABASE_URL must be set when DEBUG is off")
# The schema's owner, when the application runs as a role of its own (core/dbroles.py):
# `manage.py migrate` and `backup`/`restore` use it; requests never do.
if os.environ.get("DATABASE_URL") and os.environ.get("MIGRATE_DATABASE_URL"):
    DATABASES["owner"] = dj_database_url.parse(os.environ["MIGRATE_DATABASE_URL"])
if "owner" in DATABASES:
    DATABASES["owner"]["TEST"] = {"MIRROR": "default"}
# A connection that died with the server is noticed and replaced at the next request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A streaming replica that the reports read from (core/db_routing.py); everything else, and every
# write, stays on the primary. A replica further behind than DATABASE_REPLICA_MAX_LAG seconds, or
# one that does not answer, is left aside until it catches up: the reports read the primary.
DATABASE_REPLICA_MAX_LAG = float(os.environ.get("DATABASE_REPLICA_MAX_LAG", "30"))
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=60, conn_health_checks=True
    )
    # A replica host that is down must not hold a report for the system's TCP timeout.
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    # Tests have no replica: the alias reads the test database.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["core.db_routing.ReplicaRouter"]
# Parallel test runs (several developers or pytest-xdist) need their own test database.
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("YINLING_TEST_DB", "test_yinling")}
# Background jobs write their progress (rows done / total) on a connection of their own, in
# autocommit, so that the job page sees it while an import's one transaction is still open.
# Tests run each job inside the test's transaction, which a second connection cannot see: there
# the progress goes through the test's connection (tests/core/test_jobs.py checks the other).
DATABASES["progress"] = {**DATABASES["default"], "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {}))}
DATABASES["progress"]["TEST"] = {"MIRROR": "default"}
JOB_PROGRESS_DATABASE = "default" if TESTING else "progress"
# The planner's cost of reading a random page: 1.1 for SSD storage, as servers have today.
# PostgreSQL's default (4) assumes spinning disks, and made a county's figures hash the whole
# province's presence table rather than look up the county's own rows (150 → 35 ms, see
# docs/benchmark.md). DATABASE_RANDOM_PAGE_COST=4 on spinning disks.
RANDOM_PAGE_COST = float(os.environ.get("DATABASE_RANDOM_PAGE_COST", "1.1"))
for _database in DATABASES.values():
    _options = _database.setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c random_page_cost={RANDOM_PAGE_COST}".strip()

# Background jobs (core.jobs): Django's tasks framework (the django-tasks backport) on its
# database backend, so the queue is a table in the same PostgreSQL (no broker); workers are
# `manage.py db_worker`. Tests run each task at once, in the test's own transaction.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if TESTING and not env_bool("YINLING_QUEUE")
        else "django_tasks_db.DatabaseBackend"
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "core.auth.RoleBackend",
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

# Passwords (ASVS 2.1.1): 12 characters, 3 of 4 kinds, not common, not the username,
# none of the last PASSWORD_HISTORY_COUNT (core/passwords.py).
PASSWORD_HISTORY_COUNT = 5
if TESTING:
    # PBKDF2's million rounds cost half a second a hash; tests check rules and history, not strength.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "core.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "core.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "core.passwords.CommonPasswordValidator"},
    {"NAME": "core.passwords.NumericPasswordValidator"},
    {"NAME": "core.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "core.passwords.UsernameNotContainedValidator"},
    {"NAME": "core.passwords.PasswordHistoryValidator"},
]
# Administrators choose a new password after this many days (0: never).
ADMIN_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("ADMIN_PASSWORD_MAX_AGE_DAYS", "90"))

# List exports (core.exports): up to this many rows in the request, more as a background job whose
# file waits in the default storage (S3 once a bucket is named) for EXPORT_FILE_DAYS.
EXPORT_INLINE_ROWS = int(os.environ.get("EXPORT_INLINE_ROWS", "2000"))
EXPORT_FILE_DAYS = int(os.environ.get("EXPORT_FILE_DAYS", "7"))
# How long audit entries are kept (core.audit): None keeps them forever; `manage.py prune_audit`
# deletes older ones, as the schema owner, only when this is set (and refuses under 180 days).
AUDIT_RETENTION_DAYS = int(os.environ["AUDIT_RETENTION_DAYS"]) if os.environ.get("AUDIT_RETENTION_DAYS") else None

# The client's address: behind this many proxies (nginx: 1) it is read from X-Forwarded-For
# (core.security.client_ip); 0 reads REMOTE_ADDR only (runserver without nginx).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0" if DEBUG else "1"))

# Login lockout (django-axes, core.security.LockoutHandler): five wrong passwords lock a
# username at the address they came from for 30 minutes, so nobody can lock a secretary
# out by typing her name from elsewhere; one address failing LOGIN_ADDRESS_FAILURE_LIMIT
# times over any usernames is locked too (looser: an office shares one NAT address).
AXES_FAILURE_LIMIT = 5
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "30"))
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "core.security.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"
AXES_RESET_ON_SUCCESS = True
# Trying again during the lockout does not push its end further: the page names the time.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_LOCKOUT_CALLABLE = "core.security.lockout_response"
AXES_ENABLED = not TESTING or env_bool("AXES_ENABLED")
AXES_VERBOSE = False

# Sessions end after SESSION_IDLE_TIMEOUT seconds without a request, SESSION_MAX_AGE after
# the login, and when the browser closes (shared office computers); the page warns
# SESSION_IDLE_WARNING seconds before the idle end (static/js/session_timeout.js).
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", 30 * 60))
SESSION_MAX_AGE = int(os.environ.get("SESSION_MAX_AGE", 12 * 60 * 60))
SESSION_IDLE_WARNING = 60
SESSION_COOKIE_AGE = SESSION_MAX_AGE
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Chinese first; English through the same catalogue.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# LOCALE_DIR lets the i18n test run makemessages into a copy of locale/.
LOCALE_PATHS = [Path(os.environ.get("LOCALE_DIR", BASE_DIR / "locale"))]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Django's zh-hans input formats cannot be parsed (%n, %j); ours accept 2016年9月5日.
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# The annual report's Word template (reports/exports/word.py): an office may use its own letterhead.
REPORT_WORD_TEMPLATE = os.environ.get("REPORT_WORD_TEMPLATE", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded photos, attachments and receipts in S3-compatible storage (django-storages) once a bucket
# is named, so every gunicorn host and worker reads the same files. They are still served only
# through the views that check the user's scope (field.open(), never a bucket URL): keep the bucket
# private. The keys come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, which the library reads
# from the environment itself.
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,  # MinIO, a cloud's S3 service
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,  # "path" for most MinIO
            "location": os.environ.get("AWS_LOCATION", ""),  # a folder in a shared bucket
            # Like the file system: a second upload of the same name is stored beside the first.
            "file_overwrite": False,
        },
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_HTTPONLY = True
# Scripts read the CSRF token from <meta name="csrf-token"> (static/js/yinling.js), never the cookie.
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"  # a Chinese page in the site layout
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No external host, no inline script or style (templates/ are checked by tests/core/test_templates.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],  # Bootstrap's icons are data: SVGs; photo previews blobs
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "magnetometer=(), gyroscope=(), accelerometer=()"
)
if not DEBUG:
    # Behind nginx, which terminates TLS and sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not TESTING)
    SESSION_COOKIE_SECURE = not TESTING
    CSRF_COOKIE_SECURE = not TESTING
    LANGUAGE_COOKIE_SECURE = not TESTING
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
    # A county site under a shared *.gov.cn parent must not bind its siblings to HTTPS,
    # nor enter the browsers' preload list, unless whoever runs the parent domain says so.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
    SILENCED_SYSTEM_CHECKS = [
        *(["security.W005"] if not SECURE_HSTS_INCLUDE_SUBDOMAINS else []),
        *(["security.W021"] if not SECURE_HSTS_PRELOAD else []),
    ]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
    },
}
