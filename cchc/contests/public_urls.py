from django.urls import path

from . import public

app_name = "contests_public"

urlpatterns = [
    # public, under each site (on a site's own host name: at its root)
    path("cong/<slug:slug>/hoi-thi/", public.contest_list, name="list"),
    path("cong/<slug:slug>/hoi-thi/<int:pk>/", public.round_page, name="round"),
    path("cong/<slug:slug>/hoi-thi/<int:pk>/ket-qua/", public.results, name="results"),
    path("cong/<slug:slug>/hoi-thi/bai/<str:key>/", public.attempt_page, name="attempt"),
    path("cong/<slug:slug>/hoi-thi/bai/<str:key>/ket-qua/", public.attempt_result, name="attempt_result"),
]
