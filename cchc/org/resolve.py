"""Turning what plans write ("Sở TT&TT", "Đài PT-TH tỉnh", "UBND các huyện, thành phố") into units.

One entry point, `resolve_agency`, always read in the context of the issuing unit and the date of
the document: a Hà Giang plan of 2023 speaks of the Hà Giang agencies of 2023 (closed since, their
successors carry them on); a Bắc Ninh plan of 2025 of the current ones.

How a phrase is read:

1. Normalised: NFC, accents folded, lower case, dashes unified, the abbreviations of
   administrative writing expanded (UBND, HĐND, MTTQ, TT&TT, KH&ĐT, LĐTBXH, PT-TH, VP, TT, ...).
2. Group phrases that mean several units are taken out first ("các sở, ban, ngành", "UBND các
   huyện, thị xã, thành phố", "UBND các xã, phường, thị trấn", "các phòng và tương đương", "các
   đoàn thể chính trị - xã hội"); vague ones ("các cơ quan, đơn vị liên quan") name no unit.
3. What remains is cut where a new agency begins (";", ",", "/", "và" followed by a head noun:
   Sở, Ban, Đài, Báo, UBND, Văn phòng, Trung tâm ...), so "Đài Phát thanh - Truyền hình và Báo
   Bình Phước" is two units while "Sở Kế hoạch và Đầu tư" stays one.
4. Each part is matched against the names, short names and aliases of the units of the
   context's province valid on the date (one in-memory index per province and date), with the
   designation of the province dropped ("Báo Hà Giang" = "Báo" in Hà Giang, "Sở Nội vụ tỉnh"):
   exactly first, then fuzzily with rapidfuzz. Names of closed agencies still match after the
   reorganisation and lead to their successor ("Sở TT&TT" in 2025 → Sở Khoa học và Công nghệ).
5. In a commune's plan, the commune's own divisions come first ("Văn hóa - Xã hội xã", "Công chức
   Tư pháp - Hộ tịch", "Phòng Văn hóa - Xã hội"): they are matched in a small index of that commune
   alone, never in the province's (every commune has a "Văn hóa – Xã hội"). A body that every level
   has ("Ủy ban Mặt trận Tổ quốc Việt Nam", "các hội đoàn thể") named in a commune's plan without a
   province designation is the commune's own, not the province's.

A plan is read against the units of its own date. `roll_up_to` then hands each named unit to the
units that carry its work on that later date: a closed agency to its successor, a closed district
to the communes that took over its communes, a post of an old commune to the division of the new
commune that does that work. `context_on` finds the unit a plan was issued by on its date from the
unit it is imported into today and the issuer the document names.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from rapidfuzz import fuzz, process

from cchc.core.text import fold, nfc

from .models import Unit

RESOLVED_AT = 0.8


@dataclass
class Candidate:
    unit: Unit
    score: float


@dataclass
class UnitGroup:
    """Several units that a plan names with one phrase ("UBND các huyện, thành phố", "các sở, ngành").

    `kind`: departments, districts, communes, front, branches (the divisions of the issuing
    commune), subunits (of the issuing unit)."""

    kind: str
    units: list[Unit]


@dataclass
class Resolution:
    """What a phrase of a plan names (cơ quan, đơn vị được nêu trong văn bản).

    `units` are those the work falls to (after a roll-up, today's); `named` those the text named on
    the document's date; `groups` the group phrases among them, each with its units."""

    text: str
    units: list[Unit]
    confidence: float
    is_group: bool
    candidates: list[Candidate] = field(default_factory=list)
    note: str = ""
    named: list[Unit] = field(default_factory=list)
    groups: list[UnitGroup] = field(default_factory=list)

    @property
    def resolved(self) -> bool:
        return self.confidence >= RESOLVED_AT


# --- normalisation ------------------------------------------------------------------------------

_ABBREVIATIONS: list[tuple[re.Pattern, str]] = [
    (re.compile(p), r) for p, r in [
        (r"\btt\s*[&-]\s*tt\b", "thong tin va truyen thong"),
        (r"\bso tttt\b", "so thong tin va truyen thong"),
        (r"\bkh\s*&\s*dt\b|\bkhdt\b", "ke hoach va dau tu"),
        (r"\bld\s*-?\s*tb\s*&?\s*xh\b|\bldtbxh\b", "lao dong thuong binh va xa hoi"),
        (r"\bpt\s*[-&]\s*th\b|\bptth\b", "phat thanh truyen hinh"),
        (r"\bvh\s*[,-]?\s*tt\s*&\s*dl\b|\bvhtt\s*&\s*dl\b|\bvhttdl\b", "van hoa the thao va du lich"),
        (r"\bkh\s*&\s*cn\b|\bkhcn\b", "khoa hoc va cong nghe"),
        (r"\bnn\s*&\s*ptnt\b|\bnnptnt\b", "nong nghiep va phat trien nong thon"),
        (r"\bnn\s*&\s*mt\b|\bnnmt\b", "nong nghiep va moi truong"),
        (r"\btn\s*&\s*mt\b|\btnmt\b", "tai nguyen va moi truong"),
        (r"\bgd\s*&\s*dt\b|\bgddt\b", "giao duc va dao tao"),
        (r"\bdt\s*&\s*tg\b|\bdttg\b", "dan toc va ton giao"),
        (r"\bgtvt\b", "giao thong van tai"),
        (r"\bubmttq\b", "uy ban mat tran to quoc"),
        (r"\bmttq\b", "mat tran to quoc"),
        (r"\bvpubnd\b|\bvpub\b", "van phong uy ban nhan dan"),
        (r"\bubnd\b", "uy ban nhan dan"),
        (r"\bhdnd\b", "hoi dong nhan dan"),
        (r"\bvp\b", "van phong"),
        (r"\bpvhcc\b", "phuc vu hanh chinh cong"),
        (r"\bttpvhcc\b", "trung tam phuc vu hanh chinh cong"),
        (r"\bcttdt\b", "cong thong tin dien tu"),
        (r"\bttdt\b", "thong tin dien tu"),
        (r"\bcdvc\b", "cong doan vien chuc"),
        (r"\bldld\b", "lien doan lao dong"),
        (r"\bhlhpn\b", "hoi lien hiep phu nu"),
        (r"\blhpn\b", "lien hiep phu nu"),
        (r"\bhccb\b", "hoi cuu chien binh"),
        (r"\bccb\b", "cuu chien binh"),
        (r"\btd\s*-?\s*kt\b|\btdkt\b", "thi dua khen thuong"),
        (r"\bttr\b", "thanh tra"),
        (r"\btt\b", "trung tam"),
        (r"\btp\b", "thanh pho"),
        (r"\btx\b", "thi xa"),
        (r"\bsnv\b", "so noi vu"),
        (r"\bso nv\b", "so noi vu"),
        (r"\bthi dua\s*-?\s*khen thuong\b", "thi dua khen thuong"),
    ]
]
_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-"})
_NOISE = re.compile(r"[^a-z0-9 ]+")


def expand(text: str) -> str:
    """Folded text with abbreviations written out; punctuation kept (it still separates agencies)."""
    out = fold(nfc(text).translate(_DASHES))
    out = re.sub(r"\s*&\s*", " & ", out).replace(" & ", "&")
    for pattern, replacement in _ABBREVIATIONS:
        out = pattern.sub(replacement, out)
    return out


def _key(expanded: str) -> str:
    """The comparable form: no punctuation, no "và" (Phát thanh - Truyền hình = Phát thanh và Truyền hình)."""
    words = _NOISE.sub(" ", expanded).split()
    return " ".join(w for w in words if w != "va")


def _strip_designation(key: str, *, level: str, bare: str) -> str:
    """Drop a trailing province designation: "so noi vu tinh ha giang" -> "so noi vu"."""
    out = key
    if bare:
        out = re.sub(rf"(?:\s+(?:cua|thuoc))?(?:\s+(?:cap\s+)?{level})?\s+{re.escape(bare)}$", "", out)
    out = re.sub(rf"(?:\s+(?:cua|thuoc))?\s+(?:cap\s+)?{level}$", "", out)
    return out.strip() or key


# --- groups -------------------------------------------------------------------------------------

_DISTRICT_WORDS = r"(?:huyen|quan|thi xa|thanh pho)"
_COMMUNE_WORDS = r"(?:xa|phuong|thi tran|dac khu)"
_GROUPS: list[tuple[str, re.Pattern]] = [
    ("vague", re.compile(r"\bcac co quan trung uong\b[^;]*")),
    ("districts", re.compile(
        rf"\b(?:chu tich\s+)?uy ban nhan dan\s+(?:(?:cac|cap)\s+(?:huyen|quan|thi xa)(?:\s*,?\s*{_DISTRICT_WORDS}\b)*"
        rf"|(?:huyen|quan|thi xa)(?:\s*,\s*{_DISTRICT_WORDS}\b)+)"
        rf"|\bcac\s+huyen\s*,\s*(?:thi xa\s*,\s*)?thanh pho\b")),
    ("communes", re.compile(
        rf"\b(?:chu tich\s+)?uy ban nhan dan\s+(?:(?:cac|cap)\s+(?:xa|phuong|thi tran)(?:\s*,?\s*{_COMMUNE_WORDS}\b)*"
        rf"|(?:xa|phuong|thi tran)(?:\s*,\s*{_COMMUNE_WORDS}\b)+)"
        rf"|\bcac\s+xa\s*,\s*(?:phuong|thi tran)(?:\s*,\s*{_COMMUNE_WORDS}\b)*")),
    ("departments", re.compile(
        r"\b(?:thu truong\s+)?(?:cac\s+)?so\s*,?\s*(?:ban\s*,?\s*)?nganh\b"
        r"(?:\s+(?:tinh|thanh pho|cap tinh|thuoc uy ban nhan dan (?:tinh|thanh pho)))?(?:\s+(?:co\s+)?lien quan)?")),
    ("front", re.compile(
        r"\b(?:cac\s+)?(?:to chuc\s+)?(?:doan the|to chuc)\s+chinh tri\s*-?\s*xa hoi(?:\s+(?:tinh|thanh pho|cap tinh))?"
        r"|\bcac\s+doan the(?:\s+(?:tinh|thanh pho|cap tinh))?"
        # a commune's "Mặt trận các hội, đoàn thể xã", "các hội đoàn thể xã"
        rf"|\b(?:mat tran(?:\s+to quoc)?(?:\s+viet nam)?\s*(?:,\s*|va\s+)?)?(?:cac\s+)?hoi\s*,?\s*doan the"
        rf"(?:\s+chinh tri\s*-?\s*xa hoi)?(?:\s+(?:{_DISTRICT_WORDS}|{_COMMUNE_WORDS}))?")),
    # "các ban, ngành", "các ngành chuyên môn UBND xã", "các ngành có liên quan": the branches of the
    # issuing unit's own level (a province's departments, a commune's divisions).
    ("branches", re.compile(
        rf"\bcac\s+(?:ban\s*,\s*)?nganh\b(?:\s+chuyen mon)?(?:\s+(?:thuoc\s+)?uy ban nhan dan)?"
        rf"(?:\s+(?:cap\s+)?(?:{_DISTRICT_WORDS}|{_COMMUNE_WORDS}))?(?:\s+(?:co\s+)?lien quan)?"
        rf"(?:\s+(?:thuoc\s+)?(?:uy ban nhan dan\s+)?(?:{_DISTRICT_WORDS}|{_COMMUNE_WORDS}))?")),
    ("subunits", re.compile(
        r"\bcac\s+(?:phong|bo phan)(?:\s*,\s*ban)?(?:\s+(?:va tuong duong|chuyen mon|ban chuyen mon))?"
        r"(?:\s*,?\s*(?:cac\s+)?don vi\s+(?:truc thuoc|su nghiep)(?:\s+truc thuoc)?)?"
        r"|\bcac\s+don vi\s+(?:truc thuoc|su nghiep(?:\s+truc thuoc)?)\b")),
    ("vague", re.compile(
        r"\b(?:cac\s+|moi\s+)?(?:co quan|don vi|to chuc|dia phuong)(?:\s*,\s*(?:co quan|don vi|to chuc|dia phuong))*"
        r"(?:\s+(?:co\s+)?lien quan|\s+khac)\b")),
]
_HEADS = (
    r"so|ban|uy ban|hoi dong nhan dan|van phong|trung tam|dai|bao|cong thong tin|cong doan|lien doan|hoi|"
    r"tinh doan|thanh doan|doan thanh nien|thanh tra|chi cuc|phong|cac|mat tran|co so|bo|truong|benh vien"
)
_SPLIT = re.compile(rf"\s*(?:;|\n|(?:,|/|\+|\bva\b)\s*(?=(?:{_HEADS})\b))\s*")
_OUTSIDE = re.compile(r"\btrung uong\b|^bo\b|\bchinh phu\b|\bthu tuong\b|\bquoc gia\b")
_LEVEL_REF = re.compile(r"^(?:uy ban nhan dan\s+)?(tinh|thanh pho|huyen|quan|thi xa|xa|phuong|thi tran|dac khu)$")
_LEVEL_KINDS = {
    "huyen": {Unit.Kind.DISTRICT}, "quan": {Unit.Kind.URBAN_DISTRICT}, "thi xa": {Unit.Kind.TOWN},
    "thanh pho": {Unit.Kind.PROVINCIAL_CITY}, "xa": {Unit.Kind.COMMUNE}, "phuong": {Unit.Kind.WARD},
    "thi tran": {Unit.Kind.TOWNSHIP}, "dac khu": {Unit.Kind.SPECIAL_ZONE},
}
_DISTRICT_KINDS = {Unit.Kind.DISTRICT, Unit.Kind.URBAN_DISTRICT, Unit.Kind.PROVINCIAL_CITY, Unit.Kind.TOWN}
_DEPARTMENT_KINDS = {Unit.Kind.DEPARTMENT, Unit.Kind.AGENCY, Unit.Kind.OFFICE}
_FRONT_KINDS = {Unit.Kind.FRONT, Unit.Kind.MASS_ORGANISATION, Unit.Kind.UNION}
# Bodies that every level has: named in a commune's or district's plan without a province
# designation, they are that commune's or district's own.
_EVERY_LEVEL_KINDS = {Unit.Kind.PEOPLES_COMMITTEE, Unit.Kind.PEOPLES_COUNCIL, *_FRONT_KINDS}
_LEVEL_WORDS = {
    Unit.Kind.COMMUNE: "xa", Unit.Kind.WARD: "phuong", Unit.Kind.TOWNSHIP: "thi tran", Unit.Kind.SPECIAL_ZONE: "dac khu",
    Unit.Kind.DISTRICT: "huyen", Unit.Kind.URBAN_DISTRICT: "quan", Unit.Kind.PROVINCIAL_CITY: "thanh pho",
    Unit.Kind.TOWN: "thi xa",
}
# How a commune's plan names the person or team for a division: "Công chức Văn hóa - Xã hội",
# "Cán bộ quản lý Đài truyền thanh xã", "Bộ phận Tư pháp - Hộ tịch".
_ROLE_PREFIX = re.compile(
    r"^(?:(?:can bo|cong chuc|nguoi)(?:\s+(?:quan ly|phu trach|chuyen trach))?|bo phan(?:\s+chuyen mon)?)\s+")


# --- the index ----------------------------------------------------------------------------------

@dataclass
class _Index:
    province: Unit | None
    units: dict[int, Unit]
    exact: dict[str, list[tuple[int, float]]]  # key -> [(unit id, weight)]
    keys: list[str]
    agency_keys: list[str]
    territory_keys: list[str]
    level: str
    bare: str


_CACHE: dict[tuple, _Index] = {}
_GENERATION: tuple | None = None


def clear_cache() -> None:
    global _GENERATION
    _CACHE.clear()
    _GENERATION = None


def _check_generation() -> None:
    """Drop cached indexes when the directory changed (one cheap aggregate query)."""
    global _GENERATION
    stamp = tuple(Unit.objects.aggregate(n=Count("id"), m=Max("updated_at")).values())
    if stamp != _GENERATION:
        _CACHE.clear()
        _GENERATION = stamp


def _level_of(province: Unit) -> str:
    return "thanh pho" if province.kind == Unit.Kind.MUNICIPALITY else "tinh"


def _unit_keys(unit: Unit, *, level: str, bare: str) -> set[str]:
    keys = set()
    names = [unit.name, unit.short_name, *(unit.aliases or [])]
    if unit.kind in Unit.TERRITORIAL_KINDS and unit.parent_id is not None:
        # A district or commune stands for its own People's Committee; a province has one as an agency.
        names.append(f"Ủy ban nhân dân {unit.name}")
    for name in names:
        if not name:
            continue
        key = _key(expand(name))
        if not key:
            continue
        keys.add(key)
        if bare and unit.kind not in Unit.TERRITORIAL_KINDS:
            keys.add(_strip_designation(key, level=level, bare=bare))
    return keys


_IN_A_COMMUNE = Q(parent__kind__in=sorted(Unit.COMMUNE_KINDS))


def _build_index(province: Unit | None, on: dt.date) -> _Index:
    exact: dict[str, list[tuple[int, float]]] = {}
    units: dict[int, Unit] = {}
    if province is not None:
        level, bare = _level_of(province), fold(province.short_name or province.name)
        # The divisions of communes are not the province's: each commune's are read in its own index.
        rows = list(Unit.objects.filter(path__startswith=province.path).active_on(on).exclude(_IN_A_COMMUNE))
        # Agencies closed before `on` whose successor is here: their old names still lead to it.
        closed = list(
            Unit.objects.filter(successor__path__startswith=province.path, valid_to__lt=on)
            .exclude(kind__in=Unit.TERRITORIAL_KINDS).exclude(_IN_A_COMMUNE)
            .select_related("parent")
        )
    else:
        level, bare = "tinh", ""
        rows = list(Unit.objects.filter(depth__lte=1).active_on(on))
        closed = []
    for unit in rows:
        units[unit.pk] = unit
        for key in _unit_keys(unit, level=level, bare=bare):
            exact.setdefault(key, []).append((unit.pk, 1.0))
    old_provinces = {
        u.code: u for u in Unit.objects.filter(code__in={old.path.strip("/").split("/")[0] for old in closed})
    }
    for old in closed:
        target = old.final_successor()
        if target.pk not in units:
            continue
        # The old name is read with the designation of its own (old) province dropped.
        old_province = old_provinces.get(old.path.strip("/").split("/")[0])
        old_level = _level_of(old_province) if old_province else level
        old_bare = fold(old_province.short_name) if old_province else bare
        for key in _unit_keys(old, level=old_level, bare=old_bare) | _unit_keys(old, level=level, bare=bare):
            entries = exact.setdefault(key, [])
            if all(pk != target.pk for pk, _ in entries):
                entries.append((target.pk, 0.9))
    territory = {k for k, entries in exact.items() if all(units[pk].kind in Unit.TERRITORIAL_KINDS for pk, _ in entries)}
    return _Index(province, units, exact, list(exact), [k for k in exact if k not in territory], sorted(territory),
                  level, bare)


def _province_of(unit: Unit) -> Unit:
    root = unit.path.strip("/").split("/")[0]
    if root == unit.code:
        return unit
    key = ("province", root)
    if key not in _CACHE:
        _CACHE[key] = Unit.objects.get(code=root)
    return _CACHE[key]


def _tier(unit: Unit) -> set[str]:
    """Kinds that stand for one another across the reorganisation (a province for a province ...)."""
    if unit.kind in Unit.PROVINCE_KINDS:
        return set(Unit.PROVINCE_KINDS)
    if unit.kind in Unit.COMMUNE_KINDS:
        return set(Unit.COMMUNE_KINDS)
    if unit.kind in Unit.TERRITORIAL_KINDS:
        return set(_DISTRICT_KINDS)
    return {k for k in Unit.Kind.values if k not in Unit.TERRITORIAL_KINDS}


_ISSUER_HEAD = re.compile(r"^(?:chu tich\s+)?(?:uy ban nhan dan|hoi dong nhan dan)\s+")


def _names_issuer(unit: Unit, issuer_key: str) -> bool:
    names = [unit.name, unit.short_name, *(unit.aliases or [])]
    keys = {_key(expand(n)) for n in names if n}
    bare = _ISSUER_HEAD.sub("", issuer_key)
    return issuer_key in keys or bare in keys


def _effective_context(context: Unit, on: dt.date, issuer: str | None = None) -> Unit:
    """The unit that stands for `context` on `on` (its predecessor before a merger, its successor after).

    Of several predecessors (Hà Giang and Tuyên Quang both became today's Tuyên Quang), the one the
    document names as its issuer; without one, the one of the same name."""
    if context.active_on(on):
        return context
    if context.valid_to and on > context.valid_to:
        successor = context.final_successor()
        return successor if successor.active_on(on) else context
    predecessors = list(Unit.objects.filter(successor=context, kind__in=_tier(context)).active_on(on))
    if issuer:
        issuer_key = _key(expand(issuer))
        named = [u for u in predecessors if _names_issuer(u, issuer_key)]
        if not named and predecessors:
            scored = process.extractOne(issuer_key, {u.pk: _key(expand(u.name)) for u in predecessors},
                                        scorer=fuzz.token_set_ratio, score_cutoff=90)
            named = [u for u in predecessors if scored and u.pk == scored[2]]
        if len(named) == 1:
            return named[0]
    if len(predecessors) == 1:
        return predecessors[0]
    same_name = [u for u in predecessors if fold(u.short_name or u.name) == fold(context.short_name or context.name)]
    return same_name[0] if len(same_name) == 1 else context


def context_on(unit: Unit, on: dt.date, *, issuer: str | None = None) -> Unit:
    """The unit that issued, on `on`, a document now kept by `unit` (see `_effective_context`)."""
    return _effective_context(unit, on, issuer)


# --- a commune's own index ----------------------------------------------------------------------

@dataclass
class _Local:
    """The units inside one commune on a date (its divisions), with the old names that lead to them."""

    scope: Unit
    units: dict[int, Unit]
    exact: dict[str, list[tuple[int, float]]]
    level: str
    bare: str


def _local_index(scope: Unit, on: dt.date) -> _Local:
    cache_key = ("local", scope.pk, on)
    if cache_key in _CACHE:
        return _CACHE[cache_key]
    level, bare = _LEVEL_WORDS.get(scope.kind, "xa"), fold(scope.short_name or scope.name)
    units: dict[int, Unit] = {}
    exact: dict[str, list[tuple[int, float]]] = {}
    for unit in Unit.objects.filter(parent=scope).exclude(kind__in=Unit.TERRITORIAL_KINDS).active_on(on):
        units[unit.pk] = unit
        for key in _unit_keys(unit, level=level, bare=bare):
            exact.setdefault(key, []).append((unit.pk, 1.0))
    # Posts of the old communes that this commune took over: "Tư pháp - Hộ tịch" in a plan of 2026.
    closed = (Unit.objects.filter(successor__parent=scope, valid_to__lt=on).exclude(kind__in=Unit.TERRITORIAL_KINDS)
              .select_related("parent"))
    for old in closed:
        if old.successor_id not in units:
            continue
        old_level = _LEVEL_WORDS.get(old.parent.kind, level) if old.parent_id else level
        old_bare = fold(old.parent.short_name or old.parent.name) if old.parent_id else bare
        for key in _unit_keys(old, level=old_level, bare=old_bare) | _unit_keys(old, level=level, bare=bare):
            entries = exact.setdefault(key, [])
            if all(pk != old.successor_id for pk, _ in entries):
                entries.append((old.successor_id, 0.9))
    _CACHE[cache_key] = local = _Local(scope, units, exact, level, bare)
    return local


def _index_for(context: Unit | None, on: dt.date) -> _Index:
    province = _province_of(context) if context is not None else None
    cache_key = (province.code if province else None, on)
    if cache_key not in _CACHE:
        _CACHE[cache_key] = _build_index(province, on)
    return _CACHE[cache_key]


# --- resolving ----------------------------------------------------------------------------------

@dataclass
class _Part:
    units: list[Unit]
    confidence: float
    is_group: bool = False
    vague: bool = False
    candidates: list[Candidate] = field(default_factory=list)
    note: str = ""
    group: str | None = None  # the kind of group phrase this part is
    # A group the directory does not hold at this level (a commune's mass organisations): like a
    # vague phrase, it does not keep the units named beside it from being resolved.
    absent: bool = False


def _ancestors_in(index: _Index, context: Unit | None) -> list[Unit]:
    """The context and its ancestors, nearest first, as far as the index holds them."""
    if context is None:
        return []
    by_code = {u.code: u for u in index.units.values()} if index.units else {}
    codes = context.path.strip("/").split("/")
    return [by_code[c] for c in reversed(codes) if c in by_code]


def _territorial_scope(index: _Index, context: Unit | None) -> Unit | None:
    for unit in _ancestors_in(index, context):
        if unit.kind in Unit.TERRITORIAL_KINDS:
            return unit
    return index.province


def _below_province(index: _Index, scope: Unit | None) -> bool:
    return scope is not None and index.province is not None and scope.pk != index.province.pk


def _group(kind: str, index: _Index, context: Unit | None, local: _Local | None) -> _Part:
    if kind == "vague":
        return _Part([], 0.2, is_group=True, vague=True, note="names no particular unit")
    if index.province is None or context is None:
        return _Part([], 0.2, is_group=True, note="a group phrase needs the issuing unit as context")
    province = index.province
    scope = _territorial_scope(index, context)
    units = sorted(index.units.values(), key=lambda u: u.path)
    if kind == "branches" and not _below_province(index, scope):
        kind = "departments"  # a province's branches are its departments
    absent = False
    if kind == "departments":
        found = [u for u in units if u.parent_id == province.pk and u.kind in _DEPARTMENT_KINDS]
    elif kind == "front":
        if _below_province(index, scope):
            # The Front and mass organisations of a commune or district are not in the directory.
            found = [u for u in units if u.kind in _FRONT_KINDS and u.path.startswith(scope.path)]
            absent = not found
        else:
            found = [u for u in units if u.kind in _FRONT_KINDS and u.kind != Unit.Kind.UNION]
    elif kind == "districts":
        found = [u for u in units if u.kind in _DISTRICT_KINDS]
    elif kind == "communes":
        found = [u for u in units if u.kind in Unit.COMMUNE_KINDS and u.path.startswith(scope.path)]
    elif kind == "branches":
        found = sorted(local.units.values(), key=lambda u: u.path) if local is not None else [
            u for u in units if u.parent_id == scope.pk and u.kind not in Unit.TERRITORIAL_KINDS]
    else:  # subunits of the issuing unit
        pool = local.units.values() if local is not None and context.pk == local.scope.pk else units
        found = sorted((u for u in pool if u.parent_id == context.pk and u.kind not in Unit.TERRITORIAL_KINDS),
                       key=lambda u: u.path)
    if not found:
        note = (f"the {kind} of this {_LEVEL_WORDS.get(scope.kind, 'unit')} are not in the directory" if absent
                else f"no {kind} in the directory on this date")
        return _Part([], 0.3, is_group=True, note=note, group=kind, absent=absent)
    return _Part(found, 0.9, is_group=True, group=kind)


_TERRITORY_HEAD = re.compile(r"^(?:uy ban nhan dan\s+)?(?:tinh|thanh pho|huyen|quan|thi xa|xa|phuong|thi tran|dac khu)\b")


def _candidates(index: _Index, key: str, *, limit: int = 5) -> list[Candidate]:
    """The nearest units by name; a phrase that starts like an agency is compared with agencies only."""
    out: dict[int, Candidate] = {}
    keys = index.territory_keys if _TERRITORY_HEAD.match(key) else index.agency_keys
    for matched, score, _ in process.extract(key, keys, scorer=fuzz.token_sort_ratio, limit=limit * 3,
                                             score_cutoff=45):
        for pk, weight in index.exact[matched]:
            value = round(score / 100 * weight, 3)
            if pk not in out or out[pk].score < value:
                out[pk] = Candidate(index.units[pk], value)
    return sorted(out.values(), key=lambda c: -c.score)[:limit]


def _best(entries: list[tuple[int, float]] | None) -> tuple[float, list[int]]:
    """The units an exact key leads to with the highest weight (a current name before an old one)."""
    if not entries:
        return 0.0, []
    best = max(weight for _, weight in entries)
    return best, [pk for pk, weight in entries if weight == best]


def _local_match(key: str, local: _Local) -> _Part | None:
    """A division of the issuing commune: "Văn hóa - Xã hội xã", "Công chức Tư pháp - Hộ tịch"."""
    bare_key = _ROLE_PREFIX.sub("", key)
    lookups = []
    for variant in (key, bare_key):
        lookups += [variant, _strip_designation(variant, level=local.level, bare=local.bare)]
    for lookup in dict.fromkeys(lookups):
        best, pks = _best(local.exact.get(lookup))
        if not pks:
            continue
        if len(pks) == 1:
            return _Part([local.units[pks[0]]], 1.0 if best == 1.0 else 0.95)
        return _Part([], 0.6, candidates=[Candidate(local.units[pk], 0.6) for pk in pks])
    # Spelling that differs a little ("Văn hoá - xã hội", "Tư pháp hộ tịch"): close enough to one division.
    if local.exact:
        found = process.extractOne(_strip_designation(bare_key, level=local.level, bare=local.bare), list(local.exact),
                                   scorer=fuzz.token_sort_ratio, score_cutoff=88)
        if found:
            pks = {pk for pk, _ in local.exact[found[0]]}
            if len(pks) == 1:
                pk = pks.pop()
                return _Part([local.units[pk]], round(found[1] / 100 * 0.97, 3))
    return None


def _mentions_province(key: str, index: _Index) -> bool:
    return bool(re.search(rf"\b(?:{index.level}|cap tinh)\b", key)) or bool(index.bare and index.bare in key)


def _own_body_missing(unit: Unit, key: str, index: _Index, scope: Unit | None) -> bool:
    """A province body that every level has, named without "tỉnh" in a commune's or district's plan:
    the plan means its own level's body, which the directory does not hold."""
    return (_below_province(index, scope) and unit.kind in _EVERY_LEVEL_KINDS
            and not unit.path.startswith(scope.path) and not _mentions_province(key, index))


def _single(text: str, index: _Index, context: Unit | None, local: _Local | None = None) -> _Part:
    expanded = text.strip(" .,:;-+")
    key = _key(expanded)
    key = re.sub(r"^(?:va|cac|de nghi)\s+", "", key)
    key = re.sub(r"\s+(?:co\s+)?lien quan$", "", key).strip()
    if not key:
        return _Part([], 0.2, vague=True)
    scope = _territorial_scope(index, context) if context is not None else None
    level_ref = _LEVEL_REF.match(key)
    if level_ref and context is not None:
        word = level_ref.group(1)
        if word in ("tinh", "thanh pho") and word == index.level and index.province is not None:
            hits = [u for u in index.units.values()
                    if u.parent_id == index.province.pk and u.kind == Unit.Kind.PEOPLES_COMMITTEE]
            if hits:
                return _Part(hits[:1], 1.0)
        kinds = _LEVEL_KINDS.get(word, set())
        for unit in _ancestors_in(index, context):
            if unit.kind in kinds:
                return _Part([unit], 1.0)
    if key == "uy ban nhan dan" and _below_province(index, scope):
        return _Part([scope], 1.0)  # "UBND" in a commune's plan is the commune's own
    if local is not None:
        part = _local_match(key, local)
        if part is not None:
            return part
    if _OUTSIDE.search(key):
        cands = [Candidate(c.unit, min(c.score, 0.5)) for c in _candidates(index, key)]
        return _Part([], 0.1, candidates=cands, note="outside the unit directory")
    lookups = [key]
    if index.province is not None:
        lookups.append(_strip_designation(key, level=index.level, bare=index.bare))
        if scope is not None and scope != index.province:
            scope_word = next((w for w, kinds in _LEVEL_KINDS.items() if scope.kind in kinds), "")
            if scope_word:
                lookups.append(_strip_designation(lookups[-1], level=scope_word, bare=fold(scope.short_name)))
    for lookup in dict.fromkeys(lookups):
        best, pks = _best(index.exact.get(lookup))
        if not pks:
            continue
        if len(pks) > 1 and context is not None:
            inside = [pk for pk in pks if index.units[pk].path.startswith(context.path)]
            pks = inside or pks
        if len(pks) == 1:
            unit = index.units[pks[0]]
            # "… xã" names the commune's own body: the province's of the same name is not it.
            designated = lookup not in lookups[:2] and not unit.path.startswith(scope.path)
            if designated or _own_body_missing(unit, key, index, scope):
                return _Part([], 0.5, candidates=[Candidate(unit, 0.5)],
                             note=f"names the {_LEVEL_WORDS.get(scope.kind, 'unit')}'s own body, not in the directory")
            return _Part([unit], 1.0 if best == 1.0 else 0.95)
        return _Part([], 0.6, candidates=[Candidate(index.units[pk], 0.6) for pk in pks])
    cands = []
    for lookup in dict.fromkeys(lookups):
        cands.extend(_candidates(index, lookup))
    merged: dict[int, Candidate] = {}
    for cand in cands:
        if cand.unit.pk not in merged or merged[cand.unit.pk].score < cand.score:
            merged[cand.unit.pk] = cand
    cands = sorted(merged.values(), key=lambda c: -c.score)[:5]
    if not cands:
        return _Part([], 0.0, note="no unit of that name")
    confidence = cands[0].score * 0.97
    if len(cands) > 1 and cands[0].score - cands[1].score < 0.04:
        confidence = min(confidence, 0.7)
    if confidence >= RESOLVED_AT and _own_body_missing(cands[0].unit, key, index, scope):
        confidence = 0.5
    if confidence >= RESOLVED_AT:
        return _Part([cands[0].unit], round(confidence, 3), candidates=cands)
    return _Part([], round(confidence, 3), candidates=cands)


def _resolve(text: str, index: _Index, context: Unit | None, local: _Local | None = None) -> Resolution:
    original = nfc(text or "").strip()
    expanded = expand(original)
    expanded = re.sub(r"^\s*[-+•*]\s*", "", expanded)
    expanded = re.sub(r"^(?:co quan\s+)?(?:chu tri|phoi hop|chi tri)\s*:\s*", "", expanded)
    whole = _key(expanded)
    if not whole:
        return Resolution(original, [], 0.0, False, note="empty")
    parts: list[_Part] = []
    direct = _single(expanded, index, context, local)
    if direct.confidence >= 0.95 and direct.units:
        return Resolution(original, direct.units, direct.confidence, False, direct.candidates, direct.note,
                          named=list(direct.units))
    # Groups are cut out first and replaced by a marker that keeps their place in the phrase,
    # so that the units come back in the order the text names them.
    rest = expanded
    groups: list[_Part] = []
    for kind, pattern in _GROUPS:
        def take(match, kind=kind):
            groups.append(_group(kind, index, context, local))
            return f" ; group{len(groups) - 1} ; "
        rest = pattern.sub(take, rest)
    for piece in _SPLIT.split(rest):
        marker = re.fullmatch(r"\s*group(\d+)\s*", piece)
        if marker:
            parts.append(groups[int(marker.group(1))])
            continue
        if _key(piece) and _key(piece) not in ("va", "cac"):
            part = _single(piece, index, context, local)
            if part.vague and not part.units and not part.candidates:
                continue
            parts.append(part)
    if not parts:
        return Resolution(original, [], 0.2, True, note="names no particular unit")
    real = [p for p in parts if not p.vague and not p.absent] or parts
    units: list[Unit] = []
    for part in real:
        for unit in part.units:
            if unit not in units:
                units.append(unit)
    confidence = min(p.confidence for p in real)
    candidates = [c for p in real if not p.units for c in p.candidates]
    is_group = any(p.is_group for p in real) or len(units) > 1
    notes = "; ".join(dict.fromkeys(p.note for p in parts if p.note))
    unit_groups = [UnitGroup(p.group, list(p.units)) for p in real if p.group and p.units]
    return Resolution(original, units, round(confidence, 3), is_group, candidates, notes, named=list(units),
                      groups=unit_groups)


# --- rolling up to the units of a later date ----------------------------------------------------

def _carriers(units: list[Unit], on: dt.date) -> dict[int, list[Unit]]:
    """For each unit, the units that carry its work on `on`: itself while in force; a closed unit's
    successor (followed to the end of the chain); a closed district's, the communes that took over
    its communes (its own successor is the province: that is where its data rolls up, not who
    does its work). A unit that no unit carries on stays itself."""
    out: dict[int, list[Unit]] = {}
    closed = [u for u in units if not u.active_on(on)]
    for unit in units:
        if unit.active_on(on):
            out[unit.pk] = [unit]
    if not closed:
        return out
    districts = [u for u in closed if u.kind in _DISTRICT_KINDS]
    # district id -> the successor ids of its communes
    step: dict[int, list[int]] = {u.pk: [u.successor_id] for u in closed if u not in districts and u.successor_id}
    for parent_id, successor_id in (Unit.objects.filter(parent__in=districts, kind__in=sorted(Unit.COMMUNE_KINDS))
                                    .exclude(successor__isnull=True).order_by("path")
                                    .values_list("parent_id", "successor_id")):
        step.setdefault(parent_id, [])
        if successor_id not in step[parent_id]:
            step[parent_id].append(successor_id)
    # Follow the successors until every chain reaches a unit in force (a few rounds at most).
    known: dict[int, Unit] = {}
    pending = {pk for ids in step.values() for pk in ids}
    for _ in range(5):
        pending -= known.keys()
        if not pending:
            break
        fetched = Unit.objects.in_bulk(pending)
        known.update(fetched)
        pending = {u.successor_id for u in fetched.values() if not u.active_on(on) and u.successor_id}

    def follow(pk: int, seen: set[int]) -> Unit | None:
        unit = known.get(pk)
        while unit is not None and not unit.active_on(on) and unit.successor_id and unit.successor_id not in seen:
            seen.add(unit.pk)
            unit = known.get(unit.successor_id)
        return unit if unit is not None and unit.active_on(on) else None

    for unit in closed:
        found: list[Unit] = []
        for pk in step.get(unit.pk, []):
            carrier = follow(pk, {unit.pk})
            if carrier is not None and carrier not in found:
                found.append(carrier)
        out[unit.pk] = found or [unit]
    return out


def _roll_up(results: list[Resolution], on: dt.date) -> list[Resolution]:
    everyone = {u.pk: u for r in results for u in [*r.units, *(c.unit for c in r.candidates)]}
    carriers = _carriers(list(everyone.values()), on)

    def carry(units: list[Unit]) -> list[Unit]:
        out: list[Unit] = []
        for unit in units:
            for carrier in carriers.get(unit.pk, [unit]):
                if carrier not in out:
                    out.append(carrier)
        return out

    rolled = []
    for r in results:
        candidates: dict[int, Candidate] = {}
        for cand in r.candidates:
            for carrier in carriers.get(cand.unit.pk, [cand.unit]):
                if carrier.pk not in candidates or candidates[carrier.pk].score < cand.score:
                    candidates[carrier.pk] = Candidate(carrier, cand.score)
        units = carry(r.units)
        rolled.append(Resolution(
            r.text, units, r.confidence, r.is_group or len(units) > 1, list(candidates.values()), r.note,
            named=list(r.named or r.units), groups=[UnitGroup(g.kind, carry(g.units)) for g in r.groups],
        ))
    return rolled


# --- entry points -------------------------------------------------------------------------------

def resolve_agency(text: str, *, context: Unit | None = None, on: dt.date | None = None,
                   issuer: str | None = None, roll_up_to: dt.date | None = None) -> Resolution:
    """The unit(s) a phrase of a plan names, read in the context of the issuing unit on the document's date."""
    return resolve_agencies([text], context=context, on=on, issuer=issuer, roll_up_to=roll_up_to)[0]


def _read(texts: list[str], context: Unit | None, on: dt.date) -> list[Resolution]:
    index = _index_for(context, on)
    local = None
    if context is not None and index.province is not None:
        scope = _territorial_scope(index, context)
        if scope is not None and scope.kind in Unit.COMMUNE_KINDS:
            local = _local_index(scope, on)
    return [_resolve(text, index, context, local) for text in texts]


def resolve_agencies(texts: list[str], *, context: Unit | None = None, on: dt.date | None = None,
                     issuer: str | None = None, roll_up_to: dt.date | None = None) -> list[Resolution]:
    """Like `resolve_agency` for many phrases of one document: one index, no query per phrase.

    `context` is the unit the document belongs to; on a date before that unit existed, the
    predecessor the document names as `issuer` stands for it. With `roll_up_to` (a later date:
    the day the plan is carried out), the units named are handed to those that carry their work
    on that date; a phrase that names no unit of the document's date is read once more against
    the units of that date (a directory without the history of a unit)."""
    on = on or dt.date.today()
    _check_generation()
    effective = _effective_context(context, on, issuer) if context is not None else None
    results = _read(texts, effective, on)
    if roll_up_to is None or roll_up_to <= on:
        return results
    results = _roll_up(results, roll_up_to)
    again = [i for i, r in enumerate(results) if not r.resolved]
    if again:
        current = _effective_context(context, roll_up_to) if context is not None else None
        for i, retry in zip(again, _read([texts[i] for i in again], current, roll_up_to)):
            if retry.resolved or (not results[i].candidates and retry.candidates):
                results[i] = retry
    return results


def standard_groups(context: Unit, *, on: dt.date | None = None) -> list[UnitGroup]:
    """The groups a reviewer may give a phrase of a plan of `context` in one choice: the communes,
    departments and mass organisations of its province (the districts before 1 July 2025), or the
    divisions of its commune."""
    on = on or dt.date.today()
    _check_generation()
    context = _effective_context(context, on)
    index = _index_for(context, on)
    if index.province is None:
        return []
    scope = _territorial_scope(index, context)
    local = _local_index(scope, on) if scope is not None and scope.kind in Unit.COMMUNE_KINDS else None
    kinds = ["branches"] if local is not None else ["communes", "districts", "departments", "front"]
    out = []
    for kind in kinds:
        part = _group(kind, index, context if local is None else scope, local)
        if part.units:
            out.append(UnitGroup(part.group or kind, part.units))
    return out
