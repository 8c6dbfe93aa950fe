"""Celery task of the news (production: run every minute by the beat schedule in config/celery.py)."""

from celery import shared_task


@shared_task(name="cchc.news.publish_due")
def publish_due_task() -> int:
    from .services import publish_due

    return publish_due()
