"""Signed-in users' heavy pages are kept until the data changes (cchc.core.pagecache): a second
request for the same page runs no view, any write (ORM save, bulk update, raw SQL, a committed
transaction in another request) shows at once, the CSRF token and CSP nonce are this request's own,
and a page with a message or a one-time form token is never kept."""

from __future__ import annotations

import re

import pytest
from django.contrib import messages
from django.db import connection, transaction
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.core import pagecache
from cchc.core.idempotency import FIELD as FORM_TOKEN_FIELD
from cchc.plans import services as plan_services
from cchc.plans.models import Plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(org_tree):
    t = org_tree
    plan = plan_services.plan_create(
        user=t.supervisor, owner=t.province, title="Kế hoạch tuyên truyền cải cách hành chính năm 2026",
        number="12/KH-UBND", plan_year=2026, reporting={"periods": ["Q1", "Y"]},
    )
    plan_services.task_create(plan=plan, user=t.supervisor, title="Đăng tin, bài về CCHC",
                              lead_units=[t.commune_a], targets=[])
    return plan


def _client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_second_request_runs_no_view_and_any_kind_of_write_shows_at_once(org_tree, plan):
    client = _client(org_tree.supervisor)
    url = reverse("plans:detail", args=[plan.pk])
    first, body = _queries(client, url)
    again, cached = _queries(client, url)
    assert "Kế hoạch tuyên truyền" in body and again < first and again <= 3  # session and user only

    plan.title = "Kế hoạch đã đổi tên bằng save()"
    plan.save()
    assert "đổi tên bằng save()" in client.get(url).content.decode()

    Plan.objects.filter(pk=plan.pk).update(title="Kế hoạch đổi bằng update()")
    assert "đổi bằng update()" in client.get(url).content.decode()

    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Plan._meta.db_table} SET title = %s WHERE id = %s", ["Kế hoạch đổi bằng SQL", plan.pk])
    assert "đổi bằng SQL" in client.get(url).content.decode()


def test_session_and_form_token_writes_do_not_empty_the_cache():
    before = pagecache.generation()
    assert pagecache._written_table('UPDATE "django_session" SET "expire_date" = %s') == "django_session"
    assert pagecache._written_table('INSERT INTO "plans_plan" ("title") VALUES (%s)') == "plans_plan"
    assert pagecache._written_table("SELECT 1") is None
    assert pagecache.generation() == before


@pytest.mark.django_db(transaction=True)
def test_a_committed_transaction_changes_the_generation_after_its_commit(org_tree):
    before = pagecache.generation()
    with transaction.atomic():
        org_tree.province.name = "Tỉnh Tuyên Quang (đổi)"
        org_tree.province.save()
        during = pagecache.generation()
        assert during != before  # a page read inside the transaction is not served stale
    after = pagecache.generation()
    assert after != during  # nor one rendered between the statement and the commit


def test_each_user_has_own_page_and_tokens_are_this_requests(org_tree, plan):
    url = reverse("plans:detail", args=[plan.pk])
    first = _client(org_tree.supervisor)
    first.get(url)
    second = _client(org_tree.supervisor)  # another browser of the same person: its own CSRF secret
    response = second.get(url)
    body = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert f'nonce="{nonce}"' in body
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    # the logout form of the cached page works for this browser
    assert second.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": token}).status_code == 302

    own_units = _client(org_tree.officer_b)  # sees no plan it has no part in
    assert own_units.get(url).status_code == 404


def _dummy_view(html):
    calls = []

    def view(request):
        calls.append(1)
        shown = "".join(str(m) for m in messages.get_messages(request))
        return HttpResponse(f"<p>{html}{shown}</p>")

    return pagecache.cached_page(view), calls


def _request(rf, user, path="/trang-thu/"):
    request = rf.get(path)
    request.user = user
    request._messages = CookieStorage(request)
    return request


def test_a_page_with_a_message_is_rendered_and_a_form_token_page_is_not_kept(org_tree, rf):
    view, calls = _dummy_view("Trang")
    view(_request(rf, org_tree.supervisor))
    view(_request(rf, org_tree.supervisor))
    assert len(calls) == 1  # kept

    request = _request(rf, org_tree.supervisor)
    messages.success(request, "Đã lưu.")
    assert "Đã lưu." in view(request).content.decode()  # a pending message: the view runs and shows it
    assert len(calls) == 2

    view, calls = _dummy_view(f'<input type="hidden" name="{FORM_TOKEN_FIELD}" value="abc">')
    view(_request(rf, org_tree.supervisor, "/bieu-mau/"))
    view(_request(rf, org_tree.supervisor, "/bieu-mau/"))
    assert len(calls) == 2  # a one-time form token is never served twice


def test_switched_off_by_setting(org_tree, rf, settings):
    settings.CCHC_PAGE_CACHE_SECONDS = 0
    view, calls = _dummy_view("Trang")
    view(_request(rf, org_tree.supervisor))
    view(_request(rf, org_tree.supervisor))
    assert len(calls) == 2


def test_when_the_generation_cannot_be_changed_no_kept_page_is_served(org_tree, rf, monkeypatch):
    view, calls = _dummy_view("Trang")
    view(_request(rf, org_tree.supervisor, "/hong/"))
    view(_request(rf, org_tree.supervisor, "/hong/"))
    assert len(calls) == 1

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pagecache.os, "replace", full_disk)
    pagecache.bump()
    assert pagecache.generation() is None  # the old generation is gone for every process
    view(_request(rf, org_tree.supervisor, "/hong/"))
    view(_request(rf, org_tree.supervisor, "/hong/"))
    assert len(calls) == 3
    monkeypatch.undo()
    pagecache.bump()
    assert pagecache.generation() is not None
