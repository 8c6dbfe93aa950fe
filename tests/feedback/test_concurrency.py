"""Stored exactly once under concurrency (PostgreSQL: real concurrent transactions in threads): the
same form token posted by several clients at once gives one item; different posts give distinct codes."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from cchc.feedback import services
from cchc.feedback.models import Item

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif("connection.vendor != 'postgresql'", reason="threads share no in-memory SQLite")]


def _send(unit, token):
    try:
        return services.feedback_submit(site_unit=unit, name="Người gửi", phone="0912345678", email="", address="",
                                        subject="Hỏi", content="Nội dung", form_token=token).pk
    finally:
        connections.close_all()


def test_same_token_from_many_clients_is_one_item(org_tree):
    unit = org_tree.commune_a
    with ThreadPoolExecutor(max_workers=8) as pool:
        pks = list(pool.map(lambda _i: _send(unit, "same-token-" + "x" * 20), range(16)))
    assert len(set(pks)) == 1 and Item.objects.count() == 1


def test_many_posts_many_codes(org_tree):
    unit = org_tree.commune_a
    with ThreadPoolExecutor(max_workers=8) as pool:
        pks = list(pool.map(lambda i: _send(unit, f"token-{i:04d}-" + "y" * 16), range(40)))
    assert len(set(pks)) == 40
    assert Item.objects.values("code").distinct().count() == 40
