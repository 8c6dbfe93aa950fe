"""A unit report: numbers counted from outputs in the window, the workflow, history, conflicts, access."""

import datetime as dt
from decimal import Decimal

import pytest

from cchc.core.models import AuditEvent
from cchc.reports import permissions, services
from cchc.reports.models import ReportVersion, UnitReport

from .conftest import day


def _lines(report):
    return {line.target_id: line for line in report.lines.all()}


def test_report_opens_with_actuals_inside_the_window_only(world, q1):
    t = world.tree
    world.record(t.commune_a, day("15/12/2025"), 2)  # first day of the Q1 window
    world.record(t.commune_a, day("14/03/2026"), 3)  # last day
    world.record(t.commune_a, day("14/12/2025"), 50)  # the day before: previous year's report
    world.record(t.commune_a, day("15/03/2026"), 50)  # the day after: Q2
    world.record(t.commune_b, day("01/02/2026"), 70)  # another unit's output
    world.record(t.commune_a_sub, day("01/02/2026"), 1, people=30)  # a sub-unit counts for its unit
    report = services.report_open(unit=t.commune_a, period=q1, user=t.officer_a)
    line = _lines(report)[world.news_target.pk]
    assert line.quantity == Decimal(6) and line.records == 3 and line.people_reached == 30
    assert line.planned == Decimal(3) and line.task_status == "not_started"
    # the department has two tasks: two lines; commune A only the news target
    assert set(_lines(report)) == {world.news_target.pk}
    dept = services.report_open(unit=t.dept, period=q1, user=t.dept_officer)
    assert set(_lines(dept)) == {world.news_target.pk, world.class_target.pk}


def test_outputs_against_the_child_plan_copy_count_on_the_parent_line(world, q1):
    from cchc.plans import services as plan_services

    t = world.tree
    child = plan_services.plan_derive_child(plan=world.plan, unit=t.commune_a, user=t.officer_a)
    copy_target = child.tasks.get().targets.get()
    world.record(t.commune_a, day("10/01/2026"), 4, target=copy_target)
    report = services.report_open(unit=t.commune_a, period=q1, user=t.officer_a)
    assert [line.quantity for line in report.lines.all()] == [Decimal(4)]


def test_submit_return_resubmit_accept_keeps_history_and_comments(world, q1, client):
    t = world.tree
    report = services.report_open(unit=t.commune_a, period=q1, user=t.officer_a)
    report = services.report_update(report=report, user=t.officer_a, version=report.version, results="Đã đăng 5 tin.")
    report = services.report_submit(report=report, user=t.officer_a, token="k1", now=_at("10/03/2026"))
    assert report.status == "submitted" and report.on_time is True
    with pytest.raises(services.ReportError):
        services.report_return(report=report, user=t.supervisor, comment="  ")
    report = services.report_return(report=report, user=t.supervisor, comment="Bổ sung số liệu lớp tập huấn.")
    assert report.status == "returned"
    report = services.report_update(report=report, user=t.officer_a, version=report.version, results="Đã đăng 5 tin, 1 lớp.")
    report = services.report_submit(report=report, user=t.officer_a, token="k2", now=_at("25/03/2026"))
    assert report.on_time is True  # judged on the first submission
    report = services.report_accept(report=report, user=t.supervisor)
    assert report.status == "accepted" and report.is_locked
    versions = list(report.versions.order_by("number"))
    assert [v.action for v in versions] == ["submit", "return", "resubmit", "accept"]
    assert versions[1].comment == "Bổ sung số liệu lớp tập huấn." and versions[0].snapshot["results"] == "Đã đăng 5 tin."
    with pytest.raises(services.ReportError):
        services.report_update(report=report, user=t.officer_a, version=report.version, results="x")
    assert AuditEvent.objects.filter(object_type="reports.unitreport", object_id=str(report.pk)).count() >= 5
    # the page shows the comment in the history
    client.force_login(t.officer_a)
    assert "Bổ sung số liệu lớp tập huấn." in client.get(f"/bao-cao/{report.pk}/").content.decode()


def _at(d):
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day(d), dt.time(9)))


def test_late_submission_is_marked_late(world, q1):
    t = world.tree
    report = services.report_open(unit=t.commune_b, period=q1, user=t.officer_b)
    report = services.report_submit(report=report, user=t.officer_b, token="x", now=_at("21/03/2026"))
    assert q1.due == dt.date(2026, 3, 20) and report.on_time is False


def test_double_submit_makes_one_submission(world, q1, client):
    t = world.tree
    report = services.report_open(unit=t.commune_a, period=q1, user=t.manager_a)
    client.force_login(t.manager_a)
    data = {"results": "Kết quả", "limitations": "", "proposals": "", "version": report.version, "token": "tok-0",
            "action": "submit"}
    assert client.post(f"/bao-cao/{report.pk}/", data)["Location"] == f"/bao-cao/{report.pk}/gui/"
    first = client.post(f"/bao-cao/{report.pk}/gui/", {"token": "tok-123"})
    second = client.post(f"/bao-cao/{report.pk}/gui/", {"token": "tok-123"}, follow=True)
    assert first.status_code == 302 and second.status_code == 200
    assert ReportVersion.objects.filter(report=report).count() == 1
    # the service itself with the same key writes nothing either
    services.report_submit(report=report, user=t.manager_a, token="tok-123")
    assert ReportVersion.objects.filter(report=report).count() == 1


def test_two_people_editing_the_second_is_told_and_shown_the_other_change(world, q1, client):
    t = world.tree
    from tests.factories import MembershipFactory

    MembershipFactory(user=t.manager_a, unit=t.commune_a, role="officer")
    report = services.report_open(unit=t.commune_a, period=q1, user=t.officer_a)
    opened = report.version
    services.report_update(report=report, user=t.manager_a, version=opened, results="Bản của người quản lý")
    client.force_login(t.officer_a)
    response = client.post(f"/bao-cao/{report.pk}/", {"results": "Bản của cán bộ", "limitations": "", "proposals": "",
                                                      "version": opened, "token": "t", "action": "save"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Bản của người quản lý" in page and "Bản của cán bộ" in page
    report.refresh_from_db()
    assert report.results == "Bản của người quản lý"


def test_forbidden_is_404_and_a_draft_is_invisible_to_other_units(world, q1, client):
    t = world.tree
    report = services.report_open(unit=t.commune_a, period=q1, user=t.officer_a)
    for user in (t.officer_b, t.supervisor, t.viewer, t.dept_officer):
        client.force_login(user)
        assert client.get(f"/bao-cao/{report.pk}/").status_code == 404, user
    client.force_login(t.officer_b)
    assert client.get("/bao-cao/999999/").status_code == 404
    services.report_submit(report=report, user=t.officer_a, token="s")
    # once submitted the supervisor and viewers above read it; another commune still does not
    assert permissions.can_view(t.supervisor, UnitReport.objects.get(pk=report.pk))
    assert permissions.can_view(t.viewer, UnitReport.objects.get(pk=report.pk))
    assert client.get(f"/bao-cao/{report.pk}/").status_code == 404
    # an officer cannot accept; the supervisor can
    client.force_login(t.officer_a)
    assert client.post(f"/bao-cao/{report.pk}/duyet/", {"action": "accept"}).status_code == 404
    client.force_login(t.supervisor)
    assert client.post(f"/bao-cao/{report.pk}/duyet/", {"action": "accept"}).status_code == 302
    assert UnitReport.objects.get(pk=report.pk).status == "accepted"


def test_attachment_type_is_checked(world, q1):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import translation

    translation.activate("en")
    try:
        _check_attachments(world, q1, SimpleUploadedFile)
    finally:
        translation.deactivate()


def _check_attachments(world, q1, SimpleUploadedFile):
    t = world.tree
    report = services.report_open(unit=t.commune_a, period=q1, user=t.officer_a)
    with pytest.raises(services.ReportError, match="not an accepted file type"):
        services.report_attach(report=report, user=t.officer_a, file=SimpleUploadedFile("virus.exe", b"MZ..."))
    with pytest.raises(services.ReportError, match="content is not such a file"):
        services.report_attach(report=report, user=t.officer_a, file=SimpleUploadedFile("bao-cao.pdf", b"hello"))
    ok = services.report_attach(report=report, user=t.officer_a, file=SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 test"))
    assert ok.size == 13 and report.attachments.count() == 1


def test_the_unit_adds_notes_but_never_retypes_a_counted_number(world, q1, client):
    t = world.tree
    world.record(t.commune_a, day("10/01/2026"), 2)
    report = services.report_open(unit=t.commune_a, period=q1, user=t.officer_a)
    line = report.lines.get()
    client.force_login(t.officer_a)
    client.post(f"/bao-cao/{report.pk}/", {"results": "", "limitations": "", "proposals": "", "version": report.version,
                                          "token": "n", "action": "save", f"note-{line.pk}": "Có 1 bài đăng lại",
                                          f"quantity-{line.pk}": "99", "quantity": "99"})
    line.refresh_from_db()
    assert line.note == "Có 1 bài đăng lại" and line.quantity == Decimal(2)
    # counted again when it opens, the note stays
    world.record(t.commune_a, day("11/01/2026"), 1)
    services.report_refresh(report=UnitReport.objects.get(pk=report.pk))
    line = report.lines.get()
    assert line.note == "Có 1 bài đăng lại" and line.quantity == Decimal(3)
