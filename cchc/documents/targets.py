"""Quantitative targets (chỉ tiêu): "01 lớp, 40 người", "khoảng 1000 lượt", "1 bài/ 1 quý = 4 bài",
"12 chuyên mục/năm", "hàng tháng, có ít nhất 04 tin, bài", "≥ 30%".

Two readings go beyond the number as written:

- A recurrence stated without a count ("hằng tuần", "Định kỳ hằng quý", "3 tháng/lần") is a *soft*
  target: once per period, `{"quantity": 1, "unit": "lần", "per": "week", "soft": True}` (an issue,
  "số", for a bulletin), so that the platform can expect 52 a year, 4 a year. A rate stated with its
  count ("mỗi tháng ít nhất 4 tin, bài", "01 số/quý") is an ordinary target. `with_recurrence` does
  the same for a recurrence written in the task's timeframe column.
- A target restricted to languages ("tin, bài bằng tiếng dân tộc: Tày, Mông: 12 bài/1 năm", "02 bài
  bằng tiếng Mông, tiếng Dao") carries `"languages"`: the names as written after "tiếng" (["Tày",
  "Mông"]), or `ETHNIC` (["dân tộc"]) for any ethnic-minority language, i.e. any but Vietnamese.
"""

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
    r"(?:\s*/\s*(?:0?1\s*)?(?P<per>tuần|tháng|quý|quí|năm)(?![\wÀ-ỹ])"
    r"|\s+(?:mỗi|hằng|hàng)\s+(?P<per_words>tuần|tháng|quý|quí|năm)(?![\wÀ-ỹ]))?"
    r"(?:\s*=\s*" + _NUM.replace("(", "(?P<total>", 1) + r")?",
    re.IGNORECASE,
)
_RATE_BEFORE_RE = re.compile(r"(?:hằng|hàng|mỗi)\s+(tuần|tháng|quý|quí|năm)", re.IGNORECASE)
_RATE_AFTER_REACH = 40
_RATE_AFTER_STOP_RE = re.compile(r"[,;()\d]|\. ")
_OR_MORE_RE = re.compile(r"\s*(?:trở lên|hoặc hơn)\b", re.IGNORECASE)
_DIGIT_RE = re.compile(r"\d")
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


def _rate_after(text: str, end: int) -> str | None:
    """The rate a few words after a count, within its clause ("04 tin, bài trên Cổng TTĐT mỗi tháng",
    "01 bài bằng tiếng Mông hằng tháng"); a comma, a clause break or the next number ends the search."""
    after = text[end: end + _RATE_AFTER_REACH]
    cut = _RATE_AFTER_STOP_RE.search(after)
    rate = _RATE_BEFORE_RE.search(after[: cut.start()] if cut else after)
    return _PERIOD_WORDS.get(rate.group(1).lower()) if rate else None


def _word_char(ch: str) -> bool:
    return bool(ch) and (ch.isalnum() or ch == "_")


def parse_targets(text: str | None, *, limit: int = 20) -> list[dict]:
    if not text:
        return []
    text = " ".join(text.split())[:4000]
    out: list[dict] = []
    spans: list[tuple[int, int]] = []  # where each target stands, for the languages around it
    if not _DIGIT_RE.search(text):  # every counted target is written with digits
        return _with_soft_target(out, text)
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
        per = _PERIOD_WORDS.get((tail.group("per") or tail.group("per_words") or "").lower())
        if per is None:
            before = text[max(0, start - 40): start]
            low_before = before.lower()
            rate = ("hằng" in low_before or "hàng" in low_before or "mỗi" in low_before) and _RATE_BEFORE_RE.search(before)
            if rate:
                per = _PERIOD_WORDS.get(rate.group(1).lower())
            else:
                per = _rate_after(text, end)
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
        spans.append((start, end))
        if len(out) >= limit:
            break
    if out and "tiếng" in text.lower():
        _add_languages(out, spans, text)
    return _with_soft_target(out, text)


# ---------------------------------------------------------------- recurrences without a count

# "hằng tuần", "hàng tháng", "mỗi quý", "định kỳ hằng quý", "định kỳ tháng", "3 tháng/lần", "quý một lần".
# A yearly recurrence gives no soft target: in a one-year plan "hằng năm" says when the work is done,
# not how often, and it is mostly an adjective ("kinh phí cấp hằng năm", "kế hoạch hằng năm").
# A daily one ("hằng ngày") has no rate period in the schema.
_RECURRENCE_RE = re.compile(
    r"(?<!\w)(?:(?:định kỳ|theo)\s+)?(?:hằng|hàng|mỗi)\s+(?P<a>tuần|tháng|quý|quí)(?!\w)"
    r"|(?<!\w)định kỳ\s+(?:theo\s+)?(?P<b>tuần|tháng|quý|quí)(?!\w)"
    r"|(?<!\w)(?<!\d )(?:0?(?P<n>[13])\s+)?(?P<c>tuần|tháng|quý|quí)\s*(?:/|một)\s*(?:0?1\s*)?lần(?!\w)",
    re.IGNORECASE,
)
_RECURRENCE_PER = {"weekly": "week", "monthly": "month", "quarterly": "quarter"}
# Periodicals counted in issues: a quarterly bulletin is 4 issues (số) a year, the catalogue's measure.
_ISSUE_WORDS = ("bản tin",)


def _recurrence_in(text: str) -> tuple[str, str] | None:
    """(rate period, the words) of the first recurrence in `text` that is not a report's: a report
    ("báo cáo định kỳ hằng quý") is counted by the reports app, never as an output against a target."""
    for m in _RECURRENCE_RE.finditer(text):
        around = text[max(0, m.start() - 24): m.end() + 40].lower()  # "Định kỳ hàng quý, sáu tháng và năm báo cáo"
        if "báo cáo" in around:
            continue
        word = (m.group("a") or m.group("b") or m.group("c")).lower()
        per = _PERIOD_WORDS[word]
        if m.group("n") == "3" and per == "month":
            per = "quarter"
        elif m.group("n") == "3":
            continue  # "3 tuần/lần", "3 quý/lần": no rate period of the schema
        return per, m.group(0)
    return None


def _soft_target(per: str, words: str, text: str) -> dict:
    low = text.lower()
    unit = "số" if any(w in low for w in _ISSUE_WORDS) else "lần"
    return {"quantity": 1, "unit": unit, "per": per, "at_least": True, "text": words, "soft": True}


def _with_soft_target(targets: list[dict], text: str) -> list[dict]:
    """`targets`, and the soft target of a recurrence the text states when no target has a rate."""
    if any(t.get("per") for t in targets):
        return targets
    found = _recurrence_in(text)
    if found is None:
        return targets
    return [*targets, _soft_target(*found, text)]


_YEARLY_TIME_RE = re.compile(r"^\s*(?:thường xuyên,?\s*)?(?:định kỳ\s+)?(?:hằng|hàng|mỗi)\s+năm\b", re.IGNORECASE)


def with_recurrence(targets: list[dict], timeframe: dict | None, text: str = "") -> list[dict]:
    """`targets` of a task and, when its timeframe recurs weekly, monthly or quarterly ("Định kỳ hằng
    quý" in a table's time column) and no target states a rate, the soft target that recurrence
    implies: once per period (an issue per period when `text`, the task's words, names a bulletin).
    A report's recurrence gives none ("Định kỳ hàng quý, sáu tháng và năm báo cáo kết quả")."""
    if any(t.get("per") for t in targets) or not timeframe:
        return targets
    per = _RECURRENCE_PER.get(timeframe.get("recurrence") or "")
    if per is None and timeframe.get("recurrence") == "yearly" and _YEARLY_TIME_RE.match(timeframe.get("text") or ""):
        # a task whose time is "Hằng năm" (its own time line or column, not an adjective in its text)
        # is done once a year
        per = "year"
    if per is None or _is_report_duty(text):
        return targets
    return [*targets, _soft_target(per, (timeframe.get("text") or "").strip(), text)]


def _is_report_duty(text: str) -> bool:
    """Whether the task is to report: its first words say so ("Báo cáo kết quả …", "Tổng hợp, báo cáo
    …"), or each recurrence it states is a report's."""
    low = " ".join(text.split()).lower()
    if "báo cáo" in low[:40]:
        return True
    return _RECURRENCE_RE.search(low) is not None and _recurrence_in(low) is None


# ---------------------------------------------------------------- languages

ETHNIC = "dân tộc"  # "bằng tiếng dân tộc": any ethnic-minority language, i.e. any but Vietnamese
_TIENG_RE = re.compile(r"(?<!\w)tiếng\s+", re.IGNORECASE)
_GENERIC_RE = re.compile(r"dân tộc(?:\s+thiểu số)?(?:\s*[:(]\s*|\s+(?:gồm|như|là)\s+)?", re.IGNORECASE)
# Vietnamese itself, written in lower case: "tiếng phổ thông", "tiếng Kinh" and "tiếng Việt" are capitalised.
_COMMON_RE = re.compile(r"phổ thông(?!\w)", re.IGNORECASE)
_NAME_WORD_RE = re.compile(r"[^\W\d_][\w'’]*(?:-[^\W\d_][\w'’]*)?")
_LIST_SEP_RE = re.compile(r"\s*,\s*(?:tiếng\s+)?|\s+(?:và|hoặc)\s+(?:tiếng\s+)?", re.IGNORECASE)
# Where a clause ends: a target takes the languages of its own clause only.
_CLAUSE_BREAKS = (";", "(", ")", ". ")
_BEFORE_BREAKS = (";", "(", ". ")  # "tiếng dân tộc (tiếng Mông, tiếng Dao): 12 bài" reads across ")"
_AFTER_REACH = 25  # "12 bài/năm phát sóng bằng tiếng Mông": the phrase follows within a few words


def _name_at(text: str, pos: int) -> tuple[str, int] | None:
    """A language name at `pos`: one or two capitalised words ("Mông", "Pà Thẻn", "H'Mông", "Ê Đê")."""
    m = _NAME_WORD_RE.match(text, pos)
    if not m or not m.group(0)[0].isupper():
        return None
    end = m.end()
    second = _NAME_WORD_RE.match(text, end + 1) if text[end: end + 1] == " " else None
    if second and second.group(0)[0].isupper():
        end = second.end()
    return text[pos:end], end


def _names_from(text: str, pos: int) -> tuple[list[str], int]:
    """The names of a list that starts at `pos` ("Tày, Mông, Dao và Pà Thẻn"), and where it ends."""
    names: list[str] = []
    while (found := _name_at(text, pos)) is not None:
        name, end = found
        names.append(name)
        sep = _LIST_SEP_RE.match(text, end)
        if sep is None or _name_at(text, sep.end()) is None:
            return names, end
        pos = sep.end()
    return names, pos


def _language_phrases(text: str) -> list[tuple[int, list[str]]]:
    """(start, names) of each phrase naming languages: "tiếng Mông, tiếng Dao", "tiếng dân tộc: Tày,
    Mông", "tiếng dân tộc" (ETHNIC), "tiếng phổ thông"."""
    out = []
    for m in _TIENG_RE.finditer(text):
        pos = m.end()
        generic = _GENERIC_RE.match(text, pos)
        common = _COMMON_RE.match(text, pos)
        if generic:
            names, _end = _names_from(text, generic.end())
            out.append((m.start(), names or [ETHNIC]))
        elif common:
            out.append((m.start(), [common.group(0)]))
        else:
            names, _end = _names_from(text, pos)
            if names:
                out.append((m.start(), names))
    return out


def _clause_end(text: str, pos: int) -> int:
    ends = [text.find(b, pos) for b in _CLAUSE_BREAKS]
    return min([e for e in ends if e >= 0], default=len(text))


def _clause_start(text: str, pos: int) -> int:
    return max(text.rfind(b, 0, pos) + 1 for b in _BEFORE_BREAKS)


def _add_languages(targets: list[dict], spans: list[tuple[int, int]], text: str) -> None:
    """Give each target the languages of its clause: those named just after it ("12 bài bằng tiếng
    Mông"), or else those named before it since the clause began ("tin, bài bằng tiếng dân tộc: Tày,
    Mông: 12 bài/1 năm")."""
    phrases = _language_phrases(text)
    if not phrases:
        return
    for i, (target, (start, end)) in enumerate(zip(targets, spans)):
        after_end = min(_clause_end(text, end), spans[i + 1][0] if i + 1 < len(spans) else len(text))
        found = [names for at, names in phrases if end <= at < after_end and at - end <= _AFTER_REACH]
        if not found:
            before_start = max(_clause_start(text, start), spans[i - 1][1] if i else 0)
            found = [names for at, names in phrases if before_start <= at < start]
        languages = list(dict.fromkeys(name for names in found for name in names))
        if languages:
            target["languages"] = languages
