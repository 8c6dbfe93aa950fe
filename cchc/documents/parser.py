"""From reading-order blocks to the structured plan (schema ``cchc.plan/1``).

Every part is extracted on its own and guarded: a part that cannot be read leaves nulls or empty
lists, never an exception, so that any input yields schema-valid output.
"""

from __future__ import annotations

import re
from collections import Counter

from .assignments import read_assignment, time_phrase
from .agencies import expand_symbol_body, smart_case_name, split_agencies, split_roles
from .blocks import Paragraph, SourceDocument, Table
from .dates import first_date, make_date, iso
from .references import find_references
from .reporting import parse_reporting
from .targets import parse_targets
from .timeframes import parse_timeframe
from .folding import fold
from .vntext import roman_to_int

SCHEMA_ID = "cchc.plan/1"
_KIND_WORDS = {
    "ke hoach": "KH", "quyet dinh": "QĐ", "chuong trinh": "CTr", "bao cao": "BC", "cong van": "CV",
    "huong dan": "HD", "thong bao": "TB", "chi thi": "CT", "nghi quyet": "NQ", "de an": "ĐA", "to trinh": "TTr",
}
_NUMBER_RE = re.compile(r"^Số\s*:?\s*(\d*)\s*([A-Za-z]?)\s*/\s*((?:[A-ZĐ0-9&]+\s?[-–]?\s?)+)")
_DATE_LINE_RE = re.compile(
    r"^([^\d,:;()]{2,40}?),\s*ngày\s*(\d{0,2})\s*(?:tháng|/)\s*(\d{0,2})\s*(?:năm|/)\s*(\d{4})", re.IGNORECASE)
_ROMAN_H = re.compile(r"^([IVXL]{1,6})\s*[.:]\s*(\S.*)$")
_ROMAN_LOW_H = re.compile(r"^([ivxl]{1,6})\s*[.:]\s*([^\W\d_].*)$")
_ARABIC_H = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,2})\s*[.)]\s*(\S.*)$")
_LETTER_H = re.compile(r"^([a-zđ])\s*\)\s*(\S.*)$")
_BULLET_H = re.compile(r"^([-–•+])\s*(\S.*)$")
_ARTICLE_H = re.compile(r"^((?:Điều|điều|ĐIỀU)\s+\d+)\s*[.:]\s*(.*)$")
_ATTR_RE = re.compile(
    r"^[-+*\s]*(?P<label>(?:(?:Cơ quan|Bộ phận|Đơn vị|Phòng|Địa phương|Ban)(?:,\s*\w+)*\s+)?"
    r"(?:(?:chủ|chỉ) trì|phối hợp|thực hiện)(?:\s+(?:tham mưu\s+)?thực hiện)?|Thời gian(?: thực hiện| hoàn thành)?|"
    r"Thời hạn(?: hoàn thành)?|Tiến độ|Kinh phí(?: thực hiện)?|Hình thức|Chỉ tiêu|Sản phẩm|Số lượng|Quy mô)\s*:\s*"
    r"(?P<value>.*)$",
    re.IGNORECASE,
)
_POSITION_RE = re.compile(
    r"^(?:PHÓ\s+)?(?:CHỦ TỊCH|GIÁM ĐỐC|TRƯỞNG BAN|TRƯỞNG PHÒNG|CHÁNH VĂN PHÒNG|BÍ THƯ|THỦ TRƯỞNG|"
    r"CỤC TRƯỞNG|CHI CỤC TRƯỞNG|VIỆN TRƯỞNG|HIỆU TRƯỞNG|TỔNG GIÁM ĐỐC|BỘ TRƯỞNG|THỨ TRƯỞNG|TRƯỞNG ĐOÀN)$")
_AUTH_RE = re.compile(r"^(KT|TM|TL|TUQ|Q)\s*\.\s*(.+)$")
_NAME_RE = re.compile(r"^(?:[A-ZĐÀ-Ỹ][a-zà-ỹđ]+\s){1,5}[A-ZĐÀ-Ỹ][a-zà-ỹđ]+$")
_AGENCY_START_RE = re.compile(
    r"^(?:Đề nghị\s*:?\s*|Giao\s+)?(?:Các|các|Sở|Bộ|Ban|Phòng|Văn phòng|VP|UBND|Ủy ban|Uỷ ban|HĐND|Đài|Báo(?! cáo)|Trung tâm|"
    r"Công an|Công đoàn|Hội(?! nghị| thảo| thi)|Hiệp hội|Liên minh|Liên đoàn|Mặt trận|Tỉnh đoàn|Đoàn(?! kết)|Cục|Chi cục|"
    r"Viện|Trường(?! hợp)|Kho bạc|"
    r"Công Đoàn|Ngân hàng|Thanh tra|Bộ Chỉ huy|Bảo hiểm|Cán bộ|Cơ quan|Văn hóa|Tài chính|Tư pháp|Địa chính|Công chức|Thủ trưởng|"
    r"Chủ tịch|Giám đốc|Người đứng đầu)(?![\wÀ-ỹ])")
_DUTY_VERB_RE = re.compile(
    r"\s+(?:có trách nhiệm|chịu trách nhiệm|chủ trì|phối hợp|xây dựng|kiện toàn|tăng cường|theo dõi|thực hiện|"
    r"căn cứ|triển khai|tổ chức|bố trí|tham mưu|hướng dẫn|chỉ đạo|chủ động|nghiên cứu|cung cấp|đẩy mạnh)\b")


def _clean(text: str) -> str:
    return " ".join(text.split())


def _safe(fn, default):
    try:
        return fn()
    except Exception:  # one unreadable part leaves its default, the rest still parses
        return default


# --- flattening -------------------------------------------------------------------------------


def _is_task_header(row: list[str]) -> bool:
    f = " | ".join(fold(c) for c in row)
    return ("noi dung" in f or "nhiem vu" in f or "hoat dong" in f or "cong viec" in f) and (
        "chu tri" in f or "thuc hien" in f or "thoi gian" in f or "phoi hop" in f or "thoi han" in f)


def _flatten(doc: SourceDocument):
    """Paragraph lines in reading order plus task tables kept whole (with their position)."""
    lines: list[Paragraph] = []
    tables: list[tuple[int, Table]] = []
    for block in doc.blocks:
        if isinstance(block, Table):
            rows = [[_clean_cell(c) for c in r] for r in block.rows if r]
            if any(_is_task_header(r) for r in rows[:3]):
                tables.append((len(lines), Table(rows=[[c for c in r] for r in block.rows])))
                continue
            for row in rows:
                for cell in row:
                    for part in cell.split("\n"):
                        if part.strip():
                            lines.append(Paragraph(text=_clean(part)))
        elif isinstance(block, Paragraph) and block.text and block.text.strip():
            lines.append(Paragraph(text=_clean(block.text), bold=block.bold, italic=block.italic,
                                   centered=block.centered))
    return lines, tables


def _clean_cell(c) -> str:
    return str(c or "").strip()


# --- identity ---------------------------------------------------------------------------------


def _sentence_case(text: str, keep: list[str]) -> str:
    """All-caps title to sentence case, restoring known proper names (places) and acronyms."""
    if not text.isupper():
        return text
    low = text.lower()
    out = low[:1].upper() + low[1:]
    for name in keep:
        if name:
            out = re.sub(re.escape(name.lower()), name, out)
    for acr in ("ubnd", "hđnd", "cchc", "tthc", "cntt", "ppp", "dnnvv", "htx", "mttq", "covid-19", "ai"):
        out = re.sub(r"(?<![\wÀ-ỹ])" + acr + r"(?![\wÀ-ỹ])", acr.upper(), out)
    return out


def _identity(lines: list[Paragraph], full_text_fold: str) -> dict:
    ident = {"kind": None, "number": None, "symbol": None, "place": None, "date": None, "year": None,
             "issuer": None, "title": None, "plan_year": None, "plan_period": None, "signer": None,
             "recipients": []}
    head_limit = min(len(lines), 60)
    header_lines: list[str] = []
    kind_index = None
    for i in range(head_limit):
        t = lines[i].text
        if ident["symbol"] is None:
            m = _NUMBER_RE.match(t)
            if m:
                symbol = re.sub(r"\s*[-–]\s*", "-", m.group(3).strip()).strip("-")
                ident["symbol"] = symbol
                ident["number"] = f"{m.group(1)}{m.group(2)}/{symbol}" if m.group(1) else None
                continue
        if ident["year"] is None:
            m = _DATE_LINE_RE.match(t)
            if m:
                ident["place"] = _clean(m.group(1)).strip(" ,")
                ident["year"] = int(m.group(4))
                ident["date"] = iso(make_date(m.group(4), m.group(3) or None, m.group(2) or None))
                continue
        f = fold(t)
        if kind_index is None:
            for word, code in _KIND_WORDS.items():
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
                            not _ROMAN_H.match(lines[j].text) and len(lines[j].text) < 200:
                        title = title + " " + lines[j].text
                    ident["title"] = title or None
                    break
            if kind_index is None and ident["symbol"] is None and "cong hoa" not in f and "doc lap" not in f \
                    and t.isupper() and len(t) < 120:
                header_lines.append(t)
        if kind_index is not None:
            break
    # kind: the symbol's code wins where it is a type code ("QĐ-UBND" -> QĐ)
    if ident["symbol"]:
        code = ident["symbol"].split("-")[0]
        if code and code.isupper() and len(code) <= 4:
            ident["kind"] = code
    if ident["kind"] is None:
        # no type word and no symbol: a plan's layout (purposes, then how it is carried out) still
        # shows a plan; otherwise the type is unknown and stays "" rather than a guess
        ident["kind"] = "KH" if ("muc dich" in full_text_fold[:20000] or "nhiem vu" in full_text_fold[:20000]) \
            and "to chuc thuc hien" in full_text_fold else ""
    ident["issuer"] = _safe(lambda: _issuer(header_lines, ident, full_text_fold, lines), None)
    place = ident["place"]
    keep = [place] if place else []
    if ident["title"]:
        ident["title"] = _sentence_case(_clean(ident["title"]), keep)
    ident["plan_title"] = ident["title"] if ident["kind"] == "KH" else \
        _safe(lambda: _attached_title(lines, kind_index, keep), None)
    _plan_years(ident, full_text_fold)
    ident["signer"] = _safe(lambda: _signer(lines), None)
    ident["recipients"] = _safe(lambda: _recipients(lines), [])
    return ident


_ATTACHED_KINDS = ("ke hoach", "chuong trinh", "de an", "quy che", "quy dinh", "huong dan", "phuong an")


def _attached_title(lines: list[Paragraph], kind_index: int | None, keep: list[str]) -> str | None:
    """The title of the plan a decision issues ("Ban hành kèm theo Quyết định …"): the document type
    in capitals on a line of its own after the decision, then the title up to the "(kèm theo …)" line."""
    if kind_index is None:
        return None
    for i in range(kind_index + 1, min(len(lines), kind_index + 400)):
        t = lines[i].text
        f = fold(t)
        word = next((w for w in _ATTACHED_KINDS if f == w or f.startswith(w + " ")), None)
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
        return _sentence_case(_clean(title), keep) if title else None
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
    for i, p in enumerate(lines):
        t = p.text.strip()
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
                auths.append(f"{am.group(1)}. {smart_case_name(obj) if not obj.startswith(('CHỦ', 'GIÁM', 'TRƯỞNG')) else _position_case(obj)}")
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


# --- sections ---------------------------------------------------------------------------------


def _heading_of(text: str, roman_next: int | None = None):
    """(level, number, rest) for a heading or list item, else None.

    A Roman numeral in lower case ("ii. tổ chức thực hiện") is a part heading too. "ii", "iv" can be
    nothing else; a lone "i", "v" or "x" could be a letter, so it counts only where the Roman sequence
    expects it (`roman_next`: the number after the last part heading; "i." opens a document).
    """
    m = _ARTICLE_H.match(text)
    if m:
        return 1, m.group(1).capitalize(), m.group(2)
    m = _ROMAN_H.match(text)
    if m and roman_to_int(m.group(1)):
        return 1, m.group(1), m.group(2)
    m = _ROMAN_LOW_H.match(text)
    if m:
        value = roman_to_int(m.group(1))
        if value and (len(m.group(1)) > 1 or value == (roman_next or 1)):
            return 1, m.group(1).upper(), m.group(2)
    if fold(text).startswith("phu luc") and len(text) < 40:
        return 1, "Phụ lục", text
    m = _ARABIC_H.match(text)
    if m:
        return 2 + m.group(1).count("."), m.group(1), m.group(2)
    m = _LETTER_H.match(text)
    if m:
        return 5, m.group(1), m.group(2)
    m = _BULLET_H.match(text)
    if m and not _ATTR_RE.match(text):
        return 6 if m.group(1) != "+" else 7, None, m.group(2)
    return None


def _split_heading(rest: str) -> tuple[str, str | None]:
    colon = rest.find(":")
    if 0 < colon < 120 and colon < len(rest) - 1:
        return rest[:colon].strip(), rest[colon + 1:].strip() or None
    if len(rest) <= 200:
        return rest.strip(), None
    m = re.search(r"[.;](?=\s)", rest[:300])
    if m:
        return rest[: m.start()].strip(), rest[m.end():].strip() or None
    return rest[:200].rsplit(" ", 1)[0] + "…", rest


def _line_headings(lines: list[Paragraph]) -> list:
    """`_heading_of` for every line, once, following the sequence of Roman part numbers."""
    out = []
    roman_next = None
    for p in lines:
        h = _heading_of(p.text, roman_next)
        if h and h[0] == 1:
            value = roman_to_int(h[1]) if h[1] and h[1][0] in "IVXL" else None
            if value:
                roman_next = value + 1
            elif h[1] == "Phụ lục":
                roman_next = None  # an appendix starts its own numbering
        out.append(h)
    return out


def _build_sections(lines: list[Paragraph], start: int, heads: list):
    """The section tree and, for every line, the section node it belongs to."""
    roots: list[dict] = []
    stack: list[tuple[int, dict]] = []
    owner: list[dict | None] = [None] * len(lines)
    skipping = False
    for i in range(start, len(lines)):
        t = lines[i].text
        f = fold(t)
        if f.startswith("noi nhan"):
            skipping = True
            continue
        h = heads[i]
        if skipping:
            if h and h[0] == 1 and h[1] != "Phụ lục" or (h and h[1] == "Phụ lục"):
                skipping = False
            else:
                continue
        if h:
            level, number, rest = h
            heading, text = _split_heading(rest)
            node = {"number": number, "heading": heading, "text": text, "children": [], "_level": level,
                    "_line": i, "_full": rest}
            while stack and stack[-1][0] >= level:
                stack.pop()
            (stack[-1][1]["children"] if stack else roots).append(node)
            stack.append((level, node))
            owner[i] = node
        elif stack:
            node = stack[-1][1]
            node["text"] = (node["text"] + "\n" + t) if node["text"] else t
            owner[i] = node
    return roots, owner


def _path(node_chain: list[dict]) -> str | None:
    parts = [n["number"] for n in node_chain if n.get("number")]
    return ".".join(parts).replace("Phụ lục.", "Phụ lục/") if parts else None


def _export_sections(nodes: list[dict]) -> list[dict]:
    out = []
    for n in nodes:
        out.append({"number": n["number"], "heading": n["heading"], "text": n["text"],
                    "children": _export_sections(n["children"])})
    return out


# --- tasks ------------------------------------------------------------------------------------


def _task(title, *, text=None, lead=(), support=(), timeframe=None, targets=None, forms=(), funding=None,
          section=None, source=None, plan_year=None, plan_period=None):
    title = _clean(title or "")
    if len(title) > 500:  # shortened at a word, never inside one
        title = title[:500].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
    title = title or "(untitled)"
    return {
        "title": title,
        "text": _clean(text) if text else None,
        "forms": list(forms),
        "lead": list(lead),
        "support": list(support),
        "timeframe": parse_timeframe(timeframe, plan_year, plan_period) if timeframe else None,
        # the title is the text's first sentence: read the text alone, or each target counts twice
        "targets": _unique_targets(targets if targets is not None else
                                   parse_targets("; ".join([text or title] + list(forms)))),
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


def _first_sentence(text: str) -> str:
    m = re.search(r"(?<=[.;!?])\s+(?=[A-ZĐÀ-Ỹ])", text)
    return text[: m.start()].strip() if m and m.start() > 15 else text.strip()


def _table_tasks(table: Table, plan_year, plan_period) -> list[dict]:
    rows = [[_clean(c or "") for c in r] for r in table.rows]
    header_i = next((i for i, r in enumerate(rows[:3]) if _is_task_header(r)), None)
    if header_i is None:
        return []
    cols: dict[str, int] = {}
    for idx, cell in enumerate(rows[header_i]):
        f = fold(cell)
        if f in ("stt", "tt", "so tt", "so thu tu") and "num" not in cols:
            cols["num"] = idx
        elif ("noi dung" in f or "nhiem vu" in f or "hoat dong" in f or "cong viec" in f) and "title" not in cols:
            cols["title"] = idx
        elif "hinh thuc" in f:
            cols["forms"] = idx
        elif "phoi hop" in f:
            cols["support"] = idx
        elif "chu tri" in f:
            cols["lead"] = idx
        elif "thoi gian" in f or "thoi han" in f or "tien do" in f:
            cols["time"] = idx
        elif "chi tieu" in f or "so luong" in f or "san pham" in f or "ket qua" in f:
            cols["targets"] = idx
        elif "kinh phi" in f:
            cols["funding"] = idx
        elif "thuc hien" in f or "co quan" in f or "don vi" in f:
            cols.setdefault("agency", idx)
    if "title" not in cols:
        return []

    def cell(r, key):
        i = cols.get(key)
        return r[i] if i is not None and i < len(r) else ""

    tasks = []
    group = None
    for r in rows[header_i + 1:]:
        nonempty = [c for c in r if c]
        if not nonempty:
            continue
        title = cell(r, "title")
        num = cell(r, "num")
        if len(nonempty) == 1 and not num and (_ROMAN_H.match(nonempty[0]) or nonempty[0].isupper()):
            hm = _ROMAN_H.match(nonempty[0])
            group = hm.group(1) if hm else None
            continue
        if not title:
            continue
        if cols.get("lead") is not None:
            lead = split_agencies(cell(r, "lead"))
            support = split_agencies(cell(r, "support"))
        else:
            lead, support = split_roles(cell(r, "agency"))
            if cell(r, "support"):
                support += split_agencies(cell(r, "support"))
        forms_text = cell(r, "forms")
        forms = [x.strip(" ;.") for x in re.split(r"(?:^|;)\s*-\s*|\n", forms_text) if x.strip(" ;.-")]
        target_text = "; ".join([title, forms_text, cell(r, "targets")])
        section = "Phụ lục/" + "/".join(x for x in (group, num) if x) if (group or num) else "Phụ lục"
        tasks.append(_task(title, text=title, lead=lead, support=support, timeframe=cell(r, "time") or None,
                           targets=parse_targets(target_text), forms=forms,
                           funding=cell(r, "funding") or None, section=section, source="table",
                           plan_year=plan_year, plan_period=plan_period))
    return tasks


def _chain(node, parents):
    chain = []
    while node is not None:
        chain.append(node)
        node = parents.get(id(node))
    return list(reversed(chain))


def _index_parents(nodes, parents, parent=None):
    for n in nodes:
        if parent is not None:
            parents[id(n)] = parent
        _index_parents(n["children"], parents, n)


def _attr_tasks(lines, heads, owner, parents, plan_year, plan_period, used_nodes):
    """Activities that name their lead with '… chủ trì:' lines (and phối hợp / thời gian / kinh phí)."""
    tasks = []
    i = 0
    n = len(lines)
    prev_block_end = 0
    while i < n:
        m = _ATTR_RE.match(lines[i].text)
        if not m or not re.search(r"chủ trì|chỉ trì|thực hiện", m.group("label"), re.IGNORECASE) or \
                re.match(r"thời|kinh|hình|chỉ tiêu|sản phẩm|tiến độ|số lượng|quy mô", m.group("label"), re.IGNORECASE):
            i += 1
            continue
        # the activity's words: lines since the previous attribute block, back to the nearest heading
        body = []
        k = i - 1
        while k >= prev_block_end and k >= 0:
            t = lines[k].text
            if _ATTR_RE.match(t) or fold(t).startswith("noi nhan"):
                break
            h = heads[k]
            if h and h[0] <= 5:
                if not body:
                    body.insert(0, h[2])
                break
            body.insert(0, h[2] if h else t)
            k -= 1
        node = owner[i]
        lead, support, time_text, funding_parts, forms, extra = [], [], None, [], [], []
        j = i
        while j < n:
            t = lines[j].text
            am = _ATTR_RE.match(t)
            if am:
                label = fold(am.group("label"))
                value = am.group("value").strip()
                # the kind of attribute is told by its first word: "Kinh phí thực hiện" is funding
                if label.startswith(("thoi", "tien do")):
                    time_text = value
                elif label.startswith("kinh phi"):
                    if value:
                        funding_parts.append(value)
                elif label.startswith("hinh thuc"):
                    forms.append(value)
                elif label.startswith(("chi tieu", "san pham", "so luong", "quy mo")):
                    extra.append(value)
                elif "phoi hop" in label:
                    support += split_agencies(value)
                elif "chu tri" in label or "chi tri" in label or label.endswith("thuc hien"):
                    # "- Chủ trì: Sở Nội vụ; phối hợp: Sở Tư pháp.": a role label inside the line
                    more_lead, more_support = split_roles("chủ trì: " + value)
                    lead += more_lead
                    support += more_support
                j += 1
                continue
            if t.startswith("+") and funding_parts is not None and j > i:
                funding_parts.append(t.lstrip("+ ").rstrip(" ;."))
                j += 1
                continue
            if t.startswith(("-", "–")) and j > i and not _heading_of(t[1:].strip() or "x") and \
                    j + 1 < n and not _ATTR_RE.match(lines[j + 1].text) and _is_inside_block(lines, j):
                extra.append(t.lstrip("-– "))
                j += 1
                continue
            break
        prev_block_end = j
        title_text = " ".join(body) if body else (node["_full"] if node else "")
        if not title_text:
            i = j
            continue
        chain = _chain(node, parents) if node else []
        for c in chain:
            used_nodes.add(id(c))
        text = " ".join(body + extra)
        # targets also stand in the attribute lines ("Số lượng: 02 lớp") and in the time
        # ("Hằng tháng, mỗi tháng ít nhất 03 tin, bài"; "Định kỳ hằng quý (01 số/quý)")
        # (joined with "; ": "… kỹ năng số" + "02 lớp" must not read as "số 02")
        targets = parse_targets("; ".join(body + extra + forms + ([time_text] if time_text else [])))
        tasks.append(_task(_first_sentence(title_text), text=text, lead=lead, support=support, timeframe=time_text,
                           targets=targets,
                           forms=forms, funding="; ".join(p.rstrip(" ;.") for p in funding_parts) or None,
                           section=_path(chain), source="lead", plan_year=plan_year, plan_period=plan_period))
        i = j
    return tasks


def _is_inside_block(lines, j):
    # a dash line between attribute lines ("- Mời Vụ … tham gia.") belongs to the activity
    return j + 1 < len(lines) and bool(_ATTR_RE.match(lines[j + 1].text))


def _starts_agency(text: str) -> bool:
    # a heading written all in lower case ("1. sở nội vụ") names its agency all the same
    return bool(_AGENCY_START_RE.match(text[:1].upper() + text[1:]))


_REQUEST_RE = re.compile(r"^(?:Đề nghị|Giao)\s*:?\s*(?=\S)", re.IGNORECASE)
_DUTY_ONLY_RE = re.compile(r"^(?:có|chịu)\s+trách nhiệm|^có\s+nhiệm vụ|^thực hiện các nhiệm vụ sau", re.IGNORECASE)


def _agency_and_duty(text: str):
    """'Sở Tài chính chủ trì, …' -> ('Sở Tài chính', 'chủ trì, …'); 'Văn hóa- Xã hội: Làm …' likewise.

    "Đề nghị: Hội Nông dân tỉnh" (a request to a body the issuer does not command) names the body
    all the same; "Sở Tài chính có trách nhiệm" names it and leaves the duty to the next lines ('').
    """
    text = text.strip()
    text = _REQUEST_RE.sub("", text)
    text = text[:1].upper() + text[1:]
    if not _starts_agency(text):
        return None, text
    colon = text.find(":")
    if 0 < colon < 140:
        name, duty = text[:colon].strip(), text[colon + 1:].strip()
    else:
        m = _DUTY_VERB_RE.search(text[:200])
        if not m:
            return None, text
        name, duty = text[: m.start()].strip(), text[m.start():].strip()
    if _DUTY_ONLY_RE.match(duty) and len(duty) < 60:
        duty = ""
    name = re.sub(r"\s+(?:có|chịu)\s+trách nhiệm$", "", name)
    return name, duty


def _is_closing(text: str) -> bool:
    f = fold(text)
    return f.startswith(("tren day", "trong qua trinh", "qua trinh thuc hien", "can cu ke hoach")) or \
        "kho khan, vuong mac" in f


def _implementation_tasks(section, parents, plan_year, plan_period, used_nodes):
    tasks = []
    for item in section["children"]:
        if id(item) not in used_nodes:
            tasks += _agency_item_tasks(item, parents, plan_year, plan_period, used_nodes) or []
    return tasks


def _agency_item_tasks(item, parents, plan_year, plan_period, used_nodes, *, heading_only=False,
                       source="implementation"):
    """The duties of one item that names agencies, or None when it names none.

    Each lettered or bulleted duty below it is one task; without such duties its paragraph is one.
    With `heading_only` the item must be a heading that is nothing but the agencies' names.
    """
    rest = item["_full"]
    name, duty = _agency_and_duty(rest)
    has_duties = any(c["_level"] >= 5 for c in item["children"])
    # a short heading over its own lettered duties names agencies only, whatever verbs it holds
    # ("7. Các sở, ban, ngành; các cơ quan Trung ương được tổ chức theo ngành dọc tại tỉnh")
    heading_is_agency = (name is None or (has_duties and ":" not in rest and duty)) and \
        _starts_agency(_REQUEST_RE.sub("", rest)) and len(rest) < 200 and not rest.rstrip().endswith(".")
    if heading_is_agency:
        name = re.sub(r"\s+(?:có|chịu) trách nhiệm.*$", "", _REQUEST_RE.sub("", rest)).strip(" :")
        name = name[:1].upper() + name[1:]
        duty = None
    elif heading_only and not (name and not duty):
        return None
    if not name:
        return None
    tasks = []
    agencies = split_agencies(name)
    chain = _chain(item, parents)
    duties = [c for c in item["children"] if c["_level"] >= 5]
    if duties:
        for d in duties:
            if id(d) in used_nodes:
                continue
            sub_name, sub_duty = _agency_and_duty(d["_full"])
            lead = split_agencies(sub_name) if sub_name and ":" in d["_full"][:150] else agencies
            body = sub_duty if sub_name and ":" in d["_full"][:150] else d["_full"]
            tasks.append(_duty_task(body, lead, _chain(d, parents), plan_year, plan_period, source))
    else:
        body = duty or ""
        if not body and item["text"]:
            paras = [p for p in item["text"].split("\n") if p.strip() and not _is_closing(p)]
            body = " ".join(paras)
        if body:
            tasks.append(_duty_task(body, agencies, chain, plan_year, plan_period, source))
    return tasks


_DUTY_SUPPORT_RE = re.compile(
    r"phối hợp với\s+(.+?)(?=\s+(?:để|thực hiện|triển khai|tổ chức|tham mưu|bố trí|nghiên cứu|tuyên truyền|kịp thời|"
    r"trong|tăng cường|đẩy mạnh|cập nhật|xây dựng|hướng dẫn|kiểm tra|giới thiệu|rà soát|đánh giá|theo dõi|tiếp tục|"
    r"quảng bá|thông tin|đưa tin|phổ biến|vận động|hỗ trợ|duy trì|nâng cao|lồng ghép)\b|[.;:]|$)",
    re.IGNORECASE)


_DUTY_RECURRENCE_RE = re.compile(r"\b(?:h[ằà]ng|mỗi|định kỳ(?: h[ằà]ng)?)\s+(?:tuần|tháng|quý|năm)\b", re.IGNORECASE)


def _duty_task(body, lead, chain, plan_year, plan_period, source="implementation"):
    named_lead, support = read_assignment(body, _starts_agency)
    if not support:
        m = _DUTY_SUPPORT_RE.search(body)
        if m and len(m.group(1)) < 160:
            support = split_agencies(m.group(1))
    support = [a for a in support if a not in lead]
    title = _first_sentence(body)
    title = title[:1].upper() + title[1:]  # "Sở Tài chính chủ trì, …" leaves "chủ trì, …"
    return _task(title, text=body, lead=lead or named_lead, support=support, timeframe=time_phrase(body[:800]),
                 section=_path(chain), source=source, plan_year=plan_year, plan_period=plan_period)


def _solution_tasks(section, parents, plan_year, plan_period, used_nodes):
    tasks = []
    for item in section["children"]:
        if id(item) in used_nodes:
            continue
        # "1. Công chức Văn hóa - Xã hội" over its own duties: the agency leads each of them
        if any(c["_level"] >= 5 for c in item["children"]):
            owned = _agency_item_tasks(item, parents, plan_year, plan_period, used_nodes, heading_only=True,
                                       source="solution")
            if owned:
                tasks += owned
                continue
        leaves = [c for c in item["children"] if c["_level"] == 5 and id(c) not in used_nodes]
        for node in leaves or [item]:
            body = node["_full"] + ("\n" + node["text"] if node["text"] and node is not item else "")
            if node is item and item["text"]:
                body = item["_full"] + " " + item["text"].replace("\n", " ")
            name, duty = _agency_and_duty(node["_full"])
            lead = split_agencies(name) if name and ":" in node["_full"][:150] else []
            support = []
            if not lead:  # "Giao Sở X chủ trì, phối hợp với Sở Y tổ chức …"
                lead, support = read_assignment(node["_full"], _starts_agency)
            tasks.append(_task(_first_sentence(node["_full"]), text=body, lead=lead, support=support,
                               timeframe=time_phrase(body[:800]), section=_path(_chain(node, parents)),
                               source="solution", plan_year=plan_year, plan_period=plan_period))
    return tasks


def _walk(nodes):
    for n in nodes:
        yield n
        yield from _walk(n["children"])


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
        "source": {"format": getattr(doc, "source_format", None), "name": getattr(doc, "name", "") or ""},
    }
    lines, tables = _safe(lambda: _flatten(doc), ([], []))
    full_fold = fold(" ".join(p.text for p in lines)[:2_000_000])
    ident = _safe(lambda: _identity(lines, full_fold), None)
    if ident:
        result["document"].update(ident)
    d = result["document"]
    plan_year, plan_period = d.get("plan_year"), d.get("plan_period")

    heads = _safe(lambda: _line_headings(lines), [None] * len(lines))
    start = next((i for i, h in enumerate(heads) if h and h[0] == 1 and h[1] != "Phụ lục"), len(lines))
    result["references"] = _safe(lambda: _references(lines, start, d.get("number"), d.get("date")), [])
    roots, owner = _safe(lambda: _build_sections(lines, start, heads), ([], [None] * len(lines)))
    result["sections"] = _safe(lambda: _export_sections(roots), [])
    parents: dict = {}
    _safe(lambda: _index_parents(roots, parents), None)
    used: set = set()
    tasks: list[dict] = []
    tasks += _safe(lambda: _attr_tasks(lines, heads, owner, parents, plan_year, plan_period, used), [])
    for root in roots:
        f = fold(root["heading"])
        if "to chuc thuc hien" in f or "trach nhiem" in f or "phan cong" in f:
            tasks += _safe(lambda: _implementation_tasks(root, parents, plan_year, plan_period, used), [])
        elif ("giai phap" in f or "nhiem vu" in f) and "muc tieu" not in f:
            tasks += _safe(lambda: _solution_tasks(root, parents, plan_year, plan_period, used), [])
        if "kinh phi" in f:
            result["funding"] = _safe(lambda: _funding(root), [])
    for _, table in tables:
        tasks += _safe(lambda: _table_tasks(table, plan_year, plan_period), [])
    result["tasks"] = tasks
    body = [p.text for p in lines[start:]] if start < len(lines) else [p.text for p in lines]
    result["reporting"] = _safe(lambda: parse_reporting(body, plan_year, plan_period, issued=d.get("date")), result["reporting"])
    return result


def _funding(root) -> list[str]:
    out = []
    for n in [root] + list(_walk(root["children"])):
        if n is not root:
            out.append(n["_full"])
        elif n["text"]:
            out.extend(p for p in n["text"].split("\n") if p.strip())
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
