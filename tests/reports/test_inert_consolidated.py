"""The consolidated .xlsx writes what the units typed as text, never as a formula."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone
from openpyxl import load_workbook

from cchc.reports import services
from cchc.reports.models import UnitReport
from tests.core.test_inert_exports import DANGEROUS, assert_inert


def test_narratives_and_unit_names_that_look_like_formulas_stay_text(world, q1, client):
    t = world.tree
    world.record(t.commune_a, dt.date(2026, 1, 10), 3)
    for unit, user in ((t.commune_a, t.officer_a), (t.commune_b, t.officer_b)):
        report = services.report_open(unit=unit, period=q1, user=user)
        services.report_submit(report=report, user=user, token=str(unit.pk),
                               now=timezone.make_aware(dt.datetime(2026, 3, 16, 9)))
    # as stored, whatever a form would have trimmed
    UnitReport.objects.filter(unit=t.commune_a).update(results=DANGEROUS[0], limitations=DANGEROUS[1], proposals=DANGEROUS[2])
    UnitReport.objects.filter(unit=t.commune_b).update(results=DANGEROUS[3], limitations=DANGEROUS[4], proposals=DANGEROUS[5])
    t.dept.name = "=1+1"
    t.dept.save(update_fields=["name"])

    client.force_login(t.supervisor)
    response = client.get(f"/bao-cao/ky/{q1.pk}/tong-hop.xlsx")
    assert response.status_code == 200
    assert_inert(response.content, DANGEROUS + ["=1+1"])
    book = load_workbook(io.BytesIO(response.content))
    assert list(book["Chỉ tiêu"].iter_rows(min_row=3, values_only=True))[0][4] == 3  # a number stays a number
