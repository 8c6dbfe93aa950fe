"""Plan pages. Views read the request, ask `permissions`, call `services` or `selectors`, render."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cchc.core import registry
from cchc.core.idempotency import idempotent
from cchc.core.pagecache import cached_page
from cchc.org.models import Unit
from cchc.org.permissions import access_unit

from . import permissions, review, selectors, services
from .agencies import LOW_CONFIDENCE
from .forms import EvidenceForm, ImportForm, PlanForm, SectionForm, TaskFilterForm, TaskForm, TrackForm
from .models import Assignment, Plan, PlanImport
from .targets import task_figures


def _error(request, exc: Exception) -> None:
    messages.error(request, str(exc))


def _unit_choices(plan_owner: Unit):
    """Units a task can be given to: the current units of the owner's province (of the communes' divisions,
    only those of the owner's own commune)."""
    province = plan_owner.province() or plan_owner
    units = Unit.objects.current().filter(path__startswith=province.path)
    return units.outside_communes(keeping=plan_owner).order_by("path")


# ---------------------------------------------------------------- lists

@login_required
def plan_list(request):
    q = request.GET.get("q", "")
    status = request.GET.get("status", "")
    plans = selectors.plan_list(request.user, q=q, status=status if status in Plan.Status.values else "")
    page = Paginator(plans, 50).get_page(request.GET.get("page"))
    return render(request, "plans/plan_list.html", {
        "page": page, "q": q, "status": status, "statuses": Plan.Status.choices,
        "can_create": bool(permissions.importable_units(request.user)),
    })


def _task_periods(user, plan):
    if plan is not None:
        years = [plan.plan_year or (plan.date.year if plan.date else dt.date.today().year)]
    else:
        years = permissions.visible_plans(user).exclude(plan_year=None).values_list("plan_year", flat=True).distinct()
        years = sorted(set(years), reverse=True)[:3] or [dt.date.today().year]
    return selectors.period_choices(years)


@login_required
def task_list(request, plan_id=None):
    plan = permissions.access_plan(request.user, plan_id) if plan_id else None
    units = _unit_choices(plan.owner) if plan else Unit.objects.filter(
        Q(pk__in=permissions.user_units(request.user)) | Q(plan_assignments__task__plan__in=permissions.visible_plans(request.user))
    ).distinct().order_by("path")
    data = request.GET
    if not data and not request.user.is_superuser:
        # A first visit opens on the user's own unit; "All" in the unit choice shows every task.
        own = units.filter(pk__in=permissions.user_units(request.user)).values_list("pk", flat=True).first()
        if own is not None:
            data = {"unit": str(own)}
    form = TaskFilterForm(data or None, units=units, periods=_task_periods(request.user, plan))
    filters = {}
    if form.is_valid():
        d = form.cleaned_data
        filters = {"unit": d.get("unit"), "status": d.get("status") or "", "role": d.get("role") or "",
                   "period": d.get("period") or "", "q": d.get("q") or "", "overdue": d.get("overdue") or False}
    tasks = selectors.task_list(request.user, plan=plan, **filters)
    page = Paginator(tasks, 50).get_page(request.GET.get("page"))
    today = dt.date.today()
    for t in page.object_list:
        t.overdue = t.is_overdue(today)
        assignments = list(t.assignments.all())
        t.lead_groups = selectors.group_assignments([a for a in assignments if a.role == Assignment.Role.LEAD])
        t.support_groups = selectors.group_assignments([a for a in assignments if a.role != Assignment.Role.LEAD])
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "plans/task_list.html", {"plan": plan, "form": form, "page": page, "query": query.urlencode()})


@login_required
def unit_quarter(request, code):
    unit = access_unit(request.user, code)
    day = dt.date.today()
    if request.GET.get("date"):
        try:
            day = dt.datetime.strptime(request.GET["date"], "%d/%m/%Y").date()
        except ValueError:
            messages.warning(request, _("Write the date as dd/mm/yyyy."))
    return render(request, "plans/unit_quarter.html", selectors.unit_quarter(request.user, unit, day=day))


# ---------------------------------------------------------------- plan page and lifecycle

@login_required
@cached_page
def plan_detail(request, plan_id):
    plan = permissions.access_plan(request.user, plan_id)
    ctx = selectors.plan_page(plan, user=request.user)
    user = request.user
    # "Your unit" is a unit the user works in, not every unit a supervisor oversees.
    own = set(permissions.user_units(user)) if not user.is_superuser else set()
    ctx.update({
        "can_edit": permissions.can_edit_plan(user, plan),
        "can_issue": permissions.can_issue_plan(user, plan),
        "can_close": permissions.can_close_plan(user, plan),
        "can_revise": permissions.can_revise_plan(user, plan),
        "can_delete": permissions.can_delete_plan(user, plan),
        "derive_units": [r["unit"] for r in ctx["units"] if r["child"] is None and r["unit"].pk in own
                         and r["lead"] + r["support"] and permissions.can_derive_child(user, plan, r["unit"])],
        "coverage": selectors.plan_coverage(ctx["units"], state=request.GET.get("cov", ""),
                                            kind=request.GET.get("kind", ""), q=request.GET.get("uq", "")[:100]),
        # downloads and buttons of other modules, as registered (cchc.core.registry)
        "plan_exports": [{"format": e.key.split(".", 1)[1], "label": e.label}
                         for e in registry.exports.for_key("model", "plans.plan")],
        "page_actions": registry.page_actions_for("plans.plan", plan, user),
    })
    return render(request, "plans/plan_detail.html", ctx)


def _plan_form_units(request):
    return permissions.importable_units(request.user)


@login_required
def plan_create(request):
    units = _plan_form_units(request)
    if not units:
        raise Http404
    form = PlanForm(request.POST or None, initial={"plan_year": dt.date.today().year})
    unit_id = request.POST.get("owner") or request.GET.get("owner")
    owner = next((u for u in units if str(u.pk) == str(unit_id)), units[0])
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(user=request.user, owner=owner, **form.service_fields())
        except services.PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The plan was created as a draft. Add its sections and tasks."))
            return redirect("plans:detail", plan.pk)
    return render(request, "plans/plan_form.html", {"form": form, "units": units, "owner": owner})


@login_required
def plan_edit(request, plan_id):
    plan = permissions.access_plan(request.user, plan_id, action="edit")
    form = PlanForm(request.POST or None, initial=PlanForm.initial_from(plan))
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(plan=plan, user=request.user, **form.service_fields())
        except services.PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect("plans:detail", plan.pk)
    return render(request, "plans/plan_form.html", {"form": form, "plan": plan})


def _lifecycle(request, plan_id, check, action, done_message):
    plan = permissions.access_plan(request.user, plan_id, action=check)
    try:
        action(plan=plan, user=request.user)
    except services.PlanError as exc:
        _error(request, exc)
    else:
        messages.success(request, done_message)
    return redirect("plans:detail", plan.pk)


@login_required
@require_POST
def plan_close(request, plan_id):
    return _lifecycle(request, plan_id, "close", services.plan_close, _("The plan is closed."))


@login_required
@require_POST
def plan_new_version(request, plan_id):
    return _lifecycle(request, plan_id, "revise", services.plan_new_version,
                      _("A new version was opened as a draft; the issued version is kept in the history."))


@login_required
@require_POST
def plan_delete(request, plan_id):
    plan = permissions.access_plan(request.user, plan_id, action="edit")
    try:
        services.plan_delete(plan=plan, user=request.user)
    except services.PlanError as exc:
        _error(request, exc)
        return redirect("plans:detail", plan.pk)
    messages.success(request, _("The draft was deleted."))
    return redirect("plans:list")


@login_required
def plan_version(request, plan_id, version):
    plan = permissions.access_plan(request.user, plan_id)
    v = get_object_or_404(plan.versions, version=version)
    return render(request, "plans/plan_version.html", {"plan": plan, "v": v, "doc": v.snapshot})


@login_required
def plan_timeline(request, plan_id):
    plan = permissions.access_plan(request.user, plan_id)
    return render(request, "plans/plan_timeline.html", {"plan": plan, "timeline": selectors.plan_timeline(plan)})


# ---------------------------------------------------------------- export

@login_required
def plan_export(request, plan_id, fmt):
    plan = permissions.access_plan(request.user, plan_id)
    export = registry.exports.get(f"plans.{fmt}")
    if export is None or export.model != "plans.plan":
        raise Http404
    try:
        name, content_type, data = export.render(plan, request.user)
    except ImportError:
        messages.error(request, _("This export is not available on this installation."))
        return redirect("plans:detail", plan.pk)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def plan_source(request, plan_id):
    plan = permissions.access_plan(request.user, plan_id)
    if not plan.source_file:
        raise Http404
    return FileResponse(plan.source_file.open("rb"), as_attachment=True, filename=plan.source_name or "plan")


# ---------------------------------------------------------------- sections and tasks

@login_required
def section_add(request, plan_id):
    plan = permissions.access_plan(request.user, plan_id, action="edit")
    form = SectionForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.section_create(plan=plan, user=request.user, **form.cleaned_data)
        except services.PlanError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("plans:detail", plan.pk)
    return render(request, "plans/section_form.html", {"form": form, "plan": plan})


@login_required
def task_add(request, plan_id):
    plan = permissions.access_plan(request.user, plan_id, action="edit")
    form = TaskForm(request.POST or None, plan=plan, units=_unit_choices(plan.owner))
    if request.method == "POST" and form.is_valid():
        try:
            services.task_create(plan=plan, user=request.user, lead_units=form.cleaned_data["lead_units"],
                                 support_units=form.cleaned_data["support_units"], targets=form.cleaned_data["targets"],
                                 **form.service_fields())
        except services.PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The task was added."))
            if "another" in request.POST:
                return redirect("plans:task_add", plan.pk)
            return redirect("plans:detail", plan.pk)
    return render(request, "plans/task_form.html", {"form": form, "plan": plan})


@login_required
def task_edit(request, task_id):
    task = permissions.access_task(request.user, task_id, action="edit")
    plan = task.plan
    form = TaskForm(request.POST or None, plan=plan, units=_unit_choices(plan.owner), initial=TaskForm.initial_from(task))
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.task_update(task=task, user=request.user, version=form.cleaned_data.get("version") or 0,
                                 lead_units=form.cleaned_data["lead_units"], support_units=form.cleaned_data["support_units"],
                                 targets=form.cleaned_data["targets"], **form.service_fields())
        except services.ConflictError as exc:
            conflict = exc
            # Keep the user's values but base them on the version just saved, so a second save is deliberate.
            data = request.POST.copy()
            data["version"] = exc.current.version
            form = TaskForm(data, plan=plan, units=_unit_choices(plan.owner))
            form.is_valid()
        except services.PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect("plans:detail", plan.pk)
    status = 409 if conflict else 200
    return render(request, "plans/task_form.html", {"form": form, "plan": plan, "task": task, "conflict": conflict},
                  status=status)


@login_required
def task_detail(request, task_id):
    task = permissions.access_task(request.user, task_id)
    assignments = list(task.assignments.select_related("unit"))
    assigned = [a.unit for a in assignments if a.unit_id]
    can_track = permissions.can_track_task(request.user, task, assigned)
    unit = permissions.acting_unit(request.user, task, assigned) if can_track else None
    notes, evidence = permissions.visible_work(request.user, task)
    own_note = next((n.text for n in notes if unit is not None and n.unit_id == unit.pk), "")
    track_form = TrackForm(request.POST or None, initial={"status": task.status, "progress": task.progress,
                                                           "notes": own_note, "version": task.version})
    conflict = None
    if request.method == "POST":
        task = permissions.access_task(request.user, task_id, action="track")
        if track_form.is_valid():
            d = track_form.cleaned_data
            try:
                services.task_set_status(task=task, user=request.user, version=d["version"], status=d["status"],
                                         progress=d["progress"], notes=d["notes"], unit=unit)
            except services.ConflictError as exc:
                conflict = exc
                data = request.POST.copy()
                data["version"] = exc.current.version
                track_form = TrackForm(data)
                task = exc.current
            except services.PlanError as exc:
                _error(request, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("plans:task", task.pk)
    return render(request, "plans/task_detail.html", {
        "task": task, "plan": task.plan, "assignments": assignments, "can_track": can_track,
        "track_form": track_form, "evidence_form": EvidenceForm(), "conflict": conflict, "acting_unit": unit,
        "notes": notes, "evidence": evidence, "targets": task.targets.all(),
        "figures": task_figures(task),
        "copies": task.copies.select_related("plan", "plan__owner"), "overdue": task.is_overdue(),
        "can_edit": permissions.can_edit_plan(request.user, task.plan),
    }, status=409 if conflict else 200)


def _too_large(request) -> bool:
    """Refuse by the declared length before Django reads the body."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > settings.CCHC_MAX_UPLOAD_BYTES + 256 * 1024


def _too_large_message() -> str:
    return _("The file is larger than %(limit).0f MB and was not accepted. Split it or compress it and try again.") % {
        "limit": settings.CCHC_MAX_UPLOAD_BYTES / 1048576}


@login_required
@require_POST
def task_evidence_add(request, task_id):
    task = permissions.access_task(request.user, task_id, action="track")
    if _too_large(request):
        messages.error(request, _too_large_message())
        return redirect("plans:task", task.pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.task_add_evidence(task=task, user=request.user, file=form.cleaned_data["file"],
                                       note=form.cleaned_data["note"], unit=permissions.acting_unit(request.user, task))
        except services.PlanError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("The evidence file was added."))
    else:
        messages.error(request, _("Choose a file to upload."))
    return redirect("plans:task", task.pk)


@login_required
def evidence_download(request, evidence_id):
    evidence = permissions.access_evidence(request.user, evidence_id)
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name)


# ---------------------------------------------------------------- import with review

@login_required
def import_upload(request):
    units = permissions.importable_units(request.user)
    if not units:
        raise Http404
    if request.method == "POST" and _too_large(request):
        return render(request, "plans/import_upload.html", {"form": ImportForm(units=units), "refused": _too_large_message()},
                      status=413)
    form = ImportForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.plan_import_prepare(user=request.user, owner=form.cleaned_data["owner"],
                                                 upload=form.cleaned_data.get("file"), text=form.cleaned_data.get("text"))
        except services.PlanError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("plans:import_review", draft.pk)
    return render(request, "plans/import_upload.html", {"form": form}, status=400 if form.errors else 200)


def _access_draft(request, draft_id) -> PlanImport:
    draft = PlanImport.objects.select_related("owner").filter(
        pk=draft_id, created_by=request.user, status=PlanImport.Status.PENDING).first()
    if draft is None or not permissions.can_import_into(request.user, draft.owner):
        raise Http404
    return draft


def _dmy(value):
    """A date, or an ISO date string from a parsed document, as dd/mm/yyyy; anything else unchanged."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else value


@login_required
@idempotent
def import_review(request, draft_id):
    draft = _access_draft(request, draft_id)
    duplicate = selectors.find_duplicate(draft.parsed)
    if duplicate is not None and not permissions.visible_plans(request.user).filter(pk=duplicate.pk).exists():
        duplicate = None
    if request.method == "POST":
        choices = {k[2:]: v for k, v in request.POST.items() if k.startswith("u:")}
        services.plan_import_fix(draft=draft, user=request.user, choices=choices)
        action = request.POST.get("action")
        if action == "discard":
            services.plan_import_discard(draft=draft, user=request.user)
            messages.info(request, _("The import was discarded; nothing was saved."))
            return redirect("plans:list")
        if action in ("confirm", "update"):
            target = None
            if action == "update":
                if duplicate is None or not permissions.can_import_into(request.user, duplicate.owner):
                    raise Http404
                target = duplicate
            try:
                plan = services.plan_import_confirm(draft=draft, user=request.user, update_plan=target,
                                                    not_a_plan_accepted=request.POST.get("not_a_plan_ok") == "1")
            except services.PlanError as exc:
                _error(request, exc)
            else:
                messages.success(request, _("The plan was saved with %(n)d tasks.") % {"n": plan.tasks.count()})
                return redirect("plans:detail", plan.pk)
        else:
            messages.success(request, _("Your choices were kept."))
        return redirect("plans:import_review", draft.pk)
    rows = review.review_rows(draft)
    province = draft.owner.province() or draft.owner
    all_units = list(Unit.objects.current().filter(path__startswith=province.path)
                     .outside_communes(keeping=draft.owner).only("id", "name", "code").order_by("path"))
    refs = selectors.referenced_plans(draft.parsed, request.user)
    references = [dict(r, plan=refs.get(r.get("number")), date=_dmy(r.get("date")))
                  for r in draft.parsed.get("references") or []]
    doc = dict(draft.parsed.get("document") or {})
    doc["date"] = _dmy(doc.get("date"))
    doc["kind_name"] = review.document_kind(doc.get("kind"))
    diff = selectors.plan_document_diff(duplicate, draft.parsed, draft.resolutions) if duplicate else None
    if diff:
        diff["fields"] = [(label, _dmy(old), _dmy(new)) for label, old, new in diff["fields"]]
    return render(request, "plans/import_review.html", {
        "draft": draft, "doc": doc, "references": references, "rows": rows,
        "all_units": all_units, "duplicate": duplicate, "diff": diff,
        "attention": sum(1 for r in rows for p in r["phrases"] if p["attention"]),
        "low_confidence": round(LOW_CONFIDENCE * 100), "reporting": draft.parsed.get("reporting") or {},
        "diagnostics": review.diagnostics(draft.parsed), "not_a_plan": review.not_a_plan(draft.parsed),
        "groups": review.group_choices(draft.owner),
    })
