from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.plans.forms import DATE_FORMATS, DATE_WIDGET

from . import services
from .models import Level, OnlineLevel, Procedure


class DecisionUploadForm(forms.Form):
    file = forms.FileField(label=_("Decision file"),
                           help_text=_("The decision with its appendix, as .docx, .pdf (with selectable text), .txt "
                                       "or .md."),
                           widget=forms.ClearableFileInput(attrs={"accept": ".docx,.pdf,.txt,.md"}),
                           error_messages={"required": _("Choose the decision's file.")})


class DecisionIdentityForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=60, required=False)
    date = forms.DateField(label=_("Date signed"), required=False, widget=DATE_WIDGET, input_formats=DATE_FORMATS,
                           error_messages={"invalid": _("Write the date as dd/mm/yyyy, e.g. 15/03/2026.")})
    issuer = forms.CharField(label=_("Issued by"), max_length=300, required=False)
    title = forms.CharField(label=_("Title"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 2}))


class ProcedureFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    field = forms.ChoiceField(label=_("Field"), required=False)
    level = forms.ChoiceField(label=_("Level"), required=False, choices=[("", _("All levels")), *Level.choices])
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("active", _("in force")), ("abolished", _("abolished")), ("all", _("all"))])

    def __init__(self, *args, fields=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("All fields")), *((f, f) for f in fields)]


class ProcedureForm(forms.ModelForm):
    legal_basis_text = forms.CharField(label=_("Legal basis"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                       help_text=_("One document per line."))

    class Meta:
        model = Procedure
        fields = ["name", "code", "field", "level", "agency", "time_limit", "time_limit_days", "working_days", "fee",
                  "fee_free", "place", "documents_required", "online_level", "postal", "status"]
        widgets = {
            "name": forms.Textarea(attrs={"rows": 2}),
            "time_limit": forms.Textarea(attrs={"rows": 2}),
            "fee": forms.Textarea(attrs={"rows": 2}),
            "place": forms.Textarea(attrs={"rows": 2}),
            "documents_required": forms.Textarea(attrs={"rows": 4}),
            "working_days": forms.NullBooleanSelect(),
            "fee_free": forms.NullBooleanSelect(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [("", "—"), *Level.choices]
        self.fields["online_level"].choices = [("", "—"), *OnlineLevel.choices]
        self.fields["time_limit_days"].widget.attrs.update({"step": "1", "inputmode": "numeric"})
        if self.instance and self.instance.pk:
            self.fields["legal_basis_text"].initial = "\n".join(self.instance.legal_basis or [])

    def clean_time_limit_days(self):
        value = self.cleaned_data.get("time_limit_days")
        if value is not None and value > 3650:
            raise forms.ValidationError(_("A time limit of more than 3650 days is not a time limit; check the number."))
        return value

    def clean_legal_basis_text(self):
        lines = [line.strip() for line in (self.cleaned_data.get("legal_basis_text") or "").splitlines()]
        return [line[:500] for line in lines if line][:100]

    def changes(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["legal_basis"] = self.cleaned_data["legal_basis_text"]
        return data


def _bounded(name, label):
    bound = services.FIGURE_BOUNDS[name]
    return bound.form_field(label=label, required=False)


class FiguresForm(forms.Form):
    year = services.YEAR_BOUND.form_field(label=_("Year"), required=True)
    month = services.MONTH_BOUND.form_field(label=_("Month"), required=True)
    dossiers = _bounded("dossiers", _("Dossiers received"))
    online = _bounded("online", _("Dossiers received online"))
    fully_online = _bounded("fully_online", _("Dossiers handled fully online"))
    postal = _bounded("postal", _("Dossiers by public postal service"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["month"].initial = today.month
        for name in ("year", "month"):
            self.fields[name].error_messages["required"] = _("%(field)s is required.") % {
                "field": self.fields[name].label}

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        problems = services.figures_problems(**{k: data.get(k) or 0 for k in ("dossiers", "online", "fully_online",
                                                                                 "postal")},
                                             year=data.get("year"), month=data.get("month"))
        for name, message in problems.items():
            self.add_error(name if name in self.fields else None, message)
        return data


class FiguresImportForm(forms.Form):
    file = forms.FileField(label=_("Filled template (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
                           error_messages={"required": _("Choose the filled template.")})


def year_choices() -> list[int]:
    today = dt.date.today()
    return list(range(today.year, today.year - 6, -1))
