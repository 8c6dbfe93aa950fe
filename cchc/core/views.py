import logging

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string

from . import registry
from .text import sort_key

logger = logging.getLogger(__name__)


@login_required
def home(request):
    """The user's home (trang chủ): the units they work in, with their role in each."""
    memberships = sorted(
        request.user.memberships.filter(is_active=True).select_related("unit"),
        key=lambda m: (m.unit.depth, sort_key(m.unit.name), m.role),
    )
    blocks = []
    for block in registry.home_blocks:
        context = block.context(request)
        if context is not None:
            blocks.append({"template": block.template, "context": context, "stylesheet": block.stylesheet})
    return render(request, "core/home.html", {"memberships": memberships, "blocks": blocks})


def page_not_found(request, exception=None):
    # Only messages written for users (`user_message`) are shown; Django's own 404 texts are technical.
    message = getattr(exception, "user_message", None)
    return render(request, "core/error.html", {"status": 404, "message": message}, status=404)


def permission_denied(request, exception=None):
    return render(request, "core/error.html", {"status": 403}, status=403)


def server_error(request):
    # The page must render even when what broke is the database or a context processor.
    try:
        return render(request, "core/error.html", {"status": 500}, status=500)
    except Exception:  # noqa: BLE001 - a last resort must not raise
        logger.exception("the error page itself failed")
        try:
            body = render_to_string("core/error_plain.html", {"status": 500})
        except Exception:  # noqa: BLE001
            body = "<!doctype html><title>500</title><h1>500</h1>"
        return HttpResponseServerError(body)
