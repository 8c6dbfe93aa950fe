from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Close the open surveys whose window has ended and count their respondents (the Celery beat does it every 15 minutes)."

    def handle(self, *args, **options):
        from cchc.surveys.services import close_due

        self.stdout.write(f"{close_due()} survey(s) closed")
