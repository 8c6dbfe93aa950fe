"""Intake: a tracking code, stored once, found with the code and the contact given."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.core.models import AuditEvent
from cchc.feedback import services
from cchc.feedback.models import Channel, Item, Status

pytestmark = pytest.mark.django_db


def test_submit_gives_a_readable_unique_code_and_due_dates(submit, tree):
    item = submit()
    assert len(item.code) == services.CODE_LENGTH
    assert set(item.code) <= set(services.CODE_ALPHABET)
    assert item.channel == Channel.WEB and item.status == Status.RECEIVED
    assert item.receiving_unit == tree.commune_a == item.handling_unit
    assert item.classify_due > item.received_on or item.classify_due >= item.received_on
    assert item.received_on <= item.classify_due < item.answer_due < item.reply_due
    codes = {submit().code for _ in range(20)}
    assert len(codes) == 20
    event = AuditEvent.objects.filter(object_type="feedback.item", object_id=str(item.pk)).get()
    assert "0912" not in str(event.after) and "Nguyễn Thị Dân" not in str(event.after)


def test_the_same_form_token_stores_once(submit):
    first = submit(form_token="t" * 32)
    again = submit(form_token="t" * 32)
    assert first.pk == again.pk
    assert Item.objects.count() == 1


def test_missing_contact_and_content_are_refused(submit):
    with pytest.raises(services.FeedbackError) as caught:
        submit(phone="", email="")
    assert "phone" in caught.value.fields
    with pytest.raises(services.FeedbackError) as caught:
        submit(content="  ")
    assert "content" in caught.value.fields


def test_tracking_by_code_and_contact(submit):
    item = submit()
    assert services.item_for_tracking(item.code, "+84 912 345 678") == item
    assert services.item_for_tracking(item.code.lower(), "0912345678") == item
    assert services.item_for_tracking(f" {item.code[:5]}-{item.code[5:]} ", "dan.nguyen@example.vn") == item
    assert services.item_for_tracking(item.code, "0912345679") is None
    assert services.item_for_tracking(item.code, "") is None
    assert services.item_for_tracking("AAAAAAAAAA", "0912345678") is None
    assert services.item_for_tracking("", "") is None


def test_attachments_checked_before_reading(submit, settings):
    pdf = SimpleUploadedFile("don.pdf", b"%PDF-1.4\n" + b"x" * 100, content_type="application/pdf")
    item = submit(attachments=[pdf])
    assert item.attachments.get().original_name == "don.pdf"
    exe = SimpleUploadedFile("virus.exe", b"MZ" + b"x" * 100)
    with pytest.raises(services.FeedbackError):
        submit(attachments=[exe])
    fake = SimpleUploadedFile("anh.jpg", b"%PDF-1.4 not a jpeg")
    with pytest.raises(services.FeedbackError):
        submit(attachments=[fake])
    settings.CCHC_FEEDBACK_MAX_UPLOAD_BYTES = 1000
    big = SimpleUploadedFile("to.pdf", b"%PDF-1.4\n" + b"x" * 2000)
    with pytest.raises(services.FeedbackError) as caught:
        submit(attachments=[big])
    assert "MB" in caught.value.message
    assert Item.objects.count() == 1


def test_officer_entry_refuses_a_future_date(tree):
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    with pytest.raises(services.FeedbackError) as caught:
        services.item_enter(user=tree.officer_a, unit=tree.commune_a, channel=Channel.PHONE, received_on=tomorrow,
                            name="Ông Ba", phone="0987654321", subject="Đường hỏng", content="Đường thôn hỏng")
    assert "received_on" in caught.value.fields
    item = services.item_enter(user=tree.officer_a, unit=tree.commune_a, channel=Channel.PHONE,
                               received_on=dt.date(2026, 2, 13), name="", subject="Đường hỏng",
                               content="Đường thôn hỏng")
    # received on Friday before Tết 2026: classify in 2 working days -> Tuesday 24/2
    assert item.classify_due == dt.date(2026, 2, 24)
    assert item.channel == Channel.PHONE and item.created_by == tree.officer_a
