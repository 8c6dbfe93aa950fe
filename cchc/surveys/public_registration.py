"""What surveys adds to the public sites through the registry: the menu entry and the sitemap."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def _menu_url(site):
    return site.path("khao-sat/")


def _sitemap(site):
    from .selectors import public_surveys

    yield site.path("khao-sat/"), None
    for survey in public_surveys(site).filter(results_published_at__isnull=False)[:500]:
        yield site.path(f"khao-sat/{survey.pk}/ket-qua/"), survey.results_published_at


def register():
    from cchc.core import registry

    registry.public_menu.register(registry.PublicMenuItem(key="surveys", label=_("Surveys"), url=_menu_url, order=40))
    registry.sitemaps.register(registry.Sitemap(key="surveys", items=_sitemap, order=40))
