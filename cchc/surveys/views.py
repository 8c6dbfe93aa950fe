"""Staff pages of surveys. Views read the request, ask `permissions`, call `services` or `selectors`,
render; a survey the user may not see or act on answers like a missing one."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cchc.core.idempotency import idempotent
from cchc.org.permissions import pk_or_404

from . import exports, permissions, qr, selectors, services
from .forms import (QuestionForm, ReceiptForm, ResultsFilterForm, SampleSizeForm, SectionForm, SurveyCreateForm,
                    SurveyForm)
from .models import Question, ReceiptCode, Response, Section


def site_for_survey(survey):
    """The public site that shows the survey: its unit's, or the nearest one above."""
    from cchc.portal.models import PublicSite

    codes = [c for c in survey.unit.path.strip("/").split("/") if c]
    sites = {s.unit.code: s for s in PublicSite.objects.filter(unit__code__in=codes, is_public=True).select_related("unit")}
    for code in reversed(codes):
        if code in sites:
            return sites[code]
    return None


def public_links(request, survey) -> dict:
    site = site_for_survey(survey)
    if site is None:
        return {}
    base = site.absolute_url(f"khao-sat/{survey.pk}/", request=request)
    return {"site": site, "answer_url": base, "kiosk_url": f"{base}kiosk/{survey.kiosk_token}/",
            "results_url": f"{base}ket-qua/", "receipt_base": site.absolute_url("khao-sat/ma/", request=request)}


def _settings_initial(survey) -> dict:
    return {"title": survey.title, "introduction": survey.introduction, "limit": survey.limit,
            "opens_at": timezone.localtime(survey.opens_at), "closes_at": timezone.localtime(survey.closes_at)}


def _error_to_form(form, exc: services.SurveyError) -> None:
    for field, message in (exc.fields or {}).items():
        if field in form.fields:
            form.add_error(field, message)
    if not any(f in form.fields for f in exc.fields or {}):
        form.add_error(None, exc.message)


@login_required
@idempotent
def survey_list(request):
    if not permissions.menu_visible(request.user):
        raise Http404
    units = permissions.creation_units(request.user)
    now = timezone.localtime().replace(second=0, microsecond=0)
    form = SurveyCreateForm(request.POST or None, units=units,
                            initial={"opens_at": now, "closes_at": now + timezone.timedelta(days=30)})
    if request.method == "POST" and units and form.is_valid():
        d = form.cleaned_data
        try:
            survey = services.survey_create(user=request.user, unit=d["unit"], title=d["title"],
                                            introduction=d["introduction"], opens_at=d["opens_at"],
                                            closes_at=d["closes_at"], limit=d["limit"],
                                            from_template=d["from_template"])
        except services.SurveyError as exc:
            _error_to_form(form, exc)
        else:
            messages.success(request, _("The survey is created. Check its questions, then open it."))
            return redirect("surveys:detail", pk=survey.pk)
    surveys = selectors.surveys_for(permissions.list_paths(request.user)).order_by("-opens_at", "-pk")[:200]
    return render(request, "surveys/list.html", {"surveys": surveys, "form": form if units else None})


def _builder_context(request, survey, **forms) -> dict:
    sections = list(survey.sections.prefetch_related("questions__show_if"))
    return {
        "survey": survey, "sections": sections, "links": public_links(request, survey),
        "can_edit": permissions.can(request.user, survey, "edit"),
        "can_publish": permissions.can(request.user, survey, "publish"),
        "editable": survey.status == survey.Status.DRAFT,
        "count": survey.responses.count(),
        "settings_form": forms.get("settings_form") or SurveyForm(initial=_settings_initial(survey)),
        "section_form": forms.get("section_form") or SectionForm(),
        "question_form": forms.get("question_form") or QuestionForm(survey=survey),
        "receipt_form": forms.get("receipt_form") or ReceiptForm(procedures=_procedures(survey)),
        "receipts": list(survey.receipts.select_related("procedure")[:10]),
    }


def _procedures(survey):
    from cchc.procedures.models import Procedure

    return list(Procedure.objects.filter(unit__path__startswith=survey.unit.path, status=Procedure.Status.ACTIVE)
                .only("pk", "code", "name").order_by("code", "name")[:500])


@login_required
def survey_detail(request, pk):
    survey = permissions.access_survey(request.user, pk)
    return render(request, "surveys/detail.html", _builder_context(request, survey))


@login_required
@require_POST
@idempotent
def survey_settings(request, pk):
    survey = permissions.access_survey(request.user, pk, action="edit")
    form = SurveyForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.survey_update(survey=survey, user=request.user, title=d["title"], introduction=d["introduction"],
                                   opens_at=d["opens_at"], closes_at=d["closes_at"], limit=d["limit"])
        except services.SurveyError as exc:
            _error_to_form(form, exc)
        else:
            messages.success(request, _("The survey's settings are saved."))
            return redirect("surveys:detail", pk=survey.pk)
    return render(request, "surveys/detail.html", _builder_context(request, survey, settings_form=form), status=400)


@login_required
@require_POST
@idempotent
def section_add(request, pk):
    survey = permissions.access_survey(request.user, pk, action="edit")
    form = SectionForm(request.POST)
    if form.is_valid():
        try:
            services.section_add(survey=survey, user=request.user, **form.cleaned_data)
        except services.SurveyError as exc:
            _error_to_form(form, exc)
        else:
            messages.success(request, _("The section is added."))
            return redirect("surveys:detail", pk=survey.pk)
    return render(request, "surveys/detail.html", _builder_context(request, survey, section_form=form), status=400)


@login_required
@require_POST
@idempotent
def question_add(request, pk):
    survey = permissions.access_survey(request.user, pk, action="edit")
    form = QuestionForm(request.POST, survey=survey)
    if form.is_valid():
        try:
            services.question_add(user=request.user, **form.cleaned_data)
        except services.SurveyError as exc:
            _error_to_form(form, exc)
        else:
            messages.success(request, _("The question is added."))
            return redirect(reverse("surveys:detail", kwargs={"pk": survey.pk}) + "#add-question")
    return render(request, "surveys/detail.html", _builder_context(request, survey, question_form=form), status=400)


@login_required
@require_POST
@idempotent
def question_delete(request, pk, question_id):
    survey = permissions.access_survey(request.user, pk, action="edit")
    question = Question.objects.filter(pk=pk_or_404(question_id), section__survey=survey).select_related("section__survey").first()
    if question is None:
        raise Http404
    try:
        services.question_delete(question=question, user=request.user)
    except services.SurveyError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The question is deleted."))
    return redirect("surveys:detail", pk=survey.pk)


@login_required
@require_POST
@idempotent
def section_delete(request, pk, section_id):
    survey = permissions.access_survey(request.user, pk, action="edit")
    section = Section.objects.filter(pk=pk_or_404(section_id), survey=survey).select_related("survey").first()
    if section is None:
        raise Http404
    try:
        services.section_delete(section=section, user=request.user)
    except services.SurveyError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The section and its questions are deleted."))
    return redirect("surveys:detail", pk=survey.pk)


_ACTIONS = {
    "open": ("edit", services.survey_open, _("The survey is open: it takes answers within its window."),
             _("The survey was already open.")),
    "close": ("edit", services.survey_close, _("The survey is closed; its respondents are counted as an output."),
              _("The survey was already closed.")),
    "reopen": ("edit", services.survey_reopen, _("The survey takes answers again."), _("The survey was not closed.")),
}


@login_required
@require_POST
@idempotent
def survey_action(request, pk, action):
    if action not in _ACTIONS:
        raise Http404
    right, service, done, nothing = _ACTIONS[action]
    survey = permissions.access_survey(request.user, pk, action=right)
    try:
        changed = service(survey=survey, user=request.user)
    except services.SurveyError as exc:
        messages.error(request, exc.message)
    else:
        (messages.success if changed else messages.info)(request, done if changed else nothing)
    return redirect("surveys:detail", pk=survey.pk)


@login_required
@require_POST
@idempotent
def kiosk_renew(request, pk):
    survey = permissions.access_survey(request.user, pk, action="edit")
    services.kiosk_token_renew(survey=survey, user=request.user)
    messages.success(request, _("The kiosk has a new address; the old one no longer works."))
    return redirect("surveys:detail", pk=survey.pk)


@login_required
@require_POST
@idempotent
def receipt_issue(request, pk):
    survey = permissions.access_survey(request.user, pk, action="edit")
    form = ReceiptForm(request.POST, procedures=_procedures(survey))
    if form.is_valid():
        try:
            receipt = services.receipt_issue(survey=survey, user=request.user, procedure=form.cleaned_data["procedure"])
        except services.SurveyError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("surveys:receipt", pk=survey.pk, code=receipt.code)
    return render(request, "surveys/detail.html", _builder_context(request, survey, receipt_form=form), status=400)


@login_required
def receipt_slip(request, pk, code):
    survey = permissions.access_survey(request.user, pk, action="edit")
    receipt = ReceiptCode.objects.filter(survey=survey, code=services.normalise_code(code)).select_related(
        "procedure", "unit").first()
    if receipt is None:
        raise Http404
    links = public_links(request, survey)
    url = f"{links['receipt_base']}{receipt.code}/" if links else ""
    return render(request, "surveys/receipt.html", {"survey": survey, "receipt": receipt, "url": url,
                                                    "qr_svg": qr.svg(url) if url else "",
                                                    "answered": Response.objects.filter(receipt=receipt).exists()})


def _filters(request, survey):
    responses = survey.responses.all()
    procedures = [(p, n) for p, n in responses.filter(procedure__isnull=False)
                  .values_list("procedure_id", "procedure__name").distinct().order_by("procedure__name")]
    units = [(u, n) for u, n in responses.filter(unit__isnull=False)
             .values_list("unit_id", "unit__name").distinct().order_by("unit__name")]
    form = ResultsFilterForm(request.GET or None, procedures=procedures, units=units)
    f = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return form, {"start": f.get("start"), "end": f.get("end"), "procedure_id": f.get("procedure"),
                  "unit_id": f.get("unit")}


@login_required
def survey_results(request, pk):
    survey = permissions.access_survey(request.user, pk)
    form, filters = _filters(request, survey)
    data = selectors.results(survey, **filters)
    return render(request, "surveys/results.html", {
        "survey": survey, "form": form, "r": data, "links": public_links(request, survey),
        "can_publish": permissions.can(request.user, survey, "publish"), "query": request.GET.urlencode(),
    })


@login_required
@require_POST
@idempotent
def results_publish(request, pk, publish):
    survey = permissions.access_survey(request.user, pk, action="publish")
    try:
        changed = services.results_publish(survey=survey, user=request.user, publish=publish)
    except services.SurveyError as exc:
        messages.error(request, exc.message)
    else:
        if publish:
            (messages.success if changed else messages.info)(
                request, _("The results are published on the public site.") if changed else _("The results were already published."))
        else:
            messages.success(request, _("The results are no longer shown on the public site."))
    return redirect("surveys:results", pk=survey.pk)


@login_required
def survey_export(request, pk):
    survey = permissions.access_survey(request.user, pk)
    _form, filters = _filters(request, survey)
    filename, content = exports.results_xlsx(survey, selectors.results(survey, **filters), filters)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def sample_size(request):
    if not permissions.menu_visible(request.user):
        raise Http404
    form = SampleSizeForm(request.GET or None, initial={"margin": Decimal("0.05")})
    answer = None
    if form.is_bound and form.is_valid():
        n, e = form.cleaned_data["population"], form.cleaned_data["margin"]
        answer = {"n": selectors.sample_size(n, e), "exact": selectors.sample_size_exact(n, e), "N": n, "e": e}
    return render(request, "surveys/sample_size.html", {"form": form, "answer": answer})
