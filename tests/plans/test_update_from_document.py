"""A plan brought up to date with a new edition of its document keeps what was counted against it."""

from __future__ import annotations

import datetime as dt
import copy
from decimal import Decimal

import pytest

from cchc.outputs.models import OutputRecord, OutputType
from cchc.plans import services
from cchc.plans.models import PlanVersion

pytestmark = pytest.mark.django_db


def test_a_new_edition_changes_the_target_and_keeps_the_outputs_recorded_against_it(org_tree, issued_plan, small_doc):
    task = issued_plan.tasks.get(title__startswith="Tổ chức tập huấn")
    target = task.targets.get()
    record = OutputRecord.objects.create(
        unit=org_tree.dept, task=task, target=target, output_type=OutputType.objects.get(code="radio_report"),
        date=dt.date(2026, 4, 10), quantity=Decimal(1), title="Lớp tập huấn CCHC",
    )
    edition = copy.deepcopy(small_doc)
    edition["tasks"][0]["targets"] = [{"quantity": 12, "unit": "lớp", "per": None, "at_least": False, "text": "12 lớp"},
                                      {"quantity": 500, "unit": "người", "per": None, "at_least": False, "text": "500 người"}]
    edition["tasks"][0]["text"] = "Tổ chức tập huấn nghiệp vụ cải cách hành chính cho công chức cấp xã"
    services.plan_update_from_document(plan=issued_plan, user=org_tree.supervisor, parsed=edition, source_name="moi.txt")

    task.refresh_from_db()
    assert task.text.endswith("cấp xã") and task.version == 2
    assert [(t.text, t.quantity) for t in task.targets.all()] == [("12 lớp", 12), ("500 người", 500)]
    record.refresh_from_db()
    assert record.target_id == target.pk  # the same row, now "12 lớp": the class still counts
    # the issued edition is kept as a version, and the plan moves on
    assert PlanVersion.objects.filter(plan=issued_plan, version=1).exists()


def test_a_target_the_new_edition_drops_goes(org_tree, issued_plan, small_doc):
    edition = copy.deepcopy(small_doc)
    edition["tasks"][1]["targets"] = []
    services.plan_update_from_document(plan=issued_plan, user=org_tree.supervisor, parsed=edition)
    task = issued_plan.tasks.get(title__startswith="Viết tin, bài")
    assert not task.targets.exists()
