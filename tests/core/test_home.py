"""Home pages say what to do next: the supervisor's reports to review, late units and next deadline;
the officer's reports to write and those returned; the leader's dashboards. The CCHC officer of Sở Nội
vụ reaches the province's dashboard by a supervisor role on the province, not by working there."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cchc.org.models import Membership
from cchc.org.services import membership_create
from cchc.plans import services as plan_services
from cchc.reports import home, services
from cchc.reports.models import ReportingPeriod

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(english):
    pass


@pytest.fixture
def plan(org_tree):
    t = org_tree
    plan = plan_services.plan_create(
        user=t.supervisor, owner=t.province, title="Kế hoạch tuyên truyền cải cách hành chính năm 2026",
        number="12/KH-UBND", plan_year=2026, reporting={"periods": ["Q1", "H1", "Q3", "Y"]},
    )
    plan_services.task_create(plan=plan, user=t.supervisor, title="Đăng tin, bài về CCHC",
                              lead_units=[t.commune_a, t.commune_b, t.dept], targets=[])
    plan = plan_services.plan_issue(plan=plan, user=t.supervisor)
    if not ReportingPeriod.objects.filter(plan=plan).exists():
        services.periods_generate(plan=plan, user=t.supervisor)
    return plan


@pytest.fixture
def q1(plan):
    return ReportingPeriod.objects.get(plan=plan, code="Q1")


@pytest.fixture
def submitted_and_returned(org_tree, q1):
    t = org_tree
    a = services.report_open(unit=t.commune_a, period=q1, user=t.manager_a)
    a = services.report_submit(report=a, user=t.manager_a, now=timezone.make_aware(dt.datetime(2026, 3, 10, 9)))
    b = services.report_open(unit=t.commune_b, period=q1, user=t.officer_b)
    b.status = "submitted"  # as if its manager had submitted it (commune B has no manager in the tree)
    b.save(update_fields=["status"])
    b = services.report_return(report=b, user=t.supervisor, comment="Bổ sung số liệu")
    return a, b


def test_supervisor_sees_reports_to_review_late_units_and_next_deadline(org_tree, q1, submitted_and_returned):
    a, _b = submitted_and_returned
    [item] = home.supervisor_todo(org_tree.supervisor, today=dt.date(2026, 4, 2))
    assert item["waiting"] == 1 and item["waiting_reports"] == [a]
    assert item["current"] == q1 and item["next"].code == "H1"
    c = item["completeness"]
    assert (c["expected"], c["submitted"], c["late_count"]) == (3, 1, 2)
    assert {r["name"] for r in c["late"]} == {"Sở Nội vụ", "Xã Đồng Văn"}


def test_supervisor_home_page_links_review_and_dashboard(client, org_tree, q1, submitted_and_returned):
    a, _b = submitted_and_returned
    client.force_login(org_tree.supervisor)
    html = client.get(reverse("home")).content.decode()
    assert "Plans you supervise" in html and "1 report waiting for your review" in html
    assert reverse("reports:detail", args=[a.pk]) in html
    assert "Dashboard and consolidated report" in html
    # What to do comes before the list of the user's units.
    assert html.index("Plans you supervise") < html.index("My units and roles")


def test_officer_sees_reports_to_write_and_returned(client, org_tree, q1, submitted_and_returned):
    _a, b = submitted_and_returned
    todo = home.writer_todo(org_tree.officer_b, today=dt.date(2026, 4, 2))
    assert [r["report"] for r in todo["returned"]] == [b]
    assert [r["period"].code for r in todo["to_write"]] == ["H1", "Q3", "Y"]
    client.force_login(org_tree.officer_b)
    html = client.get(reverse("home")).content.decode()
    assert "Returned for changes" in html and reverse("reports:detail", args=[b.pk]) in html
    # An officer supervises nothing.
    assert "Plans you supervise" not in html


def test_leader_sees_the_dashboard(client, org_tree, q1):
    periods = home.leader_dashboards(org_tree.viewer, today=dt.date(2026, 4, 2))
    assert [p.code for p in periods] == ["Q1"]
    client.force_login(org_tree.viewer)
    html = client.get(reverse("home")).content.decode()
    # The page uses today's date: it links to the dashboard of one of the plan's periods.
    links = [reverse("reports:dashboard", args=[p.pk]) for p in ReportingPeriod.objects.filter(plan=q1.plan)]
    assert "Dashboards" in html and sum(link in html for link in links) == 1


def test_home_without_any_role_has_nothing_to_do(client, org_tree, plan):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="nobody"))
    html = client.get(reverse("home")).content.decode()
    assert "Plans you supervise" not in html and "Reports to write" not in html
    assert "You are not a member of any unit yet" in html


def test_department_officer_reaches_the_province_dashboard_by_a_role(client, org_tree, q1):
    officer = org_tree.dept_officer  # works in Sở Nội vụ
    dashboard = reverse("reports:dashboard", args=[q1.pk])
    client.force_login(officer)
    assert client.get(dashboard).status_code == 404
    assert client.get(reverse("reports:download", args=[q1.pk, "xlsx"])).status_code == 404
    # Given the supervisor role on the province, they keep their unit and reach the province's reports.
    membership_create(user=officer, unit=org_tree.province, role=Membership.Role.SUPERVISOR)
    client.force_login(officer)
    assert client.get(dashboard).status_code == 200
    assert client.get(reverse("reports:download", args=[q1.pk, "xlsx"])).status_code == 200
    roles = set(Membership.objects.filter(user=officer).values_list("unit__code", "role"))
    assert roles == {("T08.SNV", "officer"), ("T08", "supervisor")}
    html = client.get(reverse("home")).content.decode()
    assert "Plans you supervise" in html and "You supervise the plans and reports of this unit" in html


def test_only_the_closest_menu_item_is_current(client, org_tree):
    client.force_login(org_tree.officer_a)
    html = client.get(reverse("plans:tasks")).content.decode()
    current = re.findall(r'<a href="([^"]+)" aria-current="page">', html)
    assert current == [reverse("plans:tasks")]
    # The menu folds behind one button on a phone.
    assert 'class="menu-toggle" aria-controls="main-nav" aria-expanded="false"' in html


def test_system_administrator_is_not_shown_as_a_supervisor(client, org_tree, q1, submitted_and_returned):
    assert home.supervisor_todo(org_tree.admin, today=dt.date(2026, 4, 2)) == []
    client.force_login(org_tree.admin)
    html = client.get(reverse("home")).content.decode()
    assert "Plans you supervise" not in html and "You are a system administrator" in html


def test_a_supervisor_with_no_plan_yet_is_shown_how_to_start(client, org_tree):
    client.force_login(org_tree.supervisor)
    page = client.get("/").content.decode()
    assert 'id="home-import-plan"' in page and 'href="/ke-hoach/nhap/"' in page
    client.force_login(org_tree.viewer)
    assert 'id="home-import-plan"' not in client.get("/").content.decode()
