from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Issue
from .services import normalise_email


class SubscribeForm(forms.Form):
    email = forms.CharField(label=_("Your e-mail address"), max_length=254,
                            widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}))
    # a field people do not see (hidden by the page's stylesheet); robots that fill in every field do
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def clean_email(self):
        try:
            return normalise_email(self.cleaned_data.get("email", ""))
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages[0]) from None

    @property
    def is_robot(self) -> bool:
        return bool((self.data.get("website") or "").strip())


class IssueForm(forms.ModelForm):
    """The editorial text of an issue; its articles come as the checked boxes "articles" with a
    position "order-<id>" each (articles without a position follow in the list's order)."""

    class Meta:
        model = Issue
        fields = ["title", "intro", "closing"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 5}), "closing": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, candidates=(), chosen=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        self.chosen = list(chosen)

    def article_ids(self) -> list[int]:
        known = {a.pk for a in self.candidates}
        picked = []
        for index, value in enumerate(self.data.getlist("articles")):
            if not value.isdigit() or int(value) not in known:
                continue
            position = (self.data.get(f"order-{value}") or "").strip()
            picked.append((int(position) if position.isdigit() else 10_000 + index, index, int(value)))
        return [pk for _position, _index, pk in sorted(picked)]

    def rows(self) -> list[dict]:
        """The candidates as the form lists them: chosen ones first, in their order."""
        order = {pk: n for n, pk in enumerate(self.chosen)}
        rows = [{"article": a, "checked": a.pk in order, "order": order[a.pk] + 1 if a.pk in order else ""}
                for a in self.candidates]
        return sorted(rows, key=lambda r: (not r["checked"], r["order"] or 0))
