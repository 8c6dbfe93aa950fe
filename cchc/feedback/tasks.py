"""Celery tasks of feedback (production: run daily by the beat schedule in config/celery.py)."""

from celery import shared_task


@shared_task(name="cchc.feedback.send_reminders")
def send_reminders_task() -> dict:
    from .reminders import send_reminders

    return send_reminders()
