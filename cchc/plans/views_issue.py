"""Pages that reach many people, each confirmed before it acts: issuing a plan (who receives it, its
number and date, the reporting periods it opens), deriving a unit's own plan (which tasks to take, its
title, where its reports go), and who submits the units' reports for a plan.

The plan page's buttons post here without a confirmation: that shows the page; only the page's own
form (`confirm=1`) acts."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.core import registry
from cchc.core.idempotency import idempotent

from . import permissions, services
from .issue import plan_recipients
from .models import Assignment, Plan, Task

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})
DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]


class IssueForm(forms.Form):
    """The number and date of issue, asked only when the plan has none."""

    number = forms.CharField(label=gettext_lazy("Number and symbol"), max_length=64,
                             help_text=gettext_lazy("As on the signed document, e.g. 174/KH-UBND."))
    date = forms.DateField(label=gettext_lazy("Date of issue"), input_formats=DATE_FORMATS, widget=DATE_WIDGET)

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        if plan.number:
            del self.fields["number"]
        if plan.date:
            del self.fields["date"]


class DeriveForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title of your plan"), max_length=500)
    report_recipient = forms.CharField(label=gettext_lazy("Your unit sends its reports to"), max_length=300)


class ReportWorkflowForm(forms.Form):
    report_submitter = forms.ChoiceField(label=gettext_lazy("Who submits the units' reports"),
                                         choices=Plan.ReportSubmitter.choices, widget=forms.RadioSelect)


def _confirmed(request) -> bool:
    return request.method == "POST" and request.POST.get("confirm") == "1"


# ---------------------------------------------------------------- issue

@login_required
@idempotent
def plan_issue(request, plan_id):
    plan = permissions.access_plan(request.user, plan_id, action="issue")
    form = IssueForm(request.POST if _confirmed(request) else None, plan=plan)
    if _confirmed(request) and form.is_valid():
        try:
            services.plan_issue(plan=plan, user=request.user, number=form.cleaned_data.get("number"),
                                date=form.cleaned_data.get("date"))
        except services.PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The plan is issued. The units it assigns tasks to can see them now."))
            return redirect("plans:detail", plan.pk)
    steps = [line for step in registry.plan_issue_steps for line in step.describe(plan)]
    return render(request, "plans/plan_issue_confirm.html", {
        "plan": plan, "form": form, "recipients": plan_recipients(plan), "periods": steps,
        "tasks": plan.tasks.count(),
    })


# ---------------------------------------------------------------- derive

@login_required
def plan_derive(request, plan_id):
    """Choose which of the plan's tasks the unit takes into its own plan: those it leads are chosen,
    those it supports are offered and stay "phối hợp" in its plan."""
    plan, unit = permissions.access_unit_for_child(request.user, plan_id,
                                                   request.POST.get("unit") or request.GET.get("unit"))
    child = services.child_plan_for(plan, unit)
    tasks = list(
        Task.objects.filter(plan=plan, assignments__unit=unit).distinct().select_related("section")
        .prefetch_related("targets").order_by("order", "id")
    )
    if not tasks:
        messages.error(request, _("%(unit)s has no task in this plan.") % {"unit": unit.name})
        return redirect("plans:detail", plan.pk)
    leads = set(Assignment.objects.filter(task__in=tasks, unit=unit, role=Assignment.Role.LEAD).values_list("task_id", flat=True))
    taken = set(child.tasks.exclude(parent_task=None).values_list("parent_task_id", flat=True)) if child else set()
    form = DeriveForm(request.POST if _confirmed(request) else None, initial={
        "title": services.child_plan_title(plan, unit), "report_recipient": services.child_report_recipient(plan, unit),
    })
    chosen = {int(i) for i in request.POST.getlist("task") if i.isdigit()} if _confirmed(request) else \
        {t.pk for t in tasks if t.pk in leads and t.pk not in taken}
    if _confirmed(request) and (child is not None or form.is_valid()):
        if not chosen - taken:
            messages.error(request, _("Choose at least one task to take into your plan."))
        else:
            data = form.cleaned_data if child is None else {}
            try:
                child = services.plan_derive_child(plan=plan, unit=unit, user=request.user, task_ids=chosen,
                                                   title=data.get("title"), report_recipient=data.get("report_recipient"))
            except services.PlanError as exc:
                messages.error(request, str(exc))
            else:
                if request.POST.get("then") == "issue" and permissions.can_issue_plan(request.user, child):
                    return redirect("plans:issue", child.pk)
                messages.success(request, _("Your plan was made from the tasks you chose. Add your own tasks, then issue it."))
                return redirect("plans:detail", child.pk)
    rows = [{"task": t, "lead": t.pk in leads, "taken": t.pk in taken, "chosen": t.pk in chosen} for t in tasks]
    return render(request, "plans/plan_derive.html", {
        "plan": plan, "unit": unit, "child": child, "form": form, "rows": rows,
        "can_issue": permissions.issues_for(request.user, unit),
    })


# ---------------------------------------------------------------- who submits the reports

@login_required
def plan_report_workflow(request, plan_id):
    plan = permissions.access_plan(request.user, plan_id, action="report_workflow")
    form = ReportWorkflowForm(request.POST or None, initial={"report_submitter": plan.report_submitter})
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_set_report_submitter(plan=plan, user=request.user,
                                               report_submitter=form.cleaned_data["report_submitter"])
        except services.PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Who submits the reports of this plan is saved."))
            return redirect("plans:detail", plan.pk)
    return render(request, "plans/plan_report_workflow.html", {"plan": plan, "form": form})
