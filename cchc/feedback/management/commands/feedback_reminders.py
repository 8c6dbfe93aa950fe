"""cchc feedback_reminders [--date dd/mm/yyyy]: the feedback deadline reminders due on a day, from cron."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from cchc.feedback.reminders import send_reminders


class Command(BaseCommand):
    help = "Remind units of feedback due in 1 working day, or 1 or 5 working days late (once per step)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to act as today, dd/mm/yyyy (default: today)")

    def handle(self, *args, **options):
        today = None
        if options.get("date"):
            try:
                today = dt.datetime.strptime(options["date"].strip(), "%d/%m/%Y").date()
            except ValueError:
                raise CommandError(f"--date {options['date']!r} is not a date: write it as dd/mm/yyyy, e.g. 13/03/2026.")
        result = send_reminders(today=today)
        self.stdout.write(f"{result['items']} feedback items reminded ({result['emails']} e-mails).")
