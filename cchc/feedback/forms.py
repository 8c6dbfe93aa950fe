"""Staff forms of feedback. The services check again; forms give each field its message."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.plans.forms import DATE_FORMATS, DATE_WIDGET

from .models import Channel, ItemType, Status
from .services import ATTACHMENT_TYPES, OFFICER_CHANNELS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def attachments_field() -> MultipleFileField:
    accept = ",".join(sorted(ATTACHMENT_TYPES))
    return MultipleFileField(label=_("Attachments"), required=False,
                             help_text=_("PDF, Word, Excel or pictures (JPG, PNG); at most 5 files."),
                             widget=MultipleFileInput(attrs={"accept": accept}))


class InboxFilterForm(forms.Form):
    q = forms.CharField(label=_("Code or subject"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All")), ("open", _("Waiting")), *Status.choices])
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=[("", _("All channels")), *Channel.choices])
    field = forms.ChoiceField(label=_("Field"), required=False)

    def __init__(self, *args, fields=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("All fields")), *[(f, f) for f in fields]]


class EntryForm(forms.Form):
    """An item that came by another channel than the website, entered by an officer."""

    unit = forms.ModelChoiceField(label=_("Received by"), queryset=None, empty_label=None)
    channel = forms.ChoiceField(label=_("Came by"), choices=[(c.value, c.label) for c in OFFICER_CHANNELS])
    received_on = forms.DateField(label=_("Date received"), widget=DATE_WIDGET, input_formats=DATE_FORMATS,
                                  error_messages={"invalid": _("Write the date as dd/mm/yyyy, e.g. 15/03/2026."),
                                                  "required": _("Give the date it was received.")})
    name = forms.CharField(label=_("Sender's name"), max_length=200, required=False,
                           help_text=_("Leave empty for an anonymous letter."))
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), max_length=254, required=False,
                             error_messages={"invalid": _("This is not an e-mail address.")})
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    subject = forms.CharField(label=_("Subject"), max_length=300)
    content = forms.CharField(label=_("Content"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6}))
    item_type = forms.ModelChoiceField(label=_("Type"), queryset=ItemType.objects.all(), empty_label=None)
    consent_to_publish = forms.BooleanField(label=_("The sender agrees to the publication of the question and answer "
                                                    "(without their personal data)"), required=False)
    attachments = attachments_field()

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        from cchc.org.models import Unit

        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units]).order_by("path")
        default = ItemType.objects.filter(is_default=True).first()
        if default is not None:
            self.fields["item_type"].initial = default.pk


class ClassifyForm(forms.Form):
    in_scope = forms.TypedChoiceField(
        label=_("Within the scope of feedback on administrative regulations?"), widget=forms.RadioSelect,
        coerce=lambda v: v == "yes", choices=[("yes", _("Yes, in scope")), ("no", _("No, out of scope: close it"))])
    scope_reason = forms.CharField(label=_("Reason (required when out of scope; the sender reads it)"), required=False,
                                   max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    field = forms.CharField(label=_("Field"), max_length=200, required=False)
    procedure = forms.ModelChoiceField(label=_("Procedure concerned"), queryset=None, required=False)
    item_type = forms.ModelChoiceField(label=_("Type"), queryset=ItemType.objects.all(), empty_label=None)

    def __init__(self, *args, procedures=None, **kwargs):
        super().__init__(*args, **kwargs)
        from cchc.procedures.models import Procedure

        self.fields["procedure"].queryset = procedures if procedures is not None else Procedure.objects.none()


class TransferForm(forms.Form):
    to_unit = forms.ModelChoiceField(label=_("Transfer to"), queryset=None,
                                     error_messages={"required": _("Choose the unit responsible.")})
    reason = forms.CharField(label=_("Reason"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Say why the feedback goes to this unit.")})

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = units


class DraftForm(forms.Form):
    text = forms.CharField(label=_("Answer to the sender"), max_length=50000, widget=forms.Textarea(attrs={"rows": 8}),
                           error_messages={"required": _("Write the answer.")})


class ApproveForm(forms.Form):
    text = forms.CharField(label=_("Answer to the sender"), max_length=50000, widget=forms.Textarea(attrs={"rows": 6}))
    public_title = forms.CharField(label=_("Public title"), max_length=300, required=False)
    public_question = forms.CharField(label=_("Public question (without personal data)"), max_length=20000,
                                      required=False, widget=forms.Textarea(attrs={"rows": 4}))
    public_text = forms.CharField(label=_("Public answer (without personal data)"), max_length=50000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 6}))


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("What to change"), max_length=400, required=False)
