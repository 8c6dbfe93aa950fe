from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_prose_editor.widgets import ProseEditorWidget

from cchc.core.images import open_checked
from cchc.core.uploads import UploadRefused

from .models import Article, Audience, Category, Theme
from .sanitize import clean_html
from .services import check_attachment

EDITOR_CONFIG = {
    "extensions": {
        "Bold": True, "Italic": True, "Underline": True, "Strike": True,
        "Heading": {"levels": [2, 3, 4]}, "BulletList": True, "OrderedList": True, "ListItem": True,
        "Blockquote": True, "HorizontalRule": True, "HardBreak": True,
        "Link": {"protocols": ["http", "https", "mailto"], "enableTarget": False},
        "Image": True, "Figure": True, "Caption": True,
        "Table": True, "TableRow": True, "TableHeader": True, "TableCell": True,
        "History": True, "SpecialCharacters": True,
    },
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.docx,.xlsx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ArticleForm(forms.ModelForm):
    body = forms.CharField(label=_lazy("body"), required=False,
                           widget=ProseEditorWidget(config=EDITOR_CONFIG, preset="configurable"))
    audiences = forms.MultipleChoiceField(label=_lazy("audience"), choices=Audience.choices, required=False,
                                          widget=forms.CheckboxSelectMultiple)
    themes = forms.ModelMultipleChoiceField(label=_lazy("themes"), queryset=Theme.objects.filter(is_active=True),
                                            required=False, widget=forms.CheckboxSelectMultiple)
    cover_upload = forms.FileField(label=_lazy("cover image"), required=False,
                                   widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
                                   help_text=_lazy("JPEG, PNG or WebP; it is resized and its metadata removed."))
    remove_cover = forms.BooleanField(label=_lazy("Remove the cover image"), required=False)
    new_attachments = MultipleFileField(label=_lazy("attached documents"), required=False,
                                        help_text=_lazy("PDF, DOCX or XLSX."))

    class Meta:
        model = Article
        fields = ["title", "lead", "body", "category", "themes", "audiences", "language", "cover_alt"]
        widgets = {"lead": forms.Textarea(attrs={"rows": 3})}
        labels = {"title": _lazy("headline"), "lead": _lazy("lead paragraph")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(is_active=True)
        if self.instance.pk:
            self.fields["remove_attachments"] = forms.ModelMultipleChoiceField(
                label=_lazy("Remove these documents"), queryset=self.instance.attachments.all(), required=False,
                widget=forms.CheckboxSelectMultiple)
        else:
            self.fields.pop("remove_cover")

    def clean_body(self):
        body = clean_html(self.cleaned_data.get("body") or "")
        if len(body) > 500_000:
            raise forms.ValidationError(_("The body is too long (at most 500,000 characters)."))
        return body

    def clean_cover_upload(self):
        upload = self.cleaned_data.get("cover_upload")
        if upload:
            try:
                open_checked(upload)
                upload.seek(0)
            except UploadRefused as exc:
                raise forms.ValidationError(str(exc)) from None
        return upload

    def clean_new_attachments(self):
        uploads = self.cleaned_data.get("new_attachments") or []
        for upload in uploads:
            try:
                check_attachment(upload)
            except UploadRefused as exc:
                raise forms.ValidationError(str(exc)) from None
        return uploads

    def clean(self):
        data = super().clean()
        if data.get("cover_upload") and not (data.get("cover_alt") or "").strip():
            self.add_error("cover_alt", _("Describe the image in a few words for readers who cannot see it."))
        return data


class ScheduleForm(forms.Form):
    publish_at = forms.DateTimeField(label=_lazy("publish at"),
                                     help_text=_lazy("dd/mm/yyyy hh:mm, for example 15/09/2025 08:00"),
                                     widget=forms.DateTimeInput(attrs={"placeholder": "dd/mm/yyyy hh:mm"}))


class SearchForm(forms.Form):
    q = forms.CharField(label=_lazy("Search"), required=False, max_length=200)
