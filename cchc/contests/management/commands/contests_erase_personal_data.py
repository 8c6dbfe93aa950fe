"""Erase the participants' personal data of contests whose retention period has passed, and close the
attempts left open past their time limit. Run daily (cron on the embedded install; Celery beat runs
the task `cchc.contests.erase_personal_data` in production)."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Erase contest participants' personal data after each contest's retention period."

    def handle(self, *args, **options):
        from cchc.contests import services

        expired = services.attempts_expire()
        erased = services.erase_personal_data()
        self.stdout.write(f"{expired} attempts closed as out of time; personal data erased from {erased} attempts")
