from django.contrib import admin

from .models import Contest, Round


@admin.register(Contest)
class ContestAdmin(admin.ModelAdmin):
    list_display = ("title", "unit", "created_at", "personal_data_erased_at")
    search_fields = ("title",)
    readonly_fields = [f.name for f in Contest._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ("title", "contest", "opens_at", "closes_at", "results_published_at")
    readonly_fields = [f.name for f in Round._meta.fields]

    def has_add_permission(self, request):
        return False
