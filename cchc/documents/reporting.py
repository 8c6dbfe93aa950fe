"""The reporting duty: periods (M, Q1..Q4, H1, H2, 9M, Y), due dates for the plan year, recipient.

"chậm nhất ngày 15" keeps the 15th; "trước ngày 10 tháng 6" makes the 9th the last day on time.
Where the report is folded ("lồng ghép") into the administrative-reform (CCHC) report and no period is
named, the CCHC periods Q1, H1, Q3 and Y apply.

"chậm nhất ngày 15 của tháng cuối kỳ báo cáo" puts the annual report (Y) on 15 December too: under
Nghị định 09/2019/NĐ-CP the annual data run from 15 December of the year before to 14 December, so
the last month of the annual period is December and its 15th is the first day after the cut-off.
A monthly rule ("hằng tháng trước ngày 25") gives one M entry, due in January of the plan year; the
day carries to every month. A plan over several years ("giai đoạn 2026-2030") gives each period's due
date once, in its first year (the schema's one entry per period); the platform carries the day and
month to the later years (`cchc.core.periods.period_dates`).
"""

from __future__ import annotations

import datetime as dt
import re

from .agencies import clean_agency
from .dates import make_date
from .folding import fold

CCHC_DEFAULT = ["Q1", "H1", "Q3", "Y"]
_ORDER = ["M", "Q1", "Q2", "H1", "Q3", "9M", "Q4", "H2", "Y"]
_LAST_MONTH = {"Q1": 3, "Q2": 6, "Q3": 9, "Q4": 12, "H1": 6, "H2": 12, "9M": 9, "Y": 12}
_SENT_SPLIT_RE = re.compile(r"(?<=[.;])\s+(?=[A-ZĐ(])")
_PERIODIC_RE = re.compile(r"dinh ky|hang quy|hang thang|hang nam|6 thang|sau thang|9 thang|chin thang|"
                          r"truoc ngay|cham nhat|long ghep|hang tuan|bao cao nam|bao cao quy")
_DUE_RE = re.compile(r"(truoc ngay|cham nhat(?: la)?(?: vao)?(?: ngay)?|trong ngay|vao ngay|ngay)\s*(\d{1,2})"
                     r"(?:\s*(?:thang\s*|/\s*)(\d{1,2}))?((?:\s*(?:va|,)\s*\d{1,2}\s*/\s*\d{1,2})*)")
_QUA_RE = re.compile(r"\(\s*qua\s+([^()]{3,80}?)\s*(?:tổng hợp[^()]*)?\)", re.IGNORECASE)
_TO_RE = re.compile(r"(?:gửi(?:\s+về)?|về)\s+((?:Sở|Phòng|Văn phòng|Ban|UBND|Ủy ban|Bộ|Trung tâm|Cục)[^,;.()]{2,80}?)"
                    r"(?=\s+(?:để|tổng hợp|trước|theo|chậm)\b|[,;.()]|$)")


# "báo cáo Thủ tướng Chính phủ", "báo cáo Bộ Chính trị, Ban Bí thư", "báo cáo kết quả về Ủy ban nhân dân tỉnh"
_RECIPIENT_HEADS = (r"(?:Thủ tướng|Phó Thủ tướng|Chính phủ|Bộ Chính trị|Ban Bí thư|Chủ tịch|Ủy ban|Uỷ ban|UBND|HĐND|"
                    r"Hội đồng|Bộ|Sở|Ban|Văn phòng|Phòng|Trung tâm|Cục|Lãnh đạo|Thường trực|Tỉnh ủy|Thành ủy)")
_REPORT_TO_RE = re.compile(r"báo cáo\s+(?:kết quả[^,;.()]{0,60}?\s+)?(?:về\s+|cho\s+|lên\s+)?(" + _RECIPIENT_HEADS +
                           r"(?:[^,;.()]|,\s*(?=Ban Bí thư))*?)"
                           r"(?=\s+(?:để|xem xét|theo|trước|chậm|trong|về|kết quả|tình hình|việc|những|các|khi|đối với|"
                           r"định kỳ|hằng|hàng|tổng hợp|chỉ đạo|quyết định|cho ý kiến|biết)\b|[;.()]|,(?!\s*Ban Bí thư)|$)")
_TO_ANY_RE = re.compile(r"(?:gửi(?:\s+về)?|về)\s+(" + _RECIPIENT_HEADS + r"[^,;.()]{2,80}?)"
                        r"(?=\s+(?:để|tổng hợp|trước|theo|chậm|trong)\b|[,;.()]|$)")


def _recipient_of(sentences: list[str]) -> str | None:
    """Who receives the reports: "qua X" first (the body that collects them), then "gửi (về) X", then
    "báo cáo X"; among several sentences the most often named."""
    from collections import Counter

    for sent in sentences:
        m = _QUA_RE.search(sent)
        if m:
            return clean_agency(m.group(1))
    found: Counter = Counter()
    first: dict[str, int] = {}
    for k, sent in enumerate(sentences[:200]):
        for rx in (_TO_RE, _TO_ANY_RE, _REPORT_TO_RE):
            m = rx.search(sent)
            if m:
                name = clean_agency(m.group(1))
                if 2 < len(name) <= 90 and "@" not in name and "email" not in name.lower():
                    found[name] += 1
                    first.setdefault(name, k)
                break
    if not found:
        return None
    return max(found, key=lambda n: (found[n], -first[n]))


def _period_from_fold(f: str) -> list[str]:
    found = set()
    if re.search(r"hang thang|hang thang|moi thang|bao cao thang", f):
        found.add("M")
    quarterly = bool(re.search(r"(?:hang|moi|tung|cac|bao cao|theo|dinh ky) quy\b(?! dinh)|\bquy (?:iv|iii|ii|i|[1-4])\b", f))
    half = bool(re.search(r"\b(?:6|sau) thang\b", f))
    nine = bool(re.search(r"\b(?:9|chin) thang\b", f))
    yearly = bool(re.search(r"\bnam\b|hang nam|hang nam|ca nam", f))
    if quarterly and (half or yearly):
        found.update(CCHC_DEFAULT)
        if nine:
            found.discard("Q3")
            found.add("9M")
    elif quarterly:
        found.update(["Q1", "Q2", "Q3", "Q4"])
    if half:
        found.add("H1")
    if nine:
        found.add("9M")
    if yearly:
        found.add("Y")
    return [p for p in _ORDER if p in found]


def parse_reporting(paragraphs: list[str], plan_year: int | None, plan_period: list[int] | None = None, *,
                    issued: str | None = None) -> dict:
    """The reporting duty written in `paragraphs`.

    `issued` (ISO date) is the document's own date: a due date before it cannot be met in that year
    (a plan signed on 1 December with "trước ngày 01/6 và 15/11 hằng năm" first reports the next June),
    so it moves to the next year.
    """
    sentences = []
    reports = []  # every sentence that asks for a report, periodic or not: who receives them
    for text in paragraphs:
        for sent in _SENT_SPLIT_RE.split(text[:5000]):
            f = fold(sent)
            if "bao cao" in f and not re.search(r"kho khan|vuong mac", f):
                reports.append(sent)
                if _PERIODIC_RE.search(f):
                    sentences.append((sent, f))
    if not sentences:
        return {"periods": [], "deadlines": [], "recipient": _recipient_of(reports), "text": None}
    periods: list[str] = []
    folded_cchc = False
    for sent, f in sentences:
        # ignore the "năm 2023" of a plan's name when reading periods
        g = re.sub(r"nam \d{4}", "", f)
        g = re.sub(r"ke hoach[^,;]*", "", g) if "hang nam" not in g and "hang nam" not in g else g
        periods.extend(p for p in _period_from_fold(g) if p not in periods)
        if "long ghep" in f and ("cai cach hanh chinh" in f or "cchc" in f):
            folded_cchc = True
    if folded_cchc and not periods:
        periods = list(CCHC_DEFAULT)
    periods = [p for p in _ORDER if p in periods]
    deadlines = []
    for sent, f in sentences:
        deadlines.extend(_deadlines(sent, f, periods, plan_year))
    # a due date tied to a named period ("trước ngày 10 tháng 6 đối với báo cáo 6 tháng") beats the general rule
    deadlines.sort(key=lambda d: 0 if d.get("specific") else 1)
    for d in deadlines:
        d.pop("specific", None)
        if d["period"] not in periods:
            periods.append(d["period"])
    periods = [p for p in _ORDER if p in periods]
    seen = set()
    unique = []
    for d in deadlines:
        if d["period"] not in seen:
            seen.add(d["period"])
            unique.append(d)
    if issued:
        unique = _not_before(unique, issued)
    unique.sort(key=lambda d: (d["due"][:4], _ORDER.index(d["period"]) if d["period"] in _ORDER else 99))
    recipient = _recipient_of([sent for sent, _ in sentences]) or _recipient_of(reports)
    text = " ".join(s for s, _ in sentences)[:2000]
    return {"periods": periods, "deadlines": unique, "recipient": recipient, "text": text}


def _deadlines(sent: str, f: str, periods: list[str], plan_year: int | None) -> list[dict]:
    if not plan_year:
        return []
    out = []
    prev_end = -1
    for m in _DUE_RE.finditer(f):
        start_prev, prev_end = prev_end, m.end()
        word = m.group(1)
        if not (word.startswith("truoc") or word.startswith("cham")):
            continue
        before = word.startswith("truoc")
        day = int(m.group(2))
        month = int(m.group(3)) if m.group(3) else None
        extra = re.findall(r"(\d{1,2})\s*/\s*(\d{1,2})", m.group(4) or "")
        text = sent[m.start(): m.end()] if len(sent) == len(f) else m.group(0)
        if month is None:
            # "chậm nhất ngày 15 của tháng cuối kỳ": the day in the last month of every period
            if "M" in periods and (len(periods) == 1 or "thang" in f[m.start() - 30: m.start()]):
                due = make_date(plan_year, 1, day)
                if due:
                    out.append({"period": "M", "due": _shift(due, before), "text": text})
                continue
            for p in periods:
                if p in _LAST_MONTH:
                    due = make_date(plan_year, _LAST_MONTH[p], day)
                    if due:
                        out.append({"period": p, "due": _shift(due, before), "text": text})
            continue
        dates = [(day, month)] + [(int(d), int(mo)) for d, mo in extra]
        tail = f[m.end(): m.end() + 60]
        named = _period_from_fold(re.split(r"[;,]", tail)[0]) if "doi voi" in tail[:30] or "bao cao" in tail[:20] else []
        if not named:
            # "…; riêng báo cáo 6 tháng gửi trước ngày 10 tháng 6, báo cáo năm gửi trước ngày 10 tháng 12":
            # the period named just before the date, in the same clause
            cut = max(f.rfind(";", 0, m.start()), f.rfind(",", 0, m.start()), f.rfind(".", 0, m.start()), start_prev)
            head = f[cut + 1: m.start()]
            if "bao cao" in head and len(head) < 80:
                named = _period_from_fold(re.sub(r"^.*?bao cao", "bao cao", head))

        targets = _assign(dates, named or periods)
        for (d, mo), p in targets:
            due = make_date(plan_year, mo, d)
            if due and p:
                out.append({"period": p, "due": _shift(due, before), "text": text, "specific": bool(named)})
    return out


def _not_before(deadlines: list[dict], issued: str) -> list[dict]:
    out, seen = [], set()
    for d in deadlines:
        due = d["due"]
        if due < issued and d["period"] != "M":  # a monthly rule names only its day
            try:
                moved = dt.date.fromisoformat(due)
                due = moved.replace(year=moved.year + 1).isoformat()
            except ValueError:  # 29 February
                due = (dt.date.fromisoformat(due) + dt.timedelta(days=365)).isoformat()
        if (d["period"], due) not in seen:
            seen.add((d["period"], due))
            out.append({**d, "due": due})
    return out


def _assign(dates, periods):
    if len(dates) == 1:
        if len(periods) == 1:
            return [(dates[0], periods[0])]
        month = dates[0][1]
        best = None
        for p in periods:  # the period whose last month is nearest at or after the due month
            last = _LAST_MONTH.get(p)
            if last and last >= month - 1 and (best is None or last < _LAST_MONTH[best]):
                best = p
        return [(dates[0], best or (periods[-1] if periods else "Y"))]
    ordered = sorted(dates, key=lambda x: (x[1], x[0]))
    if len(ordered) == 2 and (not periods or set(periods) <= {"H1", "Y"} or len(periods) != 2):
        return [(ordered[0], "H1"), (ordered[1], "Y")]
    return list(zip(ordered, periods))


def _shift(due: dt.date, before: bool) -> str:
    return (due - dt.timedelta(days=1) if before else due).isoformat()
