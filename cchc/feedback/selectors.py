"""Reading feedback: the staff inbox, an item's history, and the figures counted for the dashboard
and the reports (received, in scope, answered, on time, overdue now, median working days to answer,
by channel and field)."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter

from django.db.models import Q

from cchc.core import workdays
from cchc.core.models import AuditEvent
from cchc.core.text import fold

from .models import ANSWERED_STATUSES, Channel, Item, Status


def overdue_condition(today: dt.date) -> Q:
    """Items waiting in a step whose due date has passed."""
    return (Q(status=Status.RECEIVED, classify_due__lt=today)
            | Q(status__in=(Status.CLASSIFIED, Status.TRANSFERRED), answer_due__lt=today)
            | Q(status__in=(Status.DRAFTED, Status.APPROVED), reply_due__lt=today))


def items_for(unit_paths: list[str] | None):
    """Items of the units under `unit_paths` (received there or handled there); None: all items."""
    items = Item.objects.all() if unit_paths is None else Item.objects.for_units(unit_paths)
    return items.select_related("handling_unit", "receiving_unit", "item_type")


def inbox(unit_paths: list[str] | None, *, status: str = "", overdue: bool = False, channel: str = "",
          field: str = "", q: str = "", today: dt.date | None = None):
    """The staff inbox: open items first by the due date of the step they wait in, then the others."""
    today = today or workdays.today()
    items = items_for(unit_paths)
    if status == "open":
        items = items.open()
    elif status:
        items = items.filter(status=status)
    if overdue:
        items = items.filter(overdue_condition(today))
    if channel:
        items = items.filter(channel=channel)
    if field:
        items = items.filter(field=field)
    if q:
        code = q.strip().upper()
        items = items.filter(Q(code=code) | Q(subject__icontains=q.strip()))
    return items.order_by("-received_on", "-pk")


def inbox_fields(unit_paths: list[str] | None) -> list[str]:
    from cchc.core.text import vi_sorted

    return vi_sorted(set(items_for(unit_paths).exclude(field="").values_list("field", flat=True)))


def inbox_counts(unit_paths: list[str] | None, *, today: dt.date | None = None) -> dict:
    today = today or workdays.today()
    items = items_for(unit_paths)
    return {"open": items.open().count(), "overdue": items.filter(overdue_condition(today)).count()}


def item_history(item: Item):
    """The audit events of the item, its answer and its transfers, newest first (personal-data views
    included: who saw the sender's data and when)."""
    answer_id = getattr(getattr(item, "answer", None), "pk", None)
    condition = Q(object_type="feedback.item", object_id=str(item.pk))
    if answer_id:
        condition |= Q(object_type="feedback.answer", object_id=str(answer_id))
    transfer_ids = [str(pk) for pk in item.transfers.values_list("pk", flat=True)]
    if transfer_ids:
        condition |= Q(object_type="feedback.transfer", object_id__in=transfer_ids)
    return AuditEvent.objects.filter(condition).order_by("-at", "-id")


def transfer_targets(item: Item):
    """The units an item may be transferred to: the current units of the province it is in (without
    the divisions of communes), but the one it is with."""
    from cchc.org.models import Unit

    province = item.handling_unit.province() or item.handling_unit
    return (Unit.objects.current().subtree(province).outside_communes()
            .exclude(pk=item.handling_unit_id).order_by("path"))


def procedure_choices(item: Item):
    """The procedures of the catalogues of the units above and at the item's unit (province first)."""
    from cchc.procedures.models import Procedure

    codes = [c for c in item.handling_unit.path.strip("/").split("/")]
    return (Procedure.objects.filter(unit__code__in=codes, status=Procedure.Status.ACTIVE)
            .only("pk", "name", "code").order_by("name"))


# -- figures -----------------------------------------------------------------------------------

def figures(*, unit_paths: list[str], start: dt.date, end: dt.date, today: dt.date | None = None) -> dict:
    """The feedback figures of the units under `unit_paths` for [start, end]:

    received          items received in the period
    in_scope          of those, classified within scope
    answered          items whose answer was sent in the period
    on_time           of those, sent by their due date (reply_due)
    overdue_now       items open today past the due date of their step (whenever received)
    median_days       median working days from receipt to answer, over the answered ones
    by_channel        {channel label: items received}
    by_field          {field: items received in scope}"""
    today = today or workdays.today()
    items = Item.objects.for_units(unit_paths)
    received = list(items.filter(received_on__range=(start, end)).values_list("channel", "in_scope", "field"))
    answered = list(items.filter(status__in=ANSWERED_STATUSES, sent_on__range=(start, end))
                    .values_list("received_on", "sent_on", "reply_due"))
    calendar = workdays.Calendar()
    days = [calendar.working_days_between(r, s) for r, s, _due in answered]
    channels = dict(Channel.choices)
    by_channel = Counter(str(channels.get(c, c)) for c, _s, _f in received)
    by_field = Counter(f for _c, s, f in received if s and f)
    return {
        "received": len(received),
        "in_scope": sum(1 for _c, s, _f in received if s),
        "answered": len(answered),
        "on_time": sum(1 for _r, s, due in answered if s <= due),
        "overdue_now": items.filter(overdue_condition(today)).count(),
        "median_days": statistics.median(days) if days else None,
        "by_channel": dict(sorted(by_channel.items(), key=lambda kv: (-kv[1], fold(kv[0])))),
        "by_field": dict(sorted(by_field.items(), key=lambda kv: (-kv[1], fold(kv[0])))),
    }


def percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None
