from django.urls import path

from . import views, views_issue

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("tao/", views.plan_create, name="create"),
    path("nhap/", views.import_upload, name="import"),
    path("nhap/<int:draft_id>/", views.import_review, name="import_review"),
    path("nhiem-vu/", views.task_list, name="tasks"),
    path("nhiem-vu/<int:task_id>/", views.task_detail, name="task"),
    path("nhiem-vu/<int:task_id>/sua/", views.task_edit, name="task_edit"),
    path("nhiem-vu/<int:task_id>/minh-chung/", views.task_evidence_add, name="task_evidence"),
    path("minh-chung/<int:evidence_id>/", views.evidence_download, name="evidence"),
    path("don-vi/<str:code>/quy-nay/", views.unit_quarter, name="unit_quarter"),
    path("<int:plan_id>/", views.plan_detail, name="detail"),
    path("<int:plan_id>/sua/", views.plan_edit, name="edit"),
    path("<int:plan_id>/ban-hanh/", views_issue.plan_issue, name="issue"),
    path("<int:plan_id>/quy-trinh-bao-cao/", views_issue.plan_report_workflow, name="report_workflow"),
    path("<int:plan_id>/ket-thuc/", views.plan_close, name="close"),
    path("<int:plan_id>/phien-ban-moi/", views.plan_new_version, name="new_version"),
    path("<int:plan_id>/phien-ban/<int:version>/", views.plan_version, name="version"),
    path("<int:plan_id>/xoa/", views.plan_delete, name="delete"),
    path("<int:plan_id>/tien-do/", views.plan_timeline, name="timeline"),
    path("<int:plan_id>/ke-hoach-con/", views_issue.plan_derive, name="derive"),
    path("<int:plan_id>/nhiem-vu/", views.task_list, name="plan_tasks"),
    path("<int:plan_id>/nhiem-vu/them/", views.task_add, name="task_add"),
    path("<int:plan_id>/muc/them/", views.section_add, name="section_add"),
    path("<int:plan_id>/tai-ve/<str:fmt>/", views.plan_export, name="export"),
    path("<int:plan_id>/van-ban-goc/", views.plan_source, name="source"),
]
