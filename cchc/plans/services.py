"""Every write to plans goes through these functions: keyword-only, atomic, validated, audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.core import audit, bounds, uploads
from cchc.core.text import fold, nfc
from cchc.org.models import Unit

from . import agencies, review
from .models import Assignment, Plan, PlanImport, PlanVersion, Section, Target, Task, TaskEvidence, TaskNote
from .permissions import acting_unit


_SNAP_EXCLUDE = ("created_at", "updated_at", "raw", "parsed", "search_text", "source_file", "file")


def _snap(obj) -> dict:
    """The audited values of `obj`: the big parsed JSON and derived text are left out, files by name."""
    data = audit.snapshot(obj, exclude=_SNAP_EXCLUDE)
    for name in ("source_file", "file"):
        field = getattr(obj, name, None)
        if field is not None and hasattr(field, "name"):
            data[name] = field.name or None
    return data


def _record(*, action: str, obj=None, after: dict | None = None, **kwargs):
    if obj is not None and after is None and action != "delete":
        after = _snap(obj)
    return audit.record(action=action, obj=obj, after=after, **kwargs)


class PlanError(Exception):
    """A change that cannot be made; the message says why and what to do instead."""


class PlanLocked(PlanError):
    pass


class UploadRefused(PlanError):
    pass


class ConflictError(PlanError):
    """Someone else saved the task since it was opened. `current` is the task as saved now."""

    def __init__(self, message: str, *, current: Task, changes: list[tuple[str, object, object]]):
        super().__init__(message)
        self.current = current
        self.changes = changes


# ---------------------------------------------------------------- uploads

DOCUMENT_TYPES = {".docx", ".pdf", ".txt", ".md"}
EVIDENCE_TYPES = uploads.EVIDENCE_TYPES


def check_upload(upload, *, allowed: set[str] = DOCUMENT_TYPES) -> str:
    """`cchc.core.uploads.check_upload` with the plans app's error type (defaults to plan documents)."""
    try:
        return uploads.check_upload(upload, allowed=allowed)
    except uploads.UploadRefused as exc:
        raise UploadRefused(str(exc)) from exc


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------- parsed documents → rows

def _date(value) -> dt.date | None:
    if not value:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _s(value, limit: int | None = None) -> str:
    text = nfc(str(value)).strip() if value else ""
    return text[:limit] if limit else text


def _section_key(number: str | None) -> str:
    return (number or "").strip().rstrip(".)").strip()


def _plan_identity(parsed: dict) -> dict:
    doc = parsed.get("document") or {}
    signer = doc.get("signer") or {}
    year = doc.get("plan_year") or doc.get("year")
    return {
        "kind": _s(doc.get("kind"), 20) or "KH",
        "number": _s(doc.get("number"), 64),
        "symbol": _s(doc.get("symbol"), 64),
        # A decision that issues a plan (QĐ) is imported as the plan it issues: its own title.
        "title": _s(doc.get("plan_title") or doc.get("title"), 500) or _("Untitled plan"),
        "plan_year": int(year) if year else None,
        "date": _date(doc.get("date")),
        "place": _s(doc.get("place"), 100),
        "issuer": _s(doc.get("issuer"), 300),
        "signer_name": _s(signer.get("name"), 150),
        "signer_position": _s(signer.get("position"), 150),
        "signer_authority": _s(signer.get("authority"), 150),
        "recipients": [_s(r) for r in doc.get("recipients") or [] if r],
        "references": parsed.get("references") or [],
        "funding": [_s(f) for f in parsed.get("funding") or [] if f],
        "reporting": parsed.get("reporting") or {},
    }


def _plan_search_text(plan: Plan) -> str:
    return fold(" ".join([plan.number, plan.title, plan.issuer, plan.owner.name if plan.owner_id else ""]))


def _task_search_text(task: Task, names: list[str]) -> str:
    return fold(" ".join([task.title, task.text, task.timeframe_text, " ".join(task.forms or []), *names]))


def _targets_from(items, task: Task) -> list[Target]:
    out = []
    for i, t in enumerate(items or []):
        try:
            qty = Decimal(str(t.get("quantity")))
        except (InvalidOperation, TypeError):
            continue
        if bounds.TARGET_QUANTITY.problem(qty) is not None:
            continue  # no count a target can have (a misread number): kept out of the database, like a non-number
        out.append(Target(
            task=task, quantity=qty, unit=_s(t.get("unit"), 100) or "?", per=t.get("per") or "",
            at_least=bool(t.get("at_least")), text=_s(t.get("text"), 300), order=i, soft=bool(t.get("soft")),
            languages=[_s(name, 50) for name in t.get("languages") or [] if name],
        ))
    return out


def _build_sections(plan: Plan, parsed_sections: list[dict]) -> dict[str, Section]:
    """Create the heading tree; returns sections by number path ("II.3.a") and by top heading."""
    by_path: dict[str, Section] = {}
    counter = [0]

    def walk(items, parent, prefix, depth):
        for item in items or []:
            counter[0] += 1
            key = _section_key(item.get("number"))
            path = f"{prefix}.{key}" if prefix and key else (key or prefix)
            section = Section.objects.create(
                plan=plan, parent=parent, number=_s(item.get("number"), 20), heading=_s(item.get("heading"), 500) or "—",
                text=_s(item.get("text")), order=counter[0], path=path[:100], depth=depth,
            )
            by_path.setdefault(path, section)
            by_path.setdefault(fold(section.heading), section)
            walk(item.get("children"), section, path, depth + 1)

    walk(parsed_sections, None, "", 0)
    return by_path


def _section_for(path: str | None, sections: dict[str, Section], plan: Plan) -> Section | None:
    if not path:
        return None
    parts = [p.strip() for p in path.replace("/", ".").split(".") if p.strip()]
    # The longest known prefix: "II.3.a.-" falls back to "II.3.a".
    for n in range(len(parts), 0, -1):
        key = ".".join(parts[:n])
        if key in sections:
            return sections[key]
        if n == 1 and fold(parts[0]) in sections:
            return sections[fold(parts[0])]
    # An appendix ("Phụ lục/4") that the heading tree does not hold gets a section of its own.
    head = parts[0]
    section = Section.objects.create(plan=plan, number="", heading=head[:500], order=10_000 + len(sections), path=head[:100])
    sections[head] = section
    sections[fold(head)] = section
    return section


def _assignments_from(task: Task, task_res: dict, units: dict[int, Unit]) -> tuple[list[Assignment], list[str]]:
    rows, names, seen = [], [], set()
    for role in (Assignment.Role.LEAD, Assignment.Role.SUPPORT):
        for item in task_res.get(role) or []:
            phrase = _s(item.get("text"), 300)
            names.append(phrase)
            ids = [i for i in item.get("unit_ids") or [] if i in units]
            if not ids:
                rows.append(Assignment(task=task, unit=None, role=role, phrase=phrase, confidence=0.0))
                continue
            group = bool(item.get("is_group")) or len(ids) > 1
            for unit_id in ids:
                if (unit_id, role) in seen:
                    continue
                seen.add((unit_id, role))
                names.append(units[unit_id].name)
                rows.append(Assignment(
                    task=task, unit=units[unit_id], role=role, phrase=phrase, is_group=group,
                    confidence=float(item.get("confidence") or 0.0),
                ))
    return rows, names


def _write_tasks(plan: Plan, parsed_tasks: list[dict], resolutions: dict, sections: dict[str, Section],
                 *, start_order: int = 0) -> list[Task]:
    res_tasks = (resolutions or {}).get("tasks") or []
    unit_ids = {i for r in res_tasks for role in ("lead", "support") for item in r.get(role) or []
                for i in item.get("unit_ids") or []}
    units = Unit.objects.in_bulk(unit_ids)
    tasks, targets, assignments = [], [], []
    for i, item in enumerate(parsed_tasks or []):
        tf = item.get("timeframe") or {}
        start, end = _date(tf.get("start")), _date(tf.get("end"))
        if start and end and start > end:
            start, end = end, start
        task = Task(
            plan=plan, section=_section_for(item.get("section"), sections, plan), order=start_order + i + 1,
            title=_s(item.get("title")) or _("(untitled task)"), text=_s(item.get("text")),
            forms=[_s(f) for f in item.get("forms") or [] if f], funding=_s(item.get("funding"), 500),
            timeframe_text=_s(tf.get("text"), 300), start=start, end=end, recurrence=tf.get("recurrence") or "",
            source_section=_s(item.get("section"), 100),
        )
        rows, names = _assignments_from(task, res_tasks[i] if i < len(res_tasks) else {}, units)
        task.search_text = _task_search_text(task, names)
        tasks.append(task)
        assignments.extend(rows)
        targets.extend(_targets_from(item.get("targets"), task))
    Task.objects.bulk_create(tasks)
    # bulk_create set the primary keys on the task objects that the rows point to.
    for row in assignments + targets:
        row.task_id = row.task.pk
    Assignment.objects.bulk_create(assignments)
    Target.objects.bulk_create(targets)
    return tasks


def _find_parent_plan(references: list[dict], owner: Unit) -> Plan | None:
    numbers = [r.get("number") for r in references or [] if r.get("role") == "implements" and r.get("number")]
    if not numbers:
        return None
    return Plan.objects.filter(number__in=numbers).order_by("-issued_at", "-id").first()


@transaction.atomic
def plan_import(*, user, owner: Unit, parsed: dict, resolutions: dict | None = None, source_name: str = "",
                source_bytes: bytes | None = None, sha256: str = "") -> Plan:
    """Save a parsed document as a draft plan of `owner` with its sections, tasks, targets, timeframes
    and assignments, in one transaction, keeping the original file."""
    if resolutions is None:
        resolutions = agencies.resolve_document(parsed, context=owner)
    identity = _plan_identity(parsed)
    plan = Plan(owner=owner, created_by=user, raw=parsed, source_name=source_name[:255], **identity)
    plan.parent = _find_parent_plan(identity["references"], owner)
    if source_bytes is not None:
        plan.source_sha256 = sha256 or _sha256(source_bytes)
    plan.search_text = _plan_search_text(plan)
    _validate(plan)
    plan.save()
    if source_bytes is not None:
        plan.source_file.save(Path(source_name or "plan.txt").name, ContentFile(source_bytes), save=True)
    sections = _build_sections(plan, parsed.get("sections") or [])
    tasks = _write_tasks(plan, parsed.get("tasks") or [], resolutions, sections)
    unresolved = sum(1 for t in (resolutions or {}).get("tasks") or [] for r in ("lead", "support")
                     for item in t.get(r) or [] if not item.get("unit_ids"))
    _record(actor=user, action="create", obj=plan,
                 message=f"import: {len(tasks)} tasks, {unresolved} unresolved agency phrases")
    return plan


def _validate(obj) -> None:
    try:
        obj.full_clean(validate_unique=True)
    except ValidationError as exc:
        messages = "; ".join(
            f"{obj._meta.get_field(k).verbose_name if k != '__all__' else ''}: {' '.join(v)}".strip(": ")
            for k, v in exc.message_dict.items()
        )
        raise PlanError(messages) from exc


# ---------------------------------------------------------------- import with review

def parse_upload(*, upload=None, text: str | None = None) -> tuple[dict, bytes, str]:
    """Parse an uploaded file (already checked) or pasted text. Returns (parsed, bytes, name)."""
    # Both are read in the sandbox process (`uploads.read_untrusted`): within CPU, memory and time
    # limits, so that one hostile file costs seconds of one core and the site keeps answering.
    if upload is None:
        text = nfc(text or "").strip()
        if not text:
            raise UploadRefused(_("Paste the text of the plan, or choose a file."))
        data = text.encode("utf-8")
        try:
            return uploads.read_untrusted("text", data, name="pasted.txt"), data, "pasted.txt"
        except uploads.UploadRefused as exc:
            raise UploadRefused(str(exc)) from exc
    check_upload(upload)
    data = upload.read()
    name = Path(upload.name).name
    try:
        # Read under the user's own file name, so that a message names their file.
        parsed = uploads.read_untrusted("document", data, name=name)
    except uploads.UploadRefused as exc:
        raise UploadRefused(_("“%(name)s” could not be read: %(why)s") % {"name": name, "why": exc}) from exc
    return parsed, data, Path(upload.name).name


@transaction.atomic
def plan_import_prepare(*, user, owner: Unit, upload=None, text: str | None = None) -> PlanImport:
    """Parse and resolve a document into a draft waiting for review. Nothing is kept if parsing fails."""
    parsed, data, name = parse_upload(upload=upload, text=text)
    if not parsed.get("tasks") and not parsed.get("sections"):
        said = " ".join(str(d["message"]) for d in parsed.get("diagnostics") or []
                        if isinstance(d, dict) and d.get("message") and d.get("code") != "no_tasks")
        raise UploadRefused(
            (_("No sections or tasks were found in “%(name)s”. Check that it is a plan and that its text can be selected.")
             % {"name": name} + (" " + said if said else ""))
        )
    draft = PlanImport(owner=owner, created_by=user, parsed=parsed, source_name=name, source_sha256=_sha256(data),
                       resolutions=agencies.resolve_document(parsed, context=owner))
    draft.source_file.save(name, ContentFile(data), save=False)
    draft.save()
    _record(actor=user, action="create", obj=draft, after={"source_name": name, "tasks": len(parsed.get("tasks") or [])})
    return draft


@transaction.atomic
def plan_import_fix(*, draft: PlanImport, user, choices: dict[str, str]) -> PlanImport:
    """Apply the reviewer's unit choices. Keys are "<task>-<role>-<phrase>", values a unit id,
    "group:<kind>" for a whole group of the owner's units (`cchc.org.resolve.standard_groups`:
    communes, departments ...), "" for none, or "keep" to leave the resolver's answer."""
    res = draft.resolutions
    changed = {}
    groups = None
    for key, value in choices.items():
        try:
            t, role, k = key.split("-")
            item = res["tasks"][int(t)][role][int(k)]
        except (ValueError, KeyError, IndexError):
            continue
        if value == "keep":
            continue
        chosen_groups = []
        if str(value).startswith("group:"):
            if groups is None:
                from cchc.org.resolve import standard_groups

                groups = {g.kind: [u.pk for u in g.units] for g in standard_groups(draft.owner)}
            kind = str(value)[len("group:"):]
            if kind not in groups:
                continue
            new_ids = groups[kind]
            chosen_groups = [{"kind": kind, "unit_ids": new_ids}]
        else:
            new_ids = [int(value)] if value and str(value).isdigit() else []
        if new_ids != item.get("unit_ids"):
            item.update(unit_ids=new_ids, confidence=1.0 if new_ids else 0.0, resolved=bool(new_ids),
                        is_group=bool(chosen_groups), fixed=True)
            item.pop("named_ids", None)
            item.pop("groups", None)
            if chosen_groups:
                item["groups"] = chosen_groups
            changed[key] = str(value) if chosen_groups else new_ids
    if changed:
        draft.resolutions = res
        draft.save(update_fields=["resolutions", "updated_at"])
        _record(actor=user, action="update", obj=draft, after={"fixed": changed}, message="agency phrases fixed")
    return draft


def _draft_bytes(draft: PlanImport) -> bytes | None:
    if not draft.source_file:
        return None
    with draft.source_file.open("rb") as fh:
        return fh.read()


@transaction.atomic
def plan_import_confirm(*, draft: PlanImport, user, update_plan: Plan | None = None,
                        not_a_plan_accepted: bool = False) -> Plan:
    """Save the reviewed draft as a plan, or apply it to `update_plan` (same number and issuer).

    A document the reader found to be no plan (a decree, a circular …) is saved only when the user
    said to go on anyway (`not_a_plan_accepted`); otherwise the draft stays as it is."""
    draft = PlanImport.objects.select_for_update().get(pk=draft.pk)
    if draft.status != PlanImport.Status.PENDING:
        raise PlanError(_("This import was already confirmed or discarded."))
    finding = review.not_a_plan(draft.parsed)
    if finding is not None and not not_a_plan_accepted:
        raise PlanError(_("%(finding)s Nothing was saved: tick “Import it anyway” to save it as a plan.")
                        % {"finding": str(finding.get("message") or _("This document is not a plan."))})
    data = _draft_bytes(draft)
    if update_plan is not None:
        plan_update_from_document(plan=update_plan, user=user, parsed=draft.parsed, resolutions=draft.resolutions,
                                  source_name=draft.source_name, source_bytes=data)
        plan = update_plan
    else:
        plan = plan_import(user=user, owner=draft.owner, parsed=draft.parsed, resolutions=draft.resolutions,
                           source_name=draft.source_name, source_bytes=data, sha256=draft.source_sha256)
    draft.status = PlanImport.Status.CONFIRMED
    draft.plan = plan
    draft.save(update_fields=["status", "plan", "updated_at"])
    if draft.source_file:
        # The plan keeps its own copy of the original; the draft's copy is no longer needed.
        draft.source_file.delete(save=True)
    return plan


@transaction.atomic
def plan_import_discard(*, draft: PlanImport, user) -> None:
    if draft.status == PlanImport.Status.PENDING:
        if draft.source_file:
            draft.source_file.delete(save=False)
        draft.status = PlanImport.Status.DISCARDED
        draft.save(update_fields=["status", "source_file", "updated_at"])
        _record(actor=user, action="update", obj=draft, message="import discarded")


TARGET_FIELDS = ["quantity", "unit", "per", "at_least", "text", "order", "soft", "languages"]
TASK_DOCUMENT_FIELDS = ["order", "section", "text", "forms", "funding", "timeframe_text", "start", "end", "recurrence",
                        "version", "search_text", "updated_at"]


def _targets_by_thing(targets) -> dict[str, list[Target]]:
    by_thing: dict[str, list[Target]] = {}
    for target in targets:
        by_thing.setdefault(fold(target.unit), []).append(target)
    return by_thing


@transaction.atomic
def plan_update_from_document(*, plan: Plan, user, parsed: dict, resolutions: dict | None = None,
                              source_name: str = "", source_bytes: bytes | None = None) -> dict:
    """Bring a plan up to date with a new edition of its document. Tasks are matched by their words:
    a matched task keeps its tracking (status, progress, notes, evidence, child copies); new ones
    are added; tasks the document no longer has are removed unless work was recorded on them.
    An issued plan first gets a new version (its previous content is kept). Returns the diff."""
    from .selectors import plan_document_diff

    if plan.status == Plan.Status.CLOSED:
        raise PlanLocked(_("The plan is closed and cannot be changed."))
    if resolutions is None:
        resolutions = agencies.resolve_document(parsed, context=plan.owner)
    diff = plan_document_diff(plan, parsed, resolutions)
    before = _snap(plan)
    if plan.status == Plan.Status.ISSUED:
        _snapshot_version(plan, user, note=_("updated from document %(name)s") % {"name": source_name})
        plan.version += 1
    for field, value in _plan_identity(parsed).items():
        setattr(plan, field, value)
    plan.raw = parsed
    if source_bytes is not None:
        plan.source_sha256 = _sha256(source_bytes)
        plan.source_name = source_name[:255]
        plan.source_file.save(Path(source_name or "plan.txt").name, ContentFile(source_bytes), save=False)
    plan.search_text = _plan_search_text(plan)
    plan.save()

    # In bulk, whatever the number of tasks: a fixed number of queries (issue 9, point 15).
    existing = {fold(t.title): t for t in plan.tasks.prefetch_related("targets")}
    res_tasks = resolutions.get("tasks") or []
    plan.sections.all().delete()
    sections = _build_sections(plan, parsed.get("sections") or [])
    new_items, new_res, kept, matched = [], [], {}, []
    for i, item in enumerate(parsed.get("tasks") or []):
        key = fold(_s(item.get("title")))
        task = existing.get(key)
        res = res_tasks[i] if i < len(res_tasks) else {}
        if task is None or task.pk in kept:
            new_items.append(item)
            new_res.append(res)
            continue
        kept[task.pk] = task
        tf = item.get("timeframe") or {}
        task.order = i + 1
        task.section = _section_for(item.get("section"), sections, plan)
        task.text = _s(item.get("text"))
        task.forms = [_s(f) for f in item.get("forms") or [] if f]
        task.funding = _s(item.get("funding"), 500)
        task.timeframe_text = _s(tf.get("text"), 300)
        task.start, task.end = _date(tf.get("start")), _date(tf.get("end"))
        task.recurrence = tf.get("recurrence") or ""
        task.version += 1
        matched.append((task, item, res))
    units = Unit.objects.in_bulk({u for _t, _i, res in matched for r in ("lead", "support")
                                  for it in res.get(r) or [] for u in it.get("unit_ids") or []})
    target_rows, target_updates, target_drops, assignments = [], [], [], []
    now = timezone.now()
    for task, item, res in matched:
        new_targets, old_targets = _targets_from(item.get("targets"), task), _targets_by_thing(task.targets.all())
        for target in new_targets:
            # a target keeps its row (and the outputs recorded against it) while it counts the same thing
            same = old_targets.get(fold(target.unit))
            if same:
                old = same.pop(0)
                for field in TARGET_FIELDS:
                    setattr(old, field, getattr(target, field))
                target_updates.append(old)
            else:
                target_rows.append(target)
        target_drops.extend(t.pk for rest in old_targets.values() for t in rest)
        rows, names = _assignments_from(task, res, units)
        assignments.extend(rows)
        task.search_text = _task_search_text(task, names)
        task.updated_at = now
    Target.objects.filter(pk__in=target_drops).delete()
    Target.objects.bulk_update(target_updates, TARGET_FIELDS)
    Target.objects.bulk_create(target_rows)
    Assignment.objects.filter(task_id__in=list(kept)).delete()
    Assignment.objects.bulk_create(assignments)
    Task.objects.bulk_update(list(kept.values()), TASK_DOCUMENT_FIELDS)
    # tasks the document no longer has go, unless work was recorded on them
    gone = [t.pk for t in existing.values() if t.pk not in kept and t.status == Task.Status.NOT_STARTED]
    worked = set(TaskEvidence.objects.filter(task_id__in=gone).values_list("task_id", flat=True))
    worked |= set(Task.objects.filter(parent_task_id__in=gone).values_list("parent_task_id", flat=True))
    Task.objects.filter(pk__in=[pk for pk in gone if pk not in worked]).delete()
    start = plan.tasks.aggregate(m=Max("order"))["m"] or 0
    _write_tasks(plan, new_items, {"tasks": new_res}, sections, start_order=start)
    _record(actor=user, action="update", obj=plan, before=before, message="updated from document")
    return diff


# ---------------------------------------------------------------- authoring and lifecycle

PLAN_FIELDS = {"kind", "number", "symbol", "title", "plan_year", "date", "place", "issuer", "signer_name",
               "signer_position", "signer_authority", "recipients", "funding", "reporting", "parent"}


def _require_draft(plan: Plan) -> None:
    if plan.status == Plan.Status.CLOSED:
        raise PlanLocked(_("The plan is closed and cannot be changed."))
    if plan.status == Plan.Status.ISSUED:
        raise PlanLocked(_("The plan is issued and locked. Make a new version to change it."))


@transaction.atomic
def plan_create(*, user, owner: Unit, title: str, **fields) -> Plan:
    unknown = set(fields) - PLAN_FIELDS
    if unknown:
        raise TypeError(f"unknown plan fields: {sorted(unknown)}")
    plan = Plan(owner=owner, title=nfc(title).strip(), created_by=user, **fields)
    for name in ("number", "symbol", "place", "issuer", "signer_name", "signer_position", "signer_authority"):
        setattr(plan, name, nfc(getattr(plan, name) or "").strip())
    if not plan.issuer:
        plan.issuer = owner.name
    plan.search_text = _plan_search_text(plan)
    _validate(plan)
    plan.save()
    _record(actor=user, action="create", obj=plan)
    return plan


@transaction.atomic
def plan_update(*, plan: Plan, user, **fields) -> Plan:
    _require_draft(plan)
    unknown = set(fields) - PLAN_FIELDS
    if unknown:
        raise TypeError(f"unknown plan fields: {sorted(unknown)}")
    before = _snap(plan)
    for name, value in fields.items():
        setattr(plan, name, nfc(value).strip() if isinstance(value, str) else value)
    plan.search_text = _plan_search_text(plan)
    _validate(plan)
    plan.save()
    _record(actor=user, action="update", obj=plan, before=before)
    return plan


@transaction.atomic
def plan_delete(*, plan: Plan, user) -> None:
    if plan.was_issued or plan.status != Plan.Status.DRAFT:
        raise PlanLocked(_("An issued plan cannot be deleted; close it instead."))
    before = _snap(plan)
    _record(actor=user, action="delete", obj=plan, before=before)
    plan.delete()


@transaction.atomic
def plan_issue(*, plan: Plan, user, number: str | None = None, date: dt.date | None = None) -> Plan:
    """Issue a draft. `number` and `date` fill the plan's number and date of issue when they are blank
    (an issued document always has both; the confirmation page asks for them). What other modules do
    on issue (`registry.plan_issue_steps`: the reporting periods) happens in the same transaction."""
    from cchc.core import registry

    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Plan.Status.DRAFT:
        raise PlanError(_("Only a draft can be issued."))
    if not plan.tasks.exists():
        raise PlanError(_("The plan has no tasks yet. Add at least one task before issuing it."))
    before = _snap(plan)
    fields = ["status", "issued_at", "updated_at"]
    number = nfc(number or "").strip()
    if number and not plan.number:
        plan.number = number
        fields.append("number")
    if date and not plan.date:
        plan.date = date
        fields.append("date")
    plan.status = Plan.Status.ISSUED
    plan.issued_at = plan.issued_at or timezone.now()
    if "number" in fields:
        if Plan.objects.filter(owner_id=plan.owner_id, number=plan.number).exclude(pk=plan.pk).exists():
            raise PlanError(_("Your unit already has a plan numbered %(number)s.") % {"number": plan.number})
        plan.search_text = _plan_search_text(plan)
        fields.append("search_text")
    _validate(plan)
    plan.save(update_fields=fields)
    for step in registry.plan_issue_steps:
        step.run(plan=plan, user=user)
    _record(actor=user, action="update", obj=plan, before=before, message=f"issued version {plan.version}")
    return plan


@transaction.atomic
def plan_set_report_submitter(*, plan: Plan, user, report_submitter: str) -> Plan:
    """Who sends the units' reports for this plan to the supervisor: the unit's manager (after the
    officers draft) or the officers themselves. A setting of the running plan, so it may change after
    issue; every change is audited."""
    if report_submitter not in Plan.ReportSubmitter.values:
        raise PlanError(_("Choose who submits the reports."))
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.report_submitter == report_submitter:
        return plan
    before = _snap(plan)
    plan.report_submitter = report_submitter
    plan.save(update_fields=["report_submitter", "updated_at"])
    _record(actor=user, action="update", obj=plan, before=before, message=f"report submitter: {report_submitter}")
    return plan


@transaction.atomic
def plan_close(*, plan: Plan, user) -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Plan.Status.ISSUED:
        raise PlanError(_("Only an issued plan can be closed."))
    before = _snap(plan)
    plan.status = Plan.Status.CLOSED
    plan.closed_at = timezone.now()
    plan.save(update_fields=["status", "closed_at", "updated_at"])
    _record(actor=user, action="update", obj=plan, before=before, message="closed")
    return plan


def plan_snapshot(plan: Plan) -> dict:
    """The plan's content as JSON (identity, sections, tasks with targets and assignments)."""
    from .selectors import plan_to_document

    doc = plan_to_document(plan)
    doc["version"] = plan.version
    doc["status"] = plan.status
    return doc


def _snapshot_version(plan: Plan, user, note: str = "") -> PlanVersion:
    version = PlanVersion(plan=plan, version=plan.version, snapshot=plan_snapshot(plan), note=note[:500], created_by=user)
    version.save()
    _record(actor=user, action="create", obj=version, after={"plan": plan.pk, "version": plan.version})
    return version


@transaction.atomic
def plan_new_version(*, plan: Plan, user, note: str = "") -> Plan:
    """Reopen an issued plan for change: its content is kept as a version and the next version is a
    draft (still seen by the units it assigns tasks to) until it is issued again."""
    plan = Plan.objects.select_for_update().select_related("owner").get(pk=plan.pk)
    if plan.status != Plan.Status.ISSUED:
        raise PlanError(_("Only an issued plan gets a new version; a draft can be changed directly."))
    before = _snap(plan)
    _snapshot_version(plan, user, note=note)
    plan.version += 1
    plan.status = Plan.Status.DRAFT
    plan.save(update_fields=["version", "status", "updated_at"])
    _record(actor=user, action="update", obj=plan, before=before, message=f"new version {plan.version}")
    return plan


# ---------------------------------------------------------------- sections

@transaction.atomic
def section_create(*, plan: Plan, user, heading: str, number: str = "", text: str = "",
                   parent: Section | None = None) -> Section:
    _require_draft(plan)
    order = (plan.sections.aggregate(m=Max("order"))["m"] or 0) + 1
    key = _section_key(number)
    path = f"{parent.path}.{key}" if parent and key else (key or (parent.path if parent else ""))
    section = Section(plan=plan, parent=parent, number=nfc(number).strip(), heading=nfc(heading).strip(),
                      text=nfc(text).strip(), order=order, path=path[:100], depth=(parent.depth + 1) if parent else 0)
    _validate(section)
    section.save()
    _record(actor=user, action="create", obj=section)
    return section


@transaction.atomic
def section_update(*, section: Section, user, **fields) -> Section:
    _require_draft(section.plan)
    before = _snap(section)
    for name in ("heading", "number", "text"):
        if name in fields:
            setattr(section, name, nfc(fields[name] or "").strip())
    _validate(section)
    section.save()
    _record(actor=user, action="update", obj=section, before=before)
    return section


@transaction.atomic
def section_delete(*, section: Section, user) -> None:
    _require_draft(section.plan)
    _record(actor=user, action="delete", obj=section, before=_snap(section))
    section.delete()


# ---------------------------------------------------------------- tasks

TASK_CONTENT_FIELDS = ("title", "text", "forms", "funding", "timeframe_text", "start", "end", "recurrence", "section")
TASK_TRACK_FIELDS = ("status", "progress")


def _dates_from_timeframe(plan: Plan, timeframe_text: str, start, end, recurrence) -> dict:
    """Dates read from a hand-typed timeframe ("Quý II/2026") when the user gave none, so the task can
    fall overdue and appears in the timeline and quarter views like an imported one."""
    if start or end or not (timeframe_text or "").strip():
        return {}
    from cchc.documents.timeframes import parse_timeframe

    year = plan.plan_year or timezone.localdate().year
    parsed = parse_timeframe(timeframe_text, year) or {}
    out = {}
    for name in ("start", "end"):
        if parsed.get(name):
            out[name] = dt.date.fromisoformat(parsed[name])
    if not recurrence and parsed.get("recurrence") in Task.Recurrence.values:
        out["recurrence"] = parsed["recurrence"]
    return out


def _set_targets(task: Task, targets) -> None:
    task.targets.all().delete()
    Target.objects.bulk_create(_targets_from(targets, task))


def _refresh_task_search(task: Task) -> None:
    names = [a.phrase or "" for a in task.assignments.select_related("unit")] + [
        a.unit.name for a in task.assignments.select_related("unit") if a.unit_id
    ]
    Task.objects.filter(pk=task.pk).update(search_text=_task_search_text(task, names))


def _set_units(task: Task, role: str, units) -> None:
    task.assignments.filter(role=role).delete()
    Assignment.objects.bulk_create(
        [Assignment(task=task, unit=u, role=role, phrase=u.name, confidence=1.0) for u in units]
    )


@transaction.atomic
def task_create(*, plan: Plan, user, title: str, lead_units=(), support_units=(), targets=(), **fields) -> Task:
    _require_draft(plan)
    unknown = set(fields) - set(TASK_CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown task fields: {sorted(unknown)}")
    order = (plan.tasks.aggregate(m=Max("order"))["m"] or 0) + 1
    task = Task(plan=plan, order=order, title=nfc(title).strip(), updated_by=user, **fields)
    for name in ("text", "funding", "timeframe_text"):
        setattr(task, name, nfc(getattr(task, name) or "").strip())
    for name, value in _dates_from_timeframe(plan, task.timeframe_text, task.start, task.end, task.recurrence).items():
        setattr(task, name, value)
    _validate(task)
    task.save()
    _set_units(task, Assignment.Role.LEAD, lead_units)
    _set_units(task, Assignment.Role.SUPPORT, support_units)
    _set_targets(task, targets)
    _refresh_task_search(task)
    _record(actor=user, action="create", obj=task)
    return task


def _conflict(task_id: int, version: int, submitted: dict) -> ConflictError:
    current = Task.objects.select_related("updated_by").get(pk=task_id)
    changes = [(k, v, getattr(current, k if k != "section" else "section_id")) for k, v in submitted.items()
               if (v.pk if hasattr(v, "pk") else v) != getattr(current, k if k != "section" else "section_id")]
    who = str(current.updated_by) if current.updated_by else _("someone else")
    return ConflictError(
        _("%(who)s saved this task while you were editing it (%(when)s). Their version is shown below; "
          "check it, then make your change again.")
        % {"who": who, "when": timezone.localtime(current.updated_at).strftime("%H:%M %d/%m/%Y")},
        current=current, changes=changes,
    )


def _locked_save(task: Task, version: int, fields: dict, user) -> Task:
    """Write `fields` only if the task is still at `version` (optimistic locking)."""
    before = _snap(task)
    for name, value in fields.items():
        setattr(task, name, value)
    _validate(task)
    values = {("section_id" if k == "section" else k): (v.pk if k == "section" and v is not None else v)
              for k, v in fields.items()}
    updated = Task.objects.filter(pk=task.pk, version=version).update(
        version=F("version") + 1, updated_by=user, updated_at=timezone.now(), **values
    )
    if not updated:
        raise _conflict(task.pk, version, fields)
    task.refresh_from_db()
    _record(actor=user, action="update", obj=task, before=before)
    return task


@transaction.atomic
def task_update(*, task: Task, user, version: int, lead_units=None, support_units=None, targets=None, **fields) -> Task:
    """Change a task of a draft. `version` is the task's version when the form was opened: if someone
    saved it since, ConflictError carries their version and nothing is written."""
    _require_draft(task.plan)
    unknown = set(fields) - set(TASK_CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown task fields: {sorted(unknown)}")
    for name in ("title", "text", "funding", "timeframe_text"):
        if name in fields:
            fields[name] = nfc(fields[name] or "").strip()
    if "timeframe_text" in fields:
        fields.update(_dates_from_timeframe(
            task.plan, fields["timeframe_text"], fields.get("start", task.start), fields.get("end", task.end),
            fields.get("recurrence", task.recurrence),
        ))
    task = _locked_save(task, version, fields, user)
    if lead_units is not None:
        _set_units(task, Assignment.Role.LEAD, lead_units)
    if support_units is not None:
        _set_units(task, Assignment.Role.SUPPORT, support_units)
    if targets is not None:
        _set_targets(task, targets)
    _refresh_task_search(task)
    return task


@transaction.atomic
def task_delete(*, task: Task, user) -> None:
    _require_draft(task.plan)
    _record(actor=user, action="delete", obj=task, before=_snap(task))
    task.delete()


@transaction.atomic
def task_assign(*, task: Task, user, unit: Unit, role: str = Assignment.Role.LEAD, phrase: str = "") -> Assignment:
    _require_draft(task.plan)
    assignment, created = Assignment.objects.get_or_create(
        task=task, unit=unit, role=role, defaults={"phrase": nfc(phrase or unit.name), "confidence": 1.0}
    )
    if created:
        _record(actor=user, action="create", obj=assignment)
        _refresh_task_search(task)
    return assignment


@transaction.atomic
def task_unassign(*, assignment: Assignment, user) -> None:
    _require_draft(assignment.task.plan)
    _record(actor=user, action="delete", obj=assignment, before=_snap(assignment))
    assignment.delete()


@transaction.atomic
def task_set_status(*, task: Task, user, version: int, status: str | None = None, progress: int | None = None,
                    notes: str | None = None, unit: Unit | None = None) -> Task:
    """Track a task: status and progress (0–100), kept consistent with each other, and the notes of
    `unit`, by default the unit the user acts for (each unit keeps its own, see `TaskNote`)."""
    if task.plan.status == Plan.Status.CLOSED:
        raise PlanLocked(_("The plan is closed: its tasks can no longer be updated."))
    new_status = status or task.status
    new_progress = task.progress if progress is None else int(progress)
    if not 0 <= new_progress <= 100:
        raise PlanError(_("Progress is a percentage between 0 and 100."))
    if status == Task.Status.DONE:
        new_progress = 100
    elif progress is not None and new_progress == 100 and status is None:
        new_status = Task.Status.DONE
    elif new_status == Task.Status.NOT_STARTED and new_progress > 0:
        new_status = Task.Status.IN_PROGRESS
    task = _locked_save(task, version, {"status": new_status, "progress": new_progress}, user)
    if notes is not None:
        _set_note(task=task, unit=unit or acting_unit(user, task), user=user, text=nfc(notes).strip())
    return task


def _set_note(*, task: Task, unit: Unit | None, user, text: str) -> None:
    """The unit's note on the task: written, changed, or removed when emptied."""
    note = TaskNote.objects.filter(task=task, unit=unit).first() if unit is not None else None
    if note is None and text:
        if unit is None:
            raise PlanError(_("You are not an officer of a unit that carries out this task: the notes were not saved."))
        _record(actor=user, action="create", obj=TaskNote.objects.create(task=task, unit=unit, text=text, updated_by=user))
    elif note is not None and not text:
        _record(actor=user, action="delete", obj=note, before=_snap(note))
        note.delete()
    elif note is not None and note.text != text:
        before = _snap(note)
        note.text, note.updated_by = text, user
        note.save(update_fields=["text", "updated_by", "updated_at"])
        _record(actor=user, action="update", obj=note, before=before)


@transaction.atomic
def task_add_evidence(*, task: Task, user, file, unit: Unit | None = None, note: str = "") -> TaskEvidence:
    """Keep an evidence file for `unit`, by default the unit the uploader acts for (seen by it, the
    units above it and the plan's owner, not by its siblings)."""
    if task.plan.status == Plan.Status.CLOSED:
        raise PlanLocked(_("The plan is closed: its tasks can no longer be updated."))
    unit = unit or acting_unit(user, task)
    if unit is None:
        raise PlanError(_("You are not an officer of a unit that carries out this task: the file was not kept."))
    check_upload(file, allowed=EVIDENCE_TYPES)
    evidence = TaskEvidence(task=task, unit=unit, original_name=Path(file.name).name[:255],
                            note=nfc(note).strip()[:500], uploaded_by=user)
    evidence.file.save(Path(file.name).name, file if isinstance(file, File) else ContentFile(file.read()), save=False)
    evidence.save()
    _record(actor=user, action="create", obj=evidence)
    return evidence


# ---------------------------------------------------------------- cascade

_CCHC_WORDS = re.compile(r"cải cách hành chính", re.IGNORECASE)
_OWNER_TAIL = re.compile(r"\s+(?:của|cho)\s+(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân|Sở|Ban|Văn phòng)\b.*$", re.IGNORECASE)
# "… trên địa bàn tỉnh Hà Giang": the parent's territory, not the unit's (and perhaps a unit merged since)
_TERRITORY_TAIL = re.compile(r"\s+(?:trên|tại)\s+địa\s+bàn\b.*$", re.IGNORECASE)


def child_plan_title(plan: Plan, unit: Unit) -> str:
    """A title made for the unit from its parent's: "Kế hoạch tuyên truyền CCHC năm 2023 của Sở Nội vụ".
    The parent's own owner at the end ("… của UBND tỉnh") and territory ("… trên địa bàn tỉnh Hà Giang")
    give way to the unit."""
    title = nfc(plan.title or "").strip().rstrip(".")
    title = _TERRITORY_TAIL.sub("", _OWNER_TAIL.sub("", title))
    title = _CCHC_WORDS.sub("CCHC", title)
    kind = "Kế hoạch"
    if not fold(title).startswith(fold(kind)):
        title = f"{kind} {title[:1].lower()}{title[1:]}" if title else kind
    return f"{title} của {unit.name}"[:500]


def _names_unit(text: str, unit: Unit) -> bool:
    folded = fold(text or "").strip()
    return bool(folded) and folded in {fold(n).strip() for n in [unit.name, unit.short_name, *(unit.aliases or [])] if n}


_TERRITORIAL_NAME = re.compile(r"^(tỉnh|thành phố|xã|phường|thị trấn|đặc khu|huyện|quận|thị xã)\b", re.IGNORECASE)


def committee_name(unit: Unit) -> str:
    """The People's Committee that speaks for a province or a commune: 'Tỉnh Tuyên Quang' → 'Ủy ban
    nhân dân tỉnh Tuyên Quang'; any other unit by its own name."""
    if unit.kind not in Unit.TERRITORIAL_KINDS:
        return unit.name
    name = unit.name
    if _TERRITORIAL_NAME.match(name):
        name = name[:1].lower() + name[1:]
    return f"Ủy ban nhân dân {name}"


def child_report_recipient(plan: Plan, unit: Unit) -> str:
    """Who the unit sends its reports to: the parent plan's recipient ("Sở Nội vụ"), except for that
    recipient itself, which reports to the unit that owns the parent plan as it is today (UBND tỉnh)."""
    recipient = nfc(str((plan.reporting or {}).get("recipient") or "")).strip()
    if recipient and not _names_unit(recipient, unit):
        return recipient
    # the owner as it is today, never the issuer's words in the document (a 2022 decision of a
    # province that has merged since names a body that no longer exists)
    return committee_name(plan.owner.final_successor())


def child_plan_for(plan: Plan, unit: Unit) -> Plan | None:
    return Plan.objects.filter(parent=plan, owner=unit).first()


@transaction.atomic
def plan_derive_child(*, plan: Plan, unit: Unit, user, task_ids=None, title: str | None = None,
                      report_recipient: str | None = None) -> Plan:
    """The unit's own plan carrying out `plan`: the chosen tasks assigned to the unit (directly or as
    part of a group; all of them when `task_ids` is None) are copied with a link to the parent task,
    keeping the unit's role: a task it leads is its own (chủ trì), a task it supports stays "phối hợp".
    One child plan per (parent, unit), which the database enforces; running it again adds only tasks
    not yet copied."""
    if not plan.was_issued:
        raise PlanError(_("Only an issued plan can be carried out by child plans."))
    assigned = list(
        Task.objects.filter(plan=plan, assignments__unit=unit).distinct().prefetch_related("targets").order_by("order")
    )
    if not assigned:
        raise PlanError(_("%(unit)s has no task in this plan.") % {"unit": unit.name})
    if task_ids is not None:
        wanted = {int(i) for i in task_ids}
        assigned = [t for t in assigned if t.pk in wanted]
        if not assigned:
            raise PlanError(_("Choose at least one task to take into your plan."))
    leads = set(Assignment.objects.filter(task__in=assigned, unit=unit, role=Assignment.Role.LEAD)
                .values_list("task_id", flat=True))
    child = Plan.objects.select_for_update().filter(parent=plan, owner=unit).first()
    created = child is None
    if created:
        reporting = dict(plan.reporting or {})
        reporting["recipient"] = nfc(report_recipient or "").strip()[:300] or child_report_recipient(plan, unit)
        title = nfc(title or "").strip() or child_plan_title(plan, unit)
        try:
            with transaction.atomic():
                child = plan_create(
                    user=user, owner=unit, title=title[:500], kind="KH", plan_year=plan.plan_year, parent=plan,
                    issuer=unit.name, reporting=reporting, funding=plan.funding, recipients=[], number="",
                )
        except IntegrityError:  # another request made the unit's child plan a moment ago: add to that one
            child = Plan.objects.select_for_update().get(parent=plan, owner=unit)
            created = False
        else:
            child.references = [{"kind": "Kế hoạch", "number": plan.number or None,
                                 "date": plan.date.isoformat() if plan.date else None,
                                 "issuer": plan.issuer or None, "role": "implements"}]
            child.save(update_fields=["references"])
    done = set(child.tasks.exclude(parent_task=None).values_list("parent_task_id", flat=True))
    todo = [t for t in assigned if t.pk not in done]
    if todo and child.status != Plan.Status.DRAFT:
        raise PlanLocked(
            _("Your plan is issued; make a new version of it to take in the %(n)d new tasks.") % {"n": len(todo)}
        )
    order = child.tasks.aggregate(m=Max("order"))["m"] or 0
    copies, targets, rows = [], [], []
    for i, src in enumerate(todo, start=1):
        copy = Task(
            plan=child, order=order + i, title=src.title, text=src.text, forms=src.forms, funding=src.funding,
            timeframe_text=src.timeframe_text, start=src.start, end=src.end, recurrence=src.recurrence,
            source_section=src.source_section, parent_task=src, search_text=src.search_text, updated_by=user,
        )
        copies.append(copy)
        targets += [Target(task=copy, quantity=t.quantity, unit=t.unit, per=t.per, at_least=t.at_least, text=t.text,
                           order=t.order, soft=t.soft, languages=t.languages) for t in src.targets.all()]
        role = Assignment.Role.LEAD if src.pk in leads else Assignment.Role.SUPPORT
        rows.append(Assignment(task=copy, unit=unit, role=role, phrase=unit.name, confidence=1.0))
    Task.objects.bulk_create(copies)
    for row in targets + rows:
        row.task_id = row.task.pk
    Target.objects.bulk_create(targets)
    Assignment.objects.bulk_create(rows)
    _record(actor=user, action="update", obj=child,
            message=f"{'created from' if created else 'updated from'} plan {plan.pk}: {len(copies)} tasks copied")
    return child
