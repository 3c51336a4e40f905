"""Django settings of the doudi web application.

The database is chosen by the environment:

- ``DOUDI_DB=postgres``: PostgreSQL at ``DOUDI_PG_URL`` (default
  ``postgres://postgres@127.0.0.1:5432/doudi``); the test database gets a name unique per process.
- otherwise SQLite (the embedded default of ``doudi demo``) at ``$DOUDI_HOME/doudi.sqlite3`` or
  ``./doudi-data/doudi.sqlite3``, in WAL mode, set on every connection.
"""

from __future__ import annotations

import datetime
import os
import secrets
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent


def data_home() -> Path:
    """Where the embedded database and the generated secret key live."""
    return Path(os.environ.get("DOUDI_HOME") or Path.cwd() / "doudi-data")


def _secret_key() -> str:
    key = os.environ.get("DOUDI_SECRET_KEY")
    if key:
        return key
    path = data_home() / "secret_key"
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        pass
    key = secrets.token_urlsafe(50)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(key, encoding="utf-8")
        path.chmod(0o600)
    except OSError:
        pass  # read-only place: a key for this process only (sessions end with it)
    return key


def _postgres(url: str) -> dict:
    u = urlparse(url)
    name = (u.path or "/doudi").lstrip("/") or "doudi"
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(name),
        "USER": unquote(u.username or "postgres"),
        "PASSWORD": unquote(u.password or ""),
        "HOST": u.hostname or "127.0.0.1",
        "PORT": str(u.port or 5432),
        # persistent connections are opt-in: a thread that keeps one keeps the test database from being dropped
        # (production sets it, docs/deployment.md: a new connection per request was a large part of a page's time)
        "CONN_MAX_AGE": int(os.environ.get("DOUDI_PG_CONN_MAX_AGE", "0")),
        "CONN_HEALTH_CHECKS": int(os.environ.get("DOUDI_PG_CONN_MAX_AGE", "0")) > 0,  # a kept one is checked first
        # unique per run so that parallel test runs do not collide
        "TEST": {"NAME": f"test_doudi_{os.getpid()}"},
    }


def _sqlite() -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(data_home() / "doudi.sqlite3"),
        "OPTIONS": {
            # WAL lets pages be read while a step is written; busy_timeout waits for the writer.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
            "transaction_mode": "IMMEDIATE",
        },
        # each server thread keeps its connection (opening one and its PRAGMAs was 1 ms of a single
        # assessment over HTTP, benchmarks/api_assess.py --http); 0 opens one per request
        "CONN_MAX_AGE": int(os.environ.get("DOUDI_SQLITE_CONN_MAX_AGE", "60")),
    }


DOUDI_DB = os.environ.get("DOUDI_DB", "sqlite").lower()
if DOUDI_DB in ("postgres", "postgresql", "pg"):
    DATABASES = {"default": _postgres(os.environ.get("DOUDI_PG_URL", "postgres://postgres@127.0.0.1:5432/doudi"))}
else:
    DATABASES = {"default": _sqlite()}

SECRET_KEY = _secret_key()
DEBUG = os.environ.get("DOUDI_DEBUG", "") in ("1", "true", "yes")
ALLOWED_HOSTS = [h for h in os.environ.get("DOUDI_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

# The doudi capabilities (architecture.md). The optional ones join when their package exists,
# so an app written in parallel (doudi/cases/) is picked up without editing this file.
CORE_APPS = ["doudi.web", "doudi.accounts", "doudi.registry", "doudi.workdays", "doudi.attachments",
             "doudi.params"]
OPTIONAL_APPS = ["doudi.cases", "doudi.verification", "doudi.monitoring", "doudi.payments",
                 "doudi.programs", "doudi.reports", "doudi.support", "doudi.relief", "doudi.benefits",
                 "doudi.disaster", "doudi.charity", "doudi.welfare"]


def _exists(module: str) -> bool:
    try:
        return find_spec(module) is not None
    except (ImportError, ValueError):
        return False


DOUDI_APPS = CORE_APPS + [a for a in OPTIONAL_APPS if _exists(a)]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rules",
    "django_q",
    *DOUDI_APPS,
]

# Django-Q2: scheduled jobs (e.g. doudi.benefits.jobs.schedule_reviews) with the database as broker.
Q_CLUSTER = {"name": "doudi", "orm": "default", "workers": 1, "timeout": 600, "retry": 900,
             "catch_up": False, "label": "定时任务"}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "doudi.web.sessions.SessionTouchMiddleware",  # the idle timeout's expiry, written once a minute
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "doudi.web.security.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "doudi.web.urls"
WSGI_APPLICATION = "doudi.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "doudi.web.context.navigation",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "doudi.accounts.passwords.ContainsUserNameValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (issue 16; doudi/logins): django-axes counts failed logins per account and per
# address; at DOUDI_LOGIN_FAILURE_LIMIT failures either is locked for DOUDI_LOGIN_LOCK_MINUTES
# (each further failure restarts the wait). `doudi unlock USERNAME` (or --ip) lifts a lock at once.
# Behind a reverse proxy, DOUDI_TRUSTED_PROXIES lists its addresses (docs/deployment.md).
INSTALLED_APPS += ["axes", "doudi.logins"]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", *AUTHENTICATION_BACKENDS]
DOUDI_LOGIN_FAILURE_LIMIT = int(os.environ.get("DOUDI_LOGIN_FAILURE_LIMIT", "10"))
DOUDI_LOGIN_LOCK_MINUTES = int(os.environ.get("DOUDI_LOGIN_LOCK_MINUTES", "30"))
DOUDI_TRUSTED_PROXIES = [a.strip() for a in os.environ.get("DOUDI_TRUSTED_PROXIES", "").split(",") if a.strip()]
if DOUDI_TRUSTED_PROXIES:  # the proxy terminates HTTPS and says so (nginx: X-Forwarded-Proto $scheme)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
DOUDI_TOKEN_MAX_DAYS = int(os.environ.get("DOUDI_TOKEN_MAX_DAYS", "365"))
AXES_FAILURE_LIMIT = DOUDI_LOGIN_FAILURE_LIMIT
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = datetime.timedelta(minutes=DOUDI_LOGIN_LOCK_MINUTES)
AXES_CLIENT_IP_CALLABLE = "doudi.logins.views.client_ip"
AXES_LOCKOUT_CALLABLE = "doudi.logins.views.locked_out"
AXES_RESET_ON_SUCCESS = False  # a success of one's own account must not wipe the count of another's
AXES_VERBOSE = False

# Sessions expire after 30 idle minutes (to within a minute earlier) and when the browser closes; CSRF stays on.
SESSION_COOKIE_AGE = int(os.environ.get("DOUDI_SESSION_SECONDS", "1800"))
SESSION_SAVE_EVERY_REQUEST = False  # doudi.web.sessions moves the expiry at most once a minute
DOUDI_SESSION_TOUCH_SECONDS = int(os.environ.get("DOUDI_SESSION_TOUCH_SECONDS", "60"))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if os.environ.get("DOUDI_HTTPS", "") in ("1", "true", "yes"):
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    # HSTS only under HTTPS (a year; a plain-HTTP embedded demo must stay reachable)
    SECURE_HSTS_SECONDS = int(os.environ.get("DOUDI_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = False
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Uploads are checked for size before they are parsed (security.md).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# One attachment (a scanned proof) at most this large; larger ones are dropped while they arrive.
DOUDI_ATTACHMENT_MAX_BYTES = int(os.environ.get("DOUDI_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))

# Files outside the database. "attachments" holds the scanned proofs (doudi.attachments), in
# $DOUDI_ATTACHMENTS_DIR or <data home>/attachments; a deployment may put an object-storage
# backend here instead (any Django storage: the app only calls save/open/delete on it). Files
# are never served from the storage: every opening goes through the access check and the audit log.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(data_home() / "files")}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "attachments": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": os.environ.get("DOUDI_ATTACHMENTS_DIR") or str(data_home() / "attachments"),
                                "file_permissions_mode": 0o600, "directory_permissions_mode": 0o700}},
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
FORMAT_MODULE_PATH = ["doudi.web.formats"]  # date inputs render YYYY-MM-DD (doudi/web/formats/zh_Hans)
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
LOCALE_PATHS = [BASE_DIR.parent / "locale"]  # doudi/locale: full-width "：" after a form label (issue 9)
FORM_RENDERER = "doudi.web.forms_renderer.ChineseFormRenderer"  # forms say Chinese in full-width punctuation
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = data_home() / "static"
# The embedded server serves static files itself (no separate web server in front of it).
DOUDI_SERVE_STATIC = os.environ.get("DOUDI_SERVE_STATIC", "1") in ("1", "true", "yes")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # no HTTP Basic (issue 16): tokens for machine clients, the session for pages
        "doudi.logins.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # every ID number masked in every answer except the audited reveal (doudi.accounts.masking)
    "DEFAULT_RENDERER_CLASSES": ["doudi.accounts.masking.MaskingJSONRenderer",
                                 "doudi.accounts.masking.MaskingBrowsableAPIRenderer"],
    "DEFAULT_SCHEMA_CLASS": "doudi.web.schema.DoudiAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "doudi 兜底 API",
    "DESCRIPTION": "社会救助经办系统接口。每个接口都需要登录，只回答用户所辖区域内的数据。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],  # the document and docs need a login
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_4xx_traceback": {"()": "doudi.web.security.No4xxTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["no_4xx_traceback"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("DOUDI_LOG_LEVEL", "WARNING")},
}

# The deployment's office data (addresses and telephones of the bureaus that issue notices), read
# over doudi/web/data/offices.yaml by doudi/web/offices.py.
DOUDI_OFFICES_FILE = os.environ.get("DOUDI_OFFICES_FILE") or str(data_home() / "offices.yaml")

# The audit log cannot be emptied (issue 16; doudi/accounts/auditguard.py, dbrole.py). On PostgreSQL
# the application connects as DOUDI_PG_APP_ROLE (SELECT and INSERT only on the audit log), and
# `migrate`, run as the owner, re-grants that role (docs/deployment.md). Only the test suite sets
# DOUDI_AUDIT_ALLOW_FLUSH (its flush between transactional tests).
DOUDI_PG_APP_ROLE = os.environ.get("DOUDI_PG_APP_ROLE", "")
DOUDI_AUDIT_ALLOW_FLUSH = False
