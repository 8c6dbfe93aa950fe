from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("khao-sat/", views.survey_list, name="list"),
    path("khao-sat/co-mau/", views.sample_size, name="sample_size"),
    path("khao-sat/<int:pk>/", views.survey_detail, name="detail"),
    path("khao-sat/<int:pk>/thiet-lap/", views.survey_settings, name="settings"),
    path("khao-sat/<int:pk>/phan/", views.section_add, name="section_add"),
    path("khao-sat/<int:pk>/phan/<int:section_id>/xoa/", views.section_delete, name="section_delete"),
    path("khao-sat/<int:pk>/cau-hoi/", views.question_add, name="question_add"),
    path("khao-sat/<int:pk>/cau-hoi/<int:question_id>/xoa/", views.question_delete, name="question_delete"),
    path("khao-sat/<int:pk>/mo/", views.survey_action, {"action": "open"}, name="open"),
    path("khao-sat/<int:pk>/dong/", views.survey_action, {"action": "close"}, name="close"),
    path("khao-sat/<int:pk>/mo-lai/", views.survey_action, {"action": "reopen"}, name="reopen"),
    path("khao-sat/<int:pk>/kiosk-moi/", views.kiosk_renew, name="kiosk_renew"),
    path("khao-sat/<int:pk>/bien-nhan/", views.receipt_issue, name="receipt_issue"),
    path("khao-sat/<int:pk>/bien-nhan/<str:code>/", views.receipt_slip, name="receipt"),
    path("khao-sat/<int:pk>/ket-qua/", views.survey_results, name="results"),
    path("khao-sat/<int:pk>/ket-qua/cong-bo/", views.results_publish, {"publish": True}, name="publish"),
    path("khao-sat/<int:pk>/ket-qua/go/", views.results_publish, {"publish": False}, name="unpublish"),
    path("khao-sat/<int:pk>/ket-qua.xlsx", views.survey_export, name="export"),
]
