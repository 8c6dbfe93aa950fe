"""Background work in production: Celery with Redis, reading CELERY_* settings."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
app = Celery("cchc")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
