"""Creative Cities Exchange settings: one module, configured by environment variables.

Every variable is documented in the README ("Configuration"); a test fails when one is not.
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

django_stubs_ext.monkeypatch()  # lets admin and form classes be subscripted for mypy

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    normalised = value.strip().lower()
    if normalised in {"1", "true", "yes", "on"}:
        return True
    if normalised in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("CCX_DEBUG", False)
VAR_DIR = Path(env_str("CCX_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("CCX_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set CCX_SECRET_KEY (or CCX_DEBUG=true for local development).")
    SECRET_KEY = "development-only-secret-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("CCX_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CCX_CSRF_TRUSTED_ORIGINS", "")
SITE_NAME = env_str("CCX_SITE_NAME", "Creative Cities Exchange")
NETWORK_NAME = env_str("CCX_NETWORK_NAME", "UNESCO Creative Cities Network")
# Empty: links in e-mails and files use the address of the current request (development).
SITE_URL = env_str("CCX_SITE_URL", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "template_partials",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "axes",
    "ccx.core",
    "ccx.accounts",
    "ccx.cities",
    "ccx.sdg",
    "ccx.practices",
    "ccx.challenges",
    "ccx.partnerships",
    "ccx.events",
    "ccx.publications",
    "ccx.monitoring",
    "ccx.search",
    "ccx.api",
    "ccx.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ccx.core.limits.ApiBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Serves kept pages to visitors without a session before the rest runs (its throttles included).
    "ccx.core.pagecache.KeptPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ccx.core.language.PreferredLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ccx.accounts.middleware.ApiTokenMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "ccx.core.public_url.RequestOriginMiddleware",
    "ccx.core.throttling.ThrottleMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last: every middleware above (throttles included) runs before a page is served from the shared cache.
    "ccx.core.pagecache.SharedPageCacheMiddleware",
]

ROOT_URLCONF = "ccx.urls"
WSGI_APPLICATION = "ccx.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ccx.site.context_processors.site",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'ccx.sqlite3'}"),
        conn_max_age=env_int("CCX_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets several server processes read while one writes; IMMEDIATE avoids lock upgrades.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
# A web request's query may not run longer than this on PostgreSQL (one request must not hold the database).
DB_STATEMENT_TIMEOUT_MS = env_int("CCX_DB_STATEMENT_TIMEOUT_MS", 5000)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("CCX_WEB_PROCESS", False):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c statement_timeout={DB_STATEMENT_TIMEOUT_MS}"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "site:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("zh-hans", "中文"),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# The UN languages that content (SDG texts, country names) may carry beyond the interface languages.
CONTENT_LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("zh-hans", "中文"),
    ("es", "Español"),
    ("ar", "العربية"),
    ("ru", "Русский"),
]
TIME_ZONE = env_str("CCX_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(env_str("CCX_STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("CCX_MEDIA_ROOT", str(VAR_DIR / "media")))
SERVE_MEDIA = env_bool("CCX_SERVE_MEDIA", DEBUG)
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Security and operations: private files (partnership documents) never live under MEDIA_ROOT.
PRIVATE_ROOT = Path(env_str("CCX_PRIVATE_ROOT", str(VAR_DIR / "private")))
PRIVATE_STORAGE = env_str("CCX_PRIVATE_STORAGE", "local")
if PRIVATE_STORAGE == "s3":  # needs `pip install django-storages[s3]`; credentials from the AWS_* variables
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("CCX_PRIVATE_S3_BUCKET"),
            "endpoint_url": env_str("CCX_PRIVATE_S3_ENDPOINT_URL") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": env_int("CCX_PRIVATE_URL_SECONDS", 300),
            "file_overwrite": False,
        },
    }
elif PRIVATE_STORAGE == "local":
    STORAGES["private"] = {
        "BACKEND": "ccx.core.storage.PrivateFileSystemStorage",
        "OPTIONS": {"base_url": "/private-files-are-not-served-directly/"},
    }
else:
    raise ImproperlyConfigured(f"CCX_PRIVATE_STORAGE must be local or s3, not {PRIVATE_STORAGE!r}")
PRIVATE_FILES_SERVE = env_str("CCX_PRIVATE_FILES_SERVE", "django")
if PRIVATE_FILES_SERVE not in {"django", "x-accel-redirect", "x-sendfile"}:
    raise ImproperlyConfigured("CCX_PRIVATE_FILES_SERVE must be django, x-accel-redirect or x-sendfile")
PRIVATE_FILES_ACCEL_PREFIX = env_str("CCX_PRIVATE_FILES_ACCEL_PREFIX", "/_private/")
WHITENOISE_USE_FINDERS = DEBUG
if DEBUG:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every request otherwise
FORMS_URLFIELD_ASSUME_HTTPS = True

EMAIL_HOST = env_str("CCX_EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("CCX_EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("CCX_EMAIL_USER")
    EMAIL_HOST_PASSWORD = env_str("CCX_EMAIL_PASSWORD")
    EMAIL_USE_TLS = env_bool("CCX_EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("CCX_DEFAULT_FROM_EMAIL", "exchange@localhost")

HTTPS = env_bool("CCX_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    # Security and operations: answer plain HTTP with a redirect (the proxy may do it first), and let
    # browsers know every subdomain is HTTPS too when that is true of the domain (README checklist).
    SECURE_SSL_REDIRECT = env_bool("CCX_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]  # load balancers probe over plain HTTP
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("CCX_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env_bool("CCX_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# A strict Content-Security-Policy: no inline script or style anywhere, nothing from other hosts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("CCX_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"}},
}

# Background work (embedding practices, building publications): immediate in development, a database-backed
# queue with a real worker (`ccx db_worker`) in production. No broker is needed either way.
TASK_WORKER = env_bool("CCX_TASK_WORKER", False)
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend" if TASK_WORKER else "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# What anonymous visitors see is kept in the cache (CCX_CACHE_URL below: Redis, shared by every process and
# server, in production) per data version (ccx.core.versions), so a change anywhere retires it;
# PAGE_CACHE_SECONDS bounds what changes with time alone (an event that has started, a deadline that passed).
PAGE_CACHE = env_bool("CCX_PAGE_CACHE", True)
PAGE_CACHE_SECONDS = env_int("CCX_PAGE_CACHE_SECONDS", 600)
PAGE_CACHE_SETTLE_SECONDS = 2.0  # pages built this soon after a change are not kept (search indexes catch up)
DATA_VERSION_ON_COMMIT = True  # the test suite counts writes at once (its transactions never commit)
DATA_VERSION_READ_SECONDS = 1.0  # how stale a process's idea of the data version may be
# Threads of the sentence encoder in each process: 1 for sync workers (one request at a time per process;
# more threads per worker only fight over the cores), more for a lone process (the task worker, imports).
ENCODER_THREADS = env_int("CCX_ENCODER_THREADS", 1)
# Load the encoder and the search index as the server starts (before gunicorn --preload forks its workers).
SEARCH_WARM_START = env_bool("CCX_SEARCH_WARM_START", not DEBUG)
# One search index per machine: memory-mapped arrays written by one process, opened read-only by every worker
# (VAR_DIR/search-index). Off: each process builds its own index in memory (development, tests).
SEARCH_SHARED_INDEX = env_bool("CCX_SEARCH_SHARED_INDEX", not DEBUG)
# With a task worker: a warm server indexes a saved practice itself as the change commits (the worker takes over
# on failure), so other servers show it within a second or two instead of after the worker's turn.
SEARCH_INDEX_AT_ONCE = env_bool("CCX_SEARCH_INDEX_AT_ONCE", True)

NINJA_PAGINATION_MAX_LIMIT = 500
MAX_IMAGE_BYTES = env_int("CCX_MAX_IMAGE_BYTES", 8 * 1024 * 1024)
MAX_DOCUMENT_BYTES = env_int("CCX_MAX_DOCUMENT_BYTES", 20 * 1000 * 1000)

# Security and operations: request limits (README "Security and operations").
# Form fields other than uploaded files, and any raw body read by Django; files have their own limits above.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("CCX_MAX_FORM_BYTES", 2_621_440)
# An API body above this is refused with 413 before it is read (the largest practice with all its
# translations is far below it).
API_PATH_PREFIX = "/api/"
API_MAX_BODY_BYTES = env_int("CCX_API_MAX_BODY_BYTES", 512 * 1024)

# Demo secretariat account created by `ccx setup` when no secretariat account exists.
DEMO_ADMIN_USERNAME = env_str("CCX_ADMIN_USERNAME", "secretariat")
DEMO_ADMIN_EMAIL = env_str("CCX_ADMIN_EMAIL", "secretariat@example.org")
DEMO_ADMIN_PASSWORD = env_str("CCX_ADMIN_PASSWORD")

AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "ccx.accounts.backends.UsernameOrEmailBackend"]

# Security and operations: throttling (README "Security and operations").
# The cache holds the rate-limit counters and sign-in lockouts must be shared by all server processes:
# Redis in production (CCX_CACHE_URL=redis://host:6379/0), this process's memory by default.
CACHE_URL = env_str("CCX_CACHE_URL", "locmem://")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "ccx.core.redis_cache.SharedRedisCache", "LOCATION": CACHE_URL}}
elif CACHE_URL == "locmem://":
    # counts in this process only: fine for one development process; production sets CCX_CACHE_URL
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(f"CCX_CACHE_URL must be redis://…, rediss://…, unix://… or locmem://, not {CACHE_URL!r}")
BEHIND_PROXY = env_bool("CCX_BEHIND_PROXY", False)
RATELIMIT_ENABLE = env_bool("CCX_RATE_LIMITS", True)
RATE_LIMITS = {
    "api-writes": env_str("CCX_RATE_API_WRITES", "120/m"),
    "search": env_str("CCX_RATE_SEARCH", "60/m"),
    "matching": env_str("CCX_RATE_MATCHING", "12/m"),
    "password-reset": env_str("CCX_RATE_PASSWORD_RESET", "5/h"),
}
# Sign-in: after CCX_SIGNIN_FAILURE_LIMIT failed passwords for one account, or from one address, sign-in
# is refused (429) for CCX_SIGNIN_LOCKOUT_MINUTES; a successful sign-in resets the count.
AXES_FAILURE_LIMIT = env_int("CCX_SIGNIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("CCX_SIGNIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "ccx.accounts.lockout.locked_out"
AXES_CLIENT_IP_CALLABLE = "ccx.core.throttling.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
