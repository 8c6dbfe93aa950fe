"""cchc send-reminders [--date dd/mm/yyyy]: the reminders due on a day (today by default), from cron."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from cchc.reports.reminders import send_reminders


class Command(BaseCommand):
    help = "Remind units whose report is due in 7 or 2 days, or was due 1 or 7 days ago (once per step)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to act as today, dd/mm/yyyy (default: today)")

    def handle(self, *args, **options):
        today = None
        if options.get("date"):
            try:
                today = dt.datetime.strptime(options["date"].strip(), "%d/%m/%Y").date()
            except ValueError:
                raise CommandError(f"--date {options['date']!r} is not a date: write it as dd/mm/yyyy, e.g. 13/03/2025.")
        result = send_reminders(today=today)
        self.stdout.write(
            f"{result['units']} units reminded ({result['notifications']} notifications, {result['emails']} e-mails) "
            f"for {result['periods']} periods with a reminder step today."
        )
