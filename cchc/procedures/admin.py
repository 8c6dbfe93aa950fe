from django.contrib import admin

from cchc.core.admin import ReadOnlyAdmin

from .models import Decision, OnlineServiceFigure, Procedure


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    """Read-only: the catalogue changes through its staff pages, so that every change is audited and kept
    in the entries' history."""

    list_display = ("number", "date", "unit", "status", "applied_at")
    list_filter = ("status",)
    search_fields = ("number", "title", "issuer")
    exclude = ("parsed",)


@admin.register(Procedure)
class ProcedureAdmin(ReadOnlyAdmin):
    list_display = ("name", "code", "field", "level", "unit", "status")
    list_filter = ("status", "level")
    search_fields = ("code", "search_text")


@admin.register(OnlineServiceFigure)
class OnlineServiceFigureAdmin(ReadOnlyAdmin):
    list_display = ("unit", "year", "month", "dossiers", "online", "fully_online", "postal")
    list_filter = ("year",)
