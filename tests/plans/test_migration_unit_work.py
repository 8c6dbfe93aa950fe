"""The migration that gives notes and evidence files a unit places what was written before it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("plans", "0005_target_quantity_tolerant")]
AFTER = [("plans", "0006_task_notes_and_evidence_unit")]


@pytest.mark.django_db(transaction=True)
def test_existing_notes_and_evidence_go_to_the_uploaders_unit_the_one_lead_or_the_owner():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Unit, Plan, Task = old.get_model("org", "Unit"), old.get_model("plans", "Plan"), old.get_model("plans", "Task")
    Assignment, Evidence = old.get_model("plans", "Assignment"), old.get_model("plans", "TaskEvidence")
    User, Membership = old.get_model("accounts", "User"), old.get_model("org", "Membership")
    province = Unit.objects.create(code="M08", name="Tỉnh Tuyên Quang", kind="province", path="/M08/", depth=0)
    a = Unit.objects.create(code="M01", name="Xã Một", kind="commune", parent=province, path="/M08/M01/", depth=1)
    b = Unit.objects.create(code="M02", name="Xã Hai", kind="commune", parent=province, path="/M08/M02/", depth=1)
    officer_b = User.objects.create(username="xa2")
    Membership.objects.create(user=officer_b, unit=b, role="officer")
    plan = Plan.objects.create(owner=province, title="Kế hoạch tỉnh", status="issued")
    shared = Task.objects.create(plan=plan, title="Nhiệm vụ chung", order=1, notes="Ghi chú cũ")
    single = Task.objects.create(plan=plan, title="Nhiệm vụ của xã Một", order=2, notes="Đã làm")
    for unit in (a, b):
        Assignment.objects.create(task=shared, unit=unit, role="lead")
    Assignment.objects.create(task=single, unit=a, role="lead")
    by_b = Evidence.objects.create(task=shared, file="plans/evidence/b.pdf", original_name="b.pdf", uploaded_by=officer_b)
    unknown = Evidence.objects.create(task=shared, file="plans/evidence/x.pdf", original_name="x.pdf")
    one_lead = Evidence.objects.create(task=single, file="plans/evidence/a.pdf", original_name="a.pdf")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Evidence, Note = new.get_model("plans", "TaskEvidence"), new.get_model("plans", "TaskNote")
    assert Evidence.objects.get(pk=by_b.pk).unit_id == b.pk
    assert Evidence.objects.get(pk=unknown.pk).unit_id == province.pk  # many leads: the plan's owner
    assert Evidence.objects.get(pk=one_lead.pk).unit_id == a.pk
    assert set(Note.objects.values_list("task_id", "unit_id", "text")) == {
        (shared.pk, province.pk, "Ghi chú cũ"), (single.pk, a.pk, "Đã làm")}

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
