"""Who may do what with an article.

Officers of a unit (and anyone who may edit its work) write and submit its articles; the unit's
manager, or a manager or supervisor above it (the editor roles), publishes, schedules, withdraws and
offers them to the public sites above the unit. An editor of a site (its unit's manager or a
supervisor above it) accepts or declines what is offered to it. A user who may not see an article
gets the same 404 as for an article that does not exist.
"""

from __future__ import annotations

from django.http import Http404

from cchc.org import permissions as org_permissions
from cchc.org.permissions import pk_or_404

from .models import Acceptance, Article

Status = Article.Status

# the steps and the statuses they start from
STEPS = {
    "submit": {Status.DRAFT, Status.WITHDRAWN},
    "publish": {Status.DRAFT, Status.SUBMITTED, Status.SCHEDULED, Status.WITHDRAWN},
    "schedule": {Status.DRAFT, Status.SUBMITTED, Status.SCHEDULED, Status.WITHDRAWN},
    "unpublish": {Status.PUBLISHED, Status.SCHEDULED},
    "return": {Status.SUBMITTED},
}
EDITOR_STEPS = {"publish", "schedule", "unpublish", "return", "offer"}


def can_view(user, article: Article) -> bool:
    return org_permissions.can_view(user, article.unit) or _offered_to_editor(user, article)


def _offered_to_editor(user, article: Article) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return any(can_edit_site(user, a.site) for a in article.acceptances.select_related("site__unit"))


def can_write(user, article: Article | None = None, unit=None) -> bool:
    unit = unit if article is None else article.unit
    if not org_permissions.can_edit(user, unit) or not unit.is_active:
        return False
    if article is not None and article.status in (Status.PUBLISHED, Status.SCHEDULED):
        return org_permissions.can_approve(user, unit)  # a live article is changed by an editor
    return True


def can_publish(user, article: Article) -> bool:
    return org_permissions.can_approve(user, article.unit)


def can_step(user, article: Article, step: str) -> bool:
    if step == "edit":
        return can_write(user, article)
    if step == "offer":
        return article.status == Status.PUBLISHED and can_publish(user, article) and bool(offer_sites(article))
    if step not in STEPS or article.status not in STEPS[step]:
        return False
    if step in EDITOR_STEPS:
        return can_publish(user, article)
    return can_write(user, article)


def allowed_steps(user, article: Article) -> list[str]:
    return [s for s in ("edit", "submit", "return", "publish", "schedule", "unpublish", "offer")
            if can_step(user, article, s)]


def offer_sites(article: Article):
    """The open public sites of the units above the article's unit."""
    from cchc.portal.models import PublicSite

    codes = [c for c in article.unit.path.strip("/").split("/")[:-1] if c]
    return list(PublicSite.objects.filter(unit__code__in=codes, is_public=True).select_related("unit")
                .order_by("-unit__depth"))


def can_edit_site(user, site) -> bool:
    """An editor of a public site: its unit's manager, a manager or supervisor above it."""
    return org_permissions.can_approve(user, site.unit)


def access_article(user, pk, *, action: str | None = None) -> Article:
    """The article if the user may see it (and take `action` on it); Http404 otherwise, alike."""
    article = (Article.objects.select_related("unit", "category", "created_by", "published_by")
               .filter(pk=pk_or_404(pk)).first())
    if article is None or not getattr(user, "is_authenticated", False) or not can_view(user, article):
        raise Http404
    if action is not None and not can_step(user, article, action):
        raise Http404
    return article


def access_acceptance(user, pk) -> Acceptance:
    """An offer to a site the user edits; Http404 otherwise."""
    offer = (Acceptance.objects.select_related("article__unit", "site__unit").filter(pk=pk_or_404(pk)).first())
    if offer is None or not getattr(user, "is_authenticated", False) or not can_edit_site(user, offer.site):
        raise Http404
    return offer


def writable_units(user):
    """The current units whose articles the user may write: those of their memberships."""
    from cchc.org.models import Unit

    ids = [g.unit_id for g in org_permissions.grants(user)]
    if getattr(user, "is_superuser", False) and not ids:
        return list(Unit.objects.current().filter(parent__isnull=True).order_by("path")[:50])
    return [u for u in Unit.objects.current().filter(pk__in=ids).order_by("path") if can_write(user, unit=u)]


def edited_sites(user):
    """The public sites the user is an editor of (to accept offered articles)."""
    from cchc.portal.models import PublicSite

    ids = [g.unit_id for g in org_permissions.grants(user)]
    sites = PublicSite.objects.filter(unit_id__in=ids).select_related("unit")
    return [s for s in sites if can_edit_site(user, s)]
