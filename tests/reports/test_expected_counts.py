"""Planned against done in the unit report and the consolidated report: a rate is expected over the
months of the data window in which its task runs ("hằng tuần" 13 a quarter, 52 a year), a recurring
task without a target once per period, and a target in languages counts only outputs in them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cchc.outputs.models import OutputRecord, OutputType
from cchc.plans import services as plan_services
from cchc.reports import selectors, services
from tests.seed004 import appendix_document

from .conftest import day

pytestmark = pytest.mark.usefixtures("english")  # the lines' words are asserted in English


def _record(unit, date, *, target=None, task=None, language="vi", quantity=1, output_type="radio_report"):
    return OutputRecord.objects.create(
        unit=unit, task=task or target.task, target=target, output_type=OutputType.objects.get(code=output_type),
        date=date, quantity=Decimal(quantity), language=language, title="Phóng sự CCHC",
    )


@pytest.fixture
def weekly(world):
    """A 2026 task of commune A: "Phát thanh trên loa truyền thanh hằng tuần" (soft: once a week)."""
    plan = world.plan
    plan.status, plan.issued_at = "draft", None  # add a task to the issued plan of the world
    plan.save(update_fields=["status", "issued_at"])
    task = plan_services.task_create(
        plan=plan, user=world.tree.supervisor, title="Phát thanh về CCHC trên loa truyền thanh cơ sở",
        timeframe_text="Thường xuyên", lead_units=[world.tree.commune_a],
        targets=[{"quantity": 1, "unit": "lần", "per": "week", "at_least": True, "text": "hằng tuần", "soft": True}],
    )
    plan_services.plan_issue(plan=plan, user=world.tree.supervisor)
    return task


def test_a_weekly_target_is_13_a_quarter_and_52_a_year(world, weekly):
    t = world.tree
    for date in ("05/01/2026", "12/01/2026", "02/02/2026", "20/03/2026"):  # the last is after the Q1 window
        _record(t.commune_a, day(date), target=weekly.targets.get(), output_type="loudspeaker")
    q1 = services.report_open(unit=t.commune_a, period=world.periods["Q1"], user=t.officer_a)
    line = q1.lines.get(task=weekly)
    assert (line.target_text, line.planned, line.quantity) == ("hằng tuần: 1 lần/per week", 13, 3)
    assert line.percent == 23
    year = services.report_open(unit=t.commune_a, period=world.periods["Y"], user=t.officer_a)
    assert (year.lines.get(task=weekly).planned, year.lines.get(task=weekly).quantity) == (52, 4)


@pytest.fixture
def hg(org_tree):
    """Tasks 6, 8 and 12 of seed 004's appendix, imported as a 2023 plan of the province, all assigned
    to commune A; its reporting periods of 2023."""
    t = org_tree
    plan = plan_services.plan_import(user=t.supervisor, owner=t.province, parsed=appendix_document(numbers={6, 8, 12}))
    tasks = {task.source_section.split("/")[-1]: task for task in plan.tasks.all()}
    for task in tasks.values():
        plan_services.task_assign(task=task, user=t.supervisor, unit=t.commune_a)
    plan = plan_services.plan_issue(plan=plan, user=t.supervisor)
    periods = {p.code: p for p in services.periods_generate(plan=plan, user=t.supervisor)}
    return plan, tasks, periods


def _lines(report):
    return {line.task.source_section.split("/")[-1]: line for line in report.lines.select_related("task")}


def test_seed_004_planned_against_done_per_period(hg, org_tree):
    plan, tasks, periods = hg
    t = org_tree
    central, ethnic, dialogue = (tasks[n].targets.get() for n in ("6", "8", "12"))
    _record(t.commune_a, day("10/02/2023"), target=central, output_type="tv_report")
    _record(t.commune_a, day("15/05/2023"), target=ethnic, language="mong", quantity=2)
    _record(t.commune_a, day("20/05/2023"), target=ethnic, language="pathen")
    _record(t.commune_a, day("25/05/2023"), target=ethnic, language="vi")  # Vietnamese: not this target's
    _record(t.commune_a, day("01/03/2023"), target=dialogue, output_type="business_dialogue")

    q1 = _lines(services.report_open(unit=t.commune_a, period=periods["Q1"], user=t.officer_a))
    h1 = _lines(services.report_open(unit=t.commune_a, period=periods["H1"], user=t.officer_a))
    year = _lines(services.report_open(unit=t.commune_a, period=periods["Y"], user=t.officer_a))
    # "1 bài/ 1 quý = 4 bài": one a quarter
    assert [(r["6"].planned, r["6"].quantity) for r in (q1, h1, year)] == [(1, 1), (2, 1), (4, 1)]
    # "12 bài/1 năm" in Tày, Mông, Dao, Pà Thẻn over Quý II–IV: none expected in Q1, 12 in the year
    assert [(r["8"].planned, r["8"].quantity) for r in (q1, h1, year)] == [(0, 0), (4, 3), (12, 3)]
    assert year["8"].target_text == "12 bài/1 năm in Tày, Mông, Dao, Pà Thẻn"
    # "Định kỳ hằng quý": the dialogues once a quarter
    assert [(r["12"].planned, r["12"].quantity) for r in (q1, h1, year)] == [(1, 1), (2, 1), (4, 1)]


def test_a_recurring_task_without_a_target_is_planned_in_the_report_and_the_consolidated_one(world, q1, client):
    t = world.tree
    plan = world.plan
    plan.status, plan.issued_at = "draft", None
    plan.save(update_fields=["status", "issued_at"])
    task = plan_services.task_create(plan=plan, user=t.supervisor, title="Đối thoại với doanh nghiệp",
                                     timeframe_text="Định kỳ hằng quý", lead_units=[t.commune_a, t.commune_b])
    plan_services.plan_issue(plan=plan, user=t.supervisor)
    _record(t.commune_a, day("10/02/2026"), task=task, output_type="business_dialogue")
    _record(t.commune_b, day("11/02/2026"), task=task, output_type="business_dialogue")
    report = services.report_open(unit=t.commune_a, period=q1, user=t.officer_a)
    line = report.lines.get(task=task)
    assert (line.target_id, line.target_text, line.planned, line.quantity) == (
        None, "once a quarter (Định kỳ hằng quý)", 1, 1)
    client.force_login(t.officer_a)
    html = client.get(f"/bao-cao/{report.pk}/").content.decode()
    row = html.split("Đối thoại với doanh nghiệp")[1].split("</tr>")[0]
    assert '<td class="num" data-label="Planned">1</td><td class="num" data-label="Done">1 (100%)</td>' in row
    # the plan-wide figure: once a quarter for each of the two lead units
    (number,) = [n for n in selectors.consolidated_numbers(plan=plan, period=q1) if n["task_id"] == task.pk]
    assert (number["target_id"], number["planned"], number["quantity"], number["percent"]) == (None, 2, 2, 100)


def test_a_target_in_any_ethnic_language_counts_every_language_but_vietnamese(world, q1):
    t = world.tree
    target = world.news_target
    target.languages = ["dân tộc"]
    target.save(update_fields=["languages"])
    _record(t.commune_a, day("10/01/2026"), target=target, language="mong")
    _record(t.commune_a, day("11/01/2026"), target=target, language="khmer")
    _record(t.commune_a, day("12/01/2026"), target=target, language="other")
    _record(t.commune_a, day("13/01/2026"), target=target, language="vi")
    line = services.report_open(unit=t.commune_a, period=q1, user=t.officer_a).lines.get(target=target)
    assert (line.quantity, line.records) == (3, 3)
    assert line.target_text == "12 tin, bài/năm in ethnic-minority languages"
