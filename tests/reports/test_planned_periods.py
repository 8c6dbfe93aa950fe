"""'Planned in this period' follows the task's timeframe (issue 9, point 4): cell by cell for the
quarters and the cumulative periods (H1, 9M, Y) of the Nghị định 09 data windows."""

import datetime as dt
from decimal import Decimal

import pytest

from cchc.plans.models import Target, Task
from cchc.plans.targets import target_expected

# The data windows of 2026 (Nghị định 09/2019: from the 15th of the month before).
WINDOWS = {
    "Q1": (dt.date(2025, 12, 15), dt.date(2026, 3, 14)),
    "Q2": (dt.date(2026, 3, 15), dt.date(2026, 6, 14)),
    "Q3": (dt.date(2026, 6, 15), dt.date(2026, 9, 14)),
    "Q4": (dt.date(2026, 9, 15), dt.date(2026, 12, 14)),
    "H1": (dt.date(2025, 12, 15), dt.date(2026, 6, 14)),
    "9M": (dt.date(2025, 12, 15), dt.date(2026, 9, 14)),
    "Y": (dt.date(2025, 12, 15), dt.date(2026, 12, 14)),
}


def _planned(quantity, unit, per, start, end):
    task = Task(title="t", start=start, end=end)
    target = Target(task=task, quantity=Decimal(quantity), unit=unit, per=per)
    out = {}
    for code, (a, b) in WINDOWS.items():
        value = target_expected(target, start=a, end=b, task=task)
        out[code] = None if value is None else int(value)
    return out


def test_twelve_a_year_over_q2_to_q4_plans_four_a_quarter_from_q2():
    planned = _planned(12, "bài", "year", dt.date(2026, 4, 1), dt.date(2026, 12, 31))
    assert planned == {"Q1": 0, "Q2": 4, "Q3": 4, "Q4": 4, "H1": 4, "9M": 8, "Y": 12}


def test_a_rate_adds_up_over_the_cumulative_periods():
    planned = _planned(1, "tin, bài", "month", None, None)
    assert planned == {"Q1": 3, "Q2": 3, "Q3": 3, "Q4": 3, "H1": 6, "9M": 9, "Y": 12}
    assert planned["Q1"] + planned["Q2"] == planned["H1"] and planned["H1"] + planned["Q3"] == planned["9M"]


@pytest.mark.parametrize(("start", "end", "expected"), [
    # a task of Quý II–III: nothing in Q1 nor in Q4; the whole target in the periods it runs in
    (dt.date(2026, 4, 1), dt.date(2026, 9, 30), {"Q1": 0, "Q2": None, "Q3": None, "Q4": 0, "H1": None, "9M": None, "Y": None}),
    # a task of Quý I: nothing after it ends
    (dt.date(2026, 1, 1), dt.date(2026, 3, 31), {"Q1": None, "Q2": 0, "Q3": 0, "Q4": 0, "H1": None, "9M": None, "Y": None}),
    # no dates: the whole target, compared as written, in every period
    (None, None, {code: None for code in WINDOWS}),
])
def test_a_target_without_a_rate_plans_only_while_its_task_runs(start, end, expected):
    assert _planned(2, "lớp", "", start, end) == expected  # None: the target as written (02 lớp)


def test_the_consolidated_report_plans_nothing_for_a_task_outside_the_period(world):
    from cchc.plans.models import Assignment
    from cchc.reports import selectors

    t = world.tree
    task = Task.objects.create(plan=world.plan, title="Hội nghị đối thoại", order=9,
                               start=dt.date(2026, 4, 1), end=dt.date(2026, 9, 30))
    Assignment.objects.create(task=task, unit=t.dept, role=Assignment.Role.LEAD)
    target = Target.objects.create(task=task, quantity=2, unit="hội nghị", text="02 hội nghị")
    numbers = {p: {n["target_id"]: n for n in selectors.consolidated_numbers(plan=world.plan, period=world.periods[p])}
               for p in ("Q1", "H1", "Q3", "Y")}
    assert [numbers[p][target.pk]["planned"] for p in ("Q1", "H1", "Q3", "Y")] == [0, 2, 2, 2]
    assert numbers["Q1"][target.pk]["percent"] is None


def test_a_coordinating_unit_plans_nothing_of_the_leads_target_but_its_outputs_count(world):
    """A unit named 'phối hợp' does not carry the lead's target: its report line shows no planned
    figure (the target is marked as coordinating), while its outputs against the task are counted."""
    from cchc.plans.models import Assignment
    from cchc.reports import selectors

    t = world.tree
    Assignment.objects.create(task=world.classes, unit=t.commune_a, role=Assignment.Role.SUPPORT)
    world.record(t.commune_a, dt.date(2026, 2, 10), target=world.class_target, output_type="training_class", people=30)
    lines = {line["target_id"]: line for line in selectors.report_actuals(unit=t.commune_a, period=world.periods["Q1"])}
    support = lines[world.class_target.pk]
    assert support["planned"] is None and support["target_text"] == "02 lớp (phối hợp)"
    assert support["quantity"] == 1 and support["records"] == 1
    # the lead still plans the whole target; the commune's own task keeps its planned figure
    lead = {line["target_id"]: line for line in selectors.report_actuals(unit=t.dept, period=world.periods["Q1"])}
    assert lead[world.class_target.pk]["planned"] is not None and "phối hợp" not in lead[world.class_target.pk]["target_text"]
    assert lines[world.news_target.pk]["planned"] == 3
