from django.core.exceptions import DisallowedHost

from .sites import slug_for_host

# Addresses that stay the platform's own on a public site's host name.
_PLATFORM_PREFIXES = ("/cong/", "/static/", "/media/", "/healthz", "/robots.txt", "/i18n/")


def public_path(request) -> tuple[str | None, str | None, str]:
    """(host, public site slug of that host, path as the views see it): on a host name mapped to a
    site (CCHC_PUBLIC_HOSTS) "/tin-tuc/" is "/cong/<slug>/tin-tuc/". The host is None when Django
    refuses it (its own error answers later)."""
    try:
        host = request.get_host()
    except DisallowedHost:
        return None, None, request.path_info
    slug = slug_for_host(host)
    path = request.path_info
    if slug and not path.startswith(_PLATFORM_PREFIXES):
        path = f"/cong/{slug}{path}"
    return host, slug, path


class PublicHostMiddleware:
    """On a host name mapped to a public site (CCHC_PUBLIC_HOSTS), the site is at the root: "/" is its
    home and "/tin-tuc/" its news, served by the same views as /cong/<slug>/…; staff pages are not
    served on such a host."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _host, request.public_host_slug, request.path_info = public_path(request)
        return self.get_response(request)
