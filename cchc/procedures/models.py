"""The procedure catalogue: procedures (thủ tục hành chính) of a unit's catalogue, the publication
decisions that change it (Quyết định công bố danh mục TTHC), the history of every entry, and the
monthly online-service figures (hồ sơ trực tuyến, bưu chính công ích).

A catalogue belongs to the unit that applies the decisions (usually the province); the public site of
a unit shows its own catalogue and those of the units above it. A procedure is never deleted: an
abolished one leaves the public list and its page says when and by which decision.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.core.models import TimeStampedModel


class Level(models.TextChoices):
    CENTRAL = "central", _("central level")
    PROVINCE = "province", _("province level")
    COMMUNE = "commune", _("commune level")


class OnlineLevel(models.TextChoices):
    FULL = "full", _("fully online")
    PARTIAL = "partial", _("partly online")
    NONE = "none", _("not online")


class Change(models.TextChoices):
    """What a decision (or an officer) did to a procedure; the values of the parser's `status`."""

    NEW = "new", _("newly issued")
    AMENDED = "amended", _("amended")
    REPLACED = "replaced", _("replaced")
    ABOLISHED = "abolished", _("abolished")
    UNCHANGED = "unchanged", _("listed again without change")
    EDITED = "edited", _("edited by an officer")


def decision_upload_to(instance, filename: str) -> str:
    return f"procedures/decisions/{instance.unit_id or 0}/{filename}"


class Decision(TimeStampedModel):
    """A publication decision read from its file, reviewed, then applied to a unit's catalogue."""

    class Status(models.TextChoices):
        REVIEW = "review", _("being reviewed")
        APPLIED = "applied", _("applied")
        DISCARDED = "discarded", _("discarded")

    unit = models.ForeignKey("org.Unit", verbose_name=_("catalogue of"), on_delete=models.PROTECT,
                             related_name="procedure_decisions")
    number = models.CharField(_("number"), max_length=60, blank=True)
    date = models.DateField(_("date signed"), null=True, blank=True)
    issuer = models.CharField(_("issued by"), max_length=300, blank=True)
    title = models.TextField(_("title"), blank=True)
    file = models.FileField(_("file"), upload_to=decision_upload_to, max_length=300, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    parsed = models.JSONField(_("what the reader found"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.REVIEW,
                              db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("imported by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True, db_index=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("applied by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    #: what applying did: {"new": n, "amended": n, "replaced": n, "abolished": n, "unchanged": n, "skipped": n}
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    #: the reviewer's choices for rows of `parsed`: {"<row index>": {"action": "match"|"create"|"skip",
    #: "procedure": id}}; a row without one keeps what the matching found
    resolutions = models.JSONField(_("reviewer's choices"), default=dict, blank=True)

    class Meta:
        verbose_name = _("publication decision")
        verbose_name_plural = _("publication decisions")
        ordering = ["-date", "-pk"]
        constraints = [
            # one applied decision per number in a catalogue: the same decision is not applied twice
            models.UniqueConstraint(fields=["unit", "number"], condition=Q(status="applied") & ~Q(number=""),
                                    name="procedures_decision_applied_once"),
        ]

    def __str__(self) -> str:
        return self.number or self.title[:80] or str(self.pk)

    @property
    def audit_unit_id(self) -> int | None:
        return self.unit_id


class Procedure(TimeStampedModel):
    """One administrative procedure of a unit's catalogue."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("in force")
        ABOLISHED = "abolished", _("abolished")

    unit = models.ForeignKey("org.Unit", verbose_name=_("catalogue of"), on_delete=models.PROTECT,
                             related_name="procedures")
    code = models.CharField(_("national code"), max_length=60, blank=True, db_index=True,
                            help_text=_("The code of the national database of procedures, e.g. 1.013401"))
    name = models.CharField(_("name"), max_length=1000)
    field = models.CharField(_("field"), max_length=300, blank=True, db_index=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, blank=True, db_index=True)
    agency = models.CharField(_("handling agency"), max_length=500, blank=True)
    time_limit = models.TextField(_("time limit"), blank=True)
    time_limit_days = models.PositiveIntegerField(_("time limit (days)"), null=True, blank=True)
    working_days = models.BooleanField(_("working days"), null=True, blank=True)
    fee = models.TextField(_("fees and charges"), blank=True)
    fee_free = models.BooleanField(_("free of charge"), null=True, blank=True)
    place = models.TextField(_("where to submit"), blank=True)
    documents_required = models.TextField(_("documents required"), blank=True)
    legal_basis = models.JSONField(_("legal basis"), default=list, blank=True)
    online_level = models.CharField(_("online public service"), max_length=16, choices=OnlineLevel.choices,
                                    blank=True, db_index=True)
    postal = models.BooleanField(_("by public postal service"), default=False,
                                 help_text=_("Files can be sent and results received by the public postal service"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE,
                              db_index=True)
    introduced_by = models.ForeignKey(Decision, verbose_name=_("published by"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="introduced")
    last_decision = models.ForeignKey(Decision, verbose_name=_("last changed by"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    changed_on = models.DateField(_("last changed on"), null=True, blank=True, db_index=True)
    abolished_by = models.ForeignKey(Decision, verbose_name=_("abolished by"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="abolished")
    abolished_on = models.DateField(_("abolished on"), null=True, blank=True)
    #: folded (accent-free, lower-case) name, code, field and agency: what search matches
    search_text = models.TextField(blank=True, default="", editable=False)
    #: folded name alone: the public search weighs it above the rest (cchc/procedures/search.py)
    search_name = models.TextField(blank=True, default="", editable=False)
    #: the name's Vietnamese alphabetical order as plain characters, for the public list's default order
    sort_key = models.CharField(max_length=500, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("administrative procedure")
        verbose_name_plural = _("administrative procedures")
        ordering = ["field", "name", "pk"]
        indexes = [models.Index(fields=["unit", "status", "field"], name="procedures_unit_status_field"),
                   models.Index(fields=["unit", "status", "sort_key"], name="procedures_unit_status_sort")]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_unit_id(self) -> int | None:
        return self.unit_id

    @property
    def national_code(self) -> str:
        """The d.dddddd part of the code, which the national public service portal knows."""
        import re

        match = re.match(r"\d\.\d{6}", self.code or "")
        return match.group(0) if match else ""


class ProcedureChange(models.Model):
    """One step of a procedure's history: what a decision or an officer changed, and what it was before."""

    procedure = models.ForeignKey(Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE,
                                  related_name="changes")
    decision = models.ForeignKey(Decision, verbose_name=_("decision"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(_("change"), max_length=16, choices=Change.choices)
    date = models.DateField(_("date"))
    before = models.JSONField(_("before"), default=dict, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("procedure change")
        verbose_name_plural = _("procedure changes")
        ordering = ["-date", "-pk"]


class OnlineServiceFigure(TimeStampedModel):
    """A unit's dossiers of one month: received, received online, handled fully online, by post."""

    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="online_service_figures")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    dossiers = models.PositiveIntegerField(_("dossiers received"), default=0)
    online = models.PositiveIntegerField(_("received online"), default=0)
    fully_online = models.PositiveIntegerField(_("handled fully online"), default=0)
    postal = models.PositiveIntegerField(_("received or returned by post"), default=0)
    note = models.CharField(_("note"), max_length=500, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("online-service figures")
        verbose_name_plural = _("online-service figures")
        ordering = ["unit", "-year", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "month"], name="procedures_figures_one_per_month"),
            models.CheckConstraint(condition=Q(month__gte=1) & Q(month__lte=12), name="procedures_figures_month"),
            models.CheckConstraint(condition=Q(online__lte=models.F("dossiers")), name="procedures_figures_online_le_all"),
            models.CheckConstraint(condition=Q(fully_online__lte=models.F("online")),
                                   name="procedures_figures_full_le_online"),
        ]

    @property
    def audit_unit_id(self) -> int | None:
        return self.unit_id
