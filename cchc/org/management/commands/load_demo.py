"""`cchc load-demo`: the demo province (Tuyên Quang, which absorbed Hà Giang) with one user per role.

Idempotent: a second run finds the users and memberships in place, resets the demo password and
prints the same table of logins.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from cchc.accounts.services import user_create_or_update
from cchc.org.models import Membership, Unit
from cchc.org.services import membership_create

DEMO_PROVINCE = "08"  # Tuyên Quang: Hà Giang (the province of seed 004) merged into it on 1 July 2025
DEMO_DEPARTMENT = "08.SNV"  # Sở Nội vụ, which leads administrative-reform communication
DEFAULT_PASSWORD = "cchc-demo-2025"

R = Membership.Role


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    position: str
    unit: str | None  # "province", "department", "commune_a", "commune_b" or None for the administrator
    role: str | None
    # Roles held on other units: the CCHC officer works in Sở Nội vụ and supervises the province's plans.
    also: tuple[tuple[str, str], ...] = ()


DEMO_USERS = [
    DemoUser("admin", "Quản trị hệ thống", "Quản trị hệ thống", None, None),
    DemoUser("giamsat", "Nguyễn Thị Giám Sát", "Chuyên viên CCHC, Sở Nội vụ", "department", R.OFFICER,
             also=(("province", R.SUPERVISOR),)),
    DemoUser("snv.quanly", "Trần Văn Quản", "Phó Giám đốc Sở Nội vụ", "department", R.MANAGER),
    DemoUser("snv.canbo", "Lê Thị Cán Bộ", "Chuyên viên Sở Nội vụ", "department", R.OFFICER),
    DemoUser("xa.quanly", "Phạm Văn Lãnh Đạo", "Chủ tịch UBND", "commune_a", R.MANAGER),
    DemoUser("xa.canbo", "Hoàng Thị Công Chức", "Công chức Văn phòng - Thống kê", "commune_a", R.OFFICER),
    DemoUser("xa2.canbo", "Vũ Văn Cán Sự", "Công chức Văn phòng - Thống kê", "commune_b", R.OFFICER),
    DemoUser("xem", "Đỗ Thị Người Xem", "Lãnh đạo UBND tỉnh (theo dõi)", "province", R.VIEWER),
]


class Command(BaseCommand):
    help = "Create the demo users of the demo province (Tuyên Quang) with one membership per role, and print their logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=os.environ.get("CCHC_DEMO_PASSWORD", DEFAULT_PASSWORD),
            help="the password shared by every demo user (default: %(default)s, or CCHC_DEMO_PASSWORD)",
        )

    def handle(self, *args, password: str, **options):
        try:
            units = self._units()
            with transaction.atomic():
                rows = self._load(units, password)
                site = self._public_site(units["province"])
                catalogue = self._procedures(units["province"])
        except DatabaseError as exc:
            raise CommandError(
                _("The demo data could not be written (%(error)s). Run `cchc migrate` and `cchc load-units` first.")
                % {"error": exc}
            ) from exc
        self._print(rows, password)
        if catalogue is not None:
            self.stdout.write(_("Procedure catalogue of the demo province: %(n)d procedures, from decision %(number)s")
                              % {"n": catalogue[0], "number": catalogue[1]})
        if site is not None:
            address = f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}{site.path()}"
            self.stdout.write(_("Public site of the demo province: %(address)s") % {"address": address})

    def _public_site(self, province: Unit):
        """The demo province's public CCHC site, when the public side is installed."""
        from django.apps import apps

        if not apps.is_installed("cchc.portal"):
            return None
        from cchc.portal.models import PublicContact, PublicSite

        site, created = PublicSite.objects.get_or_create(unit=province, defaults={
            "slug": "tuyen-quang", "title": "Chuyên trang Cải cách hành chính tỉnh Tuyên Quang",
            "tagline": "Thông tin, tuyên truyền về cải cách hành chính của tỉnh",
            "address": "Sở Nội vụ tỉnh Tuyên Quang (địa chỉ minh hoạ)", "hotline": "0207 3000 000",
            "email": "cchc@demo.cchc.local",
        })
        if created:
            PublicContact.objects.create(site=site, name="Phòng Cải cách hành chính, Sở Nội vụ",
                                         position="Đầu mối tiếp nhận phản ánh về CCHC", phone="0207 3000 001",
                                         email="phongcchc@demo.cchc.local", order=1)
        return site

    def _procedures(self, province: Unit):
        """The demo province's catalogue, from a real publication decision shipped with the package."""
        from django.apps import apps

        if not apps.is_installed("cchc.procedures"):
            return None
        from cchc.accounts.models import User
        from cchc.procedures.demo import load_demo_catalogue

        decision = load_demo_catalogue(unit=province, user=User.objects.filter(username="giamsat").first())
        return province.procedures.filter(status="active").count(), decision.number

    def _units(self) -> dict[str, Unit]:
        province = Unit.objects.filter(code=DEMO_PROVINCE).first()
        department = Unit.objects.filter(code=DEMO_DEPARTMENT).first()
        if province is None or department is None:
            raise CommandError(
                _("The unit directory is not loaded (no unit %(code)s): run `cchc load-units` first, then `cchc load-demo`.")
                % {"code": DEMO_PROVINCE if province is None else DEMO_DEPARTMENT}
            )
        communes = list(
            Unit.objects.filter(parent=province, kind__in=Unit.COMMUNE_KINDS, valid_to__isnull=True).order_by("code")[:2]
        )
        if len(communes) < 2:
            raise CommandError(
                _("The province %(code)s has fewer than two communes: run `cchc load-units` to complete the directory.")
                % {"code": DEMO_PROVINCE}
            )
        return {"province": province, "department": department, "commune_a": communes[0], "commune_b": communes[1]}

    def _load(self, units: dict[str, Unit], password: str) -> list[tuple[str, str, str]]:
        rows = []
        for demo in DEMO_USERS:
            user = user_create_or_update(
                username=demo.username, password=password, full_name=demo.full_name, position=demo.position,
                email=f"{demo.username}@demo.cchc.local", is_superuser=demo.unit is None,
            )
            if demo.unit is None:
                rows.append((demo.username, _("system administrator"), _("all units")))
                continue
            for key, role in ((demo.unit, demo.role), *demo.also):
                unit = units[key]
                membership = membership_create(user=user, unit=unit, role=role)
                rows.append((demo.username, str(membership.get_role_display()), f"{unit.name} ({unit.code})"))
        return rows

    def _print(self, rows: list[tuple[str, str, str]], password: str) -> None:
        header = (_("User name"), _("Password"), _("Role"), _("Unit"))
        table = [header, *[(u, password, r, n) for u, r, n in rows]]
        widths = [max(len(str(row[i])) for row in table) for i in range(4)]
        line = "  ".join("-" * w for w in widths)
        self.stdout.write("")
        address = f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}/"
        self.stdout.write(_("Demo logins (%(address)s):") % {"address": address})
        for i, row in enumerate(table):
            self.stdout.write("  ".join(str(cell).ljust(w) for cell, w in zip(row, widths)).rstrip())
            if i == 0:
                self.stdout.write(line)
