"""A write the database cannot take now gets a 503 page that says to try again; an error that says
the request itself is wrong stays a server error."""

from __future__ import annotations

import sqlite3

import psycopg
import pytest
from django.db import IntegrityError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.test import RequestFactory

from cchc.core.middleware import WriteTransactionMiddleware, database_busy
from cchc.org.models import Unit

pytestmark = pytest.mark.django_db


def _wrapped(driver_error, django_class=OperationalError):
    try:
        raise driver_error
    except Exception as exc:  # noqa: BLE001
        try:
            raise django_class(str(exc)) from exc
        except django_class as wrapped:
            return wrapped


@pytest.mark.parametrize("error", [
    _wrapped(sqlite3.OperationalError("database is locked")),
    _wrapped(sqlite3.OperationalError("database table is locked: outputs_outputrecord")),
    _wrapped(psycopg.errors.SerializationFailure("could not serialize access")),
    _wrapped(psycopg.errors.DeadlockDetected("deadlock detected")),
    _wrapped(psycopg.errors.LockNotAvailable("could not obtain lock")),
    _wrapped(psycopg.errors.TooManyConnections("too many clients")),
    _wrapped(psycopg.OperationalError("server closed the connection unexpectedly")),
    _wrapped(psycopg.InterfaceError("the connection is closed"), InterfaceError),
])
def test_these_say_try_again(error):
    assert database_busy(error)


@pytest.mark.parametrize("error", [
    _wrapped(sqlite3.OperationalError("no such table: x")),
    _wrapped(psycopg.errors.UndefinedTable("relation does not exist")),
    _wrapped(psycopg.errors.UniqueViolation("duplicate key"), IntegrityError),
    ValueError("not a database error"),
])
def test_these_do_not(error):
    assert not database_busy(error)


def _busy_view(request):
    Unit.objects.create(code="T-BUSY", name="Xã Bận", kind="commune", path="T-BUSY/")  # written, then undone
    raise _wrapped(sqlite3.OperationalError("database is locked"))


def _through_middleware(request):
    middleware = WriteTransactionMiddleware(lambda r: None)

    def get_response(r):  # what Django's handler does with a view's exception
        try:
            return _busy_view(r)
        except Exception as exc:  # noqa: BLE001
            return middleware.process_exception(r, exc) or HttpResponse(status=500)

    middleware.get_response = get_response
    return middleware(request)


def test_a_busy_post_is_rolled_back_and_offers_its_fields_again():
    request = RequestFactory().post("/outputs/", {"title": "Hội nghị", "quantity": "3", "form_token": "x" * 32})
    response = _through_middleware(request)
    page = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "2"
    assert 'name="title" value="Hội nghị"' in page and 'name="quantity" value="3"' in page
    assert 'id="retry"' in page and 'method="post" action="/outputs/"' in page
    assert not Unit.objects.filter(code="T-BUSY").exists()


def test_a_busy_get_offers_the_same_address_again():
    response = _through_middleware(RequestFactory().get("/bao-cao/1/?tab=2"))
    page = response.content.decode()
    assert response.status_code == 503 and 'href="/bao-cao/1/?tab=2"' in page and 'id="retry"' in page
    assert "<form method=\"post\"" not in page
