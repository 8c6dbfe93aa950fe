"""The home block of the procedure catalogue: for each unit whose catalogue the user manages, the
procedures in force, the decisions waiting for review, the decisions applied this year (the outputs
"Cập nhật, công khai TTHC" they counted) and this year's online-service figures."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from . import permissions, selectors
from .models import Decision

MAX_UNITS = 4


def home_context(request) -> dict | None:
    if not getattr(request.user, "is_authenticated", False):
        return None
    units = permissions.managed_units(request.user)[:MAX_UNITS]
    if not units:
        return None
    today = timezone.localdate()
    start, end = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    cards = []
    for unit in units:
        figures = selectors.figures_between(unit_paths=[unit.path], start=start, end=end)
        cards.append({
            "unit": unit, "counts": selectors.catalogue_counts(unit),
            "in_review": Decision.objects.filter(unit=unit, status=Decision.Status.REVIEW).count(),
            "applied": len(selectors.decisions_applied(unit_paths=[unit.path], start=start, end=end)),
            "figures": figures, "online_rate": selectors.percent(figures["online"], figures["dossiers"]),
            "full_rate": selectors.percent(figures["fully_online"], figures["dossiers"]),
        })
    return {"cards": cards, "year": today.year}
