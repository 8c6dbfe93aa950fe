"""Settings shared by every environment, configured from environment variables.

DATABASE_URL     default: SQLite file var/cchc.sqlite3; e.g. postgres://user@host:5432/name
SECRET_KEY       default outside production: a key generated once into var/secret_key
ALLOWED_HOSTS    comma-separated; default: localhost, 127.0.0.1
DEBUG            "1" to show debug pages (never in production)
EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, DEFAULT_FROM_EMAIL
                 default: e-mails are written to the console
CCHC_VAR_DIR     where the SQLite file, uploads and the generated key live; default: ./var
CACHE_URL        e.g. redis://127.0.0.1:6379/1: the shared cache, which then also keeps the sessions;
                 default: a cache in each process's memory, sessions in the database
CCHC_TRUSTED_PROXY_COUNT  how many proxies in front of the platform append to X-Forwarded-For;
                 default 0: the client's address is REMOTE_ADDR and X-Forwarded-For is ignored
CCHC_SESSION_IDLE_MINUTES  a session ends after this long without a request (default 60) and
                 always when the browser closes
AXES_FAILURE_LIMIT, AXES_COOLOFF_HOURS  failed logins before a lockout (5), and its length (0.25)
LOG_LEVEL        default WARNING; production writes JSON lines, one per request at INFO
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("CCHC_VAR_DIR", BASE_DIR / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _local_secret_key() -> str:
    """A key kept in var/ so that sessions survive restarts of a local install."""
    path = VAR_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        path.write_text(key)
        path.chmod(0o600)
        return key


DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY") or _local_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "cchc.core",
    "cchc.accounts",
    "cchc.org",
    "cchc.plans",
    "cchc.outputs",
    "cchc.reports",
    "cchc.portal",
    "cchc.news",
    "cchc.bulletins",
    "cchc.procedures",
    "cchc.feedback",
    "cchc.surveys",
    "cchc.contests",
    "cchc.clips",
    "django_prose_editor",  # the article editor's static files (ProseMirror, bundled)
]

MIDDLEWARE = [
    "cchc.core.limits.RequestSizeLimitMiddleware",  # first: refuses an oversized body before anything reads it
    "cchc.core.logging.RequestLogMiddleware",  # outermost: times and logs every request
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "cchc.portal.fastcache.PublicPageCacheMiddleware",  # a shared public page, before the session's layers
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cchc.portal.middleware.PublicHostMiddleware",
    "cchc.accounts.middleware.SessionIdleMiddleware",
    "cchc.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cchc.core.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
    "cchc.core.middleware.WriteTransactionMiddleware",  # innermost: around the view only
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cchc" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cchc.core.context_processors.menu",
                "cchc.core.context_processors.upload_limits",
            ],
        },
    },
]

def _database(url: str) -> dict:
    try:
        return dj_database_url.parse(url, conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")))
    except (ValueError, dj_database_url.UnknownSchemeError) as exc:
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a database address ({exc}). Use e.g. "
            "postgres://user:password@host:5432/name or sqlite:////path/to/file.sqlite3"
        ) from None


DATABASES = {"default": _database(os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'cchc.sqlite3'}")}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Concurrent writers of the embedded database wait for each other instead of failing:
    # - WAL: readers never wait for the writer, nor the writer for readers; synchronous=NORMAL is
    #   the durable pairing for WAL (a commit survives a crash of the application);
    # - IMMEDIATE: a transaction takes the write lock when it begins, waiting up to `timeout`
    #   seconds for it. A deferred one reads first and asks for the lock at its first write, and
    #   SQLite refuses that upgrade at once ("database is locked"), whatever the timeout.
    # Writers queue one behind the other: with 50 at once (benchmarks/write_contention.py) the last
    # waited 27 s, so the wait is 45 s, within gunicorn's 60 s request timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=45,
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    )
    # Connections are kept between requests like PostgreSQL's (DATABASE_CONN_MAX_AGE): opening one
    # costs about 2 ms (Django's functions, the pragmas), as much as answering a kept page.
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# The client's address: REMOTE_ADDR, or behind this many trusted proxies the address they saw
# (cchc.core.middleware.client_ip; the audit log and the login throttle use the same rule).
CCHC_TRUSTED_PROXY_COUNT = int(os.environ.get("CCHC_TRUSTED_PROXY_COUNT", "0"))

# Failed logins: after AXES_FAILURE_LIMIT failures for one user name, from any addresses, the
# account is locked; after AXES_FAILURE_LIMIT failures from one address, for any user names, the
# address is locked; both for AXES_COOLOFF_TIME hours, or until an administrator unlocks them
# (Tài khoản bị khóa, accounts:lockouts).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "cchc.core.middleware.client_ip"
AXES_IPWARE_PROXY_COUNT = CCHC_TRUSTED_PROXY_COUNT  # read only if django-ipware were installed
AXES_LOCKOUT_CALLABLE = "cchc.accounts.views.locked_out"  # renders accounts/locked_out.html
AXES_HANDLER = "cchc.accounts.throttle.AccountsHandler"  # a good login clears its account's failures only
AXES_RESET_ON_SUCCESS = True

# Sessions end when the browser closes, and after CCHC_SESSION_IDLE_MINUTES without a request
# (SessionIdleMiddleware renews the expiry at most once a minute instead of saving on every request).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CCHC_SESSION_IDLE_MINUTES = int(os.environ.get("CCHC_SESSION_IDLE_MINUTES", "60"))
SESSION_COOKIE_AGE = CCHC_SESSION_IDLE_MINUTES * 60
SESSION_COOKIE_HTTPONLY = True

# One cache for all processes when CACHE_URL names a Redis server; the sessions then live there too.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Content-Security-Policy (django-csp): scripts and styles only from the platform's own static files
# or inline with this response's nonce ({{ request.csp_nonce }}); no style="" or on...= attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "cchc" / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
FORMAT_MODULE_PATH = ["cchc.core.formats"]
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "cchc" / "static"]
STORAGES = {
    # uploads are kept only when their transaction commits (cchc/core/files.py)
    "default": {"BACKEND": "cchc.core.files.TransactionalFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
# Uploads: anything larger is refused before it is read in full.
CCHC_MAX_UPLOAD_BYTES = int(os.environ.get("CCHC_MAX_UPLOAD_MB", "20")) * 1024 * 1024
# A whole request body (file, form fields, multipart framing): larger ones get 413 before they are read.
CCHC_MAX_REQUEST_BYTES = CCHC_MAX_UPLOAD_BYTES + 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cchc@localhost")

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", True)

LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}


def require(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"{name} is not set: set the environment variable {name} and start again.")
    return value

# Public CCHC sites. CCHC_PUBLIC_HOSTS maps host names to sites ("cchc.tuyenquang.gov.vn=tuyen-quang,
# …"); a site without a host of its own is at /cong/<slug>/. Anonymous visitors' pages are cached
# for CCHC_PUBLIC_CACHE_SECONDS (emptied when something is published on the site).
CCHC_PUBLIC_HOSTS = dict(
    item.split("=", 1) for item in env_list("CCHC_PUBLIC_HOSTS", "") if "=" in item
)
CCHC_PUBLIC_SCHEME = os.environ.get("CCHC_PUBLIC_SCHEME", "https")
CCHC_PUBLIC_CACHE_SECONDS = int(os.environ.get("CCHC_PUBLIC_CACHE_SECONDS", "300"))
# Signed-in users' heaviest pages (home, plan) are kept this long, or until any data changes
# (cchc.core.pagecache); 0 turns it off.
CCHC_PAGE_CACHE_SECONDS = int(os.environ.get("CCHC_PAGE_CACHE_SECONDS", "300"))
CCHC_MAX_IMAGE_BYTES = int(os.environ.get("CCHC_MAX_IMAGE_MB", "10")) * 1024 * 1024
CCHC_MAX_IMAGE_PIXELS = 40_000_000
