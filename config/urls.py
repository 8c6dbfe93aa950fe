from django.contrib import admin
from django.urls import include, path

from cchc.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("media/<path:path>", core_views.public_media, name="public_media"),
    path("tai-khoan/", include("cchc.accounts.urls")),
    path("don-vi/", include("cchc.org.urls")),
    path("ke-hoach/", include("cchc.plans.urls")),
    path("san-pham/", include("cchc.outputs.urls")),
    path("bao-cao/", include("cchc.reports.urls")),
    path("quan-tri/", admin.site.urls),
    path("", include("cchc.portal.urls")),
    path("", include("cchc.news.urls")),
    path("", include("cchc.bulletins.urls")),
    path("", include("cchc.reports.public_urls")),
    path("", include("cchc.procedures.urls")),
    path("", include("cchc.procedures.public_urls")),
    path("", include("cchc.feedback.urls")),
    path("", include("cchc.feedback.public_urls")),
    path("", include("cchc.surveys.urls")),
    path("", include("cchc.surveys.public_urls")),
    path("", include("cchc.contests.urls")),
    path("", include("cchc.contests.public_urls")),
    path("", include("cchc.clips.urls")),
    path("", include("cchc.clips.public_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

handler404 = "cchc.core.views.page_not_found"
handler500 = "cchc.core.views.server_error"
handler403 = "cchc.core.views.permission_denied"
