from django.urls import path  # noqa: F401

app_name = "procedures_public"

urlpatterns: list = []
