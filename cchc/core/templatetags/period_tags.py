"""Reporting periods in words on pages: "Q1, H1, Q3, Y" reads "Quý I, 6 tháng đầu năm, Quý III, Năm"."""

from django import template

from cchc.core import periods

register = template.Library()


@register.filter
def period_names(codes, year=None) -> str:
    """The names of the period codes, with the year when one is given ("Quý I/2023")."""
    out = []
    for code in codes or []:
        try:
            name = periods.label(str(code), int(year or 9999))
        except (ValueError, TypeError):
            name = str(code)
        if not year:  # the period without a year: "Quý I", "6 tháng đầu năm", "9 tháng", "Năm"
            name = "9 tháng" if str(code) == "9M" else name.replace("/9999", "").replace(" 9999", "").strip()
        out.append(name)
    return ", ".join(out)
