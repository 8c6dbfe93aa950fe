"""The migration that makes one child plan per (parent, unit) keeps the data of duplicates made before it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("plans", "0002_target_soft_languages")]
AFTER = [("plans", "0004_plan_unique_child_per_unit")]


@pytest.mark.django_db(transaction=True)
def test_duplicate_children_are_detached_not_deleted():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Unit, Plan, Task = old.get_model("org", "Unit"), old.get_model("plans", "Plan"), old.get_model("plans", "Task")
    province = Unit.objects.create(code="M08", name="Tỉnh Tuyên Quang", kind="province", path="/M08/", depth=0)
    commune = Unit.objects.create(code="M01", name="Xã Một", kind="commune", parent=province, path="/M08/M01/", depth=1)
    parent = Plan.objects.create(owner=province, title="Kế hoạch tỉnh", number="1/KH-UBND", status="issued")
    first = Plan.objects.create(owner=commune, parent=parent, title="Bản 1")
    second = Plan.objects.create(owner=commune, parent=parent, title="Bản 2")
    Task.objects.create(plan=second, title="Nhiệm vụ của bản 2", order=1)
    other = Plan.objects.create(owner=province, parent=None, title="Kế hoạch khác")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Plan, AuditEvent = new.get_model("plans", "Plan"), new.get_model("core", "AuditEvent")
    # the one with tasks keeps the link; the other keeps everything and names the parent in its references
    assert Plan.objects.get(pk=second.pk).parent_id == parent.pk
    detached = Plan.objects.get(pk=first.pk)
    assert detached.parent_id is None and detached.references[-1]["number"] == "1/KH-UBND"
    assert Plan.objects.count() == 4 and Plan.objects.get(pk=other.pk).parent_id is None
    assert AuditEvent.objects.filter(object_type="plans.plan", object_id=str(first.pk)).exists()
    # plans made before keep officers submitting
    assert set(Plan.objects.values_list("report_submitter", flat=True)) == {"officer"}

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
