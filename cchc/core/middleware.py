from django.conf import settings
from django.utils import translation

from . import audit


class AuditContextMiddleware:
    """Makes the acting user and address known to `audit.record` for the length of a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = audit.set_request_context(user=getattr(request, "user", None), ip_address=client_ip(request))
        try:
            return self.get_response(request)
        finally:
            audit.reset_request_context(token)


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class LanguageMiddleware:
    """Vietnamese unless the user chose another language with the switcher (a cookie).

    The browser's Accept-Language is not followed on purpose: offices run English-language browsers,
    and the platform's users read Vietnamese.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
