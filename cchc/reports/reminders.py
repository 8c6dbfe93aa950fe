"""Reminders (nhắc hạn báo cáo): 7 and 2 days before a due date, 1 and 7 days after it, to the units
that have not submitted and their officers and managers, by e-mail and in the platform.

Each (unit, period, step) is reminded once: `ReminderLog` carries a unique constraint, so running
the job twice on one day (cron and a manual run, two workers) sends nothing the second time. E-mails
go out in batches over one SMTP connection each (`BATCH_SIZE`), so a national run opens a few dozen
connections, not thousands.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import get_connection, send_mass_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cchc.core import audit
from cchc.core import periods as rules
from cchc.org.models import Membership

from .models import Notification, ReminderLog, ReportingPeriod
from .selectors import completeness_rows

logger = logging.getLogger(__name__)
BATCH_SIZE = 200
REMINDED_ROLES = (Membership.Role.MANAGER, Membership.Role.OFFICER)


def _message(step: int, period: ReportingPeriod, unit_name: str) -> str:
    values = {"period": period.label, "unit": unit_name, "due": period.due.strftime("%d/%m/%Y"), "days": abs(step)}
    if step < 0:
        return _("The %(period)s report of %(unit)s is due on %(due)s, in %(days)d days.") % values
    return _("The %(period)s report of %(unit)s was due on %(due)s and has not been submitted (%(days)d days late).") % values


def _claim(logs: list[ReminderLog]) -> set[int]:
    """Write the log rows; the unit ids whose row this run wrote. A parallel run that got there first
    keeps its rows (the unique constraint refuses ours) and those units are left to it."""
    try:
        with transaction.atomic():
            ReminderLog.objects.bulk_create(logs)
        return {log.unit_id for log in logs}
    except IntegrityError:
        mine = set()
        for log in logs:
            _row, created = ReminderLog.objects.get_or_create(
                unit_id=log.unit_id, period=log.period, step=log.step, defaults={"recipients": log.recipients})
            if created:
                mine.add(log.unit_id)
        return mine


def send_reminders(*, today: dt.date | None = None, batch_size: int = BATCH_SIZE) -> dict:
    """Send the reminders due on `today`. Returns counts: units reminded, e-mails, notifications."""
    today = today or timezone.localdate()
    steps = {today - dt.timedelta(days=step): step for step in rules.REMINDER_STEPS}
    periods = list(ReportingPeriod.objects.filter(due__in=list(steps)).select_related("plan", "plan__owner"))
    result = {"units": 0, "emails": 0, "notifications": 0, "periods": len(periods)}
    if not periods:
        return result
    emails: list[tuple[str, str, str, list[str]]] = []
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        for period in periods:
            step = steps[period.due]
            rows = [r for r in completeness_rows([period], today=today) if not r["submitted"]]
            if not rows:
                continue
            done = set(ReminderLog.objects.filter(period=period, step=step).values_list("unit_id", flat=True))
            rows = [r for r in rows if r["unit_id"] not in done]
            if not rows:
                continue
            unit_ids = [r["unit_id"] for r in rows]
            people = defaultdict(list)
            for unit_id, user_id, email in Membership.objects.filter(
                unit_id__in=unit_ids, role__in=REMINDED_ROLES, is_active=True, user__is_active=True,
            ).values_list("unit_id", "user_id", "user__email").distinct():
                people[unit_id].append((user_id, email))
            logs = [ReminderLog(unit_id=r["unit_id"], period=period, step=step, recipients=len(people[r["unit_id"]]))
                    for r in rows]
            mine = _claim(logs)
            notes = []
            for row in rows:
                if row["unit_id"] not in mine:
                    continue
                result["units"] += 1
                text = _message(step, period, row["name"])
                url = reverse("reports:open", args=[period.pk, row["code"]])
                for user_id, email in people[row["unit_id"]]:
                    notes.append(Notification(user_id=user_id, unit_id=row["unit_id"], period=period, message=text[:500], url=url))
                    if email:
                        subject = _("Report reminder: %(period)s") % {"period": period.label}
                        emails.append((subject, f"{text}\n\n{_('Open the report')}: {url}", settings.DEFAULT_FROM_EMAIL, [email]))
            Notification.objects.bulk_create(notes, batch_size=1000)
            result["notifications"] += len(notes)
            audit.record(action="other", obj=period, after={"step": step, "units": len(mine)},
                         message=f"reminders {step:+d} days: {len(mine)} units")
    for start in range(0, len(emails), batch_size):
        batch = emails[start:start + batch_size]
        connection = get_connection(fail_silently=False)
        try:
            result["emails"] += send_mass_mail(batch, connection=connection)
        except Exception:  # a mail server down must not undo the in-platform reminders already written
            logger.exception("sending %d reminder e-mails failed", len(batch))
    return result
