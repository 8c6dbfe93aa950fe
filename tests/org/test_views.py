import pytest
from django.urls import reverse

from cchc.core.models import AuditEvent
from cchc.org import services
from cchc.org.models import Membership, Unit
from tests.factories import UnitFactory, UserFactory

TREE = reverse("org:unit_tree")


def detail(unit):
    return reverse("org:unit_detail", args=[unit.code])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [("so noi vu", "Sở Nội vụ"), ("SO NOI VU", "Sở Nội vụ"), ("dong thap", "Tỉnh Đồng Tháp"), ("ha giang 1", "Phường Hà Giang 1"),
     ("t08.snv", "Sở Nội vụ"), ("Sở NV", "Sở Nội vụ")],
)
def test_tree_search_ignores_accents_and_case(client, org_tree, query, expected):
    client.force_login(org_tree.admin)
    response = client.get(TREE, {"q": query})
    assert response.status_code == 200
    names = [u.name for u in response.context["results"].units]
    assert names and names[0] == expected


@pytest.mark.django_db
def test_search_only_finds_units_the_user_may_see(client, org_tree):
    client.force_login(org_tree.officer_a)
    response = client.get(TREE, {"q": "so noi vu"})
    assert response.context["results"].units == []
    assert "Không có đơn vị nào" in response.content.decode() or "No unit matches" in response.content.decode()
    response = client.get(TREE, {"q": "ha giang"})
    assert [u.code for u in response.context["results"].units] == ["T02509"]


@pytest.mark.django_db
def test_tree_starts_at_the_users_units(client, org_tree):
    client.force_login(org_tree.officer_b)
    response = client.get(TREE)
    assert [u.code for u in response.context["roots"]] == ["T02197"]
    client.force_login(org_tree.admin)
    response = client.get(TREE)

    def test_roots(response):
        return [u.code for u in response.context["roots"] if u.code.startswith("T")]

    # Vietnamese order ("Đồng Tháp" before "Tuyên Quang"); closed units only when asked for, last.
    assert test_roots(response) == ["T82", "T08"]
    assert test_roots(client.get(TREE, {"closed": "1"})) == ["T82", "T08", "Told-02"]


@pytest.mark.django_db
def test_unit_page_shows_facts_breadcrumb_children_in_vietnamese_order_and_members(client, org_tree):
    for code, name in [("T02100", "Xã Bạch Đích"), ("T02101", "Xã Ân Thi"), ("T02102", "Xã Bắc Mê")]:
        UnitFactory(code=code, name=name, kind=Unit.Kind.COMMUNE, parent=org_tree.province)
    client.force_login(org_tree.supervisor)
    response = client.get(detail(org_tree.province))
    page = response.content.decode()
    assert response.status_code == 200
    names = [u.name for u in response.context["children_page"].object_list]
    assert names == ["Phường Hà Giang 1", "Sở Nội vụ", "Xã Ân Thi", "Xã Bạch Đích", "Xã Bắc Mê", "Xã Đồng Văn"]
    assert "Tỉnh Tuyên Quang" in page and "T08" in page
    assert "Nguyễn Văn Giám" in page  # members of the unit, shown to the supervisor
    response = client.get(detail(org_tree.dept_division))
    crumbs = [a["unit"].code for a in response.context["ancestors"]]
    assert crumbs == ["T08", "T08.SNV"]
    assert 'aria-current="page"' in response.content.decode()


@pytest.mark.django_db
def test_children_are_paginated(client, org_tree):
    for i in range(60):
        UnitFactory(code=f"T09{i:03d}", name=f"Xã Thử {i:02d}", kind=Unit.Kind.COMMUNE, parent=org_tree.commune_b)
    client.force_login(org_tree.officer_b)
    first = client.get(detail(org_tree.commune_b))
    assert len(first.context["children_page"].object_list) == 50
    assert first.context["children_total"] == 60
    second = client.get(detail(org_tree.commune_b), {"page": 2})
    assert [u.name for u in second.context["children_page"].object_list][-1] == "Xã Thử 59"


@pytest.mark.django_db
def test_closed_unit_page_shows_what_it_rolls_up_into(client, org_tree):
    client.force_login(org_tree.supervisor)
    page = client.get(detail(org_tree.old_province)).content.decode()
    assert "Tỉnh Hà Giang" in page
    assert f'href="{detail(org_tree.province)}"' in page
    assert "30/06/2025" in page
    successor_page = client.get(detail(org_tree.province))
    assert [u.code for u in successor_page.context["history"].predecessors] == ["Told-02"]


@pytest.mark.django_db
def test_viewer_does_not_see_members_but_officer_does(client, org_tree):
    client.force_login(org_tree.viewer)
    response = client.get(detail(org_tree.commune_a))
    assert "members" not in response.context and "Trần Thị Quản" not in response.content.decode()
    client.force_login(org_tree.officer_a)
    response = client.get(detail(org_tree.commune_a))
    assert "Trần Thị Quản" in response.content.decode()


@pytest.mark.django_db
def test_unknown_unit_code_gets_a_friendly_404_naming_the_code(client, org_tree):
    client.force_login(org_tree.admin)
    response = client.get(reverse("org:unit_detail", args=["khong-co"]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "khong-co" in page and "Traceback" not in page


@pytest.mark.django_db
def test_membership_services_write_the_audit_log(org_tree):
    user = UserFactory(username="moi")
    membership = services.membership_create(actor=org_tree.admin, user=user, unit=org_tree.commune_b, role=Membership.Role.VIEWER)
    again = services.membership_create(actor=org_tree.admin, user=user, unit=org_tree.commune_b, role=Membership.Role.VIEWER)
    assert again.pk == membership.pk
    services.membership_deactivate(actor=org_tree.admin, membership=membership)
    events = list(AuditEvent.objects.filter(object_type="org.membership", object_id=str(membership.pk)).order_by("id"))
    assert [e.action for e in events] == ["create", "update"]
    assert events[1].before["is_active"] is True and events[1].after["is_active"] is False
    assert events[0].actor_name == "admin" and events[0].unit_id == org_tree.commune_b.pk


@pytest.mark.django_db
def test_home_lists_the_users_units_with_role(client, org_tree):
    client.force_login(org_tree.manager_a)
    response = client.get(reverse("home"))
    page = response.content.decode()
    assert "Phường Hà Giang 1" in page and detail(org_tree.commune_a) in page
    assert response.context["memberships"][0].role == "manager"


@pytest.mark.django_db
def test_pages_need_login(client, org_tree):
    response = client.get(detail(org_tree.province))
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]


@pytest.mark.django_db
def test_national_directory_search_and_province_page(client, national_units, django_assert_max_num_queries):
    admin = UserFactory(username="quantri", is_superuser=True, is_staff=True)
    client.force_login(admin)
    first = client.get(TREE, {"q": "dong thap"}).context["results"].units[0]
    assert (first.code, first.name) == ("82", "Tỉnh Đồng Tháp")
    results = client.get(TREE, {"q": "so noi vu tuyen quang"}).context["results"].units
    assert results[0].code == "08.SNV"
    with django_assert_max_num_queries(15):
        response = client.get(detail(Unit.objects.get(code="08")))
    page = response.content.decode()
    assert "Tỉnh Hà Giang" in page  # merged into Tuyên Quang
    assert response.context["children_total"] > 100
    assert len(response.context["children_page"].object_list) == 50
    old = client.get(detail(Unit.objects.get(code="old-02")))
    assert [u.code for u in old.context["history"].successors] == ["08"]
