"""Reported defects: untargeted tasks counted, completeness of imported plans, group targets, status labels."""

from decimal import Decimal

from cchc.outputs.models import OutputRecord, OutputType
from cchc.plans.models import Assignment, Task
from cchc.reports import services

from .conftest import day


def _untargeted_task(world, unit):
    task = Task.objects.create(plan=world.plan, title="Tổ chức hội nghị đối thoại về CCHC", order=99)
    Assignment.objects.create(task=task, unit=unit, role=Assignment.Role.LEAD)
    return task


def _record(unit, date, quantity, *, task=None, people=None, output_type="portal_article"):
    return OutputRecord.objects.create(
        unit=unit, task=task, target=None, output_type=OutputType.objects.get(code=output_type),
        date=date, quantity=Decimal(quantity), people_reached=people, title="Hội nghị đối thoại",
    )


def test_a_task_without_target_counts_its_outputs_in_the_window(world, q1, client):
    t = world.tree
    task = _untargeted_task(world, t.commune_a)
    _record(t.commune_a, day("10/01/2026"), 2, task=task, people=40)
    _record(t.commune_a_sub, day("01/03/2026"), 1, task=task, people=10)
    _record(t.commune_a, day("20/03/2026"), 9, task=task)  # after the Q1 window
    _record(t.commune_a, day("11/02/2026"), 5)  # no task: only in the by-type summary
    report = services.report_open(unit=t.commune_a, period=q1, user=t.officer_a)
    line = report.lines.get(task=task)
    assert line.target_id is None
    assert (line.quantity, line.people_reached, line.records) == (Decimal(3), 50, 2)
    client.force_login(t.officer_a)
    html = client.get(f"/bao-cao/{report.pk}/").content.decode()
    assert 'id="report-output-types"' in html
    summary = html.split('id="report-output-types"')[1].split("</table>")[0]
    assert ">8" in summary and ">3<" in summary  # 3 + 5 quantity over 3 records in the window


def _totals(data):
    return {k: data["totals"][k] for k in ("expected", "submitted", "missing")}


def test_a_unit_that_reported_is_expected_even_if_it_did_not_exist_in_the_window(world, q1):
    import datetime as dt

    from cchc.org.models import Unit
    from cchc.reports import selectors

    t = world.tree
    Unit.objects.filter(pk=t.commune_b.pk).update(valid_from=dt.date(2026, 4, 1))  # after the Q1 window
    before = selectors.report_completeness([q1], root=t.province, today=dt.date(2026, 3, 25), with_rows=True)
    assert "Xã Đồng Văn" not in {r["name"] for r in before["rows"]}
    report = services.report_open(unit=t.commune_b, period=q1, user=t.officer_b)
    services.report_submit(report=report, user=t.officer_b, token="b", now=_at(2026, 3, 12))
    data = selectors.report_completeness([q1], root=t.province, today=dt.date(2026, 3, 25), with_rows=True)
    assert _totals(data) == {"expected": 3, "submitted": 1, "missing": 2}
    assert "Xã Đồng Văn" in {r["name"] for r in data["rows"]}
    rows = selectors.completeness_rows([q1], root=t.province, today=dt.date(2026, 3, 25))
    assert [r["submitted"] for r in rows if r["unit_id"] == t.commune_b.pk] == [True]


def test_an_old_plan_imported_onto_todays_units_expects_the_units_of_today(world, q1):
    import datetime as dt

    from cchc.org.models import Unit
    from cchc.reports import selectors
    from cchc.reports.models import ReportingPeriod

    t = world.tree
    Unit.objects.filter(pk__in=[t.commune_a.pk, t.commune_b.pk, t.dept.pk]).update(valid_from=dt.date(2025, 7, 1))
    ReportingPeriod.objects.filter(pk=q1.pk).update(
        year=2023, start=dt.date(2022, 12, 15), end=dt.date(2023, 3, 14), due=dt.date(2023, 3, 15))
    q1.refresh_from_db()
    data = selectors.report_completeness([q1], root=t.province, today=dt.date(2026, 3, 25), with_rows=True)
    assert _totals(data) == {"expected": 3, "submitted": 0, "missing": 3}
    rows = selectors.completeness_rows([q1], root=t.province, today=dt.date(2026, 3, 25))
    assert {r["unit_id"] for r in rows} == {t.commune_a.pk, t.commune_b.pk, t.dept.pk}


def _at(y, m, d):
    import datetime as dt

    from django.utils import timezone

    return timezone.make_aware(dt.datetime(y, m, d, 9))


def test_consolidated_planned_is_the_per_unit_target_times_the_lead_units(world, q1):
    from cchc.reports import selectors
    from tests.factories import UnitFactory

    t = world.tree
    for i in range(4):  # a group target: "UBND các xã" resolved to more communes
        unit = UnitFactory(code=f"TX{i}", name=f"Xã Thử {i}", kind="commune", parent=t.province)
        Assignment.objects.create(task=world.news, unit=unit, role="lead", phrase="UBND các xã", is_group=True)
    Assignment.objects.create(task=world.classes, unit=t.commune_a, role="support", phrase=t.commune_a.name)
    untargeted = Task.objects.create(plan=world.plan, title="Việc không có đơn vị chủ trì", order=98)
    untargeted.targets.create(quantity=5, unit="buổi", text="05 buổi", order=1)
    numbers = {n["target_id"]: n for n in selectors.consolidated_numbers(plan=world.plan, period=q1)}
    assert numbers[world.news_target.pk]["planned"] == Decimal(21)  # 3 a quarter × 7 lead units
    assert numbers[world.class_target.pk]["planned"] == Decimal(2)  # a coordinating unit does not count
    assert numbers[untargeted.targets.get().pk]["planned"] == Decimal(5)  # no lead unit: as written
    # one unit's own report line still asks the target of that unit alone
    report = services.report_open(unit=t.commune_a, period=q1, user=t.officer_a)
    assert report.lines.get(target=world.news_target).planned == Decimal(3)


def test_a_report_line_shows_the_task_status_label_not_its_code(world, q1, client):
    from django.utils import translation

    t = world.tree
    report = services.report_open(unit=t.commune_a, period=q1, user=t.officer_a)
    line = report.lines.get(target=world.news_target)
    assert line.task_status == "not_started"
    with translation.override("en"):
        assert line.task_status_label == "not started"
    client.force_login(t.officer_a)
    html = client.get(f"/bao-cao/{report.pk}/").content.decode()
    table = html.split('id="report-lines"')[1].split("</table>")[0]
    assert "not_started" not in table
    with translation.override("vi"):
        assert str(Task.Status.NOT_STARTED.label) in table
