"""Decisions that publish lists of administrative procedures (Quyết định công bố danh mục thủ tục hành chính)
into structured data (schema ``cchc.procedures/1``).

The same readers as the plan reader (`reader.read_document` / `read_bytes` → `SourceDocument`) hand over
paragraphs and tables; here they become one stream of rows: a table's rows, a paragraph as a row of one
cell, and "a | b | c" lines as rows of cells. A copy saved from a legal website runs the whole page —
header, articles, signature, appendix and its tables — into one table of cells whose row breaks are the
converter's, not the document's; so nothing here trusts a row to be a table row. The rules:

- a **list** starts at a run of column headings (STT, Mã TTHC, Tên thủ tục hành chính, Thời hạn giải
  quyết …) with a name column, wherever it stands in a row;
- a **procedure row** starts at a row number ("1", "12.") and takes the cells up to the next one; a row
  with fewer cells than columns (merged cells) is aligned to the columns by what its cells hold (a
  code, a number of days, a fee, a legal document); cells past the last column are read as text;
- **headings** between rows or lists ("A. DANH MỤC TTHC MỚI BAN HÀNH", "I. Lĩnh vực Đất đai",
  "THỦ TỤC HÀNH CHÍNH CẤP XÃ", "II. … BỊ BÃI BỎ") set the status, level and field of the rows below;
  the decision's title gives them where the lists do not;
- a document without a list table is read for lists written as paragraphs: items under a heading
  that names procedures, or numbered procedure headings followed by "a) Trình tự thực hiện".

A value the document does not state is null. Everything runs in linear time over the stream.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field

from .blocks import Paragraph, SourceDocument, Table
from .folding import fold
from .i18n import _

SCHEMA_ID = "cchc.procedures/1"
#: a header cell longer than this is text, not a column heading
_HEADER_MAX = 160
_MAX_COLUMNS = 16


# ------------------------------------------------------------------------------------ public API

def parse_procedures_file(path: str | os.PathLike) -> dict:
    """Read the file (.docx, .pdf with text, .txt, .md) into the dict of ``procedures.schema.json``.

    Raises `DocumentError` (a message for the user) for a file that is no readable document."""
    from .reader import read_document

    return parse_procedure_blocks(read_document(path))


def parse_procedures_bytes(data: bytes, *, name: str, language: str | None = None, limits=None,
                           budget=None, sandboxed: bool = True) -> dict:
    """The same for an upload held in memory. With ``sandboxed`` (the default) the file is read in the
    sandbox process within `budget` (`cchc.documents.sandbox.Budget`) and `limits`
    (`cchc.documents.limits.Limits`), as the plan reader reads uploads; messages come in `language`."""
    if sandboxed:
        from . import sandbox

        return sandbox.run("procedures", data, name=name, language=language, limits=limits, budget=budget)
    from .reader import read_bytes

    return parse_procedure_blocks(read_bytes(data, name=name))


def parse_procedures_text(text: str, *, markdown: bool | None = None, name: str = "") -> dict:
    """Pasted or extracted text into the same structure."""
    from . import _MARKDOWN_HINT_RE
    from .textblocks import blocks_from_text

    text = text if isinstance(text, str) else ""
    if markdown is None:
        markdown = bool(_MARKDOWN_HINT_RE.search(text[:200_000]))
    return parse_procedure_blocks(SourceDocument(blocks=blocks_from_text(text, markdown=markdown),
                                                 source_format="md" if markdown else "txt", name=name))


def parse_procedure_blocks(doc: SourceDocument) -> dict:
    problems: list[dict] = []
    rows = _safe(lambda: _rows(doc), [], problems, "read")
    decision = _safe(lambda: _decision(doc, rows), None, problems, "identity") or \
        {"number": None, "date": None, "issuer": None, "title": None}
    reader = _ListReader(decision.get("title") or "")
    procedures = _safe(lambda: reader.read(rows), [], problems, "tables")
    if not procedures and not reader.tables:
        procedures = _safe(lambda: _paragraph_lists(rows, decision.get("title") or ""), [], problems, "tables")
    out = {"schema": SCHEMA_ID, "decision": decision, "procedures": procedures, "diagnostics": problems}
    for table in reader.tables:
        if table.headings and not table.rows:
            problems.append({"code": "unread_list", "severity": "warning",
                             "message": _("A list of procedures (columns: %(columns)s) was found but none of its "
                                          "rows could be read; check that list by hand.")
                             % {"columns": ", ".join(table.headings[:6])}})
    if not procedures:
        problems.append({"code": "no_procedures", "severity": "warning",
                         "message": _("No list of administrative procedures was found in this document; check "
                                      "that the file is the full decision with its appendix.")})
    return out


def _safe(fn, default, problems: list, stage: str):
    from .diagnostics import stage_failed

    try:
        return fn()
    except (MemoryError, RecursionError):
        raise
    except Exception:  # one unreadable part leaves its default; the rest still parses
        problems.append(stage_failed(stage))
        return default


# ------------------------------------------------------------------------------------ the row stream

@dataclass
class _Row:
    cells: list[str]
    para: bool = False  # a paragraph, not a table row


_SPACE_RE = re.compile(r"[ \t\u00a0]+")
_FOOTER_STARTS = ("noi dung sua doi, huong dan", "file duoc dinh kem theo van ban",
                  "van ban nay chua cap nhat noi dung tieng anh")
# the website's own title of the page, run into the last cell of the document: "Quyết định 2827/QĐ-UBND năm 2025 công bố …"
_SITE_TITLE_RE = re.compile(r"^Quyết định\s+\d+/[\wĐđ/-]+\s+năm\s+\d{4}\s")


def _cell(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "")
    lines = [_SPACE_RE.sub(" ", ln).strip() for ln in text.split("\n")]
    return "\n".join(ln for ln in lines if ln)


def _rows(doc: SourceDocument) -> list[_Row]:
    out: list[_Row] = []
    for block in doc.blocks:
        if isinstance(block, Table):
            for r in block.rows:
                cells = [_cell(c) for c in r]
                while cells and not cells[-1]:
                    cells.pop()
                if cells:
                    out.append(_Row(cells))
        elif isinstance(block, Paragraph) and block.text and block.text.strip():
            text = _cell(block.text)
            if text.count(" | ") + text.count("| ") >= 3:
                out.extend(_pipe_rows(text))
            else:
                out.append(_Row([text], para=True))
    return _cut_footer(out)


def _pipe_rows(text: str) -> list[_Row]:
    """ "STT | Tên | Cơ quan | | 1 | … | … |": a markdown table that lost its line breaks."""
    rows, cur = [], []
    for piece in text.split("|"):
        piece = piece.strip()
        if piece:
            cur.append(piece)
        elif cur:
            rows.append(_Row(cur))
            cur = []
    if cur:
        rows.append(_Row(cur))
    return rows


def _cut_footer(rows: list[_Row]) -> list[_Row]:
    """Drop the website's page furniture after the document (related documents, notices, contacts)."""
    for i, row in enumerate(rows):
        for k, c in enumerate(row.cells):
            f = fold(c[:60])
            if f.startswith(_FOOTER_STARTS) or (not row.para and _SITE_TITLE_RE.match(c) and i > 3):
                kept = row.cells[:k]
                return rows[:i] + ([_Row(kept, row.para)] if any(kept) else [])
    return rows


# ------------------------------------------------------------------------------------ the decision

_AUTHORITY_RE = re.compile(
    r"^(?:PHÓ\s+)?(?:CHỦ TỊCH|BỘ TRƯỞNG|THỦ TƯỚNG|GIÁM ĐỐC|TỔNG GIÁM ĐỐC|CỤC TRƯỞNG|TRƯỞNG BAN|CHÁNH VĂN PHÒNG|"
    r"THỐNG ĐỐC|TỔNG CỤC TRƯỞNG|VỤ TRƯỞNG|CHỦ NHIỆM|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN)\b.{3,160}$")
_ARTICLE_NUMBER_RE = re.compile(r"Quyết định\s+(?:số\s+)?(\d+/(?:\d{4}/)?QĐ-[A-ZĐ0-9]+(?:-[A-ZĐ0-9]+)*)")
_ARTICLE_DATE_RE = re.compile(r"Ngày\s+(\d{1,2})/(\d{1,2})/(\d{4}),")


def _decision(doc: SourceDocument, rows: list[_Row]) -> dict:
    from .dates import iso, make_date
    from .parser import _flatten, _identity

    lines, _tables = _flatten(doc)
    full = fold(" ".join(p.text for p in lines[:3000]))
    ident = _identity(lines, full)
    number, date, title = ident.get("number"), ident.get("date"), ident.get("title")
    if number:
        number = re.sub(r"\s+", "", number)
    issuer = None
    # "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ": the authority line between the title and "Căn cứ"
    start = next((i for i, p in enumerate(lines[:600])
                  if fold(p.text) in ("quyet dinh", "quyet dinh:") and p.text.isupper()), None)
    if start is not None:
        for p in lines[start + 1:start + 12]:
            t = " ".join(p.text.replace("*", " ").split())
            if fold(t).startswith(("can cu", "quyet dinh")):
                break
            if t == t.upper() and _AUTHORITY_RE.match(t):
                k = lines.index(p)
                nxt = " ".join(lines[k + 1].text.replace("*", " ").split()) if k + 1 < len(lines) else ""
                if nxt and nxt == nxt.upper() and len(nxt) < 60 and not fold(nxt).startswith(("can cu", "quyet dinh")) \
                        and re.search(r"(?:TỈNH|THÀNH PHỐ|XÃ|PHƯỜNG|BỘ|SỞ)$", t):
                    t = t + " " + nxt  # "… TỈNH" / "QUẢNG TRỊ": the line wrapped in the name
                issuer = _authority_case(t)
                break
    if issuer and re.search(r"\b(?:tỉnh|thành phố)$", issuer):
        # "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH": the locality is the one the header names
        loc = re.search(r"\b(?:tỉnh|thành phố)\s+(\S.*)$", ident.get("issuer") or "")
        if loc:
            issuer = f"{issuer} {loc.group(1)}"
    if not number or not date:
        # an article about the decision: "Ngày 04/12/2025, UBND tỉnh X đã ban hành Quyết định 02223/QĐ-UBND …"
        for p in lines[:200]:
            m = _ARTICLE_NUMBER_RE.search(p.text)
            d = _ARTICLE_DATE_RE.search(p.text)
            if m and d and "ban hành" in p.text:
                number = number or m.group(1)
                date = date or iso(make_date(d.group(3), d.group(2), d.group(1)))
                break
    if not number or not date:
        meta = _site_metadata(rows)
        number = number or meta.get("number")
        date = date or meta.get("date")
    return {"number": number or None, "date": date or None, "issuer": issuer, "title": title or None}


def _site_metadata(rows: list[_Row]) -> dict:
    from .dates import iso, make_date

    out: dict = {}
    cells = [c for r in rows[:40] for c in r.cells]
    for k, c in enumerate(cells[:-1]):
        f = fold(c)
        value = cells[k + 1].strip()
        if f.endswith("so hieu:") and re.match(r"^\d+/[\wĐ/-]+$", value):
            out["number"] = value
        elif f.endswith("ngay ban hanh:"):
            m = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", value)
            if m:
                out["date"] = iso(make_date(m.group(3), m.group(2), m.group(1)))
    return out


_PLACE_WORDS = ("tỉnh", "thành phố", "xã", "phường", "huyện", "quận", "thị xã", "đặc khu")


def _authority_case(caps: str) -> str:
    """ "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ" → "Chủ tịch Ủy ban nhân dân tỉnh Quảng Trị";
    "BỘ TRƯỞNG BỘ CÔNG THƯƠNG" → "Bộ trưởng Bộ Công Thương"."""
    text = " ".join(caps.lower().split())
    place = re.search(r"\b(?:" + "|".join(_PLACE_WORDS) + r")\s+(?!nhân dân)(\S.*)$", text)
    if place:
        text = text[:place.start(1)] + " ".join(w[:1].upper() + w[1:] for w in place.group(1).split())
    text = re.sub(r"\b(ủy|uỷ) ban nhân dân\b", lambda m: m.group(1).capitalize() + " ban nhân dân", text)
    text = re.sub(r"\bhội đồng nhân dân\b", "Hội đồng nhân dân", text)
    text = re.sub(r"\btrung tâm phục vụ\b", "Trung tâm Phục vụ", text)
    text = re.sub(r"\b(bộ|sở|cục)\s+(?!trưởng\b)(\S+)",
                  lambda m: m.group(1).capitalize() + " " + m.group(2)[:1].upper() + m.group(2)[1:], text)
    text = text.replace("Công thương", "Công Thương")
    return text[:1].upper() + text[1:]


# ------------------------------------------------------------------------------------ columns

_ROW_NUMBER_RE = re.compile(r"^\(?(\d{1,3})[.)]?$")
_SUB_NUMBER_RE = re.compile(r"^(\d{1,3})\.(\d{1,3})(?:\.\d{1,3})?\.?$")
_GROUP_LABEL_RE = re.compile(r"^(?:[IVXLC]{1,6}|[A-ZĐ])[.)]?$")
_LABELLED_HEADING_RE = re.compile(r"^(?:(?:PHẦN|Phần|MỤC|Mục)\s+[IVXLC\d]+|[IVXLC]{1,6}|[A-ZĐ]|\d{1,2})[.):]\s*\S")
_CODE_RE = re.compile(r"\b(\d\.\d{6}(?:\s?\.\s?[0-9A-Za-z]{1,6}){0,5})\b")


def _column(text: str) -> str | None:
    """What a column heading names, or None when the text is no column heading."""
    f = fold(text)
    if not f or len(text) > _HEADER_MAX:
        return None
    if re.fullmatch(r"(?:so )?(?:stt|tt|thu tu)|so thu tu", f):
        return "stt"
    if "vbqppl" in f or "van ban quy pham" in f or f.startswith(("can cu", "ten van ban")) or "can cu phap ly" in f \
            or "quyet dinh cong bo" in f or "ly do bai bo" in f or "co so phap ly" in f:
        return "legal"
    if (f.startswith("ten") or "/ten" in f or "ten thu tuc" in f) and ("thu tuc" in f or "tthc" in f or "quy trinh" in f):
        return "name"
    if f.startswith(("ma ", "ma/")) or f in ("ma", "ma so") or "ma tthc" in f or "ma thu tuc" in f or "ma ho so" in f \
            or "so ho so" in f:
        return "code"
    if "thoi han" in f or "thoi gian giai quyet" in f or f.startswith("thoi gian"):
        return "time"
    if re.search(r"\b(?:phi|le phi)\b", f):
        return "fee"
    if "dia diem" in f or "noi tiep nhan" in f or "diem tiep nhan" in f or "noi thuc hien" in f or "noi nop" in f:
        return "place"
    if "co quan" in f and ("thuc hien" in f or "giai quyet" in f):
        return "agency"
    if f.startswith("linh vuc"):
        return "field"
    if "cap thuc hien" in f or "cap giai quyet" in f or f == "cap":
        return "level"
    if "ghi chu" in f:
        return "note"
    if "hinh thuc cong bo" in f or "tinh trang" in f or f.startswith("loai"):
        return "status"
    if "cach thuc" in f or "dich vu cong" in f or "dvc" in f or "ky hieu" in f or "muc thu" in f or \
            "thu tu" in f or "quy trinh" in f or "tiep nhan" in f or "doi tuong" in f or "ket qua" in f \
            or "mau don" in f or "thanh phan" in f or "muc do" in f or "truc tuyen" in f:
        return "other"
    return None


def _header_at(cells: list[str], i: int) -> int:
    """The number of column-heading cells that start at `i` (0 when no list heading starts there)."""
    first = _column(cells[i])
    if first not in ("stt", "name", "code"):
        return 0
    kinds = []
    j = i
    while j < len(cells) and len(kinds) < _MAX_COLUMNS:
        kind = _column(cells[j])
        if kind is None or (kind == "stt" and kinds):
            break
        kinds.append(kind)
        j += 1
    if "name" not in kinds or len(kinds) < 2:
        return 0
    return len(kinds)


# ------------------------------------------------------------------------------------ headings

_STATUS_WORDS = (
    ("abolished", re.compile(r"\bbai bo\b|\bhuy bo\b")),
    ("replaced", re.compile(r"\b(?:duoc|bi) thay the\b|\bthay the\b")),
    ("amended", re.compile(r"\bsua doi\b|\bdieu chinh\b")),
    ("new", re.compile(r"\bmoi ban hanh\b|\bban hanh moi\b|\bduoc ban hanh\b|\bmoi\b|\bbo sung\b")),
    ("unchanged", re.compile(r"\bkhong phu thuoc\b|\btiep tuc\b|\bgiu nguyen\b|\bchuan hoa\b")),
)


#: "mới" (new) alone, told from "môi" ("môi trường", environment), which folds to the same letters
_NEW_WORD_RE = re.compile(r"(?<!\w)mới(?!\w)")


def _statuses(f: str, raw: str | None = None) -> list[str]:
    """The statuses the folded text `f` names. With the text before folding, a bare "moi" counts only
    when it was "mới" (not the "môi" of "Sở Nông nghiệp và Môi trường")."""
    if raw is not None and not _NEW_WORD_RE.search(raw.lower()):
        f = re.sub(r"\bmoi\b(?! ban hanh)", "", f)
    found = []
    for status, rx in _STATUS_WORDS:
        if status == "new" and "sua doi" in f:
            # "sửa đổi, bổ sung" is one status; only a "mới" elsewhere also names new ones
            if not re.search(r"\bmoi ban hanh\b|\bban hanh moi\b|\bmoi\b", f):
                continue
        if status == "replaced" and "abolished" in found and not re.search(r"(?:duoc|bi) thay the", f):
            continue
        if rx.search(f):
            found.append(status)
    return found


def _status_of(text: str) -> str | None:
    found = _statuses(fold(text), text)
    if len(found) > 1 and "unchanged" in found:
        # "… bị bãi bỏ … không phụ thuộc vào địa giới hành chính": the other word says what happens
        found.remove("unchanged")
    return found[0] if len(found) == 1 else None


def _level_of(text: str) -> str | None:
    f = fold(text)
    found = set()
    if re.search(r"\bcap tinh\b|\bubnd tinh\b|\buy ban nhan dan tinh\b|tham quyen (?:giai quyet )?cua (?:chu tich )?"
                 r"(?:so|ubnd tinh|uy ban nhan dan tinh)\b|\bcap so\b", f):
        found.add("province")
    if re.search(r"\bcap xa\b|\bubnd (?:cap )?xa\b|\buy ban nhan dan (?:cap )?xa\b", f):
        found.add("commune")
    if re.search(r"\btrung uong\b|\bcap bo\b|tham quyen (?:giai quyet )?cua bo\b", f):
        found.add("central")
    return found.pop() if len(found) == 1 else None


_FIELD_RE = re.compile(r"\b[Ll]ĩnh vực\s*:?\s*(.+)$", re.S)
_FIELD_END_RE = re.compile(
    r"\s*(?:\(|\bthuộc\b|\btrên địa bàn\b|\bcủa\b|\btại\b|\bđược\b|\bcấp tỉnh\b|\bcấp xã\b|\bbị\b|\bmới\b|\bsửa đổi\b|\bgồm\b|;|$)",
)


def _field_of(text: str) -> str | None:
    m = _FIELD_RE.search(" ".join(text.split()))
    if not m:
        return None
    rest = m.group(1)
    end = _FIELD_END_RE.search(rest)
    value = rest[: end.start()] if end else rest
    value = value.strip(" .,:-–")
    if not value or len(value) > 120:
        return None
    if value.isupper():
        value = value[:1] + value[1:].lower()
    return value[:1].upper() + value[1:]


_CONTENT_HEADING_RE = re.compile(r"^(?:(?:phan|muc)\s+[ivx\d]+|[a-zđ]|[ivx]+)?[.:)]?\s*noi dung\b")


def _is_heading_text(text: str) -> bool:
    """A group or list heading inside or between lists (not a procedure's name)."""
    t = " ".join(text.split())
    if not t or len(t) > 400:
        return False
    f = fold(t)
    if f.startswith(("linh vuc", "phu luc", "danh muc", "phan ", "muc ", "nhom ")):
        return True
    letters = [ch for ch in t if ch.isalpha()]
    if len(letters) >= 8 and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters):
        return True
    if re.search(r"\b(?:thu tuc hanh chinh|tthc)\b", f) and re.search(
            r"\bcap (?:tinh|xa|huyen|trung uong)\b|\bdanh muc\b|\bbai bo\b|\bsua doi\b|\bmoi ban hanh\b|"
            r"\bban hanh moi\b|\bthay the\b|\bduoc bo sung\b|\bthuoc tham quyen\b|\bnoi bo\b", f) \
            and not f.startswith("thu tuc "):
        return True
    return False


# ------------------------------------------------------------------------------------ cell contents

_DAYS_RE = re.compile(r"(\d+(?:[.,]\d+)?)\s*\)?\s*(?:\([^()]{1,40}\)\s*)?(ngày|giờ|tháng|năm)", re.IGNORECASE)


def time_limit(text: str | None) -> dict | None:
    """ "15 ngày làm việc", "Trong thời hạn 15 (mười lăm) ngày làm việc kể từ …" → days 15, working days.
    Several numbers (steps, cases — even equal ones), hours, "ngay trong ngày" or no "ngày" → days null."""
    if not text or not text.strip():
        return None
    t = " ".join(text.split())
    found = []
    for m in _DAYS_RE.finditer(t):
        unit = m.group(2).lower()
        if unit == "năm" and re.search(r"(?:tháng|ngày)\s*$", t[max(0, m.start() - 12):m.start()], re.IGNORECASE):
            continue  # a date, "ngày 01 tháng 7 năm 2025"
        if "/" in t[max(0, m.start() - 3):m.start()] or t[m.end():m.end() + 1] == "/":
            continue
        found.append((m.group(1), unit))
    f = fold(t)
    working = True if re.search(r"\blam viec\b", f) else (False if found else None)
    days = None
    if len(found) == 1 and found[0][1] == "ngày" and re.fullmatch(r"\d+", found[0][0]):
        days = int(found[0][0])
    return {"text": t, "days": days, "working_days": working}


_AMOUNT_RE = re.compile(r"(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(?:đồng|đ\b|vnđ|vnd|triệu|nghìn|ngàn|%)", re.IGNORECASE)


def fee(text: str | None) -> dict | None:
    """ "Không", "Miễn", "0 đồng" → free; an amount or a fee set elsewhere → not free; else unknown."""
    if not text or not text.strip():
        return None
    t = " ".join(text.split())
    f = fold(t)
    amounts = [a for a in _AMOUNT_RE.findall(t) if re.sub(r"\D", "", a).strip("0")]
    zero = bool(re.search(r"(?:^|\s)0\s*(?:đồng|đ\b|vnđ)", t, re.IGNORECASE))
    if re.match(r"^[-+•\s]*(?:khong|chua) quy dinh\b", f):
        return {"text": t, "free": None}  # not stated, not said to be free
    free_words = re.match(r"^[-+•\s]*(?:khong|mien|0 dong|khong thu|khong co)\b", f)
    if amounts:
        return {"text": t, "free": False}
    if free_words or (zero and not re.search(r"\b(?:theo quy dinh|thong tu|nghi dinh|quyet dinh|nghi quyet)\b", f)):
        if re.search(r"\b(?:phi|le phi)\b.*\b(?:theo|tai)\b.*\b(?:thong tu|nghi quyet|nghi dinh|quyet dinh)\b", f) \
                and not free_words:
            return {"text": t, "free": False}
        return {"text": t, "free": True}
    if re.search(r"\b(?:thong tu|nghi quyet|nghi dinh|quyet dinh|theo quy dinh|muc thu)\b", f):
        return {"text": t, "free": False}
    return {"text": t, "free": None}


_LEGAL_SPLIT_RE = re.compile(r"(?:^|\n|;\s*)[-+•]\s*|\n")


def legal_basis(text: str | None) -> list[str]:
    if not text:
        return []
    parts = [" ".join(p.split()).strip(" ;,.") for p in _LEGAL_SPLIT_RE.split(text)]
    out: list[str] = []
    for p in parts:
        if not p:
            continue
        if out and (p[:1].islower() or not re.search(r"\b(?:Luật|Nghị định|Thông tư|Quyết định|Nghị quyết|Bộ luật|"
                                                      r"Pháp lệnh|Chỉ thị|Văn bản|Công văn|Điều|Khoản|Điểm)\b", p[:40])):
            out[-1] = out[-1] + " " + p
        else:
            out.append(p)
    return out


def _code_of(text: str) -> str | None:
    m = _CODE_RE.search(text or "")
    return re.sub(r"\s", "", m.group(1)) if m else None


_NAME_CODE_TAIL_RE = re.compile(
    r"\s*(?:[/(\[–-]\s*)?(?:(?:mã\s*(?:số\s*)?(?:tthc|thủ tục(?: hành chính)?|hồ sơ)?|ký hiệu)\s*:?\s*)?"
    r"\d\.\d{6}(?:\s?\.\s?[0-9A-Za-z]{1,6}){0,5}(?:\s*[,;]\s*[^()]{0,40})?\s*[)\]]?\s*[.;]?$", re.IGNORECASE)
_FOOTNOTE_RE = re.compile(r"\[\d{1,2}\]|\(\d{1,2}\)$")


def _clean_name(text: str) -> tuple[str, str | None]:
    t = " ".join((text or "").replace("*", " ").split())
    code = None
    m = _NAME_CODE_TAIL_RE.search(t)
    if m and m.start() > 10:
        code = _code_of(m.group())
        t = t[:m.start()]
    else:
        lead = re.match(r"^(?:mã\s*(?:số|tthc)?\s*:?\s*)?(\d\.\d{6}(?:\.[0-9A-Za-z]{1,6}){0,5})\s*[-–:/]?\s*", t, re.I)
        if lead and len(t) - lead.end() > 10:
            code = re.sub(r"\s", "", lead.group(1))
            t = t[lead.end():]
    t = _FOOTNOTE_RE.sub("", t).strip(" ;,:/-–")
    if t.endswith(".") and not t.endswith(".."):
        t = t[:-1].rstrip()
    return t, code


# ------------------------------------------------------------------------------------ alignment

def _fit(kind: str, text: str) -> float:
    """How well a cell's text fits a column of `kind` (for rows that merged cells left short)."""
    t = text.strip()
    if not t:
        return 0.2
    f = fold(t[:300])
    if kind == "stt":
        return 3.0 if _ROW_NUMBER_RE.match(t) or _SUB_NUMBER_RE.match(t) else -3.0
    if kind == "code":
        return 3.0 if _CODE_RE.match(t) else -2.0
    if kind == "time":
        return 2.0 if re.search(r"\b(?:ngay|gio|thang|lam viec|thoi han)\b", f) else -0.5
    if kind == "fee":
        if re.match(r"^(?:khong|mien|0 dong)\b", f) or re.search(r"\b(?:dong|phi|le phi)\b", f):
            return 2.0
        return -0.5
    if kind == "legal":
        return 2.0 if re.search(r"\b(?:luat|nghi dinh|thong tu|quyet dinh|nghi quyet|nd-cp|tt-)\b", f) else -0.3
    if kind in ("place", "agency"):
        return 1.2 if re.search(r"\b(?:trung tam|bo phan|so|ubnd|uy ban|phong|cong dich vu|cap xa|cap tinh)\b", f) \
            else 0.0
    if kind == "name":
        return 1.0 if len(t) > 15 and not _CODE_RE.match(t) else 0.0
    if kind == "level":
        return 1.5 if re.search(r"\bcap\b|\btinh\b|\bxa\b", f) and len(t) < 30 else -0.5
    if kind == "field":
        return 0.3 if len(t) < 80 else -0.5
    if kind == "status":
        return 1.5 if _status_of(t) else -0.5
    return 0.1


def _align(cells: list[str], kinds: list[str]) -> list[int]:
    """For each cell the index of the column it belongs to (increasing), best fit by content."""
    n, m = len(cells), len(kinds)
    if n >= m:
        return list(range(n))
    neg = float("-inf")
    # best[i][j]: best score placing cells[:i] in kinds[:j]
    best = [[neg] * (m + 1) for _ in range(n + 1)]
    take = [[False] * (m + 1) for _ in range(n + 1)]
    for j in range(m + 1):
        best[0][j] = 0.0
    for i in range(1, n + 1):
        for j in range(i, m + 1):
            skip = best[i][j - 1]
            use = best[i - 1][j - 1] + _fit(kinds[j - 1], cells[i - 1])
            if use >= skip:
                best[i][j], take[i][j] = use, True
            else:
                best[i][j] = skip
    out = [0] * n
    i, j = n, m
    while i > 0:
        if take[i][j]:
            out[i - 1] = j - 1
            i -= 1
        j -= 1
    return out


# ------------------------------------------------------------------------------------ lists

@dataclass
class _List:
    kinds: list[str]
    headings: list[str]
    rows: list[dict] = field(default_factory=list)


class _ListReader:
    def __init__(self, title: str):
        self.default_status = _status_of(title)
        self.default_level = _level_of(title)
        self.default_field = _field_of(title) if title else None
        self.status = self.default_status
        self.level = self.default_level
        self.field = self.default_field
        self.tables: list[_List] = []
        self.table: _List | None = None
        self.procedures: list[dict] = []
        self.row: list[str] | None = None
        self.last_number: int | None = None
        self.last_kind = ""  # "row" or "group": what the last numbered line was

    # headings -------------------------------------------------------------------------------
    def heading(self, text: str) -> None:
        status, level, field_ = _status_of(text), _level_of(text), _field_of(text)
        f = fold(text)
        if _CONTENT_HEADING_RE.search(f[:120]):
            self._flush()  # "B. Nội dung cụ thể của thủ tục …", "Quy trình nội bộ …": no longer a list
            self.table = None
        if status:
            self.status = status
            self.level = self.default_level
            self.field = self.default_field
        if level:
            self.level = level
            if not field_:
                self.field = self.default_field
        if field_:
            self.field = field_
        if f.startswith(("phu luc", "phan ")) and not status and not level:
            self.status = self.default_status or self.status

    # rows -----------------------------------------------------------------------------------
    def read(self, rows: list[_Row]) -> list[dict]:
        for row in rows:
            self._feed(row)
        self._flush()
        return self.procedures

    def _feed(self, row: _Row) -> None:
        cells = row.cells
        if row.para:
            text = cells[0]
            if self.table is not None and _is_heading_text(text):
                self._flush()
                self.heading(text)
            elif self.table is None and _is_heading_text(text):
                self.heading(text)
            return
        i, n = 0, len(cells)
        row_start = 0  # cells[row_start:i] so far are empty: a number here opens a row
        while i < n:
            c = cells[i]
            width = _header_at(cells, i)
            if not width and self.table is not None and _column(c) == "stt":
                self._flush()  # a table of something else (dossier papers, steps): the list has ended
                self.table = None
            if width:
                self._flush()
                self.table = _List(kinds=[_column(h) for h in cells[i:i + width]], headings=cells[i:i + width])
                self.tables.append(self.table)
                self.last_number, self.last_kind = None, ""
                i += width
                row_start = i
                continue
            if self.table is None:
                if c and _is_heading_text(c.split("\n")[0]) or (c and _is_heading_text(c)):
                    for part in c.split("\n"):
                        if _is_heading_text(part):
                            self.heading(part)
                i += 1
                continue
            at_start = all(not x for x in cells[row_start:i])
            if i == 0 and not c and self._unnumbered_row(cells):
                self._flush()  # a row whose number cell is merged with the row above: its own procedure
                self.row = [c]
                i += 1
                continue
            if self._opens_row(c, at_start):
                self._flush()
                self.row = [c]
                i += 1
                continue
            if at_start and c and self._is_group(c):
                self._flush()
                self.heading(c)
                i += 1
                continue
            if self.row is not None:
                if at_start and c == "" and i == row_start and "stt" in self.table.kinds:
                    self.row.append(c)  # an empty number cell: a row that a page break split, or merged cells
                else:
                    self.row.append(c)
            elif at_start and c and "stt" not in self.table.kinds:
                self.row = [c]
            elif c and _is_heading_text(c):
                self.heading(c)
            i += 1

    def _unnumbered_row(self, cells: list[str]) -> bool:
        """A row without a number that is a procedure of its own: it holds a procedure code, or (a Word
        table, whose rows are real) it fills the columns and has a name of its own."""
        kinds = self.table.kinds
        if "stt" not in kinds or self.row is None:
            return False
        if "code" in kinds and any(_CODE_RE.match(x) for x in cells[1:4]):
            return True
        if len(cells) >= len(kinds) and "name" in kinds:
            name = cells[kinds.index("name")] if kinds.index("name") < len(cells) else ""
            return len(name) > 15 and not _ROW_NUMBER_RE.match(name) and name not in self.row
        return False

    def _opens_row(self, c: str, at_start: bool) -> bool:
        m = _ROW_NUMBER_RE.match(c) or _SUB_NUMBER_RE.match(c)
        if not m:
            return False
        if at_start:
            return True
        if self.row is None:
            return False
        number = int(m.group(1))
        filled = sum(1 for x in self.row if x)
        return _ROW_NUMBER_RE.match(c) is not None and self.last_number is not None \
            and number == self.last_number + 1 and filled >= 2

    def _is_group(self, c: str) -> bool:
        return bool(_LABELLED_HEADING_RE.match(c) and _is_heading_text(re.sub(r"^\S+\s*", "", c))) or \
            _is_heading_text(c)

    def _flush(self) -> None:
        row, self.row = self.row, None
        if not row or self.table is None:
            return
        kinds = self.table.kinds
        label = row[0].strip()
        if "stt" in kinds and (_ROW_NUMBER_RE.match(label) or _SUB_NUMBER_RE.match(label)
                               or _GROUP_LABEL_RE.match(label)):
            body = [c for c in row[1:]]
        else:
            label = ""
            body = row
        # drop empty cells the converter put where a merged cell was, when there are more cells than columns
        data_kinds = [k for k in kinds if k != "stt"] if "stt" in kinds else list(kinds)
        if len(body) > len(data_kinds):
            compact = [c for c in body if c]
            body = compact if len(compact) <= len(data_kinds) else body
        texts = [c for c in body if c]
        if _GROUP_LABEL_RE.match(label) or (label and len(texts) <= 2 and texts and self._group_text(texts[0])):
            heading = " ".join(texts[:1]) if texts else label
            self.last_kind = "group"
            self.heading(heading)
            self._extras(texts[1:])
            return
        if not label and texts and len(texts) <= 1 and self._group_text(texts[0]):
            self.heading(texts[0])
            return
        sub = _SUB_NUMBER_RE.match(label) if label else None
        if sub and self.last_kind == "row" and self.last_number == int(sub.group(1)):
            return  # "3.1", "3.2": parts of procedure 3 (fee bands, cases), not procedures
        num = _ROW_NUMBER_RE.match(label) if label else None
        if num:
            self.last_number = int(num.group(1))
        extras: list[str] = []
        if len(body) > len(data_kinds):
            extras = body[len(data_kinds):]
            body = body[:len(data_kinds)]
        places = _align(body, data_kinds)
        values: dict[str, list[str]] = {}
        for c, j in zip(body, places):
            if c:
                values.setdefault(data_kinds[j], []).append(c)
        record = self._record(values)
        if record is not None:
            self.last_kind = "row"
            self.table.rows.append(record)
            self.procedures.append(record)
        self._extras(extras)

    def _group_text(self, text: str) -> bool:
        f = fold(text)
        if f.startswith(("linh vuc", "nhom ")):
            return True
        letters = [ch for ch in text if ch.isalpha()]
        return len(letters) >= 8 and sum(ch.isupper() for ch in letters) >= 0.85 * len(letters)

    def _extras(self, cells: list[str]) -> None:
        for c in cells:
            for part in c.split("\n"):
                if _is_heading_text(part):
                    self.heading(part)

    def _record(self, values: dict[str, list[str]]) -> dict | None:
        raw_name = "\n".join(values.get("name", []))
        if not raw_name:
            return None
        parts = list(_LABEL_RE.finditer(raw_name))
        if parts and parts[0].start() > 10:
            # "Tên … Thời gian thực hiện: 05 ngày làm việc … Mã TTHC: 1.014460.H35" in one cell
            for k, m in enumerate(parts):
                end = parts[k + 1].start() if k + 1 < len(parts) else len(raw_name)
                kind = _column(m.group(1))
                if kind and kind not in values:
                    values[kind] = [raw_name[m.end():end].strip(" -;.\n")]
                elif kind == "code" and not values.get("code"):
                    values["code"] = [raw_name[m.end():end]]
            raw_name = raw_name[:parts[0].start()]
        name, code = _clean_name(raw_name)
        if not name or not any(ch.isalpha() for ch in name) or len(name) < 4:
            return None
        if values.get("code"):
            code = _code_of(" ".join(values["code"])) or code
        status = self.status
        for key in ("status", "note"):
            for v in values.get(key, []):
                s = _status_of(v) if len(v) < 80 else None
                if s and (key == "status" or fold(v).startswith(("moi", "sua doi", "bai bo", "thay the", "bo sung",
                                                                   "ban hanh moi", "giu nguyen"))):
                    status = s
        level = self.level
        if values.get("level"):
            level = _level_of(" ".join(values["level"])) or _level_word(" ".join(values["level"])) or level
        field_ = self.field
        if values.get("field"):
            field_ = " ".join(" ".join(values["field"]).split())
        time_text = "\n".join(values.get("time", []))
        fee_text = "\n".join(values.get("fee", []))
        place = " ".join(" ".join(values.get("place", [])).split()) or None
        record = {
            "name": name,
            "status": status or "new",
            "field": field_,
            "level": level,
            "code": code,
            "time_limit": time_limit(time_text),
            "fee": fee(fee_text),
            "place": place,
            "legal_basis": legal_basis("\n".join(values.get("legal", []))),
        }
        if values.get("agency"):
            record["agency"] = " ".join(" ".join(values["agency"]).split())
        return record


_LABEL_RE = re.compile(
    r"(?:^|\s)[-+•]?\s*(Thời gian thực hiện|Thời hạn giải quyết|Thời gian giải quyết|Mã TTHC|Mã thủ tục hành chính|"
    r"Mã số TTHC|Mã số|Phí, lệ phí|Lệ phí|Căn cứ pháp lý|Địa điểm thực hiện|Cơ quan thực hiện)\s*:", re.IGNORECASE)


def _level_word(text: str) -> str | None:
    f = fold(text)
    if f in ("tinh", "cap tinh"):
        return "province"
    if f in ("xa", "cap xa"):
        return "commune"
    if f in ("trung uong", "bo", "cap trung uong"):
        return "central"
    return None


# ------------------------------------------------------------------------------------ lists in paragraphs

_ITEM_RE = re.compile(r"^(?:[-+•]\s*|\d{1,3}[.)]\s+|[a-zđ]\)\s+)(\S.*)$")
_STEP_RE = re.compile(r"^a\)\s*Trình tự thực hiện", re.IGNORECASE)


def _paragraph_lists(rows: list[_Row], title: str) -> list[dict]:
    """Lists written as paragraphs: items under a heading that names procedures ("Thủ tục hành chính mới
    ban hành:", "(1) Danh mục …"), or numbered procedure headings each followed by "a) Trình tự thực hiện"."""
    paras = [r.cells[0] for r in rows if r.para]
    reader = _ListReader(title)
    out: list[dict] = []
    # numbered procedure headings of the "nội dung cụ thể" part
    for k, text in enumerate(paras[:-1]):
        m = re.match(r"^(\d{1,3})[.)]\s+(\S.*)$", text)
        if m and _STEP_RE.match(paras[k + 1]):
            for h in paras[max(0, k - 3):k]:
                if _is_heading_text(h):
                    reader.heading(h)
            name, code = _clean_name(m.group(2))
            out.append(_plain_record(name, code, reader))
    if out:
        return out
    in_list = False
    for text in paras:
        f = fold(text[:200])
        m = _ITEM_RE.match(text)
        if not m and re.search(r"\b(?:thu tuc hanh chinh|tthc)\b", f) and _statuses(f, text[:200]) and len(text) < 300 \
                and not re.search(r"\b(?:ngay \d|quyet dinh \d|ban hanh quyet dinh)\b", f):
            reader.heading(text)
            in_list = True
            continue
        if in_list and m:
            item = m.group(1)
            if len(item) > 400 or item.endswith(":"):
                in_list = False
                continue
            name, code = _clean_name(item)
            if len(name) >= 8:
                out.append(_plain_record(name, code, reader))
            continue
        if in_list and not m:
            in_list = False
    return out


def _plain_record(name: str, code: str | None, reader: _ListReader) -> dict:
    return {"name": name, "status": reader.status or "new", "field": reader.field, "level": reader.level,
            "code": code, "time_limit": None, "fee": None, "place": None, "legal_basis": []}
