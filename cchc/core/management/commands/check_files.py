"""`cchc check-files [--delete-orphans]`: stored files and the rows that name them, compared.

Lists the files under MEDIA_ROOT that no row names (orphans) and the rows whose file is missing;
exits with 1 when there is any. `--delete-orphans` deletes the orphans older than an hour (a younger
one may belong to an upload whose transaction has not committed yet).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cchc.core.files import file_check

GRACE_SECONDS = 3600


class Command(BaseCommand):
    help = "List stored files without a row and rows whose file is missing; exit 1 when there is any."

    def add_arguments(self, parser):
        parser.add_argument("--delete-orphans", action="store_true",
                            help="delete the files without a row that are older than an hour")

    def handle(self, *args, **opts):
        root = Path(settings.MEDIA_ROOT)
        orphans, missing = file_check(root)
        deleted = 0
        if opts["delete_orphans"]:
            cutoff = time.time() - GRACE_SECONDS
            for name, mtime in sorted(orphans.items()):
                if mtime < cutoff:
                    (root / name).unlink(missing_ok=True)
                    deleted += 1
            orphans, missing = file_check(root)
            self.stdout.write(_("%(count)d files without a row deleted (older than an hour).") % {"count": deleted})
        if orphans:
            self.stdout.write(_("Files without a row (%(count)d):") % {"count": len(orphans)})
            for name in sorted(orphans):
                self.stdout.write(f"  {name}")
        if missing:
            self.stdout.write(_("Rows whose file is missing (%(count)d):") % {"count": len(missing)})
            for label, pk, name in missing:
                self.stdout.write(f"  {label} #{pk}: {name}")
        if orphans or missing:
            sys.exit(1)
        self.stdout.write(_("Every stored file has its row and every row its file."))
