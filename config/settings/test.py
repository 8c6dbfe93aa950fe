from .base import *  # noqa: F401,F403
from .base import DATABASES

SECRET_KEY = "test-only-secret-key-not-for-production"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
AXES_FAILURE_LIMIT = 5
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
STORAGES = {
    # uploads are kept only when their transaction commits (cchc/core/files.py)
    "default": {"BACKEND": "cchc.core.files.TransactionalFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files come from the finders; no collected STATIC_ROOT is needed.
WHITENOISE_AUTOREFRESH = True
