"""Simple forms a commune officer can fill in without training. Dates are typed dd/mm/yyyy."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.core import bounds
from cchc.core.text import fold
from cchc.documents.targets import parse_targets
from cchc.org.models import Unit

from .models import Plan, Section, Task
from .targets import target_line

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})
DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]


def _lines(text: str) -> list[str]:
    return [line.strip(" -•\t") for line in (text or "").splitlines() if line.strip(" -•\t")]


class UnitChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ImportForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("Plan of unit"), queryset=Unit.objects.none(), empty_label=None)
    file = forms.FileField(
        label=_("Plan document"), required=False,
        help_text=_("A .docx, .pdf (with selectable text), .txt or .md file."),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.pdf,.txt,.md"}),
    )
    text = forms.CharField(label=_("…or paste the text of the plan"), required=False,
                           widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units]).order_by("path")

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Choose a file or paste the text of the plan."))
        return data


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500,
                            help_text=_("For example: Tuyên truyền cải cách hành chính năm 2025"))
    kind = forms.CharField(label=_("Document type"), max_length=20, initial="KH", help_text=_("KH for a plan"))
    number = forms.CharField(label=_("Number and symbol"), max_length=64, required=False,
                             help_text=_("For example 174/KH-UBND; leave empty until it has a number."))
    plan_year = bounds.Bound(_("Plan year"), Decimal(2000), Decimal(2100), grouped=False).form_field()
    date = forms.DateField(label=_("Date of issue"), required=False, widget=DATE_WIDGET, input_formats=DATE_FORMATS)
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    issuer = forms.CharField(label=_("Issuing body"), max_length=300, required=False)
    signer_authority = forms.CharField(label=_("Signing authority"), max_length=150, required=False,
                                       help_text=_("For example: KT. CHỦ TỊCH"))
    signer_position = forms.CharField(label=_("Signer's position"), max_length=150, required=False)
    signer_name = forms.CharField(label=_("Signer's name"), max_length=150, required=False)
    recipients = forms.CharField(label=_("Recipients (one per line)"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 4}))

    @classmethod
    def initial_from(cls, plan: Plan) -> dict:
        data = {f: getattr(plan, f) for f in cls.base_fields if f != "recipients"}
        data["recipients"] = "\n".join(plan.recipients or [])
        return data

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["recipients"] = _lines(data.get("recipients"))
        return data


class SectionForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=20, required=False, help_text=_("I, 1, a …"))
    heading = forms.CharField(label=_("Heading"), max_length=500)
    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    parent = forms.ModelChoiceField(label=_("Inside section"), queryset=Section.objects.none(), required=False)

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = plan.sections.all()


_PER = {"tuan": "week", "thang": "month", "quy": "quarter", "nam": "year"}
_TARGET = re.compile(r"^(?P<least>(it nhat|toi thieu)\s+)?(?P<qty>\d+(?:[.,]\d+)?)\s+(?P<unit>.+?)(?:\s*/\s*(?:1\s+)?(?P<per>tuan|thang|quy|nam))?$")


def parse_target_line(line: str) -> dict | None:
    """'10 lớp', '4 bài/quý', 'ít nhất 4 tin, bài/tháng' → a target dict; None when no number leads.
    A recurrence without a number ('hằng tuần') and a count in languages ('12 bài/năm bằng tiếng Mông')
    are read as the document reader reads them, so that a task's soft and language targets survive
    an edit of the task."""
    read = parse_targets(line)
    folded = fold(line).strip()
    m = _TARGET.match(folded)
    if len(read) == 1 and (read[0].get("soft") or read[0].get("languages") or not m):
        target = dict(read[0], text=line.strip())
        target["quantity"] = Decimal(str(target["quantity"]))
        return target
    if not m:
        return None
    # Keep the counted thing in the user's own accented words: cut the same span from the original.
    start, end = m.span("unit")
    unit = line.strip()[start:end].strip()
    return {"quantity": Decimal(m["qty"].replace(",", ".")), "unit": unit, "per": _PER.get(m["per"] or "", None),
            "at_least": bool(m["least"]), "text": line.strip()}


def target_problem(target: dict) -> str | None:
    """What is wrong with a target's number (`bounds.TARGET_QUANTITY`; a percentage is at most 100)."""
    if (message := bounds.TARGET_QUANTITY.problem(target["quantity"])) is not None:
        return message
    if target.get("unit", "").strip() in ("%", "phần trăm") and target["quantity"] > 100:
        return _("A percentage is at most 100.")
    return None


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), widget=forms.Textarea(attrs={"rows": 2}))
    text = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    section = forms.ModelChoiceField(label=_("Section"), queryset=Section.objects.none(), required=False)
    lead_units = UnitChoiceField(label=_("Lead units"), queryset=Unit.objects.none(), required=False,
                                 widget=forms.SelectMultiple(attrs={"size": 6, "class": "unit-picker"}))
    support_units = UnitChoiceField(label=_("Coordinating units"), queryset=Unit.objects.none(), required=False,
                                    widget=forms.SelectMultiple(attrs={"size": 6, "class": "unit-picker"}))
    timeframe_text = forms.CharField(label=_("Timeframe as written"), max_length=300, required=False,
                                     help_text=_("For example: Quý II/2025, Thường xuyên"))
    start = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET, input_formats=DATE_FORMATS)
    end = forms.DateField(label=_("To"), required=False, widget=DATE_WIDGET, input_formats=DATE_FORMATS)
    recurrence = forms.ChoiceField(label=_("Repeats"), choices=[("", "—"), *Task.Recurrence.choices], required=False)
    delivery_forms = forms.CharField(label=_("Forms (one per line)"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    targets = forms.CharField(label=_("Targets (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("For example: 10 lớp · 4 bài/quý · ít nhất 4 tin, bài/tháng"))
    funding = forms.CharField(label=_("Funding"), max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, plan: Plan, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = plan.sections.all()
        self.fields["lead_units"].queryset = units
        self.fields["support_units"].queryset = units

    @classmethod
    def initial_from(cls, task: Task) -> dict:
        assignments = list(task.assignments.all())
        return {
            "title": task.title, "text": task.text, "section": task.section_id, "delivery_forms": "\n".join(task.forms or []),
            "timeframe_text": task.timeframe_text, "start": task.start, "end": task.end, "recurrence": task.recurrence,
            "funding": task.funding, "version": task.version,
            "lead_units": [a.unit_id for a in assignments if a.unit_id and a.role == "lead"],
            "support_units": [a.unit_id for a in assignments if a.unit_id and a.role == "support"],
            "targets": "\n".join(target_line(t) for t in task.targets.all()),
        }

    def clean_targets(self):
        out, bad = [], []
        for line in _lines(self.cleaned_data.get("targets")):
            target = parse_target_line(line)
            (out.append(target) if target else bad.append(line))
        if bad:
            raise forms.ValidationError(
                _("Start each target with its number, e.g. “10 lớp”. Not understood: %(lines)s") % {"lines": "; ".join(bad)}
            )
        problems = [f"“{t['text']}”: {message}" for t in out if (message := target_problem(t)) is not None]
        if problems:
            raise forms.ValidationError(problems)
        return out

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end date must not be before the start date."))
        return data

    def service_fields(self) -> dict:
        d = self.cleaned_data
        return {
            "title": d["title"], "text": d.get("text") or "", "section": d.get("section"),
            "forms": _lines(d.get("delivery_forms")), "timeframe_text": d.get("timeframe_text") or "",
            "start": d.get("start"), "end": d.get("end"), "recurrence": d.get("recurrence") or "",
            "funding": d.get("funding") or "",
        }


class TrackForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Task.Status.choices)
    progress = bounds.PERCENT.form_field(label=_("Progress (%)"), required=True)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file"))
    note = forms.CharField(label=_("What it shows"), max_length=500, required=False)


class TaskFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All"))
    role = forms.ChoiceField(label=_("Role"), required=False,
                             choices=[("", _("All")), ("lead", _("lead")), ("support", _("coordinating"))])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *Task.Status.choices])
    period = forms.ChoiceField(label=_("Period"), required=False, choices=[("", _("All"))])
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, units=None, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [("", _("All")), *periods]
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()
