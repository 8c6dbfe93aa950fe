import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.org import permissions
from cchc.org.models import Membership, Unit
from tests.factories import MembershipFactory, UserFactory


def codes(qs):
    return set(qs.values_list("code", flat=True))


def unit_url(unit):
    return reverse("org:unit_detail", args=[unit.code])


@pytest.mark.django_db
def test_officer_of_commune_a_gets_404_on_commune_b_like_a_missing_unit(client, org_tree):
    client.force_login(org_tree.officer_a)
    own = client.get(unit_url(org_tree.commune_a))
    assert own.status_code == 200
    forbidden = client.get(unit_url(org_tree.commune_b))
    missing = client.get(reverse("org:unit_detail", args=["99999"]))
    assert forbidden.status_code == missing.status_code == 404
    # The two answers are the same page apart from the code the user typed.
    def normalised(response, code):
        page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
        return re.sub(r'nonce="[^"]*"', "", page).replace(code, "X")  # the CSP nonce is new on every page

    assert normalised(forbidden, org_tree.commune_b.code) == normalised(missing, "99999")
    assert "Phường Hà Giang 1" not in forbidden.content.decode()


@pytest.mark.django_db
def test_officer_sees_own_unit_and_its_sub_units_only(org_tree):
    visible = codes(permissions.visible_units(org_tree.officer_a))
    assert visible == {"T02509", "T02509.VP"}
    assert permissions.can_view(org_tree.officer_a, org_tree.commune_a_sub)
    assert not permissions.can_view(org_tree.officer_a, org_tree.province)
    assert not permissions.can_view(org_tree.officer_a, org_tree.dept)


@pytest.mark.django_db
def test_supervisor_sees_the_whole_province_and_its_merged_predecessor(client, org_tree):
    visible = codes(permissions.visible_units(org_tree.supervisor))
    assert visible == {"T08", "T08.SNV", "T08.SNV.CCHC", "T02509", "T02509.VP", "T02197", "Told-02"}
    assert "T82" not in visible
    for unit in (org_tree.commune_a, org_tree.commune_b, org_tree.dept_division):
        assert permissions.can_supervise(org_tree.supervisor, unit)
        assert permissions.can_edit(org_tree.supervisor, unit)
        assert permissions.can_approve(org_tree.supervisor, unit)
    client.force_login(org_tree.supervisor)
    assert client.get(unit_url(org_tree.commune_b)).status_code == 200
    assert client.get(unit_url(org_tree.old_province)).status_code == 200
    assert client.get(unit_url(org_tree.other_province)).status_code == 404


@pytest.mark.django_db
def test_viewer_can_read_the_province_and_change_nothing(org_tree):
    viewer = org_tree.viewer
    for unit in (org_tree.province, org_tree.dept, org_tree.commune_a, org_tree.commune_a_sub):
        assert permissions.can_view(viewer, unit)
        assert not permissions.can_edit(viewer, unit)
        assert not permissions.can_approve(viewer, unit)
        assert not permissions.can_supervise(viewer, unit)
        assert not permissions.can_see_members(viewer, unit)
    assert permissions.role_for(viewer, org_tree.commune_a) == Membership.Role.VIEWER


@pytest.mark.django_db
def test_roles_inherit_down_the_tree_and_the_strongest_wins(org_tree):
    manager = org_tree.manager_a
    assert permissions.role_for(manager, org_tree.commune_a_sub) == Membership.Role.MANAGER
    assert permissions.can_approve(manager, org_tree.commune_a_sub)
    assert not permissions.can_approve(org_tree.officer_a, org_tree.commune_a)
    assert permissions.can_edit(org_tree.officer_a, org_tree.commune_a)
    assert permissions.role_for(manager, org_tree.commune_b) is None
    # A viewer of the province who is also officer of a commune edits that commune only.
    MembershipFactory(user=org_tree.viewer, unit=org_tree.commune_b, role=Membership.Role.OFFICER)
    permissions.forget(org_tree.viewer)
    assert permissions.role_for(org_tree.viewer, org_tree.commune_b) == Membership.Role.OFFICER
    assert permissions.role_for(org_tree.viewer, org_tree.commune_a) == Membership.Role.VIEWER


@pytest.mark.django_db
def test_admin_sees_all_and_users_without_membership_see_nothing(client, org_tree):
    assert codes(permissions.visible_units(org_tree.admin)) == set(Unit.objects.values_list("code", flat=True))
    assert permissions.can_approve(org_tree.admin, org_tree.other_province)
    stranger = UserFactory(username="nguoila")
    assert codes(permissions.visible_units(stranger)) == set()
    client.force_login(stranger)
    assert client.get(unit_url(org_tree.province)).status_code == 404


@pytest.mark.django_db
def test_ended_membership_and_disabled_user_give_no_access(org_tree):
    Membership.objects.filter(user=org_tree.officer_b).update(is_active=False)
    permissions.forget(org_tree.officer_b)
    assert not permissions.can_view(org_tree.officer_b, org_tree.commune_b)
    org_tree.admin.is_active = False
    assert not permissions.can_view(org_tree.admin, org_tree.province)


@pytest.mark.django_db
def test_visible_units_costs_one_query_for_memberships_and_one_for_units(org_tree):
    user = org_tree.supervisor
    permissions.forget(user)
    with CaptureQueriesContext(connection) as ctx:
        list(permissions.visible_units(user))
        for unit in (org_tree.province, org_tree.dept, org_tree.commune_a, org_tree.commune_b):
            permissions.can_edit(user, unit)
            permissions.can_approve(user, unit)
    assert len(ctx.captured_queries) == 2


@pytest.mark.django_db
def test_non_superusers_never_reach_the_django_admin(client, org_tree):
    client.force_login(org_tree.supervisor)
    response = client.get("/quan-tri/")
    assert response.status_code == 302 and "/quan-tri/login/" in response["Location"]
    client.force_login(org_tree.admin)
    assert client.get("/quan-tri/").status_code == 200
