"""Assignments and time written inside a sentence.

Plans assign most of their work in running text rather than in "Chủ trì: …" lines:
"Giao Sở Nội vụ chủ trì, phối hợp với Sở Tư pháp và Báo Ninh Bình tổ chức Hội nghị … trong Quý
III/2026", "Sở Nội vụ phối hợp với Sở Tư pháp tổ chức …", "Đề nghị Hội Nông dân tỉnh phối hợp …".
A list of agencies ends where the verb phrase of the duty begins; the duty's verbs are written in
lower case, while the words of an agency's name after its head word are mostly capitalised ("Sở
Thông tin và Truyền thông", "Ban Quản lý …"), so the verbs are matched case-sensitively.

The time of a duty is the phrase that a preposition of time opens ("trong Quý III/2026", "hoàn thành
trước ngày 30/9/2026", "trước 30/6", "đến hết năm 2025") or a word of recurrence ("hằng tuần",
"thường xuyên", "định kỳ hằng quý"); that phrase goes to the timeframe parser.
"""

from __future__ import annotations

import re

from .agencies import split_agencies
from .lexicon import SENTENCE_VERBS

# Verbs that open the duty after a list of agencies (lower case: see the module note): `lexicon`.
_VERBS = SENTENCE_VERBS
_VERB_RE = re.compile(r"(?<![\wÀ-ỹ])(?:" + "|".join(sorted((re.escape(v) for v in _VERBS), key=len, reverse=True))
                      + r")(?![\wÀ-ỹ])")
_PREFIX_RE = re.compile(r"^\s*(?:[-–+•]\s*)?(?:Giao|giao|Đề nghị|đề nghị|Yêu cầu|yêu cầu)\s*:?\s+")
_LEAD_ROLE_RE = re.compile(r"[\s,]+(?:chủ trì|chịu trách nhiệm chính|làm đầu mối|là cơ quan đầu mối|có trách nhiệm|"
                           r"chịu trách nhiệm)(?![\wÀ-ỹ])")
_WITH_RE = re.compile(r"(?<![\wÀ-ỹ])phối hợp(?:\s+chặt chẽ)?\s+với\s+", re.IGNORECASE)
_END_RE = re.compile(r"[.;:()]")


def _agency_list(text: str) -> list[str]:
    """The agencies written at the start of `text`, up to the verb that opens the duty."""
    m = _VERB_RE.search(text)
    stop = m.start() if m else len(text)
    e = _END_RE.search(text, 0, stop)
    if e:
        stop = e.start()
    chunk = text[:stop].strip(" ,")
    if not chunk or len(chunk) > 200:
        return []
    return split_agencies(chunk)


def read_assignment(text: str, starts_agency) -> tuple[list[str], list[str]]:
    """(lead, support) named in a duty sentence; ([], []) when it names none.

    `starts_agency(text)` tells whether text begins with the name of an agency.
    """
    if not text:
        return [], []
    text = " ".join(text[:1500].split())
    body = _PREFIX_RE.sub("", text)
    explicit = body != text  # "Giao X …": X is the lead whatever verb follows
    lead: list[str] = []
    support: list[str] = []
    if starts_agency(body):
        role = _LEAD_ROLE_RE.search(body[:250])
        with_ = _WITH_RE.search(body[:250])
        cut = None
        if role and not _END_RE.search(body, 0, role.start()):
            cut = role.start()
        elif with_ and not _END_RE.search(body, 0, with_.start()):
            cut = with_.start()
        elif explicit:
            m = _VERB_RE.search(body[:250])
            cut = m.start() if m else None
        if cut:
            name = body[:cut].strip(" ,")
            if 0 < len(name) <= 200:
                lead = split_agencies(name)
    m = _WITH_RE.search(body)
    if m and (lead or m.start() < 40):
        support = [a for a in _agency_list(body[m.end():]) if a not in lead]
    return lead, support


# --- time in a sentence -----------------------------------------------------------------------

_TIME_WORD = r"(?:ngày\s*\d|tháng\s*\d|quý\s*[IVX1-4]|quí\s*[IVX1-4]|năm\s*\d{4}|\d{1,2}\s*/\s*\d{1,2}|6 tháng|sáu tháng)"
_TIME_RE = re.compile(
    r"(?<![\wÀ-ỹ])(?:trong(?: suốt)?|trước|đến hết|đến|từ|vào|chậm nhất(?: là)?(?: vào)?|cuối|đầu|giữa)\s+"
    + _TIME_WORD
    + r"[^.;,()]*(?:,\s*(?=(?:quý|quí|tháng|ngày|năm|\d))[^.;,()]*)*",
    re.IGNORECASE,
)
_RECUR_RE = re.compile(
    r"(?<![\wÀ-ỹ])(?:thường xuyên|liên tục|(?:định kỳ\s+)?(?:hằng|hàng|mỗi)\s+(?:tuần|tháng|quý|quí|năm)|"
    r"định kỳ\s+(?:tuần|tháng|quý|quí|năm))(?![\wÀ-ỹ])",
    re.IGNORECASE,
)


# The same two patterns for lower-cased text, matched case-sensitively: case-insensitive matching
# of Vietnamese letters is several times slower, and these run on every duty's sentences. The
# look-ahead on the first letter lets the scan skip positions where no trigger word can start.
_TIME_LOW_RE = re.compile(r"(?=[tđvcg])" + _TIME_RE.pattern.replace("[IVX1-4]", "[ivx1-4]"))
_RECUR_LOW_RE = re.compile(r"(?=[tlhmđ])" + _RECUR_RE.pattern)
_DIGIT_RE = re.compile(r"\d")
_RECUR_HINTS = ("thường xuyên", "liên tục", "hằng", "hàng", "mỗi", "định kỳ")


_SENTENCE_RE = re.compile(r"(?<=[.;!?])\s+(?=[A-ZĐÀ-Ỹ])")
# "tầm nhìn đến năm 2050", "thời kỳ 2021 - 2030": the horizon of a cited strategy, not the duty's time
_HORIZON_RE = re.compile(r"(?:tầm nhìn|thời kỳ|giai đoạn)\s*$", re.IGNORECASE)


def time_phrase(text: str | None) -> str | None:
    """The words of `text` that say when the duty is done, for `parse_timeframe`; None if none.

    Read from the first sentence that has any: a later sentence usually tells how to report on it.
    """
    if not text:
        return None
    text = " ".join(text[:2000].split())
    low = text.lower()
    # cheap word tests first: most sentences say no time at all
    may_recur = any(w in low for w in _RECUR_HINTS)
    may_time = _DIGIT_RE.search(text) is not None
    if not (may_recur or may_time):
        return None
    # Lower case keeps the length of Vietnamese text; where it would not, the slower patterns run.
    fast = len(low) == len(text)
    time_re, recur_re = (_TIME_LOW_RE, _RECUR_LOW_RE) if fast else (_TIME_RE, _RECUR_RE)
    for sentence in _SENTENCE_RE.split(text):
        scan = sentence.lower() if fast else sentence
        parts = []
        r = recur_re.search(scan) if may_recur else None
        if r:
            parts.append(sentence[r.start():r.end()])
        for m in (time_re.finditer(scan) if may_time else ()):
            if not _HORIZON_RE.search(sentence[max(0, m.start() - 12): m.start()]):
                parts.append(sentence[m.start():m.end()].strip(" ,"))
                break
        if parts:
            return "; ".join(parts)
    return None
