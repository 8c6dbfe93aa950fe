"""Documents cited by a plan: kind, number, date, issuer and role (basis, implements, cited)."""

from __future__ import annotations

import re

from .agencies import expand_symbol_body
from .dates import first_date, iso

KINDS = (
    "Nghị quyết liên tịch|Thông tư liên tịch|Chương trình hành động|Nghị quyết|Nghị định|Quyết định|"
    "Chỉ thị|Kế hoạch|Thông tư|Công văn|Đề án|Chương trình|Quy định|Hướng dẫn|Tờ trình|Thông báo|Kết luận|"
    "Văn bản|Luật|Pháp lệnh|Công điện"
)
_NUMBER = r"\d{1,5}(?:\.\d{1,2})?[A-Za-z]?(?:\s?[-/]\s?[0-9A-ZĐ][0-9A-Za-zĐđ&]*){1,4}"
_REF_RE = re.compile(r"(?<![\wÀ-ỹ])(?P<kind>" + KINDS + r")\s+(?:số\s*:?\s*)?(?P<number>" + _NUMBER + r")",
                     re.IGNORECASE)
# "Luật Tổ chức chính quyền địa phương số 72/2025/QH15", "Bộ luật … số 45/2019/QH14": a number after "số"
# that the kind word does not touch; the kind is the nearest kind word before it.
_SO_NUMBER_RE = re.compile(r"(?<![\wÀ-ỹ])số\s*:?\s*(?P<number>" + _NUMBER + r")")
_KIND_BEFORE_RE = re.compile(r"(?<![\wÀ-ỹ])(" + KINDS + r"|Bộ luật)(?![\wÀ-ỹ])", re.IGNORECASE)
_LAW_RE = re.compile(r"(?<![\wÀ-ỹ])(?P<kind>Luật|Bộ luật)\s+(?P<name>[A-ZĐ][^;.()\n]{2,120}?)(?=\s+(?:ngày|số|năm)\s|\s*[;.(]|$)")
_ISSUER_RE = re.compile(
    r"^\s*(?:,\s*)?(?:ngày\s*[\d/\s]+(?:tháng\s*\d+\s*năm\s*\d{4})?\s*)?của\s+(?P<issuer>[^,;()]{3,90}?)"
    r"(?=\s+(?:về|ban hành|phê duyệt|quy định|hướng dẫn|thực hiện|sửa đổi|triển khai|đẩy mạnh|tiếp tục|"
    r"khóa|khoá|lần|tại|nhằm|Về)\b|\s+và\s+(?:" + KINDS + r")\b|\s*[,;()]|\s*$|\.)"
)
_SUFFIX_RE = re.compile(r"[-/]([A-ZĐ][A-Za-zĐđ&]*?)\d*$")


_NATIONAL = {"CP", "TTg", "BNV", "BTC", "BTP", "BTTTT", "BCT"}


def normalize_number(raw: str) -> str:
    return re.sub(r"\s*([-/])\s*", r"\1", raw.strip()).rstrip("-/")


def _issuer_after(text: str, pos: int) -> str | None:
    m = _ISSUER_RE.match(text[pos: pos + 160])
    if m:
        issuer = " ".join(m.group("issuer").split())
        return issuer.rstrip(" .")
    return None


def find_references(paragraphs: list[tuple[str, str]], self_number: str | None = None) -> list[dict]:
    """`paragraphs` are (zone, text); zone is 'basis' (Căn cứ), 'implements' (Thực hiện) or 'body'."""
    found: dict[str, dict] = {}
    order: list[str] = []
    rank = {"implements": 3, "basis": 2, "cited": 1}
    for zone, text in paragraphs:
        text = text[:20000]
        if "/" not in text and zone != "basis":  # a cited number always has its slash
            continue
        nested = False
        last_end = 0
        for m in _REF_RE.finditer(text):
            number = normalize_number(m.group("number"))
            if "/" not in number:
                continue
            between = text[last_end:m.start()]
            if zone == "implements":
                if last_end and ";" in between:
                    nested = False
                elif last_end and re.search(r"\b(?:thực hiện|về|ban hành|triển khai|theo)\b", between, re.IGNORECASE):
                    nested = True
                role = "cited" if nested else "implements"
            elif zone == "basis":
                role = "basis"
            else:
                role = "cited"
            last_end = m.end()
            if self_number and number.upper() == self_number.upper():
                continue
            tail = text[m.end(): m.end() + 60]
            dm = re.match(r"\s*,?\s*(?:ban hành\s+)?ngày\s*([^;,()]{0,30})", tail)
            date = iso(first_date("ngày " + dm.group(1))) if dm else None
            issuer = _issuer_after(text, m.end())
            if not issuer:
                sm = _SUFFIX_RE.search(number)
                code = sm.group(1) if sm else None
                # only national bodies are unambiguous from the symbol alone ("UBND" says no level)
                issuer = expand_symbol_body(code) if code in _NATIONAL else None
            kind = m.group("kind")
            kind = kind[:1].upper() + kind[1:].lower()
            key = number.upper()
            entry = {"kind": kind, "number": number, "date": date, "issuer": issuer, "role": role}
            _merge(found, order, key, entry, rank)
        for m in _SO_NUMBER_RE.finditer(text):
            number = normalize_number(m.group("number"))
            key = number.upper()
            if key in found or "/" not in number or not re.search(r"[A-ZĐ]", number) or \
                    (self_number and key == self_number.upper()):
                continue
            kinds = list(_KIND_BEFORE_RE.finditer(text, max(0, m.start() - 150), m.start()))
            if not kinds:
                continue
            kind = kinds[-1].group(1)
            kind = kind[:1].upper() + kind[1:].lower()
            role = "basis" if zone == "basis" else ("implements" if zone == "implements" and not nested else "cited")
            _merge(found, order, key, {"kind": kind, "number": number, "date": None,
                                       "issuer": "Quốc hội" if number.upper().endswith(tuple(f"QH{k}" for k in range(9, 20)))
                                       else None, "role": role}, rank)
        if zone == "basis":
            for m in _LAW_RE.finditer(text):
                name = " ".join((m.group("kind") + " " + m.group("name")).split())
                tail = text[m.end(): m.end() + 40]
                dm = re.match(r"\s*ngày\s*([^;,()]{0,30})", tail)
                entry = {"kind": m.group("kind"), "number": None, "title": name,
                         "date": iso(first_date("ngày " + dm.group(1))) if dm else None,
                         "issuer": "Quốc hội", "role": "basis"}
                _merge(found, order, name.lower(), entry, rank)
    return [found[k] for k in order]


def _merge(found, order, key, entry, rank):
    old = found.get(key)
    if old is None:
        found[key] = entry
        order.append(key)
        return
    for field in ("date", "issuer"):
        if not old.get(field) and entry.get(field):
            old[field] = entry[field]
    if rank[entry["role"]] > rank[old["role"]]:
        old["role"] = entry["role"]
