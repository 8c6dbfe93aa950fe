"""`cchc demo-data --scale province` builds plans, child plans, outputs and reports that the
selectors read back consistently."""

import datetime as dt

from django.core.management import call_command

from cchc.outputs.models import OutputRecord
from cchc.plans.models import Plan
from cchc.reports import selectors
from cchc.reports.models import ReportingPeriod, UnitReport


def test_province_demo_data_is_consistent_and_not_built_twice(db, national_units, capsys):
    call_command("demo_data", scale="province", province="08", outputs=3000, seed=7)
    plan = Plan.objects.get(number__endswith="/KH-DEMO")
    assert plan.owner.code == "08" and plan.children.count() > 100
    assert 2900 <= OutputRecord.objects.filter(task__plan__parent=plan).count() <= 3100
    q1 = ReportingPeriod.objects.get(plan=plan, code="Q1")
    data = selectors.report_completeness([q1], root=plan.owner, today=dt.date(2026, 12, 31))
    totals = data["totals"]
    assert totals["expected"] == plan.children.count()
    assert totals["submitted"] == UnitReport.objects.filter(period=q1).exclude(submitted_at=None).count()
    assert 0 < totals["late"] < totals["submitted"] and totals["missing"] > 0
    # the report lines of the demo match what the platform counts for the same unit
    report = UnitReport.objects.filter(period=q1).exclude(submitted_at=None).select_related("unit").first()
    counted = {row["target_id"]: row["quantity"] for row in selectors.report_actuals(unit=report.unit, period=q1)}
    assert {line.target_id: line.quantity for line in report.lines.all()} == counted
    call_command("demo_data", scale="province", province="08", outputs=3000)
    assert "already there" in capsys.readouterr().out
    assert Plan.objects.filter(number__endswith="/KH-DEMO").count() == 1
