import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_pages_are_vietnamese_whatever_the_browser_asks(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert 'lang="vi"' in html and "Đăng nhập" in html


@pytest.mark.django_db
def test_the_switcher_changes_the_language_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("accounts:login")})
    assert response.status_code == 302
    html = client.get(reverse("accounts:login")).content.decode()
    assert 'lang="en"' in html and "Log in" in html
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert "Đăng nhập" in client.get(reverse("accounts:login")).content.decode()


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_vietnamese(client):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert 'lang="vi"' in client.get(reverse("accounts:login")).content.decode()
