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
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Count, Max
from rapidfuzz import fuzz, process

from cchc.core.text import fold, nfc

from .models import Unit

RESOLVED_AT = 0.8


@dataclass
class Candidate:
    unit: Unit
    score: float


@dataclass
class Resolution:
    """What a phrase of a plan names (cơ quan, đơn vị được nêu trong văn bản)."""

    text: str
    units: list[Unit]
    confidence: float
    is_group: bool
    candidates: list[Candidate] = field(default_factory=list)
    note: str = ""

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
        r"|\bcac\s+doan the(?:\s+(?:tinh|thanh pho|cap tinh))?")),
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


def _build_index(province: Unit | None, on: dt.date) -> _Index:
    exact: dict[str, list[tuple[int, float]]] = {}
    units: dict[int, Unit] = {}
    if province is not None:
        level, bare = _level_of(province), fold(province.short_name or province.name)
        rows = list(Unit.objects.filter(path__startswith=province.path).active_on(on))
        # Agencies closed before `on` whose successor is here: their old names still lead to it.
        closed = list(
            Unit.objects.filter(successor__path__startswith=province.path, valid_to__lt=on)
            .exclude(kind__in=Unit.TERRITORIAL_KINDS)
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


def _effective_context(context: Unit, on: dt.date) -> Unit:
    """The unit that stands for `context` on `on` (its predecessor before a merger, its successor after)."""
    if context.active_on(on):
        return context
    if context.valid_to and on > context.valid_to:
        successor = context.final_successor()
        return successor if successor.active_on(on) else context
    predecessors = [u for u in Unit.objects.filter(successor=context, kind=context.kind).active_on(on)]
    if len(predecessors) == 1:
        return predecessors[0]
    same_name = [u for u in predecessors if fold(u.short_name or u.name) == fold(context.short_name or context.name)]
    return same_name[0] if len(same_name) == 1 else context


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


def _group(kind: str, index: _Index, context: Unit | None) -> _Part:
    if kind == "vague":
        return _Part([], 0.2, is_group=True, vague=True, note="names no particular unit")
    if index.province is None or context is None:
        return _Part([], 0.2, is_group=True, note="a group phrase needs the issuing unit as context")
    province = index.province
    units = sorted(index.units.values(), key=lambda u: u.path)
    if kind == "departments":
        found = [u for u in units if u.parent_id == province.pk and u.kind in _DEPARTMENT_KINDS]
    elif kind == "front":
        found = [u for u in units if u.kind in _FRONT_KINDS and u.kind != Unit.Kind.UNION]
    elif kind == "districts":
        found = [u for u in units if u.kind in _DISTRICT_KINDS]
    elif kind == "communes":
        scope = _territorial_scope(index, context)
        found = [u for u in units if u.kind in Unit.COMMUNE_KINDS and u.path.startswith(scope.path)]
    else:  # subunits of the issuing unit
        found = [u for u in units if u.parent_id == context.pk and u.kind not in Unit.TERRITORIAL_KINDS]
    if not found:
        return _Part([], 0.3, is_group=True, note=f"no {kind} in the directory on this date")
    return _Part(found, 0.9, is_group=True)


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


def _single(text: str, index: _Index, context: Unit | None) -> _Part:
    expanded = text.strip(" .,:;-+")
    key = _key(expanded)
    key = re.sub(r"^(?:va|cac|de nghi)\s+", "", key)
    key = re.sub(r"\s+(?:co\s+)?lien quan$", "", key).strip()
    if not key:
        return _Part([], 0.2, vague=True)
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
    if _OUTSIDE.search(key):
        cands = [Candidate(c.unit, min(c.score, 0.5)) for c in _candidates(index, key)]
        return _Part([], 0.1, candidates=cands, note="outside the unit directory")
    lookups = [key]
    if index.province is not None:
        lookups.append(_strip_designation(key, level=index.level, bare=index.bare))
        scope = _territorial_scope(index, context)
        if scope is not None and scope != index.province:
            scope_word = next((w for w, kinds in _LEVEL_KINDS.items() if scope.kind in kinds), "")
            if scope_word:
                lookups.append(_strip_designation(lookups[-1], level=scope_word, bare=fold(scope.short_name)))
    for lookup in dict.fromkeys(lookups):
        entries = index.exact.get(lookup)
        if not entries:
            continue
        best = max(weight for _, weight in entries)
        pks = [pk for pk, weight in entries if weight == best]
        if len(pks) > 1 and context is not None:
            inside = [pk for pk in pks if index.units[pk].path.startswith(context.path)]
            pks = inside or pks
        if len(pks) == 1:
            return _Part([index.units[pks[0]]], 1.0 if best == 1.0 else 0.95)
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
    if confidence >= RESOLVED_AT:
        return _Part([cands[0].unit], round(confidence, 3), candidates=cands)
    return _Part([], round(confidence, 3), candidates=cands)


def _resolve(text: str, index: _Index, context: Unit | None) -> Resolution:
    original = nfc(text or "").strip()
    expanded = expand(original)
    expanded = re.sub(r"^\s*[-+•*]\s*", "", expanded)
    expanded = re.sub(r"^(?:co quan\s+)?(?:chu tri|phoi hop|chi tri)\s*:\s*", "", expanded)
    whole = _key(expanded)
    if not whole:
        return Resolution(original, [], 0.0, False, note="empty")
    parts: list[_Part] = []
    direct = _single(expanded, index, context)
    if direct.confidence >= 0.95 and direct.units:
        return Resolution(original, direct.units, direct.confidence, False, direct.candidates, direct.note)
    # Groups are cut out first and replaced by a marker that keeps their place in the phrase,
    # so that the units come back in the order the text names them.
    rest = expanded
    groups: list[_Part] = []
    for kind, pattern in _GROUPS:
        def take(match, kind=kind):
            groups.append(_group(kind, index, context))
            return f" ; group{len(groups) - 1} ; "
        rest = pattern.sub(take, rest)
    for piece in _SPLIT.split(rest):
        marker = re.fullmatch(r"\s*group(\d+)\s*", piece)
        if marker:
            parts.append(groups[int(marker.group(1))])
            continue
        if _key(piece) and _key(piece) not in ("va", "cac"):
            part = _single(piece, index, context)
            if part.vague and not part.units and not part.candidates:
                continue
            parts.append(part)
    if not parts:
        return Resolution(original, [], 0.2, True, note="names no particular unit")
    real = [p for p in parts if not p.vague] or parts
    units: list[Unit] = []
    for part in real:
        for unit in part.units:
            if unit not in units:
                units.append(unit)
    confidence = min(p.confidence for p in real)
    candidates = [c for p in real if not p.units for c in p.candidates]
    is_group = any(p.is_group for p in real) or len(units) > 1
    notes = "; ".join(dict.fromkeys(p.note for p in real if p.note))
    return Resolution(original, units, round(confidence, 3), is_group, candidates, notes)


def resolve_agency(text: str, *, context: Unit | None = None, on: dt.date | None = None) -> Resolution:
    """The unit(s) a phrase of a plan names, read in the context of the issuing unit on the document's date."""
    return resolve_agencies([text], context=context, on=on)[0]


def resolve_agencies(texts: list[str], *, context: Unit | None = None, on: dt.date | None = None) -> list[Resolution]:
    """Like `resolve_agency` for many phrases of one document: one index, no query per phrase."""
    on = on or dt.date.today()
    _check_generation()
    if context is not None:
        context = _effective_context(context, on)
    index = _index_for(context, on)
    return [_resolve(text, index, context) for text in texts]
