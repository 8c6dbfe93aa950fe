"""Forms of the public side of citizens' feedback (phản ánh, kiến nghị): sending a petition, following
it by its code, searching the published answers."""

from __future__ import annotations

import re
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import ngettext

from cchc.core.text import nfc

# The file types the national PAKN portal accepts.
ATTACHMENT_TYPES = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".jpg", ".jpeg", ".png"}
IMAGE_TYPES = {".jpg", ".jpeg", ".png"}

_PHONE_CHARS = re.compile(r"^[0-9 +().\-]{6,20}$")


def max_files() -> int:
    return int(getattr(settings, "CCHC_FEEDBACK_MAX_FILES", 5))


def max_file_bytes() -> int:
    return min(int(getattr(settings, "CCHC_FEEDBACK_MAX_FILE_BYTES", 10 * 1024 * 1024)), settings.CCHC_MAX_UPLOAD_BYTES)


def max_total_bytes() -> int:
    return int(getattr(settings, "CCHC_FEEDBACK_MAX_TOTAL_BYTES", settings.CCHC_MAX_UPLOAD_BYTES))


def normalise_phone(value: str) -> str:
    """Digits only, a leading +84 written as 0 ("+84 912 345 678" → "0912345678"); "" for nothing;
    ValidationError with a clear message for something that is no phone number."""
    value = (value or "").strip()
    if not value:
        return ""
    if not _PHONE_CHARS.match(value):
        raise ValidationError(_("Write the phone number with digits only, for example 0912 345 678."))
    digits = re.sub(r"\D", "", value)
    if value.lstrip().startswith("+") and digits.startswith("84"):
        digits = "0" + digits[2:]
    if not 9 <= len(digits) <= 11:
        raise ValidationError(_("A phone number has 10 digits (9 to 11 for a landline), for example 0912 345 678."))
    return digits


def normalise_email(value: str) -> str:
    email = (value or "").strip().lower()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(_("“%(value)s” is not an e-mail address. Write it as name@example.vn.")
                              % {"value": (value or "").strip()[:100]}) from None
    return email


def _text(value: str) -> str:
    return nfc((value or "").replace("\r\n", "\n")).strip()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class _Marked(forms.Form):
    """A field with an error says so to screen readers and points to its message."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update({"aria-invalid": "true", "aria-describedby": f"id_{name}-error"})


class IntakeForm(_Marked):
    """A petition as a citizen sends it. The procedure is found from what is typed in `procedure_text`
    (a national code or words of its name) among the site's catalogue, or chosen in `procedure` when
    the words fit several; `unit` is one of the units the site covers."""

    name = forms.CharField(label=_l("Full name"), max_length=150,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = forms.CharField(label=_l("Phone number"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}))
    email = forms.CharField(label=_l("E-mail"), max_length=254, required=False,
                            widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}))
    address = forms.CharField(label=_l("Address (optional)"), max_length=300, required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "street-address"}))
    subject = forms.CharField(label=_l("Subject"), max_length=300)
    procedure_text = forms.CharField(label=_l("Administrative procedure concerned (optional)"), max_length=200,
                                     required=False)
    procedure = forms.IntegerField(required=False, widget=forms.HiddenInput)
    unit = forms.IntegerField(label=_l("Agency or unit concerned (optional)"), required=False)
    content = forms.CharField(label=_l("Content of the feedback or petition"), max_length=10000,
                              widget=forms.Textarea(attrs={"rows": 8}))
    consent_publish = forms.BooleanField(
        label=_l("I agree that my question and its answer are published on this site, without my name, phone "
                 "number, e-mail or address."), required=False)
    consent_data = forms.BooleanField(
        label=_l("I have read how my personal data is used and agree to it being processed to handle this "
                 "petition."),
        error_messages={"required": _l("Tick this box to agree to your personal data being processed; without it "
                                       "the petition cannot be handled.")})
    # a field people do not see (hidden by the page's stylesheet); robots that fill in every field do
    website = forms.CharField(label=_l("Leave this field empty"), required=False, max_length=200)
    form_token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, procedures=None, units=(), files_list=(), **kwargs):
        """`procedures`: a function (text, chosen pk) → (procedure or None, candidates) looking in the
        site's catalogue; `units`: the (pk, name) pairs the site offers; `files_list`: the uploads."""
        super().__init__(*args, **kwargs)
        self.find_procedures = procedures
        self.unit_choices = list(units)
        self.uploads = list(files_list)
        self.candidates = []
        self.fields["name"].error_messages["required"] = _l("Write your full name.")
        self.fields["subject"].error_messages["required"] = _l("Write the subject of your feedback or petition.")
        self.fields["content"].error_messages["required"] = _l("Write the content of your feedback or petition.")
        for name in ("name", "subject", "address", "procedure_text", "content", "phone", "email"):
            self.fields[name].error_messages["max_length"] = _l(
                "Write at most %(limit_value)d characters (you wrote %(show_value)d).")

    @property
    def is_robot(self) -> bool:
        return bool((self.data.get("website") or "").strip())

    def clean_name(self):
        return _text(self.cleaned_data["name"])

    def clean_subject(self):
        return _text(self.cleaned_data["subject"])

    def clean_content(self):
        value = _text(self.cleaned_data["content"])
        if len(value) < 10:
            raise ValidationError(_("Describe your feedback or petition in a few words at least."))
        return value

    def clean_address(self):
        return _text(self.cleaned_data["address"])

    def clean_phone(self):
        return normalise_phone(self.cleaned_data.get("phone", ""))

    def clean_email(self):
        return normalise_email(self.cleaned_data.get("email", ""))

    def clean_unit(self):
        pk = self.cleaned_data.get("unit")
        if pk is None:
            return None
        if pk not in {p for p, _name in self.unit_choices}:
            raise ValidationError(_("Choose the unit from the list."))
        return pk

    def clean(self):
        data = super().clean()
        if "phone" in data and "email" in data and not data.get("phone") and not data.get("email"):
            self.add_error("phone", _("Give a phone number or an e-mail address (or both), so that the answer can "
                                      "reach you and you can follow the petition."))
        text = _text(data.get("procedure_text", ""))
        data["procedure_text"] = text
        data["procedure_obj"] = None
        if (text or data.get("procedure")) and self.find_procedures is not None:
            found, candidates = self.find_procedures(text, data.get("procedure"))
            if found is not None:
                data["procedure_obj"] = found
            elif candidates:
                self.candidates = candidates
                self.add_error("procedure_text", _("Several procedures fit these words: choose the one you mean, "
                                                   "or write its code."))
            else:
                self.add_error("procedure_text", _("No procedure of this site's catalogue fits “%(text)s”. Check "
                                                   "the words or the code, or leave the box empty and name the "
                                                   "procedure in the content.") % {"text": text[:100]})
        self._check_uploads()
        return data

    def _check_uploads(self):
        """Count, types and sizes from the names and sizes the request declared, before any byte of a
        file is read; then the first bytes of each file (and an office file's package) against its type."""
        from cchc.core.images import open_checked
        from cchc.core.uploads import UploadRefused, check_upload

        uploads = [u for u in self.uploads if getattr(u, "name", "")]
        if not uploads:
            return
        if len(uploads) > max_files():
            self.add_error(None, ngettext("Attach at most %(n)d file.", "Attach at most %(n)d files.", max_files())
                           % {"n": max_files()})
            return
        problems = []
        for upload in uploads:
            ext = Path(upload.name).suffix.lower()
            if ext not in ATTACHMENT_TYPES:
                problems.append(_("“%(name)s” is not an accepted file type. Accepted: %(types)s.")
                                % {"name": upload.name, "types": ", ".join(sorted(ATTACHMENT_TYPES))})
            elif (upload.size or 0) > max_file_bytes():
                problems.append(_("“%(name)s” is %(size).1f MB; a file may have at most %(limit).0f MB.")
                                % {"name": upload.name, "size": upload.size / 1048576,
                                   "limit": max_file_bytes() / 1048576})
        total = sum(u.size or 0 for u in uploads)
        if not problems and total > max_total_bytes():
            problems.append(_("The files together are %(size).1f MB; at most %(limit).0f MB can be attached.")
                            % {"size": total / 1048576, "limit": max_total_bytes() / 1048576})
        if not problems:
            for upload in uploads:
                try:
                    if Path(upload.name).suffix.lower() in IMAGE_TYPES:
                        open_checked(upload)
                        upload.seek(0)
                    else:
                        check_upload(upload, allowed=ATTACHMENT_TYPES)
                except UploadRefused as exc:
                    problems.append(str(exc))
        for problem in problems:
            self.add_error(None, problem)


class TrackForm(_Marked):
    code = forms.CharField(label=_l("Tracking code"), max_length=40,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                         "spellcheck": "false"}))
    contact = forms.CharField(label=_l("The phone number or e-mail you gave"), max_length=254,
                              widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].error_messages["required"] = _l("Write the tracking code you received.")
        self.fields["contact"].error_messages["required"] = _l(
            "Write the phone number or e-mail address you gave with the petition.")

    def clean_code(self):
        return self.cleaned_data["code"].strip()

    def clean_contact(self):
        return self.cleaned_data["contact"].strip()
