"""Who sees what: forbidden answers like missing (404); drafts stay inside their unit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cchc.plans import permissions, services

from .conftest import login

pytestmark = pytest.mark.django_db


def test_draft_invisible_to_other_units(client, org_tree):
    draft = services.plan_create(user=org_tree.officer_a, owner=org_tree.commune_a, title="Nháp của phường")
    url = reverse("plans:detail", args=[draft.pk])
    login(client, org_tree.officer_b)
    assert client.get(url).status_code == 404
    assert client.get(reverse("plans:detail", args=[999999])).status_code == 404  # the same answer
    assert "Nháp của phường" not in client.get(reverse("plans:list")).content.decode()
    login(client, org_tree.manager_a)
    assert client.get(url).status_code == 200
    login(client, org_tree.supervisor)  # the province above the commune oversees it
    assert client.get(url).status_code == 200


def test_issued_plan_visible_to_assigned_units_only(client, org_tree, issued_plan, small_doc):
    url = reverse("plans:detail", args=[issued_plan.pk])
    for user in (org_tree.officer_a, org_tree.officer_b, org_tree.dept_officer, org_tree.viewer):
        login(client, user)
        assert client.get(url).status_code == 200, user
    # A unit of another province with no task in it does not see it.
    from tests.factories import MembershipFactory, UserFactory

    outsider = UserFactory(username="dongthap")
    MembershipFactory(user=outsider, unit=org_tree.other_province, role="supervisor")
    login(client, outsider)
    assert client.get(url).status_code == 404
    task = issued_plan.tasks.first()
    assert client.get(reverse("plans:task", args=[task.pk])).status_code == 404
    assert client.get(reverse("plans:export", args=[issued_plan.pk, "xlsx"])).status_code == 404


def test_roles_decide_edit_issue_track(org_tree, issued_plan):
    commune_plan = services.plan_create(user=org_tree.officer_a, owner=org_tree.commune_a, title="KH phường")
    assert permissions.can_edit_plan(org_tree.officer_a, commune_plan)
    assert not permissions.can_edit_plan(org_tree.officer_b, commune_plan)
    assert not permissions.can_edit_plan(org_tree.viewer, commune_plan)
    assert not permissions.can_issue_plan(org_tree.officer_a, commune_plan)
    assert permissions.can_issue_plan(org_tree.manager_a, commune_plan)
    assert not permissions.can_edit_plan(org_tree.supervisor, issued_plan)  # issued: locked
    assert permissions.can_close_plan(org_tree.supervisor, issued_plan)
    assert not permissions.can_close_plan(org_tree.dept_officer, issued_plan)
    training = issued_plan.tasks.get(title__startswith="Tổ chức tập huấn")
    assert permissions.can_track_task(org_tree.dept_officer, training)  # lead
    assert permissions.can_track_task(org_tree.officer_b, training)  # coordinating, through the group
    assert not permissions.can_track_task(org_tree.viewer, training)
    assert permissions.can_import_into(org_tree.supervisor, org_tree.province)
    assert not permissions.can_import_into(org_tree.dept_officer, org_tree.province)
    assert permissions.can_import_into(org_tree.dept_officer, org_tree.dept)


def test_review_draft_belongs_to_its_uploader(client, org_tree, small_doc):
    from cchc.plans.models import PlanImport

    draft = PlanImport.objects.create(owner=org_tree.province, created_by=org_tree.supervisor, parsed=small_doc,
                                      resolutions={"tasks": []})
    login(client, org_tree.dept_officer)
    assert client.get(reverse("plans:import_review", args=[draft.pk])).status_code == 404
    assert client.post(reverse("plans:import_review", args=[draft.pk]), {"action": "confirm"}).status_code == 404
