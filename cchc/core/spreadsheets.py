"""Spreadsheets the platform writes are inert: a text cell that a spreadsheet program would read as a
formula ("=HYPERLINK(…)", "+…", "-…", "@…", or one starting with a tab or carriage return) is written
as text, so a narrative typed by one unit never runs in the workbook another unit opens.

openpyxl stores a string that starts with "=" as a formula; marking the cell's data type as a string
keeps the characters as they were typed (no quote is added to what the reader sees). Numbers are left
alone: -2 stays the number -2.

Every workbook leaves the platform through `workbook_bytes`, which makes each of its sheets inert
before saving, so a new export cannot forget it (tests/core/test_spreadsheets.py checks that every
module that builds a workbook saves it this way). The platform writes no formulas of its own into
cells; the lists of a data validation and the ranges of a chart are not cells and stay as they are.
"""

from __future__ import annotations

import io

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def make_inert(ws, *, min_row: int = 1) -> int:
    """Mark every formula-like text cell of worksheet `ws` (from `min_row` on) as plain text; returns how
    many were marked. Call it once the sheet is filled, before saving."""
    marked = 0
    for row in ws.iter_rows(min_row=min_row):
        for cell in row:
            if is_formula_like(cell.value) or (cell.data_type == "f" and isinstance(cell.value, str)):
                cell.data_type = "s"
                marked += 1
    return marked


def workbook_bytes(wb) -> bytes:
    """The workbook as .xlsx bytes, every sheet made inert first: the one way the platform saves one."""
    for ws in wb.worksheets:
        make_inert(ws)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
