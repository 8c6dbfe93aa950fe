"""Staff forms of surveys: dates as dd/mm/yyyy hh:mm in Asia/Ho_Chi_Minh, messages in Vietnamese."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Area, Question, Survey

DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y", "%d-%m-%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]
DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]


def _datetime(label):
    return forms.DateTimeField(label=label, input_formats=DATETIME_FORMATS, widget=forms.DateTimeInput(
        format="%d/%m/%Y %H:%M", attrs={"placeholder": "dd/mm/yyyy hh:mm", "autocomplete": "off"}),
        help_text=_("Day/month/year and hour:minute, Việt Nam time."))


def _date(label):
    return forms.DateField(label=label, required=False, input_formats=DATE_FORMATS, widget=forms.DateInput(
        format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}))


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Survey title"), max_length=300, required=False)
    introduction = forms.CharField(label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    opens_at = _datetime(_("Opens at"))
    closes_at = _datetime(_("Closes at"))
    limit = forms.ChoiceField(label=_("Answers allowed"), choices=Survey.Limit.choices)


class SurveyCreateForm(SurveyForm):
    unit = forms.ChoiceField(label=_("Unit"))
    from_template = forms.BooleanField(label=_("Start from the satisfaction index (SIPAS) questionnaire"), required=False,
                                       initial=True)
    field_order = ["unit", "from_template", "title", "introduction", "opens_at", "closes_at", "limit"]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {str(u.pk): u for u in units}
        self.fields["unit"].choices = [(str(u.pk), u.name) for u in units]
        self.fields["title"].help_text = _("Left empty with the template, the survey takes the national questionnaire's title.")

    def clean_unit(self):
        return self.units[self.cleaned_data["unit"]]


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Section title"), max_length=300)
    area = forms.ChoiceField(label=_("Area of the index"), required=False,
                             choices=[("", _("— not counted in the index —"))] + list(Area.choices))


class QuestionForm(forms.Form):
    section = forms.ChoiceField(label=_("Section"))
    text = forms.CharField(label=_("Question"), max_length=500)
    kind = forms.ChoiceField(label=_("Kind"), choices=Question.Kind.choices)
    required = forms.BooleanField(label=_("Required"), required=False)
    choices = forms.CharField(label=_("Answers to choose from (one per line)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))
    show_if = forms.ChoiceField(label=_("Shown only when the answer to"), required=False)
    show_if_value = forms.CharField(label=_("is"), max_length=200, required=False)

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        sections = list(survey.sections.all())
        self.sections = {str(s.pk): s for s in sections}
        self.fields["section"].choices = [(str(s.pk), s.title) for s in sections]
        questions = [q for q in Question.objects.filter(section__survey=survey).select_related("section")
                     if q.kind != Question.Kind.TEXT]
        self.questions = {str(q.pk): q for q in questions}
        self.fields["show_if"].choices = [("", _("— always shown —"))] + [(str(q.pk), q.text[:90]) for q in questions]

    def clean_section(self):
        return self.sections[self.cleaned_data["section"]]

    def clean_show_if(self):
        value = self.cleaned_data.get("show_if")
        return self.questions.get(value) if value else None

    def clean_choices(self):
        return [line for line in (self.cleaned_data.get("choices") or "").splitlines() if line.strip()]


class ReceiptForm(forms.Form):
    procedure = forms.ChoiceField(label=_("Procedure"), required=False)

    def __init__(self, *args, procedures, **kwargs):
        super().__init__(*args, **kwargs)
        self.procedures = {str(p.pk): p for p in procedures}
        self.fields["procedure"].choices = [("", _("— not a particular procedure —"))] + [
            (str(p.pk), f"{p.code} · {p.name}"[:160] if p.code else p.name[:160]) for p in procedures]

    def clean_procedure(self):
        value = self.cleaned_data.get("procedure")
        return self.procedures.get(value) if value else None


class ResultsFilterForm(forms.Form):
    start = _date(_("From"))
    end = _date(_("To"))
    procedure = forms.TypedChoiceField(label=_("Procedure"), required=False, coerce=int, empty_value=None)
    unit = forms.TypedChoiceField(label=_("Unit serving"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, procedures, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].choices = [("", _("— all —"))] + [(p, n) for p, n in procedures]
        self.fields["unit"].choices = [("", _("— all —"))] + [(u, n) for u, n in units]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end comes before the start."))
        return data


class SampleSizeForm(forms.Form):
    population = forms.IntegerField(label=_("Transactions in the period (N)"), min_value=1, max_value=100_000_000)
    margin = forms.DecimalField(label=_("Margin of error (e)"), min_value=Decimal("0.01"), max_value=Decimal("0.2"),
                                decimal_places=3, initial=Decimal("0.05"), localize=True)
