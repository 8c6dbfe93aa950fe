"""Each request that writes is one transaction (issue 9, point 14): a server error halfway through
leaves nothing saved; a read is not wrapped (no extra queries on pages)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory

from cchc.core.middleware import WriteTransactionMiddleware
from cchc.org.models import Unit

pytestmark = pytest.mark.django_db


def _view(status: int):
    def view(request):
        Unit.objects.filter(code="T-UNIT").update(name="Đã đổi tên")  # the first of two writes
        return HttpResponse(status=status)  # a 500: the second write failed
    return view


@pytest.fixture
def unit():
    return Unit.objects.create(code="T-UNIT", name="Xã Thử", kind="commune", path="T-UNIT/")


def test_a_post_that_ends_in_a_server_error_leaves_nothing_written(unit):
    response = WriteTransactionMiddleware(_view(500))(RequestFactory().post("/"))
    assert response.status_code == 500
    assert Unit.objects.get(pk=unit.pk).name == "Xã Thử"


def test_a_post_that_succeeds_is_kept(unit):
    WriteTransactionMiddleware(_view(302))(RequestFactory().post("/"))
    assert Unit.objects.get(pk=unit.pk).name == "Đã đổi tên"


def test_a_get_is_not_wrapped(unit):
    depth = []
    WriteTransactionMiddleware(lambda request: depth.append(len(connection.savepoint_ids)) or HttpResponse())(
        RequestFactory().get("/"))
    WriteTransactionMiddleware(lambda request: depth.append(len(connection.savepoint_ids)) or HttpResponse())(
        RequestFactory().post("/"))
    assert depth[1] == depth[0] + 1


def test_the_middleware_is_the_innermost():
    assert settings.MIDDLEWARE[-1] == "cchc.core.middleware.WriteTransactionMiddleware"
