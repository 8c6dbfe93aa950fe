"""Output pages. Views read the request, ask `permissions`, call `services` or `selectors`, render."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cchc.core.idempotency import idempotent
from cchc.core.text import fold
from cchc.org import permissions as org_permissions
from cchc.org.models import Unit
from cchc.plans.models import Target

from . import permissions, selectors, services
from .forms import FilterForm, ImportForm, OutputRecordForm


@login_required
def home(request):
    units = permissions.recording_units(request.user)
    if len(units) == 1:
        return redirect("outputs:unit", units[0].code)
    visible = Unit.objects.current().filter(pk__in=[g.unit_id for g in org_permissions.grants(request.user)])
    return render(request, "outputs/home.html", {"units": units, "visible": visible.order_by("path")})


@login_required
def unit_outputs(request, code):
    unit = org_permissions.access_unit(request.user, code)
    tasks = selectors.assigned_tasks(unit)
    form = FilterForm(request.GET or None, tasks=tasks)
    filters = form.cleaned_data if form.is_valid() else {}
    include_subunits = request.GET.get("sub") == "1"
    records = selectors.records_for_unit(request.user, unit, start=filters.get("start"), end=filters.get("end"),
                                         q=filters.get("q") or "", include_subunits=include_subunits)
    if filters.get("output_type"):
        records = records.filter(output_type=filters["output_type"])
    if filters.get("task"):
        records = records.filter(task_id=filters["task"])
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "outputs/unit_outputs.html", {
        "unit": unit, "form": form, "page": page, "totals": selectors.list_totals(records), "query": query.urlencode(),
        "can_record": permissions.can_record(request.user, unit), "include_subunits": include_subunits,
    })


def _initial_for(request, tasks) -> dict:
    """Preselect the target named in ?target= (or, for a target of a parent plan, its copy in the
    unit's own plan) and the output type it suggests."""
    raw = request.GET.get("target") or ""
    if not raw.isdigit():
        return {}
    wanted = Target.objects.filter(pk=int(raw)).values("task_id", "order").first()
    for task in tasks:
        for target in task.targets.all():
            if target.pk == int(raw) or (wanted and task.parent_task_id == wanted["task_id"]
                                         and target.order == wanted["order"]):
                initial = {"serves": f"g:{target.pk}"}
                code = selectors.suggest_type(target=target, task=task)
                if code:
                    initial["output_type"] = selectors.active_output_types().filter(code=code).first()
                return initial
    return {}


@login_required
@idempotent
def record_create(request, code):
    unit = permissions.access_recording_unit(request.user, code)
    tasks = selectors.assigned_tasks(unit)
    form = OutputRecordForm(request.POST or None, request.FILES or None, tasks=tasks,
                            initial=_initial_for(request, tasks) if request.method == "GET" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.output_record_create(user=request.user, unit=unit, evidence=form.cleaned_data.get("evidence"),
                                          **form.service_fields())
        except services.OutputError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The output was recorded."))
            if request.POST.get("another"):
                return redirect("outputs:create", unit.code)
            return redirect("outputs:unit", unit.code)
    return render(request, "outputs/record_form.html", {"unit": unit, "form": form})


def _form_errors(form, exc: services.OutputError) -> None:
    placed = False
    for field, msgs in exc.fields.items():
        name = "serves" if field in ("task", "target") else field
        if name in form.fields:
            for m in msgs:
                form.add_error(name, m)
            placed = True
    if not placed:
        form.add_error(None, str(exc))


@login_required
def record_detail(request, pk):
    record = permissions.access_output(request.user, pk)
    return render(request, "outputs/record_detail.html", {
        "record": record, "can_change": permissions.can_change_record(request.user, record),
    })


@login_required
def record_edit(request, pk):
    record = permissions.access_output(request.user, pk, action="change")
    tasks = selectors.assigned_tasks(record.unit)
    if record.task_id and record.task_id not in {t.pk for t in tasks}:
        # Recorded against a parent plan's task that the unit's plan copied since: keep it selectable.
        tasks += [t for t in selectors.assigned_tasks(record.unit, hide_copied=False) if t.pk == record.task_id]
    form = OutputRecordForm(request.POST or None, request.FILES or None, tasks=tasks,
                            initial=OutputRecordForm.initial_from(record))
    if request.method == "POST" and form.is_valid():
        try:
            services.output_record_update(record=record, user=request.user, evidence=form.cleaned_data.get("evidence"),
                                          remove_evidence=bool(request.POST.get("remove_evidence")),
                                          **form.service_fields())
        except services.OutputError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("outputs:unit", record.unit.code)
    return render(request, "outputs/record_form.html", {"unit": record.unit, "form": form, "record": record})


@login_required
@require_POST
def record_delete(request, pk):
    record = permissions.access_output(request.user, pk, action="change")
    code = record.unit.code
    services.output_record_delete(record=record, user=request.user)
    messages.success(request, _("The output was deleted."))
    return redirect("outputs:unit", code)


@login_required
def evidence_download(request, pk):
    record = permissions.access_output(request.user, pk)
    if not record.evidence:
        raise Http404
    try:
        handle = record.evidence.open("rb")
    except FileNotFoundError:
        raise Http404
    return FileResponse(handle, as_attachment=True, filename=record.evidence_name or record.evidence.name.rsplit("/", 1)[-1])


def _file_slug(unit: Unit) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(unit.short_name or unit.name)).strip("-")[:50] or "don-vi"


@login_required
def template_download(request, code):
    unit = permissions.access_recording_unit(request.user, code)
    data = services.output_template_xlsx(unit=unit)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="san-pham-{_file_slug(unit)}.xlsx"'
    return response


@login_required
def import_upload(request, code):
    unit = permissions.access_recording_unit(request.user, code)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.output_records_import_xlsx(user=request.user, unit=unit, file=form.cleaned_data["file"])
        except services.OutputError as exc:
            form.add_error("file", str(exc))
        else:
            if result.ok:
                messages.success(request, _("%(n)d outputs were recorded from the spreadsheet.") % {"n": result.created})
            status = 200 if result.ok else 422
            return render(request, "outputs/import_result.html", {"unit": unit, "result": result, "form": ImportForm()},
                          status=status)
    return render(request, "outputs/import_upload.html", {"unit": unit, "form": form},
                  status=400 if form.errors else 200)

