from django import template
from django.utils.html import format_html

from cchc.core.idempotency import FIELD, new_token

register = template.Library()


@register.simple_tag
def form_token():
    """A hidden field with a new key for the form: posting it twice acts once (`core.idempotency`)."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())
