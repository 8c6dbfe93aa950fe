"""What the procedure catalogue adds to the public sites through the registry (menu, home block,
sitemap), and what keeps the public side in step with the catalogue: the search fields of a saved
procedure, the full-text index after migrations, and the public pages forgotten when a procedure, a
decision or a history row changes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SITEMAP_LIMIT = 5000
SOURCE_FIELDS = {"name", "code", "field", "agency"}


def _has_catalogue(site) -> bool:
    from django.core.cache import cache

    from cchc.portal.sites import generation

    from .public import catalogue

    key = f"procedures:has:{site.pk}:{generation(site.pk)}"
    found = cache.get(key)
    if found is None:
        found = catalogue(site).exists()
        cache.set(key, found, 3600)
    return found


def _menu_url(site):
    return site.path("thu-tuc/") if _has_catalogue(site) else None


def _recent_block(request, site):
    from .public import changes_by_decision, recent_decisions

    if not _has_catalogue(site):
        return None
    entries = changes_by_decision(recent_decisions(site, least=3)[:3], limit_per_decision=5)
    entries = [e for e in entries if e["count"]]
    return {"entries": entries} if entries else None


def _sitemap(site):
    from .public import active

    if not _has_catalogue(site):
        return
    yield site.path("thu-tuc/"), None
    yield site.path("thu-tuc/moi-cong-bo/"), None
    for pk, updated_at in active(site).order_by("sort_key", "pk").values_list("pk", "updated_at")[:SITEMAP_LIMIT]:
        yield site.path(f"thu-tuc/{pk}/"), updated_at


# ---------------------------------------------------------------- keeping the public side in step

class _ForgetPages:
    """After the transaction commits, forget the cached pages of the sites that show a unit's catalogue
    (the unit's own site and those of the units below it). One per unit and transaction, however many
    procedures a decision changes."""

    def __init__(self, unit_id: int):
        self.unit_id = unit_id

    def __call__(self):
        from cchc.org.models import Unit
        from cchc.portal.models import PublicSite
        from cchc.portal.sites import invalidate

        path = Unit.objects.filter(pk=self.unit_id).values_list("path", flat=True).first()
        if path:
            invalidate(*PublicSite.objects.filter(unit__path__startswith=path).values_list("pk", flat=True))


def forget_pages(unit_id: int | None) -> None:
    from django.db import connection, transaction

    if not unit_id:
        return
    # already queued by a save that only a rollback of this one's savepoints would undo: once is enough
    current = set(connection.savepoint_ids)
    for entry in getattr(connection, "run_on_commit", None) or []:
        if isinstance(entry[1], _ForgetPages) and entry[1].unit_id == unit_id and set(entry[0]) <= current:
            return
    transaction.on_commit(_ForgetPages(unit_id))


def _fill_search_fields(sender, instance, update_fields=None, raw=False, **kwargs):
    from .search import derived_fields

    if raw:
        return
    if update_fields is None or SOURCE_FIELDS & set(update_fields):
        for key, value in derived_fields(instance).items():
            setattr(instance, key, value)


def _procedure_saved(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    from .search import DERIVED

    if raw:
        return
    if update_fields is not None and SOURCE_FIELDS & set(update_fields) and not set(DERIVED) <= set(update_fields):
        # a save limited to some fields did not write the recomputed search fields
        sender.objects.filter(pk=instance.pk).update(**{k: getattr(instance, k) for k in DERIVED})
    forget_pages(instance.unit_id)


def _decision_saved(sender, instance, raw=False, **kwargs):
    from django.db.models import Q

    from .models import Decision, Procedure
    from .search import reindex

    if raw:
        return
    if instance.status == Decision.Status.APPLIED:
        # procedures the decision wrote in bulk have no search fields yet
        reindex(Procedure.objects.filter(Q(introduced_by=instance) | Q(last_decision=instance) | Q(abolished_by=instance)))
    forget_pages(instance.unit_id)


def _change_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from .models import Procedure

    forget_pages(Procedure.objects.filter(pk=instance.procedure_id).values_list("unit_id", flat=True).first())


def _after_migrate(sender, app_config=None, using="default", **kwargs):
    from django.db import transaction

    from .search import install

    if app_config is not None and app_config.label == "procedures":
        # plain statements on the connection: a schema editor cannot be opened inside a transaction on
        # SQLite (a restore migrates inside one)
        with transaction.atomic(using=using):
            install(using=using)


def connect_signals():
    from django.db.models.signals import post_delete, post_migrate, post_save, pre_save

    from .models import Decision, Procedure, ProcedureChange

    pre_save.connect(_fill_search_fields, sender=Procedure, dispatch_uid="procedures.search_fields")
    post_save.connect(_procedure_saved, sender=Procedure, dispatch_uid="procedures.public.procedure")
    post_delete.connect(lambda sender, instance, **kw: forget_pages(instance.unit_id), sender=Procedure,
                        weak=False, dispatch_uid="procedures.public.procedure_deleted")
    post_save.connect(_decision_saved, sender=Decision, dispatch_uid="procedures.public.decision")
    post_delete.connect(lambda sender, instance, **kw: forget_pages(instance.unit_id), sender=Decision,
                        weak=False, dispatch_uid="procedures.public.decision_deleted")
    post_save.connect(_change_saved, sender=ProcedureChange, dispatch_uid="procedures.public.change")
    post_migrate.connect(_after_migrate, dispatch_uid="procedures.search_index")


def register():
    from cchc.core import registry

    registry.public_menu.register(registry.PublicMenuItem(
        key="procedures", label=_("Administrative procedures"), url=_menu_url, order=20))
    registry.public_blocks.register(registry.PublicBlock(
        key="procedures.recent", template="procedures/public/_recent_block.html", context=_recent_block, order=20))
    registry.sitemaps.register(registry.Sitemap(key="procedures", items=_sitemap, order=20))
    connect_signals()
