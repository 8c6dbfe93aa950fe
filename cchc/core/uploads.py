"""Checks every upload passes before it is read: accepted type, size limit, first bytes that match the type.

Plans (documents, evidence), outputs (evidence, spreadsheets) and reports (attachments) call
`check_upload`; the message of `UploadRefused` is written for the user. A zip package (.docx,
.xlsx, .pptx, .odt, .zip …) is also decompressed once, counting the bytes that really come out, so
that a zip bomb is refused even where the file is only stored.

`read_untrusted` reads an uploaded document or workbook in the sandbox process
(`cchc.documents.sandbox`) within the limits the settings give:

CCHC_DOCUMENT_LIMITS  overrides of `cchc.documents.limits.Limits` (e.g. {"pdf_pages": 100})
CCHC_READER_BUDGET    overrides of `cchc.documents.sandbox.Budget` (cpu_seconds, memory_bytes, wall_seconds)
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _


class UploadRefused(ValueError):
    pass


EVIDENCE_TYPES = {".pdf", ".docx", ".doc", ".xlsx", ".xls", ".pptx", ".odt", ".ods", ".jpg", ".jpeg", ".png",
                  ".gif", ".webp", ".txt", ".md", ".csv", ".mp3", ".mp4", ".zip"}
_MAGIC = {
    ".docx": [b"PK\x03\x04"], ".xlsx": [b"PK\x03\x04"], ".pptx": [b"PK\x03\x04"], ".odt": [b"PK\x03\x04"],
    ".ods": [b"PK\x03\x04"], ".zip": [b"PK\x03\x04"], ".pdf": [b"%PDF-"], ".png": [b"\x89PNG"],
    ".jpg": [b"\xff\xd8\xff"], ".jpeg": [b"\xff\xd8\xff"], ".gif": [b"GIF8"],
    ".doc": [b"\xd0\xcf\x11\xe0"], ".xls": [b"\xd0\xcf\x11\xe0"],
}
_TEXT_TYPES = {".txt", ".md", ".csv"}
_ZIP_TYPES = {".docx", ".xlsx", ".pptx", ".odt", ".ods"}  # office packages; a .zip is only stored


def document_limits():
    from cchc.documents.limits import DEFAULT

    return DEFAULT.with_(**getattr(settings, "CCHC_DOCUMENT_LIMITS", {}))


def reader_budget():
    from cchc.documents.sandbox import DEFAULT_BUDGET

    return DEFAULT_BUDGET.__class__(**{**DEFAULT_BUDGET.__dict__, **getattr(settings, "CCHC_READER_BUDGET", {})})


def read_untrusted(job: str, data: bytes, *, name: str):
    """`cchc.documents.sandbox.run` in the request's language; a refusal is an `UploadRefused`."""
    from cchc.documents import sandbox
    from cchc.documents.blocks import DocumentError

    try:
        return sandbox.run(job, data, name=name, language=get_language(), limits=document_limits(),
                           budget=reader_budget())
    except DocumentError as exc:
        raise UploadRefused(str(exc)) from exc


def _check_package(upload, name: str) -> None:
    from cchc.documents import limits
    from cchc.documents.blocks import DocumentError
    from cchc.documents.safezip import SafeZip

    data = upload.read()
    upload.seek(0)
    damaged = _("“%(name)s” is a damaged file. Open it in the program that made it, save it again and retry.") % {
        "name": name}
    try:
        with limits.use(document_limits()):
            SafeZip(data, name=name, damaged=damaged).check_all()
    except DocumentError as exc:
        raise UploadRefused(str(exc)) from exc


def check_upload(upload, *, allowed: set[str]) -> str:
    """Refuse a file of the wrong type or over the size limit, looking only at its name, its size and
    its first bytes. Returns the extension."""
    name = getattr(upload, "name", "") or ""
    ext = Path(name).suffix.lower()
    if ext not in allowed:
        raise UploadRefused(
            _("“%(name)s” is not an accepted file type. Accepted: %(types)s.")
            % {"name": name, "types": ", ".join(sorted(allowed))}
        )
    size = getattr(upload, "size", None)
    limit = settings.CCHC_MAX_UPLOAD_BYTES
    if size is not None and size > limit:
        raise UploadRefused(
            _("“%(name)s” is %(size).1f MB; the limit is %(limit).0f MB. Split it or compress it and try again.")
            % {"name": name, "size": size / 1048576, "limit": limit / 1048576}
        )
    if size == 0:
        raise UploadRefused(_("“%(name)s” is empty. Choose the file again.") % {"name": name})
    head = upload.read(2048)
    upload.seek(0)
    if ext in _MAGIC and not any(head.startswith(m) for m in _MAGIC[ext]):
        raise UploadRefused(
            _("“%(name)s” is named %(ext)s but its content is not such a file. Save it again as %(ext)s and retry.")
            % {"name": name, "ext": ext}
        )
    if ext in _TEXT_TYPES and b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UploadRefused(_("“%(name)s” is not a text file. Save it as plain text and retry.") % {"name": name})
    if ext in _ZIP_TYPES:
        _check_package(upload, name)
    return ext
