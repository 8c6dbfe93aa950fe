from django.contrib import admin

from cchc.core.admin import AuditedAdmin

from .models import Membership, Unit


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ["code", "name", "kind", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "search_text"]
    raw_id_fields = ["parent", "successor"]

    def save_model(self, request, obj, form, change):
        obj.refresh_derived()
        super().save_model(request, obj, form, change)


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "unit", "role", "is_active"]
    list_filter = ["role", "is_active"]
    raw_id_fields = ["user", "unit"]
