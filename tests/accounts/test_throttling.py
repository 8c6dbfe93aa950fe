"""Login throttling: per account across addresses, per address across accounts, the client's address
behind trusted proxies, and unlocking by a system administrator (audited)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from cchc.core.middleware import client_ip
from cchc.core.models import AuditEvent
from tests.factories import DEFAULT_PASSWORD, UserFactory

LOGIN = reverse("accounts:login")
LOCKOUTS = reverse("accounts:lockouts")


def login(client, username, password, address, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **extra)


@pytest.fixture
def user(db):
    return UserFactory(username="canbo")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="quantri", is_superuser=True, is_staff=True)


def test_five_failures_for_one_account_from_five_addresses_lock_the_account(client, user):
    for n in range(1, 5):
        assert login(client, "canbo", "sai", f"10.0.1.{n}").status_code == 200
    assert login(client, "canbo", "sai", "10.0.1.5").status_code == 429
    # The right password from a sixth, clean address is refused too, and the page says why, in Vietnamese.
    response = login(client, "canbo", DEFAULT_PASSWORD, "10.0.1.6")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Đăng nhập sai quá nhiều lần" in page and "Tài khoản này đã đăng nhập sai 5 lần liên tiếp" in page
    assert 'lang="vi"' in page and "15 phút" in page
    assert "_auth_user_id" not in client.session
    # Another account from that address is not locked: the address had only one failure.
    UserFactory(username="khac")
    assert login(client, "khac", DEFAULT_PASSWORD, "10.0.1.6").status_code == 302


def test_five_failures_from_one_address_across_five_accounts_lock_the_address(client, db):
    for n in range(1, 5):
        assert login(client, f"thu{n}", "sai", "10.0.2.9").status_code == 200
    assert login(client, "thu5", "sai", "10.0.2.9").status_code == 429
    victim = UserFactory(username="dungthat")
    response = login(client, "dungthat", DEFAULT_PASSWORD, "10.0.2.9")
    assert response.status_code == 429
    page = response.content.decode()
    assert "từ địa chỉ mạng của máy tính này" in page and "Tài khoản này" not in page
    # The same account from another address logs in: it is the address that is locked.
    assert login(client, victim.username, DEFAULT_PASSWORD, "10.0.2.10").status_code == 302


def _request(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_x_forwarded_for_is_ignored_without_trusted_proxies(settings):
    settings.CCHC_TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("10.9.9.9", "203.0.113.7")) == "10.9.9.9"


def test_x_forwarded_for_gives_the_address_the_trusted_proxy_saw(settings):
    settings.CCHC_TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("10.9.9.9", "203.0.113.7")) == "203.0.113.7"
    # A client's own X-Forwarded-For entry is left of the proxy's and is not believed.
    assert client_ip(_request("10.9.9.9", "198.51.100.1, 203.0.113.7")) == "203.0.113.7"
    # Two proxies: the address the outer one saw.
    settings.CCHC_TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request("10.9.9.9", "198.51.100.1, 203.0.113.7, 10.0.0.2")) == "203.0.113.7"
    # Not through the proxies (too few entries), or rubbish: REMOTE_ADDR.
    assert client_ip(_request("10.9.9.9", "203.0.113.7")) == "10.9.9.9"
    settings.CCHC_TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("10.9.9.9", "not-an-address")) == "10.9.9.9"
    assert client_ip(_request("10.9.9.9")) == "10.9.9.9"


def test_behind_one_proxy_failures_count_per_client_not_per_proxy(client, settings, db):
    settings.CCHC_TRUSTED_PROXY_COUNT = 1
    for n in range(1, 6):  # five users, each wrong once, all through the proxy 10.0.0.1
        login(client, f"thu{n}", "sai", "10.0.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    honest = UserFactory(username="trungthuc")
    assert login(client, "trungthuc", DEFAULT_PASSWORD, "10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.50").status_code == 302
    assert AuditEvent.objects.filter(action="login", actor=honest).get().ip_address == "203.0.113.50"


def test_without_trusted_proxies_a_forged_header_does_not_escape_the_address_lock(client, settings, db):
    settings.CCHC_TRUSTED_PROXY_COUNT = 0
    for n in range(1, 6):
        login(client, f"thu{n}", "sai", "10.0.3.3", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    UserFactory(username="khac")
    assert login(client, "khac", DEFAULT_PASSWORD, "10.0.3.3", HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429


def test_administrator_unlocks_an_account_and_the_unlock_is_audited(client, user, admin_user):
    for n in range(1, 6):
        login(client, "canbo", "sai", f"10.0.4.{n}")
    client.force_login(admin_user)
    page = client.get(LOCKOUTS).content.decode()
    assert "Tài khoản bị khóa" in page and "canbo" in page
    response = client.post(LOCKOUTS, {"username": "canbo"}, follow=True)
    assert "Đã mở khóa tài khoản canbo." in response.content.decode()
    event = AuditEvent.objects.get(action="other", object_repr="canbo")
    assert event.actor == admin_user and event.object_id == str(user.pk)
    assert event.before == {"failed_logins": 5} and event.after == {"failed_logins": 0}
    client.logout()
    assert login(client, "canbo", DEFAULT_PASSWORD, "10.0.4.9").status_code == 302


def test_administrator_unlocks_an_address(client, admin_user):
    for n in range(1, 6):
        login(client, f"thu{n}", "sai", "10.0.5.5")
    client.force_login(admin_user)
    assert "10.0.5.5" in client.get(LOCKOUTS).content.decode()
    client.post(LOCKOUTS, {"ip_address": "10.0.5.5"})
    assert AuditEvent.objects.filter(action="other", object_repr="10.0.5.5", actor=admin_user).exists()
    client.logout()
    UserFactory(username="khac")
    assert login(client, "khac", DEFAULT_PASSWORD, "10.0.5.5").status_code == 302


def test_unlock_from_the_admin_user_list_is_audited(client, user, admin_user):
    for n in range(1, 6):
        login(client, "canbo", "sai", f"10.0.6.{n}")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:accounts_user_changelist"), {"action": "unlock", "_selected_action": [user.pk]}, follow=True
    )
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="other", object_repr="canbo", actor=admin_user).exists()
    client.logout()
    assert login(client, "canbo", DEFAULT_PASSWORD, "10.0.6.9").status_code == 302


def test_only_a_system_administrator_sees_the_locked_accounts(client, user):
    client.force_login(user)
    assert client.get(LOCKOUTS).status_code == 403
    assert client.post(LOCKOUTS, {"username": "canbo"}).status_code == 403


def test_a_good_login_does_not_clear_the_failures_of_its_address(client, db):
    """One valid account must not let a guesser at one address start the address's count again."""
    own = UserFactory(username="cuatoi")
    for n in range(1, 5):
        login(client, f"thu{n}", "sai", "10.0.7.7")
    assert login(client, "cuatoi", DEFAULT_PASSWORD, "10.0.7.7").status_code == 302
    client.logout()
    assert login(client, "thu5", "sai", "10.0.7.7").status_code == 429  # the fifth failure from there
    assert login(client, own.username, DEFAULT_PASSWORD, "10.0.7.8").status_code == 302


def test_a_good_login_clears_its_own_account_failures(client, user):
    for n in range(1, 5):
        login(client, "canbo", "sai", f"10.0.8.{n}")
    assert login(client, "canbo", DEFAULT_PASSWORD, "10.0.8.9").status_code == 302
    client.logout()
    assert login(client, "canbo", "sai", "10.0.8.10").status_code == 200  # counting starts again


def test_deleting_failed_logins_in_the_admin_unlocks_and_is_audited(client, user, admin_user):
    from axes.models import AccessAttempt

    for n in range(1, 6):
        login(client, "canbo", "sai", f"10.0.9.{n}")
    client.force_login(admin_user)
    attempts = list(AccessAttempt.objects.filter(username="canbo").values_list("pk", flat=True))
    response = client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": attempts, "post": "yes"}, follow=True,
    )
    assert response.status_code == 200 and not AccessAttempt.objects.filter(username="canbo").exists()
    assert AuditEvent.objects.filter(action="other", object_repr="canbo", actor=admin_user).count() == 1
