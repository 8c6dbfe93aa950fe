from django.urls import path  # noqa: F401

app_name = "contests_public"

urlpatterns: list = []
