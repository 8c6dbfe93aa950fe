from axes.admin import AccessAttemptAdmin as BaseAccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from cchc.core.admin import AuditedAdmin

from . import services
from .models import User


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + ((_("Work"), {"fields": ("full_name", "position", "phone")}),)
    list_display = ["username", "full_name", "email", "is_active", "is_superuser"]
    actions = ["unlock"]

    @admin.action(description=_("Unlock after failed logins"))
    def unlock(self, request, queryset):
        for user in queryset:
            services.unlock(actor=request.user, username=user.get_username())
        self.message_user(request, _("The chosen accounts can log in again."), messages.SUCCESS)


# Deleting failed-login records unlocks accounts and addresses: done here, it is audited too.
admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(BaseAccessAttemptAdmin):
    def delete_model(self, request, obj):
        if obj.username:
            services.unlock(actor=request.user, username=obj.username)
        else:
            services.unlock(actor=request.user, ip_address=obj.ip_address)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            if AccessAttempt.objects.filter(pk=obj.pk).exists():
                self.delete_model(request, obj)
