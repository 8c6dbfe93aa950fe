from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.core.images import ImageRefused, check_image

from .models import PublicContact, PublicSite


class SiteForm(forms.ModelForm):
    class Meta:
        model = PublicSite
        fields = ["title", "slug", "tagline", "emblem", "address", "hotline", "email", "intro", "is_public"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 5})}

    def clean_emblem(self):
        emblem = self.cleaned_data.get("emblem")
        if emblem and hasattr(emblem, "content_type"):  # a new upload, not the stored file
            try:
                return check_image(emblem, max_side=1200)
            except ImageRefused as exc:
                raise forms.ValidationError(str(exc)) from None
        return emblem


ContactFormSet = forms.inlineformset_factory(
    PublicSite, PublicContact, fields=["name", "position", "phone", "email", "is_leader", "order"],
    extra=2, max_num=30, can_delete=True,
    labels={"is_leader": _("leader")},
)
