"""Monthly online-service figures: the form's bounds and rules (online ≤ received, fully online ≤
online), the .xlsx template (inert) and its import (all or nothing), and the figures reports and the
home page show."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from cchc.core.idempotency import new_token
from cchc.core.models import AuditEvent
from cchc.procedures import services
from cchc.procedures.models import OnlineServiceFigure

from .conftest import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_setup")]

LAST_YEAR = dt.date.today().year - 1


@pytest.fixture(autouse=True)
def _english_messages(english):
    """Messages are asserted on their English source text."""


def _post(client, code, **data):
    return client.post(reverse("procedures:figures", args=[code]), {"form_token": new_token(), **data})


def test_form_saves_a_month_and_replaces_it(client, org_tree):
    login(client, org_tree.officer_a)
    code = org_tree.commune_a.code
    response = _post(client, code, year=LAST_YEAR, month=3, dossiers="120", online="80", fully_online="30", postal="5")
    assert response.status_code == 302
    _post(client, code, year=LAST_YEAR, month=3, dossiers="130", online="90", fully_online="30", postal="5")
    figure = OnlineServiceFigure.objects.get()
    assert (figure.dossiers, figure.online, figure.entered_by) == (130, 90, org_tree.officer_a)
    assert AuditEvent.objects.filter(object_type="procedures.onlineservicefigure").count() == 2
    page = client.get(reverse("procedures:figures", args=[code]), {"nam": LAST_YEAR}).content.decode()
    assert "130" in page and "(69%)" in page


@pytest.mark.parametrize("data,says", [
    ({"dossiers": "10", "online": "11"}, "cannot be more than the dossiers received"),
    ({"dossiers": "10", "online": "5", "fully_online": "6"}, "cannot be more than those received online"),
    ({"dossiers": "10", "postal": "12"}, "cannot be more than the dossiers"),
    ({"dossiers": "-1"}, "must be at least 0"),
    ({"dossiers": "1,5"}, "must be a whole number"),
    ({"dossiers": "1e20"}, "must be at most 10.000.000"),
    ({"dossiers": "abc"}, "must be a number"),
    ({"month": "13", "dossiers": "1"}, "must be at most 12"),
])
def test_form_refuses_what_cannot_be(client, org_tree, data, says):
    login(client, org_tree.officer_a)
    response = _post(client, org_tree.commune_a.code, **{"year": LAST_YEAR, "month": 5, **data})
    assert response.status_code == 400
    assert says in response.content.decode()
    assert not OnlineServiceFigure.objects.exists()


def test_a_month_to_come_is_refused(org_tree):
    today = dt.date.today()
    later = today.replace(day=1) + dt.timedelta(days=40)
    problems = services.figures_problems(year=later.year, month=later.month, dossiers=1, online=0, fully_online=0,
                                         postal=0)
    assert "has not come yet" in problems["month"]


def test_figures_of_another_unit_are_not_reachable(client, org_tree):
    login(client, org_tree.officer_b)
    assert _post(client, org_tree.commune_a.code, year=LAST_YEAR, month=1, dossiers="1").status_code == 404
    assert client.get(reverse("procedures:figures_template", args=[org_tree.commune_a.code])).status_code == 404
    assert not OnlineServiceFigure.objects.exists()


def test_template_is_inert_and_imports_back(client, org_tree):
    unit = org_tree.commune_a
    services.figures_save(user=org_tree.officer_a, unit=unit, year=LAST_YEAR, month=1, dossiers=50, online=20,
                          fully_online=10, postal=2, note="=HYPERLINK(\"http://x\")")
    login(client, org_tree.officer_a)
    response = client.get(reverse("procedures:figures_template", args=[unit.code]), {"nam": LAST_YEAR})
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.active
    assert [c.value for c in ws[2]][:6] == [LAST_YEAR, 1, 50, 20, 10, 2]
    assert ws["G2"].data_type == "s"  # the note typed as a formula stays text
    ws["C3"], ws["D3"], ws["E3"], ws["F3"] = 60, 30, 15, 1  # February
    out = io.BytesIO()
    wb.save(out)
    upload = SimpleUploadedFile("so-lieu.xlsx", out.getvalue())
    response = client.post(reverse("procedures:figures_import", args=[unit.code]), {"file": upload})
    assert response.status_code == 302
    assert OnlineServiceFigure.objects.filter(unit=unit).count() == 2
    assert OnlineServiceFigure.objects.get(unit=unit, month=2).online == 30


def test_import_with_an_error_saves_nothing(client, org_tree):
    wb = Workbook()
    ws = wb.active
    ws.append(["Năm", "Tháng", "Hồ sơ tiếp nhận", "Hồ sơ tiếp nhận trực tuyến", "Trực tuyến toàn trình", "Bưu chính"])
    ws.append([LAST_YEAR, 1, 10, 5, 1, 0])
    ws.append([LAST_YEAR, 2, 10, 50, 1, 0])  # more online than received
    ws.append([LAST_YEAR, 1, 3, 1, 1, 0])  # January twice
    out = io.BytesIO()
    wb.save(out)
    login(client, org_tree.officer_a)
    response = client.post(reverse("procedures:figures_import", args=[org_tree.commune_a.code]),
                           {"file": SimpleUploadedFile("x.xlsx", out.getvalue())})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Row 3" in html and "Row 4" in html and "already on row 2" in html
    assert not OnlineServiceFigure.objects.exists()
    response = client.post(reverse("procedures:figures_import", args=[org_tree.commune_a.code]),
                           {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")}, follow=True)
    assert "its content is not such a file" in response.content.decode()


def test_reports_and_home_show_the_figures(client, org_tree):
    from cchc.core import registry

    for unit, month, n in ((org_tree.commune_a, 1, 100), (org_tree.commune_b, 1, 50), (org_tree.commune_a, 3, 10)):
        services.figures_save(user=org_tree.supervisor, unit=unit, year=LAST_YEAR, month=month, dossiers=n,
                              online=n // 2, fully_online=n // 4, postal=1)
    provider = registry.stats_providers.get("procedures.online")
    rows = {r["key"]: r["value"] for r in provider.stats(unit_paths=[org_tree.province.path],
                                                          start=dt.date(LAST_YEAR - 1, 12, 15),
                                                          end=dt.date(LAST_YEAR, 3, 14))}
    # a quarter's data window (15/12–14/3) counts December to February: March is the next quarter's
    assert rows["procedures.online.dossiers"] == 150 and rows["procedures.online.online"] == "75 (50%)"
    assert provider.stats(unit_paths=[org_tree.other_province.path], start=dt.date(LAST_YEAR, 1, 1),
                          end=dt.date(LAST_YEAR, 12, 31)) == []
    login(client, org_tree.officer_a)
    home = client.get("/").content.decode()
    assert "home-procedures" in home and reverse("procedures:figures", args=[org_tree.commune_a.code]) in home
