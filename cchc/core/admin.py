from django.contrib import admin

from . import audit
from .models import AuditEvent, CalendarDay


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that change only through the platform's services (so that every change is audited)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_name", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "actor_name", "object_id"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]


class AuditedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose saves and deletes are written to the audit log with before and after."""

    def save_model(self, request, obj, form, change):
        before = None
        if change and obj.pk:
            old = type(obj).objects.filter(pk=obj.pk).first()
            before = audit.snapshot(old) if old is not None else None
        super().save_model(request, obj, form, change)
        audit.record(actor=request.user, action="update" if change else "create", obj=obj, before=before)

    def delete_model(self, request, obj):
        before = audit.snapshot(obj)
        pk, label, text = obj.pk, obj._meta.label_lower, str(obj)
        super().delete_model(request, obj)
        audit.record(
            actor=request.user, action="delete", before=before,
            object_type=label, object_id=str(pk), object_repr=text,
        )

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedAdmin):
    list_display = ["date", "kind", "note"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["note"]
