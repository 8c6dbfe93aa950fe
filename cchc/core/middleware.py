import ipaddress

from django.conf import settings
from django.db import transaction
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


class WriteTransactionMiddleware:
    """Each request that may write (POST, PUT, PATCH, DELETE) is one transaction: a view that fails
    halfway (a server error) leaves nothing half-saved. Reads run as before, outside a transaction,
    so a page costs no extra queries. (Django's ATOMIC_REQUESTS would wrap every GET too.)"""

    SAFE = {"GET", "HEAD", "OPTIONS", "TRACE"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in self.SAFE:
            return self.get_response(request)
        with transaction.atomic():
            response = self.get_response(request)  # an exception in the view arrives here as a 500
            if response.status_code >= 500:
                transaction.set_rollback(True)
            return response


def client_ip(request) -> str | None:
    """The client's address, for throttling logins (django-axes) and for the audit log.

    With CCHC_TRUSTED_PROXY_COUNT = 0 (the default) it is REMOTE_ADDR and X-Forwarded-For is ignored:
    anyone can write that header. Behind N trusted proxies, each of which appends the address it
    received the request from, the client is the N-th address from the right of X-Forwarded-For;
    what a client wrote further left is not believed. A header with fewer entries than that (the
    request did not come through the proxies), or an entry that is no address, gives REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR") or None
    count = int(getattr(settings, "CCHC_TRUSTED_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    chain = [item.strip() for item in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if item.strip()]
    if len(chain) < count:
        return remote
    candidate = chain[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


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
