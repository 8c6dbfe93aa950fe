from django.contrib import admin

from cchc.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import OutputCompatibility, OutputRecord, OutputType


@admin.register(OutputType)
class OutputTypeAdmin(AuditedAdmin):
    list_display = ("code", "name", "measure", "counts_people", "has_language", "order", "is_active")
    list_editable = ("order", "is_active")
    search_fields = ("code", "name")


@admin.register(OutputRecord)
class OutputRecordAdmin(ReadOnlyAdmin):
    """Read-only: records are written through the services (audited), by hand or by modules."""

    list_display = ("date", "unit", "output_type", "quantity", "people_reached", "source", "withdrawn_at")
    list_filter = ("output_type", "source", "language")
    search_fields = ("title", "unit__name", "source_ref")
    raw_id_fields = ("unit", "task", "target", "created_by")
    date_hierarchy = "date"


@admin.register(OutputCompatibility)
class OutputCompatibilityAdmin(AuditedAdmin):
    """The compatibility table: which output types count toward a target's counted thing."""

    list_display = ("words", "output_type")
    list_filter = ("output_type",)
    search_fields = ("words", "output_type__code", "output_type__name")
