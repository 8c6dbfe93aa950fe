"""Celery task of the bulletin: an issue mailed in batches (eager in the embedded install and tests)."""

from celery import shared_task


@shared_task(name="cchc.bulletins.send_issue")
def send_issue_task(sending_id: int) -> dict:
    from .services import sending_run

    sending = sending_run(sending_id)
    return {"sending": sending.pk, "total": sending.total, "sent": sending.sent, "failed": sending.failed}
