from django.urls import path

from . import public

app_name = "procedures_public"

urlpatterns = [
    # public, under each site (on a site's own host name: at its root)
    path("cong/<slug:slug>/thu-tuc/", public.procedure_list, name="list"),
    path("cong/<slug:slug>/thu-tuc/moi-cong-bo/", public.recent, name="recent"),
    path("cong/<slug:slug>/thu-tuc/<int:pk>/", public.procedure_detail, name="detail"),
]
