"""Files follow the database: a stored file lives exactly as long as the row that names it.

- An upload is kept only when its transaction commits. `TransactionalFileSystemStorage` (the default
  storage, see config/settings) deletes a file it saved inside a transaction when that transaction,
  or the savepoint it was saved in, rolls back: a failed upload, a refused form, a request that ends
  in a server error (each write request is one transaction) leave no file behind.
- A file is deleted only when the deletion commits: `storage.delete` inside a transaction waits for
  the commit and does nothing on rollback, so a rolled-back deletion keeps the file its row names.
- A row that goes (a draft plan or report deleted, an import discarded, evidence removed, also by a
  cascade the service never sees row by row) takes its files with it, and a file replaced by another
  on the same field is deleted: `connect_file_cleanup` wires this for every model with a FileField
  once, in `CoreConfig.ready`, so a new model cannot forget it.

Django has no "on rollback" hook. The one used here: a callable registered with
`transaction.on_commit` is called on commit; on rollback Django drops it from the connection's list
without calling it, and the finalizer that runs when it is dropped deletes the file. CPython frees
an object as soon as the last reference goes, so the deletion happens during the rollback. Whatever
escapes (a process killed between the save and the commit) is what `cchc check-files` finds.
"""

from __future__ import annotations

import logging
import weakref

from django.core.files.storage import FileSystemStorage
from django.db import models, transaction

log = logging.getLogger(__name__)


def _delete_quietly(storage, name: str) -> None:
    try:
        storage.delete_now(name) if hasattr(storage, "delete_now") else storage.delete(name)
    except OSError:  # the file is already gone or the disk refuses: check-files will say so
        log.warning("could not delete stored file %s", name, exc_info=True)


class _KeepOnCommit:
    """Called on commit (the file is kept); dropped uncalled on rollback (the file is deleted)."""

    def __init__(self, storage, name: str):
        self.state = {"committed": False}
        weakref.finalize(self, _forget_unless_committed, self.state, storage, name)

    def __call__(self) -> None:
        self.state["committed"] = True


def _forget_unless_committed(state: dict, storage, name: str) -> None:
    if not state["committed"]:
        _delete_quietly(storage, name)


def delete_on_rollback(storage, name: str) -> None:
    """Delete the stored file `name` if the current transaction (or savepoint) rolls back; outside a
    transaction the file is kept at once."""
    transaction.on_commit(_KeepOnCommit(storage, name), robust=True)


def delete_on_commit(storage, name: str) -> None:
    """Delete the stored file `name` once the current transaction commits (at once outside one);
    never if it rolls back."""
    if name:
        transaction.on_commit(lambda: _delete_quietly(storage, name), robust=True)


class TransactionalFileSystemStorage(FileSystemStorage):
    """The file system storage whose saves are undone by a rollback and whose deletions wait for the
    commit."""

    def _save(self, name, content):
        name = super()._save(name, content)
        delete_on_rollback(self, name)
        return name

    def delete(self, name):
        delete_on_commit(self, name)

    def delete_now(self, name) -> None:
        super().delete(name)


# ---------------------------------------------------------------- rows take their files with them

_SEEN = "_cchc_stored_files"


def _file_fields(model) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def _remember(sender, instance, **kwargs) -> None:
    instance.__dict__[_SEEN] = {f.attname: instance.__dict__.get(f.attname) for f in _file_fields(sender)}


def _name(value) -> str:
    return getattr(value, "name", value) or ""


def _after_save(sender, instance, **kwargs) -> None:
    seen = instance.__dict__.get(_SEEN) or {}
    for field in _file_fields(sender):
        old, new = _name(seen.get(field.attname)), _name(getattr(instance, field.attname))
        if old and old != new:
            delete_on_commit(field.storage, old)
    _remember(sender, instance)


def _after_delete(sender, instance, **kwargs) -> None:
    for field in _file_fields(sender):
        name = _name(getattr(instance, field.attname))
        if name:
            delete_on_commit(field.storage, name)


def file_models() -> list:
    from django.apps import apps

    return [m for m in apps.get_models() if _file_fields(m)]


def connect_file_cleanup() -> None:
    """For every model with a FileField: a deleted row deletes its files, a replaced file is deleted,
    both once the transaction commits."""
    for model in file_models():
        uid = f"cchc-files-{model._meta.label_lower}"
        models.signals.post_init.connect(_remember, sender=model, dispatch_uid=f"{uid}-init")
        models.signals.post_save.connect(_after_save, sender=model, dispatch_uid=f"{uid}-save")
        models.signals.post_delete.connect(_after_delete, sender=model, dispatch_uid=f"{uid}-delete")


# ---------------------------------------------------------------- what `cchc check-files` reports

def stored_names(root) -> dict[str, float]:
    """Every file under `root`, by its name relative to it (as a FileField stores it), with its mtime."""
    from pathlib import Path

    root = Path(root)
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): p.stat().st_mtime for p in root.rglob("*") if p.is_file()}


def file_check(root) -> tuple[dict[str, float], list[tuple[str, int, str]]]:
    """(files under `root` that no row names, with their mtime; rows whose file is not there, as
    (model label, id, file name)), one query per file field."""
    on_disk = stored_names(root)
    named: set[str] = set()
    missing: list[tuple[str, int, str]] = []
    for model in file_models():
        for field in _file_fields(model):
            rows = model._default_manager.exclude(**{field.attname: ""}).exclude(**{f"{field.attname}__isnull": True})
            for pk, name in rows.values_list("pk", field.attname).iterator():
                named.add(name)
                if name not in on_disk:
                    missing.append((model._meta.label, pk, name))
    orphans = {name: mtime for name, mtime in on_disk.items() if name not in named}
    return orphans, missing
