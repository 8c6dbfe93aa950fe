from django.contrib import admin

from .models import PublicContact, PublicSite


class ContactInline(admin.TabularInline):
    model = PublicContact
    extra = 0


@admin.register(PublicSite)
class PublicSiteAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "slug", "is_public"]
    search_fields = ["title", "slug", "unit__name"]
    raw_id_fields = ["unit"]
    inlines = [ContactInline]
