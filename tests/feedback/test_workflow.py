"""The workflow: received → classified → transferred → drafted → approved → sent → published, each
step audited, due dates in working days, overdue visible, the public text free of personal data."""

import datetime as dt

import pytest

from cchc.core.models import AuditEvent
from cchc.feedback import selectors, services
from cchc.feedback.models import Channel, Item, Status, Transfer

pytestmark = pytest.mark.django_db
D = dt.date


def _entered(tree, received_on=D(2026, 2, 13), **extra):
    values = dict(user=tree.officer_a, unit=tree.commune_a, channel=Channel.POST, received_on=received_on,
                  name="Trần Văn Hùng", phone="0987 111 222", email="hung@example.vn", address="Thôn Nà Lầu",
                  subject="Phí chứng thực", content="Xã thu phí chứng thực cao hơn quy định.", consent_to_publish=True)
    values.update(extra)
    return services.item_enter(**values)


def test_whole_workflow(tree, mailoutbox, django_capture_on_commit_callbacks):
    item = _entered(tree)
    # Friday 13/2/2026, before Tết: 2 working days to classify -> 24/2; 10 to answer -> 10/3; 2 more -> 12/3
    assert (item.classify_due, item.answer_due, item.reply_due) == (D(2026, 2, 24), D(2026, 3, 10), D(2026, 3, 12))
    item = services.item_classify(item=item, user=tree.officer_a, in_scope=True, field="Chứng thực")
    assert item.status == Status.CLASSIFIED
    transfer = services.item_transfer(item=item, user=tree.officer_a, to_unit=tree.dept, reason="Thuộc thẩm quyền Sở")
    item.refresh_from_db()
    assert item.status == Status.TRANSFERRED and item.handling_unit == tree.dept
    assert item.handling_since is not None and item.answer_due > item.handling_since
    assert AuditEvent.objects.filter(object_type="feedback.transfer", object_id=str(transfer.pk)).exists()
    services.answer_draft(item=item, user=tree.dept_officer, text="Kính gửi ông Trần Văn Hùng, mức phí là ...")
    item.refresh_from_db()
    assert item.status == Status.DRAFTED
    # the public text may not hold the sender's name, phone or e-mail
    with pytest.raises(services.FeedbackError) as caught:
        services.answer_approve(item=item, user=tree.supervisor, public_title="Phí chứng thực",
                                public_question="Ông Trần Văn Hùng hỏi về phí", public_text="Mức phí là ...")
    assert "name" in caught.value.message or "tên" in caught.value.message
    with pytest.raises(services.FeedbackError):
        services.answer_approve(item=item, user=tree.supervisor, public_title="Phí chứng thực",
                                public_question="Gọi 0987.111.222", public_text="Mức phí là ...")
    services.answer_approve(item=item, user=tree.supervisor, public_title="Phí chứng thực",
                            public_question="Công dân hỏi về mức phí chứng thực tại xã.",
                            public_text="Mức phí chứng thực là 2.000 đồng/trang.")
    with django_capture_on_commit_callbacks(execute=True):
        item = services.answer_send(item=item, user=tree.supervisor)
    assert item.status == Status.SENT and item.sent_on is not None
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["hung@example.vn"] and item.code in mailoutbox[0].subject
    item = services.item_publish(item=item, user=tree.supervisor)
    assert item.status == Status.PUBLISHED
    published = list(services.published_items([tree.province.path]))
    assert published == [item]
    assert published[0].answer.public_text == "Mức phí chứng thực là 2.000 đồng/trang."
    # the audit log never holds the personal data of the sender
    for event in AuditEvent.objects.filter(object_type="feedback.item"):
        assert "0987" not in str(event.after) and "hung@example.vn" not in str(event.after)


def test_no_publication_without_consent(tree):
    item = _entered(tree, consent_to_publish=False)
    services.item_classify(item=item, user=tree.officer_a, in_scope=True)
    services.answer_draft(item=item, user=tree.officer_a, text="Trả lời")
    services.answer_approve(item=item, user=tree.manager_a)
    services.answer_send(item=item, user=tree.manager_a)
    with pytest.raises(services.FeedbackError):
        services.item_publish(item=item, user=tree.manager_a)
    assert not services.published_items([tree.province.path]).exists()


def test_out_of_scope_needs_a_reason_and_closes(tree):
    item = _entered(tree)
    with pytest.raises(services.FeedbackError):
        services.item_classify(item=item, user=tree.officer_a, in_scope=False)
    item = services.item_classify(item=item, user=tree.officer_a, in_scope=False, reason="Là đơn khiếu nại")
    assert item.status == Status.OUT_OF_SCOPE and item.closed_at is not None and not item.is_open
    with pytest.raises(services.FeedbackError):
        services.answer_draft(item=item, user=tree.officer_a, text="x")


def test_transfer_needs_a_reason_and_another_unit(tree):
    item = _entered(tree)
    with pytest.raises(services.FeedbackError):
        services.item_transfer(item=item, user=tree.officer_a, to_unit=tree.dept, reason=" ")
    with pytest.raises(services.FeedbackError):
        services.item_transfer(item=item, user=tree.officer_a, to_unit=tree.commune_a, reason="x")
    assert not Transfer.objects.exists()


def test_returned_draft_goes_back(tree):
    item = _entered(tree)
    services.item_classify(item=item, user=tree.officer_a, in_scope=True)
    services.answer_draft(item=item, user=tree.officer_a, text="Bản nháp")
    item = services.answer_return(item=item, user=tree.manager_a, note="Bổ sung căn cứ")
    assert item.status == Status.CLASSIFIED
    services.answer_draft(item=item, user=tree.officer_a, text="Bản mới")
    item.refresh_from_db()
    assert item.answer.text == "Bản mới" and item.status == Status.DRAFTED


def test_overdue_follows_the_step_due_date(tree):
    item = _entered(tree)  # classify by 24/2/2026
    assert not item.is_overdue(today=D(2026, 2, 24))
    assert item.is_overdue(today=D(2026, 2, 25))
    paths = [tree.province.path]
    assert selectors.inbox(paths, overdue=True, today=D(2026, 2, 25)).get() == item
    assert not selectors.inbox(paths, overdue=True, today=D(2026, 2, 24)).exists()
    services.item_classify(item=item, user=tree.officer_a, in_scope=True)
    item.refresh_from_db()
    assert item.current_due == item.answer_due == D(2026, 3, 10)
    assert not item.is_overdue(today=D(2026, 3, 10)) and item.is_overdue(today=D(2026, 3, 11))
    assert selectors.inbox_counts(paths, today=D(2026, 3, 11)) == {"open": 1, "overdue": 1}


def test_concurrent_codes_are_unique(submit):
    codes = [submit().code for _ in range(50)]
    assert len(set(codes)) == 50 == Item.objects.count()
