from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from cchc.org import permissions
from cchc.org.management.commands import load_demo
from cchc.org.models import Membership, Unit


def run(*args):
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_load_demo_creates_one_user_per_role_and_prints_the_logins(national_units):
    output = run()
    for username in ("admin", "giamsat", "snv.quanly", "snv.canbo", "xa.quanly", "xa.canbo", "xa2.canbo", "xem"):
        assert username in output
    assert load_demo.DEFAULT_PASSWORD in output
    assert "Tỉnh Tuyên Quang (08)" in output
    roles = {(m.user.username, m.unit.code, m.role) for m in Membership.objects.select_related("user", "unit")}
    # The CCHC officer works in Sở Nội vụ and holds the supervisor role on the province.
    assert ("giamsat", "08", "supervisor") in roles and ("giamsat", "08.SNV", "officer") in roles
    assert ("snv.quanly", "08.SNV", "manager") in roles and ("snv.canbo", "08.SNV", "officer") in roles
    assert ("xem", "08", "viewer") in roles
    request = RequestFactory().post("/tai-khoan/dang-nhap/")
    assert authenticate(request, username="xa.canbo", password=load_demo.DEFAULT_PASSWORD) is not None
    # the demo province has its public CCHC site, open without an account
    assert "/cong/tuyen-quang/" in output
    from django.test import Client

    assert "Chuyên trang Cải cách hành chính tỉnh Tuyên Quang" in Client().get("/cong/tuyen-quang/").content.decode()


@pytest.mark.django_db
def test_load_demo_is_idempotent(national_units):
    run()
    counts = (Membership.objects.count(), Unit.objects.count())
    second = run()
    assert (Membership.objects.count(), Unit.objects.count()) == counts
    assert "giamsat" in second


@pytest.mark.django_db
def test_demo_roles_behave_on_the_real_directory(national_units):
    run()
    users = {m.user.username: m.user for m in Membership.objects.select_related("user")}
    commune_a = Membership.objects.get(user__username="xa.canbo").unit
    commune_b = Membership.objects.get(user__username="xa2.canbo").unit
    assert not permissions.can_view(users["xa.canbo"], commune_b)
    assert permissions.can_edit(users["xa.canbo"], commune_a)
    supervisor = users["giamsat"]
    # Hà Giang and its districts were merged into Tuyên Quang: its supervisor reads their history.
    assert permissions.can_view(supervisor, Unit.objects.get(code="old-02"))
    assert permissions.can_view(supervisor, Unit.objects.filter(parent__code="old-02").first())
    assert not permissions.can_view(supervisor, Unit.objects.get(code="01"))
    visible = permissions.visible_units(supervisor)
    assert visible.filter(code="00694").exists() and not visible.filter(code__startswith="01.").exists()
    assert not any(permissions.can_edit(users["xem"], u) for u in (commune_a, commune_b, Unit.objects.get(code="08")))


@pytest.mark.django_db
def test_load_demo_without_the_directory_says_to_load_it(db, monkeypatch):
    monkeypatch.setattr(load_demo, "DEMO_PROVINCE", "ZZ-no-such-province")
    with pytest.raises(CommandError, match="cchc load-units"):
        run()
