"""`cchc parse FILE [--format json|text]`: read a plan document and print what it says.

Runs without Django and imports the heavy readers only for the format at hand, so that it starts
instantly. Every failure is one line on stderr and exit code 2; no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import textwrap
from datetime import date
from pathlib import Path

from cchc.documents.i18n import _, gettext_noop


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="cchc parse",
        description=_("Read a plan document (.docx, .pdf, .txt, .md) into structured data."),
    )
    parser.add_argument("file", help=_("the plan document to read"))
    parser.add_argument(
        "--format", choices=("json", "text"), default="json",
        help=_("json (default): one object as in plan.schema.json; text: a readable summary"),
    )
    args = parser.parse_args(argv)

    from cchc.documents.blocks import DocumentError

    path = Path(args.file)
    try:
        from cchc.documents.reader import parse_file

        plan = parse_file(path)
    except DocumentError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130
    except RecursionError:
        return _fail(_("%(name)s is nested too deeply to be read; save it again as a plain .docx") % {"name": path.name})
    except MemoryError:
        return _fail(_("%(name)s is too large to be read here; split it and try again") % {"name": path.name})
    except Exception as exc:  # a defect in the parser must still not show a traceback
        return _fail(
            _("%(name)s could not be read because of an internal error (%(error)s); please report it with the file")
            % {"name": path.name, "error": type(exc).__name__},
            code=1,
        )
    if args.format == "json":
        out = json.dumps(plan, ensure_ascii=False, indent=2) + "\n"
    else:
        out = render_text(plan)
    _write(out)
    return 0


def _fail(message: str, code: int = 2, prog: str = "cchc parse") -> int:
    line = " ".join(message.split())
    print(f"{prog}: {line}", file=sys.stderr)
    return code


def _write(text: str) -> None:
    data = text.encode("utf-8")
    buffer = getattr(sys.stdout, "buffer", None)
    try:
        if buffer is not None:
            sys.stdout.flush()
            buffer.write(data)
            buffer.flush()
        else:
            sys.stdout.write(text)
    except BrokenPipeError:  # `cchc parse x | head` must not end in a traceback
        pass


# --------------------------------------------------------------------------------- text form


def _dmy(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        d = date.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso)
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


_PERIOD_NAMES = {
    "M": gettext_noop("Monthly"), "Q1": gettext_noop("Quarter I"), "Q2": gettext_noop("Quarter II"),
    "Q3": gettext_noop("Quarter III"), "Q4": gettext_noop("Quarter IV"), "H1": gettext_noop("Six months"),
    "H2": gettext_noop("Second half-year"), "9M": gettext_noop("Nine months"), "Y": gettext_noop("Year"),
}


def render_text(plan: dict) -> str:
    meta = plan.get("document") or {}
    width = max(80, min(160, shutil.get_terminal_size((120, 24)).columns))
    out: list[str] = []
    kind = meta.get("kind") or ""
    number = meta.get("number") or _("(no number)")
    out.append(f"{kind} {number}".strip())
    if meta.get("title"):
        out.append(meta["title"])
    rows = [
        (_("Issued by"), meta.get("issuer")),
        (_("Place and date"), ", ".join(x for x in (meta.get("place"), _dmy(meta.get("date")) or (str(meta["year"]) if meta.get("year") else None)) if x)),
        (_("Plan year"), "–".join(str(y) for y in (meta.get("plan_period") or [])) or meta.get("plan_year")),
    ]
    signer = meta.get("signer") or {}
    if signer:
        role = " / ".join(x for x in (signer.get("authority"), signer.get("position")) if x)
        rows.append((_("Signed by"), " — ".join(x for x in (role, signer.get("name")) if x)))
    if meta.get("recipients"):
        rows.append((_("Recipients"), "; ".join(meta["recipients"])))
    if plan.get("funding"):
        rows.append((_("Funding"), "; ".join(plan["funding"])))
    out.extend(_field_lines(rows, width))
    for note in plan.get("diagnostics") or []:  # what the reader says about what it read, first
        out.extend(textwrap.wrap(f"! {note.get('message') or ''}", width, subsequent_indent="  "))

    refs = plan.get("references") or []
    out.append("")
    out.append(_("References ({count})").format(count=len(refs)))
    role_names = {"basis": _("basis"), "implements": _("carries out"), "cited": _("cited")}
    for ref in refs:
        words = [ref.get("kind") or "", ref.get("number") or ""] if ref.get("number") else \
            [ref.get("title") or ref.get("kind") or ""]
        if ref.get("date"):
            words.append(_dmy(ref["date"]))
        if ref.get("issuer"):
            words.append(ref["issuer"])
        role = role_names.get(ref.get("role") or "", "")
        line = " ".join(w for w in words if w)
        out.extend(textwrap.wrap(f"[{role}] {line}" if role else line, width, initial_indent="  ", subsequent_indent="    "))

    tasks = plan.get("tasks") or []
    out.append("")
    out.append(_("Tasks ({count})").format(count=len(tasks)))
    if tasks:
        out.extend(_task_table(tasks, width))

    reporting = plan.get("reporting") or {}
    out.append("")
    out.append(_("Reporting"))
    due = {d.get("period"): d for d in reporting.get("deadlines") or []}
    periods = list(reporting.get("periods") or [])
    for period in periods + [p for p in due if p not in periods]:
        deadline = due.get(period)
        label = _(_PERIOD_NAMES.get(period, period))
        text = f"  {period:<3} {label:<18}"
        if deadline:
            text += " " + _("due {date}").format(date=_dmy(deadline.get("due")))
        out.append(text.rstrip())
    if not periods and not due:
        out.append("  " + _("no periodic report"))
    if reporting.get("recipient"):
        out.append("  " + _("Reports go to: {recipient}").format(recipient=reporting["recipient"]))
    return "\n".join(out) + "\n"


def _field_lines(rows, width: int) -> list[str]:
    label_width = max(len(label) for label, _v in rows) + 2
    lines = []
    for label, value in rows:
        if value in (None, "", []):
            continue
        wrapped = textwrap.wrap(str(value), max(20, width - label_width)) or [""]
        lines.append(f"{label + ':':<{label_width}}{wrapped[0]}")
        lines.extend(" " * label_width + more for more in wrapped[1:])
    return lines


def _timeframe(task: dict) -> str:
    frame = task.get("timeframe") or {}
    text = frame.get("text") or ""
    span = " – ".join(x for x in (_dmy(frame.get("start")), _dmy(frame.get("end"))) if x)
    if span and span not in text:
        return f"{text} ({span})" if text else span
    return text


def _targets(task: dict) -> str:
    parts = []
    for target in task.get("targets") or []:
        if target.get("text"):
            parts.append(target["text"])
        else:
            quantity = target.get("quantity")
            if isinstance(quantity, float) and quantity.is_integer():
                quantity = int(quantity)
            parts.append(f"{quantity} {target.get('unit', '')}".strip())
    return "; ".join(parts)


def _task_table(tasks: list[dict], width: int) -> list[str]:
    headers = ["#", _("Task"), _("Lead"), _("Coordinating"), _("Timeframe"), _("Targets")]
    number_width = max(2, len(str(len(tasks))))
    free = width - number_width - 5 * 3
    shares = (0.34, 0.16, 0.2, 0.16, 0.14)
    widths = [number_width] + [max(8, int(free * s)) for s in shares]
    rows = []
    for i, task in enumerate(tasks, start=1):
        rows.append([
            str(i), task.get("title") or "", "; ".join(task.get("lead") or []) or "—",
            "; ".join(task.get("support") or []), _timeframe(task), _targets(task),
        ])
    lines = [*_row(headers, widths, wrap=True).split("\n"), "-+-".join("-" * w for w in widths)]
    for row in rows:
        lines.extend(_row(row, widths, wrap=True).split("\n"))
    return lines


def _row(cells: list[str], widths: list[int], wrap: bool = False) -> str:
    columns = [textwrap.wrap(cell, w) or [""] if wrap else [cell[:w]] for cell, w in zip(cells, widths)]
    height = max(len(c) for c in columns)
    lines = []
    for k in range(height):
        parts = [f"{(col[k] if k < len(col) else ''):<{w}}" for col, w in zip(columns, widths)]
        lines.append(" | ".join(parts).rstrip())
    return "\n".join(lines)
