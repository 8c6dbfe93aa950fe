from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    # public, no account needed; on a site's own host name these are at its root
    path("cong/", views.directory, name="directory"),
    path("cong/<slug:slug>/", views.home, name="home"),
    path("cong/<slug:slug>/lien-he/", views.contacts, name="contacts"),
    path("cong/<slug:slug>/sitemap.xml", views.sitemap, name="sitemap"),
    path("robots.txt", views.robots, name="robots"),
    # staff: a unit sets up its public site
    path("trang-cong-khai/", views.manage, name="manage"),
    path("trang-cong-khai/<str:code>/", views.site_edit, name="edit"),
]
