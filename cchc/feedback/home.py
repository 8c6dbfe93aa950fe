"""The home block of feedback: for each of the user's units, the items open, those overdue today and
this year's figures (received, answered, on time)."""

from __future__ import annotations

import datetime as dt

from cchc.core import workdays
from cchc.org import permissions as org_permissions
from cchc.org.models import Unit

from . import permissions, selectors

MAX_UNITS = 4


def home_context(request) -> dict | None:
    user = request.user
    if not permissions.menu_visible(user):
        return None
    today = workdays.today()
    if user.is_superuser:
        units = list(Unit.objects.current().filter(kind__in=Unit.PROVINCE_KINDS, parent__isnull=True)
                     .order_by("path")[:MAX_UNITS])
    else:
        ids = [g.unit_id for g in org_permissions.grants(user)]
        units = list(Unit.objects.filter(pk__in=ids).order_by("path")[:MAX_UNITS])
    start = dt.date(today.year, 1, 1)
    cards = []
    for unit in units:
        f = selectors.figures(unit_paths=[unit.path], start=start, end=today, today=today)
        counts = selectors.inbox_counts([unit.path], today=today)
        if not (f["received"] or counts["open"] or f["answered"]):
            continue
        cards.append({"unit": unit, "figures": f, "counts": counts,
                      "on_time_rate": selectors.percent(f["on_time"], f["answered"])})
    if not cards:
        return None
    return {"cards": cards, "year": today.year}
