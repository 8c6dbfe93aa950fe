"""Who a plan reaches when it is issued, as the confirmation page shows it (reads only).

The units assigned to its tasks, grouped as the plan page groups them (`selectors.unit_kind_group`:
"UBND cấp xã (124)", "Các sở, ban, ngành (14)"), with how many of them have nobody in the platform
yet, and the agencies the document names that were not matched to a unit."""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from cchc.org.models import Membership, Unit

from .models import Assignment, Plan
from .selectors import kind_group_labels, unit_kind_group

# the order of a "Nơi nhận" block
GROUP_ORDER = ("departments", "districts", "communes", "front", "other")


def plan_recipients(plan: Plan) -> dict:
    """{"groups": [{key, label, count, units, without_users}], "total", "without_users", "unresolved"}
    in three queries, whatever the number of units."""
    unit_ids = Assignment.objects.filter(task__plan=plan, unit__isnull=False).values("unit_id")
    has_users = Membership.objects.filter(unit=OuterRef("pk"), is_active=True)
    units = list(
        Unit.objects.filter(pk__in=unit_ids).exclude(pk=plan.owner_id)
        .annotate(has_users=Exists(has_users)).order_by("path")
    )
    buckets: dict[str, list[Unit]] = {key: [] for key in GROUP_ORDER}
    for unit in units:
        buckets[unit_kind_group(unit)].append(unit)
    labels = kind_group_labels()
    groups = [
        {"key": key, "label": labels[key], "count": len(buckets[key]), "units": buckets[key],
         "without_users": sum(1 for u in buckets[key] if not u.has_users)}
        for key in GROUP_ORDER if buckets[key]
    ]
    unresolved = sorted(set(
        Assignment.objects.filter(task__plan=plan, unit__isnull=True).exclude(phrase="").values_list("phrase", flat=True)
    ))
    return {"groups": groups, "total": len(units), "without_users": sum(g["without_users"] for g in groups),
            "unresolved": unresolved}
