"""The demo province's small catalogue (`cchc load-demo`): a real publication decision shipped with the
package (data/demo/), read by the same reader, reviewed with every row added, and applied as an officer
would — so the demo shows entries, their history, a decision applied and its output.

Idempotent: a catalogue that already has the decision applied is left as it is."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from . import selectors, services
from .models import Decision

DEMO_DECISION = Path(__file__).resolve().parent / "data" / "demo" / "1520-QD-UBND-bac-ninh.md"


@transaction.atomic
def load_demo_catalogue(*, unit, user=None) -> Decision:
    """Apply the demo decision to `unit`'s catalogue unless a decision of its number is applied there."""
    from cchc.documents.procedures import parse_procedures_bytes

    data = DEMO_DECISION.read_bytes()
    parsed = parse_procedures_bytes(data, name=DEMO_DECISION.name, sandboxed=False)
    number = (parsed.get("decision") or {}).get("number") or ""
    done = Decision.objects.filter(unit=unit, number=number, status=Decision.Status.APPLIED).first()
    if done is not None:
        return done
    upload = SimpleUploadedFile(DEMO_DECISION.name, data, content_type="text/markdown")
    decision = services.decision_import(user=user, unit=unit, upload=upload)
    unmatched = {str(r.index): "create" for r in selectors.review_rows(decision) if r.group == "unmatched"
                 and r.status != "abolished"}
    if unmatched:
        decision = services.decision_resolve(decision=decision, user=user, choices=unmatched)
    return services.decision_apply(decision=decision, user=user)
