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
