from django.urls import path

from cchc.portal.sites import cached_public_page

from . import feeds, views

app_name = "news"

_rss = views._due_first(cached_public_page(feeds.SiteNewsFeed()))
_atom = views._due_first(cached_public_page(feeds.SiteNewsAtom()))

urlpatterns = [
    # public, under each site (on a site's own host name: at its root)
    path("cong/<slug:slug>/tin-tuc/", views.public_list, name="public_list"),
    path("cong/<slug:slug>/tin-tuc/rss.xml", _rss, name="rss"),
    path("cong/<slug:slug>/tin-tuc/atom.xml", _atom, name="atom"),
    path("cong/<slug:slug>/tin-tuc/chuyen-muc/<slug:category>/", views.public_category, name="public_category"),
    path("cong/<slug:slug>/tin-tuc/chuyen-muc/<slug:category>/rss.xml", _rss, name="category_rss"),
    path("cong/<slug:slug>/tin-tuc/chuyen-muc/<slug:category>/atom.xml", _atom, name="category_atom"),
    path("cong/<slug:slug>/tin-tuc/chu-de/<slug:theme>/", views.public_theme, name="public_theme"),
    path("cong/<slug:slug>/tin-tuc/don-vi/<str:code>/", views.public_unit, name="public_unit"),
    path("cong/<slug:slug>/tin-tuc/<int:pk>-<slug:article_slug>/", views.public_article, name="public_article"),
    path("cong/<slug:slug>/tin-tuc/<int:pk>/tai-lieu/<int:file_id>/", views.public_attachment, name="public_attachment"),
    # staff
    path("tin-bai/", views.staff_list, name="staff_list"),
    path("tin-bai/moi/", views.staff_create, name="staff_create"),
    path("tin-bai/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("tin-bai/<int:pk>/sua/", views.staff_edit, name="staff_edit"),
    path("tin-bai/<int:pk>/buoc/<slug:step>/", views.staff_step, name="staff_step"),
    path("tin-bai/de-xuat/<int:pk>/<slug:decision>/", views.staff_decide, name="staff_decide"),
]
