"""Every workbook the platform writes is inert: text a unit typed that a spreadsheet program would run
as a formula comes back as text, exactly as typed; numbers stay numbers."""

from __future__ import annotations

import io
import re
from pathlib import Path
from types import SimpleNamespace

from django.urls import reverse
from openpyxl import load_workbook

import cchc

DANGEROUS = ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)", "\tX", "\rX"]


def cells_holding(data: bytes, texts) -> dict[str, list]:
    """Every cell of every sheet whose value is one of `texts`, by text."""
    book = load_workbook(io.BytesIO(data))
    found: dict[str, list] = {t: [] for t in texts}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value in found:
                    found[cell.value].append(cell)
    return found


def assert_inert(data: bytes, texts=DANGEROUS) -> None:
    found = cells_holding(data, texts)
    assert all(found[t] for t in texts), {t: len(c) for t, c in found.items()}
    assert {cell.data_type for cells in found.values() for cell in cells} == {"s"}


def test_every_module_that_builds_a_workbook_saves_it_inert():
    """A new export cannot forget the rule: a module that makes a Workbook saves it through workbook_bytes."""
    root = Path(cchc.__file__).parent
    builders = [p for p in root.rglob("*.py") if "Workbook()" in p.read_text(encoding="utf-8")]
    assert len(builders) >= 3
    for path in builders:
        text = path.read_text(encoding="utf-8")
        assert "workbook_bytes(" in text, path
        assert not re.search(r"\b(wb|book|workbook)\.save\(", text), path


def test_plan_export_writes_task_titles_as_text(org_tree, client):
    from cchc.plans import services
    from cchc.plans.models import Task

    plan = services.plan_create(user=org_tree.supervisor, owner=org_tree.province, title="Kế hoạch CCHC 2026")
    for _text in DANGEROUS:
        services.task_create(plan=plan, user=org_tree.supervisor, title="tạm", lead_units=[org_tree.commune_a])
    for task, text in zip(plan.tasks.order_by("order"), DANGEROUS):
        Task.objects.filter(pk=task.pk).update(title=text)  # as stored, whatever a form would have trimmed
    client.force_login(org_tree.supervisor)
    response = client.get(reverse("plans:export", args=[plan.pk, "xlsx"]))
    assert response.status_code == 200
    assert_inert(response.content)
    progress = [r[9] for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=5, values_only=True)]
    assert progress == [0] * len(DANGEROUS)  # numbers stay numbers


def test_output_template_writes_names_and_lists_as_text():
    from django.utils.translation import override

    from cchc.outputs.spreadsheet import build_template

    class Targets:
        def all(self):
            return []

    types = [SimpleNamespace(name=text, code=f"t{i}", measure="-2") for i, text in enumerate(DANGEROUS)]
    tasks = [SimpleNamespace(pk=1, title="Tin bài", targets=Targets())]
    with override("vi"):
        data = build_template(unit=SimpleNamespace(name="Xã Đồng Văn"), tasks=tasks, types=types)
    assert_inert(data, DANGEROUS + ["-2"])
