"""Forms of the reports pages. Dates are typed dd/mm/yyyy."""

from __future__ import annotations

import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})
DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]


def new_token() -> str:
    return secrets.token_hex(16)


class ReportForm(forms.Form):
    results = forms.CharField(label=_("Results"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
                              help_text=_("What the unit did in the period, beyond the numbers counted above."))
    limitations = forms.CharField(label=_("Limitations and their causes"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    proposals = forms.CharField(label=_("Proposals"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("Comments for the unit"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("Required when you return the report: say what to change."))


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Attach a file"),
                           help_text=_("PDF, Word, Excel, images, up to the upload limit."))


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("Data from"), input_formats=DATE_FORMATS, widget=DATE_WIDGET)
    end = forms.DateField(label=_("Data until"), input_formats=DATE_FORMATS, widget=DATE_WIDGET)
    due = forms.DateField(label=_("Due date (last day on time)"), input_formats=DATE_FORMATS, widget=DATE_WIDGET)
    rule_text = forms.CharField(label=_("Due rule as written"), required=False, max_length=500)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end of the data window must not be before its start."))
        return data


class ConsolidatedForm(forms.Form):
    """What the consolidated report needs to be signed: asked before the download, started from the
    consolidating unit (`exports.consolidated_defaults`), never copied from the plan's decision."""

    number = forms.CharField(label=_("Number and symbol"), max_length=64, required=False,
                             help_text=_("Leave blank to write it by hand after signing."))
    place = forms.CharField(label=_("Place"), max_length=100)
    date = forms.DateField(label=_("Date"), input_formats=DATE_FORMATS, widget=DATE_WIDGET)
    recipients = forms.CharField(label=_("Recipients"), required=False, max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 3}), help_text=_("One per line."))
    signer_authority = forms.CharField(label=_("Signing authority"), max_length=150, required=False,
                                       help_text=_("For example KT. CHỦ TỊCH or TL. GIÁM ĐỐC."))
    signer_position = forms.CharField(label=_("Signer's position"), max_length=150, required=False)
    signer_name = forms.CharField(label=_("Signed by"), max_length=150, required=False)
