"""`cchc load-demo` gives the demo province a small catalogue from the real decision shipped with the
package, once however many times it runs."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from cchc.outputs.models import OutputRecord
from cchc.procedures.models import Decision, Procedure, ProcedureChange

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_setup")]


def test_load_demo_applies_the_demo_decision_once(national_units):
    out = StringIO()
    call_command("load_demo", stdout=out)
    decision = Decision.objects.get(unit__code="08")
    assert decision.status == Decision.Status.APPLIED and decision.number == "1520/QĐ-UBND"
    assert decision.applied_by.username == "giamsat"
    count = Procedure.objects.filter(unit__code="08", status="active").count()
    assert count == 13 and "1520/QĐ-UBND" in out.getvalue()
    assert all(p.code and p.search_text for p in Procedure.objects.filter(unit__code="08"))
    call_command("load_demo", stdout=StringIO())
    assert Decision.objects.count() == 1 and Procedure.objects.count() == 13
    assert ProcedureChange.objects.count() == 13
    assert OutputRecord.objects.filter(source="procedures.decision").count() == 1
