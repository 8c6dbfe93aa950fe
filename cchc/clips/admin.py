from django.contrib import admin

from .models import Contest


@admin.register(Contest)
class ContestAdmin(admin.ModelAdmin):
    """Read-only: contests change through their pages, which audit every change."""

    list_display = ("title", "unit", "entries_open_at", "voting_close_at", "results_published_at")
    search_fields = ("title",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
