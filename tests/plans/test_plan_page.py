"""The plan page and the task list at province size: groups of units, the units' own plans with
filters, nothing offered to whom may not use it, the task list on "my unit" with a choice of period."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from cchc.org.models import Unit
from cchc.plans import selectors, services
from tests.factories import UnitFactory

from .conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_plan(org_tree, small_doc):
    """The small plan with a fourth task led by every commune of the province (two plus six more)."""
    extra = [UnitFactory(code=f"T9{i:03d}", name=f"Xã Thử Nghiệm {i}", kind=Unit.Kind.COMMUNE, parent=org_tree.province)
             for i in range(6)]
    plan = services.plan_import(user=org_tree.supervisor, owner=org_tree.province, parsed=small_doc)
    communes = [org_tree.commune_a, org_tree.commune_b, *extra]
    services.task_create(plan=plan, user=org_tree.supervisor, title="Niêm yết thủ tục hành chính tại bộ phận một cửa",
                         lead_units=communes, support_units=[org_tree.dept], targets=[])
    return services.plan_issue(plan=plan, user=org_tree.supervisor), communes


def _page(client, plan, **params) -> str:
    response = client.get(reverse("plans:detail", args=[plan.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def test_many_communes_show_as_one_group_listed_on_demand(client, org_tree, big_plan):
    plan, communes = big_plan
    login(client, org_tree.supervisor)
    html = _page(client, plan)
    assert re.search(r"<details class=\"unit-group\"><summary>Commune People&#x27;s Committees \(8\)</summary>", html)
    # A commune's name appears only inside the group's list on demand, once per task naming the group.
    task_table = html.split('id="coverage"')[0]
    groups = task_table.count("<summary>Commune People&#x27;s Committees (8)</summary>")
    assert groups >= 1 and task_table.count("Xã Thử Nghiệm 3") == groups
    # Sở Nội vụ alone stays by name.
    assert "Sở Nội vụ" in task_table


def test_supervisor_is_not_offered_to_make_every_units_plan(client, org_tree, big_plan):
    plan, communes = big_plan
    login(client, org_tree.supervisor)
    html = _page(client, plan)
    assert "Make your unit" not in html and 'name="unit"' not in html
    # An officer of commune A is offered their own unit's plan, and only that one.
    login(client, org_tree.officer_a)
    html = _page(client, plan)
    offered = re.findall(r'name="unit" value="(\d+)"', html)
    assert offered == [str(org_tree.commune_a.pk)]
    # A viewer is offered neither the edit, issue, close nor derive actions.
    login(client, org_tree.viewer)
    html = _page(client, plan)
    for action in ("Make the plan of", "Close the plan", "Issue the plan", "Change (new version)"):
        assert action not in html


def test_units_own_plans_are_counted_and_filtered(client, org_tree, big_plan):
    plan, communes = big_plan
    services.plan_derive_child(plan=plan, unit=org_tree.commune_a, user=org_tree.officer_a)
    login(client, org_tree.supervisor)
    html = _page(client, plan)
    section = html.split('id="coverage"')[1]
    assert "1 of 9 units with tasks in this plan have made their own plan." in section
    assert "Commune People&#x27;s Committees (8)</a>: 1 made" in section

    def rows(**params):
        part = _page(client, plan, **params).split('id="coverage"')[1].split("</table>")[0]
        return re.findall(r"<tr>\s*<td>([^<]+)</td>", part)

    assert rows(cov="derived") == ["Phường Hà Giang 1"]
    missing = rows(cov="missing")
    assert len(missing) == 8 and "Phường Hà Giang 1" not in missing
    assert rows(kind="departments") == ["Sở Nội vụ"]
    assert rows(uq="dong van") == ["Xã Đồng Văn"]  # accent-insensitive
    assert rows(cov="missing", kind="communes", uq="thu nghiem 5") == ["Xã Thử Nghiệm 5"]
    assert "No unit matches these filters." in _page(client, plan, uq="không có")


def test_coverage_selector_ignores_unknown_filters(org_tree, big_plan):
    plan, _ = big_plan
    rows = selectors.plan_units_progress(plan)
    data = selectors.plan_coverage(rows, state="nonsense", kind="nonsense", q="")
    assert (data["state"], data["kind"], data["filtered"], len(data["rows"])) == ("", "", False, 9)


def test_task_list_opens_on_my_unit_and_period_is_a_choice(client, org_tree, issued_plan):
    login(client, org_tree.officer_b)
    response = client.get(reverse("plans:tasks"))
    html = response.content.decode()
    form = response.context["form"]
    assert form["unit"].value() == str(org_tree.commune_b.pk)
    # Commune B leads or supports two tasks; the one of the newspaper is not theirs.
    assert [t.title[:10] for t in response.context["page"].object_list] == ["Tổ chức tậ", "Viết tin, "]
    # Empty choices read "All"; the period is a select of the plan's periods.
    assert '<option value="" selected>All</option>' in html
    assert re.search(r'<select name="period"[^>]*>', html)
    assert '<option value="2026-Q2">Quarter II/2026</option>' in html
    assert '<option value="2026-H1">6 months of 2026</option>' in html
    # Choosing "All" units shows every task the user may see.
    everything = client.get(reverse("plans:tasks"), {"unit": ""}).context["page"].paginator.count
    assert everything == 3
    # A period narrows the list: only the whole-year tasks run in Q3.
    q3 = client.get(reverse("plans:plan_tasks", args=[issued_plan.pk]), {"unit": "", "period": "2026-Q3"})
    assert q3.context["page"].paginator.count == 2
    # An unknown period is a form error, not a server error.
    bad = client.get(reverse("plans:tasks"), {"period": "2026-Q9"})
    assert bad.status_code == 200 and bad.context["form"].errors


def test_period_parsing_of_reporting_periods():
    import datetime as dt

    assert selectors.parse_period("2026-H1") == (dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert selectors.parse_period("2026-9M") == (dt.date(2026, 1, 1), dt.date(2026, 9, 30))
    assert [v for v, _label in selectors.period_choices([2026])][:4] == ["2026", "2026-H1", "2026-9M", "2026-Q1"]


def test_plan_list_reads_all_for_no_status_and_stacks_on_a_phone(client, org_tree, issued_plan):
    login(client, org_tree.officer_a)
    html = client.get(reverse("plans:list")).content.decode()
    assert '<option value="">All</option>' in html and 'class="plan-table stack"' in html
    assert 'data-label="Title"' in html
