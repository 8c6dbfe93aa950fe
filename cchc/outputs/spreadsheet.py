"""The .xlsx template for recording many outputs at once, and the reading of a filled one.

Columns are found by their header (in English, in the interface language, or in the Vietnamese
words people use), falling back to the template's order, so a sheet whose columns were moved
still reads. Every cell is checked; an error names the row and column as the spreadsheet shows
them and says what to write instead.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import override

from cchc.core import bounds
from cchc.core.spreadsheets import workbook_bytes
from cchc.core.text import nfc

from .catalogue import (CATALOGUE_BY_CODE, LANGUAGE_NAMES_VI, LANGUAGES, MISSING_TITLE, language_from_text,
                        whole_quantity_problem, words)

MAX_ROWS = 5000
TEMPLATE_ROWS = 500
_TOOL_TITLE_MAX = 500


class SpreadsheetError(Exception):
    """The file as a whole cannot be read; the message says why and what to do."""


@dataclass(frozen=True)
class Column:
    field: str
    header: object  # lazy English msgid
    aliases_vi: tuple[str, ...]
    width: int
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("date", gettext_lazy("Date (dd/mm/yyyy)"), ("ngay", "ngay thang", "ngay dd mm yyyy", "thoi gian"), 14, True),
    Column("output_type", gettext_lazy("Output type"), ("loai san pham", "loai", "san pham", "hinh thuc"), 34, True),
    Column("title", gettext_lazy("Title or content"), ("ten", "tieu de", "noi dung", "ten noi dung", "ten san pham"), 44),
    Column("quantity", gettext_lazy("Quantity"), ("so luong",), 10),
    Column("task", gettext_lazy("Task"), ("nhiem vu", "so nhiem vu", "ma nhiem vu"), 36),
    Column("target", gettext_lazy("Target"), ("chi tieu", "ma chi tieu"), 30),
    Column("channel", gettext_lazy("Channel or place"), ("kenh", "kenh dang phat", "noi dang", "co quan dang phat", "dia diem"), 24),
    Column("language", gettext_lazy("Language"), ("ngon ngu", "tieng"), 16),
    Column("people_reached", gettext_lazy("People reached"), ("so nguoi", "so nguoi tham du", "so nguoi duoc tiep can", "luot nguoi"), 14),
    Column("cost", gettext_lazy("Cost (VND)"), ("kinh phi", "kinh phi dong", "chi phi"), 14),
    Column("link", gettext_lazy("Link"), ("duong dan", "lien ket", "link", "url"), 30),
)
EXAMPLE_TITLE = gettext_lazy("Example: news on the e-portal about online public services (replace or delete this row)")


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _lists_sheet_name() -> str:
    return _("Lists")[:31]


def task_label(task) -> str:
    title = " ".join(task.title.split())
    return f"{task.pk} · {title[:90]}"


def target_label(target, task) -> str:
    return f"{target.pk} · {target} · {' '.join(task.title.split())[:60]}"


# ---------------------------------------------------------------- template

def build_template(*, unit, tasks, types) -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = _("Outputs")[:31]
    lists = wb.create_sheet(_lists_sheet_name())
    ref = f"'{lists.title}'"

    # The lists: output types (Vietnamese name, code, unit of measure), languages, tasks, targets.
    lists.append([_("Output type"), _("Code"), _("Unit of measure"), "", _("Language"), "", _("Task"), "", _("Target")])
    for cell in lists[1]:
        cell.font = Font(bold=True)
    task_rows = [task_label(t) for t in tasks]
    target_rows = [target_label(g, t) for t in tasks for g in t.targets.all()]
    languages = [LANGUAGE_NAMES_VI[lang.code] for lang in LANGUAGES]
    height = max(len(types), len(languages), len(task_rows), len(target_rows), 1)
    for i in range(height):
        row = [""] * 9
        if i < len(types):
            row[0], row[1], row[2] = types[i].name, types[i].code, types[i].measure
        if i < len(languages):
            row[4] = languages[i]
        if i < len(task_rows):
            row[6] = task_rows[i]
        if i < len(target_rows):
            row[8] = target_rows[i]
        lists.append(row)
    for letter, width in (("A", 44), ("B", 20), ("C", 14), ("E", 20), ("G", 80), ("I", 80)):
        lists.column_dimensions[letter].width = width

    # The data sheet.
    ws.append([str(c.header) for c in COLUMNS])
    for i, column in enumerate(COLUMNS):
        cell = ws.cell(row=1, column=i + 1)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[_letter(i)].width = column.width
    ws.freeze_panes = "A2"
    ws["A1"].comment = Comment(_("Write dates as dd/mm/yyyy, e.g. 15/03/2026."), "CCHC")
    ws["E1"].comment = Comment(_("Choose from the list; the number before the dot identifies the task."), "CCHC")

    portal = next((t for t in types if t.code == "portal_article"), types[0] if types else None)
    example = {
        "date": dt.date.today(), "output_type": portal.name if portal else "", "title": str(EXAMPLE_TITLE),
        "quantity": 1, "task": task_rows[0] if task_rows else "", "channel": "Cổng TTĐT tỉnh",
        "language": LANGUAGE_NAMES_VI["vi"], "people_reached": None, "cost": None, "link": "https://",
    }
    ws.append([example.get(c.field) for c in COLUMNS])
    for cell in ws[2]:
        cell.font = Font(italic=True, color="666666")

    last = TEMPLATE_ROWS + 1
    col = {c.field: _letter(i) for i, c in enumerate(COLUMNS)}
    for r in range(2, last + 1):
        ws[f"{col['date']}{r}"].number_format = "DD/MM/YYYY"
        ws[f"{col['quantity']}{r}"].number_format = "#,##0.##"
        ws[f"{col['cost']}{r}"].number_format = "#,##0"

    def listed(column: str, letter: str, count: int, prompt: str):
        if not count:
            return
        dv = DataValidation(type="list", formula1=f"={ref}!${letter}$2:${letter}${count + 1}", allow_blank=True)
        dv.error = _("Choose a value from the list.")
        dv.errorTitle = _("Not in the list")
        dv.prompt = prompt
        dv.showErrorMessage = True
        ws.add_data_validation(dv)
        dv.add(f"{col[column]}2:{col[column]}{last}")

    listed("output_type", "A", len(types), _("Choose the output type."))
    listed("language", "E", len(languages), _("Vietnamese unless the output is in an ethnic language."))
    listed("task", "G", len(task_rows), _("The task this output serves (optional)."))
    listed("target", "I", len(target_rows), _("The target this output counts toward (optional)."))

    date_dv = DataValidation(type="date", operator="between", formula1="DATE(2000,1,1)", formula2="DATE(2100,12,31)",
                             allow_blank=True)
    date_dv.error = _("Write the date as dd/mm/yyyy, e.g. 15/03/2026.")
    date_dv.showErrorMessage = True
    ws.add_data_validation(date_dv)
    date_dv.add(f"{col['date']}2:{col['date']}{last}")
    qty_dv = DataValidation(type="decimal", operator="greaterThan", formula1="0", allow_blank=True)
    qty_dv.error = _("The quantity must be more than zero.")
    qty_dv.showErrorMessage = True
    ws.add_data_validation(qty_dv)
    qty_dv.add(f"{col['quantity']}2:{col['quantity']}{last}")
    for field in ("people_reached", "cost"):
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        dv.error = _("Write a number that is zero or more.")
        dv.showErrorMessage = True
        ws.add_data_validation(dv)
        dv.add(f"{col[field]}2:{col[field]}{last}")

    wb.properties.title = _("Outputs of %(unit)s") % {"unit": unit.name}
    return workbook_bytes(wb)  # a task title typed as "=…" stays text


# ---------------------------------------------------------------- reading

def _header_index(header_row: list) -> dict[str, int]:
    """Map fields to column indexes by header text; fall back to the template's order."""
    known: dict[str, str] = {}
    for column in COLUMNS:
        names = {words(str(column.header)), *column.aliases_vi}
        with override("en"):
            names.add(words(str(column.header)))
        for name in names:
            known.setdefault(name, column.field)
    found: dict[str, int] = {}
    for index, value in enumerate(header_row):
        key = words(str(value or ""))
        key = re.sub(r"\s*\*$", "", key)
        field = known.get(key)
        if field and field not in found:
            found[field] = index
    if "date" in found and "output_type" in found:
        return found
    return {c.field: i for i, c in enumerate(COLUMNS)}


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_DATE_TEXT = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\s*$")
_ISO_TEXT = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")


def parse_date(value) -> dt.date | None:
    """A date cell, a dd/mm/yyyy text (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy), an ISO text or an Excel
    serial number; None when it is none of these."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and 20000 < value < 80000:
        from openpyxl.utils.datetime import from_excel

        return from_excel(value).date()
    text = str(value).strip()
    try:
        if m := _DATE_TEXT.match(text):
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        if m := _ISO_TEXT.match(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
    return None


def parse_number(value) -> Decimal | None:
    """A number cell or text as Vietnamese write it: '1.500.000' (dots group thousands), '2,5' (comma
    for decimals), '1.500.000 đồng'; None when it is not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(str(value))
        return number if number.is_finite() else None
    text = re.sub(r"\s*(vnd|vnđ|đồng|dong|đ|d)\.?$", "", str(value).strip(), flags=re.IGNORECASE).replace(" ", "")
    if re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?", text):
        text = text.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"[+-]?\d{1,3}(,\d{3}){2,}(\.\d+)?", text):
        text = text.replace(",", "")
    elif re.fullmatch(r"[+-]?\d+,\d+", text):
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None  # "NaN", "inf" are no count


_LEADING_ID = re.compile(r"^\s*#?\s*(\d+)\b")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return nfc(str(value)).strip()


def read_rows(file, *, unit, tasks, types) -> tuple[list[dict], list]:
    """The rows of a filled template as values ready to save, and the errors found in it."""
    from cchc.core import uploads

    from .services import RowError

    file.seek(0)
    try:
        # The first sheet's cells as plain values, read in the sandbox process within the limits of
        # rows, cells and decompressed bytes (`cchc.documents.workbook`).
        sheet = uploads.read_untrusted("sheet", file.read(), name=getattr(file, "name", "") or "")
    except uploads.UploadRefused as exc:
        raise SpreadsheetError(str(exc)) from exc
    raw_rows = iter(sheet)
    header = list(next(raw_rows, ()) or ())
    if not any(not _blank(v) for v in header):
        raise SpreadsheetError(_("The first sheet has no header row. Use the template downloaded from this page."))
    index = _header_index(header)
    default_headers = {c.field: str(c.header) for c in COLUMNS}
    headers = {f: str(header[i]) if i < len(header) and header[i] is not None else default_headers[f]
               for f, i in index.items()}

    type_names: dict[str, object] = {}
    for t in types:
        for name in (t.code, t.name, str(t.label)):
            type_names.setdefault(words(name), t)
        spec = CATALOGUE_BY_CODE.get(t.code)
        if spec is not None:
            with override("en"):
                type_names.setdefault(words(str(spec.label)), t)
    by_task = {t.pk: t for t in tasks}
    by_target = {g.pk: (g, t) for t in tasks for g in t.targets.all()}
    example_titles = {words(str(EXAMPLE_TITLE))}
    with override("en"):
        example_titles.add(words(str(EXAMPLE_TITLE)))
    url_ok = URLValidator(schemes=["http", "https"])

    rows: list[dict] = []
    errors: list = []
    data_rows = 0
    for number, values in enumerate(raw_rows, start=2):
        values = list(values or ())
        if all(_blank(v) for v in values):
            continue
        data_rows += 1
        if data_rows > MAX_ROWS:
            errors.append(RowError(row=number, column="", header="", message=_(
                "The file has more than %(n)d rows. Split it into several files and upload them one by one.")
                % {"n": MAX_ROWS}))
            break

        def cell(field):
            i = index.get(field)
            return values[i] if i is not None and i < len(values) else None

        if words(_cell_text(cell("title"))) in example_titles:
            continue

        row_errors: list = []

        def err(field, message):
            row_errors.append(RowError(row=number, column=_letter(index[field]) if field in index else "",
                                       header=headers.get(field, ""), message=message))

        out: dict = {"row": number}
        raw = cell("date")
        if _blank(raw):
            err("date", _("The date is missing. Write the date the output was published or held, as dd/mm/yyyy."))
        else:
            day = parse_date(raw)
            if day is None:
                err("date", _("“%(value)s” is not a date. Write it as dd/mm/yyyy, e.g. 15/03/2026.")
                    % {"value": _cell_text(raw)})
            elif not dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31):
                err("date", _("%(value)s is outside the years 2000–2100. Check the year.")
                    % {"value": day.strftime("%d/%m/%Y")})
            else:
                out["date"] = day

        raw = _cell_text(cell("output_type"))
        if not raw:
            err("output_type", _("The output type is missing. Choose one from the list."))
        elif (found := type_names.get(words(raw))) is None:
            err("output_type", _("“%(value)s” is not an output type. Choose one from the list in the sheet “%(sheet)s”.")
                % {"value": raw, "sheet": _lists_sheet_name()})
        else:
            out["output_type"] = found

        raw = cell("quantity")
        if _blank(raw):
            out["quantity"] = Decimal("1")
        else:
            qty = parse_number(raw)
            if qty is None:
                err("quantity", _("“%(value)s” is not a number. Write how many, e.g. 1 or 2,5.") % {"value": _cell_text(raw)})
            elif qty <= 0:
                err("quantity", _("The quantity must be more than zero (it is %(value)s). Remove the row if nothing was done.")
                    % {"value": _cell_text(raw)})
            elif (problem := bounds.OUTPUT_QUANTITY.problem(qty)) is not None:
                err("quantity", problem)
            elif "output_type" in out and (
                    problem := whole_quantity_problem(out["output_type"].measure, qty)) is not None:
                err("quantity", problem)
            else:
                out["quantity"] = qty.quantize(Decimal("0.01"))

        task = None
        raw = _cell_text(cell("task"))
        if raw:
            m = _LEADING_ID.match(raw)
            task = by_task.get(int(m[1])) if m else None
            if task is None:
                err("task", _("“%(value)s” is not a task number of %(unit)s. Choose the task from the list, or leave it empty.")
                    % {"value": raw, "unit": unit.name})
        target = None
        raw = _cell_text(cell("target"))
        if raw:
            m = _LEADING_ID.match(raw)
            pair = by_target.get(int(m[1])) if m else None
            if pair is None:
                err("target", _("“%(value)s” is not a target number of %(unit)s. Choose the target from the list, or leave it empty.")
                    % {"value": raw, "unit": unit.name})
            else:
                target, target_task = pair
                if task is not None and task.pk != target_task.pk:
                    err("target", _("Target %(target)s belongs to task %(task)s, not to the task chosen in this row.")
                        % {"target": target.pk, "task": target_task.pk})
                task = task or target_task
        out["task"], out["target"] = task, target

        raw = _cell_text(cell("language"))
        lang = language_from_text(raw)
        if lang is None:
            err("language", _("“%(value)s” is not a language in the list. Write Tiếng Việt or the name of the ethnic "
                              "language (Tày, Mông, Dao, Khmer …), or choose “other”.") % {"value": raw})
        out["language"] = lang

        raw = cell("people_reached")
        out["people_reached"] = None
        if not _blank(raw):
            n = parse_number(raw)
            if n is None or n != n.to_integral_value():
                err("people_reached", _("“%(value)s” is not a whole number of people.") % {"value": _cell_text(raw)})
            elif n < 0:
                err("people_reached", _("The number of people reached cannot be negative (it is %(value)s).")
                    % {"value": _cell_text(raw)})
            elif (problem := bounds.PEOPLE.problem(n)) is not None:
                err("people_reached", problem)
            else:
                out["people_reached"] = int(n)

        raw = cell("cost")
        out["cost"] = None
        if not _blank(raw):
            n = parse_number(raw)
            if n is None:
                err("cost", _("“%(value)s” is not an amount. Write the cost in đồng, e.g. 1.500.000.") % {"value": _cell_text(raw)})
            elif n < 0:
                err("cost", _("The cost cannot be negative (it is %(value)s).") % {"value": _cell_text(raw)})
            elif (problem := bounds.COST.problem(n)) is not None:
                err("cost", problem)
            else:
                out["cost"] = n.quantize(Decimal("1"))

        title = _cell_text(cell("title"))
        if not title:
            err("title", MISSING_TITLE)
        elif len(title) > _TOOL_TITLE_MAX:
            err("title", _("The title is longer than %(n)d characters. Shorten it.") % {"n": _TOOL_TITLE_MAX})
        out["title"] = title[:_TOOL_TITLE_MAX]
        channel = _cell_text(cell("channel"))
        if len(channel) > 200:
            err("channel", _("The channel is longer than 200 characters. Shorten it."))
        out["channel"] = channel[:200]

        link = _cell_text(cell("link"))
        if link in ("https://", "http://"):
            link = ""
        if link and not re.match(r"^https?://", link, re.IGNORECASE):
            link = "https://" + link
        if link:
            try:
                url_ok(link)
            except ValidationError:
                err("link", _("“%(value)s” is not a web address. Copy the address from the browser, or leave it empty.")
                    % {"value": _cell_text(cell("link"))})
        out["link"] = link[:1000]

        if row_errors:
            errors.extend(row_errors)
        else:
            rows.append(out)
    if not rows and not errors:
        errors.append(RowError(row=2, column="", header="", message=_(
            "The file has no rows to record. Fill in one row per output under the header and upload it again.")))
    return rows, errors
