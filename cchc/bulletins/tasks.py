"""Celery task of the bulletin: an issue mailed in batches (eager in the embedded install and tests).

Bound to the platform's Celery app (config/celery.py, CELERY_* settings) rather than to whichever app
is current: the web process that calls `.delay()` must publish to the configured broker, or run the
task at once when CELERY_TASK_ALWAYS_EAGER is on."""

from config.celery import app


@app.task(name="cchc.bulletins.send_issue")
def send_issue_task(sending_id: int) -> dict:
    from .services import sending_run

    sending = sending_run(sending_id)
    return {"sending": sending.pk, "total": sending.total, "sent": sending.sent, "failed": sending.failed}


@app.task(name="cchc.bulletins.resume_stalled")
def resume_stalled_task() -> list[int]:
    from .services import resume_stalled

    return resume_stalled()
