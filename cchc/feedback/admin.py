from django.contrib import admin

from cchc.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import Item, ItemType


@admin.register(ItemType)
class ItemTypeAdmin(AuditedAdmin):
    """The working days of each step are data: a province that sets other time limits changes them here."""

    list_display = ["name", "classify_days", "answer_days", "approve_days", "is_default", "order"]
    list_editable = ["classify_days", "answer_days", "approve_days"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(Item)
class ItemAdmin(ReadOnlyAdmin):
    """Items change only through the staff pages (audited); the sender's personal data is not shown here."""

    list_display = ["code", "subject", "channel", "status", "received_on", "handling_unit", "reply_due"]
    list_filter = ["status", "channel"]
    search_fields = ["code"]
    fields = ["code", "channel", "received_on", "receiving_unit", "handling_unit", "item_type", "status", "in_scope",
              "field", "classify_due", "answer_due", "reply_due", "sent_on", "published_at"]
    readonly_fields = fields
