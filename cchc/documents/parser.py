"""From reading-order blocks to the structured plan (schema ``cchc.plan/1``).

Every part is extracted on its own and guarded: a part that cannot be read leaves nulls or empty
lists, never an exception, so that any input yields schema-valid output.
"""

from __future__ import annotations

import re
from collections import Counter

from .agencies import expand_symbol_body, smart_case_name
from .lexicon import ATTACHED_KINDS, KIND_WORDS, TITLED_KINDS
from .blocks import Paragraph, SourceDocument, Table
from .dates import first_date, make_date, iso
from .references import find_references
from .reporting import parse_reporting
from .targets import parse_targets, with_recurrence
from .timeframes import parse_timeframe
from .diagnostics import diagnose, stage_failed
from .outline import body_start, build_outline, export_sections, label_zones, split_heading
from .taskrules import find_tasks, is_task_header, table_tasks
from .folding import fold

SCHEMA_ID = "cchc.plan/1"
_NUMBER_RE = re.compile(
    r"^Số\s*:?\s*(\d*)\s*([A-Za-z]?)\s*/\s*(?:(\d{4})\s*/\s*)?((?:[A-ZĐ0-9&]+(?![^\W\d_])\s?[-–/]?\s?)+)")
# "Số 07-KL/VPTW", "Số: 04-NQ/TU": the Party's documents put the type before the slash
_PARTY_NUMBER_RE = re.compile(r"^Số\s*:?\s*(\d+)\s*[-–]\s*([A-ZĐ]{1,5})\s*/\s*([A-ZĐ0-9&]+(?:[-–][A-ZĐ0-9&]+)*)")
_DATE_LINE_RE = re.compile(
    r"^([^\d,:;()]{2,40}?),\s*ngày\s*(\d{0,2})\s*(?:tháng|/)\s*(\d{0,2})\s*(?:năm|/)\s*(\d{4})", re.IGNORECASE)
_ROMAN_H = re.compile(r"^([IVXL]{1,6})\s*[.:]\s*(\S.*)$")
_ARTICLE_H = re.compile(r"^((?:Điều|điều|ĐIỀU)\s+\d+)\s*[.:]\s*(.*)$")
_POSITION_RE = re.compile(
    r"^(?:PHÓ\s+)?(?:CHỦ TỊCH|GIÁM ĐỐC|TRƯỞNG BAN|TRƯỞNG PHÒNG|CHÁNH VĂN PHÒNG|BÍ THƯ|THỦ TRƯỞNG|THỦ TƯỚNG|"
    r"CỤC TRƯỞNG|CHI CỤC TRƯỞNG|VIỆN TRƯỞNG|HIỆU TRƯỞNG|TỔNG GIÁM ĐỐC|BỘ TRƯỞNG|THỨ TRƯỞNG|TRƯỞNG ĐOÀN|"
    r"TỔNG CỤC TRƯỞNG|VỤ TRƯỞNG|CHÁNH THANH TRA|CHÁNH ÁN|VIỆN TRƯỞNG|CHỦ NHIỆM|TỔNG THƯ KÝ|TỔNG KIỂM TOÁN|"
    r"THỐNG ĐỐC|TỔNG GIÁM ĐỐC|CHỦ TỊCH QUỐC HỘI|CHỦ TỊCH NƯỚC|TRƯỞNG BAN CHỈ ĐẠO|CHÁNH VĂN PHÒNG TRUNG ƯƠNG)"
    r"(?:\s+THƯỜNG TRỰC)?$")
_AUTH_RE = re.compile(r"^(KT|TM|TL|TUQ|Q)\s*\.\s*(.+)$")
_NAME_RE = re.compile(r"^(?:[A-ZĐÀ-Ỹ][a-zà-ỹđ]+\s){1,5}[A-ZĐÀ-Ỹ][a-zà-ỹđ]+$")


def _clean(text: str) -> str:
    return " ".join(text.split())


def _safe(fn, default, problems: list | None = None, stage: str = ""):
    try:
        return fn()
    except Exception:  # one unreadable part leaves its default, the rest still parses
        if problems is not None:
            problems.append(stage_failed(stage))
        return default


# --- flattening -------------------------------------------------------------------------------


def _flatten(doc: SourceDocument):
    """Paragraph lines in reading order plus task tables kept whole (with their position)."""
    lines: list[Paragraph] = []
    tables: list[tuple[int, Table]] = []
    for block in doc.blocks:
        if isinstance(block, Table):
            rows = [[_clean_cell(c) for c in r] for r in block.rows if r]
            if any(is_task_header(r) for r in rows[:4]):
                tables.append((len(lines), Table(rows=[[c for c in r] for r in block.rows])))
                continue
            # A converted page may run a whole document, task tables and all, into one table of cells:
            # read it as a stream of cells, and a task table where its heading cells stand.
            for kind, item in _cell_stream(rows):
                if kind == "table":
                    tables.append((len(lines), item))
                    continue
                for part in item.split("\n"):
                    if part.strip():
                        lines.append(Paragraph(text=_clean(part)))
        elif isinstance(block, Paragraph) and block.text and block.text.strip():
            lines.append(Paragraph(text=_clean(block.text), bold=block.bold, italic=block.italic,
                                   centered=block.centered, level=block.level))
    return lines, tables


_ROW_NUMBER_RE = re.compile(r"^(?:\d{1,3}|[IVXL]{1,5}|[a-zđ])[.)]?$")


def _header_width(cells: list[str], i: int) -> int:
    """The number of heading cells of a task table that starts at cell `i` ("STT", "Nhiệm vụ", "Cơ quan
    chủ trì", "Thời hạn"), 0 when none starts there. The widest heading whose next cell opens a row."""
    if fold(cells[i]) not in ("stt", "tt", "so tt", "so thu tu"):
        return 0
    for w in range(9, 2, -1):
        window = cells[i:i + w]
        if len(window) < w or any(len(c) > 80 or (k and _ROW_NUMBER_RE.match(c.strip())) for k, c in enumerate(window)):
            continue
        nxt = cells[i + w].strip() if i + w < len(cells) else ""
        if is_task_header(window) and (_ROW_NUMBER_RE.match(nxt) or nxt.isupper()):
            return w
    return 0


def _cell_stream(rows: list[list[str]]):
    """("text", cell) and ("table", Table) in reading order from the cells of `rows`."""
    cells = [c for r in rows for c in r]
    i, n = 0, len(cells)
    while i < n:
        w = _header_width(cells, i) if cells[i] else 0
        if not w:
            yield "text", cells[i]
            i += 1
            continue
        body = [cells[i:i + w]]
        i += w
        while i < n:
            c = cells[i].strip()
            if _ROW_NUMBER_RE.match(c) and i + w <= n:
                body.append(cells[i:i + w])
                i += w
            elif c and c.isupper() and len(c) < 200 and not fold(c).startswith("phu luc"):
                body.append([cells[i]])  # a group row in capitals
                i += 1
            elif not c:
                i += 1
            else:
                break
        yield "table", Table(rows=body)


def _clean_cell(c) -> str:
    return str(c or "").strip()


# --- identity ---------------------------------------------------------------------------------


_WORD_RE = re.compile(r"[\wÀ-ỹ]+(?:-[\wÀ-ỹ]+)?")


def word_forms(lines: list[Paragraph]) -> dict:
    """How the document writes its words inside sentences: lower-case word (and word after word) ->
    the form seen most often. Lines in capitals and the first word of a sentence tell nothing."""
    from collections import Counter, defaultdict

    uni: dict[str, Counter] = defaultdict(Counter)
    bi: dict[tuple[str, str], Counter] = defaultdict(Counter)
    size = 0
    for p in lines:
        t = p.text
        if t.isupper() or len(t) < 20:
            continue
        size += len(t)
        if size > 150_000:
            break
        words = _WORD_RE.findall(t)
        for k in range(1, len(words)):
            w = words[k]
            if w.isdigit():
                continue
            uni[w.lower()][w] += 1
            bi[(words[k - 1].lower(), w.lower())][w] += 1
    return {"uni": uni, "bi": bi}


def _doc_case(text: str, forms: dict) -> str:
    """An all-caps title in the case the document itself writes its words ("KHÔNG AI BỊ BỎ LẠI" is
    "Không ai bị bỏ lại" where the text writes "ai"; "BAN CHỈ ĐẠO" is "Ban Chỉ đạo" where it writes so)."""
    words = text.lower().split(" ")
    out = []
    prev = ""
    for k, w in enumerate(words):
        core = w.strip("(),.;:\"“”'")
        form = None
        if core:
            seen = forms["bi"].get((prev, core)) or forms["uni"].get(core)
            if seen:
                best, n = seen.most_common(1)[0]
                if n >= 1 and best.lower() == core:
                    form = best
        if form is not None:
            w = w.replace(core, form, 1)
        if k == 0:
            w = w[:1].upper() + w[1:]
        out.append(w)
        prev = core
    return " ".join(out)


def _sentence_case(text: str, keep: list[str], forms: dict | None = None) -> str:
    """All-caps title to sentence case, restoring known proper names (places) and acronyms."""
    if not text.isupper():
        return text
    if forms:
        return _doc_case(text, forms)
    low = text.lower()
    out = low[:1].upper() + low[1:]
    for name in keep:
        if name:
            out = re.sub(re.escape(name.lower()), name, out)
    for acr in ("ubnd", "hđnd", "cchc", "tthc", "cntt", "ppp", "dnnvv", "htx", "mttq", "covid-19", "ai"):
        out = re.sub(r"(?<![\wÀ-ỹ])" + acr + r"(?![\wÀ-ỹ])", acr.upper(), out)
    return out


# The line under a decision's title that names who decides ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH",
# "TRƯỞNG BAN CHỈ ĐẠO …", "BỘ TRƯỞNG BỘ …"): not part of the title.
_AUTHORITY_LINE_RE = re.compile(r"^(?:PHÓ\s+)?(?:CHỦ TỊCH|TRƯỞNG BAN|BỘ TRƯỞNG|THỦ TƯỚNG|GIÁM ĐỐC|ỦY BAN NHÂN DÂN|"
                                r"UỶ BAN NHÂN DÂN|HỘI ĐỒNG NHÂN DÂN|CHÍNH PHỦ|TỔNG GIÁM ĐỐC|CỤC TRƯỞNG)\b")


def _caps_run(title: str | None) -> str | None:
    """A title in capitals that a conversion ran into the next paragraph ("… 2 CẤP Tại phiên họp …")
    ends where the capitals end."""
    if not title:
        return title
    words = title.split(" ")

    def caps(w: str) -> bool:
        return not any(ch.islower() for ch in w)

    for k, w in enumerate(words):
        if k >= 3 and not caps(w) and caps(words[k - 1]) and w[:1].isupper() and len(" ".join(words[k:])) > 10:
            return " ".join(words[:k])
        if k < 3 and not caps(w):
            return title
    return title


def _header_start(lines: list[Paragraph]) -> int:
    """Where the document's own header starts: a copy saved from a website puts its menus and a box of
    metadata first; the header is the block around the national motto or the "Số:" line."""
    for i, p in enumerate(lines[:400]):
        f = fold(p.text[:40])
        if f.startswith(("cong hoa xa hoi", "dang cong san viet nam")) or _NUMBER_RE.match(p.text) or \
                _PARTY_NUMBER_RE.match(p.text):
            j = i
            # back over the issuer's lines (capitals, short) that stand before it
            while j > 0 and i - j < 6 and (lines[j - 1].text.isupper() or len(lines[j - 1].text) < 40):
                j -= 1
            return j
    return 0


def _identity(lines: list[Paragraph], full_text_fold: str) -> dict:
    ident = {"kind": None, "number": None, "symbol": None, "place": None, "date": None, "year": None,
             "issuer": None, "title": None, "plan_year": None, "plan_period": None, "signer": None,
             "recipients": []}
    base = _header_start(lines)
    head_limit = min(len(lines), base + 60)
    header_lines: list[str] = []
    kind_index = None
    for i in range(base, head_limit):
        t = lines[i].text
        if ident["symbol"] is None:
            pm = _PARTY_NUMBER_RE.match(t)
            if pm:
                ident["symbol"] = f"{pm.group(2)}/{pm.group(3)}"
                ident["number"] = f"{pm.group(1)}-{pm.group(2)}/{pm.group(3)}"
                continue
            m = _NUMBER_RE.match(t)
            if m:
                symbol = re.sub(r"\s*[-–]\s*", "-", m.group(4).strip()).strip("-/")
                ident["symbol"] = symbol
                year = f"/{m.group(3)}" if m.group(3) else ""
                ident["number"] = f"{m.group(1)}{m.group(2)}{year}/{symbol}" if m.group(1) else None
                # "Số: 12/QĐ-UBND<tab>Hà Nội, ngày …": the place and date on the number's line
                dm = _DATE_LINE_RE.match(t[m.end():].strip(" \t,;"))
                if dm and ident["year"] is None:
                    _set_date(ident, dm)
                continue
        if ident["year"] is None:
            m = _DATE_LINE_RE.match(t)
            if m:
                _set_date(ident, m)
                continue
        f = fold(t)
        if kind_index is None:
            for word, code in KIND_WORDS.items():
                if f == word or (f.startswith(word + " ") and t[: len(word)].isupper()):
                    kind_index = i
                    ident["kind"] = code
                    rest = t[len(word):].strip(" :")
                    title = rest
                    j = i + 1
                    if not title and j < len(lines):
                        title = lines[j].text
                        j += 1
                    if title and title.isupper() and j < len(lines) and lines[j].text.isupper() and \
                            not _ROMAN_H.match(lines[j].text) and len(lines[j].text) < 200 and \
                            not _AUTHORITY_LINE_RE.match(lines[j].text):
                        title = title + " " + lines[j].text
                    ident["title"] = _caps_run(title) or None
                    break
            if kind_index is None and ident["symbol"] is None and "cong hoa" not in f and "doc lap" not in f \
                    and t.isupper() and len(t) < 120:
                header_lines.append(t)
        if kind_index is not None:
            break
    if ident["year"] is None:
        # a PDF may give the right-hand header column (place and date) just after the title: look a few
        # lines further, not into the body (nor a web page's footer)
        for i in range(base, min(len(lines), (kind_index if kind_index is not None else base) + 12)):
            m = _DATE_LINE_RE.match(lines[i].text)
            if m:
                _set_date(ident, m)
                break
    # kind: the symbol's code wins where it is a type code ("QĐ-UBND" -> QĐ)
    if ident["symbol"]:
        code = ident["symbol"].split("-")[0]
        if code and code.isupper() and len(code) <= 4:
            ident["kind"] = code
    if ident["kind"] is None:
        ident["kind"] = ""  # no type word, no symbol: told later from the outline's parts (`_kind_from_layout`)
    ident["issuer"] = _safe(lambda: _issuer(header_lines, ident, full_text_fold, lines), None)
    place = ident["place"]
    keep = [place] if place else []
    read: dict = {}

    def forms_for(title: str) -> dict | None:
        """How the document spells its words, read once, for a title written in capitals."""
        if title.isupper() and "forms" not in read:
            read["forms"] = _safe(lambda: word_forms(lines), None)
        return read.get("forms") if title.isupper() else None

    if ident["title"]:
        ident["title"] = _sentence_case(_clean(ident["title"]), keep, forms_for(ident["title"]))
    # the plan's own title: a plan's, or that of the plan a decision (resolution, directive) issues
    ident["plan_title"] = ident["title"] if ident["kind"] in ("KH", "CTr", "") else \
        (_safe(lambda: _attached_title(lines, kind_index, keep, forms_for), None) if ident["kind"] in ("QĐ", "NQ", "CT") else None)
    _plan_years(ident, full_text_fold)
    ident["signer"] = _safe(lambda: _signer(lines), None)
    ident["recipients"] = _safe(lambda: _recipients(lines), [])
    return ident




def _set_date(ident: dict, m: re.Match) -> None:
    """Place, year and date from a match of `_DATE_LINE_RE` ("Hà Nội, ngày 05 tháng 3 năm 2025")."""
    ident["place"] = _clean(m.group(1)).strip(" ,")
    ident["year"] = int(m.group(4))
    ident["date"] = iso(make_date(m.group(4), m.group(3) or None, m.group(2) or None))


def _attached_title(lines: list[Paragraph], kind_index: int | None, keep: list[str], forms_for) -> str | None:
    """The title of the plan a decision issues ("Ban hành kèm theo Quyết định …"): the document type
    in capitals on a line of its own after the decision, then the title up to the "(kèm theo …)" line."""
    if kind_index is None:
        return None
    for i in range(kind_index + 1, min(len(lines), kind_index + 400)):
        t = lines[i].text
        f = fold(t)
        # "QUY CHẾ" or "KẾ HOẠCH" alone, or "KẾ HOẠCH TUYÊN TRUYỀN …"; never a chapter's "QUY ĐỊNH CHUNG"
        word = next((w for w in ATTACHED_KINDS if f == w or (f.startswith(w + " ") and w in TITLED_KINDS)), None)
        if not word or not t[:2].isupper():
            continue
        words = len(word.split())
        rest = " ".join(t.split()[words:]).strip(" :")
        parts = [rest] if rest else []
        for q in lines[i + 1: i + 4]:
            if q.text.startswith("(") or _ROMAN_H.match(q.text) or _ARTICLE_H.match(q.text) or len(q.text) > 300:
                break
            if parts and not (q.text.isupper() and parts[-1].isupper()) and not q.text[:1].islower():
                break
            parts.append(q.text)
        title = " ".join(parts).strip()
        return _sentence_case(_clean(title), keep, forms_for(title)) if title else None
    return None


def _issuer(header_lines, ident, full_fold, lines) -> str | None:
    header = [h for h in header_lines if not h.startswith(("-", "Số"))]
    if header:
        text = " ".join(header)
        # "UBND TỈNH X / SỞ Y": the lower body issues, named with the locality of the upper one
        m = re.search(r"\s(SỞ|PHÒNG|BAN|VĂN PHÒNG|TRUNG TÂM|CHI CỤC|CỤC)\s", " " + text + " ")
        if m and m.start() > 3:
            upper, lower = text[: m.start()].strip(), text[m.start():].strip()
            upper_named = smart_case_name(upper)
            loc = re.search(r"(tỉnh|thành phố|huyện|quận|thị xã|xã|phường)\s+(.+)$", upper_named)
            return smart_case_name(lower) + (f" {loc.group(1)} {loc.group(2)}" if loc else "")
        return smart_case_name(text)
    code = (ident.get("symbol") or "").split("-", 1)[-1] if ident.get("symbol") and "-" in ident["symbol"] else None
    body = expand_symbol_body(code)
    if not body:
        return None
    place = ident.get("place")
    if body in ("Ủy ban nhân dân", "Hội đồng nhân dân"):
        m = re.search(r"(?:ubnd|uy ban nhan dan)(?: \(ubnd\))? (tinh|thanh pho|huyen|quan|thi xa|xa|phuong)\b"
                      r"(?: [^,.;]{0,40})? ban hanh", full_fold)
        level = {"tinh": "tỉnh", "thanh pho": "thành phố", "huyen": "huyện", "quan": "quận", "thi xa": "thị xã",
                 "xa": "xã", "phuong": "phường"}.get(m.group(1)) if m else None
        if level and place:
            return f"{body} {level} {place}"
        return body if not place else None
    if place and re.search(r"tinh " + re.escape(fold(place)), full_fold):
        return f"{body} tỉnh {place}"
    return body


def _plan_years(ident, full_fold):
    title_f = fold(ident.get("plan_title") or ident.get("title") or "")
    m = re.search(r"giai doan\s*(\d{4})\s*(?:-|–|den)\s*(\d{4})", title_f)
    if m and int(m.group(1)) < int(m.group(2)) <= int(m.group(1)) + 30:
        ident["plan_period"] = [int(m.group(1)), int(m.group(2))]
    m = re.search(r"\bnam\s*(\d{4})\b", title_f)
    if m:
        ident["plan_year"] = int(m.group(1))
    elif ident["plan_period"]:
        ident["plan_year"] = ident["plan_period"][0]
    elif ident["year"]:
        year = ident["year"]
        ident["plan_year"] = year
        if ident["date"] and ident["date"][5:7] == "12":
            counts = Counter(re.findall(r"\b(\d{4})\b", full_fold))
            if counts.get(str(year + 1), 0) > counts.get(str(year), 0) or (
                    int(ident["date"][8:10]) >= 20 and counts.get(str(year + 1), 0) >= counts.get(str(year), 0)):
                ident["plan_year"] = year + 1


def _title_case_words(caps: str) -> str:
    low = caps.lower()
    return low[:1].upper() + low[1:]


def _position_case(caps: str) -> str:
    words = caps.lower().split()
    if words and words[0] == "phó" and len(words) > 1:
        return "Phó " + words[1].capitalize() + (" " + " ".join(words[2:]) if len(words) > 2 else "")
    return _title_case_words(caps)


def _signer(lines: list[Paragraph]) -> dict | None:
    """The signature block of the document itself: the one beside its first "Nơi nhận" list (an
    appendix or a form further on has blocks of its own), else the first in the text."""
    anchor = next((i for i, p in enumerate(lines) if fold(p.text[:10]).startswith("noi nhan")), None)
    if anchor is not None:
        found = _signer_from(lines, range(max(0, anchor - 12), min(len(lines), anchor + 45)))
        if found:
            return found
    return _signer_from(lines, range(len(lines)))


_AUTH_SPLIT_RE = re.compile(r"(?:^|\s)(KT|TM|T/M|TL|TUQ|Q)\s*\.?\s+(?=[A-ZĐÀ-Ỹ]{2})")
_POSITION_ANY_RE = re.compile(_POSITION_RE.pattern.strip("^$").replace("(?:\\s+THƯỜNG TRỰC)?", ""))


def _signature_line(text: str) -> dict | None:
    """A signature block that a conversion ran into one line: "KT. CHỦ TỊCH PHÓ CHỦ TỊCH Trần Chí Hùng",
    "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Hà Lan Anh", "TRƯỞNG BAN PHÓ THỦ TƯỚNG Nguyễn Chí Dũng"."""
    words = text.replace("(Đã ký)", " ").replace("(đã ký)", " ").split()
    k = len(words)
    while k > 0 and words[k - 1][:1].isupper() and any(ch.islower() for ch in words[k - 1]):
        k -= 1
    name_words = words[k:]
    caps = " ".join(words[:k])
    if not caps or not caps.isupper() or not 2 <= len(name_words) <= 5:
        return None
    auths = []
    parts = _AUTH_SPLIT_RE.split(" " + caps)
    rest = parts[0].strip()
    for code, obj in zip(parts[1::2], parts[2::2]):
        obj = obj.strip()
        # the object of the last authority ends where the signer's own position begins
        pos = None
        for m in _POSITION_ANY_RE.finditer(obj):
            if m.start() > 0:
                pos = m  # the last position named is the signer's own
        if pos is not None:
            rest = obj[pos.start():].strip()
            obj = obj[: pos.start()].strip()
        else:
            rest = ""
        code = "TM" if code == "T/M" else code
        is_position = bool(_POSITION_RE.match(obj))
        auths.append(f"{code}. {_position_case(obj) if is_position else smart_case_name(obj)}")
    m = _POSITION_ANY_RE.match(rest)
    if not m:
        return None
    position = m.group(0)
    kt = [a for a in auths if a.startswith("KT.")]
    return {"name": " ".join(name_words) or None, "position": _position_case(position),
            "authority": kt[0] if kt else (auths[-1] if auths else None)}


def _signer_from(lines: list[Paragraph], indexes) -> dict | None:
    for i in indexes:
        p = lines[i]
        t = p.text.strip()
        if _AUTH_RE.match(t) or _POSITION_ANY_RE.match(t):
            # the block run into one line, or its name on the position's line
            joined = t
            for k in range(i + 1, min(i + 4, len(lines)) + 1):
                one = _signature_line(joined)
                if one:
                    return one
                if k < len(lines):
                    joined += " " + lines[k].text.strip()
        if not (_POSITION_RE.match(t) or _AUTH_RE.match(t)):
            continue
        # a signature block: authority lines, a position, then (maybe) a name
        j = i
        authority = None
        position = None
        auths = []
        while j < len(lines) and j < i + 5:
            s = lines[j].text.strip()
            am = _AUTH_RE.match(s)
            if am:
                obj = am.group(2).strip()
                pm = re.match(r"^(.*?)\s+((?:PHÓ\s+)?(?:CHỦ TỊCH|GIÁM ĐỐC|TRƯỞNG BAN|TRƯỞNG PHÒNG))$", obj)
                if pm and am.group(1) == "KT":
                    obj, position = pm.group(1), pm.group(2)
                is_position = obj.startswith(('CHỦ', 'GIÁM', 'TRƯỞNG')) or _POSITION_RE.match(obj)
                auths.append(f"{am.group(1)}. {_position_case(obj) if is_position else smart_case_name(obj)}")
                j += 1
                continue
            if _POSITION_RE.match(s):
                position = s
                j += 1
                break
            break
        if position is None:
            continue
        kt = [a for a in auths if a.startswith("KT.")]
        authority = kt[0] if kt else (auths[-1] if auths else None)
        name = None
        if j < len(lines) and _NAME_RE.match(lines[j].text.strip()):
            name = lines[j].text.strip()
        return {"name": name, "position": _position_case(position), "authority": authority}
    return None


def _recipients(lines: list[Paragraph]) -> list[str]:
    for i, p in enumerate(lines):
        if fold(p.text).startswith("noi nhan"):
            out = []
            rest = p.text.split(":", 1)[1].strip() if ":" in p.text else ""
            if rest:
                out.append(rest)
            for q in lines[i + 1: i + 40]:
                t = q.text.strip()
                if not t.startswith(("-", "–", "+", "•")):
                    break
                out.append(t.lstrip("-–+• ").rstrip(" ;,.") or t)
            return [r for r in out if r]
    return []


# --- tasks ------------------------------------------------------------------------------------


def _task(title, *, text=None, lead=(), support=(), timeframe=None, targets=None, forms=(), funding=None,
          section=None, source=None, plan_year=None, plan_period=None):
    title = _clean(title or "")
    if len(title) > 500:  # shortened at a word, never inside one
        title = title[:500].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
    title = title or "(untitled)"
    frame = parse_timeframe(timeframe, plan_year, plan_period) if timeframe else None
    return {
        "title": title,
        "text": _clean(text) if text else None,
        "forms": list(forms),
        "lead": list(lead),
        "support": list(support),
        "timeframe": frame,
        # the title is the text's first sentence: read the text alone, or each target counts twice;
        # a recurring time ("Định kỳ hằng quý") with no rate stated implies a soft target
        "targets": with_recurrence(_unique_targets(targets if targets is not None else
                                                   parse_targets("; ".join([text or title] + list(forms)))),
                                   frame, text or title),
        "funding": funding,
        "section": section,
        "source": source,
    }


def _unique_targets(targets: list[dict]) -> list[dict]:
    """One target per (quantity, unit, per): a title "(01 lớp, 40 người)" and its form "Tổ chức 01 lớp"
    state the same target twice."""
    seen, out = set(), []
    for t in targets:
        key = (t.get("quantity"), t.get("unit"), t.get("per"))
        if key not in seen:
            seen.add(key)
            out.append(t)
    return out


def _from_draft(d, plan_year, plan_period) -> dict:
    return _task(d.title, text=d.text, lead=d.lead, support=d.support, timeframe=d.time,
                 targets=parse_targets(d.target_text), forms=d.forms, funding=d.funding, section=d.section,
                 source=d.source, plan_year=plan_year, plan_period=plan_period)


# --- entry point ------------------------------------------------------------------------------


def parse_blocks(doc: SourceDocument) -> dict:
    """Structured plan data for one document: a dict valid against ``plan.schema.json``."""
    result = {
        "schema": SCHEMA_ID,
        "document": {"kind": "", "number": None, "symbol": None, "place": None, "date": None, "year": None,
                     "issuer": None, "title": None, "plan_title": None, "plan_year": None, "plan_period": None,
                     "signer": None, "recipients": []},
        "references": [], "sections": [], "tasks": [],
        "reporting": {"periods": [], "deadlines": [], "recipient": None, "text": None},
        "funding": [],
        "diagnostics": [],
        "source": {"format": getattr(doc, "source_format", None), "name": getattr(doc, "name", "") or ""},
    }
    problems = result["diagnostics"]
    lines, tables = _safe(lambda: _flatten(doc), ([], []), problems, "read")
    full_fold = fold(" ".join(p.text for p in lines)[:2_000_000])
    ident = _safe(lambda: _identity(lines, full_fold), None, problems, "identity")
    if ident:
        result["document"].update(ident)
    d = result["document"]
    plan_year, plan_period = d.get("plan_year"), d.get("plan_period")

    # the body starts after the document's own header (a website's menus and metadata come before it)
    head = _safe(lambda: _header_start(lines), 0, problems, "outline")
    start = _safe(lambda: head + body_start(lines[head:]), len(lines), problems, "outline")
    cells = [Paragraph(text=_clean(c)) for _, t in tables for r in t.rows for c in r if c and "/" in c]
    result["references"] = _safe(lambda: _references(lines + cells, start, d.get("number"), d.get("date")), [],
                                 problems, "references")
    root = _safe(lambda: build_outline(lines, start), None, problems, "outline")
    drafts = []
    if root is not None:
        _safe(lambda: label_zones(root), None, problems, "zones")
        if not d.get("kind"):
            d["kind"] = _safe(lambda: _kind_from_layout(root), "", problems, "identity")
        result["sections"] = _safe(lambda: export_sections(root.children), [], problems, "outline")
        drafts = _safe(lambda: find_tasks(root), [], problems, "tasks")
        result["funding"] = _safe(lambda: _funding(root), [], problems, "funding")
    for _, table in tables:
        drafts += _safe(lambda: table_tasks(table), [], problems, "tables")
    result["tasks"] = [t for t in (_safe(lambda: _from_draft(x, plan_year, plan_period), None, problems, "tasks")
                                   for x in drafts) if t]
    body = [p.text for p in lines[start:]] if start < len(lines) else [p.text for p in lines]
    if root is not None and root.children:
        # what a plan says of reports it once made ("xây dựng báo cáo tháng, báo cáo quý" in its review of
        # the past) or aims at is no reporting duty: read the other parts
        body = [x for n in root.walk() if n.kind is not None and n.zone not in ("basis", "objectives")
                for x in [n.text] + n.lines if x] or body
    result["reporting"] = _safe(lambda: parse_reporting(body, plan_year, plan_period, issued=d.get("date")),
                                result["reporting"], problems, "reporting")
    _safe(lambda: diagnose(result, root), None, problems, "diagnostics")
    return result


def _kind_from_layout(root) -> str:
    """No type word and no symbol: a plan's layout still shows a plan, its parts headed by purposes
    (Mục đích, yêu cầu) and by how it is carried out (Tổ chức thực hiện); otherwise the type is unknown
    and stays "" rather than a guess."""
    top = [n for n in root.walk() if n.kind is not None and n.parent is not None and
           (n.parent.kind is None or n.parent.kind == "document") and n.kind in ("roman", "heading", "chapter")]
    zones = {n.zone for n in top}
    return "KH" if "objectives" in zones and "implementation" in zones else ""


def _funding(root) -> list[str]:
    out = []
    for n in root.walk():
        if n.zone == "funding" and n.kind is not None and (n.parent is None or n.parent.zone != "funding"):
            out += [x for x in [split_heading(n.text)[1] or ""] + n.lines if x]
            for c in n.children:
                out.append(c.full_text(600))
    return [_clean(x) for x in out if x.strip()][:20]


_ATTACHED_TO_RE = re.compile(r"^\(?\s*(?:ban hanh )?kem theo\b")


def _references(lines, start, number, date=None):
    paragraphs = []
    for i, p in enumerate(lines):
        f = fold(p.text)
        # "(Kèm theo Quyết định số … ngày …)" under an attached plan or appendix names the document
        # itself: with the document's own date it is no citation, even where its number has a typo
        if _ATTACHED_TO_RE.match(f) and date and iso(first_date(p.text)) == date:
            continue
        if i < start and f.startswith("can cu"):
            zone = "basis"
        elif i < start and f.startswith("thuc hien"):
            zone = "implements"
        else:
            zone = "body"
        paragraphs.append((zone, p.text))
    return find_references(paragraphs, number)
