"""Completeness and timeliness: expected, submitted, on time, late, missing, rolled up the tree."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cchc.plans.models import Assignment
from cchc.reports import selectors, services
from tests.factories import UnitFactory


def _at(y, m, d):
    return timezone.make_aware(dt.datetime(y, m, d, 9))


def test_counts_per_state_and_late_list(world, q1):
    t = world.tree
    a = services.report_open(unit=t.commune_a, period=q1, user=t.officer_a)
    services.report_submit(report=a, user=t.officer_a, token="a", now=_at(2026, 3, 18))  # on time
    b = services.report_open(unit=t.commune_b, period=q1, user=t.officer_b)
    services.report_submit(report=b, user=t.officer_b, token="b", now=_at(2026, 3, 23))  # 3 days late
    # the department opened a draft and never sent it
    services.report_open(unit=t.dept, period=q1, user=t.dept_officer)
    data = selectors.report_completeness([q1], root=t.province, today=dt.date(2026, 3, 25))
    assert {k: data["totals"][k] for k in ("expected", "submitted", "on_time", "late", "missing")} == {
        "expected": 3, "submitted": 2, "on_time": 1, "late": 1, "missing": 1}
    assert [(r["name"], r["submitted"], r["days_late"]) for r in data["late"]] == [
        ("Sở Nội vụ", False, 5), ("Xã Đồng Văn", True, 3)]
    groups = {g["name"]: g for g in data["rollup"]}
    assert groups["Phường Hà Giang 1"]["on_time"] == 1 and groups["Sở Nội vụ"]["missing"] == 1
    # before the due date a missing report is pending, not overdue
    early = selectors.report_completeness([q1], root=t.province, today=dt.date(2026, 3, 10))
    assert early["totals"]["overdue"] == 0 and early["totals"]["missing"] == 1


def test_merged_unit_is_expected_only_while_it_existed_and_rolls_up_to_its_successor(world):
    t = world.tree
    old = UnitFactory(code="T02510", name="Xã Thuận Hòa", kind="commune", parent=t.province,
                      valid_to=dt.date(2026, 6, 30), successor=t.commune_a)
    Assignment.objects.create(task=world.news, unit=old, role="lead", phrase=old.name)
    h1, q3 = world.periods["H1"], world.periods["Q3"]
    in_h1 = selectors.report_completeness([h1], root=t.province, today=dt.date(2026, 7, 1), with_rows=True)
    in_q3 = selectors.report_completeness([q3], root=t.province, today=dt.date(2026, 10, 1), with_rows=True)
    assert "Xã Thuận Hòa" in {r["name"] for r in in_h1["rows"]}
    assert "Xã Thuận Hòa" in {r["name"] for r in in_q3["rows"]}  # existed until 30/06, Q3 window opens 15/06
    y2027_like = dt.date(2026, 12, 31)
    moved = services.period_update(period=q3, user=t.supervisor, start=dt.date(2026, 7, 1), end=q3.end, due=q3.due)
    after = selectors.report_completeness([moved], root=t.province, today=y2027_like, with_rows=True)
    assert "Xã Thuận Hòa" not in {r["name"] for r in after["rows"]}
    # its row rolls up under the ward it merged into
    groups = {g["name"]: g for g in in_h1["rollup"]}
    assert groups["Phường Hà Giang 1"]["expected"] == 2


def test_closed_province_rolls_up_into_its_successor_at_national_level(world, q1):
    t = world.tree
    old_commune = UnitFactory(code="Told-02.X", name="Xã Cũ", kind="commune", parent=t.old_province,
                              valid_to=dt.date(2026, 1, 31), successor=t.commune_b)
    Assignment.objects.create(task=world.news, unit=old_commune, role="lead", phrase=old_commune.name)
    data = selectors.report_completeness([q1], today=dt.date(2026, 4, 1))
    groups = {g["name"]: g["expected"] for g in data["rollup"]}
    assert groups == {"Tỉnh Tuyên Quang": 4}


def test_completeness_query_count_does_not_grow_with_units(world, q1):
    t = world.tree
    with CaptureQueriesContext(connection) as few:
        selectors.report_completeness([q1], root=t.province, today=dt.date(2026, 4, 1))
    for i in range(15):
        unit = UnitFactory(code=f"T9{i:03d}", name=f"Xã Thử {i}", kind="commune", parent=t.province)
        Assignment.objects.create(task=world.news, unit=unit, role="lead", phrase=unit.name)
    with CaptureQueriesContext(connection) as many:
        data = selectors.report_completeness([q1], root=t.province, today=dt.date(2026, 4, 1))
    assert data["totals"]["expected"] == 18
    assert len(many.captured_queries) == len(few.captured_queries) <= 3


def test_the_home_pages_who_reported_is_kept_until_a_report_changes(world, q1, client, django_capture_on_commit_callbacks):
    """The supervisor's home keeps who is expected and who reported in the cache, and shows a new
    submission at once."""
    from cchc.reports import home, services

    t = world.tree
    today = q1.due + dt.timedelta(days=1)
    first = home._completeness(q1, today)
    assert first["submitted"] == 0 and first["expected"] == 3
    report = services.report_open(unit=t.commune_a, period=q1, user=t.officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(report=report, user=t.manager_a)
    again = home._completeness(q1, today)
    assert again["submitted"] == 1 and again["missing"] == 2
