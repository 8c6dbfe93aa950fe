"""The consolidated report (báo cáo tổng hợp) as .docx in the administrative format and as .xlsx.

The .docx reuses the page, header and signature layout of the plan writer (Nghị định 30/2020). Its
charts are bar tables: a row per target or unit with a bar of block characters, which prints and
copies into other documents as text, with no picture to go stale.
"""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils import timezone

from cchc.core.text import nfc

BAR_WIDTH = 20


def _num(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        value = value.normalize()
        if value == value.to_integral():
            value = int(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return str(value).replace(".", ",")


def bar(percent: int | None, width: int = BAR_WIDTH) -> str:
    if percent is None:
        return ""
    filled = max(0, min(width, round(width * percent / 100)))
    return "█" * filled + "░" * (width - filled)


def filename(data: dict, ext: str) -> str:
    period = data["period"]
    return f"bao-cao-tong-hop-{period.code}-{period.year}-{data['plan'].pk}.{ext}"


def _table(document, headers: list[str], rows: list[list[str]], widths_mm: list[float]):
    from docx.shared import Mm, Pt

    from cchc.documents.writer import TABLE_PT, _cell_para

    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.autofit = False
    for i, header in enumerate(headers):
        _cell_para(table.rows[0].cells[i], [True], header, bold=True, size=TABLE_PT)
    for row in rows:
        cells = table.add_row().cells
        for i, text in enumerate(row):
            _cell_para(cells[i], [True], str(text), size=TABLE_PT if i else TABLE_PT,
                       align="left" if i in (1,) else "center")
    for i, width in enumerate(widths_mm):
        for cell in table.columns[i].cells:
            cell.width = Mm(width)
    document.add_paragraph().paragraph_format.space_after = Pt(0)
    return table


def consolidated_docx(data: dict) -> bytes:
    import docx
    from docx.shared import Mm

    from cchc.documents.writer import _base_style, _closing, _header, _para, _rule

    plan, period, numbers, completeness = data["plan"], data["period"], data["numbers"], data["completeness"]
    today = timezone.localdate()
    meta = {
        "issuer": plan.issuer or plan.owner.name, "place": plan.place, "date": today.isoformat(), "number": None,
        "symbol": f"BC-{plan.symbol.split('-')[-1]}" if plan.symbol else "BC",
        "recipients": [nfc(r) for r in (plan.recipients or []) if isinstance(r, str)][:8],
        "signer": {"authority": plan.signer_authority, "position": plan.signer_position, "name": plan.signer_name},
    }
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    _base_style(document)
    _header(document, meta)
    _para(document, "BÁO CÁO", bold=True, align="center", before=12, after=0)
    _para(document, f"Kết quả thực hiện {plan.title} {period.label.lower() if period.code == 'H1' else period.label}",
          bold=True, align="center", after=0)
    _rule(document, width_mm=40)
    reference = f"Thực hiện Kế hoạch số {plan.number}" if plan.number else f"Thực hiện {plan.title}"
    _para(document, f"{reference}; số liệu tính từ ngày {period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y}, "
                    f"tổng hợp từ báo cáo của các đơn vị và sản phẩm tuyên truyền được ghi nhận trên hệ thống, "
                    f"{plan.issuer or plan.owner.name} báo cáo kết quả như sau:", indent=True)

    _para(document, "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", bold=True)
    rows = [[str(i), f"{n['task_title'][:150]} — {n['target_text']}", _num(n["planned"]), _num(n["quantity"]),
             f"{n['percent']}%" if n["percent"] is not None else "", bar(min(n["percent"] or 0, 100) if n["percent"] is not None else None, 10)]
            for i, n in enumerate(numbers, start=1)]
    _table(document, ["TT", "Nhiệm vụ, chỉ tiêu", "Kế hoạch", "Thực hiện", "Tỷ lệ", "Tiến độ"], rows, [10, 75, 20, 20, 15, 25])

    totals = completeness["totals"]
    _para(document, "II. TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC ĐƠN VỊ", bold=True)
    _para(document, f"Số đơn vị phải báo cáo: {totals['expected']}; đã gửi: {totals['submitted']} "
                    f"(đúng hạn {totals['on_time']}, chậm {totals['late']}); chưa gửi: {totals['missing']}. "
                    f"Hạn gửi báo cáo: {period.due:%d/%m/%Y}.", indent=True)
    rows = [[str(i), g["name"], str(g["expected"]), str(g["submitted"]), str(g["on_time"]), str(g["late"]), str(g["missing"]),
             bar(g["rate"], 10)] for i, g in enumerate(completeness["rollup"], start=1)]
    _table(document, ["TT", "Đơn vị", "Phải gửi", "Đã gửi", "Đúng hạn", "Chậm", "Chưa gửi", "Tỷ lệ gửi"], rows,
           [10, 55, 15, 15, 15, 13, 15, 27])
    if completeness["late"]:
        _para(document, "Các đơn vị gửi chậm hoặc chưa gửi báo cáo:", indent=True, italic=True)
        rows = [[str(i), r["name"], "Chậm" if r["submitted"] else "Chưa gửi", str(r["days_late"])]
                for i, r in enumerate(completeness["late"], start=1)]
        _table(document, ["TT", "Đơn vị", "Tình trạng", "Số ngày chậm"], rows, [10, 100, 30, 25])

    if data["by_unit"]:
        _para(document, "III. KẾT QUẢ THEO ĐƠN VỊ", bold=True)
        rows = [[str(i), u["unit__name"], u["figures_text"], _num(u["people"] or 0), _num(u["records"] or 0)]
                for i, u in enumerate(data["by_unit"], start=1)]
        _table(document, ["TT", "Đơn vị", "Thực hiện theo đơn vị tính", "Lượt người", "Sản phẩm"], rows, [10, 70, 40, 25, 20])

    _para(document, "IV. ĐÁNH GIÁ CỦA CÁC ĐƠN VỊ", bold=True)
    if not data["narratives"]:
        _para(document, "Chưa có đơn vị gửi báo cáo.", indent=True)
    for item in data["narratives"]:
        _para(document, item["unit__name"], bold=True, italic=True, indent=True)
        for heading, key in (("Kết quả", "results"), ("Hạn chế, nguyên nhân", "limitations"), ("Đề xuất, kiến nghị", "proposals")):
            if item[key]:
                _para(document, f"{heading}: {item[key]}", indent=True)
    _closing(document, meta)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def consolidated_xlsx(data: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    period, completeness = data["period"], data["completeness"]
    book = Workbook()
    bold = Font(bold=True)

    def sheet(title, headers, rows, first=False):
        ws = book.active if first else book.create_sheet()
        ws.title = title
        ws.append([f"{data['plan'].title} — {period.label} ({period.start:%d/%m/%Y} – {period.end:%d/%m/%Y})"])
        ws.append(headers)
        for cell in ws[2]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in rows:
            ws.append(row)
        ws.freeze_panes = "A3"
        return ws

    sheet("Chỉ tiêu", ["TT", "Nhiệm vụ", "Chỉ tiêu", "Kế hoạch kỳ", "Thực hiện", "Lượt người", "Số sản phẩm", "Tỷ lệ (%)"],
          [[i, n["task_title"], n["target_text"], float(n["planned"]) if n["planned"] is not None else None,
            float(n["quantity"]), n["people_reached"], n["records"], n["percent"]]
           for i, n in enumerate(data["numbers"], start=1)], first=True)
    sheet("Tình hình báo cáo", ["Đơn vị", "Phải gửi", "Đã gửi", "Đúng hạn", "Chậm", "Chưa gửi", "Tỷ lệ gửi (%)"],
          [[g["name"], g["expected"], g["submitted"], g["on_time"], g["late"], g["missing"], g["rate"]] for g in completeness["rollup"]]
          + [["Tổng", completeness["totals"]["expected"], completeness["totals"]["submitted"], completeness["totals"]["on_time"],
              completeness["totals"]["late"], completeness["totals"]["missing"], completeness["totals"]["rate"]]])
    sheet("Chậm, chưa gửi", ["Mã", "Đơn vị", "Tình trạng", "Số ngày chậm"],
          [[r["code"], r["name"], "Chậm" if r["submitted"] else "Chưa gửi", r["days_late"]] for r in completeness["late"]])
    sheet("Theo đơn vị", ["Đơn vị", "Đơn vị tính", "Thực hiện", "Lượt người", "Sản phẩm", "Đúng hạn"],
          # one row per unit of measure; people and outputs once per unit, on its first row (a sum stays true)
          [[u["unit__name"], f["measure"], float(f["done"]), (u["people"] or 0) if k == 0 else None,
            (u["records"] or 0) if k == 0 else None, "Có" if u["on_time"] else "Không"]
           for u in data["by_unit"] for k, f in enumerate(u["figures"] or [{"measure": "", "done": 0}])])
    sheet("Thuyết minh", ["Đơn vị", "Kết quả", "Hạn chế, nguyên nhân", "Đề xuất, kiến nghị"],
          [[n["unit__name"], n["results"], n["limitations"], n["proposals"]] for n in data["narratives"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
