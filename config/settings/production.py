"""Production: every secret comes from the environment, and the process refuses to start without."""

from .base import *  # noqa: F401,F403
from .base import env_bool, env_list, require

DEBUG = False
SECRET_KEY = require("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "")
if not ALLOWED_HOSTS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set: set it to the host names the platform is served under, e.g. "
        "ALLOWED_HOSTS=cchc.example.gov.vn"
    )
CELERY_TASK_ALWAYS_EAGER = False
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
