from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    """News of the CCHC section (tin bài cải cách hành chính): articles written by a unit's officers,
    published by its manager, shown on the unit's public site and, once accepted, on the sites above
    it. Publishing records the output `portal_article` for the author unit through the registry."""

    name = "cchc.news"
    label = "news"
    verbose_name = _("News")

    def ready(self):
        from . import registration

        registration.register()
        registration.register_media()
