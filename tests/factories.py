"""Factories for tests, and the one small org tree every test shares (`make_org_tree`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import factory
from django.contrib.auth import get_user_model

from cchc.org.models import Membership, Unit

DEFAULT_PASSWORD = "mat-khau-thu-nghiem-2025"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nguoidung{n}")
    full_name = factory.Sequence(lambda n: f"Người dùng {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.vn")
    is_active = True

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or DEFAULT_PASSWORD)
        if create:
            self.save(update_fields=["password"])


class UnitFactory(factory.django.DjangoModelFactory):
    """A unit saved with its derived fields (path, depth, search text) computed."""

    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"T{n:04d}")
    name = factory.Sequence(lambda n: f"Đơn vị thử {n}")
    kind = Unit.Kind.OTHER
    parent = None
    valid_from = None
    valid_to = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        unit = model_class(*args, **kwargs)
        unit.refresh_derived()
        unit.save()
        return unit


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = Membership.Role.OFFICER
    is_active = True


@dataclass
class OrgTree:
    province: Unit
    dept: Unit  # Sở Nội vụ
    dept_division: Unit  # a division of the department
    commune_a: Unit
    commune_a_sub: Unit  # a unit below commune A
    commune_b: Unit
    other_province: Unit
    old_province: Unit  # closed 30/06/2025, rolls up into `province`
    supervisor: object
    manager_a: object
    officer_a: object
    officer_b: object
    viewer: object
    admin: object
    dept_officer: object
    password: str = DEFAULT_PASSWORD


def make_org_tree() -> OrgTree:
    """A small tree: a province with Sở Nội vụ (and a division), two communes (A with a sub-unit),
    a second province, a closed old province merged into the first, and one user for each role.

    Codes start with "T" so that the tree lives beside the national directory when a test session
    has loaded it (`national_units`); names are those of real units, as users would type them."""
    closed = dt.date(2025, 6, 30)
    province = UnitFactory(code="T08", name="Tỉnh Tuyên Quang", short_name="Tuyên Quang", kind=Unit.Kind.PROVINCE,
                           valid_from=dt.date(2025, 7, 1))
    dept = UnitFactory(code="T08.SNV", name="Sở Nội vụ", short_name="Sở NV", aliases=["SNV", "Sở Nội vụ tỉnh Tuyên Quang"],
                       kind=Unit.Kind.DEPARTMENT, parent=province)
    dept_division = UnitFactory(code="T08.SNV.CCHC", name="Phòng Cải cách hành chính", kind=Unit.Kind.DIVISION, parent=dept)
    commune_a = UnitFactory(code="T02509", name="Phường Hà Giang 1", kind=Unit.Kind.WARD, parent=province)
    commune_a_sub = UnitFactory(code="T02509.VP", name="Văn phòng HĐND và UBND phường", kind=Unit.Kind.OFFICE, parent=commune_a)
    commune_b = UnitFactory(code="T02197", name="Xã Đồng Văn", kind=Unit.Kind.COMMUNE, parent=province)
    other_province = UnitFactory(code="T82", name="Tỉnh Đồng Tháp", short_name="Đồng Tháp", kind=Unit.Kind.PROVINCE)
    old_province = UnitFactory(code="Told-02", name="Tỉnh Hà Giang", kind=Unit.Kind.PROVINCE, valid_to=closed, successor=province)

    def member(username, full_name, unit, role, **extra):
        user = UserFactory(username=username, full_name=full_name, **extra)
        if unit is not None:
            MembershipFactory(user=user, unit=unit, role=role)
        return user

    R = Membership.Role
    return OrgTree(
        province=province, dept=dept, dept_division=dept_division, commune_a=commune_a, commune_a_sub=commune_a_sub,
        commune_b=commune_b, other_province=other_province, old_province=old_province,
        supervisor=member("giamsat", "Nguyễn Văn Giám", province, R.SUPERVISOR),
        manager_a=member("xa.quanly", "Trần Thị Quản", commune_a, R.MANAGER),
        officer_a=member("xa.canbo", "Lê Văn Cán", commune_a, R.OFFICER),
        officer_b=member("xa2.canbo", "Phạm Thị Bộ", commune_b, R.OFFICER),
        viewer=member("xem", "Hoàng Văn Xem", province, R.VIEWER),
        admin=member("admin", "Quản trị hệ thống", None, None, is_superuser=True, is_staff=True),
        dept_officer=member("snv.canbo", "Vũ Thị Nội", dept, R.OFFICER),
    )
