"""Period arithmetic (Nghị định 09/2019 cut-offs, due rules) and periods generated for a plan."""

import datetime as dt

import pytest

from cchc.core import periods as rules
from cchc.reports import services

D = dt.date


@pytest.mark.parametrize("code,start,end", [
    ("Q1", D(2025, 12, 15), D(2026, 3, 14)),
    ("Q2", D(2026, 3, 15), D(2026, 6, 14)),
    ("Q3", D(2026, 6, 15), D(2026, 9, 14)),
    ("Q4", D(2026, 9, 15), D(2026, 12, 14)),
    ("H1", D(2025, 12, 15), D(2026, 6, 14)),
    ("9M", D(2025, 12, 15), D(2026, 9, 14)),
    ("Y", D(2025, 12, 15), D(2026, 12, 14)),
    ("M01", D(2025, 12, 15), D(2026, 1, 14)),
    ("M07", D(2026, 6, 15), D(2026, 7, 14)),
])
def test_cutoff_follows_decree_09(code, start, end):
    assert rules.cutoff(code, 2026) == (start, end)


def test_consecutive_quarters_leave_no_gap_and_no_overlap():
    for a, b in [("Q1", "Q2"), ("Q2", "Q3"), ("Q3", "Q4")]:
        assert rules.cutoff(b, 2026)[0] - rules.cutoff(a, 2026)[1] == dt.timedelta(days=1)
    assert rules.cutoff("Q1", 2027)[0] - rules.cutoff("Q4", 2026)[1] == dt.timedelta(days=1)


def test_due_words_at_the_latest_keeps_the_day_before_drops_it():
    assert rules.due_from_words("chậm nhất ngày 15 của tháng cuối kỳ báo cáo", "Q1", 2026) == D(2026, 3, 15)
    assert rules.due_from_words("trước ngày 10 tháng 6", "H1", 2026) == D(2026, 6, 9)
    assert rules.due_from_words("Trước ngày 10/12", "Y", 2026) == D(2026, 12, 9)
    assert rules.due_from_words("gửi đúng hạn", "Y", 2026) is None


def test_parsed_deadline_wins_over_the_default_rule():
    dates = rules.period_dates("H1", 2026, [{"period": "H1", "due": "2026-06-09"}])
    assert dates.due == D(2026, 6, 9)
    assert rules.period_dates("Q1", 2026, [{"period": "H1", "due": "2026-06-09"}]).due == D(2026, 3, rules.DEFAULT_DUE_DAY)


def test_monthly_duty_expands_to_twelve_months_and_unknown_codes_are_refused():
    assert rules.expand_codes(["M"])[:2] == ["M01", "M02"] and len(rules.expand_codes(["M"])) == 12
    assert rules.expand_codes(["Y", "Q3", "H1", "Q1"]) == ["Q1", "H1", "Q3", "Y"]
    with pytest.raises(ValueError):
        rules.expand_codes(["Q5"])


def test_labels_are_vietnamese():
    assert rules.label("Q3", 2026) == "Quý III/2026"
    assert rules.label("H1", 2026) == "6 tháng đầu năm 2026"


def test_plan_periods_default_to_the_cchc_four(world):
    periods = world.periods
    assert list(periods) == ["Q1", "H1", "Q3", "Y"]
    assert periods["H1"].due == D(2026, 6, 9)  # from the plan's text, "trước ngày 10 tháng 6"
    assert periods["Q1"].start == D(2025, 12, 15) and periods["Q1"].end == D(2026, 3, 14)
    # running it again adds nothing and keeps dates a supervisor changed
    services.period_update(period=periods["Q1"], user=world.tree.supervisor, start=periods["Q1"].start,
                           end=periods["Q1"].end, due=D(2026, 3, 25))
    again = services.periods_generate(plan=world.plan, user=world.tree.supervisor)
    assert len(again) == 4 and again[0].due == D(2026, 3, 25)


def test_supervisor_changes_dates_with_a_form_and_it_is_audited(world, client):
    from cchc.core.models import AuditEvent

    period = world.periods["Q1"]
    client.force_login(world.tree.supervisor)
    response = client.post(f"/bao-cao/ky/{period.pk}/sua/", {"start": "15/12/2025", "end": "14/03/2026", "due": "31/03/2026",
                                                           "rule_text": "chậm nhất ngày 31/3"})
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.due == D(2026, 3, 31)
    assert AuditEvent.objects.filter(object_type="reports.reportingperiod", object_id=str(period.pk), action="update").exists()
    # an end before the start is refused with a message
    response = client.post(f"/bao-cao/ky/{period.pk}/sua/", {"start": "15/03/2026", "end": "14/03/2026", "due": "31/03/2026"})
    # (the interface is Vietnamese: "The cut-off end must not be before its start")
    assert response.status_code == 200 and "không được trước ngày bắt đầu" in response.content.decode()
    period.refresh_from_db()
    assert period.end == D(2026, 3, 14) and period.start != D(2026, 3, 15)
    # a commune officer may not
    client.force_login(world.tree.officer_a)
    assert client.get(f"/bao-cao/ky/{period.pk}/sua/").status_code == 404
