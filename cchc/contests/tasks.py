from celery import shared_task


@shared_task(name="cchc.contests.erase_personal_data")
def erase_personal_data() -> int:
    from . import services

    services.attempts_expire()
    return services.erase_personal_data()
