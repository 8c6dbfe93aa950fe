"""Counted, not typed: the figures per unit and period; reminders once per step."""

import datetime as dt

import pytest
from django.core.management import call_command

from cchc.core import registry
from cchc.feedback import reminders, selectors, services
from cchc.feedback.models import Channel, Item, ReminderLog

pytestmark = pytest.mark.django_db
D = dt.date


def _item(tree, unit=None, received_on=D(2026, 3, 2), channel=Channel.PHONE, **extra):
    return services.item_enter(user=tree.officer_a, unit=unit or tree.commune_a, channel=channel,
                               received_on=received_on, name="Ông Dân", email="dan@example.vn", subject="Hỏi",
                               content="Nội dung", **extra)


def _answer(tree, item, *, sent_on, user=None):
    user = user or tree.manager_a
    services.item_classify(item=item, user=user, in_scope=True, field="Hộ tịch")
    services.answer_draft(item=item, user=user, text="Trả lời")
    services.answer_approve(item=item, user=user)
    services.answer_send(item=item, user=user)
    Item.objects.filter(pk=item.pk).update(sent_on=sent_on)


def test_figures_per_unit_and_period(tree):
    on_time = _item(tree)  # received Monday 2/3/2026; reply due 18/3
    _answer(tree, on_time, sent_on=D(2026, 3, 9))  # 5 working days
    late = _item(tree, received_on=D(2026, 3, 3), channel=Channel.POST)
    _answer(tree, late, sent_on=D(2026, 3, 31))  # reply due 19/3: late, 20 working days
    out = _item(tree, received_on=D(2026, 3, 4))
    services.item_classify(item=out, user=tree.officer_a, in_scope=False, reason="Khiếu nại")
    _item(tree, received_on=D(2026, 3, 5), channel=Channel.WEB if False else Channel.HOTLINE)  # waiting
    _item(tree, unit=tree.commune_b, received_on=D(2026, 3, 5))  # another commune
    f = selectors.figures(unit_paths=[tree.commune_a.path], start=D(2026, 3, 1), end=D(2026, 3, 31),
                          today=D(2026, 4, 1))
    assert f["received"] == 4 and f["in_scope"] == 2 and f["answered"] == 2 and f["on_time"] == 1
    assert f["overdue_now"] == 1  # the hotline item, classify due 9/3
    assert f["median_days"] == 12.5
    assert f["by_channel"] == {"điện thoại": 2, "bưu chính": 1, "đường dây nóng": 1} or sum(f["by_channel"].values()) == 4
    assert f["by_field"] == {"Hộ tịch": 2}
    province = selectors.figures(unit_paths=[tree.province.path], start=D(2026, 3, 1), end=D(2026, 3, 31),
                                 today=D(2026, 4, 1))
    assert province["received"] == 5


def test_registered_for_reports(tree):
    _item(tree)
    provider = registry.stats_providers.get("feedback.items")
    rows = provider.stats(unit_paths=[tree.commune_a.path], start=D(2026, 3, 1), end=D(2026, 3, 31))
    values = {r["key"]: r["value"] for r in rows}
    assert values["feedback.items.received"] == 1
    assert provider.stats(unit_paths=[tree.other_province.path], start=D(2026, 3, 1), end=D(2026, 3, 31)) == []


def test_reminders_once_per_step(tree, mailoutbox):
    item = _item(tree, received_on=D(2026, 3, 2))  # classify due Wednesday 4/3/2026
    assert reminders.send_reminders(today=D(2026, 3, 3))["items"] == 1  # 1 working day before
    sent = len(mailoutbox)
    assert sent == 2  # the officer and the manager of commune A
    assert item.code in mailoutbox[0].subject
    assert reminders.send_reminders(today=D(2026, 3, 3))["items"] == 0  # run again: nothing
    assert len(mailoutbox) == sent
    assert reminders.send_reminders(today=D(2026, 3, 4))["items"] == 0  # due day: no step
    assert reminders.send_reminders(today=D(2026, 3, 5))["items"] == 1  # 1 working day late
    call_command("feedback_reminders", "--date", "05/03/2026")
    assert ReminderLog.objects.filter(item=item).count() == 2
    assert reminders.send_reminders(today=D(2026, 3, 11))["items"] == 1  # 5 working days late
    services.item_classify(item=item, user=tree.officer_a, in_scope=False, reason="x")
    assert reminders.send_reminders(today=D(2026, 3, 12))["items"] == 0


def test_reminder_before_the_due_date_skips_the_weekend(tree):
    # received Wednesday 4/3/2026: classify due Friday 6/3; Thursday is 1 working day before
    _item(tree, received_on=D(2026, 3, 4))
    assert reminders.send_reminders(today=D(2026, 3, 5))["items"] == 1
