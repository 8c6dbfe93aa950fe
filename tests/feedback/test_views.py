"""Staff pages: who sees what (a sibling unit sees nothing, viewers no personal data), every view of
personal data audited, the actions done once, forbidden answers as missing."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.core.models import AuditEvent
from cchc.feedback import services
from cchc.feedback.models import Channel, Item, Status

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def _views(item):
    return AuditEvent.objects.filter(object_type="feedback.item", object_id=str(item.pk), action="view_personal")


def test_inbox_and_item_of_the_unit(client, tree, submit):
    item = submit()
    login(client, tree.officer_a)
    page = client.get(reverse("feedback:inbox"))
    assert page.status_code == 200 and item.code in page.content.decode()
    page = client.get(reverse("feedback:item", args=[item.pk]))
    html = page.content.decode()
    assert "0912 345 678" in html and "Nguyễn Thị Dân" in html
    assert _views(item).filter(actor=tree.officer_a).count() == 1


def test_sibling_unit_sees_nothing(client, tree, submit):
    item = submit()
    login(client, tree.officer_b)
    assert item.code not in client.get(reverse("feedback:inbox")).content.decode()
    assert client.get(reverse("feedback:item", args=[item.pk])).status_code == 404
    assert client.post(reverse("feedback:classify", args=[item.pk]), {"in_scope": "yes"}).status_code == 404
    assert not _views(item).exists()


def test_viewer_sees_no_personal_data(client, tree, submit):
    item = submit()
    login(client, tree.viewer)
    html = client.get(reverse("feedback:item", args=[item.pk])).content.decode()
    assert item.code in html and "0912 345 678" not in html and "Dan.Nguyen" not in html.lower() + "x"
    assert "dan.nguyen@example.vn" not in html
    assert not _views(item).exists()
    assert client.post(reverse("feedback:classify", args=[item.pk]), {"in_scope": "yes"}).status_code == 404


def test_officer_entry_with_a_future_date_is_refused(client, tree):
    login(client, tree.officer_a)
    future = (dt.date.today() + dt.timedelta(days=3)).strftime("%d/%m/%Y")
    data = {"unit": tree.commune_a.pk, "channel": "phone", "received_on": future, "name": "Bà Tư",
            "phone": "0911222333", "subject": "Đèn đường", "content": "Đèn đường hỏng", "item_type":
            services.default_item_type().pk}
    page = client.post(reverse("feedback:enter"), data)
    assert page.status_code == 400 and "tương lai" in page.content.decode()
    data["received_on"] = "13/02/2026"
    page = client.post(reverse("feedback:enter"), data)
    item = Item.objects.get()
    assert page.status_code == 302 and item.channel == Channel.PHONE and item.received_on == dt.date(2026, 2, 13)


def test_the_whole_way_through_the_pages(client, tree, submit, mailoutbox, django_capture_on_commit_callbacks):
    item = submit(site_unit=tree.province)
    login(client, tree.supervisor)
    r = client.post(reverse("feedback:transfer", args=[item.pk]),
                    {"to_unit": tree.dept.pk, "reason": "Thuộc thẩm quyền của Sở", "form_token": "a" * 24})
    assert r.status_code == 302
    again = client.post(reverse("feedback:transfer", args=[item.pk]),
                        {"to_unit": tree.dept.pk, "reason": "Thuộc thẩm quyền của Sở", "form_token": "a" * 24})
    assert again.status_code == 302 and item.transfers.count() == 1  # a double click transfers once
    client.logout()
    login(client, tree.dept_officer)
    assert client.post(reverse("feedback:draft", args=[item.pk]), {"text": "Kính gửi bà, hồ sơ đã xử lý."}).status_code == 302
    # an officer may not approve
    assert client.post(reverse("feedback:approve", args=[item.pk]), {"text": "x"}).status_code == 404
    client.logout()
    login(client, tree.supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("feedback:approve", args=[item.pk]), {
            "text": "Kính gửi bà, hồ sơ đã xử lý.", "public_title": "Thời hạn cấp giấy phép xây dựng",
            "public_question": "Công dân hỏi về thời hạn cấp giấy phép xây dựng.",
            "public_text": "Hồ sơ đã được xử lý."})
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.SENT and len(mailoutbox) == 1
    assert client.post(reverse("feedback:publish", args=[item.pk])).status_code == 302
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED


def test_public_text_with_personal_data_is_refused_on_the_page(client, tree, submit):
    item = submit()
    services.item_classify(item=item, user=tree.officer_a, in_scope=True)
    services.answer_draft(item=item, user=tree.officer_a, text="Trả lời")
    login(client, tree.manager_a)
    r = client.post(reverse("feedback:approve", args=[item.pk]), {
        "text": "Trả lời", "public_title": "Hỏi", "public_question": "Liên hệ dan.nguyen@example.vn",
        "public_text": "Trả lời"})
    assert r.status_code == 400 and "thông tin cá nhân" in r.content.decode()
    item.refresh_from_db()
    assert item.status == Status.DRAFTED


def test_attachment_served_only_to_handling_units_and_audited(client, tree, submit):
    pdf = SimpleUploadedFile("don.pdf", b"%PDF-1.4\n" + b"x" * 100)
    item = submit(attachments=[pdf])
    attachment = item.attachments.get()
    url = reverse("feedback:attachment", args=[item.pk, attachment.pk])
    login(client, tree.officer_b)
    assert client.get(url).status_code == 404
    client.logout()
    login(client, tree.officer_a)
    r = client.get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
    assert _views(item).filter(message__contains="attachment").count() == 1


def test_home_block_shows_overdue(client, tree):
    services.item_enter(user=tree.officer_a, unit=tree.commune_a, channel=Channel.HOTLINE,
                        received_on=dt.date(2025, 12, 1), name="Ông Năm", subject="Hỏi", content="Nội dung")
    login(client, tree.officer_a)
    html = client.get("/").content.decode()
    assert "home-feedback" in html and "quá hạn" in html


def test_item_page_at_every_step_and_inbox_filters(client, tree, submit):
    item = submit()
    login(client, tree.manager_a)
    url = reverse("feedback:item", args=[item.pk])
    html = client.get(url).content.decode()
    assert 'id="classify"' in html and 'id="transfer"' in html and 'id="approve"' not in html
    services.item_classify(item=item, user=tree.manager_a, in_scope=True, field="Xây dựng")
    assert 'id="draft"' in client.get(url).content.decode()
    services.answer_draft(item=item, user=tree.officer_a, text="Trả lời")
    html = client.get(url).content.decode()
    assert 'id="approve"' in html and "Trả lại dự thảo" in html
    services.answer_approve(item=item, user=tree.manager_a, public_title="Hỏi về xây dựng",
                            public_question="Câu hỏi công khai", public_text="Trả lời công khai")
    services.answer_send(item=item, user=tree.manager_a)
    html = client.get(url).content.decode()
    assert 'id="publish"' in html and "Trả lời công khai" in html
    for query in ("", "?status=open", "?status=sent", "?overdue=on", "?channel=web", "?field=Xây dựng",
                  f"?q={item.code}", "?status=bogus", "?page=99"):
        assert client.get(reverse("feedback:inbox") + query).status_code == 200
    assert item.code in client.get(reverse("feedback:inbox") + "?field=Xây dựng").content.decode()
    assert item.code not in client.get(reverse("feedback:inbox") + "?status=open").content.decode()
    assert client.get(reverse("feedback:item", args=[999999])).status_code == 404
    assert client.get("/phan-anh/abc/").status_code == 404


def test_anonymous_goes_to_login(client, submit):
    item = submit()
    r = client.get(reverse("feedback:item", args=[item.pk]))
    assert r.status_code == 302 and "next=" in r["Location"]
