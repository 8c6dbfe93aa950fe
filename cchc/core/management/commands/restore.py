"""`cchc restore ARCHIVE [--force]`: the database and the uploaded files back from `cchc backup`'s archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cchc.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = ("Restore an archive written by `cchc backup` into an empty database (checksums verified first); "
            "--force replaces the content of a database that holds data.")

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="the .tar.gz written by `cchc backup`")
        parser.add_argument("--force", action="store_true", help="replace the content of a database that holds data")

    def handle(self, *args, archive: Path, force: bool, **options):
        try:
            manifest = backup_restore(archive=archive, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        media = sum(1 for name in manifest["files"] if name.startswith("media/"))
        self.stdout.write(
            _("Restored %(path)s (made %(date)s): %(rows)d rows, %(files)d files.")
            % {"path": archive, "date": manifest.get("created_at", "?"), "rows": sum(manifest["counts"].values()),
               "files": media}
        )
