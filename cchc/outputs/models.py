"""Communication outputs (sản phẩm tuyên truyền): the catalogue of types and what units did.

An `OutputRecord` is one thing a unit did or produced (an article, a class, a conference), counted
in the unit of measure of its type, against the task and target of a plan it serves. Records come
from people (by hand or from a spreadsheet) or from a platform module through the registry
(`source` = the module's key, `source_ref` = its own id): a module recording the same thing twice
updates the record instead of adding one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.core.fields import TolerantDecimalField  # noqa: F401 - named by migrations as outputs.models.
from cchc.core.models import TimeStampedModel
from cchc.org.models import Unit

from .catalogue import CATALOGUE_BY_CODE, DEFAULT_LANGUAGE, LANGUAGE_CHOICES, measure_is_whole, whole_quantity_problem



class OutputType(models.Model):
    """A kind of communication output (loại sản phẩm tuyên truyền) with its unit of measure (đơn vị tính)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200, help_text=_("The Vietnamese name, as documents write it."))
    measure = models.CharField(_("unit of measure"), max_length=40)
    counts_people = models.BooleanField(_("counts people reached"), default=False)
    has_language = models.BooleanField(_("language applies"), default=False)
    target_words = models.JSONField(
        _("target words"), default=list, blank=True,
        help_text=_("Folded words of a plan target's counted thing that mean this type (lớp, tin bai, so ...)."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("output type")
        verbose_name_plural = _("output types")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self):
        """The translated label of a catalogue type; a type added by an administrator shows its name."""
        spec = CATALOGUE_BY_CODE.get(self.code)
        return spec.label if spec else self.name

    @property
    def whole_quantity(self) -> bool:
        """Counted in whole things (lớp, bài, số): a quantity of 1,5 is refused."""
        return measure_is_whole(self.measure)


class OutputCompatibility(models.Model):
    """One row of the compatibility table (bảng tương thích): outputs of `output_type` count toward a
    target whose counted thing is or begins with `words` ("bài" ← TV report). Seeded from
    `catalogue.COMPATIBILITY_DEFAULTS` and the types' own target words; an administrator edits it."""

    words = models.CharField(
        _("target words"), max_length=100,
        help_text=_("The counted thing of a target, without accents, in lower case: bai, tin bai, chuyen muc."),
    )
    output_type = models.ForeignKey(OutputType, verbose_name=_("output type"), on_delete=models.CASCADE,
                                    related_name="compatibilities")

    class Meta:
        verbose_name = _("output compatibility")
        verbose_name_plural = _("output compatibilities")
        ordering = ["words", "output_type__order"]
        constraints = [models.UniqueConstraint(fields=["words", "output_type"], name="outputcompatibility_unique")]

    def __str__(self) -> str:
        return f"{self.words} ← {self.output_type.code}"

    def clean(self):
        from .catalogue import words

        self.words = words(self.words)

    @classmethod
    def table(cls) -> dict[str, set[str]]:
        """{words: output type codes} of the whole table (one query)."""
        out: dict[str, set[str]] = {}
        for phrase, code in cls.objects.values_list("words", "output_type__code"):
            out.setdefault(phrase, set()).add(code)
        return out


class OutputRecordQuerySet(models.QuerySet):
    def counted(self) -> "OutputRecordQuerySet":
        """Records that count: a withdrawn one (an article unpublished) no longer does."""
        return self.filter(withdrawn_at__isnull=True)


class OutputRecord(TimeStampedModel):
    """One communication output of a unit (sản phẩm/hoạt động tuyên truyền đã thực hiện)."""

    SOURCE_MANUAL = "manual"
    SOURCE_SPREADSHEET = "spreadsheet"

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="output_records")
    task = models.ForeignKey(
        "plans.Task", verbose_name=_("task"), null=True, blank=True, on_delete=models.SET_NULL, related_name="output_records"
    )
    target = models.ForeignKey(
        "plans.Target", verbose_name=_("target"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="output_records",
    )
    output_type = models.ForeignKey(OutputType, verbose_name=_("output type"), on_delete=models.PROTECT, related_name="records")
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=500, blank=True, default="")
    channel = models.CharField(_("channel"), max_length=200, blank=True, default="",
                               help_text=_("Where it was published or held, e.g. Cổng TTĐT tỉnh, Đài PT-TH tỉnh."))
    language = models.CharField(_("language"), max_length=12, choices=LANGUAGE_CHOICES, default=DEFAULT_LANGUAGE)
    quantity = TolerantDecimalField(_("quantity"), max_digits=12, decimal_places=2, default=1)
    people_reached = models.PositiveIntegerField(_("people reached"), null=True, blank=True)
    cost = TolerantDecimalField(_("cost (VND)"), max_digits=15, decimal_places=0, null=True, blank=True)
    link = models.URLField(_("link"), max_length=1000, blank=True, default="")
    evidence = models.FileField(_("evidence file"), upload_to="outputs/evidence/%Y/%m/", blank=True)
    evidence_name = models.CharField(_("evidence file name"), max_length=255, blank=True, default="")
    source = models.CharField(_("source"), max_length=60, default=SOURCE_MANUAL, db_index=True)
    source_ref = models.CharField(_("reference in the source"), max_length=200, blank=True, default="")
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    search_text = models.TextField(_("search text"), blank=True, default="", editable=False)

    objects = OutputRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("output record")
        verbose_name_plural = _("output records")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="outputrecord_quantity_positive"),
            models.CheckConstraint(
                condition=Q(people_reached__isnull=True) | Q(people_reached__gte=0), name="outputrecord_people_not_negative"
            ),
            models.CheckConstraint(condition=Q(cost__isnull=True) | Q(cost__gte=0), name="outputrecord_cost_not_negative"),
            models.UniqueConstraint(
                fields=["source", "source_ref"], condition=~Q(source_ref=""), name="outputrecord_unique_source_ref"
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "date"], name="outputrecord_unit_date"),
            models.Index(fields=["target", "date"], name="outputrecord_target_date"),
            models.Index(fields=["output_type", "date"], name="outputrecord_type_date"),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.output_type} {self.date:%d/%m/%Y}"

    @property
    def audit_unit_id(self) -> int | None:
        return self.unit_id

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.quantity is not None and self.quantity <= 0:
            errors["quantity"] = _("The quantity must be more than zero.")
        if self.people_reached is not None and self.people_reached < 0:
            errors["people_reached"] = _("The number of people reached cannot be negative.")
        if self.cost is not None and self.cost < 0:
            errors["cost"] = _("The cost cannot be negative.")
        if self.target_id and self.task_id and self.target.task_id != self.task_id:
            errors["target"] = _("This target belongs to another task: choose the target of the chosen task.")
        if errors:
            raise ValidationError(errors)

    @property
    def problems(self) -> list[str]:
        """What is out of bounds in this record (`cchc.core.bounds`), as a corrupted row read from an
        older version or a raw edit holds it: shown on its page, and its row marked in lists."""
        from cchc.core import bounds

        checks = (("quantity", bounds.OUTPUT_QUANTITY), ("people_reached", bounds.PEOPLE), ("cost", bounds.COST))
        out = [message for name, bound in checks if (message := bound.problem(getattr(self, name))) is not None]
        if not out and (message := whole_quantity_problem(self.output_type.measure, self.quantity)) is not None:
            out.append(message)
        if self.quantity is None:
            out.append(str(_("The quantity is missing or is not a number.")))
        return out

    @property
    def is_from_module(self) -> bool:
        """Recorded by a platform module: the module keeps it up to date, people do not edit it."""
        return self.source not in (self.SOURCE_MANUAL, self.SOURCE_SPREADSHEET)
