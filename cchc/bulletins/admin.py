from django.contrib import admin

from cchc.core.admin import ReadOnlyAdmin

from .models import Issue, Sending


class SendingInline(admin.TabularInline):
    model = Sending
    extra = 0
    can_delete = False
    fields = ["started_at", "started_by", "total", "sent", "failed", "finished_at"]
    readonly_fields = fields


@admin.register(Issue)
class IssueAdmin(ReadOnlyAdmin):
    """Issues are composed, published and sent on the bulletin's pages, which audit every step."""

    list_display = ["label", "site", "status", "issue_date"]
    list_filter = ["status", "year"]
    inlines = [SendingInline]
