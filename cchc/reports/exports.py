"""The consolidated report (báo cáo tổng hợp) as .docx in the administrative format and as .xlsx.

The .docx reuses the page, header and signature layout of the plan writer (Nghị định 30/2020). Its
header is the consolidating unit as it is today (a unit merged since the plan was issued reports under
its successor's name), and its number, place, date, recipients and signer are what the person who
downloads it wrote in the small form before the download (`consolidated_defaults` fills the form
from the unit). Every section is present; a unit that has not reported reads "chưa có số liệu".
Progress is written as numbers and drawn as real charts: a PNG picture in the .docx (matplotlib,
drawn off-screen), a native chart in the .xlsx that Excel and LibreOffice redraw from the cells.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

from django.utils import timezone

from cchc.core.spreadsheets import workbook_bytes
from cchc.core.text import fold, nfc
from cchc.plans.services import committee_name

NO_DATA = "Chưa có số liệu"
# a picture lists this many rows at most; the table beside it has them all
CHART_ROWS = 30
_KIND_WORD = re.compile(r"^(?:tỉnh|thành phố|xã|phường|thị trấn|đặc khu|huyện|quận|thị xã)\s+", re.IGNORECASE)


def plan_name(plan) -> str:
    """The plan named as a report cites it: "Kế hoạch tuyên truyền …" also when its title, as the
    document printed it under "KẾ HOẠCH", is only the subject ("Tuyên truyền cải cách hành chính năm 2023")."""
    title = " ".join((plan.title or "").split())
    if not title or fold(title).startswith("ke hoach"):
        return title
    first, _sep, rest = title.partition(" ")
    if not (first.isupper() and len(first) > 1):  # an acronym ("CCHC …") keeps its capitals
        first = first[:1].lower() + first[1:]
    return f"Kế hoạch {first} {rest}".strip()


def plan_reference(plan) -> str:
    """What the report says it carries out: the plan by its number and date, or the decision that
    issued it when the number is a decision's ("233/QĐ-UBND"), or the plan by name when it has no number."""
    if not plan.number:
        return f"Thực hiện {plan_name(plan)}"
    on = f" ngày {plan.date:%d/%m/%Y}" if plan.date else ""
    if "/QĐ" in plan.number.upper():
        return f"Thực hiện {plan_name(plan)} ban hành kèm theo Quyết định số {plan.number}{on}"
    return f"Thực hiện Kế hoạch số {plan.number}{on}"


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


# ---------------------------------------------------------------- who signs: the unit as it is today

def _territory(unit):
    """The unit itself when it is a province or a commune (a People's Committee signs), else the
    nearest such unit above it (a department's superior)."""
    if unit.kind in unit.TERRITORIAL_KINDS:
        return unit
    return unit.ancestors().filter(kind__in=sorted(unit.TERRITORIAL_KINDS)).last()


def consolidated_defaults(plan, *, today: dt.date | None = None) -> dict:
    """What the form before the download starts with: the consolidating unit as it is today (its
    successor when it merged), its place, today's date, the recipient of the plan's reports and the
    archive; the signer is left for the person who downloads to write (it is never copied from the
    source decision)."""
    unit = plan.owner.final_successor()
    territory = _territory(unit)
    if unit.kind in unit.TERRITORIAL_KINDS:
        issuer, superior = committee_name(unit), ""
    else:
        issuer, superior = unit.name, (committee_name(territory) if territory else "")
    place_unit = territory.province() if territory is not None and territory.province() else territory
    place = _KIND_WORD.sub("", (place_unit.short_name or place_unit.name) if place_unit else "").strip()
    recipient = str((plan.reporting or {}).get("recipient") or "").strip()
    return {
        "issuer": issuer, "issuer_superior": superior, "place": place, "date": today or timezone.localdate(),
        "number": "", "recipients": "\n".join([r for r in (recipient, "Lưu: VT") if r]),
        "signer_authority": "", "signer_position": "", "signer_name": "",
    }


def _meta(plan, values: dict | None) -> dict:
    values = {**consolidated_defaults(plan), **{k: v for k, v in (values or {}).items() if v not in (None, "")}}
    recipients = [nfc(r).strip(" -;") for r in str(values.get("recipients") or "").splitlines() if r.strip(" -;")]
    date = values.get("date")
    number = nfc(values.get("number") or "").strip()
    return {
        "issuer": nfc(values["issuer"]), "issuer_superior": nfc(values.get("issuer_superior") or "") or None,
        "place": nfc(values.get("place") or ""), "date": date.isoformat() if date else None, "year": (date.year if date else None),
        "number": number or None, "symbol": "BC-UBND" if values["issuer"].startswith("Ủy ban") else "BC",
        "recipients": recipients[:20],
        "signer": {"authority": nfc(values.get("signer_authority") or ""), "position": nfc(values.get("signer_position") or ""),
                   "name": nfc(values.get("signer_name") or "")},
    }


# ---------------------------------------------------------------- charts (pictures for the .docx)

def _figure(rows: int):
    import matplotlib

    matplotlib.use("Agg")  # off-screen: no display on a server
    from matplotlib import pyplot as plt

    plt.rcParams["font.family"] = "DejaVu Sans"  # shipped with matplotlib, has every Vietnamese letter
    fig, ax = plt.subplots(figsize=(7.5, 1.2 + 0.32 * max(rows, 1)), dpi=150)
    return plt, fig, ax


def _png(plt, fig) -> bytes:
    out = io.BytesIO()
    fig.tight_layout()
    fig.savefig(out, format="png")
    plt.close(fig)
    return out.getvalue()


def _short(text: str, limit: int = 48) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def progress_chart(numbers: list[dict]) -> bytes | None:
    """Done against planned, in percent, one bar per target (capped at the frame, the number says
    the rest); None when no target has a planned figure."""
    rows = [n for n in numbers if n["percent"] is not None][:CHART_ROWS]
    if not rows:
        return None
    plt, fig, ax = _figure(len(rows))
    labels = [_short(f"{i}. {n['target_text'] or n['task_title']}") for i, n in enumerate(rows, start=1)]
    values = [n["percent"] for n in rows]
    y = list(range(len(rows)))[::-1]
    ax.barh(y, [min(v, 100) for v in values], color=["#2e7d32" if v >= 100 else "#1565c0" for v in values])
    ax.barh(y, [100] * len(rows), color="none", edgecolor="#9e9e9e", linewidth=0.6)
    for yi, v in zip(y, values):
        ax.text(min(v, 100) + 1, yi, f"{v}%", va="center", fontsize=7)
    ax.set_yticks(y, labels, fontsize=7)
    ax.set_xlim(0, 115)
    ax.set_xlabel("Tỷ lệ thực hiện so với kế hoạch trong kỳ (%)", fontsize=8)
    ax.tick_params(axis="x", labelsize=7)
    return _png(plt, fig)


def completeness_chart(rollup: list[dict]) -> bytes | None:
    """Reports on time, late and missing, stacked per group of units."""
    rows = [g for g in rollup if g["expected"]][:CHART_ROWS]
    if not rows:
        return None
    plt, fig, ax = _figure(len(rows))
    y = list(range(len(rows)))[::-1]
    on_time = [g["on_time"] for g in rows]
    late = [g["late"] for g in rows]
    missing = [g["missing"] for g in rows]
    ax.barh(y, on_time, color="#2e7d32", label="Đúng hạn")
    ax.barh(y, late, left=on_time, color="#f9a825", label="Chậm")
    ax.barh(y, missing, left=[a + b for a, b in zip(on_time, late)], color="#c62828", label="Chưa gửi")
    ax.set_yticks(y, [_short(g["name"], 40) for g in rows], fontsize=7)
    ax.set_xlabel("Số đơn vị", fontsize=8)
    ax.tick_params(axis="x", labelsize=7)
    ax.legend(fontsize=7, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, frameon=False)
    return _png(plt, fig)


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


def _picture(document, png: bytes | None, caption: str) -> None:
    from docx.shared import Mm

    from cchc.documents.writer import _para

    if not png:
        return
    document.add_picture(io.BytesIO(png), width=Mm(160))
    document.paragraphs[-1].alignment = 1  # centred
    _para(document, caption, italic=True, align="center", size=12)


def consolidated_docx(data: dict, meta: dict | None = None) -> bytes:
    """`meta` is what the form before the download gave (number, place, date, recipients, signer);
    what it leaves blank comes from `consolidated_defaults`."""
    from cchc.documents.writer import _closing, _header, _para, _rule, new_document

    plan, period, numbers, completeness = data["plan"], data["period"], data["numbers"], data["completeness"]
    meta = _meta(plan, meta)
    issuer = meta["issuer"]
    document = new_document()
    _header(document, meta)
    _para(document, "BÁO CÁO", bold=True, align="center", before=12, after=0)
    _para(document, f"Kết quả thực hiện {plan_name(plan)} {period.label.lower() if period.code == 'H1' else period.label}",
          bold=True, align="center", after=0)
    _rule(document, width_mm=40)
    _para(document, f"{plan_reference(plan)}; số liệu tính từ ngày {period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y}, "
                    f"tổng hợp từ báo cáo của các đơn vị và sản phẩm tuyên truyền được ghi nhận trên hệ thống, "
                    f"{issuer} báo cáo kết quả như sau:", indent=True)

    _para(document, "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", bold=True)
    if numbers:
        rows = [[str(i), f"{n['task_title'][:150]} — {n['target_text']}", _num(n["planned"]), _num(n["quantity"]),
                 f"{n['percent']}%" if n["percent"] is not None else ""]
                for i, n in enumerate(numbers, start=1)]
        _table(document, ["TT", "Nhiệm vụ, chỉ tiêu", "Kế hoạch", "Thực hiện", "Tỷ lệ"], rows, [10, 95, 22, 22, 16])
        _picture(document, progress_chart(numbers), "Biểu đồ 1. Tỷ lệ thực hiện các chỉ tiêu trong kỳ")
    else:
        _para(document, f"{NO_DATA}: kế hoạch chưa có chỉ tiêu đo đếm được trong kỳ.", indent=True)

    totals = completeness["totals"]
    _para(document, "II. TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC ĐƠN VỊ", bold=True)
    _para(document, f"Số đơn vị phải báo cáo: {totals['expected']}; đã gửi: {totals['submitted']} "
                    f"(đúng hạn {totals['on_time']}, chậm {totals['late']}); chưa gửi: {totals['missing']}. "
                    f"Hạn gửi báo cáo: {period.due:%d/%m/%Y}.", indent=True)
    if completeness["rollup"]:
        rows = [[str(i), g["name"], str(g["expected"]), str(g["submitted"]), str(g["on_time"]), str(g["late"]),
                 str(g["missing"]), f"{g['rate']}%" if g["rate"] is not None else ""]
                for i, g in enumerate(completeness["rollup"], start=1)]
        _table(document, ["TT", "Đơn vị", "Phải gửi", "Đã gửi", "Đúng hạn", "Chậm", "Chưa gửi", "Tỷ lệ gửi"], rows,
               [10, 55, 15, 15, 15, 13, 15, 27])
        _picture(document, completeness_chart(completeness["rollup"]), "Biểu đồ 2. Tình hình gửi báo cáo của các đơn vị")
    if completeness["late"]:
        _para(document, "Các đơn vị gửi chậm hoặc chưa gửi báo cáo:", indent=True, italic=True)
        rows = [[str(i), r["name"], "Chậm" if r["submitted"] else "Chưa gửi", str(r["days_late"])]
                for i, r in enumerate(completeness["late"], start=1)]
        _table(document, ["TT", "Đơn vị", "Tình trạng", "Số ngày chậm"], rows, [10, 100, 30, 25])

    stats = data.get("stats") or []
    _para(document, "III. SỐ LIỆU ĐO ĐẾM TRÊN HỆ THỐNG", bold=True)
    if stats:
        _table(document, ["TT", "Nội dung", "Số liệu"],
               [[str(i), str(row["label"]), str(row["value"])] for i, row in enumerate(stats, start=1)], [10, 110, 45])
    else:
        _para(document, f"{NO_DATA}.", indent=True)
    _para(document, "IV. KẾT QUẢ THEO ĐƠN VỊ", bold=True)
    missing = [r for r in completeness["late"] if not r["submitted"]]
    rows = [[u["unit__name"], u["figures_text"] or NO_DATA, _num(u["people"] or 0), _num(u["records"] or 0)]
            for u in data["by_unit"]]
    rows += [[r["name"], NO_DATA, "", ""] for r in missing]
    if rows:
        _table(document, ["TT", "Đơn vị", "Thực hiện theo đơn vị tính", "Lượt người", "Sản phẩm"],
               [[str(i), *row] for i, row in enumerate(rows, start=1)], [10, 70, 40, 25, 20])
    else:
        _para(document, f"{NO_DATA}.", indent=True)

    _para(document, "V. ĐÁNH GIÁ CỦA CÁC ĐƠN VỊ", bold=True)
    if not data["narratives"]:
        _para(document, f"{NO_DATA}: chưa có đơn vị gửi báo cáo.", indent=True)
    for item in data["narratives"]:
        _para(document, item["unit__name"], bold=True, italic=True, indent=True)
        written = False
        for heading, key in (("Kết quả", "results"), ("Hạn chế, nguyên nhân", "limitations"), ("Đề xuất, kiến nghị", "proposals")):
            if item[key]:
                _para(document, f"{heading}: {item[key]}", indent=True)
                written = True
        if not written:
            _para(document, "Đơn vị không có nội dung đánh giá.", indent=True, italic=True)
    _closing(document, meta)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def consolidated_xlsx(data: dict, meta: dict | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment, Font

    period, completeness = data["period"], data["completeness"]
    meta = _meta(data["plan"], meta)
    book = Workbook()
    bold = Font(bold=True)

    def sheet(title, headers, rows, first=False):
        ws = book.active if first else book.create_sheet()
        ws.title = title
        ws.append([f"{meta['issuer']} — {data['plan'].title} — {period.label} "
                   f"({period.start:%d/%m/%Y} – {period.end:%d/%m/%Y})"])
        ws.append(headers)
        for cell in ws[2]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in rows:
            ws.append(row)
        ws.freeze_panes = "A3"
        return ws

    numbers = data["numbers"]
    targets = sheet("Chỉ tiêu", ["TT", "Nhiệm vụ", "Chỉ tiêu", "Kế hoạch kỳ", "Thực hiện", "Lượt người", "Số sản phẩm", "Tỷ lệ (%)"],
                    [[i, n["task_title"], n["target_text"], float(n["planned"]) if n["planned"] is not None else None,
                      float(n["quantity"]), n["people_reached"], n["records"], n["percent"]]
                     for i, n in enumerate(numbers, start=1)] or [[None, NO_DATA]], first=True)
    if numbers:
        chart = BarChart()
        chart.type, chart.style = "bar", 10
        chart.title = "Tỷ lệ thực hiện các chỉ tiêu (%)"
        chart.y_axis.title, chart.x_axis.title = "%", "Chỉ tiêu"
        last = 2 + len(numbers)
        chart.add_data(Reference(targets, min_col=8, min_row=2, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(targets, min_col=1, min_row=3, max_row=last))
        chart.height, chart.width = max(7.5, 0.6 * len(numbers)), 18
        targets.add_chart(chart, "J3")
    rollup = completeness["rollup"]
    status = sheet("Tình hình báo cáo", ["Đơn vị", "Phải gửi", "Đã gửi", "Đúng hạn", "Chậm", "Chưa gửi", "Tỷ lệ gửi (%)"],
                   [[g["name"], g["expected"], g["submitted"], g["on_time"], g["late"], g["missing"], g["rate"]] for g in rollup]
                   + [["Tổng", completeness["totals"]["expected"], completeness["totals"]["submitted"], completeness["totals"]["on_time"],
                       completeness["totals"]["late"], completeness["totals"]["missing"], completeness["totals"]["rate"]]])
    if rollup:
        chart = BarChart()
        chart.type, chart.grouping, chart.overlap, chart.style = "bar", "stacked", 100, 10
        chart.title = "Tình hình gửi báo cáo"
        last = 2 + len(rollup)
        chart.add_data(Reference(status, min_col=4, max_col=6, min_row=2, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(status, min_col=1, min_row=3, max_row=last))
        chart.height, chart.width = max(7.5, 0.6 * len(rollup)), 18
        status.add_chart(chart, "I3")
    sheet("Chậm, chưa gửi", ["Mã", "Đơn vị", "Tình trạng", "Số ngày chậm"],
          [[r["code"], r["name"], "Chậm" if r["submitted"] else "Chưa gửi", r["days_late"]] for r in completeness["late"]])
    missing = [r for r in completeness["late"] if not r["submitted"]]
    sheet("Theo đơn vị", ["Đơn vị", "Đơn vị tính", "Thực hiện", "Lượt người", "Sản phẩm", "Đúng hạn"],
          # one row per unit of measure; people and outputs once per unit, on its first row (a sum stays true)
          [[u["unit__name"], f["measure"], float(f["done"]), (u["people"] or 0) if k == 0 else None,
            (u["records"] or 0) if k == 0 else None, "Có" if u["on_time"] else "Không"]
           for u in data["by_unit"] for k, f in enumerate(u["figures"] or [{"measure": "", "done": 0}])]
          + [[r["name"], NO_DATA, None, None, None, None] for r in missing])
    sheet("Số liệu hệ thống", ["Nội dung", "Số liệu"],
          [[str(r["label"]), r["value"] if isinstance(r["value"], (int, float)) else str(r["value"])]
           for r in data.get("stats") or []] or [[NO_DATA]])
    sheet("Thuyết minh", ["Đơn vị", "Kết quả", "Hạn chế, nguyên nhân", "Đề xuất, kiến nghị"],
          [[n["unit__name"], n["results"], n["limitations"], n["proposals"]] for n in data["narratives"]]
          or [[NO_DATA]])
    return workbook_bytes(book)  # a narrative typed as "=HYPERLINK(…)" stays text
