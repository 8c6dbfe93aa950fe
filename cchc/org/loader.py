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
    division of a commune     "02264.VHXH", "old-02-024-00688.TPHT" (commune code + "." + key)

Every commune has its standard divisions (`agency_table.CURRENT_COMMUNE_DIVISIONS` since 1 July
2025, `agency_table.LEGACY_COMMUNE_DIVISIONS` before): some 94,000 of the directory's 111,000
units, so their names and search text are filled from templates folded once, not folded one by one.

Every legacy unit is closed on 30 June 2025 and points to its successor: a legacy province to the
province it merged into, a district to that province, a commune to the new commune that took most
of it, a legacy agency to the current agency that carries on its work (Sở TT&TT → Sở KH&CN ...), a
division of a legacy commune to the division of the new commune that carries on its work.

The load is idempotent: it reads the whole directory once, compares, and writes only what
changed, in bulk, parents before children.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from cchc.core import audit
from cchc.core.text import fold, nfc

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
    r"^(?:\d{2}|\d{5}|old-\d{2}(?:-\d{3}(?:-\d{5})?)?|(?:old-)?\d{2}\.(?P<key>[A-Z]+)"
    r"|(?:\d{5}|old-\d{2}-\d{3}-\d{5})\.(?P<division>[A-Z]+))$"
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
    search_text: str | None = None  # precomputed (divisions); otherwise folded from the names


_LEVEL_WORD = {Unit.Kind.COMMUNE: "xã", Unit.Kind.WARD: "phường", Unit.Kind.TOWNSHIP: "thị trấn",
               Unit.Kind.SPECIAL_ZONE: "đặc khu"}


@dataclass
class _DivisionTemplate:
    key: str
    kind: str
    texts: tuple[str, ...]  # name, short name, aliases (NFC), the level word filled in, {N} left to fill
    folded: str  # the search text without the code: folded once, {n} left to fill
    successor: str | None


def _division_templates(specs, *, ward: bool, lvl: str) -> list[_DivisionTemplate]:
    out = []
    for spec in specs:
        name = spec.ward_name if ward and spec.ward_name else spec.name
        short = name.replace(" {lvl} {N}", "") if name != spec.name else spec.short_name
        aliases = (spec.short_name, spec.name, *spec.aliases) if name != spec.name else spec.aliases
        texts = tuple(nfc(t.replace("{lvl}", lvl)) for t in
                      dict.fromkeys((name, short, *(a for a in aliases if a not in (name, short)))))
        out.append(_DivisionTemplate(spec.key, spec.kind, texts, " | ".join(fold(t) for t in texts),
                                     spec.successor))
    return out


_TEMPLATES: dict[tuple[bool, str], list[_DivisionTemplate]] = {}


def _division_specs(*, commune_code: str, commune_name: str, commune_kind: str, legacy: bool,
                    valid_from, valid_to, successor_commune: str | None = None) -> list[_Spec]:
    """The standard divisions of one commune (names from templates, search text folded once per template)."""
    key = (legacy, commune_kind)
    if key not in _TEMPLATES:
        table = agency_table.LEGACY_COMMUNE_DIVISIONS if legacy else agency_table.CURRENT_COMMUNE_DIVISIONS
        _TEMPLATES[key] = _division_templates(table, ward=commune_kind == Unit.Kind.WARD,
                                              lvl=_LEVEL_WORD.get(commune_kind, "xã"))
    bare = _bare(commune_name)
    f_bare = fold(bare)
    out = []
    for t in _TEMPLATES[key]:
        name, short, *aliases = (x.replace("{N}", bare) for x in t.texts)
        code = f"{commune_code}.{t.key}"
        successor = None
        if legacy and successor_commune:
            # A post's work goes to the new commune's division; the police and the military
            # command to the new commune itself (a commune that went to no commune: its successor).
            successor = (f"{successor_commune}.{t.successor}"
                         if t.successor and _CURRENT_COMMUNE.match(successor_commune) else successor_commune)
        out.append(_Spec(code, name, short, aliases, t.kind, commune_code, valid_from, valid_to, successor,
                         search_text=f"{t.folded.replace('{n}', f_bare)} | {code.lower()}"))
    return out


_CURRENT_COMMUNE = re.compile(r"^\d{5}$")


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
    divisions: list[_Spec] = []
    for ward in WARD_MAPPING.values():
        name = nfc(ward.name)
        code, kind = f"{ward.code.value:05d}", _COMMUNE_KIND[ward.division_type.value]
        current.append(_Spec(code, name, _bare(name), [], kind, f"{ward.province_code.value:02d}", CURRENT_FROM, None))
        divisions.extend(_division_specs(commune_code=code, commune_name=name, commune_kind=kind, legacy=False,
                                         valid_from=CURRENT_FROM, valid_to=None))
    current.extend(_parents_first(nested))
    current.extend(divisions)
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
    divisions = []
    for ward in legacy.WARD_MAPPING.values():
        d = ward.district_code.value
        p = district_province[d]
        name = nfc(ward.name)
        entry = WARD_OLD_TO_NEW.get(ward.code.value)
        successor = f"{entry.new_wards[0].code:05d}" if entry and entry.new_wards else new_province_of.get(p)
        if successor not in current_codes:
            successor = new_province_of.get(p)
        code, kind = f"old-{p:02d}-{d:03d}-{ward.code.value:05d}", _COMMUNE_KIND[ward.division_type.value]
        legacy_units.append(_Spec(code, name, _bare(name), [], kind, f"old-{p:02d}-{d:03d}", None, LEGACY_TO, successor))
        divisions.extend(_division_specs(commune_code=code, commune_name=name, commune_kind=kind, legacy=True,
                                         valid_from=None, valid_to=LEGACY_TO, successor_commune=successor))
    legacy_units.extend(divisions)
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
    key, division = match.group("key"), match.group("division")
    if division is not None:
        return division in agency_table.COMMUNE_DIVISION_KEYS
    return key is None or key in agency_table.MANAGED_KEYS


def _insert(rows: list[tuple], *, now) -> None:
    """Insert (code, *values of `_COMPARED`) rows: COPY on PostgreSQL, one statement run over all rows
    elsewhere.

    Not `bulk_create`: preparing every field of every row through the ORM took three quarters of a
    first load (110,000 units); the values here are already what the columns hold, only the JSON,
    date and time columns need the backend's adaptation."""
    fields = ["code", *_COMPARED]
    columns = [Unit._meta.get_field(f).column for f in fields] + ["created_at", "updated_at"]
    aliases = Unit._meta.get_field("aliases")
    at = {f: fields.index(f) for f in ("aliases", "valid_from", "valid_to")}
    stamp = connection.ops.adapt_datetimefield_value(now)
    adapt_date = connection.ops.adapt_datefield_value
    values = []
    for row in rows:
        row = list(row)
        row[at["aliases"]] = aliases.get_db_prep_save(row[at["aliases"]], connection)
        row[at["valid_from"]] = adapt_date(row[at["valid_from"]])
        row[at["valid_to"]] = adapt_date(row[at["valid_to"]])
        values.append((*row, stamp, stamp))
    table = connection.ops.quote_name(Unit._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # psycopg 3: rows streamed, no statement per row
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
        for i in range(0, len(values), 10 * BATCH):
            cursor.executemany(sql, values[i:i + 10 * BATCH])


def _wanted(spec: _Spec, *, parent_path: str, parent_id, successor_id) -> tuple:
    """The stored values of a spec, in the order of `_COMPARED` (what `Unit.refresh_derived` computes)."""
    path = f"{parent_path}{spec.code}/"
    search_text = spec.search_text
    if search_text is None:
        name, short_name = nfc(spec.name).strip(), nfc(spec.short_name or "").strip()
        aliases = [nfc(a).strip() for a in spec.aliases if a and a.strip()]
        search_text = " | ".join(fold(t) for t in [name, short_name, *aliases, spec.code] if t)
    else:  # a division: names built from NFC templates, search text folded with them
        name, short_name, aliases = spec.name, spec.short_name, spec.aliases
    return (name, short_name, aliases, spec.kind, parent_id, path, path.count("/") - 2, spec.valid_from,
            spec.valid_to, successor_id, search_text)


def load_units(*, stdout=None) -> dict[str, int]:
    """Create or update the whole directory; close managed units that the data no longer lists.

    Returns counts: "created", "updated", "closed", "unchanged" and the same per kind
    ("created.province", "updated.department" ...).

    The directory is compared as rows of values (no model instance per unchanged unit): a reload
    that changes nothing reads the table once and writes nothing.
    """
    counts: Counter[str] = Counter()
    current, legacy_units = directory_specs()
    now = timezone.now()
    with transaction.atomic():
        # code -> (id, valid_to, kind, *values in the order of _COMPARED)
        by_code: dict[str, tuple] = {
            row[0]: row[1:] for row in Unit.objects.values_list("code", "id", *_COMPARED).iterator(chunk_size=5000)
        }
        ids: dict[str, int] = {}
        paths: dict[str, str] = {}
        needed = {code for spec in [*current, *legacy_units] for code in (spec.parent, spec.successor) if code}
        for batch in [*_depth_batches(current), *_depth_batches(legacy_units)]:
            to_create: list[tuple] = []
            to_update: list[Unit] = []
            for spec in batch:
                wanted = _wanted(spec, parent_path=paths.get(spec.parent, "/") if spec.parent else "/",
                                 parent_id=ids.get(spec.parent) if spec.parent else None,
                                 successor_id=ids.get(spec.successor) if spec.successor else None)
                paths[spec.code] = wanted[5]
                existing = by_code.get(spec.code)
                if existing is None:
                    to_create.append((spec.code, *wanted))
                    counts["created"] += 1
                    counts[f"created.{spec.kind}"] += 1
                    continue
                ids[spec.code] = existing[0]
                if tuple(existing[1:]) != wanted:
                    unit = Unit(id=existing[0], code=spec.code, updated_at=now, **dict(zip(_COMPARED, wanted)))
                    to_update.append(unit)
                    counts["updated"] += 1
                    counts[f"updated.{spec.kind}"] += 1
                else:
                    counts["unchanged"] += 1
            if to_create:
                _insert(to_create, now=now)
                codes = [row[0] for row in to_create if row[0] in needed]
                for i in range(0, len(codes), 900):
                    ids.update(Unit.objects.filter(code__in=codes[i:i + 900]).values_list("code", "id"))
            if to_update:
                Unit.objects.bulk_update(to_update, [*_COMPARED, "updated_at"], batch_size=BATCH)

        closed = []
        today = dt.date.today()
        valid_from_at, valid_to_at, kind_at = (1 + _COMPARED.index(f) for f in ("valid_from", "valid_to", "kind"))
        for code, row in by_code.items():
            if code in paths or row[valid_to_at] is not None or not _is_managed(code):
                continue
            valid_to = max(today - dt.timedelta(days=1), row[valid_from_at] or dt.date.min)
            closed.append(Unit(id=row[0], code=code, valid_to=valid_to, updated_at=now))
            counts["closed"] += 1
            counts[f"closed.{row[kind_at]}"] += 1
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
