"""Targets over time: a rate becomes an expected count over the plan year and over a report's data
window, limited by the months the task runs; soft and language targets are imported, copied into
child plans, edited, and shown planned against done on the plan and task pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from cchc.core.periods import cutoff
from cchc.org.models import Unit
from cchc.outputs.models import OutputRecord, OutputType
from cchc.plans import services
from cchc.plans.forms import TaskForm
from cchc.plans.models import Target
from cchc.plans.targets import expected, months_in, recurrence_expected, target_line
from tests.seed004 import appendix_document

from .conftest import login

pytestmark = pytest.mark.django_db


def _window(code, year=2026):
    start, end = cutoff(code, year)
    return {"start": start, "end": end}


@pytest.mark.parametrize("per,q1,h1,q3,year", [
    ("week", 13, 26, 13, 52),  # "hằng tuần": 52 a year, 13 a quarter
    ("month", 3, 6, 3, 12),
    ("quarter", 1, 2, 1, 4),  # "1 bài/1 quý = 4 bài"
    ("year", 3, 6, 3, 12),  # "12 bài/năm" spread over the year
])
def test_a_rate_over_the_cut_off_windows(per, q1, h1, q3, year):
    quantity = Decimal(12 if per == "year" else 1)
    got = [expected(quantity=quantity, per=per, **_window(code)) for code in ("Q1", "H1", "Q3", "Y")]
    assert got == [q1, h1, q3, year]


def test_the_windows_hold_the_months_they_report():
    assert months_in(*cutoff("Q1", 2026)) == [(2026, 1), (2026, 2), (2026, 3)]
    assert months_in(dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == [(2026, m) for m in range(1, 13)]


def test_a_task_timeframe_limits_the_months():
    q2_to_q4 = {"task_start": dt.date(2026, 4, 1), "task_end": dt.date(2026, 12, 31)}
    # "12 bài/1 năm" in Quý II–IV: all twelve, over nine months
    assert expected(quantity=Decimal(12), per="year", **_window("Q1"), **q2_to_q4) == 0
    assert expected(quantity=Decimal(12), per="year", **_window("H1"), **q2_to_q4) == 4
    assert expected(quantity=Decimal(12), per="year", **_window("Y"), **q2_to_q4) == 12
    # "hằng tháng (từ tháng 6)": seven months of the year
    assert expected(quantity=Decimal(1), per="month", **_window("Y"), task_start=dt.date(2026, 6, 1)) == 7
    # weekly until the end of June
    assert expected(quantity=Decimal(1), per="week", **_window("Y"), task_end=dt.date(2026, 6, 30)) == 26


def test_a_target_without_a_rate_has_no_expected_count():
    assert expected(quantity=Decimal(10), per=None, **_window("Q1")) is None


def test_a_recurring_task_without_a_target_expects_once_per_period(org_tree):
    plan = services.plan_create(user=org_tree.supervisor, owner=org_tree.province, title="KH 2026", plan_year=2026)
    quarterly = services.task_create(plan=plan, user=org_tree.supervisor, title="Đối thoại với doanh nghiệp",
                                     timeframe_text="Định kỳ hằng quý")
    once = services.task_create(plan=plan, user=org_tree.supervisor, title="Hội nghị", timeframe_text="Quý II/2026")
    assert quarterly.recurrence == "quarterly"
    assert recurrence_expected(quarterly, **_window("Y")) == 4
    assert recurrence_expected(quarterly, **_window("Q1")) == 1
    assert recurrence_expected(once, **_window("Y")) is None
    report = services.task_create(plan=plan, user=org_tree.supervisor, title="Báo cáo kết quả về Sở Nội vụ",
                                  timeframe_text="Định kỳ hằng quý")
    assert report.recurrence == "quarterly" and recurrence_expected(report, **_window("Y")) is None


# ---------------------------------------------------------------- seed 004 imported

@pytest.fixture
def seed_plan(org_tree):
    plan = services.plan_import(user=org_tree.supervisor, owner=org_tree.province,
                                parsed=appendix_document(numbers={6, 8, 12}))
    return plan


def test_import_keeps_soft_targets_and_languages(seed_plan):
    tasks = {t.source_section: t for t in seed_plan.tasks.prefetch_related("targets")}
    (broadcast,) = tasks["Phụ lục/8"].targets.all()
    assert (broadcast.quantity, broadcast.unit, broadcast.per, broadcast.soft) == (12, "bài", "year", False)
    assert broadcast.languages == ["Tày", "Mông", "Dao", "Pà Thẻn"]
    assert broadcast.label == "12 bài/1 năm in Tày, Mông, Dao, Pà Thẻn"
    (dialogue,) = tasks["Phụ lục/12"].targets.all()
    assert (dialogue.quantity, dialogue.unit, dialogue.per, dialogue.soft) == (1, "lần", "quarter", True)
    assert dialogue.label == "Định kỳ hằng quý: 1 lần/per quarter"
    (central,) = tasks["Phụ lục/6"].targets.all()
    assert (central.soft, central.languages) == (False, [])


def test_a_child_plan_copies_soft_targets_and_languages(seed_plan, org_tree):
    for task in seed_plan.tasks.all():
        services.task_assign(task=task, user=org_tree.supervisor, unit=org_tree.commune_a)
    plan = services.plan_issue(plan=seed_plan, user=org_tree.supervisor)
    child = services.plan_derive_child(plan=plan, unit=org_tree.commune_a, user=org_tree.officer_a)
    copied = {(t.soft, tuple(t.languages)) for t in Target.objects.filter(task__plan=child)}
    assert copied == {(False, ()), (False, ("Tày", "Mông", "Dao", "Pà Thẻn")), (True, ())}


def test_editing_a_task_keeps_its_soft_and_language_targets(seed_plan):
    for task in seed_plan.tasks.filter(source_section__in=["Phụ lục/8", "Phụ lục/12"]):
        initial = TaskForm.initial_from(task)
        form = TaskForm(data={"title": task.title, "targets": initial["targets"]}, plan=seed_plan, units=Unit.objects.none())
        assert form.is_valid(), form.errors
        (before,), (after,) = list(task.targets.all()), form.cleaned_data["targets"]
        assert (after["quantity"], after["unit"], after["per"], bool(after.get("soft")), after.get("languages") or []) == (
            before.quantity, before.unit, before.per, before.soft, before.languages)
    assert target_line(Target(quantity=12, unit="bài", per="year", text="12 bài/1 năm", languages=["dân tộc"])) == (
        "12 bài/1 năm bằng tiếng dân tộc")


# ---------------------------------------------------------------- planned against done on the pages

def _record(unit, target, date, *, language="vi", quantity=1, task=None):
    return OutputRecord.objects.create(
        unit=unit, task=task or target.task, target=target, output_type=OutputType.objects.get(code="radio_report"),
        date=date, quantity=Decimal(quantity), language=language, title="Phóng sự CCHC",
    )


def test_task_page_shows_planned_and_done_for_the_plan_year(seed_plan, org_tree, client):
    task = seed_plan.tasks.get(source_section="Phụ lục/8")
    target = task.targets.get()
    _record(org_tree.commune_a, target, dt.date(2023, 5, 10), language="mong", quantity=2)
    _record(org_tree.commune_a, target, dt.date(2023, 6, 10), language="vi")  # not in the target's languages
    _record(org_tree.commune_a, target, dt.date(2024, 1, 10), language="tay")  # another year
    login(client, org_tree.supervisor)
    html = client.get(reverse("plans:task", args=[task.pk])).content.decode()
    table = html.split('id="task-figures"')[1].split("</table>")[0]
    assert "12 bài/1 năm in Tày, Mông, Dao, Pà Thẻn" in table
    assert '<td class="num">12</td><td class="num">2</td><td class="num">17%</td>' in table
    assert "Planned and done in 2023" in html


def test_plan_page_shows_planned_and_done_of_a_recurring_task(seed_plan, org_tree, client):
    task = seed_plan.tasks.get(source_section="Phụ lục/12")
    _record(org_tree.commune_a, task.targets.get(), dt.date(2023, 3, 1))
    login(client, org_tree.supervisor)
    html = client.get(reverse("plans:detail", args=[seed_plan.pk])).content.decode()
    row = html.split(f'href="{reverse("plans:task", args=[task.pk])}"')[1].split("</tr>")[0]
    assert "Định kỳ hằng quý: 1 lần/per quarter" in row
    assert "done 1 of 4 (25%)" in row


def test_plan_page_counts_a_recurring_task_without_a_target_by_task(org_tree, client):
    plan = services.plan_create(user=org_tree.supervisor, owner=org_tree.province, title="KH 2026", plan_year=2026)
    task = services.task_create(plan=plan, user=org_tree.supervisor, title="Phát thanh trên loa truyền thanh",
                                timeframe_text="Hằng tuần", lead_units=[org_tree.commune_a, org_tree.commune_b])
    for day in (5, 12, 19):
        OutputRecord.objects.create(unit=org_tree.commune_a, task=task, output_type=OutputType.objects.get(code="loudspeaker"),
                                    date=dt.date(2026, 1, day), quantity=1, title="Phát thanh CCHC")
    login(client, org_tree.supervisor)
    html = client.get(reverse("plans:task", args=[task.pk])).content.decode()
    table = html.split('id="task-figures"')[1].split("</table>")[0]
    assert "once a week (Hằng tuần)" in table and "for 2 lead units" in table
    assert '<td class="num">104</td><td class="num">3</td><td class="num">3%</td>' in table
