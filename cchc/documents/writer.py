"""Write a plan as a .docx in the administrative document format of Nghị định 30/2020/NĐ-CP.

The input is the plan dict of `plan.schema.json` (what the parser returns; plans kept in the
platform are converted to it). The output can be printed and signed as it is: A4, Times New
Roman, the two-column header, number and dated place line, title, body, recipients beside the
signature, then the appendix table of tasks.

Every task is written once, in the appendix table. A section of the body that only stated a task
(its path is a task's `section`) is left out and its parent points to the appendix, so that the
document read back gives the same tasks, once each.
"""

from __future__ import annotations

import io
import re
from datetime import date

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 12

# Type codes (Nghị định 30/2020, Phụ lục III) and the word printed as the document's name.
KIND_NAMES = {
    "KH": "KẾ HOẠCH", "QĐ": "QUYẾT ĐỊNH", "CT": "CHỈ THỊ", "TB": "THÔNG BÁO", "BC": "BÁO CÁO",
    "CTr": "CHƯƠNG TRÌNH", "ĐA": "ĐỀ ÁN", "HD": "HƯỚNG DẪN", "QC": "QUY CHẾ", "QyĐ": "QUY ĐỊNH",
}
# "xã hội" (society) in an agency's name is not a commune.
_PLACE_WORDS = r"(?:tỉnh|thành phố|huyện|quận|thị xã|xã(?!\s+hội\b)|phường|thị trấn|đặc khu)"
_AGENCY_UNDER_UBND = re.compile(
    rf"^(?P<body>(?:Sở|Ban|Văn phòng|Thanh tra|Phòng|Chi cục|Trung tâm|Đài|Báo)\b.*)\s+(?P<place>{_PLACE_WORDS}\s+.+)$",
    re.IGNORECASE,
)
_PLACE_SPLIT = re.compile(rf"\s+(?={_PLACE_WORDS}\s)", re.IGNORECASE)


def write_plan_docx(plan: dict) -> bytes:
    meta = plan.get("document") or {}
    document = new_document()

    _header(document, meta)
    kind = KIND_NAMES.get("KH")
    _para(document, kind, bold=True, align="center", before=12, after=0)
    if meta.get("title"):
        _para(document, meta["title"], bold=True, align="center", after=0)
    _rule(document, width_mm=40)

    for text in _preamble(plan):
        _para(document, text, indent=True)
    tasks = plan.get("tasks") or []
    task_paths = {t.get("section") for t in tasks if t.get("section")}
    for item in plan.get("sections") or []:
        _section(document, item, "", 1, task_paths)

    _closing(document, meta)
    if tasks:
        _appendix(document, meta, tasks)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ------------------------------------------------------------------------------------ layout

def new_document():
    """An empty .docx on the page of Nghị định 30/2020 (A4 portrait; margins 20 mm top and bottom,
    30 mm left, 15 mm right) with its body style: plans, consolidated reports and bulletins start here."""
    import docx

    document = docx.Document()
    page_layout(document.sections[0])
    _base_style(document)
    return document


def page_layout(section, *, landscape: bool = False) -> None:
    """A4 with the margins of Nghị định 30/2020, portrait or landscape (a wide appendix)."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    width, height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.page_width, section.page_height = width, height
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)


def _base_style(document) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(BODY_PT)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    fmt = style.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(6)
    fmt.line_spacing = 1.1


def _para(container, text: str = "", *, bold=False, italic=False, align="justify", size=None,
          before=None, after=None, indent=False, upper=False):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    para = container.add_paragraph()
    para.alignment = {
        "center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT,
        "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]
    if before is not None:
        para.paragraph_format.space_before = Pt(before)
    if after is not None:
        para.paragraph_format.space_after = Pt(after)
    if indent:
        para.paragraph_format.first_line_indent = Mm(12.7)
    if text:
        run = para.add_run(text.upper() if upper else text)
        run.bold, run.italic = bold or None, italic or None
        if size:
            run.font.size = Pt(size)
    return para


def _cell_para(cell, first: list, text: str, **kwargs):
    """Add a paragraph to a table cell, using the cell's own empty first paragraph once."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    if first and first[0]:
        para = cell.paragraphs[0]
        first[0] = False
    else:
        para = cell.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER if kwargs.get("align", "center") == "center" else WD_ALIGN_PARAGRAPH.LEFT
    para.paragraph_format.space_after = Pt(kwargs.get("after", 0))
    para.paragraph_format.first_line_indent = None
    if text:
        run = para.add_run(text)
        run.bold = kwargs.get("bold") or None
        run.italic = kwargs.get("italic") or None
        if kwargs.get("size"):
            run.font.size = Pt(kwargs["size"])
    return para


def _rule(container, *, width_mm: float, total_mm: float | None = None):
    """A short centred horizontal rule: an empty paragraph with a bottom border, indented."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    para = container.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    total = total_mm if total_mm is not None else 165
    side = max(0.0, (total - width_mm) / 2)
    fmt = para.paragraph_format
    fmt.left_indent, fmt.right_indent = Mm(side), Mm(side)
    fmt.space_before, fmt.space_after = Pt(0), Pt(6)
    fmt.line_spacing = Pt(2)
    ppr = para._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)
    return para


def _borderless_table(document, widths_mm: list[float]):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    table = document.add_table(rows=1, cols=len(widths_mm))
    table.autofit = False
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tblpr.append(borders)
    for i, width in enumerate(widths_mm):
        table.columns[i].width = Mm(width)
        for cell in table.columns[i].cells:
            cell.width = Mm(width)
    return table


# ----------------------------------------------------------------------------------- header


def _issuer_lines(meta: dict) -> tuple[str | None, str | None]:
    """(superior body, issuing body) for the header, both upper case.

    A department of a province or commune (Sở …, Phòng …) is headed by its People's Committee;
    a People's Committee itself has no superior line and its place name goes on a second line.
    """
    issuer = " ".join((meta.get("issuer") or "").split())
    superior = meta.get("issuer_superior")
    if not issuer:
        return (superior.upper() if superior else None), None
    if not superior:
        match = _AGENCY_UNDER_UBND.match(issuer)
        if match:
            superior = f"Ủy ban nhân dân {match['place']}"
            issuer = match["body"]
    body = _PLACE_SPLIT.sub("\n", issuer, count=1) if issuer.lower().startswith(("ủy ban", "uỷ ban", "hội đồng")) else issuer
    return (_upper(superior) if superior else None), _upper(body)


def _upper(text: str) -> str:
    return text.upper()


def _date_line(meta: dict) -> str:
    place = meta.get("place") or ""
    iso = meta.get("date")
    year = meta.get("year")
    if iso:
        try:
            d = date.fromisoformat(iso)
        except ValueError:
            d = None
        if d:
            # Nghị định 30/2020: days below 10 and months 1 and 2 take a leading zero.
            day = f"{d.day:02d}"
            month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
            return f"{place}, ngày {day} tháng {month} năm {d.year}".lstrip(", ")
    year_text = str(year) if year else "     "
    return f"{place}, ngày      tháng      năm {year_text}".lstrip(", ")


def _number_line(meta: dict) -> str:
    if meta.get("number"):
        return f"Số: {meta['number']}"
    symbol = meta.get("symbol") or "KH"
    return f"Số:        /{symbol}"


def _header(document, meta: dict) -> None:
    left_mm, right_mm = 65, 100
    table = _borderless_table(document, [left_mm, right_mm])
    left, right = table.rows[0].cells
    first_left, first_right = [True], [True]
    superior, body = _issuer_lines(meta)
    if superior:
        _cell_para(left, first_left, superior, size=13)
    if body:
        for line in body.split("\n"):
            _cell_para(left, first_left, line, bold=True, size=13)
        _cell_rule(left, width_mm=25, cell_mm=left_mm)
    _cell_para(right, first_right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=13)
    _cell_para(right, first_right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=14)
    _cell_rule(right, width_mm=60, cell_mm=right_mm)
    row = table.add_row()
    left, right = row.cells
    _cell_para(left, [True], _number_line(meta), size=13)
    _cell_para(right, [True], _date_line(meta), italic=True, size=14)


def _cell_rule(cell, *, width_mm: float, cell_mm: float) -> None:
    _rule(cell, width_mm=width_mm, total_mm=cell_mm - 4)


# ------------------------------------------------------------------------------------- body


def _preamble(plan: dict) -> list[str]:
    """The opening paragraphs: as written when the plan keeps them, else from its references."""
    written = plan.get("preamble")
    if isinstance(written, str):
        return [p for p in written.split("\n") if p.strip()]
    if isinstance(written, list):
        return [p for p in written if isinstance(p, str) and p.strip()]
    lines = []
    for ref in plan.get("references") or []:
        role = ref.get("role")
        if role not in ("basis", "implements"):
            continue
        words = [ref.get("kind") or ""]
        if ref.get("number"):
            words.append(f"số {ref['number']}")
        if ref.get("date"):
            try:
                d = date.fromisoformat(ref["date"])
                words.append(f"ngày {d.day:02d}/{d.month:02d}/{d.year}")
            except ValueError:
                pass
        if ref.get("issuer"):
            words.append(f"của {ref['issuer']}")
        lead = "Căn cứ" if role == "basis" else "Thực hiện"
        lines.append(f"{lead} {' '.join(w for w in words if w)};")
    if lines:
        lines[-1] = lines[-1].rstrip(";") + "."
    return lines


def _heading_label(number: str | None, level: int) -> str:
    if not number:
        return ""
    number = number.strip()
    if number[-1] in ".)":
        return number + " "
    if number in ("-", "+", "•"):
        return number + " "
    if re.fullmatch(r"[a-zđ]", number):
        return f"{number}) "
    return f"{number}. "


def _section(document, item: dict, parent_path: str, level: int, task_paths: set[str]) -> bool:
    """Write a section; False when it was left out because it only stated a task."""
    number = (item.get("number") or "").strip().rstrip(".)")
    path = f"{parent_path}.{number}" if parent_path and number else (number or parent_path)
    children = item.get("children") or []
    is_task = bool(number) and path in task_paths
    holds_tasks = bool(number) and any(p.startswith(path + ".") for p in task_paths)
    if is_task and level > 1:
        return False
    # Write children into a scratch list first to know whether all of them were tasks.
    heading = (item.get("heading") or "").strip()
    label = _heading_label(item.get("number"), level)
    if level > 1 and holds_tasks and children and all(
        f"{path}.{(c.get('number') or '').strip().rstrip('.)')}" in task_paths for c in children
    ):
        return False
    if heading or label:
        _para(document, f"{label}{heading}".strip(), bold=level <= 2, italic=level == 3, indent=level > 1)
    text = item.get("text")
    if is_task or (holds_tasks and level == 1 and not text):
        pass
    elif text:
        for line in str(text).split("\n"):
            if line.strip():
                _para(document, line.strip(), indent=True)
    dropped = False
    for child in children:
        if not _section(document, child, path, level + 1, task_paths):
            dropped = True
    if level == 1 and (dropped or is_task):
        _para(document, "Các nhiệm vụ cụ thể tại Phụ lục kèm theo Kế hoạch này.", indent=True)
    return True


# ---------------------------------------------------------------------------------- closing


def _closing(document, meta: dict) -> None:
    """Nơi nhận (left) beside the signature block (right), in a borderless table."""
    left_mm, right_mm = 80, 85
    table = _borderless_table(document, [left_mm, right_mm])
    left, right = table.rows[0].cells
    first = [True]
    _cell_para(left, first, "Nơi nhận:", bold=True, italic=True, size=12, align="left")
    recipients = [" ".join(r.split()).lstrip("-–• ").rstrip(";.,") for r in meta.get("recipients") or []]
    recipients = [r for r in recipients if r]
    if not any(r.lower().startswith("lưu") for r in recipients):
        recipients.append("Lưu: VT")
    for i, item in enumerate(recipients):
        end = "." if i == len(recipients) - 1 else ";"
        _cell_para(left, first, f"- {item}{end}", size=11, align="left")

    signer = meta.get("signer") or {}
    first = [True]
    authority = (signer.get("authority") or "").strip()
    position = (signer.get("position") or "").strip()
    if authority:
        _cell_para(right, first, _upper(authority), bold=True, size=14)
    if position and _upper(position) not in _upper(authority):
        _cell_para(right, first, _upper(position), bold=True, size=14)
    for _ in range(4):
        _cell_para(right, first, "")
    if signer.get("name"):
        _cell_para(right, first, signer["name"], bold=True, size=14)


# --------------------------------------------------------------------------------- appendix


HEADERS = ("TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian", "Chỉ tiêu")
WIDTHS_MM = (12, 90, 40, 45, 30, 35)  # on a landscape page: 297 mm less 30 + 15 mm margins


def _appendix(document, meta: dict, tasks: list[dict]) -> None:
    from docx.enum.section import WD_SECTION
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    # The appendix is a wide table: it goes on landscape pages of its own section.
    appendix = document.add_section(WD_SECTION.NEW_PAGE)
    page_layout(appendix, landscape=True)
    _para(document, "PHỤ LỤC", bold=True, align="center", after=0)
    title = meta.get("title")
    heading = "CÁC NHIỆM VỤ CỦA KẾ HOẠCH" + (f" {title.upper()}" if title else "")
    _para(document, heading, bold=True, align="center", after=0)
    attached = "(Kèm theo Kế hoạch"
    if meta.get("number"):
        attached += f" số {meta['number']}"
    if meta.get("date"):
        try:
            d = date.fromisoformat(meta["date"])
            attached += f" ngày {d.day:02d}/{d.month:02d}/{d.year}"
        except ValueError:
            pass
    if meta.get("issuer"):
        attached += f" của {meta['issuer']}"
    _para(document, attached + ")", italic=True, align="center")

    table = document.add_table(rows=1, cols=len(HEADERS))
    table.style = "Table Grid"
    table.autofit = False
    header = table.rows[0]
    trpr = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    trpr.append(repeat)
    for cell, text in zip(header.cells, HEADERS):
        _cell_para(cell, [True], text, bold=True, size=TABLE_PT)
    for number, task in enumerate(tasks, start=1):
        cells = table.add_row().cells
        _cell_para(cells[0], [True], str(number), size=TABLE_PT)
        first = [True]
        _cell_para(cells[1], first, _clean(task.get("title")), size=TABLE_PT, align="left")
        for col, agencies in ((2, task.get("lead") or []), (3, task.get("support") or [])):
            first = [True]
            names = [_clean(a) for a in agencies if _clean(a)]
            for i, name in enumerate(names):
                _cell_para(cells[col], first, name + (";" if i < len(names) - 1 else ""), size=TABLE_PT, align="left")
        _cell_para(cells[4], [True], _timeframe_text(task.get("timeframe")), size=TABLE_PT)
        first = [True]
        for target in task.get("targets") or []:
            _cell_para(cells[5], first, _target_text(target), size=TABLE_PT, align="left")
    for i, width in enumerate(WIDTHS_MM):
        table.columns[i].width = Mm(width)
        for cell in table.columns[i].cells:
            cell.width = Mm(width)


def _clean(text) -> str:
    return " ".join(str(text or "").split())


_RECURRENCE_WORDS = {
    "continuous": "Thường xuyên", "weekly": "Hằng tuần", "monthly": "Hằng tháng",
    "quarterly": "Hằng quý", "yearly": "Hằng năm",
}


def _timeframe_text(timeframe: dict | None) -> str:
    if not timeframe:
        return ""
    if timeframe.get("text"):
        return _clean(timeframe["text"])
    start, end = timeframe.get("start"), timeframe.get("end")
    word = _RECURRENCE_WORDS.get(timeframe.get("recurrence") or "")
    if word:
        return word
    parts = []
    for iso in (start, end):
        try:
            d = date.fromisoformat(iso) if iso else None
        except ValueError:
            d = None
        if d:
            parts.append(f"{d.day:02d}/{d.month:02d}/{d.year}")
    if len(parts) == 2 and parts[0] != parts[1]:
        return f"Từ {parts[0]} đến {parts[1]}"
    return parts[-1] if parts else ""


_PER_WORDS = {"week": "tuần", "month": "tháng", "quarter": "quý", "year": "năm"}


def _target_text(target: dict) -> str:
    if target.get("text"):
        return _clean(target["text"])
    quantity = target.get("quantity")
    if isinstance(quantity, float) and quantity.is_integer():
        quantity = int(quantity)
    text = f"{quantity} {target.get('unit') or ''}".strip()
    if target.get("at_least"):
        text = f"Ít nhất {text}"
    per = _PER_WORDS.get(target.get("per") or "")
    return f"{text}/{per}" if per else text
