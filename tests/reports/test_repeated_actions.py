"""A report's steps act once per form: the same form posted again (a double click, ten quick clicks,
the browser's resend) gets the first answer, and a step someone just took is answered 'already
done' instead of an error page."""

from __future__ import annotations

import pytest

from cchc.core.models import ActionToken, AuditEvent
from cchc.reports import services
from cchc.reports.models import ReportVersion, UnitReport

TOKEN = "k" * 32


@pytest.fixture(autouse=True)
def _english(english):
    """Messages are asserted on their English source text."""


def _audits(report, message):
    return AuditEvent.objects.filter(object_type="reports.unitreport", object_id=str(report.pk), message=message)


def _shown(client, response):
    """The messages the page after the answer shows, once each time they are given."""
    page = client.get(response["Location"])
    return [str(m) for m in page.context["messages"]]


def _messages(response):
    """What this answer tells the user (not messages still waiting from an earlier answer)."""
    return [str(m) for m in response.wsgi_request._messages._queued_messages]


def test_ten_clicks_on_submit_submit_once_and_answer_alike(world, q1, client):
    t = world.tree
    report = services.report_open(unit=t.commune_a, period=q1, user=t.manager_a)
    client.force_login(t.manager_a)
    data = {"token": "submission-1", "form_token": TOKEN}
    answers = [client.post(f"/bao-cao/{report.pk}/gui/", data) for _ in range(10)]
    assert {a.status_code for a in answers} == {302}
    assert {a["Location"] for a in answers} == {f"/bao-cao/{report.pk}/"}
    assert _shown(client, answers[-1]) == ["The report is submitted. The supervisor is told."]
    assert UnitReport.objects.get(pk=report.pk).status == "submitted"
    assert ReportVersion.objects.filter(report=report, action="submit").count() == 1
    assert _audits(report, "submitted").count() == 1
    assert ActionToken.objects.filter(user=t.manager_a, token=TOKEN).count() == 1


def test_a_second_tab_submitting_after_the_first_is_told_it_is_already_submitted(world, q1, client):
    t = world.tree
    report = services.report_open(unit=t.commune_a, period=q1, user=t.manager_a)
    client.force_login(t.manager_a)
    client.post(f"/bao-cao/{report.pk}/gui/", {"token": "tab-1", "form_token": "a" * 32})
    second = client.post(f"/bao-cao/{report.pk}/gui/", {"token": "tab-2", "form_token": "b" * 32})
    assert second.status_code == 302 and second["Location"] == f"/bao-cao/{report.pk}/"
    assert _messages(second) == ["This report was already submitted."]
    assert _audits(report, "submitted").count() == 1


def test_the_same_accept_twice_accepts_once_and_another_tab_is_told_it_is_done(world, q1, client):
    t = world.tree
    report = services.report_open(unit=t.commune_a, period=q1, user=t.manager_a)
    services.report_submit(report=report, user=t.manager_a, token="s")
    client.force_login(t.supervisor)
    data = {"action": "accept", "comment": "", "form_token": TOKEN}
    first = client.post(f"/bao-cao/{report.pk}/duyet/", data)
    again = client.post(f"/bao-cao/{report.pk}/duyet/", data)
    assert first["Location"] == again["Location"] == f"/bao-cao/{report.pk}/"
    assert _shown(client, again) == ["The report is accepted and locked."]
    other_tab = client.post(f"/bao-cao/{report.pk}/duyet/", {**data, "form_token": "c" * 32})
    assert other_tab.status_code == 302 and _messages(other_tab) == ["This was already done: the report is now accepted."]
    assert ReportVersion.objects.filter(report=report, action="accept").count() == 1
    assert _audits(report, "accepted").count() == 1
    # the refusal beside it: an officer of the unit still gets the 404 of a step they may not take
    client.force_login(t.officer_a)
    assert client.post(f"/bao-cao/{report.pk}/duyet/", {**data, "form_token": "d" * 32}).status_code == 404


def test_the_same_recall_twice_recalls_once(world, q1, client):
    t = world.tree
    report = services.report_open(unit=t.commune_a, period=q1, user=t.manager_a)
    services.report_submit(report=report, user=t.manager_a, token="s")
    client.force_login(t.manager_a)
    first = client.post(f"/bao-cao/{report.pk}/thu-hoi/", {"form_token": TOKEN})
    again = client.post(f"/bao-cao/{report.pk}/thu-hoi/", {"form_token": TOKEN})
    assert first["Location"] == again["Location"]
    assert _shown(client, again) == ["The report is recalled and can be changed again."]
    assert ReportVersion.objects.filter(report=report, action="recall").count() == 1


def test_a_form_without_a_token_acts_as_before(world, q1, client):
    t = world.tree
    report = services.report_open(unit=t.commune_a, period=q1, user=t.manager_a)
    client.force_login(t.manager_a)
    client.post(f"/bao-cao/{report.pk}/gui/", {"token": "old-page"})
    assert UnitReport.objects.get(pk=report.pk).status == "submitted"
    assert not ActionToken.objects.exists()


def test_the_report_pages_put_a_token_in_their_forms(world, q1, client):
    t = world.tree
    report = services.report_open(unit=t.commune_a, period=q1, user=t.manager_a)
    client.force_login(t.manager_a)
    assert client.get(f"/bao-cao/{report.pk}/").content.decode().count('name="form_token"') >= 1
    assert 'name="form_token"' in client.get(f"/bao-cao/{report.pk}/gui/").content.decode()
