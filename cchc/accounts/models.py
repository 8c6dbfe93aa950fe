from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in. System administrators are superusers; every other right comes from
    memberships in units (`org.Membership`)."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    position = models.CharField(_("position"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.get_full_name() or self.username
