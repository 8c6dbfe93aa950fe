"""RSS and Atom feeds of a site's news, and of one category (django.contrib.syndication)."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from cchc.portal.views import site_for

from . import selectors
from .models import Category
from .sanitize import plain_text

LIMIT = 30


class SiteNewsFeed(Feed):
    def get_object(self, request, slug, category=None):
        self.request = request
        site = site_for(request, slug)
        found = get_object_or_404(Category, slug=category, is_active=True) if category else None
        return site, found

    def title(self, obj):
        site, category = obj
        return f"{site.title} · {category.name}" if category else f"{site.title} · {_('News')}"

    def link(self, obj):
        site, category = obj
        rest = f"tin-tuc/chuyen-muc/{category.slug}/" if category else "tin-tuc/"
        return site.absolute_url(rest, request=self.request)

    def description(self, obj):
        return obj[0].tagline or obj[0].title

    def items(self, obj):
        site, category = obj
        articles = selectors.published_for_site(site)
        if category is not None:
            articles = articles.filter(category=category)
        self._site = site
        return list(articles[:LIMIT])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead or plain_text(item.body)[:400]

    def item_link(self, item):
        return self._site.absolute_url(item.public_rest(), request=self.request)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.unit.name

    def item_categories(self, item):
        return [item.category.name]


class SiteNewsAtom(SiteNewsFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)
