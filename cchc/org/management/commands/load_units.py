"""`cchc load-units`: load or update the national unit directory (idempotent)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection
from django.utils.translation import gettext as _

from cchc.org.loader import load_units
from cchc.org.models import Unit


class Command(BaseCommand):
    help = "Load or update the national unit directory: provinces, communes, agencies and the units before 1 July 2025."

    def handle(self, *args, **options):
        if Unit._meta.db_table not in connection.introspection.table_names():
            raise CommandError(_("The database has no unit table yet: run `cchc migrate` first."))
        started = time.monotonic()
        try:
            counts = load_units(stdout=self.stdout)
        except DatabaseError as exc:
            raise CommandError(
                _("The unit directory could not be written (%(error)s). Run `cchc migrate` first, then try again.")
                % {"error": exc}
            ) from exc
        kinds = sorted({key.split(".", 1)[1] for key in counts if "." in key})
        for kind in kinds:
            parts = [f"{action} {counts[f'{action}.{kind}']}" for action in ("created", "updated", "closed")
                     if counts.get(f"{action}.{kind}")]
            self.stdout.write(f"  {kind}: {', '.join(parts)}")
        self.stdout.write(self.style.SUCCESS(
            _("Unit directory loaded in %(seconds).1f s.") % {"seconds": time.monotonic() - started}
        ))
