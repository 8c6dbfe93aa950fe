"""A report line shows its progress as the outputs measure it beside the officer's own status, and
a target counted in people shows the people and outputs that make its figure."""

from decimal import Decimal

from django.urls import reverse

from cchc.plans.models import Target
from cchc.reports import selectors, services

from .conftest import day


def _people_target(world):
    return Target.objects.create(task=world.classes, quantity=Decimal(40), unit="người", text="40 người", order=1)


def test_a_people_target_line_shows_the_people_and_outputs_of_its_task(world, q1):
    t = world.tree
    people = _people_target(world)
    # the class is recorded against "02 lớp"; its 42 people meet "40 người" too
    world.record(t.dept, day("12/02/2026"), 1, target=world.class_target, people=42, output_type="training_class")
    rows = {row["target_id"]: row for row in selectors.report_actuals(unit=t.dept, period=q1)}
    assert all(not key.startswith("_") for row in rows.values() for key in row)
    line = rows[people.pk]
    assert (line["quantity"], line["people_reached"], line["records"]) == (Decimal(42), 42, 1)
    classes = rows[world.class_target.pk]
    assert (classes["quantity"], classes["people_reached"], classes["records"]) == (Decimal(1), 42, 1)
    # stored as counted when the report is opened
    report = services.report_open(unit=t.dept, period=q1, user=t.dept_officer)
    stored = report.lines.get(target=people)
    assert (stored.people_reached, stored.records, stored.measured_progress) == (42, 1, 100)


def test_a_people_target_line_with_its_own_outputs_keeps_them(world, q1):
    t = world.tree
    people = _people_target(world)
    world.record(t.dept, day("12/02/2026"), 1, target=people, people=30, output_type="conference")
    line = next(row for row in selectors.report_actuals(unit=t.dept, period=q1) if row["target_id"] == people.pk)
    assert (line["quantity"], line["people_reached"], line["records"]) == (Decimal(30), 30, 1)


def test_the_status_column_shows_the_measured_progress_beside_the_officers_status(world, q1, client, english):
    t = world.tree
    people = _people_target(world)
    world.record(t.dept, day("12/02/2026"), 1, target=world.class_target, people=42, output_type="training_class")
    client.force_login(t.dept_officer)
    html = client.get(reverse("reports:open", args=[q1.pk, t.dept.code])).content.decode()
    table = html[html.index('id="report-lines"'):]
    table = table[:table.index("</table>")]
    rows = table.split("<tr>")[2:]
    classes_row = next(r for r in rows if world.class_target.label in r)
    people_row = next(r for r in rows if people.label in r)
    # "02 lớp", 1 class: 50 %; "40 người", 42 people: capped at 100 %; the officer's own 0 % beside it
    assert "Not started" in classes_row or "not started" in classes_row
    assert "50%</strong> by outputs" in classes_row and "officer's own 0%" in classes_row
    assert "100%</strong> by outputs" in people_row and ">42<" in people_row


def test_a_line_without_planned_figure_shows_the_officers_status_only(world, q1):
    from cchc.reports.models import ReportLine

    assert ReportLine(planned=None, quantity=Decimal(3)).measured_progress is None
    assert ReportLine(planned=Decimal(4), quantity=Decimal(1)).measured_progress == 25
    assert ReportLine(planned=Decimal(4), quantity=Decimal(9)).measured_progress == 100
