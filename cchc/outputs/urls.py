from django.urls import path

from . import views

app_name = "outputs"
urlpatterns = [
    path("", views.home, name="home"),
    path("don-vi/<str:code>/", views.unit_outputs, name="unit"),
    path("don-vi/<str:code>/them/", views.record_create, name="create"),
    path("don-vi/<str:code>/mau-nhap.xlsx", views.template_download, name="template"),
    path("don-vi/<str:code>/nhap/", views.import_upload, name="import"),
    path("<int:pk>/", views.record_detail, name="detail"),
    path("<int:pk>/sua/", views.record_edit, name="edit"),
    path("<int:pk>/xoa/", views.record_delete, name="delete"),
    path("<int:pk>/minh-chung/", views.evidence_download, name="evidence"),
]
