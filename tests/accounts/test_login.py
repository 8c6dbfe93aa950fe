import pytest
from django.urls import reverse

from cchc.core.models import AuditEvent
from tests.factories import DEFAULT_PASSWORD, UserFactory

LOGIN = reverse("accounts:login")
LOGOUT = reverse("accounts:logout")


@pytest.fixture
def user(db):
    return UserFactory(username="canbo", full_name="Nguyễn Thị Cán Bộ")


def login(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR="10.0.0.7", **extra)


def test_login_page_is_in_vietnamese_with_labelled_fields(client, db):
    page = client.get(LOGIN).content.decode()
    assert 'lang="vi"' in page
    assert '<label for="id_username">Tên đăng nhập</label>' in page
    assert '<label for="id_password">Mật khẩu</label>' in page


def test_login_goes_home_and_is_audited(client, user):
    response = login(client, "canbo", DEFAULT_PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert "Nguyễn Thị Cán Bộ" in client.get(reverse("home")).content.decode()
    event = AuditEvent.objects.get(action="login")
    assert event.actor == user and event.object_repr == "canbo" and event.ip_address == "10.0.0.7"


def test_wrong_password_says_what_is_wrong_and_is_audited(client, user):
    response = login(client, "canbo", "sai-mat-khau")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in page
    assert 'role="alert"' in page
    event = AuditEvent.objects.get(action="login_failed")
    assert event.actor is None and event.object_repr == "canbo" and event.object_id == str(user.pk)
    assert "sai-mat-khau" not in str(event.before) + str(event.after) + event.message


def test_failed_login_for_unknown_user_is_audited_without_an_id(client, db):
    login(client, "khongai", "x")
    event = AuditEvent.objects.get(action="login_failed")
    assert event.object_repr == "khongai" and event.object_id == ""


def test_logout_is_audited_and_ends_the_session(client, user):
    login(client, "canbo", DEFAULT_PASSWORD)
    response = client.post(LOGOUT)
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert AuditEvent.objects.filter(action="logout", actor=user).count() == 1
    assert client.get(reverse("home")).status_code == 302


def test_sixth_attempt_after_five_wrong_passwords_answers_the_lockout_page(client, user):
    for attempt in range(1, 5):
        response = login(client, "canbo", f"sai-{attempt}")
        assert response.status_code == 200, attempt
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    fifth = login(client, "canbo", "sai-5")
    assert fifth.status_code == 429  # the fifth failure (AXES_FAILURE_LIMIT) already locks
    # Even the right password is refused now: the account is locked for this address.
    response = login(client, "canbo", DEFAULT_PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Đăng nhập sai quá nhiều lần" in page
    assert "15 phút" in page
    assert "_auth_user_id" not in client.session
    # Five failures from one address also lock that address, for every account
    # (tests/accounts/test_throttling.py); from another address this account stays locked.
    UserFactory(username="khac")
    assert login(client, "khac", DEFAULT_PASSWORD).status_code == 429
