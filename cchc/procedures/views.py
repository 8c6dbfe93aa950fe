"""Staff pages of the procedure catalogue. Views read the request, ask `permissions`, call `services` or
`selectors`, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cchc.core.idempotency import idempotent

from . import permissions, selectors, services
from .forms import (DecisionIdentityForm, DecisionUploadForm, FiguresForm, FiguresImportForm, ProcedureFilterForm,
                    ProcedureForm)
from .models import Decision, OnlineServiceFigure

PAGE_SIZE = 50


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


# ---------------------------------------------------------------- the catalogue

@login_required
def home(request):
    units = permissions.managed_units(request.user)
    if not units:
        raise Http404
    if len(units) == 1:
        return redirect("procedures:list", units[0].code)
    return render(request, "procedures/home.html", {"units": units})


@login_required
def procedure_list(request, code):
    unit = permissions.access_catalogue(request.user, code)
    form = ProcedureFilterForm(request.GET or None, fields=selectors.catalogue_fields(unit))
    filters = form.cleaned_data if form.is_valid() else {}
    status = filters.get("status") or "active"
    procedures = selectors.procedure_list(unit, q=filters.get("q") or "", field_name=filters.get("field") or "",
                                          level=filters.get("level") or "", status=status)
    page = Paginator(procedures, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "procedures/procedure_list.html", {
        "unit": unit, "form": form, "page": page, "query": query.urlencode(), "counts": selectors.catalogue_counts(unit),
        "in_review": selectors.decisions_for_unit(unit, status=Decision.Status.REVIEW)[:10],
    })


@login_required
def procedure_detail(request, pk):
    procedure = permissions.access_procedure(request.user, pk)
    return render(request, "procedures/procedure_detail.html", {
        "procedure": procedure, "unit": procedure.unit, "history": selectors.procedure_history(procedure),
    })


@login_required
@idempotent
def procedure_edit(request, pk):
    procedure = permissions.access_procedure(request.user, pk)
    form = ProcedureForm(request.POST or None, instance=procedure)
    if request.method == "POST" and form.is_valid():
        try:
            services.procedure_update(procedure=permissions.access_procedure(request.user, pk), user=request.user,
                                      **form.changes())
        except services.ProcedureError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The entry was saved."))
            return redirect("procedures:detail", procedure.pk)
    return render(request, "procedures/procedure_form.html", {"form": form, "procedure": procedure,
                                                              "unit": procedure.unit},
                  status=400 if form.errors else 200)


@login_required
@idempotent
def procedure_create(request, code):
    unit = permissions.access_catalogue(request.user, code)
    form = ProcedureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            procedure = services.procedure_create(unit=unit, user=request.user, **form.changes())
        except services.ProcedureError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The entry was added to the catalogue."))
            return redirect("procedures:detail", procedure.pk)
    return render(request, "procedures/procedure_form.html", {"form": form, "procedure": None, "unit": unit},
                  status=400 if form.errors else 200)


@login_required
def decision_list(request, code):
    unit = permissions.access_catalogue(request.user, code)
    page = Paginator(selectors.decisions_for_unit(unit), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "procedures/decision_list.html", {"unit": unit, "page": page})


# ---------------------------------------------------------------- import, review, apply

@login_required
def decision_import(request, code):
    unit = permissions.access_catalogue(request.user, code)
    if request.method == "POST" and _too_large(request):
        return render(request, "procedures/decision_upload.html",
                      {"form": DecisionUploadForm(), "unit": unit, "refused": _too_large_message()}, status=413)
    form = DecisionUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_import(user=request.user, unit=unit, upload=form.cleaned_data["file"])
        except services.ProcedureError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("procedures:review", decision.pk)
    return render(request, "procedures/decision_upload.html", {"form": form, "unit": unit},
                  status=400 if form.errors else 200)


def _choices(post) -> dict[str, str]:
    """The reviewer's choices of the posted form: "a:<row>" (keep / create / skip / match) and, for
    "match", the entry typed or picked in "p:<row>"; "all" applies one choice to every row that could
    not be matched."""
    choices = {}
    for key, value in post.items():
        if key.startswith("a:"):
            row = key[2:]
            if value == "match":
                picked = (post.get(f"p:{row}") or "").strip()
                if picked:
                    choices[row] = f"match:{picked}"
            elif value in ("keep", "create", "skip"):
                choices[row] = value
    return choices


def _save_review(request, decision) -> tuple[Decision, DecisionIdentityForm | None]:
    """Keep the reviewer's identity corrections and choices; returns the identity form when it has errors."""
    form = DecisionIdentityForm(request.POST)
    if not form.is_valid():
        return decision, form
    decision = services.decision_set_identity(decision=decision, user=request.user, **form.cleaned_data)
    choices = _choices(request.POST)
    bulk = request.POST.get("all")
    if bulk in ("create", "skip"):
        for row in selectors.review_rows(decision):
            if row.group == "unmatched":
                choices[str(row.index)] = bulk if not (bulk == "create" and row.status == "abolished") else "skip"
    if choices:
        decision = services.decision_resolve(decision=decision, user=request.user, choices=choices)
    return decision, None


def _review_page(request, decision, *, identity_form=None, status=200):
    rows = selectors.review_rows(decision)
    return render(request, "procedures/decision_review.html", {
        "decision": decision, "unit": decision.unit, "groups": selectors.review_groups(rows),
        "summary": selectors.review_summary(rows), "total": len(rows),
        "diagnostics": selectors.diagnostics(decision.parsed), "twin": selectors.applied_twin(decision),
        "identity_form": identity_form or DecisionIdentityForm(initial={
            "number": decision.number, "date": decision.date, "issuer": decision.issuer, "title": decision.title}),
    }, status=status)


@login_required
@idempotent
def decision_review(request, pk):
    decision = permissions.access_decision(request.user, pk)
    if decision.status != Decision.Status.REVIEW:
        return render(request, "procedures/decision_detail.html", {
            "decision": decision, "unit": decision.unit,
            "changes": decision.changes.select_related("procedure").order_by("kind", "procedure__name")[:2000],
        })
    if request.method == "POST":
        try:
            decision, bad = _save_review(request, decision)
        except services.ProcedureError as exc:
            messages.error(request, str(exc))
            return redirect("procedures:review", decision.pk)
        if bad is not None:
            return _review_page(request, decision, identity_form=bad, status=400)
        messages.success(request, _("Your corrections and choices were kept."))
        return redirect(reverse("procedures:review", args=[decision.pk]) + "#review-actions")
    return _review_page(request, decision)


@login_required
@require_POST
@idempotent
def decision_apply(request, pk):
    decision = permissions.access_decision(request.user, pk)
    if decision.status != Decision.Status.REVIEW:
        messages.info(request, _("This decision was already applied or discarded; nothing more was changed."))
        return redirect("procedures:review", decision.pk)
    try:
        decision, bad = _save_review(request, decision)
        if bad is not None:
            return _review_page(request, decision, identity_form=bad, status=400)
        decision = services.decision_apply(decision=decision, user=request.user)
    except services.AlreadyApplied as exc:
        messages.error(request, str(exc))
        return redirect("procedures:review", decision.pk)
    except services.ProcedureError as exc:
        messages.error(request, str(exc))
        return redirect("procedures:review", decision.pk)
    s = decision.summary
    messages.success(request, _(
        "Decision %(number)s was applied: %(new)d new, %(changed)d changed, %(abolished)d abolished, %(same)d listed "
        "again, %(skipped)d left out. The output “Cập nhật, công khai TTHC” was recorded for %(unit)s.") % {
        "number": decision.number or decision.original_name, "new": s.get("new", 0),
        "changed": s.get("amended", 0) + s.get("replaced", 0), "abolished": s.get("abolished", 0),
        "same": s.get("unchanged", 0), "skipped": s.get("skipped", 0), "unit": decision.unit.name})
    return redirect("procedures:review", decision.pk)


@login_required
@require_POST
@idempotent
def decision_discard(request, pk):
    decision = permissions.access_decision(request.user, pk)
    try:
        services.decision_discard(decision=decision, user=request.user)
    except services.ProcedureError as exc:
        messages.error(request, str(exc))
        return redirect("procedures:review", decision.pk)
    messages.info(request, _("The decision was discarded; the catalogue was not changed."))
    return redirect("procedures:list", decision.unit.code)


@login_required
def decision_entries(request, pk):
    """Entries of the decision's catalogue matching ?q= (the review page's search box), as JSON."""
    decision = permissions.access_decision(request.user, pk)
    return JsonResponse({"results": selectors.entry_choices(decision.unit, request.GET.get("q", ""))})


@login_required
def decision_file(request, pk):
    decision = permissions.access_decision(request.user, pk)
    if not decision.file:
        raise Http404
    return FileResponse(decision.file.open("rb"), as_attachment=True, filename=decision.original_name or None)


# ---------------------------------------------------------------- online-service figures

@login_required
@idempotent
def figures(request, code):
    unit = permissions.access_catalogue(request.user, code)
    form = FiguresForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.figures_save(user=request.user, unit=unit, year=data["year"], month=data["month"],
                                  dossiers=data.get("dossiers") or 0, online=data.get("online") or 0,
                                  fully_online=data.get("fully_online") or 0, postal=data.get("postal") or 0,
                                  note=data.get("note") or "")
        except services.ProcedureError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The figures of %(month)02d/%(year)d were saved.") % {
                "month": data["month"], "year": data["year"]})
            return redirect("procedures:figures", unit.code)
    year = request.GET.get("nam")
    year = int(year) if year and year.isdigit() and 2000 <= int(year) <= 2100 else timezone.localdate().year
    rows = list(selectors.figures_for_unit(unit, year=year))
    totals = {k: sum(getattr(r, k) for r in rows) for k in ("dossiers", "online", "fully_online", "postal")}
    return render(request, "procedures/figures.html", {
        "unit": unit, "form": form, "rows": rows, "year": year, "totals": totals,
        "online_rate": selectors.percent(totals["online"], totals["dossiers"]),
        "import_form": FiguresImportForm(), "years": range(timezone.localdate().year, timezone.localdate().year - 6, -1),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
@idempotent
def figures_delete(request, code, pk):
    unit = permissions.access_catalogue(request.user, code)
    figure = OnlineServiceFigure.objects.filter(unit=unit, pk=permissions._pk(pk)).first()
    if figure is None:
        raise Http404
    services.figures_delete(user=request.user, figure=figure)
    messages.info(request, _("The figures of %(month)02d/%(year)d were deleted.") % {"month": figure.month,
                                                                                  "year": figure.year})
    return redirect("procedures:figures", unit.code)


@login_required
def figures_template(request, code):
    unit = permissions.access_catalogue(request.user, code)
    year = request.GET.get("nam")
    year = int(year) if year and year.isdigit() and 2000 <= int(year) <= 2100 else timezone.localdate().year
    content = services.figures_template_xlsx(unit=unit, year=year)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="dich-vu-cong-{unit.code}-{year}.xlsx"'
    return response


@login_required
@require_POST
def figures_import(request, code):
    unit = permissions.access_catalogue(request.user, code)
    if _too_large(request):
        messages.error(request, _too_large_message())
        return redirect("procedures:figures", unit.code)
    form = FiguresImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the filled template."))
        return redirect("procedures:figures", unit.code)
    try:
        result = services.figures_import_xlsx(user=request.user, unit=unit, file=form.cleaned_data["file"])
    except services.ProcedureError as exc:
        messages.error(request, str(exc))
        return redirect("procedures:figures", unit.code)
    if result.errors:
        return render(request, "procedures/figures_import_errors.html", {"unit": unit, "result": result}, status=400)
    if not result.saved:
        messages.warning(request, _("The file holds no month with figures; nothing was saved."))
    else:
        messages.success(request, _("%(n)d months of figures were saved from %(file)s.") % {
            "n": result.saved, "file": result.file_name})
    return redirect("procedures:figures", unit.code)
