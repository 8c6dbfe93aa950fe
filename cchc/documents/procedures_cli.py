"""`cchc parse-procedures FILE [--format json|text]`: read a decision that publishes a list of administrative
procedures and print the procedures it lists.

Like `cchc parse`: no Django, the readers imported only for the format at hand, every failure one line on
stderr (exit 2 for a file that is no readable document), never a traceback.
"""

from __future__ import annotations

import argparse
import json
import shutil
import textwrap
from pathlib import Path

from cchc.documents.cli import _dmy, _fail, _row, _write
from cchc.documents.i18n import _, gettext_noop

PROG = "cchc parse-procedures"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=_("Read a decision that publishes a list of administrative procedures (.docx, .pdf, .txt, .md) "
                      "into structured data."),
    )
    parser.add_argument("file", help=_("the decision to read"))
    parser.add_argument(
        "--format", choices=("json", "text"), default="json",
        help=_("json (default): one object as in procedures.schema.json; text: a readable table"),
    )
    args = parser.parse_args(argv)

    from cchc.documents.blocks import DocumentError

    path = Path(args.file)
    try:
        from cchc.documents.procedures import parse_procedures_file

        result = parse_procedures_file(path)
    except DocumentError as exc:
        return _fail(str(exc), prog=PROG)
    except KeyboardInterrupt:
        return 130
    except RecursionError:
        return _fail(_("%(name)s is nested too deeply to be read; save it again as a plain .docx") % {"name": path.name},
                     prog=PROG)
    except MemoryError:
        return _fail(_("%(name)s is too large to be read here; split it and try again") % {"name": path.name},
                     prog=PROG)
    except Exception as exc:  # a defect in the reader must still not show a traceback
        return _fail(
            _("%(name)s could not be read because of an internal error (%(error)s); please report it with the file")
            % {"name": path.name, "error": type(exc).__name__},
            code=1, prog=PROG,
        )
    if args.format == "json":
        out = json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    else:
        out = render_text(result)
    _write(out)
    return 0


_STATUS_NAMES = {
    "new": gettext_noop("new"), "amended": gettext_noop("amended"), "replaced": gettext_noop("replaced"),
    "abolished": gettext_noop("abolished"), "unchanged": gettext_noop("unchanged"),
}
_LEVEL_NAMES = {"central": gettext_noop("central"), "province": gettext_noop("province"),
                "commune": gettext_noop("commune")}


def render_text(result: dict) -> str:
    decision = result.get("decision") or {}
    width = max(80, min(160, shutil.get_terminal_size((120, 24)).columns))
    out: list[str] = []
    head = " ".join(x for x in (decision.get("number") or _("(no number)"), _dmy(decision.get("date"))) if x)
    out.append(head)
    if decision.get("title"):
        out.extend(textwrap.wrap(decision["title"], width))
    if decision.get("issuer"):
        out.append(decision["issuer"])
    for note in result.get("diagnostics") or []:
        out.extend(textwrap.wrap(f"! {note.get('message') or ''}", width, subsequent_indent="  "))
    procedures = result.get("procedures") or []
    out.append("")
    out.append(_("Procedures ({count})").format(count=len(procedures)))
    if not procedures:
        return "\n".join(out) + "\n"
    headers = ["#", _("Procedure"), _("Status"), _("Level"), _("Code"), _("Time limit"), _("Fee")]
    number_width = max(2, len(str(len(procedures))))
    free = width - number_width - 6 * 3
    shares = (0.42, 0.1, 0.09, 0.12, 0.15, 0.12)
    widths = [number_width] + [max(7, int(free * s)) for s in shares]
    lines = [*_row(headers, widths, wrap=True).split("\n"), "-+-".join("-" * w for w in widths)]
    field = object()
    for i, p in enumerate(procedures, start=1):
        if p.get("field") != field:
            field = p.get("field")
            if field:
                lines.append(f"[{field}]")
        limit = p.get("time_limit") or {}
        if limit.get("days") is not None:
            days = (_("{days} working days") if limit.get("working_days") else _("{days} days")).format(days=limit["days"])
        else:
            days = limit.get("text") or ""
        charge = p.get("fee") or {}
        fee_text = {True: _("free"), False: _("charged")}.get(charge.get("free"), charge.get("text") or "")
        lines.extend(_row([
            str(i), p.get("name") or "", _(_STATUS_NAMES.get(p.get("status"), p.get("status") or "")),
            _(_LEVEL_NAMES[p["level"]]) if p.get("level") in _LEVEL_NAMES else "",
            p.get("code") or "", days[:120], fee_text[:80],
        ], widths, wrap=True).split("\n"))
    out.extend(lines)
    return "\n".join(out) + "\n"
