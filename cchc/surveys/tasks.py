from celery import shared_task


@shared_task(name="cchc.surveys.close_due")
def close_due() -> int:
    from . import services

    return services.close_due()
