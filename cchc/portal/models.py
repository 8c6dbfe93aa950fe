"""A unit's public CCHC site and the contacts it publishes (hotline, leaders' public phone numbers
and e-mails, as the plans ask units to publish them)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.core.models import TimeStampedModel
from cchc.org.models import Unit

_PHONE = RegexValidator(r"^[0-9 +().\-]{6,20}$", _("Write a phone number with digits, spaces, +, ( ) or - only."))
_SLUG = RegexValidator(r"^[a-z0-9]+(?:-[a-z0-9]+)*$", _("Use lower-case letters without accents, digits and hyphens."))


class PublicSite(TimeStampedModel):
    """The public CCHC site of a unit: reached at /cong/<slug>/ on any host, or at the root of its own
    host name (setting CCHC_PUBLIC_HOSTS maps host → slug)."""

    unit = models.OneToOneField(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="public_site")
    slug = models.SlugField(_("address"), max_length=60, unique=True, validators=[_SLUG],
                            help_text=_("The site is at /cong/<address>/ when it has no host name of its own."))
    title = models.CharField(_("title"), max_length=200)
    tagline = models.CharField(_("tagline"), max_length=300, blank=True, default="")
    emblem = models.ImageField(_("emblem"), upload_to="portal/emblems/", blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True, default="")
    hotline = models.CharField(_("CCHC hotline"), max_length=20, blank=True, default="", validators=[_PHONE])
    email = models.EmailField(_("e-mail"), blank=True, default="")
    intro = models.TextField(_("introduction"), blank=True, default="", max_length=5000)
    is_public = models.BooleanField(_("open to the public"), default=True)

    class Meta:
        verbose_name = _("public site")
        verbose_name_plural = _("public sites")
        ordering = ["unit__path"]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance.tracker_slug = instance.__dict__.get("slug")  # the address it had, to forget its cache
        return instance

    tracker_slug = None

    @property
    def audit_unit_id(self) -> int | None:
        return self.unit_id

    def path(self, rest: str = "") -> str:
        """The site-relative address of a page, as links on the site use it."""
        return f"/cong/{self.slug}/{rest.lstrip('/')}"

    @property
    def host(self) -> str | None:
        from .sites import host_for

        return host_for(self)

    def absolute_url(self, rest: str = "", *, request=None) -> str:
        """The canonical address: on the site's own host when it has one, else on the platform's."""
        host = self.host
        if host:
            return f"{settings.CCHC_PUBLIC_SCHEME}://{host}/{rest.lstrip('/')}"
        if request is not None:
            return request.build_absolute_uri(self.path(rest))
        return self.path(rest)


class PublicContact(models.Model):
    """A person or office whose public phone number and e-mail the site publishes."""

    site = models.ForeignKey(PublicSite, verbose_name=_("site"), on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=200, blank=True, default="")
    phone = models.CharField(_("phone"), max_length=20, blank=True, default="", validators=[_PHONE])
    email = models.EmailField(_("e-mail"), blank=True, default="")
    is_leader = models.BooleanField(_("leader"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("public contact")
        verbose_name_plural = _("public contacts")
        ordering = ["site", "order", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.position})" if self.position else self.name

    @property
    def audit_unit_id(self) -> int | None:
        return self.site.unit_id
