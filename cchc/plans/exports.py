"""A plan as a .docx in the administrative format and as an .xlsx task table."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from cchc.core.spreadsheets import workbook_bytes
from cchc.core.text import fold

from cchc.org.models import Unit

from .models import Assignment, Plan
from .selectors import plan_tasks, plan_to_document

# Units led by a collective body sign "TM." (on behalf of) it, under its chair (Nghị định 30/2020/NĐ-CP).
_COMMITTEE_KINDS = {
    Unit.Kind.PROVINCE, Unit.Kind.MUNICIPALITY, Unit.Kind.DISTRICT, Unit.Kind.URBAN_DISTRICT,
    Unit.Kind.PROVINCIAL_CITY, Unit.Kind.TOWN, Unit.Kind.COMMUNE, Unit.Kind.WARD, Unit.Kind.TOWNSHIP,
    Unit.Kind.SPECIAL_ZONE, Unit.Kind.PEOPLES_COMMITTEE,
}


def signature_block(unit: Unit) -> dict:
    """An unsigned signature block for a plan that names no signer (a unit's own plan drafted in the
    platform): the position of the head of `unit`, the name left blank to be signed by hand."""
    if unit.kind in _COMMITTEE_KINDS:
        return {"authority": "TM. Ủy ban nhân dân", "position": "Chủ tịch", "name": None}
    if unit.kind == Unit.Kind.PEOPLES_COUNCIL:
        return {"authority": "TM. Hội đồng nhân dân", "position": "Chủ tịch", "name": None}
    if unit.kind == Unit.Kind.DEPARTMENT:
        return {"authority": None, "position": "Giám đốc", "name": None}
    return {"authority": None, "position": "Thủ trưởng đơn vị", "name": None}


def _filename(plan: Plan, ext: str) -> str:
    base = fold(plan.number or plan.title)[:60]
    base = re.sub(r"[^a-z0-9]+", "-", base).strip("-") or "ke-hoach"
    return f"{base}.{ext}"


def export_docx(plan: Plan) -> tuple[str, str, bytes]:
    from cchc.documents.writer import write_plan_docx

    document = plan_to_document(plan)
    meta = document["document"]
    if not any((meta.get("signer") or {}).values()):
        meta["signer"] = signature_block(plan.owner)
    if not meta.get("recipients"):
        meta["recipients"] = ["Lưu: VT"]
    data = write_plan_docx(document)
    return _filename(plan, "docx"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", data


def _d(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def export_xlsx(plan: Plan) -> tuple[str, str, bytes]:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = _("Tasks")[:31]
    ws.append([plan.issuer or plan.owner.name])
    ws.append([f"{plan.number} — {plan.title}".strip(" —")])
    ws.append([])
    headers = [_("No."), _("Task"), _("Lead units"), _("Coordinating units"), _("Timeframe"), _("From"), _("To"),
               _("Targets"), _("Status"), _("Progress (%)")]
    ws.append(headers)
    for cell in ws[4]:
        cell.font = Font(bold=True)
    for task in plan_tasks(plan):
        assignments = list(task.assignments.all())

        def names(role):
            seen = []
            for a in assignments:
                if a.role == role:
                    name = a.unit.name if a.unit_id else a.phrase
                    if name not in seen:
                        seen.append(name)
            return "; ".join(seen)

        ws.append([
            task.order, task.title, names(Assignment.Role.LEAD), names(Assignment.Role.SUPPORT),
            task.timeframe_text, _d(task.start), _d(task.end),
            "; ".join(t.text or str(t) for t in task.targets.all()), task.get_status_display(), task.progress,
        ])
    widths = [6, 60, 35, 35, 20, 12, 12, 30, 14, 10]
    for i, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    for row in ws.iter_rows(min_row=5):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A5"
    # a task typed as "=HYPERLINK(…)" stays text
    return _filename(plan, "xlsx"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", workbook_bytes(wb)
