"""Subscribers: double opt-in (nothing mailed before the link is followed), the same answer for a
repeated subscription, a clear message for a wrong address, a rate limit per network address and
hour, a honeypot; staff see addresses masked and their looking is audited."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from cchc.bulletins import tokens
from cchc.bulletins.models import Subscriber
from cchc.core.models import AuditEvent

SUBSCRIBE = "/cong/ha-giang-1/ban-tin/dang-ky/"


def _link(message) -> str:
    return re.search(r"http://testserver(/cong/\S+/xac-nhan/\S+/)", message.body).group(1)


def test_double_opt_in_mails_only_the_confirmation_until_it_is_followed(client, site):
    response = client.post(SUBSCRIBE, {"email": " Nguoi.Dan@Example.VN ", "website": ""})
    assert response.status_code == 302 and response["Location"] == "/cong/ha-giang-1/ban-tin/dang-ky/da-gui/"
    assert "Kiểm tra hộp thư" in client.get(response["Location"]).content.decode()
    subscriber = Subscriber.objects.get(site=site)
    assert subscriber.email == "nguoi.dan@example.vn" and subscriber.status == Subscriber.Status.PENDING
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nguoi.dan@example.vn"]
    assert "Xác nhận" in mail.outbox[0].subject
    link = _link(mail.outbox[0])

    forged = link.replace(link.split(":")[-1].rstrip("/"), "ChuKyGiaMao")
    assert client.get(forged).status_code == 400 and client.post(forged).status_code == 400
    assert client.get(f"/cong/ha-giang-1/ban-tin/xac-nhan/{subscriber.pk}:abc:def/").status_code == 400
    assert client.get("/cong/ha-giang-1/ban-tin/xac-nhan/khong-phai-ma/").status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING and subscriber.confirmed_at is None

    # opening the link (as a mail scanner does) confirms nothing: it shows the button
    page = client.get(link)
    assert page.status_code == 200 and 'id="confirm-subscription"' in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING
    page = client.post(link)
    assert page.status_code == 200 and "đã được xác nhận" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED and subscriber.confirmed_at is not None
    assert client.post(link).status_code == 200  # sending it again changes nothing
    assert "đã được xác nhận" in client.get(link).content.decode()
    assert len(mail.outbox) == 1
    events = AuditEvent.objects.filter(object_type="bulletins.subscriber")
    assert {e.message for e in events} >= {"", "confirmed"}
    assert all("nguoi.dan@example.vn" not in str(e.after) for e in events)  # the log keeps it masked


def test_a_link_for_another_site_or_signed_with_an_old_salt_is_refused(client, site, org_tree):
    from cchc.bulletins import services
    from cchc.portal.models import PublicSite

    other = PublicSite.objects.create(unit=org_tree.commune_b, slug="dong-van", title="Xã Đồng Văn")
    services.subscription_request(site=site, email="a@example.vn", base_url="http://testserver/cong/ha-giang-1/")
    subscriber = Subscriber.objects.get()
    token = tokens.confirm_token(subscriber)
    assert client.get(f"/cong/dong-van/ban-tin/xac-nhan/{token}/").status_code == 400
    assert other.bulletin_subscribers.count() == 0
    Subscriber.objects.filter(pk=subscriber.pk).update(salt="muoi-moi")
    assert client.get(f"/cong/ha-giang-1/ban-tin/xac-nhan/{token}/").status_code == 400


def test_a_repeated_subscription_gets_the_same_answer_and_reveals_nothing(client, site):
    first = client.post(SUBSCRIBE, {"email": "ban@example.vn"})
    client.post(_link(mail.outbox[0]))
    again = client.post(SUBSCRIBE, {"email": "ban@example.vn"})
    new = client.post(SUBSCRIBE, {"email": "moi@example.vn"})
    assert first["Location"] == again["Location"] == new["Location"]
    assert Subscriber.objects.filter(site=site).count() == 2
    assert Subscriber.objects.get(email="ban@example.vn").status == Subscriber.Status.CONFIRMED
    # the owner of the address is told by mail that nothing changed
    assert "đã nhận" in mail.outbox[1].subject and "xac-nhan" not in mail.outbox[1].body


def test_a_wrong_address_gets_a_clear_message(client, site):
    response = client.post(SUBSCRIBE, {"email": "khong-phai-thu@"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "không phải là địa chỉ thư điện tử" in page and "name@example.vn" in page
    assert not Subscriber.objects.exists() and not mail.outbox


def test_a_flood_from_one_address_is_rate_limited_per_hour(client, site, settings):
    settings.CCHC_BULLETIN_SUBSCRIBES_PER_HOUR = 3
    for n in range(3):
        assert client.post(SUBSCRIBE, {"email": f"nguoi{n}@example.vn"}).status_code == 302
    response = client.post(SUBSCRIBE, {"email": "nguoi9@example.vn"})
    assert response.status_code == 429
    assert "Quá nhiều yêu cầu đăng ký" in response.content.decode()
    assert Subscriber.objects.count() == 3 and len(mail.outbox) == 3
    # another network address is not held back
    assert client.post(SUBSCRIBE, {"email": "khac@example.vn"}, REMOTE_ADDR="10.1.2.3").status_code == 302


def test_a_robot_filling_the_hidden_field_is_answered_but_nothing_is_kept(client, site):
    response = client.post(SUBSCRIBE, {"email": "robot@example.vn", "website": "http://spam.example"})
    assert response.status_code == 302
    assert not Subscriber.objects.exists() and not mail.outbox


def test_the_subscribe_page_is_public_and_its_honeypot_is_hidden(client, site):
    page = client.get(SUBSCRIBE).content.decode()
    assert 'name="email"' in page and 'name="website"' in page and 'tabindex="-1"' in page
    assert "style=" not in page and "<script" not in page


def test_staff_see_subscribers_masked_and_the_look_is_audited(client, site, org_tree):
    Subscriber.objects.create(site=site, email="nguyenvana@example.vn", salt="x", status=Subscriber.Status.CONFIRMED)
    url = f"/ban-tin/trang/{site.pk}/nguoi-dang-ky/"
    client.force_login(org_tree.officer_a)  # composes but does not manage the list
    assert client.get(url).status_code == 404
    client.force_login(org_tree.manager_b if hasattr(org_tree, "manager_b") else org_tree.officer_b)
    assert client.get(url).status_code == 404
    client.force_login(org_tree.manager_a)
    page = client.get(url).content.decode()
    assert "ng***@e***.vn" in page and "nguyenvana@example.vn" not in page
    assert AuditEvent.objects.filter(actor=org_tree.manager_a, message="viewed the bulletin's subscribers").count() == 1


@pytest.mark.parametrize("email,masked", [("ab@example.com", "ab***@e***.com"), ("x@localhost", "x***@l***")])
def test_masking(email, masked):
    assert Subscriber(email=email).masked_email == masked


def test_requests_for_one_address_from_many_networks_mail_it_at_most_three_times_an_hour(client, site):
    for n in range(5):
        response = client.post(SUBSCRIBE, {"email": "nan.nhan@example.vn"}, REMOTE_ADDR=f"10.0.0.{n + 1}")
        assert response.status_code == 302  # every visitor gets the same answer
    assert len(mail.outbox) == 3
    assert Subscriber.objects.filter(email="nan.nhan@example.vn").count() == 1


def test_an_editor_whose_units_have_no_site_is_told_where_to_start(client, org_tree):
    """The menu shows "Bulletins" to every editor; a unit without a public site gets the reason and the
    way to open one, not a missing page."""
    client.force_login(org_tree.officer_b)
    response = client.get("/ban-tin/")
    page = response.content.decode()
    assert response.status_code == 200 and 'id="no-site"' in page and 'href="/trang-cong-khai/"' in page
