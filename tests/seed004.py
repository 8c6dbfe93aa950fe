"""The appendix of seed 004 (UBND tỉnh Hà Giang, 233/QĐ-UBND, plan for 2023): its table of 15 key tasks,
as rows and as the parsed plan the platform imports, with targets and timeframes read by
`cchc.documents` (the real document is in tests/data/reader/docs)."""

from __future__ import annotations

from cchc.documents.targets import parse_targets, with_recurrence
from cchc.documents.timeframes import parse_timeframe

from tests.public_documents import SEED_004 as SEED

PLAN_YEAR = 2023


def appendix_rows() -> dict[int, list[str]]:
    """{TT: [TT, content, forms, agencies, time]}; a row's cells may go on over a line that starts
    with a tab."""
    rows: dict[int, list[str]] = {}
    last = None
    text = SEED.read_text(encoding="utf-8")
    for line in text[text.index("\nPHỤ LỤC\n"):].splitlines():
        cells = line.split("\t")
        if cells[0].strip().isdigit():
            last = int(cells[0])
            rows[last] = cells + [""] * (5 - len(cells))
        elif last is not None and line.startswith("\t"):
            more = cells + [""] * (len(rows[last]) - len(cells))
            rows[last] = [f"{a} {b}".strip() for a, b in zip(rows[last], more)]
    return rows


def appendix_task(row: list[str]) -> dict:
    """A task of the schema from a row: the reader's targets of its content and forms, the soft
    target of a recurring time column."""
    _tt, content, forms, _agencies, time = row[:5]
    timeframe = parse_timeframe(time, PLAN_YEAR, None)
    return {"title": content, "text": content, "forms": [forms] if forms else [], "lead": [], "support": [],
            "timeframe": timeframe, "targets": with_recurrence(parse_targets(f"{content}; {forms}"), timeframe, content),
            "funding": None, "section": f"Phụ lục/{row[0]}"}


def appendix_document(numbers=None) -> dict:
    """A parsed plan (schema cchc.plan/1) holding the appendix's tasks (those of `numbers`, or all)."""
    rows = appendix_rows()
    return {
        "schema": "cchc.plan/1",
        "document": {"kind": "QĐ", "number": "233/QĐ-UBND", "symbol": "QĐ-UBND", "place": "Hà Giang",
                     "date": "2022-12-19", "year": 2022, "issuer": "Ủy ban nhân dân tỉnh Hà Giang",
                     "title": "Tuyên truyền cải cách hành chính năm 2023 trên địa bàn tỉnh Hà Giang",
                     "plan_year": PLAN_YEAR, "signer": None, "recipients": []},
        "references": [],
        "sections": [{"number": "Phụ lục", "heading": "Các nhiệm vụ trọng tâm", "text": None, "children": []}],
        "tasks": [appendix_task(rows[n]) for n in sorted(rows) if numbers is None or n in numbers],
        "reporting": {"periods": ["Q1", "H1", "Q3", "Y"], "deadlines": [], "recipient": "Sở Nội vụ", "text": None},
    }
