"""The results of a survey as an .xlsx workbook (inert: saved through `cchc.core.spreadsheets`)."""

from __future__ import annotations

from django.utils import timezone

from cchc.core.spreadsheets import workbook_bytes
from cchc.core.text import fold


def _num(value):
    return float(value) if value is not None else None


def results_xlsx(survey, r: dict, filters: dict) -> tuple[str, bytes]:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Chỉ số hài lòng"
    bold = Font(bold=True)
    ws.append([survey.title])
    ws["A1"].font = bold
    ws.append(["Đơn vị", survey.unit.name])
    period = " – ".join(d.strftime("%d/%m/%Y") for d in (filters.get("start"), filters.get("end")) if d) or "toàn bộ"
    ws.append(["Thời gian", period])
    ws.append(["Số phiếu", r["count"]])
    ws.append(["Công thức", "Tỷ lệ hài lòng của một yếu tố = số câu trả lời mức 4 (hài lòng) hoặc 5 (rất hài lòng) / "
               "tổng số câu trả lời trên thang đo của yếu tố × 100; Chỉ số = trung bình cộng tỷ lệ của 5 yếu tố"])
    ws.append([])
    ws.append(["Yếu tố", "Hài lòng, rất hài lòng", "Tổng số câu trả lời", "Tỷ lệ (%)"])
    for cell in ws[ws.max_row]:
        cell.font = bold
    for a in r["areas"]:
        ws.append([str(a["label"]), a["satisfied"], a["total"], _num(a["share"])])
    ws.append(["Chỉ số hài lòng (SIPAS)", None, None, _num(r["index"])])
    ws.append(["Hài lòng chung", None, None, _num(r["overall"])])

    for title, rows in (("Theo thủ tục", r["by_procedure"]), ("Theo đơn vị", r["by_unit"]), ("Theo tháng", r["by_month"])):
        sheet = wb.create_sheet(title)
        sheet.append(["Tên", "Số phiếu", "Chỉ số (%)", "Hài lòng chung (%)"] + [str(a["label"]) + " (%)" for a in r["areas"]])
        for cell in sheet[1]:
            cell.font = bold
        for row in rows:
            sheet.append([row["name"] or "(không nêu)", row["count"], _num(row["index"]), _num(row["overall"])]
                         + [_num(a["share"]) for a in row["areas"]])

    sheet = wb.create_sheet("Từng câu hỏi")
    sheet.append(["Phần", "Câu hỏi", "Câu trả lời", "Số lượt", "Tỷ lệ (%)"])
    for cell in sheet[1]:
        cell.font = bold
    for q in r["questions"]:
        question = q["question"]
        if not q["options"]:
            sheet.append([question.section.title, question.text, "(trả lời tự do)", q["answered"], None])
        for o in q["options"]:
            sheet.append([question.section.title, question.text, o["value"], o["n"], _num(o["share"])])
    for sheet in wb.worksheets:
        sheet.column_dimensions["A"].width = 45
        sheet.column_dimensions["B"].width = 50
    slug = "-".join(fold(survey.title).split())[:50] or "khao-sat"
    return f"{slug}-{timezone.localdate():%Y%m%d}.xlsx", workbook_bytes(wb)
