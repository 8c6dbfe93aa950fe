from django.urls import path

from . import public

app_name = "clips_public"

urlpatterns = [
    # public, under each site (on a site's own host name: at its root)
    path("cong/<slug:slug>/cuoc-thi-video/", public.contest_list, name="list"),
    path("cong/<slug:slug>/cuoc-thi-video/<int:pk>/", public.contest_detail, name="contest"),
    path("cong/<slug:slug>/cuoc-thi-video/<int:pk>/gui/", public.submit, name="submit"),
    path("cong/<slug:slug>/cuoc-thi-video/<int:pk>/da-gui/", public.submitted, name="submitted"),
    path("cong/<slug:slug>/cuoc-thi-video/tac-pham/<int:pk>/", public.entry_detail, name="entry"),
    path("cong/<slug:slug>/cuoc-thi-video/binh-chon/<str:token>/", public.confirm, name="confirm"),
]
