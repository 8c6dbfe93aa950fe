from django.urls import path

from . import public

app_name = "surveys_public"

urlpatterns = [
    # public, under each site (on a site's own host name: at its root)
    path("cong/<slug:slug>/khao-sat/", public.index, name="index"),
    path("cong/<slug:slug>/khao-sat/ma/", public.by_code, name="code_form"),
    path("cong/<slug:slug>/khao-sat/ma/<str:code>/", public.by_code, name="code"),
    path("cong/<slug:slug>/khao-sat/<int:pk>/", public.answer, name="answer"),
    path("cong/<slug:slug>/khao-sat/<int:pk>/cam-on/", public.thanks, name="thanks"),
    path("cong/<slug:slug>/khao-sat/<int:pk>/ket-qua/", public.results, name="results"),
    path("cong/<slug:slug>/khao-sat/<int:pk>/kiosk/<str:token>/", public.kiosk, name="kiosk"),
    path("cong/<slug:slug>/khao-sat/<int:pk>/kiosk/<str:token>/cam-on/", public.kiosk_thanks, name="kiosk_thanks"),
]
