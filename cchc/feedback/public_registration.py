"""What feedback adds to the public sites through the registry (menu entry, home block, sitemap), and
what keeps the published answers in step: the pages of the sites that show an item are forgotten when
it is published, changed while published, or withdrawn."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SITEMAP_LIMIT = 5000
HOME_ANSWERS = 3


def _menu_url(site):
    return site.path("phan-anh-kien-nghi/")


def _home_block(request, site):
    from .public import search_published

    return {"rows": search_published(site)[:HOME_ANSWERS]}


def _sitemap(site):
    from .public import published

    yield site.path("phan-anh-kien-nghi/"), None
    yield site.path("phan-anh-kien-nghi/gui/"), None
    yield site.path("phan-anh-kien-nghi/duong-day-nong/"), None
    for pk, published_at in published(site).values_list("pk", "published_at")[:SITEMAP_LIMIT]:
        yield site.path(f"phan-anh-kien-nghi/{pk}/"), published_at


# ---------------------------------------------------------------- keeping the public pages in step

class _ForgetPages:
    """After the commit, forget the cached pages of the sites of these units and of the units above
    them (a province's site lists what its departments and communes publish)."""

    def __init__(self, unit_ids):
        self.unit_ids = frozenset(unit_ids)

    def __call__(self):
        from cchc.org.models import Unit
        from cchc.portal.sites import invalidate_unit

        for unit in Unit.objects.filter(pk__in=self.unit_ids).only("pk", "path"):
            invalidate_unit(unit)


def _item_loaded(sender, instance, **kwargs):
    instance._public_was_published = instance.__dict__.get("published_at") is not None


def _item_saved(sender, instance, raw=False, **kwargs):
    from django.db import transaction

    if raw:
        return
    if instance.published_at is not None or getattr(instance, "_public_was_published", False):
        transaction.on_commit(_ForgetPages({instance.handling_unit_id, instance.receiving_unit_id}))
    instance._public_was_published = instance.published_at is not None


def _answer_saved(sender, instance, raw=False, **kwargs):
    from django.db import transaction

    from .models import Item

    if raw:
        return
    row = Item.objects.filter(pk=instance.item_id, published_at__isnull=False).values(
        "handling_unit_id", "receiving_unit_id").first()
    if row:
        transaction.on_commit(_ForgetPages(row.values()))


def connect_signals():
    from django.db.models.signals import post_delete, post_init, post_save

    from .models import Answer, Item

    post_init.connect(_item_loaded, sender=Item, dispatch_uid="feedback.public.item_loaded")
    post_save.connect(_item_saved, sender=Item, dispatch_uid="feedback.public.item_saved")
    post_delete.connect(_item_saved, sender=Item, dispatch_uid="feedback.public.item_deleted")
    post_save.connect(_answer_saved, sender=Answer, dispatch_uid="feedback.public.answer_saved")


def register():
    from cchc.core import registry

    registry.public_menu.register(registry.PublicMenuItem(
        key="feedback", label=_("Feedback and petitions"), url=_menu_url, order=30))
    registry.public_blocks.register(registry.PublicBlock(
        key="feedback", template="feedback/public/_home_block.html", context=_home_block, order=30))
    registry.sitemaps.register(registry.Sitemap(key="feedback", items=_sitemap, order=30))
    connect_signals()
