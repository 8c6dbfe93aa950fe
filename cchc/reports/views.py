"""Report pages. Views read the request, ask `permissions`, call `services` or `selectors`, render."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cchc.core.idempotency import idempotent
from cchc.plans.models import Plan

from . import exports, permissions, selectors, services
from .forms import AttachmentForm, ConsolidatedForm, PeriodForm, ReportForm, ReviewForm, new_token
from .models import ReportingPeriod, ReportLine, ReportVersion, UnitReport

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def my_reports(request):
    return render(request, "reports/my_reports.html", {"items": selectors.periods_for_user(request.user),
                                                       "dashboards": selectors.dashboards_for_user(request.user)})


@login_required
def plan_periods(request, plan_id):
    plan = permissions.access_plan_periods(request.user, plan_id, action="manage" if request.method == "POST" else "view")
    can_manage = permissions.can_manage_periods(request.user, plan)
    if request.method == "POST":
        try:
            services.periods_generate(plan=plan, user=request.user)
            messages.success(request, _("The reporting periods of the plan are set."))
        except services.ReportError as exc:
            messages.error(request, str(exc))
        return redirect("reports:plan_periods", plan_id=plan.pk)
    periods = list(ReportingPeriod.objects.filter(plan=plan).order_by("year", "order"))
    return render(request, "reports/plan_periods.html", {
        "plan": plan, "periods": periods, "can_manage": can_manage,
        "can_dashboard": permissions.can_see_dashboard(request.user, plan),
    })


@login_required
def period_edit(request, period_id):
    period = permissions.access_period(request.user, period_id, action="manage")
    form = PeriodForm(request.POST or None, initial={"start": period.start, "end": period.end, "due": period.due,
                                                     "rule_text": period.rule_text})
    if request.method == "POST" and form.is_valid():
        try:
            services.period_update(period=period, user=request.user, **form.cleaned_data)
            messages.success(request, _("The period %(period)s is saved.") % {"period": period.label})
            return redirect("reports:plan_periods", plan_id=period.plan_id)
        except services.ReportError as exc:
            form.add_error(None, str(exc))
    return render(request, "reports/period_form.html", {"period": period, "form": form})


@login_required
def report_open(request, period_id, unit_code):
    period, unit, existing = permissions.access_unit_report(request.user, period_id, unit_code)
    if existing is not None:
        return redirect("reports:detail", pk=existing.pk)
    if request.method == "POST":
        report = services.report_open(unit=unit, period=period, user=request.user)
        return redirect("reports:detail", pk=report.pk)
    # a GET writes nothing: the numbers the report would count now, and a button that starts it
    lines = [ReportLine(**{k: v for k, v in row.items() if not k.startswith("_")})
             for row in selectors.report_actuals(unit=unit, period=period)]
    return render(request, "reports/report_start.html", {
        "period": period, "unit": unit, "lines": lines,
        "outputs_by_type": selectors.outputs_by_type(unit=unit, period=period),
        "stats": selectors.registered_stats(unit=unit, period=period),
    })


def _counted_now(report, stored: list[ReportLine]) -> list[ReportLine]:
    """The report's lines as they would be counted now, in memory (nothing saved): a stored line
    keeps its id and note; a line that appeared since the last save has no id yet."""
    by_key = {(line.target_id, line.task_id): line for line in stored}
    lines = []
    for order, row in enumerate(selectors.report_actuals(unit=report.unit, period=report.period)):
        line = by_key.get((row["target_id"], row["task_id"])) or ReportLine(report=report)
        for name, value in row.items():
            setattr(line, name, value)
        line.order = order
        lines.append(line)
    return lines


def _report_context(request, report, *, form=None, conflict=None, review_form=None):
    can_edit = permissions.can_edit(request.user, report)
    if form is None and can_edit:
        form = ReportForm(initial={"results": report.results, "limitations": report.limitations,
                                   "proposals": report.proposals, "version": report.version, "token": new_token()})
    page = selectors.report_page(report)
    if can_edit:
        page["lines"] = _counted_now(report, page["lines"])
    # the comments the report came back with: the supervisor's or the unit manager's, the latest
    page["last_return"] = next((v for v in page["versions"] if v.action in ("return", "send_back")), None)
    return {
        "report": report, "period": report.period, "unit": report.unit, "form": form, "conflict": conflict,
        "can_edit": can_edit, "can_submit": permissions.can_submit(request.user, report),
        "can_send": permissions.can_send(request.user, report),
        "can_send_back": permissions.can_send_back(request.user, report),
        "can_recall": permissions.can_recall(request.user, report),
        "can_review": permissions.can_review(request.user, report),
        "manager_submits": report.plan.report_submitter == Plan.ReportSubmitter.MANAGER,
        "review_form": review_form or ReviewForm(), "attachment_form": AttachmentForm(use_required_attribute=False),
        **page,
    }


@login_required
@idempotent
def report_detail(request, pk):
    report = permissions.access_report(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        if action in ("submit", "send") and selectors.submission_exists(report, request.POST.get("token", "")):
            # a double click or a retry of a submission that went through: the first one stands
            return redirect("reports:detail", pk=report.pk)
        report = permissions.access_report(request.user, pk, action="edit")
        form = ReportForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The form was incomplete; open the report again and retry."))
            return redirect("reports:detail", pk=report.pk)
        data = form.cleaned_data
        notes = {int(key[5:]): value for key, value in request.POST.items() if key.startswith("note-") and key[5:].isdigit()}
        try:
            report = services.report_update(report=report, user=request.user, version=data["version"], notes=notes,
                                            results=data["results"], limitations=data["limitations"], proposals=data["proposals"])
        except services.ReportConflict as exc:
            saved_notes = dict(exc.current.lines.filter(pk__in=list(notes)).values_list("pk", "note"))
            same_notes = all(saved_notes.get(pk, "") == (note or "").strip() for pk, note in notes.items())
            if not exc.changes and same_notes and action in ("submit", "send"):
                # the same text posted twice (a double click): nothing to merge, go on to the confirmation
                return redirect("reports:confirm", pk=report.pk)
            form = ReportForm(initial={**data, "version": exc.current.version, "token": new_token()})
            report = exc.current
            if request.FILES.get("file"):  # a file input cannot be filled again: say so
                messages.warning(request, _("The file was not attached because someone changed the report meanwhile: "
                                            "save your text below, then choose the file again."))
            return render(request, "reports/report_detail.html", _report_context(request, report, form=form, conflict=exc),
                          status=409)
        except services.ReportError as exc:
            messages.error(request, str(exc))
            return redirect("reports:detail", pk=report.pk)
        services.report_refresh(report=report)  # the counted lines follow the save (notes kept)
        if (request.FILES.get("file") or action == "attach") and not _attach_after_save(request, report):
            return redirect("reports:detail", pk=report.pk)  # the text is saved; what went wrong is said
        if action in ("submit", "send"):
            # what reaches the supervisor (or the unit's manager) is shown before it goes
            return redirect("reports:confirm", pk=report.pk)
        if not request.FILES.get("file"):  # else "saved and attached" is said
            messages.success(request, _("The report is saved."))
        return redirect("reports:detail", pk=report.pk)
    # a GET writes nothing: an editable report shows its numbers counted now; they are stored
    # when the report is saved, sent or submitted
    return render(request, "reports/report_detail.html", _report_context(request, report))


def _attach_after_save(request, report) -> bool:
    """Attach the file posted with the report's form, whose text was just saved (a file refused or
    not chosen loses nothing typed). Whether it is attached; what went wrong is said."""
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Your text is saved. Choose a file to attach."))
        return False
    try:
        services.report_attach(report=report, user=request.user, file=upload)
    except services.ReportError as exc:
        messages.error(request, _("Your text is saved, but the file was not attached: %(reason)s") % {"reason": exc})
        return False
    messages.success(request, _("The report is saved and the file is attached."))
    return True


def _zero(line) -> bool:
    quantity = line["quantity"] if isinstance(line, dict) else line.quantity
    return not quantity


@login_required
@idempotent
def report_confirm(request, pk):
    """What is sent, before it is sent: the counted lines (zero figures pointed out), the narrative
    (empty parts pointed out), the files, and to whom it goes."""
    report = permissions.access_report(request.user, pk)
    submit = permissions.can_submit(request.user, report)
    send = not submit and permissions.can_send(request.user, report)
    if not (submit or send):
        if report.status in (UnitReport.Status.SUBMITTED, UnitReport.Status.ACCEPTED, UnitReport.Status.PENDING):
            if request.method == "POST":  # someone (maybe this user, in another tab) sent it first
                messages.info(request, _("This report was already sent on.") if report.status == UnitReport.Status.PENDING
                              else _("This report was already submitted."))
            return redirect("reports:detail", pk=report.pk)
        raise Http404
    if request.method == "POST":
        token = request.POST.get("token", "")
        try:
            if submit:
                services.report_submit(report=report, user=request.user, token=token)
                messages.success(request, _("The report is submitted. The supervisor is told."))
            else:
                services.report_send(report=report, user=request.user, token=token)
                messages.success(request, _("The report is sent to your unit's manager for approval."))
        except services.ReportError as exc:
            messages.error(request, str(exc))
        return redirect("reports:detail", pk=report.pk)
    page = selectors.report_page(report)
    # an editable report is counted again when it is sent: show that count (read, nothing written);
    # one waiting for approval goes on with the lines its officer sent
    lines = selectors.report_actuals(unit=report.unit, period=report.period) if report.is_editable else page["lines"]
    empty_parts = [label for label, value in ((_("Results"), report.results),
                                              (_("Limitations and their causes"), report.limitations),
                                              (_("Proposals"), report.proposals)) if not value.strip()]
    return render(request, "reports/report_confirm.html", {
        "report": report, "period": report.period, "unit": report.unit, "lines": lines,
        "zero_lines": [line for line in lines if _zero(line)], "empty_parts": empty_parts,
        "attachments": page["attachments"], "submit": submit, "token": new_token(),
        "no_manager": send and not services.unit_has_manager(report.unit),
        "recipient": (report.plan.reporting or {}).get("recipient") or report.plan.issuer or report.plan.owner.name,
    })


def _step(request, report, step, done: str, **fields):
    """Take one step of the report's way; say that it is done, or why it cannot be; back to the report."""
    try:
        step(report=report, user=request.user, **fields)
        messages.success(request, done)
    except services.ReportError as exc:
        messages.error(request, str(exc))
    return redirect("reports:detail", pk=report.pk)


def _step_or_done(request, pk, action: str, steps: dict[str, str], take):
    """Take a step with `take(report)`. When the user may not (404, as `permissions.access_report`
    says) only because this very step was just taken (a second click, another tab, a colleague), say
    so instead and go back to the report. `steps`: the version actions of the step, each with the
    status it starts from."""
    try:
        report = permissions.access_report(request.user, pk, action=action)
    except Http404:
        report = permissions.access_report(request.user, pk)  # 404 when it cannot be seen at all
        last = report.versions.order_by("-number").first()
        if last is None or last.action not in steps:
            raise
        before = copy.copy(report)
        before.status = steps[last.action]
        if not permissions.REPORT_ACTIONS[action](request.user, before):  # not theirs to take anyway
            raise
        messages.info(request, _("This was already done: the report is now %(status)s.")
                      % {"status": report.get_status_display()})
        return redirect("reports:detail", pk=report.pk)
    return take(report)


@login_required
@require_POST
@idempotent
def report_recall(request, pk):
    return _step_or_done(request, pk, "recall", {ReportVersion.Action.RECALL: UnitReport.Status.SUBMITTED},
                         lambda report: _step(request, report, services.report_recall,
                                              _("The report is recalled and can be changed again.")))


@login_required
@require_POST
@idempotent
def report_send_back(request, pk):
    return _step_or_done(request, pk, "send_back", {ReportVersion.Action.SEND_BACK: UnitReport.Status.PENDING},
                         lambda report: _send_back(request, report))


def _send_back(request, report):
    form = ReviewForm(request.POST)
    form.is_valid()
    return _step(request, report, services.report_send_back,
                 _("The report is sent back to the officer with your comments."),
                 comment=form.cleaned_data.get("comment", ""))


@login_required
@require_POST
def report_attach(request, pk):
    """The attachment form of pages opened before the file was posted with the report's form."""
    report = permissions.access_report(request.user, pk, action="edit")
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to attach."))
    else:
        try:
            services.report_attach(report=report, user=request.user, file=form.cleaned_data["file"])
            messages.success(request, _("The file is attached."))
        except services.ReportError as exc:
            messages.error(request, str(exc))
    return redirect("reports:detail", pk=report.pk)


@login_required
def attachment_download(request, pk, attachment_id):
    attachment = permissions.access_attachment(request.user, pk, attachment_id)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)


@login_required
@require_POST
@idempotent
def report_review(request, pk):
    return _step_or_done(request, pk, "review", {ReportVersion.Action.ACCEPT: UnitReport.Status.SUBMITTED,
                                                     ReportVersion.Action.RETURN: UnitReport.Status.SUBMITTED},
                         lambda report: _review(request, report))


def _review(request, report):
    form = ReviewForm(request.POST)
    form.is_valid()
    comment = form.cleaned_data.get("comment", "")
    if request.POST.get("action") == "accept":
        return _step(request, report, services.report_accept, _("The report is accepted and locked."), comment=comment)
    return _step(request, report, services.report_return, _("The report is returned to the unit with your comments."),
                 comment=comment)


SIGNING_FIELDS = ("number", "place", "recipients", "signer_authority", "signer_position", "signer_name")


def _signing_initial(request, plan) -> dict:
    """The form's start: the unit's defaults, then what this user wrote last time for the unit."""
    initial = exports.consolidated_defaults(plan)
    remembered = request.session.get(f"consolidated:{plan.owner_id}") or {}
    initial.update({k: v for k, v in remembered.items() if k in SIGNING_FIELDS and v})
    return initial


def _dashboard_page(request, period, *, signing_form=None, status=200):
    data = selectors.consolidated(plan=period.plan, period=period, narrative_limit=50)
    periods = list(ReportingPeriod.objects.filter(plan_id=period.plan_id).order_by("year", "order"))
    chart_height = 20 * min(len(data["completeness"]["rollup"]), 60) + 10
    initial = _signing_initial(request, period.plan)
    return render(request, "reports/dashboard.html", {
        **data, "periods": periods, "chart_height": chart_height, "issuer": initial["issuer"],
        "signing_form": signing_form or ConsolidatedForm(initial=initial), "signing_open": signing_form is not None,
        "can_manage": permissions.can_manage_periods(request.user, period.plan),
    }, status=status)


@login_required
def dashboard(request, period_id):
    return _dashboard_page(request, permissions.access_dashboard(request.user, period_id))


@login_required
def download(request, period_id, fmt):
    period = permissions.access_dashboard(request.user, period_id)
    if fmt not in ("docx", "xlsx"):
        raise Http404
    initial = _signing_initial(request, period.plan)
    meta = {k: v for k, v in initial.items() if k not in ("issuer", "issuer_superior")}
    if "place" in request.GET:  # the form on the dashboard
        form = ConsolidatedForm(request.GET)
        if not form.is_valid():  # said on the dashboard, beside what was typed; nothing downloads
            return _dashboard_page(request, period, signing_form=form, status=400)
        meta = {**meta, **form.cleaned_data}
        request.session[f"consolidated:{period.plan.owner_id}"] = {k: form.cleaned_data.get(k) or "" for k in SIGNING_FIELDS}
    data = selectors.consolidated(plan=period.plan, period=period)
    if fmt == "docx":
        content, content_type = exports.consolidated_docx(data, meta), DOCX
    else:
        content, content_type = exports.consolidated_xlsx(data, meta), XLSX
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(data, fmt)}"'
    return response
