"""How much a document may cost to read: bytes, zip members, decompressed bytes, pages, cells, text.

A file's headers say how large it is; a hostile file lies (a zip index that understates its
parts, a PDF whose page tree counts 100,000 pages, a sheet whose used range is A1:XFD1048576).
The readers therefore count what they really read, as they read it, and stop at these limits with
a message that names the limit and what to do. A plan of the size Vietnamese offices write (a few
dozen pages, a few hundred thousand characters) stays far below every one of them.

`current()` is the set in force; `use(Limits(...))` changes it for a block (a test, a web request
whose settings ask for other limits). The values travel to the sandbox process as plain data.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Limits:
    #: a zip package (.docx, .xlsx, .pptx) with more parts than this is refused
    zip_members: int = 3000
    #: decompressed bytes read from one package, all parts together (counted while streaming)
    unzipped_bytes: int = 50 * 1024 * 1024
    #: a part that expands more than this many times its compressed size (once past 1 MB) is a bomb
    zip_ratio: int = 200
    #: pages of a PDF (its page tree's /Count, and the pages really met)
    pdf_pages: int = 300
    #: characters of text on one PDF page
    page_chars: int = 100_000
    #: characters of text in a whole document, any format
    text_chars: int = 2_000_000
    #: cells of a spreadsheet's sheet (filled or not, as its rows are read)
    sheet_cells: int = 200_000
    #: rows and columns of a sheet's used range
    sheet_rows: int = 100_000
    sheet_columns: int = 1000

    def with_(self, **changes) -> Limits:
        return replace(self, **changes)


DEFAULT = Limits()
_current: contextvars.ContextVar[Limits | None] = contextvars.ContextVar("cchc_document_limits", default=None)


def current() -> Limits:
    return _current.get() or DEFAULT


@contextlib.contextmanager
def use(limits: Limits | None) -> Iterator[Limits]:
    token = _current.set(limits)
    try:
        yield current()
    finally:
        _current.reset(token)


def size_text(n: int) -> str:
    """A byte count as people say it: "50 MB", "1.5 MB", "300 KB"."""
    if n >= 1048576:
        return f"{n / 1048576:g} MB" if n % 1048576 == 0 else f"{n / 1048576:.1f} MB"
    return f"{max(1, round(n / 1024))} KB"


def number_text(n: int) -> str:
    """A count with the Vietnamese thousands separator: 2.000.000."""
    return f"{n:,}".replace(",", ".")
