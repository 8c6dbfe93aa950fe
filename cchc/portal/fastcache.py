"""A public page that a visitor without an account asked for a moment ago is answered again from the
cache before the session, language, CSRF and authentication layers run: those layers have nothing to
do for such a visitor, and on a busy day they cost more than the page itself.

Only GET requests of the public sites (/cong/<slug>/…, or a site's own host name), carrying no cookie
but the CSRF and language ones, whose answer the page's view marked as shareable
(`sites.cached_public_page`: no cookie set, no CSRF token in the page) are kept, for
CCHC_PUBLIC_FAST_SECONDS (30 s by default). The key holds the site's cache generation, so publishing
or withdrawing something on the site forgets them at once, as for the page cache itself. A page that
must count each reading (an article) names the function that counts in `public_hit`; it is called on
every answer from here too.
"""

from __future__ import annotations

import functools
import logging

from django.conf import settings
from django.core.cache import cache
from django.utils.module_loading import import_string

from .middleware import public_path
from .sites import _generation_key, _site_key, address_key

_ALLOWED_COOKIES = {"csrftoken", "django_language"}


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = _key(request)
        if key is not None:
            response = cache.get(key)
            if response is not None:
                _on_hit(response, request)
                return response
        response = self.get_response(request)
        if (key is not None and getattr(response, "public_shareable", False) and response.status_code == 200
                and not response.cookies and not getattr(response, "streaming", False)):
            cache.set(key, response, getattr(settings, "CCHC_PUBLIC_FAST_SECONDS", 30))
        return response


def _key(request) -> str | None:
    if request.method != "GET" or not settings.CCHC_PUBLIC_CACHE_SECONDS:
        return None
    if set(request.COOKIES) - _ALLOWED_COOKIES:
        return None  # a session, messages …: the visitor's own page
    host, _slug, path = public_path(request)
    if host is None:
        return None
    parts = path.split("/")
    if len(parts) < 3 or parts[1] != "cong" or not parts[2]:
        return None
    site = cache.get(_site_key(parts[2]))
    generation = cache.get(_generation_key(site.pk)) if site not in (None, "missing") else None
    if generation is None:
        return None  # the page's first answer goes the whole way (and fills both)
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or settings.LANGUAGE_CODE
    query = request.META.get("QUERY_STRING", "")
    return f"portal:fast:{site.pk}:{generation}:{language}:{address_key(f'{host}:{path}?{query}')}"


def _on_hit(response, request) -> None:
    """What a page asks to be done for every reading, also when it is answered from here: a view
    counted without a cookie. The page names it in `public_hit` = ("dotted.path.of.function", argument);
    the function is called with (argument, request). It may not fail the page."""
    hit = getattr(response, "public_hit", None)
    if not hit:
        return
    try:
        _function(hit[0])(hit[1], request)
    except Exception:  # noqa: BLE001 - a count that fails must not cost the reader the page
        logging.getLogger(__name__).exception("public page hit %s failed", hit[0])


@functools.lru_cache(maxsize=32)
def _function(path: str):
    return import_string(path)
