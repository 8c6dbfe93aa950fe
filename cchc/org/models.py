"""The unit directory: administrative units and agencies as one effective-dated tree.

A province (tỉnh / thành phố trực thuộc trung ương) has as children its communes, wards and special
zones, and its agencies (the People's Committee and its office, departments, the public
administration service centre, radio and television, the newspaper, the Fatherland Front ...). Any
unit can have sub-units (divisions, public service units). Units that existed before the
reorganisation of 1 July 2025 (63 provinces, 696 districts) stay in the tree, closed on
30 June 2025 (`valid_to`), each pointing to its `successor`, so that old data rolls up into the
unit that carries it on.

`path` is the chain of codes from the root ("/08/08.SNV/"), so a subtree is one indexed
`path__startswith` query.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.core.models import TimeStampedModel
from cchc.core.text import fold, nfc


class UnitQuerySet(models.QuerySet):
    def active_on(self, day: dt.date) -> "UnitQuerySet":
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    def current(self) -> "UnitQuerySet":
        return self.filter(valid_to__isnull=True)

    def subtree(self, unit: "Unit", *, include_self: bool = True) -> "UnitQuerySet":
        qs = self.filter(path__startswith=unit.path)
        return qs if include_self else qs.exclude(pk=unit.pk)

    def outside_communes(self, *, keeping: "Unit | None" = None) -> "UnitQuerySet":
        """Without the divisions of communes (every commune has its own few, named alike), but those of
        the commune that `keeping` is or belongs to: what a picker of a province's units offers."""
        condition = ~Q(parent__kind__in=sorted(Unit.COMMUNE_KINDS))
        for unit in (keeping, keeping.parent if keeping is not None and keeping.parent_id else None):
            if unit is not None and unit.kind in Unit.COMMUNE_KINDS:
                return self.filter(condition | Q(parent=unit))
        return self.filter(condition)

    def search(self, query: str) -> "UnitQuerySet":
        """Accent-insensitive: every word of the query must appear in the name, a short name or an alias."""
        qs = self
        for word in fold(query).split():
            qs = qs.filter(search_text__contains=word)
        return qs


class Unit(TimeStampedModel):
    """An administrative unit or an agency (đơn vị)."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("province")
        MUNICIPALITY = "municipality", _("centrally-run city")
        DISTRICT = "district", _("district")
        URBAN_DISTRICT = "urban_district", _("urban district")
        PROVINCIAL_CITY = "provincial_city", _("provincial city")
        TOWN = "town", _("town")
        COMMUNE = "commune", _("commune")
        WARD = "ward", _("ward")
        TOWNSHIP = "township", _("township")
        SPECIAL_ZONE = "special_zone", _("special zone")
        PEOPLES_COMMITTEE = "peoples_committee", _("People's Committee")
        PEOPLES_COUNCIL = "peoples_council", _("People's Council")
        OFFICE = "office", _("office")
        DEPARTMENT = "department", _("department")
        AGENCY = "agency", _("agency")
        SERVICE_CENTER = "service_center", _("public administration service centre")
        MEDIA = "media", _("press and broadcasting")
        PORTAL = "portal", _("e-portal")
        FRONT = "front", _("Fatherland Front")
        MASS_ORGANISATION = "mass_organisation", _("mass organisation")
        UNION = "union", _("trade union")
        DIVISION = "division", _("division")
        PUBLIC_SERVICE_UNIT = "public_service_unit", _("public service unit")
        CENTRAL = "central", _("central agency")
        OTHER = "other", _("other")

    TERRITORIAL_KINDS = {
        Kind.PROVINCE, Kind.MUNICIPALITY, Kind.DISTRICT, Kind.URBAN_DISTRICT, Kind.PROVINCIAL_CITY,
        Kind.TOWN, Kind.COMMUNE, Kind.WARD, Kind.TOWNSHIP, Kind.SPECIAL_ZONE,
    }
    PROVINCE_KINDS = {Kind.PROVINCE, Kind.MUNICIPALITY}
    COMMUNE_KINDS = {Kind.COMMUNE, Kind.WARD, Kind.SPECIAL_ZONE, Kind.TOWNSHIP}

    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(_("path"), max_length=1000, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True, db_index=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )
    search_text = models.TextField(_("search text"), blank=True, editable=False)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_from__lte=models.F("valid_to")),
                name="unit_valid_from_before_valid_to",
            ),
            models.CheckConstraint(condition=~Q(successor=models.F("id")), name="unit_not_own_successor"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_unit_id(self) -> int | None:
        return self.pk

    @property
    def is_active(self) -> bool:
        return self.valid_to is None or self.valid_to >= dt.date.today()

    def active_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or self.valid_to >= day)

    def compute_path(self) -> str:
        prefix = self.parent.path if self.parent_id else "/"
        return f"{prefix}{self.code}/"

    def refresh_derived(self) -> None:
        """Recompute the stored path, depth and search text (call before saving)."""
        self.name = nfc(self.name).strip()
        self.short_name = nfc(self.short_name or "").strip()
        self.aliases = [nfc(a).strip() for a in (self.aliases or []) if a and a.strip()]
        self.path = self.compute_path()
        self.depth = self.path.count("/") - 2
        self.search_text = " | ".join(fold(t) for t in [self.name, self.short_name, *self.aliases, self.code] if t)

    def ancestors(self) -> "UnitQuerySet":
        codes = [c for c in self.path.strip("/").split("/")[:-1]]
        return Unit.objects.filter(code__in=codes).order_by("depth")

    def province(self) -> "Unit | None":
        """The province-level unit this unit belongs to (itself for a province)."""
        if self.kind in self.PROVINCE_KINDS:
            return self
        return self.ancestors().filter(kind__in=self.PROVINCE_KINDS).last()

    def final_successor(self) -> "Unit":
        """Follow the successor chain to the unit that carries this one on today."""
        unit, seen = self, {self.pk}
        while unit.successor_id and unit.successor_id not in seen:
            seen.add(unit.successor_id)
            unit = unit.successor
        return unit


class Membership(TimeStampedModel):
    """A user's role in a unit (vai trò của người dùng tại đơn vị)."""

    class Role(models.TextChoices):
        SUPERVISOR = "supervisor", _("supervisor")
        MANAGER = "manager", _("unit manager")
        OFFICER = "officer", _("unit officer")
        VIEWER = "viewer", _("viewer")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique_user_unit_role")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"

    @property
    def audit_unit_id(self) -> int | None:
        return self.unit_id
