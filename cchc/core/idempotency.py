"""A posted form acts once (idempotent actions).

A page puts `{% form_token %}` (`{% load idempotency %}`) in a form, and its view is wrapped in
`@idempotent`. The first request that posts a token claims it: one `ActionToken` row, whose unique
constraint makes a concurrent request with the same token wait until the first one commits. The
first request acts and keeps where it sent the user and what it told them. Any repeat of that token
(a double click, ten quick clicks, a retry after a lost answer, the browser's "resend") acts no
more: it gets the same redirect with the same messages.

- A request without a token (a page opened before the form had one) acts as it always did.
- Only a redirect is kept. A page shown again (a form with errors, a conflict to resolve) lets the
  user correct it and post again; the claim is given back.
- Tokens are kept for a day (`KEEP`): a user's older ones go when they post the next one, everyone's
  with `cchc purge_action_tokens`.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import secrets

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.utils import timezone

from .models import ActionToken

FIELD = "form_token"
KEEP = dt.timedelta(days=1)
_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,64}")


def new_token() -> str:
    return secrets.token_urlsafe(24)


def posted_token(request) -> str:
    """The form's token, or "" when the request has none (or one no page of ours made)."""
    value = request.POST.get(FIELD, "") if request.method == "POST" else ""
    return value if _SHAPE.fullmatch(value) else ""


def purge(*, user=None, older_than: dt.timedelta = KEEP) -> int:
    tokens = ActionToken.objects.filter(created__lt=timezone.now() - older_than)
    if user is not None:
        tokens = tokens.filter(user=user)
    return tokens.delete()[0]


def _claim(user, token: str) -> ActionToken | None:
    """The new claim, or None when the token was claimed before (by a request that has committed:
    the insert waits for a concurrent one to finish)."""
    try:
        with transaction.atomic():
            return ActionToken.objects.create(user=user, token=token)
    except IntegrityError:
        return None


def _queued(request) -> list:
    # the messages added during this request (Django's storages keep them in `_queued_messages`)
    return list(getattr(getattr(request, "_messages", None), "_queued_messages", []))


def _replay(request, claim: ActionToken) -> HttpResponseRedirect:
    pending = {str(m.message) for m in getattr(getattr(request, "_messages", None), "_loaded_messages", [])}
    for level, text, tags in claim.response_messages:
        if text not in pending:  # already waiting to be shown (the first answer's cookie came back)
            messages.add_message(request, level, text, extra_tags=tags)
    response = HttpResponseRedirect(claim.response_url)
    if claim.response_status in (301, 302, 303, 307, 308):
        response.status_code = claim.response_status
    return response


def idempotent(view):
    """Make a view that acts on POST answer a repeat of the same form token with the first answer."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        token = posted_token(request)
        user = getattr(request, "user", None)
        if not token or user is None or not user.is_authenticated:
            return view(request, *args, **kwargs)
        with transaction.atomic():
            purge(user=user)
            claim = _claim(user, token)
            if claim is None:
                first = ActionToken.objects.filter(user=user, token=token).first()
                if first is not None and first.response_url:
                    return _replay(request, first)
                # a claim is kept only with its answer; without one, act as a request without a token
                return view(request, *args, **kwargs)
            already = len(_queued(request))
            response = view(request, *args, **kwargs)
            if response.status_code >= 500:
                transaction.set_rollback(True)
            elif 300 <= response.status_code < 400 and response.has_header("Location"):
                claim.response_url = response["Location"][:2000]
                claim.response_status = response.status_code
                claim.response_messages = [[m.level, str(m.message), m.extra_tags or ""]
                                           for m in _queued(request)[already:]]
                claim.save(update_fields=["response_url", "response_status", "response_messages"])
            else:
                claim.delete()
            return response

    return wrapper
