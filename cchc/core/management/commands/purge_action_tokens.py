"""`cchc purge-action-tokens [--hours N]`: forget the keys of forms posted longer ago than a day."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand

from cchc.core import idempotency


class Command(BaseCommand):
    help = "Delete the keys of posted forms older than a day (a repeat of such a form acts again)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=idempotency.KEEP.total_seconds() / 3600,
                            help="keep the keys of the last N hours (default 24)")

    def handle(self, *args, **opts):
        count = idempotency.purge(older_than=dt.timedelta(hours=opts["hours"]))
        self.stdout.write(f"{count} form keys deleted.")
