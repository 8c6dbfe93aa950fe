"""Issuing a plan acts once per confirmation form: a double click issues once and answers alike."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cchc.core.models import AuditEvent
from cchc.plans import services
from cchc.plans.models import Plan

from .conftest import login

pytestmark = pytest.mark.django_db


def test_the_same_confirmation_twice_issues_once(client, org_tree, small_doc):
    plan = services.plan_import(user=org_tree.supervisor, owner=org_tree.province, parsed=small_doc)
    login(client, org_tree.supervisor)
    url = reverse("plans:issue", args=[plan.pk])
    assert 'name="form_token"' in client.get(url).content.decode()
    data = {"confirm": "1", "form_token": "i" * 32}
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("plans:detail", args=[plan.pk])
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ISSUED
    assert AuditEvent.objects.filter(object_type="plans.plan", object_id=str(plan.pk), message="issued version 1").count() == 1
    assert sorted(plan.reporting_periods.values_list("code", flat=True)) == ["H1", "Q1", "Q3", "Y"]


def test_the_import_review_acts_once_per_form(client, org_tree, small_doc):
    draft = services.plan_import_prepare(user=org_tree.supervisor, owner=org_tree.province,
                                         text="KẾ HOẠCH\nTuyên truyền cải cách hành chính năm 2026\n1. Đăng tin về CCHC.")
    login(client, org_tree.supervisor)
    url = reverse("plans:import_review", args=[draft.pk])
    assert 'name="form_token"' in client.get(url).content.decode()
    data = {"action": "confirm", "not_a_plan_ok": "1", "form_token": "r" * 32}
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert Plan.objects.filter(owner=org_tree.province).count() == 1
