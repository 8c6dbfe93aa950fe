"""Loading the national unit directory (danh mục đơn vị hành chính và cơ quan) into the tree.

Sources: the package `vietnam-provinces` for the 34 provinces and 3,321 communes, wards and
special zones since 1 July 2025, the 63 provinces, 696 districts and 10,051 communes of before,
and the official old-to-new conversion tables; `agency_table` for the agencies of each province.

Codes (stable, so that a reload finds its rows again):

    current province          "08"                 its official 2-digit code
    current commune/ward      "02264"              its official 5-digit code
    agency of a province      "08.SNV"             province code + "." + key from agency_table
    legacy province           "old-02"
    legacy district           "old-02-024"
    legacy commune/ward       "old-02-024-00688"
    agency of a legacy prov.  "old-02.SNV"

Every legacy unit is closed on 30 June 2025 and points to its successor: a legacy province to the
province it merged into, a district to that province, a commune to the new commune that took most
of it, a legacy agency to the current agency that carries on its work (Sở TT&TT → Sở KH&CN ...).

The load is idempotent: it reads the whole directory once, compares, and writes only what
changed, in bulk, parents before children.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cchc.core import audit
from cchc.core.text import nfc

from . import agency_table
from .models import Unit

CURRENT_FROM = dt.date(2025, 7, 1)
LEGACY_TO = dt.date(2025, 6, 30)
BATCH = 1000

_COMPARED = (
    "name", "short_name", "aliases", "kind", "parent_id", "path", "depth", "valid_from", "valid_to",
    "successor_id", "search_text",
)
# Codes the loader owns; units with other codes (sub-units, demo data) are never closed by it.
_MANAGED_CODE = re.compile(
    r"^(?:\d{2}|\d{5}|old-\d{2}(?:-\d{3}(?:-\d{5})?)?|(?:old-)?\d{2}\.(?P<key>[A-Z]+))$"
)

_PROVINCE_KIND = {"tỉnh": Unit.Kind.PROVINCE, "thành phố trung ương": Unit.Kind.MUNICIPALITY}
_COMMUNE_KIND = {"xã": Unit.Kind.COMMUNE, "phường": Unit.Kind.WARD, "đặc khu": Unit.Kind.SPECIAL_ZONE,
                 "thị trấn": Unit.Kind.TOWNSHIP}
_DISTRICT_KIND = {"huyện": Unit.Kind.DISTRICT, "quận": Unit.Kind.URBAN_DISTRICT,
                  "thành phố": Unit.Kind.PROVINCIAL_CITY, "thị xã": Unit.Kind.TOWN}
_PREFIXES = ("Thành phố ", "Tỉnh ", "Huyện ", "Quận ", "Thị xã ", "Xã ", "Phường ", "Thị trấn ", "Đặc khu ")


@dataclass
class _Spec:
    code: str
    name: str
    short_name: str
    aliases: list[str]
    kind: str
    parent: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    successor: str | None = None


def _bare(name: str) -> str:
    for prefix in _PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def _fill(template: str, *, lvl: str, bare: str) -> str:
    return template.format(
        lvl=lvl, N=bare, abbr="TP" if lvl == "thành phố" else "tỉnh",
        youth="Thành đoàn" if lvl == "thành phố" else "Tỉnh đoàn",
    )


def _agency_specs(specs, *, province_code: str, prefix: str, lvl: str, bare: str, valid_from, valid_to):
    out = []
    for spec in specs:
        out.append(_Spec(
            code=f"{prefix}.{spec.key}",
            name=_fill(spec.name, lvl=lvl, bare=bare),
            short_name=_fill(spec.short_name, lvl=lvl, bare=bare),
            aliases=list(dict.fromkeys(_fill(a, lvl=lvl, bare=bare) for a in spec.aliases)),
            kind=spec.kind,
            parent=f"{prefix}.{spec.parent}" if spec.parent else prefix,
            valid_from=valid_from,
            valid_to=valid_to,
        ))
    return out


def directory_specs() -> tuple[list[_Spec], list[_Spec]]:
    """The desired directory: (current units, legacy units), each with parents before children."""
    from vietnam_provinces._lookup import PROVINCE_MAPPING, WARD_MAPPING
    from vietnam_provinces._province_conversion_2025 import OLD_TO_NEW as PROVINCE_OLD_TO_NEW
    from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW as WARD_OLD_TO_NEW
    from vietnam_provinces.legacy import _lookup as legacy

    current: list[_Spec] = []
    current_codes: set[str] = set()
    agencies_of: dict[str, set[str]] = {}
    nested: list[_Spec] = []
    for province in PROVINCE_MAPPING.values():
        code = f"{province.code.value:02d}"
        name = nfc(province.name)
        bare = _bare(name)
        lvl = "thành phố" if name.startswith("Thành phố") else "tỉnh"
        current.append(_Spec(code, name, bare, [f"{lvl} {bare}"], _PROVINCE_KIND[province.division_type.value],
                             None, CURRENT_FROM, None))
        specs = agency_table.current_agencies_for(code)
        agencies_of[code] = {spec.key for spec in specs}
        for spec in _agency_specs(specs, province_code=code, prefix=code, lvl=lvl, bare=bare,
                                  valid_from=CURRENT_FROM, valid_to=None):
            (current if spec.parent == code else nested).append(spec)
    for ward in WARD_MAPPING.values():
        name = nfc(ward.name)
        current.append(_Spec(f"{ward.code.value:05d}", name, _bare(name), [],
                             _COMMUNE_KIND[ward.division_type.value], f"{ward.province_code.value:02d}",
                             CURRENT_FROM, None))
    current.extend(_parents_first(nested))
    current_codes = {s.code for s in current}

    legacy_units: list[_Spec] = []
    nested = []
    new_province_of: dict[int, str] = {}
    for province in legacy.PROVINCE_MAPPING.values():
        old = province.code.value
        entry = PROVINCE_OLD_TO_NEW.get(old)
        targets = [ref.code for ref in entry.new_provinces] if entry else []
        new = old if old in targets else (targets[0] if targets else None)
        successor = f"{new:02d}" if new is not None else None
        new_province_of[old] = successor
        prefix = f"old-{old:02d}"
        name = nfc(province.name)
        bare = _bare(name)
        lvl = "thành phố" if name.startswith("Thành phố") else "tỉnh"
        legacy_units.append(_Spec(prefix, name, bare, [f"{lvl} {bare}"],
                                  _PROVINCE_KIND[province.division_type.value], None, None, LEGACY_TO, successor))
        for spec, table_spec in zip(
            _agency_specs(agency_table.LEGACY_AGENCIES, province_code=prefix, prefix=prefix, lvl=lvl, bare=bare,
                          valid_from=None, valid_to=LEGACY_TO),
            agency_table.LEGACY_AGENCIES,
        ):
            spec.successor = _agency_successor(table_spec, successor, agencies_of)
            (legacy_units if spec.parent == prefix else nested).append(spec)
    district_province: dict[int, int] = {}
    for district in legacy.DISTRICT_MAPPING.values():
        p = district.province_code.value
        district_province[district.code.value] = p
        name = nfc(district.name)
        legacy_units.append(_Spec(f"old-{p:02d}-{district.code.value:03d}", name, _bare(name), [],
                                  _DISTRICT_KIND[district.division_type.value], f"old-{p:02d}", None, LEGACY_TO,
                                  new_province_of.get(p)))
    legacy_units.extend(_parents_first(nested))
    for ward in legacy.WARD_MAPPING.values():
        d = ward.district_code.value
        p = district_province[d]
        name = nfc(ward.name)
        entry = WARD_OLD_TO_NEW.get(ward.code.value)
        successor = f"{entry.new_wards[0].code:05d}" if entry and entry.new_wards else new_province_of.get(p)
        if successor not in current_codes:
            successor = new_province_of.get(p)
        legacy_units.append(_Spec(f"old-{p:02d}-{d:03d}-{ward.code.value:05d}", name, _bare(name), [],
                                  _COMMUNE_KIND[ward.division_type.value], f"old-{p:02d}-{d:03d}", None, LEGACY_TO,
                                  successor))
    return current, legacy_units


def _agency_successor(spec: agency_table.AgencySpec, new_province: str | None, agencies_of) -> str | None:
    if new_province is None:
        return None
    keys = agencies_of.get(new_province, set())
    for key in (spec.successor, *spec.successor_fallback, "UBND"):
        if key in keys:
            return f"{new_province}.{key}"
    return new_province


def _parents_first(specs: list[_Spec]) -> list[_Spec]:
    codes = {s.code for s in specs}
    done: set[str] = set()
    out: list[_Spec] = []
    pending = list(specs)
    while pending:
        rest = []
        for spec in pending:
            if spec.parent in codes and spec.parent not in done:
                rest.append(spec)
            else:
                out.append(spec)
                done.add(spec.code)
        if len(rest) == len(pending):  # a cycle in the table: keep the order given
            out.extend(rest)
            break
        pending = rest
    return out


def _depth_batches(specs: list[_Spec]) -> list[list[_Spec]]:
    """Group specs by tree depth so that a batch's parents are all saved before it."""
    depth: dict[str, int] = {}
    batches: dict[int, list[_Spec]] = {}
    for spec in specs:
        d = depth.get(spec.parent, -1) + 1 if spec.parent else 0
        depth[spec.code] = d
        batches.setdefault(d, []).append(spec)
    return [batches[d] for d in sorted(batches)]


def _is_managed(code: str) -> bool:
    match = _MANAGED_CODE.match(code)
    if not match:
        return False
    key = match.group("key")
    return key is None or key in agency_table.MANAGED_KEYS


def load_units(*, stdout=None) -> dict[str, int]:
    """Create or update the whole directory; close managed units that the data no longer lists.

    Returns counts: "created", "updated", "closed", "unchanged" and the same per kind
    ("created.province", "updated.department" ...).
    """
    counts: Counter[str] = Counter()
    current, legacy_units = directory_specs()
    now = timezone.now()
    with transaction.atomic():
        by_code: dict[str, Unit] = {u.code: u for u in Unit.objects.all()}
        saved: dict[str, Unit] = {}
        for batch in [*_depth_batches(current), *_depth_batches(legacy_units)]:
            to_create: list[Unit] = []
            to_update: list[Unit] = []
            for spec in batch:
                parent = saved.get(spec.parent) if spec.parent else None
                successor = saved.get(spec.successor) if spec.successor else None
                wanted = Unit(
                    code=spec.code, name=spec.name, short_name=spec.short_name, aliases=spec.aliases,
                    kind=spec.kind, parent=parent, valid_from=spec.valid_from, valid_to=spec.valid_to,
                    successor_id=successor.pk if successor else None,
                )
                wanted.refresh_derived()
                existing = by_code.get(spec.code)
                if existing is None:
                    wanted.created_at = wanted.updated_at = now
                    to_create.append(wanted)
                    counts["created"] += 1
                    counts[f"created.{spec.kind}"] += 1
                    saved[spec.code] = wanted
                    continue
                changed = [f for f in _COMPARED if getattr(existing, f) != getattr(wanted, f)]
                if changed:
                    for f in _COMPARED:
                        setattr(existing, f, getattr(wanted, f))
                    existing.updated_at = now
                    to_update.append(existing)
                    counts["updated"] += 1
                    counts[f"updated.{spec.kind}"] += 1
                else:
                    counts["unchanged"] += 1
                saved[spec.code] = existing
            for i in range(0, len(to_create), BATCH):
                Unit.objects.bulk_create(to_create[i:i + BATCH])
            if to_create and to_create[0].pk is None:  # a backend that does not return ids
                ids = dict(Unit.objects.filter(code__in=[u.code for u in to_create]).values_list("code", "id"))
                for unit in to_create:
                    unit.pk = ids[unit.code]
            if to_update:
                Unit.objects.bulk_update(to_update, [*_COMPARED, "updated_at"], batch_size=BATCH)

        closed = []
        today = dt.date.today()
        for code, unit in by_code.items():
            if code in saved or unit.valid_to is not None or not _is_managed(code):
                continue
            unit.valid_to = max(today - dt.timedelta(days=1), unit.valid_from or dt.date.min)
            unit.updated_at = now
            closed.append(unit)
            counts["closed"] += 1
            counts[f"closed.{unit.kind}"] += 1
        if closed:
            Unit.objects.bulk_update(closed, ["valid_to", "updated_at"], batch_size=BATCH)
        if counts["created"] or counts["updated"] or counts["closed"]:
            audit.record(
                action="other", object_type="org.unit", object_repr="unit directory",
                message=f"unit directory loaded: {counts['created']} created, {counts['updated']} updated, "
                        f"{counts['closed']} closed",
            )
    for key in ("created", "updated", "closed", "unchanged"):
        counts.setdefault(key, 0)
    if stdout is not None:
        stdout.write(
            f"units: {counts['created']} created, {counts['updated']} updated, {counts['closed']} closed, "
            f"{counts['unchanged']} unchanged\n"
        )
    from .resolve import clear_cache

    clear_cache()
    return dict(counts)
