from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.my_reports, name="mine"),
    path("ke-hoach/<int:plan_id>/ky/", views.plan_periods, name="plan_periods"),
    path("ky/<int:period_id>/sua/", views.period_edit, name="period_edit"),
    path("ky/<int:period_id>/don-vi/<str:unit_code>/", views.report_open, name="open"),
    path("ky/<int:period_id>/tong-hop/", views.dashboard, name="dashboard"),
    path("ky/<int:period_id>/tong-hop.<str:fmt>", views.download, name="download"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/tep/", views.report_attach, name="attach"),
    path("<int:pk>/tep/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("<int:pk>/duyet/", views.report_review, name="review"),
    path("<int:pk>/gui/", views.report_confirm, name="confirm"),
    path("<int:pk>/thu-hoi/", views.report_recall, name="recall"),
    path("<int:pk>/tra-lai-can-bo/", views.report_send_back, name="send_back"),
]
