"""What news adds to the platform through the registry: menus, the public home block, sitemap
entries, the output it counts (portal_article) and the page views reports show."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SITEMAP_LIMIT = 2000


def _menu_url(site):
    return site.path("tin-tuc/")


def _latest_block(request, site):
    from .selectors import published_for_site

    articles = list(published_for_site(site).defer("body", "search_text")[:6])
    return {"articles": articles} if articles else None


def _sitemap(site):
    from .selectors import published_for_site

    yield site.path("tin-tuc/"), None
    for article in published_for_site(site).select_related(None).only("pk", "slug", "updated_at", "published_at")[:SITEMAP_LIMIT]:
        yield site.path(article.public_rest()), article.updated_at


def _stats(*, unit_paths, start, end):
    from .selectors import views_between

    return [{"key": "news.views", "label": _("Page views of news articles"),
             "value": views_between(list(unit_paths), start, end)}]


def register():
    from cchc.core import registry

    from .views import unit_choices_for_menu

    registry.menu.register(registry.MenuItem(key="news", label=_("News articles"), url_name="news:staff_list",
                                             order=45, visible=unit_choices_for_menu))
    registry.public_menu.register(registry.PublicMenuItem(key="news", label=_("News"), url=_menu_url, order=10))
    registry.public_blocks.register(registry.PublicBlock(key="news.latest", template="news/_latest_block.html",
                                                         context=_latest_block, order=10))
    registry.sitemaps.register(registry.Sitemap(key="news", items=_sitemap, order=10))
    registry.output_sources.register(registry.OutputSource(key="news.article", label=_("News articles"),
                                                           output_type="portal_article", order=10))
    registry.stats_providers.register(registry.StatsProvider(key="news.views", label=_("Page views of news articles"),
                                                             stats=_stats, order=10))


def _cover_allowed(name: str, user) -> bool:
    """An article's cover (any rendition) is public once the article is published; before, only those
    who may open the article see it."""
    from django.db.models import Q

    from .models import Article
    from .permissions import can_view

    article = Article.objects.filter(Q(cover=name) | Q(cover_480=name) | Q(cover_960=name)).first()
    if article is None:
        return False
    return article.status == Article.Status.PUBLISHED or (
        getattr(user, "is_authenticated", False) and can_view(user, article))


def register_media():
    from cchc.core import registry

    registry.public_media.register(registry.PublicMedia(key="news.covers", prefix="news/covers/", allowed=_cover_allowed))
