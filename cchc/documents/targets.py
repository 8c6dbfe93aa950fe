"""Quantitative targets (chỉ tiêu): "01 lớp, 40 người", "khoảng 1000 lượt", "1 bài/ 1 quý = 4 bài",
"12 chuyên mục/năm", "hàng tháng, có ít nhất 04 tin, bài", "≥ 30%"."""

from __future__ import annotations

import re

# Counted things written in more than one syllable (or often abbreviated), longest first so that
# "tin, bài" wins over "tin" and "bản tin" over "tin". Any other counted noun is read by the generic
# rule below: a lower-case syllable after the number that is not in `_NEVER_UNITS`.
_UNITS = [
    "tin, bài", "tin bài", "bài viết", "bản tin", "phóng sự", "chuyên mục", "chuyên trang", "chuyên đề",
    "hội nghị", "hội thảo", "hội thi", "cuộc thi", "tọa đàm", "tờ rơi", "tờ gấp", "pa nô", "pano", "băng rôn",
    "ấn phẩm", "áp phích", "video clip", "video", "clip", "chương trình", "lượt người", "lượt truy cập",
    "lượt xem", "lượt", "lớp", "người", "học viên", "đại biểu", "bài", "tin", "số", "cuộc", "buổi", "đợt", "kỳ",
    "cuốn", "lần", "doanh nghiệp", "hộ gia đình", "hộ", "mô hình", "sản phẩm", "tài liệu", "hồ sơ", "thủ tục",
    "lao động", "khẩu hiệu", "câu lạc bộ", "tổ công nghệ số", "cán bộ", "công chức", "viên chức", "hội viên",
    "đoàn viên", "thí sinh", "thành viên", "cơ quan", "đơn vị", "cơ sở", "trường học", "dự án", "công trình",
    "sáng kiến", "đề tài", "thiết bị", "điểm cầu", "câu hỏi", "phiếu", "xã", "ấp", "thôn", "bản", "tổ", "nhóm",
]
# The known units by their first word, longest first: a dictionary look-up after a plain
# number-and-word match costs far less than trying a long alternation at every digit.
_UNITS_BY_FIRST: dict[str, list[str]] = {}
for _unit in sorted(_UNITS, key=len, reverse=True):
    _UNITS_BY_FIRST.setdefault(_unit.split()[0].rstrip(","), []).append(_unit)
_PERIOD_WORDS = {"tuần": "week", "tháng": "month", "quý": "quarter", "quí": "quarter", "năm": "year"}
_NUM = r"(\d{1,7}(?:[.,]\d{3})*(?:[.,]\d+)?)"
# The pattern starts at a digit, so that the scan is cheap; a qualifier before it is read apart.
_PRE_RE = re.compile(r"(?P<pre>≥|>=|>|tối thiểu|ít nhất|không dưới|không ít hơn|trên|khoảng|gần)\s*$", re.IGNORECASE)
# The qualifiers and the words of `_BAD_BEFORE_RE` as suffixes, tested with one `endswith` call.
_PRE_WORDS = ("≥", ">=", ">", "tối thiểu", "ít nhất", "không dưới", "không ít hơn", "trên", "khoảng", "gần")
_BAD_BEFORE_WORDS = ("/", "-", ".", "số", "năm", "ngày", "tháng", "khóa", "khoá", "quý", "thứ", "điều", "khoản",
                     "điểm", "mục", "chương", "phần", "nghị định", "thông tư", "luật", "chỉ thị", "nghị quyết",
                     "quyết định", "kế hoạch", "công văn")
_THOUSANDS_RE = re.compile(r"\d{1,3}(?:[.,]\d{3})+")
# A number and the word after it (or "%"); whether the word is a unit is decided by look-up.
_COUNT_RE = re.compile(r"(?<!\d)" + _NUM + r"\s*(?:%|[^\W\d_]+)")
# What may follow the unit: a period ("/năm", "/ 1 quý") and a total ("= 4 bài").
_TAIL_RE = re.compile(
    r"(?:\s*/\s*(?:0?1\s*)?(?P<per>tuần|tháng|quý|quí|năm)(?![\wÀ-ỹ]))?"
    r"(?:\s*=\s*" + _NUM.replace("(", "(?P<total>", 1) + r")?",
    re.IGNORECASE,
)
_RATE_BEFORE_RE = re.compile(r"(?:hằng|hàng|mỗi)\s+(tuần|tháng|quý|quí|năm)", re.IGNORECASE)
_OR_MORE_RE = re.compile(r"\s*(?:trở lên|hoặc hơn)\b", re.IGNORECASE)
_DIGIT_RE = re.compile(r"\d")
_WEEKLY_RE = re.compile(r"\b(?:hằng|hàng|mỗi)\s+tuần\b", re.IGNORECASE)
# A number that is part of a date, a document number or an ordinal is not a target.
_BAD_BEFORE_RE = re.compile(r"(?:[/\-.]|số|năm|ngày|tháng|khóa|khoá|Quý|thứ|điều|khoản|điểm|mục|chương|phần|"
                            r"nghị định|thông tư|luật|chỉ thị|nghị quyết|quyết định|kế hoạch|công văn)\s*$",
                            re.IGNORECASE)
# Words after a number that never name a counted thing: time, parts of a legal text, money, and the
# small words of a sentence ("Nghị quyết 76 của …", "từ 15 đến 20 người").
_NEVER_UNITS = frozenset("""
ngày tháng năm quý quí giờ phút giây tuần điều khoản mục chương phần khóa khoá giai kỳ lần thứ tuổi
triệu tỷ tỉ nghìn ngàn đồng trăm chục mươi
của và với cho trên dưới tại theo về trong ngoài đến từ là có được đã sẽ các những này đó nào mà thì để
nhằm khi sau trước hoặc hay cũng đều còn vào ra lên xuống tăng giảm đạt trở so bằng chiếm như ngay
""".split())


def _number(text: str) -> float:
    t = text
    if _THOUSANDS_RE.fullmatch(t):
        t = t.replace(".", "").replace(",", "")
    else:
        t = t.replace(",", ".")
    value = float(t)
    return int(value) if value.is_integer() else value


_KNOWN = frozenset(_UNITS)


def _unit_at(text: str, m: re.Match) -> tuple[str | None, int]:
    """The unit the number of `m` counts, lower case, and where it ends; None when the word after
    the number is no unit (a date, a legal part, money, a small word of the sentence)."""
    word_start = m.start() + len(m.group(1))
    while text[word_start] == " ":
        word_start += 1
    word = text[word_start: m.end()]
    if word == "%":
        return "%", m.end()
    low = word.lower()
    for unit in _UNITS_BY_FIRST.get(low, ()):
        stop = word_start + len(unit)
        if text[word_start: stop].lower() == unit and not _word_char(text[stop: stop + 1]):
            return unit, stop
    # Any other counted noun: one lower-case syllable that is not a word of time, law or grammar.
    if 2 <= len(word) <= 7 and word == low and low not in _NEVER_UNITS and not _word_char(text[m.end(): m.end() + 1]):
        return low, m.end()
    return None, m.end()


def _word_char(ch: str) -> bool:
    return bool(ch) and (ch.isalnum() or ch == "_")


def parse_targets(text: str | None, *, limit: int = 20) -> list[dict]:
    if not text:
        return []
    text = " ".join(text.split())[:4000]
    out: list[dict] = []
    if not _DIGIT_RE.search(text):  # every counted target is written with digits
        if _WEEKLY_RE.search(text):
            out.append({"quantity": 1, "unit": "lần", "per": "week", "at_least": True,
                        "text": _WEEKLY_RE.search(text).group(0)})
        return out
    pos = 0
    while True:
        m = _COUNT_RE.search(text, pos)
        if m is None:
            break
        pos = m.end()
        unit, end = _unit_at(text, m)
        if unit is None:
            continue
        gen = unit if end == m.end() and unit not in _KNOWN else None
        tail = _TAIL_RE.match(text, end)
        end = tail.end()
        pos = max(pos, end)
        head = text[max(0, m.start() - 16): m.start()]
        low_head = head.rstrip().lower()
        pre = ""
        start = m.start()
        if low_head.endswith(_PRE_WORDS):
            pm = _PRE_RE.search(head)
            if pm:
                pre = pm.group("pre").lower()
                start = m.start() - (len(head) - pm.start())
        if not pre and low_head.endswith(_BAD_BEFORE_WORDS) and _BAD_BEFORE_RE.search(head[-12:]):
            continue
        after = text[end: end + 1]
        if after.isdigit():
            continue
        try:
            quantity = _number(m.group(1))
        except ValueError:
            continue
        if gen and 1900 <= quantity <= 2100 and "." not in m.group(1):
            continue  # "2024 tăng", "Nghị quyết 76 của": a year or a citation, not a count
        if unit in ("tin bài",):
            unit = "tin, bài"
        per = _PERIOD_WORDS.get((tail.group("per") or "").lower())
        if per is None:
            before = text[max(0, start - 40): start]
            low_before = before.lower()
            rate = ("hằng" in low_before or "hàng" in low_before or "mỗi" in low_before) and _RATE_BEFORE_RE.search(before)
            if rate:
                per = _PERIOD_WORDS.get(rate.group(1).lower())
        target = {
            "quantity": quantity,
            "unit": unit,
            "per": per,
            "at_least": pre in ("≥", ">=", ">", "tối thiểu", "ít nhất", "không dưới", "không ít hơn", "trên")
            or "ít nhất" in text[max(0, start - 25): start].lower()
            or _OR_MORE_RE.match(text, end) is not None,
            "text": text[start: end].strip(),
        }
        if tail.group("total"):
            try:
                target["total"] = _number(tail.group("total"))
            except ValueError:
                pass
            # "1 bài/ 1 quý = 4 bài": the total's unit belongs to the phrase
            rest = text[end: end + len(unit) + 2]
            if rest.lower().lstrip().startswith(unit):
                target["text"] = text[start: end + len(rest) - len(rest.lstrip()) + len(unit)].strip()
        out.append(target)
        if len(out) >= limit:
            break
    if not out and _WEEKLY_RE.search(text):
        out.append({"quantity": 1, "unit": "lần", "per": "week", "at_least": True,
                    "text": _WEEKLY_RE.search(text).group(0)})
    return out
