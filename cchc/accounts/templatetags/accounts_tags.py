import datetime as dt
import math

from django import template

register = template.Library()


@register.filter
def minutes(value) -> int:
    """A duration in whole minutes, rounded up (a lockout of 14.5 minutes is announced as 15)."""
    if isinstance(value, dt.timedelta):
        return max(1, math.ceil(value.total_seconds() / 60))
    return 0
