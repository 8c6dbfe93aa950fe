"""Reminders of feedback deadlines (nhắc hạn xử lý phản ánh, kiến nghị), following the reports'
rules: a fixed set of steps around the due date of the step an item waits in, to the officers and
managers of the unit it is with, by e-mail; each (item, step of the workflow, reminder step) once.

Steps are in working days from the due date: 1 working day before it, and 1 and 5 working days after
it. `ReminderLog` carries a unique constraint, so running the job twice on one day (cron and a manual
run, two workers) sends nothing the second time. E-mails go out in batches over one SMTP connection
each, like the reports' reminders.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import get_connection, send_mass_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from cchc.core import audit, workdays
from cchc.org.models import Membership

from .models import Item, ReminderLog, Status

logger = logging.getLogger(__name__)
BATCH_SIZE = 200
#: working days relative to the due date (negative: before it)
REMINDER_STEPS = (-1, 1, 5)
REMINDED_ROLES = (Membership.Role.MANAGER, Membership.Role.OFFICER)
_STAGE = {Status.RECEIVED: "classify", Status.CLASSIFIED: "answer", Status.TRANSFERRED: "answer",
          Status.DRAFTED: "reply", Status.APPROVED: "reply"}


def _message(item: Item, stage: str, step: int, due: dt.date) -> str:
    what = {"classify": _("to be classified or transferred"), "answer": _("to be answered"),
            "reply": _("to have its answer approved and sent")}[stage]
    values = {"code": item.code, "subject": item.subject[:120], "what": what, "due": due.strftime("%d/%m/%Y"),
              "days": abs(step), "unit": item.handling_unit.name}
    if step < 0:
        return _("Feedback %(code)s “%(subject)s” of %(unit)s is due %(what)s on %(due)s.") % values
    return _("Feedback %(code)s “%(subject)s” of %(unit)s was due %(what)s on %(due)s and is %(days)d working "
             "days late.") % values


def _claim(item: Item, stage: str, step: int, recipients: int) -> bool:
    try:
        with transaction.atomic():
            ReminderLog.objects.create(item=item, stage=stage, step=step, recipients=recipients)
        return True
    except IntegrityError:
        return False


def due_reminders(*, today: dt.date, calendar: workdays.Calendar | None = None) -> list[tuple[Item, str, int, dt.date]]:
    """(item, stage, step, due date) of the open items that reach a reminder step today."""
    calendar = calendar or workdays.Calendar()
    low = today - dt.timedelta(days=max(REMINDER_STEPS) * 2 + 14)
    high = today + dt.timedelta(days=-min(REMINDER_STEPS) * 2 + 14)
    candidates = (Item.objects.open().select_related("handling_unit")
                  .filter(classify_due__lte=high, reply_due__gte=low).order_by("pk"))
    found = []
    for item in candidates:
        due, stage = item.current_due, _STAGE.get(item.status)
        if due is None or stage is None or not low <= due <= high:
            continue
        step = calendar.working_days_between(due, today)
        if step == 0 or step not in REMINDER_STEPS:
            continue
        if step < 0 and not calendar.is_working_day(today):
            continue  # a reminder before the due date goes out on a working day
        found.append((item, stage, step, due))
    return found


def send_reminders(*, today: dt.date | None = None, batch_size: int = BATCH_SIZE) -> dict:
    """Send the reminders due on `today`. Returns counts: items reminded, e-mails."""
    today = today or workdays.today()
    result = {"items": 0, "emails": 0}
    emails: list[tuple[str, str, str, list[str]]] = []
    with translation.override(settings.LANGUAGE_CODE):
        due = due_reminders(today=today)
        unit_ids = {item.handling_unit_id for item, *_rest in due}
        people = defaultdict(set)
        for unit_id, email in Membership.objects.filter(
                unit_id__in=unit_ids, role__in=REMINDED_ROLES, is_active=True, user__is_active=True,
        ).values_list("unit_id", "user__email"):
            if email:
                people[unit_id].add(email)
        for item, stage, step, day in due:
            to = sorted(people[item.handling_unit_id])
            with transaction.atomic():
                if not _claim(item, stage, step, len(to)):
                    continue
                audit.record(action="other", obj=item, after={"stage": stage, "step": step, "recipients": len(to)},
                             message=f"reminder {stage} {step:+d} working days")
            result["items"] += 1
            text = _message(item, stage, step, day)
            url = reverse("feedback:item", args=[item.pk])
            subject = _("Feedback reminder: %(code)s") % {"code": item.code}
            for address in to:
                emails.append((subject, f"{text}\n\n{_('Open the feedback')}: {url}", settings.DEFAULT_FROM_EMAIL,
                               [address]))
    for start in range(0, len(emails), batch_size):
        batch = emails[start:start + batch_size]
        try:
            result["emails"] += send_mass_mail(batch, connection=get_connection(fail_silently=False))
        except Exception:  # a mail server down must not stop the job; the log rows say who was due
            logger.exception("sending %d feedback reminder e-mails failed", len(batch))
    return result
