"""Which public site a request is for: the host name (setting CCHC_PUBLIC_HOSTS: "host=slug, …") or
the /cong/<slug>/ path on any host; and the cache of public pages, per site, emptied on publishing."""

from __future__ import annotations

import functools
import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.utils import translation
from django.utils.cache import patch_cache_control

from cchc.core.text import fold


def _hosts() -> dict[str, str]:
    return {host.lower(): slug for host, slug in getattr(settings, "CCHC_PUBLIC_HOSTS", {}).items()}


def slug_for_host(host: str) -> str | None:
    return _hosts().get((host or "").split(":")[0].lower())


def host_for(site) -> str | None:
    return next((host for host, slug in _hosts().items() if slug == site.slug), None)


def suggest_slug(name: str) -> str:
    """A readable address from a unit's name: "Tỉnh Tuyên Quang" → "tuyen-quang"."""
    words = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")
    return re.sub(r"^(tinh|thanh-pho|xa|phuong|dac-khu|so)-", "", words)[:60].strip("-") or "don-vi"


_MISSING = "missing"


def _site_key(slug: str) -> str:
    return f"portal:site:{slug}"


def get_site(slug: str):
    """The open site at `slug` (Http404 otherwise), kept in the cache: every public page asks for it,
    and a cached page costs no query at all. Saving or deleting a site or a contact forgets it."""
    from .models import PublicSite

    key = _site_key(slug)
    site = cache.get(key)
    if site is None:
        site = PublicSite.objects.select_related("unit").filter(slug=slug, is_public=True).first() or _MISSING
        cache.set(key, site, 300)
    if site == _MISSING:
        raise Http404
    return site


def forget_site(site) -> None:
    """Drop the cached site and every cached page of it (after its profile or contacts change)."""
    cache.delete_many([_site_key(site.slug)])
    invalidate(site.pk)


# ---------------------------------------------------------------- cache of public pages

def _generation_key(site_id: int) -> str:
    return f"portal:gen:{site_id}"


def generation(site_id: int) -> int:
    return cache.get_or_set(_generation_key(site_id), 1, None)


def invalidate(*site_ids: int) -> None:
    """Forget every cached page of these sites (call after publishing or unpublishing on them)."""
    for site_id in site_ids:
        try:
            cache.incr(_generation_key(site_id))
        except ValueError:
            cache.set(_generation_key(site_id), 2, None)


def invalidate_unit(unit) -> None:
    """Forget the pages of the unit's site and of the sites above it (a province site lists what its
    communes publish)."""
    from .models import PublicSite

    codes = [c for c in unit.path.strip("/").split("/") if c]
    invalidate(*PublicSite.objects.filter(unit__code__in=codes).values_list("pk", flat=True))


def _has_messages(request) -> bool:
    storage = getattr(request, "_messages", None)
    try:
        return storage is not None and len(storage) > 0
    except Exception:  # noqa: BLE001 - a storage that cannot tell: be safe, do not share
        return True


def address_key(address: str) -> str:
    """A page's address as a cache key part: as it is when short, else its digest (a long search query
    made too long a key, and cutting it made two addresses share one key)."""
    if len(address) <= 120 and address.isascii():
        return address
    return hashlib.sha256(address.encode()).hexdigest()


def cached_public_page(view):
    """Cache a public page's answer for anonymous GET requests, per site, page address and language,
    for CCHC_PUBLIC_CACHE_SECONDS; a published or withdrawn item empties its site's cache at once.
    Signed-in staff always get a fresh page."""

    @functools.wraps(view)
    def wrapper(request, slug, *args, **kwargs):
        seconds = settings.CCHC_PUBLIC_CACHE_SECONDS
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated or not seconds:
            return view(request, slug, *args, **kwargs)
        site = get_site(slug)
        key = "portal:page:%s:%s:%s:%s" % (site.pk, generation(site.pk), translation.get_language(),
                                             address_key(request.get_full_path()))
        response = cache.get(key)
        if response is None:
            request.public_site = site
            response = view(request, slug, *args, **kwargs)
            # a page that holds a form's CSRF token, sets a cookie or shows the visitor's messages (a
            # confirmation, an error) is the visitor's own: not shared
            shareable = (not response.cookies and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
                         and not _has_messages(request))
            if response.status_code == 200 and not response.streaming and shareable:
                if hasattr(response, "render") and callable(response.render):
                    response.render()
                cache.set(key, response, seconds)
                response.public_shareable = True  # PublicPageCacheMiddleware may answer it again early
        else:
            response.public_shareable = True  # it was shareable when it was kept
        patch_cache_control(response, public=True, max_age=60)
        return response

    return wrapper
