"""What the reader says about what it read: `diagnostics` in the parsed plan.

Each diagnostic is ``{"code", "severity", "message"}``, the message in the user's language
(`cchc.documents.i18n`). The import review page shows them; nothing is refused silently.

- ``not_a_plan`` (warning): the document is of a type that is no plan (a decree, a circular, a
  notice …) and issues none; the user may go on anyway.
- ``no_tasks`` (warning): no task was found anywhere.
- ``empty_implementation`` (warning): a part headed "Tổ chức thực hiện" / "Trách nhiệm" gave no task.
- ``unsplit_agencies`` (info): a task's lead is a long phrase that could not be split into agencies.
- ``stage_failed`` (error): one stage of the reader failed on this document; the rest was read.
"""

from __future__ import annotations

from .i18n import _
from .lexicon import ISSUING_KINDS, KIND_NAMES, PLAN_KINDS

# The stages are named in Vietnamese only: the message around them is translated, the stage is a label.
_STAGES = {
    "read": "đọc văn bản", "identity": "thông tin văn bản", "outline": "bố cục", "zones": "các phần",
    "tasks": "nhiệm vụ", "tables": "bảng nhiệm vụ", "references": "văn bản dẫn chiếu",
    "reporting": "chế độ báo cáo", "funding": "kinh phí", "diagnostics": "kiểm tra",
}


def stage_failed(stage: str) -> dict:
    return {"code": "stage_failed", "severity": "error", "stage": stage,
            "message": _("Part of the document could not be read (%(stage)s); check that part by hand.")
            % {"stage": _STAGES.get(stage, stage)}}


def kind_name(code: str | None) -> str | None:
    return KIND_NAMES.get(code or "")


def diagnose(result: dict, root) -> None:
    """Append the reader's findings about `result` to ``result["diagnostics"]``."""
    out = result["diagnostics"]
    d = result["document"]
    kind = d.get("kind") or ""
    issues_plan = bool(d.get("plan_title")) and kind in ISSUING_KINDS
    if kind and kind not in PLAN_KINDS and not issues_plan:
        name = kind_name(kind) or kind
        out.append({"code": "not_a_plan", "severity": "warning", "kind": kind,
                    "message": _("This document is a %(kind)s, not a plan. Check that it is the document "
                                 "you meant to import, or go on to import its assignments anyway.")
                    % {"kind": name}})
    tasks = result.get("tasks") or []
    if not tasks:
        out.append({"code": "no_tasks", "severity": "warning",
                    "message": _("No task was found in this document: no task table, no agency over its "
                                 "duties and no assignment sentence. Add the tasks by hand after importing, "
                                 "or check that the file is the full plan.")})
    if root is not None:
        for node in root.walk():
            if node.zone != "implementation" or node.kind is None or \
                    (node.parent is not None and node.parent.zone == "implementation"):
                continue
            path = node.path()
            if path and not any((t.get("section") or "").startswith(path) for t in tasks):
                out.append({"code": "empty_implementation", "severity": "warning", "section": path,
                            "message": _("Part %(part)s (“%(heading)s”) assigns work, but no task "
                                         "was read from it; check its tasks by hand.")
                            % {"part": path, "heading": node.text[:80]}})
    for t in tasks:
        for lead in t.get("lead") or []:
            if len(lead) > 160:
                out.append({"code": "unsplit_agencies", "severity": "info",
                            "message": _("The agencies of task “%(task)s” could not be told apart; "
                                         "choose them by hand.") % {"task": t["title"][:80]}})
                break
