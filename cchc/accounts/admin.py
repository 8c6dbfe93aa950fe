from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from cchc.core.admin import AuditedAdmin

from .models import User


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + ((_("Work"), {"fields": ("full_name", "position", "phone")}),)
    list_display = ["username", "full_name", "email", "is_active", "is_superuser"]
