"""The unit's leader reviews before the province does, a report is confirmed before it goes, and a
unit may recall what it sent until someone acts on it. Each step leaves its audit record."""

from __future__ import annotations

import pytest

from cchc.core.models import AuditEvent
from cchc.plans import services as plan_services
from cchc.plans.models import Plan
from cchc.reports import permissions, services
from cchc.reports.models import Notification, ReportVersion, UnitReport

from .conftest import day


@pytest.fixture(autouse=True)
def _english(english):
    """Pages are asserted on their English source text."""


def _audit(report, message):
    return AuditEvent.objects.filter(object_type="reports.unitreport", object_id=str(report.pk), message__startswith=message)


def _fresh(report):
    return UnitReport.objects.select_related("plan", "unit", "period").get(pk=report.pk)


def test_default_officer_drafts_manager_approves_supervisor_returns_to_the_drafter(world, q1, client):
    t = world.tree
    assert world.plan.report_submitter == Plan.ReportSubmitter.MANAGER
    report = services.report_open(unit=t.commune_a, period=q1, user=t.officer_a)
    # the officer may not submit to the province, only send to the manager; the manager may submit
    assert not permissions.can_submit(t.officer_a, _fresh(report)) and permissions.can_send(t.officer_a, _fresh(report))
    assert permissions.can_submit(t.manager_a, _fresh(report)) and not permissions.can_send(t.manager_a, _fresh(report))

    client.force_login(t.officer_a)
    response = client.post(f"/bao-cao/{report.pk}/", {"results": "", "limitations": "", "proposals": "",
                                                      "version": report.version, "token": "t", "action": "send"})
    assert response["Location"] == f"/bao-cao/{report.pk}/gui/"
    page = client.get(response["Location"]).content.decode()
    # what goes is shown before it goes: the empty narrative and the zero line are pointed out
    assert 'id="empty-narrative"' in page and 'id="zero-lines"' in page and "Confirm and send to the manager" in page
    assert _fresh(report).status == "draft"
    client.post(f"/bao-cao/{report.pk}/gui/", {"token": "send-1"})
    report = _fresh(report)
    assert report.status == "pending" and report.drafted_by == t.officer_a
    assert Notification.objects.filter(user=t.manager_a, url=f"/bao-cao/{report.pk}/").exists()
    assert _audit(report, "sent to the unit's manager").get().actor == t.officer_a
    # an officer cannot approve its own report
    assert client.post(f"/bao-cao/{report.pk}/gui/", {"token": "x"}).status_code == 302
    assert _fresh(report).status == "pending"
    assert client.post(f"/bao-cao/{report.pk}/tra-lai-can-bo/", {"comment": "x"}).status_code == 404

    # the manager sends it back with comments: it returns to the drafter
    client.force_login(t.manager_a)
    assert "approve-report" in client.get(f"/bao-cao/{report.pk}/").content.decode()
    client.post(f"/bao-cao/{report.pk}/tra-lai-can-bo/", {"comment": "Bổ sung phần kết quả."})
    report = _fresh(report)
    assert report.status == "returned"
    assert Notification.objects.filter(user=t.officer_a, message__contains="sent back").exists()
    assert _audit(report, "sent back: Bổ sung phần kết quả.").get().actor == t.manager_a
    client.force_login(t.officer_a)
    assert "Bổ sung phần kết quả." in client.get(f"/bao-cao/{report.pk}/").content.decode()

    report = services.report_update(report=report, user=t.officer_a, version=report.version, results="Đã đăng 3 tin.")
    report = services.report_send(report=report, user=t.officer_a, token="send-2")
    # the manager approves and submits
    client.force_login(t.manager_a)
    assert "Confirm and submit" in client.get(f"/bao-cao/{report.pk}/gui/").content.decode()
    client.post(f"/bao-cao/{report.pk}/gui/", {"token": "approve-1"})
    report = _fresh(report)
    assert report.status == "submitted" and report.submitted_at is not None
    assert _audit(report, "approved and submitted").get().actor == t.manager_a

    # the supervisor returns: the drafter and the manager are told
    client.force_login(t.supervisor)
    client.post(f"/bao-cao/{report.pk}/duyet/", {"action": "return", "comment": "Thiếu số liệu lớp."})
    report = _fresh(report)
    assert report.status == "returned" and _audit(report, "returned: Thiếu số liệu lớp.").get().actor == t.supervisor
    assert Notification.objects.filter(user=t.officer_a, message__contains="returned by the supervisor").exists()
    assert Notification.objects.filter(user=t.manager_a, message__contains="returned by the supervisor").exists()

    # again through the manager, then accepted
    report = services.report_send(report=report, user=t.officer_a, token="send-3")
    report = services.report_submit(report=report, user=t.manager_a, token="approve-2")
    client.force_login(t.supervisor)
    client.post(f"/bao-cao/{report.pk}/duyet/", {"action": "accept"})
    report = _fresh(report)
    assert report.status == "accepted" and _audit(report, "accepted").get().actor == t.supervisor
    assert [v.action for v in report.versions.order_by("number")] == [
        "send", "send_back", "send", "submit", "return", "send", "resubmit", "accept"]


def test_a_plan_may_let_officers_submit_and_the_change_is_audited(world, q1, client):
    t = world.tree
    client.force_login(t.officer_a)
    assert client.post(f"/ke-hoach/{world.plan.pk}/quy-trinh-bao-cao/", {"report_submitter": "officer"}).status_code == 404
    client.force_login(t.supervisor)
    client.post(f"/ke-hoach/{world.plan.pk}/quy-trinh-bao-cao/", {"report_submitter": "officer"})
    world.plan.refresh_from_db()
    assert world.plan.report_submitter == "officer"
    event = AuditEvent.objects.filter(object_type="plans.plan", object_id=str(world.plan.pk),
                                      message="report submitter: officer").get()
    assert event.actor == t.supervisor and event.before["report_submitter"] == "manager"
    report = services.report_open(unit=t.commune_a, period=q1, user=t.officer_a)
    assert permissions.can_submit(t.officer_a, _fresh(report)) and not permissions.can_send(t.officer_a, _fresh(report))
    client.force_login(t.officer_a)
    client.post(f"/bao-cao/{report.pk}/gui/", {"token": "direct"})
    assert _fresh(report).status == "submitted"
    event = _audit(report, "submitted").get()
    assert event.actor == t.officer_a and event.before["status"] == "draft" and event.after["status"] == "submitted"


def test_recall_until_reviewed_and_a_recalled_first_submission_is_judged_again(world, q1, client):
    from tests.reports.test_workflow import _at

    t = world.tree
    world.record(t.commune_a, day("10/01/2026"), 2)
    report = services.report_open(unit=t.commune_a, period=q1, user=t.officer_a)
    report = services.report_submit(report=report, user=t.manager_a, token="a", now=_at("10/03/2026"))
    assert report.on_time is True
    # another unit's officer, the supervisor and a viewer cannot recall it
    for user in (t.officer_b, t.supervisor, t.viewer):
        client.force_login(user)
        assert client.post(f"/bao-cao/{report.pk}/thu-hoi/").status_code == 404, user
    client.force_login(t.officer_a)
    client.post(f"/bao-cao/{report.pk}/thu-hoi/")
    report = _fresh(report)
    assert report.status == "draft" and report.submitted_at is None and report.on_time is None
    assert _audit(report, "recalled").get().actor == t.officer_a
    assert report.versions.order_by("-number").first().action == ReportVersion.Action.RECALL
    report = services.report_submit(report=report, user=t.manager_a, token="b", now=_at("25/03/2026"))
    assert report.on_time is False  # sent after the due date: the recall does not keep the first date
    # once reviewed it can no longer be recalled
    services.report_accept(report=report, user=t.supervisor)
    client.force_login(t.officer_a)
    assert client.post(f"/bao-cao/{report.pk}/thu-hoi/").status_code == 404
    with pytest.raises(services.ReportError):
        services.report_recall(report=report, user=t.officer_a)


def test_a_double_click_on_submit_goes_once_to_the_confirmation(world, q1, client):
    t = world.tree
    report = services.report_open(unit=t.commune_a, period=q1, user=t.manager_a)
    client.force_login(t.manager_a)
    data = {"results": "Kết quả", "limitations": "", "proposals": "", "version": report.version, "token": "tok",
            "action": "submit"}
    first = client.post(f"/bao-cao/{report.pk}/", data)
    second = client.post(f"/bao-cao/{report.pk}/", data)
    assert first["Location"] == second["Location"] == f"/bao-cao/{report.pk}/gui/"
    client.post(f"/bao-cao/{report.pk}/gui/", {"token": "same"})
    client.post(f"/bao-cao/{report.pk}/gui/", {"token": "same"})
    assert ReportVersion.objects.filter(report=report).count() == 1


def test_issue_creates_the_reporting_periods(org_tree):
    t = org_tree
    plan = plan_services.plan_create(user=t.supervisor, owner=t.province, title="Kế hoạch năm 2026", plan_year=2026)
    plan_services.task_create(plan=plan, user=t.supervisor, title="Viết tin", lead_units=[t.commune_a])
    assert not plan.reporting_periods.exists()
    plan_services.plan_issue(plan=plan, user=t.supervisor)
    assert sorted(plan.reporting_periods.values_list("code", flat=True)) == ["H1", "Q1", "Q3", "Y"]


def test_a_child_plan_opens_no_periods_of_its_own(world):
    """Its unit reports on the parent's periods; periods of its own would ask the report twice."""
    t = world.tree
    child = plan_services.plan_derive_child(plan=world.plan, unit=t.commune_a, user=t.officer_a)
    plan_services.plan_issue(plan=child, user=t.manager_a, number="3/KH-UBND")
    assert not child.reporting_periods.exists()
    from cchc.reports.selectors import periods_for_user

    assert {item["period"].plan_id for item in periods_for_user(t.officer_a)} == {world.plan.pk}


def test_a_report_waiting_for_the_manager_stays_inside_the_unit_and_a_unit_without_manager_is_told(world, q1, client):
    t = world.tree
    report = services.report_open(unit=t.commune_b, period=q1, user=t.officer_b)
    client.force_login(t.officer_b)
    page = client.get(f"/bao-cao/{report.pk}/gui/").content.decode()
    assert 'id="no-manager"' in page  # commune B has only its officer
    a = services.report_open(unit=t.commune_a, period=q1, user=t.officer_a)
    assert 'id="no-manager"' not in (client.force_login(t.officer_a) or client.get(f"/bao-cao/{a.pk}/gui/").content.decode())
    services.report_send(report=a, user=t.officer_a)
    client.force_login(t.supervisor)
    assert client.get(f"/bao-cao/{a.pk}/").status_code == 404
    client.force_login(t.manager_a)
    assert client.get(f"/bao-cao/{a.pk}/").status_code == 200
