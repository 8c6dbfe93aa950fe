"""`cchc backup [--output DIR]`: the database and the uploaded files in one .tar.gz (cchc/core/backup.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cchc.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Write the database and the uploaded files into one archive (.tar.gz) that `cchc restore` reads."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, default=None,
                            help="folder for the archive (default: CCHC_VAR_DIR/backups)")

    def handle(self, *args, output: Path | None, **options):
        try:
            archive, manifest = backup_create(output_dir=output or Path(settings.VAR_DIR) / "backups")
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        media = sum(1 for name in manifest["files"] if name.startswith("media/"))
        self.stdout.write(
            _("Backup written: %(path)s (%(rows)d rows, %(files)d files).")
            % {"path": archive, "rows": sum(manifest["counts"].values()), "files": media}
        )
