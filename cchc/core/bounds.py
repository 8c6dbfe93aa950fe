"""Bounds of the numbers people type (giới hạn của các trường số): quantities, targets, costs,
people, percentages. One `Bound` per kind of number checks a value in forms, services and
spreadsheet imports alike, with a Vietnamese message that names the limit as Vietnamese write
numbers ("Số lượng tối đa là 1.000.000."), so that a value the database cannot hold never reaches it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def vn_number(value) -> str:
    """1000000 → '1.000.000', Decimal('2.5') → '2,5' (dots group thousands, a comma for decimals)."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{int(value):,}".replace(",", ".")
    whole, _sep, frac = f"{value.normalize():f}".partition(".")
    return f"{int(whole):,}".replace(",", ".") + "," + frac


class WholeNumberField(forms.IntegerField):
    """An integer field that reads what it is given as a number first ("1e20", "99999999999", "1,5"),
    so that its bound names the limit or asks for a whole number instead of "must be a number"."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if self.localize:
            value = formats.sanitize_separators(value)
        try:
            number = Decimal(str(value).strip().replace(",", "."))
        except (InvalidOperation, ValueError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not number.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        # a fraction stays a Decimal: the bound's validator then asks for a whole number
        return int(number) if number == number.to_integral_value() else number


@dataclass(frozen=True)
class Bound:
    """A number of `label` between `low` and `high` (inclusive; `low` excluded when `low_open`), with at
    most `places` digits after the decimal comma."""

    label: object  # lazy, shown translated at the start of a message
    low: Decimal
    high: Decimal
    places: int = 0
    low_open: bool = False
    grouped: bool = True  # 1.000.000; a year is written 2100

    def _limit(self, value: Decimal) -> str:
        return vn_number(value) if self.grouped else str(value)

    def problem(self, value) -> str | None:
        """What is wrong with `value` in words for the user, or None when it is within the bound."""
        if value is None or value == "":
            return None
        field = str(self.label)
        try:
            number = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            return _("%(field)s must be a number.") % {"field": field}
        if not number.is_finite():
            return _("%(field)s must be a number.") % {"field": field}
        if self.low_open and number <= self.low:
            return _("%(field)s must be more than %(limit)s.") % {"field": field, "limit": self._limit(self.low)}
        if number < self.low:
            return _("%(field)s must be at least %(limit)s.") % {"field": field, "limit": self._limit(self.low)}
        if number > self.high:
            return _("%(field)s must be at most %(limit)s.") % {"field": field, "limit": self._limit(self.high)}
        if self.places == 0 and number != number.to_integral_value():
            return _("%(field)s must be a whole number.") % {"field": field}
        if self.places and number != number.quantize(Decimal(1).scaleb(-self.places), rounding="ROUND_DOWN"):
            return _("%(field)s has at most %(places)d digits after the decimal comma.") % {
                "field": field, "places": self.places}
        return None

    def validate(self, value) -> None:
        if (message := self.problem(value)) is not None:
            raise ValidationError(message, code="bound")

    def widget_attrs(self) -> dict:
        # no min/max: the browser would stop the form with its own words, in its own language; the
        # server's message names the limit in Vietnamese
        return {"step": "1" if self.places == 0 else "any", "inputmode": "numeric" if self.places == 0 else "decimal"}

    def form_field(self, *, label=None, required: bool = False, **kwargs) -> forms.Field:
        """A form field checked by this bound only (Django's own limit messages read "100 ." in
        Vietnamese and name digits, not limits)."""
        shown = label or self.label
        invalid = {"invalid": lazy(lambda: _("%(field)s must be a number.") % {"field": str(shown)}, str)()}
        field_class = WholeNumberField if self.places == 0 else forms.DecimalField
        return field_class(label=label or self.label, required=required, validators=[self.validate],
                           error_messages=invalid, widget=forms.NumberInput(attrs=self.widget_attrs()), **kwargs)


# What each kind of number may be. The database holds more (see the models): these bounds are what a
# real output, target or cost can be, with room to spare.
OUTPUT_QUANTITY = Bound(gettext_lazy("Quantity"), Decimal(0), Decimal(1_000_000), places=2, low_open=True)
PEOPLE = Bound(gettext_lazy("People reached"), Decimal(0), Decimal(100_000_000))
COST = Bound(gettext_lazy("Cost (VND)"), Decimal(0), Decimal(100_000_000_000))
TARGET_QUANTITY = Bound(gettext_lazy("The number of a target"), Decimal(0), Decimal(10_000_000), places=2, low_open=True)
PERCENT = Bound(gettext_lazy("Progress (%)"), Decimal(0), Decimal(100))
