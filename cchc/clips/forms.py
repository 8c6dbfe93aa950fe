from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M"]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self):
        super().__init__(format="%Y-%m-%dT%H:%M")


def _when(label):
    return forms.DateTimeField(label=label, input_formats=DATETIME_FORMATS, widget=DateTimeInput())


class ContestForm(forms.Form):
    title = forms.CharField(label=_("Name of the contest"), max_length=300)
    rules = forms.CharField(label=_("Rules"), widget=forms.Textarea(attrs={"rows": 8}), required=False)
    entries_open_at = _when(_("Entries open"))
    entries_close_at = _when(_("Entries close"))
    voting_open_at = _when(_("Voting opens"))
    voting_close_at = _when(_("Voting closes"))
    judges_weight = forms.IntegerField(label=_("Weight of the judges' score (%)"), min_value=0, max_value=100,
                                       initial=70, help_text=_("The public vote has the rest."))
    criteria = forms.CharField(
        label=_("Judging criteria"), widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line: the criterion, a bar, its weight — e.g. “Nội dung, ý tưởng | 40”. Each is "
                    "scored from 0 to 10."))
    judges = forms.CharField(label=_("Judges (user names)"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                             help_text=_("One user name per line."))
    is_public = forms.BooleanField(label=_("Shown on the unit's public site"), required=False, initial=True)


class EntryForm(forms.Form):
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)
    author_name = forms.CharField(label=_("Your name (or your group's)"), max_length=200)
    contact = forms.CharField(label=_("Phone or e-mail"), max_length=254,
                              help_text=_("Only the organisers see it, to reach you about the entry."))
    organisation = forms.CharField(label=_("Unit or organisation (optional)"), max_length=300, required=False)
    title = forms.CharField(label=_("Title of the clip"), max_length=300)
    description = forms.CharField(label=_("A few words about the clip (optional)"), required=False,
                                  max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    video_link = forms.CharField(label=_("Link of the clip"), max_length=500, required=False)
    video_file = forms.FileField(label=_("Or the video file"), required=False)
    consent = forms.BooleanField(label=_("I made this clip (or have the right to send it), I agree to the rules "
                                         "and to its publication on this site."), required=False)
    website = forms.CharField(label=_("Leave this empty"), required=False)

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website"))


class VoteForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    website = forms.CharField(label=_("Leave this empty"), required=False)

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website"))


class ModerateForm(forms.Form):
    reason = forms.CharField(label=_("Reason (for a rejection)"), max_length=500, required=False)
