"""Agency phrases of a plan ("Sở Nội vụ", "UBND các huyện, thành phố") resolved to units.

The resolver is `cchc.org.resolve.resolve_agencies`; this module turns its answers into plain
JSON kept on the import draft, so that the review page can show and fix them.

A plan is read against the units of its own date and its issuer, then handed to the units that
carry that work today: "UBND các huyện, thành phố" in a 2023 Hà Giang plan imported into today's
Tuyên Quang names Hà Giang's districts of 2023 (`named_ids`) and falls to the communes that took
them over (`unit_ids`), kept as one group (`groups`) that the review page offers as one choice.
"""

from __future__ import annotations

import datetime as dt

from cchc.core.text import fold
from cchc.org.models import Unit

LOW_CONFIDENCE = 0.75


def _fallback_resolve(texts: list[str], *, context: Unit | None, on: dt.date | None) -> list[dict]:
    """Exact folded name or alias match inside the context's province: used only when the
    directory's resolver is not installed, so that an import never fails for want of it."""
    qs = Unit.objects.current()
    if context is not None:
        province = context.province() or context
        qs = qs.filter(path__startswith=province.path)
    out = []
    for text in texts:
        key = fold(text).strip()
        hits = [u for u in qs.filter(search_text__contains=key)[:20] if key in [p.strip() for p in u.search_text.split("|")]]
        unit_ids = [hits[0].pk] if len(hits) == 1 else []
        out.append({
            "text": text, "unit_ids": unit_ids, "confidence": 1.0 if unit_ids else 0.0, "is_group": False,
            "resolved": bool(unit_ids), "candidates": [[u.pk, 0.5] for u in hits[:5]],
        })
    return out


def resolve_phrases(texts: list[str], *, context: Unit | None, on: dt.date | None, issuer: str | None = None,
                    roll_up_to: dt.date | None = None) -> list[dict]:
    """One JSON-able dict per phrase: text, unit_ids, confidence, is_group, resolved, candidates [[id, score]],
    and when they apply, named_ids (the units of the document's date, when others carry them on) and
    groups [{"kind", "unit_ids"}] (the group phrases among them)."""
    if not texts:
        return []
    try:
        from cchc.org.resolve import resolve_agencies
    except ImportError:
        return _fallback_resolve(texts, context=context, on=on)
    answers = resolve_agencies(list(texts), context=context, on=on, issuer=issuer, roll_up_to=roll_up_to)
    out = []
    for text, res in zip(texts, answers):
        units = list(getattr(res, "units", []) or [])
        item = {
            "text": text,
            "unit_ids": [u.pk for u in units],
            "confidence": float(getattr(res, "confidence", 0.0) or 0.0),
            "is_group": bool(getattr(res, "is_group", False)),
            "resolved": bool(getattr(res, "resolved", bool(units))),
            "candidates": [[c.unit.pk, float(c.score)] for c in (getattr(res, "candidates", []) or [])[:8]],
        }
        named = [u.pk for u in getattr(res, "named", None) or []]
        if named and named != item["unit_ids"]:
            item["named_ids"] = named
        groups = [{"kind": g.kind, "unit_ids": [u.pk for u in g.units]} for g in getattr(res, "groups", None) or []]
        if groups:
            item["groups"] = groups
        out.append(item)
    return out


def reading_date(parsed: dict) -> dt.date | None:
    """The date a document is read on: its own (the units it names are those of that day)."""
    date = (parsed.get("document") or {}).get("date")
    try:
        return dt.date.fromisoformat(date) if date else None
    except (TypeError, ValueError):
        return None


def resolve_document(parsed: dict, *, context: Unit | None, today: dt.date | None = None) -> dict:
    """Resolutions for every task of a parsed plan: {"tasks": [{"lead": [...], "support": [...]}]}.

    The plan is read on its own date, as its issuer (a predecessor of `context`) wrote it; a plan
    kept by a unit in force today is then rolled up to the units that carry its work today, while
    a plan of a unit that has since closed keeps the units of its own date."""
    today = today or dt.date.today()
    on = reading_date(parsed)
    if on is not None and on > today:
        on = today
    roll_up_to = today if context is None or context.active_on(today) else None
    issuer = (parsed.get("document") or {}).get("issuer")
    # Resolve each distinct phrase once: a plan repeats "Sở Nội vụ" in most rows.
    phrases: list[str] = []
    seen = set()
    for task in parsed.get("tasks") or []:
        for role in ("lead", "support"):
            for text in task.get(role) or []:
                if text not in seen:
                    seen.add(text)
                    phrases.append(text)
    by_text = {r["text"]: r for r in resolve_phrases(phrases, context=context, on=on, issuer=issuer,
                                                     roll_up_to=roll_up_to)}
    tasks = []
    for task in parsed.get("tasks") or []:
        tasks.append({role: [dict(by_text[t]) for t in task.get(role) or []] for role in ("lead", "support")})
    return {"tasks": tasks}


def needs_attention(item: dict) -> bool:
    """An answer the reviewer should look at: unresolved, or resolved with low confidence."""
    return not item.get("unit_ids") or item.get("confidence", 0) < LOW_CONFIDENCE
