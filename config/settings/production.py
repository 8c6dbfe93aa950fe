"""Production: every secret comes from the environment, and the process refuses to start without.

SECRET_KEY                   at least 50 characters, at least 5 different ones
ALLOWED_HOSTS                the host names the platform is served under
SECURE_SSL_REDIRECT          "0" when a TLS proxy in front already redirects http to https (default 1)
SECURE_HSTS_SECONDS          how long browsers keep to https (default one year; 0 turns HSTS off)
SECURE_HSTS_INCLUDE_SUBDOMAINS, SECURE_HSTS_PRELOAD  default 1
SECURE_COOKIES               "0" only to try production settings over plain http (default 1)
`./manage.py check --deploy` (`cchc check --deploy`) is clean with the defaults.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import LOG_LEVEL, env_bool, env_list, require

DEBUG = False


def _strong_secret_key(key: str) -> str:
    if len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure-"):
        raise ImproperlyConfigured(
            f"SECRET_KEY is too weak ({len(key)} characters, {len(set(key))} different): use at least 50 "
            "random characters, e.g. the output of: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    return key


SECRET_KEY = _strong_secret_key(require("SECRET_KEY"))
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set: set it to the host names the platform is served under, e.g. "
        "ALLOWED_HOSTS=cchc.example.gov.vn"
    )
CELERY_TASK_ALWAYS_EAGER = False

# https: the platform redirects http to https and tells browsers to keep to https (HSTS). Behind a
# TLS proxy that sends X-Forwarded-Proto, the redirect can be left to the proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain http
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# One JSON object per line on stdout: every record, with the request id of the request it belongs to;
# cchc.request writes one line per request (method, path, status, duration_ms, user_id, request_id).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "cchc.core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {"cchc.request": {"level": "INFO"}},
}
