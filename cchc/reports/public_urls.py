from django.urls import path

from . import public

app_name = "reports_public"
urlpatterns = [
    path("cong/<slug:slug>/ke-hoach/", public.plan_list, name="plans"),
    path("cong/<slug:slug>/ke-hoach/<int:plan_id>/", public.plan_detail, name="plan"),
]
