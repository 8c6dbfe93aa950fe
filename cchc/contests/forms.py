"""Forms of knowledge contests. The services check again; forms give each field its message."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M"]
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_ERRORS = {"invalid": _("Write the date and time as dd/mm/yyyy hh:mm, e.g. 15/03/2026 08:00."),
                   "required": _("Give the date and time.")}


class ContestForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Organising unit"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("Name of the contest"), max_length=300)
    description = forms.CharField(label=_("Description and rules"), required=False, max_length=10000,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    ask_phone = forms.BooleanField(label=_("Ask for a phone number"), required=False, initial=True)
    ask_citizen_id = forms.BooleanField(label=_("Ask for the citizen ID (CCCD)"), required=False, initial=True,
                                        help_text=_("Only a keyed hash (to allow one attempt per person) and the last "
                                                    "4 digits are stored."))
    retention_days = forms.IntegerField(label=_("Keep personal data for (days after the last round closes)"),
                                        min_value=1, max_value=3650, initial=180)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        from cchc.org.models import Unit

        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units]).order_by("path")


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Question bank (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
                           error_messages={"required": _("Choose the filled-in template (.xlsx).")})


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Name of the round"), max_length=300)
    opens_at = forms.DateTimeField(label=_("Opens at"), input_formats=DATETIME_FORMATS, widget=DATETIME_WIDGET,
                                   error_messages=DATETIME_ERRORS)
    closes_at = forms.DateTimeField(label=_("Closes at"), input_formats=DATETIME_FORMATS, widget=DATETIME_WIDGET,
                                    error_messages=DATETIME_ERRORS)
    questions_per_attempt = forms.IntegerField(label=_("Questions drawn per attempt"), min_value=1, max_value=200,
                                               initial=20)
    time_limit_minutes = forms.IntegerField(label=_("Time limit (minutes)"), min_value=1, max_value=240, initial=15)
    prediction_question = forms.CharField(label=_("Tie-break prediction question"), max_length=300, required=False,
                                          help_text=_("Left empty: “Dự đoán có bao nhiêu người tham gia đợt thi này?”"))


class PrizesForm(forms.Form):
    """Up to five prize levels, each a name and how many."""

    LEVELS = 5
    DEFAULTS = ("Giải Nhất", "Giải Nhì", "Giải Ba", "Giải Khuyến khích", "")

    def __init__(self, *args, prizes=(), **kwargs):
        super().__init__(*args, **kwargs)
        existing = list(prizes)
        for i in range(self.LEVELS):
            name = existing[i].name if i < len(existing) else self.DEFAULTS[i]
            count = existing[i].count if i < len(existing) else 0
            self.fields[f"name_{i}"] = forms.CharField(label=_("Prize %(n)d") % {"n": i + 1}, max_length=100,
                                                       required=False, initial=name)
            self.fields[f"count_{i}"] = forms.IntegerField(label=_("How many"), min_value=0, max_value=1000,
                                                           required=False, initial=count)

    def counts(self) -> list[tuple[str, int]]:
        d = self.cleaned_data
        return [(d.get(f"name_{i}") or "", d.get(f"count_{i}") or 0) for i in range(self.LEVELS)]


class StartForm(forms.Form):
    """Who takes part: the name, the unit, and the identifiers the contest asks for."""

    name = forms.CharField(label=_("Full name"), max_length=120,
                           error_messages={"required": _("Write your full name.")},
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}))
    citizen_id = forms.CharField(label=_("Citizen ID (CCCD, 12 digits)"), max_length=20, required=False,
                                 widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    unit = forms.TypedChoiceField(label=_("Your commune, ward or agency"), coerce=int,
                                  error_messages={"required": _("Choose your commune, ward or agency from the list."),
                                                  "invalid_choice": _("Choose your commune, ward or agency from the list.")})
    consent = forms.BooleanField(label=_("I agree that my name, phone and the last digits of my citizen ID are kept "
                                         "for this contest only, and erased after it."),
                                 error_messages={"required": _("Tick the consent to take part.")})

    def __init__(self, *args, units=(), contest=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "")] + [(u.pk, u.name) for u in units]
        if contest is not None:
            self.fields["phone"].required = contest.ask_phone
            self.fields["citizen_id"].required = contest.ask_citizen_id
            if not contest.ask_phone:
                del self.fields["phone"]
            if not contest.ask_citizen_id:
                del self.fields["citizen_id"]
        for name in ("phone", "citizen_id"):
            if name in self.fields:
                self.fields[name].error_messages["required"] = {
                    "phone": _("Write a Vietnamese mobile phone number of 10 digits, e.g. 0912 345 678."),
                    "citizen_id": _("The citizen ID (CCCD) has exactly 12 digits."),
                }[name]

    def clean_phone(self):
        from .services import normalise_phone

        value = self.cleaned_data.get("phone", "")
        if value and not normalise_phone(value):
            raise forms.ValidationError(self.fields["phone"].error_messages["required"])
        return value

    def clean_citizen_id(self):
        from .services import normalise_citizen_id

        value = self.cleaned_data.get("citizen_id", "")
        if value and not normalise_citizen_id(value):
            raise forms.ValidationError(self.fields["citizen_id"].error_messages["required"])
        return value

