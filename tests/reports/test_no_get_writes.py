"""No GET writes (issue 9, point 14): opening a page or a download changes nothing in the database.

Each page is read by a user who may see it (and, where there is one, edit it); every statement the
request runs is captured, and none of them may insert, update or delete a row. The session table
is left out: it is the user's own preferences, not the platform's data."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.reports import services
from cchc.reports.models import ReportLine, UnitReport

from .conftest import day

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries if WRITE.match(q["sql"]) and "django_session" not in q["sql"]]


@pytest.fixture
def opened(world, q1):
    t = world.tree
    world.record(t.commune_a, day("10/01/2026"), 2)
    report = services.report_open(unit=t.commune_a, period=q1, user=t.officer_a)
    record = world.record(t.commune_a, day("11/01/2026"), 1)  # counted since the report was opened
    return report, record


def _pages(world, q1, report, record):
    t = world.tree
    plan, task = world.plan, world.news
    return [
        (t.officer_a, f"/bao-cao/{report.pk}/"),
        (t.officer_a, f"/bao-cao/{report.pk}/gui/"),
        (t.officer_a, "/bao-cao/"),
        (t.supervisor, f"/bao-cao/ke-hoach/{plan.pk}/ky/"),
        (t.supervisor, f"/bao-cao/ky/{q1.pk}/sua/"),
        (t.supervisor, f"/bao-cao/ky/{q1.pk}/tong-hop/"),
        (t.supervisor, f"/bao-cao/ky/{q1.pk}/tong-hop.docx"),
        (t.supervisor, f"/bao-cao/ky/{q1.pk}/tong-hop.xlsx"),
        (t.supervisor, f"/ke-hoach/{plan.pk}/"),
        (t.supervisor, "/ke-hoach/"),
        (t.officer_a, f"/ke-hoach/{plan.pk}/"),
        (t.officer_a, f"/ke-hoach/nhiem-vu/{task.pk}/"),
        (t.officer_a, "/ke-hoach/nhiem-vu/"),
        (t.supervisor, f"/ke-hoach/{plan.pk}/tien-do/"),
        (t.supervisor, f"/ke-hoach/{plan.pk}/tai-ve/docx/"),
        (t.supervisor, f"/ke-hoach/{plan.pk}/tai-ve/xlsx/"),
        (t.officer_a, f"/ke-hoach/{plan.pk}/ke-hoach-con/?unit={t.commune_a.pk}"),
        (t.officer_a, f"/ke-hoach/don-vi/{t.commune_a.code}/quy-nay/"),
        (t.officer_a, f"/san-pham/don-vi/{t.commune_a.code}/"),
        (t.officer_a, f"/san-pham/don-vi/{t.commune_a.code}/them/"),
        (t.officer_a, f"/san-pham/{record.pk}/"),
        (t.officer_a, f"/san-pham/{record.pk}/sua/"),
        (t.officer_a, f"/san-pham/don-vi/{t.commune_a.code}/mau-nhap.xlsx"),
        (t.officer_a, "/san-pham/"),
        (t.officer_a, "/"),
        (t.supervisor, "/"),
        (t.officer_a, f"/don-vi/{t.commune_a.code}/"),
        (t.officer_b, f"/bao-cao/ky/{q1.pk}/don-vi/{t.commune_b.code}/"),  # a report not started yet
    ]


def test_no_page_writes_on_get(world, q1, opened, client):
    report, record = opened
    failures = []
    for user, url in _pages(world, q1, report, record):
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        if response.status_code not in (200, 302):
            failures.append(f"{url}: {response.status_code}")
        writes = _writes(ctx.captured_queries)
        if writes:
            failures.append(f"{url}: {writes[0][:160]}")
    assert not failures, "\n".join(failures)


def test_the_report_page_counts_on_get_without_rewriting_its_lines(world, q1, opened, client):
    report, _record = opened
    before = list(ReportLine.objects.filter(report=report).values_list("pk", "quantity"))
    counted_at = UnitReport.objects.get(pk=report.pk).counted_at
    client.force_login(world.tree.officer_a)
    response = client.get(f"/bao-cao/{report.pk}/")
    assert response.status_code == 200
    # the page shows the output recorded since the report opened (3, not the stored 2) ...
    line = response.context["lines"][0]
    assert line.quantity == 3 and line.pk == before[0][0]
    # ... and the stored lines and the time they were counted are the same after the GET
    assert list(ReportLine.objects.filter(report=report).values_list("pk", "quantity")) == before
    assert UnitReport.objects.get(pk=report.pk).counted_at == counted_at


def test_saving_the_report_stores_the_lines_counted_now_and_keeps_the_note(world, q1, opened, client):
    report, _record = opened
    line = report.lines.get()
    client.force_login(world.tree.officer_a)
    response = client.post(f"/bao-cao/{report.pk}/", {"results": "", "limitations": "", "proposals": "",
                                                      "version": report.version, "token": "t", "action": "save",
                                                      f"note-{line.pk}": "Có 1 bài đăng lại"})
    assert response.status_code == 302
    stored = report.lines.get()
    assert stored.quantity == 3 and stored.note == "Có 1 bài đăng lại"


def test_a_report_not_started_shows_its_numbers_and_is_created_by_the_button(world, q1, client):
    t = world.tree
    world.record(t.commune_b, day("10/01/2026"), 2)
    url = f"/bao-cao/ky/{q1.pk}/don-vi/{t.commune_b.code}/"
    client.force_login(t.officer_b)
    response = client.get(url)
    assert response.status_code == 200 and not UnitReport.objects.filter(unit=t.commune_b).exists()
    assert response.context["lines"][0].quantity == 2
    assert "start-report" in response.content.decode()
    # the button creates it once: a second press (a double click) reaches the same report
    first = client.post(url)
    second = client.post(url)
    report = UnitReport.objects.get(unit=t.commune_b, period=q1)
    assert first.url == second.url == f"/bao-cao/{report.pk}/"
    assert report.lines.get().quantity == 2
    # a user of a sibling commune neither sees nor starts it
    client.force_login(t.officer_a)
    assert client.get(url).status_code == 404 and client.post(url).status_code == 404
