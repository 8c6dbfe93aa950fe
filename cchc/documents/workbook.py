"""Reading the first sheet of an uploaded .xlsx workbook into plain rows, within limits.

The package is first decompressed part by part through `SafeZip` (its real size, no entity
declarations); then the sheet's declared used range (<dimension ref="A1:XFD1048576"/>) is
checked, and the rows are read with openpyxl's streaming reader without padding them to that
range, counting rows and cells as they come. What comes back is plain data (lists of str,
numbers, dates, None) that crosses a process boundary as it is.
"""

from __future__ import annotations

import io

from cchc.documents import limits as _limits
from cchc.documents.blocks import DocumentError
from cchc.documents.i18n import _
from cchc.documents.safezip import SafeZip


def sheet_rows(data: bytes, *, name: str) -> list[list]:
    """The rows of the first sheet, each without its trailing empty cells; empty rows kept as []
    so that a row's position is its number in the sheet, trailing empty rows dropped."""
    limits = _limits.current()
    unreadable = _("The file could not be read as an Excel workbook (.xlsx). Download the template again, fill it "
                   "in and upload it without changing its format.")
    SafeZip(data, name=name, damaged=unreadable).check_all()
    try:
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - whatever openpyxl raises, the user's answer is the same
        raise DocumentError(unreadable) from None
    try:
        if not workbook.worksheets:
            raise DocumentError(unreadable)
        sheet = workbook.worksheets[0]
        rows_declared = sheet.max_row or 0
        columns_declared = sheet.max_column or 0
        too_large = _("The sheet of %(name)s is larger than %(rows)s rows or %(columns)s columns (its used range "
                      "reaches %(range)s); copy only the filled rows into a new workbook and upload that")
        if rows_declared > limits.sheet_rows or columns_declared > limits.sheet_columns:
            raise DocumentError(too_large % _range_words(name, limits, rows_declared, columns_declared))
        sheet.reset_dimensions()  # rows as they are stored, not padded to the declared range
        rows: list[list] = []
        cells = 0
        for values in sheet.iter_rows(values_only=True):
            row = list(values or ())
            while row and row[-1] is None:
                row.pop()
            cells += max(1, len(values or ()))
            if len(row) > limits.sheet_columns or len(rows) >= limits.sheet_rows:
                raise DocumentError(too_large % _range_words(name, limits, len(rows) + 1, len(row)))
            if cells > limits.sheet_cells:
                raise DocumentError(
                    _("The sheet of %(name)s has more than %(limit)s cells; copy only the filled rows into a new "
                      "workbook, or split it into several files") % {"name": name,
                                                                    "limit": _limits.number_text(limits.sheet_cells)}
                )
            rows.append(row)
        while rows and not rows[-1]:
            rows.pop()
        return rows
    except DocumentError:
        raise
    except Exception:  # noqa: BLE001 - a broken sheet is the same answer as a broken workbook
        raise DocumentError(unreadable) from None
    finally:
        workbook.close()


def _range_words(name: str, limits: _limits.Limits, rows: int, columns: int) -> dict:
    from openpyxl.utils import get_column_letter

    last = f"{get_column_letter(max(1, min(columns, 18278)))}{max(1, rows)}"
    return {"name": name, "rows": _limits.number_text(limits.sheet_rows),
            "columns": _limits.number_text(limits.sheet_columns), "range": last}
