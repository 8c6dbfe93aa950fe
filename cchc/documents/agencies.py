"""Agencies as written: splitting lists ("Các sở, ban, ngành, UBND các huyện, thành phố") and reading
"Chủ trì: … ; Phối hợp: …" into lead and coordinating agencies, and full names of issuing bodies."""

from __future__ import annotations

import re
from functools import lru_cache

from .folding import fold
from .lexicon import AGENCY_HEADS, GROUP_WORDS

# Words that open the name of an agency, and group phrases ("các sở, ban, ngành"): `lexicon`; a comma or
# "và" before one of them separates two agencies.
_HEADS = "|".join(re.escape(h) for h in sorted(AGENCY_HEADS, key=len, reverse=True))
_GROUP = r"các\s+(?i:" + "|".join(re.escape(w) for w in sorted(set(GROUP_WORDS), key=len, reverse=True)) + ")"
_SPLIT_RE = re.compile(
    r"\s*(?:,|\bvà\b|&)\s+(?=(?:" + _HEADS + r")(?![\wÀ-ỹ])|" + _GROUP + r"(?![\wÀ-ỹ]))"
)
# ";" separates agencies; " - " only where an agency name follows ("Đài Phát thanh - Truyền hình" is one)
_PART_SPLIT_RE = re.compile(r"\s*;\s*|\s+[-–]\s+(?=(?:" + _HEADS + r")(?![\wÀ-ỹ])|" + _GROUP + r"(?![\wÀ-ỹ]))")
_LEAD_RE = re.compile(r"(?:c[hủỉi]{1,2}\s*trì|chủ\s*trì|chỉ\s*trì|thực hiện)\s*:?", re.IGNORECASE)
_ROLE_RE = re.compile(
    r"(?P<role>(?:chủ|chỉ)\s*trì(?:\s+(?:tham mưu\s+)?thực hiện)?|phối\s*hợp(?:\s+thực hiện)?)\s*:?\s*",
    re.IGNORECASE,
)
_TRAIL_RE = re.compile(r"[\s.;,:\-–]+$")
_LEAD_PREFIX_RE = re.compile(r"^[\s\-–+•*]+")


def clean_agency(text: str) -> str:
    text = _LEAD_PREFIX_RE.sub("", " ".join(text.split()))
    return _TRAIL_RE.sub("", text).strip()


# The office that serves two bodies is one agency: "Văn phòng HĐND và UBND xã", "Văn phòng Đoàn ĐBQH và
# HĐND tỉnh", "Văn phòng Tỉnh ủy và …": the "và" after "Văn phòng <body>" joins the bodies it serves.
_BODY = (r"(?:HĐND|UBND|Hội đồng nhân dân|Ủy ban nhân dân|Uỷ ban nhân dân|Đoàn ĐBQH|Đoàn đại biểu Quốc hội|"
         r"Tỉnh ủy|Tỉnh uỷ|Huyện ủy|Huyện uỷ|Đảng ủy|Đảng uỷ)")
_JOINT_OFFICE_RE = re.compile(r"(Văn phòng\s+" + _BODY + r"(?:\s*,\s*" + _BODY + r")*\s+)và(\s+" + _BODY + r")",
                              re.IGNORECASE)
_KEEP_AND = "và\x01"


def split_agencies(text: str | None) -> list[str]:
    """"Các sở, ban, ngành, UBND các huyện, thành phố" -> ["Các sở, ban, ngành", "UBND các huyện, thành phố"]."""
    if not text:
        return []
    # The same agency cells come back row after row ("UBND các huyện, thành phố"): read each once.
    return list(_split_agencies(text[:2000]))


@lru_cache(maxsize=4096)
def _split_agencies(text: str) -> tuple[str, ...]:
    out: list[str] = []
    if "và" in text:
        text = _JOINT_OFFICE_RE.sub(lambda m: m.group(1) + _KEEP_AND + m.group(2), text)
    for part in _PART_SPLIT_RE.split(text):
        for piece in _SPLIT_RE.split(part):
            name = clean_agency(piece.replace(_KEEP_AND, "và"))
            if name and any(ch.isalpha() for ch in name) and name.lower() not in ("và", "các"):
                out.append(name)
    seen, unique = set(), []
    for name in out:
        key = fold(name)
        if key not in seen:
            seen.add(key)
            unique.append(name)
    return tuple(unique)


def split_roles(text: str) -> tuple[list[str], list[str]]:
    """'- Chủ trì: X; - Phối hợp: Y' -> ([X], [Y]); without role words the whole text leads."""
    text = " ".join(text.split())
    marks = list(_ROLE_RE.finditer(text))
    if not marks:
        return split_agencies(text), []
    lead: list[str] = []
    support: list[str] = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        chunk = text[m.end():end]
        role = fold(m.group("role"))
        (support if role.startswith("phoi") else lead).extend(split_agencies(chunk))
    return lead, support


# --- issuing bodies ---------------------------------------------------------------------------

_ACRONYMS = {
    "UBND": "Ủy ban nhân dân", "HĐND": "Hội đồng nhân dân", "SNV": "Sở Nội vụ", "STC": "Sở Tài chính",
    "STP": "Sở Tư pháp", "SYT": "Sở Y tế", "SXD": "Sở Xây dựng", "SCT": "Sở Công Thương",
    "SGDĐT": "Sở Giáo dục và Đào tạo", "SGD&ĐT": "Sở Giáo dục và Đào tạo",
    "STTTT": "Sở Thông tin và Truyền thông", "SKHĐT": "Sở Kế hoạch và Đầu tư",
    "SKHCN": "Sở Khoa học và Công nghệ", "SVHTTDL": "Sở Văn hóa, Thể thao và Du lịch",
    "SLĐTBXH": "Sở Lao động - Thương binh và Xã hội", "STNMT": "Sở Tài nguyên và Môi trường",
    "SNNPTNT": "Sở Nông nghiệp và Phát triển nông thôn", "SNNMT": "Sở Nông nghiệp và Môi trường",
    "SGTVT": "Sở Giao thông vận tải", "SDTTG": "Sở Dân tộc và Tôn giáo", "VPUBND": "Văn phòng Ủy ban nhân dân",
    "BCĐ": "Ban Chỉ đạo", "CP": "Chính phủ", "TTg": "Thủ tướng Chính phủ", "BNV": "Bộ Nội vụ",
    "BTC": "Bộ Tài chính", "BTP": "Bộ Tư pháp", "BTTTT": "Bộ Thông tin và Truyền thông",
    "TU": "Tỉnh ủy", "TW": "Trung ương", "BCT": "Bộ Chính trị",
}
_LEVEL_WORDS = ("thành phố", "thị xã", "thị trấn", "tỉnh", "huyện", "quận", "xã", "phường", "đặc khu")
_SMALL_WORDS = {"và", "của"}


def expand_symbol_body(code: str | None) -> str | None:
    if not code:
        return None
    code = code.strip().upper().replace("Đ", "Đ")
    for key, value in _ACRONYMS.items():
        if key.upper() == code:
            return value
    return None


def smart_case_name(caps: str) -> str:
    """'ỦY BAN NHÂN DÂN TỈNH HÀ GIANG' -> 'Ủy ban nhân dân tỉnh Hà Giang';
    'SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI' -> 'Sở Lao động - Thương binh và Xã hội'."""
    text = " ".join(caps.split()).replace("UỶ", "ỦY").replace("Uỷ", "Ủy")
    if not text:
        return text
    if not text.isupper():
        return text
    low = text.lower()
    # locality: words after the last level word are a proper name
    place_at = -1
    for word in _LEVEL_WORDS:
        for m in re.finditer(r"(?<![\wÀ-ỹ])" + word + r"(?![\wÀ-ỹ])", low):
            if m.start() > 0 and m.start() > place_at and not low[: m.start()].endswith(("và ", "- ")):
                place_at = m.start()
                place_word = word
    head, place = (low, "")
    if place_at > 0:
        head, place = low[:place_at].strip(), low[place_at + len(place_word):].strip()
    words = head.split(" ")
    out = []
    capital_next = True
    for w in words:
        if w.upper() in ("UBND", "HĐND", "MTTQ", "CCHC", "TTHC"):
            out.append(w.upper())
        elif capital_next and w not in _SMALL_WORDS:
            out.append(w[:1].upper() + w[1:])
        else:
            out.append(w)
        capital_next = w in ("-", "–") or w.endswith(",") or w == "và" or out and len(out) == 1 and out[0].lower() in ("sở", "bộ", "ban", "phòng", "cục", "trung", "đài", "báo")
    result = " ".join(out)
    # "Ủy ban nhân dân": only the first word is capitalised
    for body in ("Ủy ban nhân dân", "Hội đồng nhân dân", "Văn phòng"):
        if fold(result).startswith(fold(body)):
            result = body + result[len(body):]
            if body != "Văn phòng":
                result = body + result[len(body):].lower()
    if place:
        result += " " + place_word + " " + " ".join(w[:1].upper() + w[1:] for w in place.split())
    return result
