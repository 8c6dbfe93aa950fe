from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One change of data: who, when, what, before and after (nhật ký thay đổi)."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        LOGIN = "login", _("logged in")
        LOGOUT = "logout", _("logged out")
        LOGIN_FAILED = "login_failed", _("failed login")
        VIEW_PERSONAL = "view_personal", _("viewed personal data")
        OTHER = "other", _("other")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("by (name)"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=100, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    unit_id = models.BigIntegerField(_("unit"), null=True, blank=True, db_index=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    message = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor_name} {self.get_action_display()} {self.object_repr}"

    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field whose value differs."""
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class ActionToken(models.Model):
    """The key of one form as it was posted (khóa chống gửi lặp): the first request with a key acts,
    a repeat of it (a double click, a retry, a second tab) is answered with the first one's result.
    The unique constraint makes concurrent requests with one key wait for each other."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    response_url = models.CharField(max_length=2000, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_messages = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "token"], name="actiontoken_unique_user_token")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.token}"


class CalendarDay(models.Model):
    """A day the year's government decision changes (ngày nghỉ, ngày làm bù): a working day taken off
    (the extra Tết days, a day swapped to bridge a holiday) or a Saturday worked to make up for it.
    The public holidays of the Labour Code come from the `holidays` package; these rows are what an
    administrator adds each year after the Prime Minister's decision (cchc/core/workdays.py)."""

    class Kind(models.TextChoices):
        OFF = "off", _("day off")
        WORKING = "working", _("working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True,
                            help_text=_("The decision that sets it, e.g. Thông báo 6150/TB-BNV"))

    class Meta:
        verbose_name = _("day off or working day")
        verbose_name_plural = _("days off and working days")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}"
