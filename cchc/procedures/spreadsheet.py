"""The .xlsx of a unit's monthly online-service figures: one row per month (year, month, dossiers
received, received online, handled fully online, by public postal service, note), filled with what is
already entered, and read back through the bounded workbook reader in the sandbox process."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.core.spreadsheets import workbook_bytes
from cchc.documents.folding import fold

# (field, Vietnamese header as the template writes it, other ways people head the column)
COLUMNS = (
    ("year", gettext_lazy("Year"), ("nam",)),
    ("month", gettext_lazy("Month"), ("thang",)),
    ("dossiers", gettext_lazy("Dossiers received"), ("ho so tiep nhan", "tong so ho so", "so ho so", "tong ho so")),
    ("online", gettext_lazy("Dossiers received online"), ("truc tuyen", "ho so truc tuyen", "tiep nhan truc tuyen")),
    ("fully_online", gettext_lazy("Dossiers handled fully online"), ("toan trinh", "truc tuyen toan trinh")),
    ("postal", gettext_lazy("Dossiers by public postal service"), ("buu chinh", "buu chinh cong ich", "qua buu chinh")),
    ("note", gettext_lazy("Note"), ("ghi chu",)),
)
NUMBER_FIELDS = ("year", "month", "dossiers", "online", "fully_online", "postal")


class SpreadsheetError(Exception):
    pass


def _words(text) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold(str(text or ""))).strip()


def build_template(*, unit, year: int, figures) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    by_month = {f.month: f for f in figures}
    wb = Workbook()
    ws = wb.active
    ws.title = _("Online services")[:31]
    ws.append([str(header) for _f, header, _a in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for month in range(1, 13):
        f = by_month.get(month)
        ws.append([year, month, f.dossiers if f else None, f.online if f else None, f.fully_online if f else None,
                   f.postal if f else None, f.note if f else None])
    for letter, width in zip("ABCDEFG", (8, 8, 18, 18, 22, 22, 40)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    wb.properties.title = _("Online-service figures of %(unit)s") % {"unit": unit.name}
    return workbook_bytes(wb)


def _header_index(header: list) -> dict[str, int]:
    known = {}
    for name, label, aliases in COLUMNS:
        from django.utils.translation import override

        for text in (str(label), *aliases):
            known.setdefault(_words(text), name)
        with override("en"):
            known.setdefault(_words(str(label)), name)
        with override("vi"):
            known.setdefault(_words(str(label)), name)
    found = {}
    for index, value in enumerate(header):
        name = known.get(_words(value))
        if name and name not in found:
            found[name] = index
    if "year" in found and "month" in found:
        return found
    return {name: i for i, (name, _l, _a) in enumerate(COLUMNS)}


def _number(value):
    """A cell as a number ('1.500' with dots grouping thousands), the text as it is when it is none
    (the bound then says what is wrong), None when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() else value
    text = str(value).strip().replace(" ", "")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    return int(text) if text.isdigit() else text


def read_rows(file) -> tuple[list[dict], list]:
    """The filled rows ({"row", "year", "month", figures…, "note"}) and the errors found in reading."""
    from cchc.core import uploads
    from cchc.documents.vntext import nfc

    file.seek(0)
    try:
        sheet = uploads.read_untrusted("sheet", file.read(), name=getattr(file, "name", "") or "")
    except uploads.UploadRefused as exc:
        raise SpreadsheetError(str(exc)) from exc
    if not sheet or not any(v not in (None, "") for v in sheet[0]):
        raise SpreadsheetError(_("The first sheet has no header row. Use the template downloaded from this page."))
    index = _header_index(list(sheet[0]))
    rows, errors = [], []
    for number, raw in enumerate(sheet[1:], start=2):
        cells = {name: raw[i] if i < len(raw) else None for name, i in index.items()}
        figures = [cells.get(n) for n in ("dossiers", "online", "fully_online", "postal")]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in figures) and not cells.get("note"):
            continue  # a month of the template left empty
        row = {"row": number, **{n: _number(cells.get(n)) for n in NUMBER_FIELDS},
               "note": nfc(str(cells.get("note") or "")).strip()[:500]}
        rows.append(row)
    return rows, errors
