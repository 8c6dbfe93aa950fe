"""The plan page, and updating a plan from a new edition of its document, cost the same number of
queries with 20 or 200 tasks."""

from __future__ import annotations

import re

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


def test_plan_page_query_count_does_not_grow_with_tasks(client, org_tree, settings):
    settings.CCHC_PAGE_CACHE_SECONDS = 0  # the view's own queries, not a kept page's (tests/core/test_pagecache.py)
    small = _plan_with(org_tree, 20, "20/KH-UBND")
    large = _plan_with(org_tree, 200, "200/KH-UBND")
    login(client, org_tree.officer_a)
    _queries(client, small)  # warm the session and the unit directory caches
    n_small, n_large = _queries(client, small), _queries(client, large)
    assert n_small == n_large
    assert n_large <= 25


def _new_edition(org_tree, n: int, number: str):
    """A plan of `n` tasks, issued, with a child plan and work on one task; then its new edition: every
    task's words changed, its third task dropped (no work on it), its last one dropped (work on it),
    and two new tasks."""
    from cchc.plans.models import Task

    plan = _plan_with(org_tree, n, number)
    tasks = list(plan.tasks.order_by("order"))
    Task.objects.filter(pk=tasks[-1].pk).update(status=Task.Status.IN_PROGRESS)
    base = small_document(number=number)["tasks"]
    # the third task is the newspaper's, copied into no child plan: nothing holds it
    edition = [dict(base[i % 3], title=f"{base[i % 3]['title']} ({i + 1})", text=f"Nội dung mới {i + 1}")
               for i in range(n - 1) if i != 2]
    edition += [dict(base[i % 3], title=f"Nhiệm vụ mới {i}") for i in range(2)]
    return plan, small_document(number=number, tasks=edition)


def _update_queries(org_tree, plan, parsed) -> int:
    from cchc.plans import agencies

    resolutions = agencies.resolve_document(parsed, context=plan.owner)
    with CaptureQueriesContext(connection) as ctx:
        services.plan_update_from_document(plan=plan, user=org_tree.supervisor, parsed=parsed, resolutions=resolutions,
                                           source_name="ke-hoach.txt", source_bytes=b"x")
    return _statements(ctx.captured_queries), len(ctx.captured_queries)


def _statements(queries) -> int:
    """Queries, with the batches of one bulk write counted once: SQLite takes at most 999 parameters
    a statement, so Django splits a bulk insert or update of many rows into several (PostgreSQL
    does not). A query per task still shows as one statement per task."""
    count, last = 0, None
    for query in queries:
        head = re.match(r'\s*(INSERT INTO|UPDATE) "(\w+)"', query["sql"])
        key = head.groups() if head else None
        if key is None or key != last:
            count += 1
        last = key
    return count


def test_updating_a_plan_from_a_new_edition_costs_the_same_for_20_and_200_tasks(org_tree):
    small, small_doc = _new_edition(org_tree, 20, "20/KH-UBND")
    large, large_doc = _new_edition(org_tree, 200, "200/KH-UBND")
    (n_small, raw_small), (n_large, raw_large) = (_update_queries(org_tree, small, small_doc),
                                                  _update_queries(org_tree, large, large_doc))
    print(f"update from a new edition: {raw_small} queries for 20 tasks, {raw_large} for 200 "
          f"({n_small} and {n_large} statements)")
    assert n_small == n_large
    if connection.vendor == "postgresql":  # no batches there: the very same number of queries
        assert raw_small == raw_large
    assert raw_large <= 50
    # what the update did: the words changed, the unworked task gone, the worked one kept, two added
    assert large.tasks.count() == 200 - 1 + 2
    assert large.tasks.filter(text="Nội dung mới 2").exists()
    assert not large.tasks.filter(title__endswith="(3)").exists() and large.tasks.filter(title__endswith="(200)").exists()
