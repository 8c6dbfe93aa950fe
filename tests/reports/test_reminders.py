"""Reminders: the right steps, once per (unit, period, step), by e-mail and in the platform."""

import datetime as dt

from django.core import mail
from django.core.management import call_command

from cchc.reports import selectors, services
from cchc.reports.models import Notification, ReminderLog
from cchc.reports.reminders import send_reminders


def test_seven_days_before_reminds_units_that_have_not_submitted_once(world, q1):
    t = world.tree
    report = services.report_open(unit=t.commune_b, period=q1, user=t.officer_b)
    services.report_submit(report=report, user=t.officer_b, token="b")
    today = q1.due - dt.timedelta(days=7)
    first = send_reminders(today=today)
    assert first["units"] == 2  # commune A and the department; commune B has submitted
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([t.manager_a.email, t.officer_a.email, t.dept_officer.email])
    assert "Quý I/2026" in mail.outbox[0].subject
    assert Notification.objects.filter(user=t.officer_a).count() == 1
    second = send_reminders(today=today)
    assert second["units"] == 0 and len(mail.outbox) == 3
    assert ReminderLog.objects.filter(period=q1, step=-7).count() == 2


def test_no_reminder_on_other_days_and_after_the_due_date_the_late_step(world, q1):
    assert send_reminders(today=q1.due - dt.timedelta(days=5))["units"] == 0
    assert send_reminders(today=q1.due + dt.timedelta(days=1))["units"] == 3
    assert set(ReminderLog.objects.values_list("step", flat=True)) == {1}


def test_command_with_a_date_and_a_bad_date(world, q1, capsys):
    import pytest
    from django.core.management.base import CommandError

    call_command("send_reminders", "--date", (q1.due - dt.timedelta(days=2)).strftime("%d/%m/%Y"))
    assert "3 units reminded" in capsys.readouterr().out
    call_command("send_reminders", "--date", (q1.due - dt.timedelta(days=2)).strftime("%d/%m/%Y"))
    assert "0 units reminded" in capsys.readouterr().out
    with pytest.raises(CommandError, match="dd/mm/yyyy"):
        call_command("send_reminders", "--date", "2026-13-01")


def test_notifications_show_on_the_home_page(world, q1, client):
    t = world.tree
    send_reminders(today=q1.due - dt.timedelta(days=7))
    assert [n.period_id for n in selectors.notifications_for(t.officer_a)] == [q1.pk]
    client.force_login(t.officer_a)
    page = client.get("/").content.decode()
    assert "Quý I/2026" in page and f"/bao-cao/ky/{q1.pk}/don-vi/{t.commune_a.code}/" in page
    client.force_login(t.viewer)  # viewers write no report and are not reminded
    assert "Quý I/2026" not in client.get("/").content.decode()
