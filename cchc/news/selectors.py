"""Reads of the news: what a public site shows, lists for staff, view figures."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, Sum
from django.utils import timezone

from .models import Acceptance, Article, ArticleViewDay


def published_for_site(site, *, now=None):
    """The articles visible on a public site: published (and due) articles of the site's own unit,
    and those of units below it that the site accepted. Newest first."""
    accepted = Acceptance.objects.filter(article=OuterRef("pk"), site=site, status=Acceptance.Status.ACCEPTED)
    return (Article.objects.published(now=now)
            .filter(Q(unit_id=site.unit_id) | Exists(accepted))
            .select_related("unit", "category")
            .order_by("-published_at", "-id"))


def views_between(unit_paths, start, end) -> int:
    """Page views of the articles of these units (paths of the unit tree) in [start, end]."""
    q = Q()
    for path in unit_paths:
        q |= Q(article__unit__path__startswith=path)
    if not unit_paths:
        return 0
    return ArticleViewDay.objects.filter(q, day__gte=start, day__lte=end).aggregate(n=Sum("count"))["n"] or 0


def due_scheduled(now=None):
    return Article.objects.filter(status=Article.Status.SCHEDULED, publish_at__lte=now or timezone.now())
