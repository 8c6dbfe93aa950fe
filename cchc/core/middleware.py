import ipaddress
import logging
import sqlite3

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation

from . import audit

logger = logging.getLogger(__name__)


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
    so a page costs no extra queries. (Django's ATOMIC_REQUESTS would wrap every GET too.)

    When the database cannot take the request now (SQLite still locked when its busy timeout ends;
    PostgreSQL's serialization failure, deadlock, lock timeout, too many connections or a lost
    connection) nothing is saved and the user gets a 503 page that says to try again and offers
    what they posted, ready to be sent again (`busy_response`)."""

    SAFE = {"GET", "HEAD", "OPTIONS", "TRACE"}
    BUSY = "_cchc_database_busy"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            if request.method in self.SAFE:
                response = self.get_response(request)
            else:
                with transaction.atomic():  # BEGIN IMMEDIATE on SQLite: the write lock is waited for here
                    response = self.get_response(request)  # an exception in the view arrives here as a 500
                    if response.status_code >= 500:
                        transaction.set_rollback(True)
        except DatabaseError as exc:  # the transaction could not begin or commit
            if not (database_busy(exc) or getattr(request, self.BUSY, False)):
                raise
            setattr(request, self.BUSY, True)
        if getattr(request, self.BUSY, False):
            return busy_response(request)  # outside the transaction, which is rolled back by now
        return response

    def process_exception(self, request, exception):
        if database_busy(exception):
            setattr(request, self.BUSY, True)
            return HttpResponse(status=503)  # a placeholder: the page is made once the transaction is over
        return None


# SQLSTATE classes of PostgreSQL errors after which the same request may well succeed: connection
# exception, transaction rollback (serialization failure, deadlock), insufficient resources,
# operator intervention; and lock_not_available.
_RETRYABLE_SQLSTATE_CLASSES = {"08", "40", "53", "57"}


def database_busy(exc: BaseException) -> bool:
    """Whether `exc` says the database could not do it now, rather than that the request is wrong."""
    if isinstance(exc, InterfaceError):  # the connection is gone
        return True
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    if isinstance(cause, sqlite3.Error):
        text = str(cause).lower()
        return "locked" in text or "busy" in text
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if sqlstate is None:
        return type(cause).__module__.startswith("psycopg")  # no server answer: the connection failed
    return sqlstate[:2] in _RETRYABLE_SQLSTATE_CLASSES or sqlstate == "55P03"


def busy_response(request) -> HttpResponse:
    """503: the database is busy. A POST comes back as a form with the same fields and a "Try again"
    button (files cannot be re-sent by a page: the user is asked to choose them again); a GET as a
    link to the same address."""
    posting = request.method not in WriteTransactionMiddleware.SAFE
    context = {
        "posting": posting,
        "action": request.get_full_path(),
        "fields": [(name, value) for name, values in (request.POST.lists() if posting else [])
                   for value in values if name != "csrfmiddlewaretoken"],
        "files": [(name, upload.name) for name, uploads in (request.FILES.lists() if posting else [])
                  for upload in uploads],
        "csrf_token": get_token(request),
    }
    try:
        response = render(request, "core/busy.html", context, status=503)
    except Exception:  # noqa: BLE001 - the page may not need the database that just failed
        logger.warning("the busy page fell back to its plain form", exc_info=True)
        response = HttpResponse(render_to_string("core/busy_plain.html", context), status=503)
    response["Retry-After"] = "2"
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
