"""The plan page costs the same number of queries with 20 or 200 tasks."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.plans import services

from .conftest import login, small_document

pytestmark = pytest.mark.django_db


def _plan_with(org_tree, n: int, number: str):
    base = small_document(number=number)["tasks"]
    tasks = [dict(base[i % 3], title=f"{base[i % 3]['title']} ({i + 1})") for i in range(n)]
    plan = services.plan_import(user=org_tree.supervisor, owner=org_tree.province,
                                parsed=small_document(number=number, tasks=tasks))
    plan = services.plan_issue(plan=plan, user=org_tree.supervisor)
    services.plan_derive_child(plan=plan, unit=org_tree.commune_a, user=org_tree.officer_a)
    return plan


def _queries(client, plan) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("plans:detail", args=[plan.pk]))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_plan_page_query_count_does_not_grow_with_tasks(client, org_tree):
    small = _plan_with(org_tree, 20, "20/KH-UBND")
    large = _plan_with(org_tree, 200, "200/KH-UBND")
    login(client, org_tree.officer_a)
    _queries(client, small)  # warm the session and the unit directory caches
    n_small, n_large = _queries(client, small), _queries(client, large)
    assert n_small == n_large
    assert n_large <= 25
