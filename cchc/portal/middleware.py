from .sites import slug_for_host

# Addresses that stay the platform's own on a public site's host name.
_PLATFORM_PREFIXES = ("/cong/", "/static/", "/media/", "/healthz", "/robots.txt", "/i18n/")


class PublicHostMiddleware:
    """On a host name mapped to a public site (CCHC_PUBLIC_HOSTS), the site is at the root: "/" is its
    home and "/tin-tuc/" its news, served by the same views as /cong/<slug>/…; staff pages are not
    served on such a host."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        slug = slug_for_host(request.get_host() if _valid_host(request) else "")
        request.public_host_slug = slug
        if slug and not request.path_info.startswith(_PLATFORM_PREFIXES):
            request.path_info = f"/cong/{slug}{request.path_info}"
        return self.get_response(request)


def _valid_host(request) -> bool:
    from django.core.exceptions import DisallowedHost

    try:
        request.get_host()
    except DisallowedHost:
        return False
    return True
