import logging
import uuid

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.shortcuts import render
from django.template.loader import render_to_string

from . import registry
from .pagecache import cached_page
from .text import sort_key

logger = logging.getLogger(__name__)


@login_required
@cached_page
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


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "not healthy", and is logged
        logger.exception("health check: the database does not answer")
        return False


def _cache_ok() -> bool:
    key, value = "cchc:healthz", uuid.uuid4().hex
    try:
        cache.set(key, value, timeout=10)
        return cache.get(key) == value
    except Exception:  # noqa: BLE001
        logger.exception("health check: the cache does not answer")
        return False


@never_cache
@require_safe
def healthz(request):
    """For load balancers and monitoring: 200 when the database and the cache answer, else 503.
    No login, and nothing is written to the database."""
    checks = {"database": _database_ok(), "cache": _cache_ok()}
    healthy = all(checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **{name: "ok" if ok else "error" for name, ok in checks.items()}},
        status=200 if healthy else 503,
    )


@require_safe
def public_media(request, path):
    """An upload that a module declared public (`registry.public_media`) and whose owner is public
    now; 404 for any other file. In production nginx may serve these prefixes itself."""
    from django.conf import settings
    from django.http import Http404
    from django.views.static import serve

    if ".." in path.split("/") or "\\" in path:
        raise Http404
    entry = next((e for e in registry.public_media if path.startswith(e.prefix)), None)
    if entry is None or not entry.allowed(path, request.user):
        raise Http404
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    # shared caches may keep what anybody may see; a file shown to this user only (a draft's cover, an
    # entry not yet accepted) stays in no cache
    from django.contrib.auth.models import AnonymousUser

    public = not request.user.is_authenticated or entry.allowed(path, AnonymousUser())
    response["Cache-Control"] = "public, max-age=86400" if public else "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
