from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The public side: each province, and any unit that wants one, has a public CCHC site (chuyên
    trang cải cách hành chính). Channels (news, bulletins, procedures, feedback …) add their pages to
    a site's menu, home page and sitemap through `cchc.core.registry`."""

    name = "cchc.portal"
    label = "portal"
    verbose_name = _("Public sites")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from cchc.core import registry

        from . import permissions
        from .models import PublicContact, PublicSite
        from .sites import forget_site

        def _site_changed(sender, instance, **kwargs):
            forget_site(instance if isinstance(instance, PublicSite) else instance.site)
            if isinstance(instance, PublicSite):
                if instance.tracker_slug and instance.tracker_slug != instance.slug:
                    forget_site(PublicSite(pk=instance.pk, slug=instance.tracker_slug))  # its old address
                instance.tracker_slug = instance.slug

        for model in (PublicSite, PublicContact):
            post_save.connect(_site_changed, sender=model, weak=False, dispatch_uid=f"portal.forget.{model.__name__}")
            post_delete.connect(_site_changed, sender=model, weak=False, dispatch_uid=f"portal.forget.del.{model.__name__}")

        registry.menu.register(registry.MenuItem(
            key="portal", label=_("Public site"), url_name="portal:manage", order=50,
            visible=permissions.may_manage_some_site,
        ))

        def _contacts_url(site):
            return site.path("lien-he/")

        registry.public_menu.register(registry.PublicMenuItem(
            key="portal.contacts", label=_("Contacts and hotline"), url=_contacts_url, order=90))

        def _contacts_block(request, site):
            contacts = list(site.contacts.all())
            if not (contacts or site.hotline or site.address or site.email):
                return None
            return {"contacts": contacts}

        registry.public_blocks.register(registry.PublicBlock(
            key="portal.contacts", template="portal/_contacts_block.html", context=_contacts_block, order=90))

        def _pages(site):
            yield site.path(""), site.updated_at
            yield site.path("lien-he/"), site.updated_at

        registry.sitemaps.register(registry.Sitemap(key="portal", items=_pages, order=0))

        def _emblem_allowed(name, user):
            return PublicSite.objects.filter(emblem=name).exists()  # an emblem is public from the start

        registry.public_media.register(registry.PublicMedia(key="portal.emblems", prefix="portal/emblems/",
                                                            allowed=_emblem_allowed))
