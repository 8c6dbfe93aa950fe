"""One-file backups of the whole platform: `cchc backup` writes, `cchc restore` reads.

An archive is a .tar.gz holding

- `manifest.json`: the format, the platform's and Django's versions, the database engine, the last
  migration of each app, the number of rows of each model, and the size and SHA-256 of every other
  member;
- `database.json`: every row of every model (Django's `dumpdata`, streamed to the file), apart
  from what a freshly migrated database recreates (content types, permissions) and the sessions.
  Primary keys are kept; references to content types, permissions and users are written by their
  natural keys, so the dump loads into SQLite and PostgreSQL alike, whatever ids a new database gave
  its content types;
- `media/…`: every uploaded file under MEDIA_ROOT.

A restore verifies every checksum before it touches anything, migrates the database, refuses one
that already holds data (unless forced), replaces its content with the dump, checks the row counts
against the manifest (all in one transaction) and writes the files back under MEDIA_ROOT.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shutil
import tarfile
import tempfile
from importlib import metadata
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE = "database.json"
MEDIA = "media"
# Recreated by `migrate` (content types, permissions) or not worth keeping (sessions).
EXCLUDED = ("contenttypes", "auth.permission", "sessions")
# Rows that migrations themselves write: a database holding only these is still empty.
SEEDED = {"outputs.outputtype", "outputs.outputcompatibility"}
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


def _models():
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.proxy or not model._meta.managed:
            continue
        if label in EXCLUDED or model._meta.app_label in EXCLUDED:
            continue
        yield label, model


def row_counts() -> dict[str, int]:
    return {label: model._base_manager.count() for label, model in _models()}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def _applied_migrations() -> dict[str, str]:
    loader = MigrationLoader(connection)
    latest: dict[str, str] = {}
    for app_label, name in sorted(loader.applied_migrations):
        latest[app_label] = max(latest.get(app_label, ""), name)
    return latest


def _version() -> str:
    try:
        return metadata.version("cchc")
    except metadata.PackageNotFoundError:
        return "unknown"


def backup_create(*, output_dir: Path) -> tuple[Path, dict]:
    """Write one archive into `output_dir` and return its path and manifest."""
    output_dir = Path(output_dir)
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(
            _("The folder %(path)s cannot be created (%(error)s). Choose another folder with --output.")
            % {"path": output_dir, "error": exc.strerror or exc}
        ) from exc
    media_root = Path(settings.MEDIA_ROOT)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    archive = output_dir / f"cchc-backup-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory(prefix="cchc-backup-") as work:
        dump = Path(work) / DATABASE
        # One snapshot for the dump and the counts: a repeatable-read transaction on PostgreSQL, a read
        # transaction on SQLite. Writers go on meanwhile (PostgreSQL, SQLite in WAL mode).
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            counts = row_counts()
            call_command("dumpdata", exclude=list(EXCLUDED), natural_foreign=True, use_base_manager=True,
                         output=str(dump), verbosity=0)
            migrations = _applied_migrations()
        members = [(DATABASE, dump)]
        members += [(str(PurePosixPath(MEDIA, *p.relative_to(media_root).parts)), p) for p in _media_files(media_root)]
        manifest = {
            "format": FORMAT,
            "application": "cchc",
            "version": _version(),
            "django": django.get_version(),
            "created_at": timezone.now().isoformat(),
            "database_engine": connection.vendor,
            "migrations": migrations,
            "counts": counts,
            "files": {name: {"size": path.stat().st_size, "sha256": _sha256(path)} for name, path in members},
        }
        partial = archive.with_name(archive.name + ".part")
        try:
            with tarfile.open(partial, "w:gz") as tar:
                data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime = len(data), int(dt.datetime.now().timestamp())
                tar.addfile(info, io.BytesIO(data))
                for name, path in members:
                    tar.add(path, arcname=name, recursive=False)
            partial.replace(archive)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise BackupError(
                _("The archive could not be written to %(path)s (%(error)s). Check the free space and the "
                  "rights on the folder, or choose another with --output.")
                % {"path": output_dir, "error": exc.strerror or exc}
            ) from exc
    return archive, manifest


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and (
        name == MANIFEST or name == DATABASE or (path.parts[:1] == (MEDIA,) and len(path.parts) > 1)
    )


def _unpack(archive: Path, into: Path) -> dict:
    """Extract the archive into `into` and return its manifest once every member's checksum matched."""
    unreadable = _("%(path)s is not a cchc backup archive (%(error)s). Give the .tar.gz file that `cchc backup` wrote.")
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar.getmembers():
                if not (member.isfile() or member.isdir()) or not _safe_name(member.name.rstrip("/")):
                    raise BackupError(unreadable % {"path": archive, "error": member.name})
            tar.extractall(into, filter="data")
    except FileNotFoundError as exc:
        raise BackupError(_("The file %(path)s does not exist. Give the path of an archive that `cchc backup` wrote.")
                          % {"path": archive}) from exc
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(unreadable % {"path": archive, "error": exc}) from exc
    try:
        manifest = json.loads((into / MANIFEST).read_text())
        files = manifest["files"]
        counts = manifest["counts"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BackupError(unreadable % {"path": archive, "error": f"{MANIFEST}: {exc}"}) from exc
    if manifest.get("format") != FORMAT or DATABASE not in files or not isinstance(counts, dict):
        raise BackupError(unreadable % {"path": archive, "error": f"format {manifest.get('format')!r}"})
    present = {str(p.relative_to(into).as_posix()) for p in into.rglob("*") if p.is_file()} - {MANIFEST}
    damaged = sorted(set(files) ^ present)
    damaged += sorted(name for name in set(files) & present if _sha256(into / name) != files[name]["sha256"])
    if damaged:
        raise BackupError(
            _("The archive %(path)s is damaged: %(count)d file(s) are missing or do not match their checksum "
              "(%(names)s). Nothing was restored; use another copy of the backup.")
            % {"path": archive, "count": len(damaged), "names": ", ".join(damaged[:5])}
        )
    return manifest


def database_is_empty() -> bool:
    return not any(model._base_manager.exists() for label, model in _models() if label not in SEEDED)


def _check_migrations(manifest: dict) -> None:
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    unknown = [f"{app}.{name}" for app, name in manifest.get("migrations", {}).items() if (app, name) not in known]
    if unknown:
        raise BackupError(
            _("The backup was made by a newer version of the platform (%(version)s; unknown migrations: %(names)s). "
              "Install that version or a later one, then restore.")
            % {"version": manifest.get("version"), "names": ", ".join(unknown[:5])}
        )


def backup_restore(*, archive: Path, force: bool = False) -> dict:
    """Replace the database's content and add the media files from `archive`; return its manifest."""
    with tempfile.TemporaryDirectory(prefix="cchc-restore-") as work:
        root = Path(work)
        manifest = _unpack(Path(archive), root)
        _check_migrations(manifest)
        call_command("migrate", interactive=False, verbosity=0)
        if not force and not database_is_empty():
            raise BackupError(
                _("The database already holds data; a restore would replace all of it. Restore into a new, "
                  "empty database, or add --force to replace its content.")
            )
        media_root = Path(settings.MEDIA_ROOT)
        for name in manifest["files"]:
            if name.startswith(MEDIA + "/"):
                target = media_root.joinpath(*PurePosixPath(name).parts[1:])
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(root / name, target)
        with transaction.atomic():
            # flush empties every table, then recreates the content types and permissions.
            call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", str(root / DATABASE), verbosity=0)
            counts = row_counts()
            wrong = {label: (n, counts.get(label, 0)) for label, n in manifest["counts"].items() if counts.get(label, 0) != n}
            if wrong:
                raise BackupError(
                    _("The restored database does not match the backup (%(models)s). Nothing was changed in the "
                      "database.")
                    % {"models": ", ".join(f"{label}: {want} ≠ {got}" for label, (want, got) in sorted(wrong.items())[:5])}
                )
    return manifest
