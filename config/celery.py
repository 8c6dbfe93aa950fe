"""Background work in production: Celery with Redis, reading CELERY_* settings.

The beat schedule runs the daily reminder job (the same service as `cchc send-reminders`, which the
embedded install runs from cron instead). Start with `celery -A config beat` beside the workers.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
app = Celery("cchc")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.conf.beat_schedule = {
    "reports-send-reminders": {
        "task": "cchc.reports.send_reminders",
        # 07:00 Asia/Ho_Chi_Minh (CELERY_TIMEZONE), at the start of the working day
        "schedule": crontab(hour=7, minute=0),
    },
    "feedback-send-reminders": {
        "task": "cchc.feedback.send_reminders",
        # 07:05, after the reports' reminders: items nearing or past the due date of their step
        "schedule": crontab(hour=7, minute=5),
    },
    "contests-erase-personal-data": {
        "task": "cchc.contests.erase_personal_data",
        # 02:30: attempts left open past their limit are closed; participants' personal data is erased
        # once a contest's retention period has passed
        "schedule": crontab(hour=2, minute=30),
    },
    "surveys-close-due": {
        "task": "cchc.surveys.close_due",
        # a survey whose window has ended is closed and its respondents counted within 15 minutes
        "schedule": 900.0,
    },
    "bulletins-resume-stalled": {
        "task": "cchc.bulletins.resume_stalled",
        # a sending whose worker died (a restart mid-batch) is taken up again
        "schedule": 600.0,
    },
    "news-publish-due": {
        "task": "cchc.news.publish_due",
        # scheduled articles go live within a minute (public pages also publish what is due on read)
        "schedule": 60.0,
    },
}
