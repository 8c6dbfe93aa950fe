from django.contrib import admin

from cchc.core.admin import ReadOnlyAdmin

from .models import Plan, PlanVersion, Task


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    """Read-only: plans change through the platform's pages so that every change is audited."""

    list_display = ("number", "title", "owner", "status", "version", "plan_year")
    list_filter = ("status", "plan_year")
    search_fields = ("number", "title", "search_text")


@admin.register(Task)
class TaskAdmin(PlanAdmin):
    list_display = ("title", "plan", "status", "progress", "end")
    list_filter = ("status",)
    search_fields = ("search_text",)


@admin.register(PlanVersion)
class PlanVersionAdmin(PlanAdmin):
    list_display = ("plan", "version", "created_at", "created_by")
    list_filter = ()
    search_fields = ("plan__title",)
