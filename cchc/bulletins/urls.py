from django.urls import path

from . import views

app_name = "bulletins"
urlpatterns = [
    # public, no account needed (at the root of a site's own host name too)
    path("cong/<slug:slug>/ban-tin/", views.archive, name="archive"),
    path("cong/<slug:slug>/ban-tin/dang-ky/", views.subscribe, name="subscribe"),
    path("cong/<slug:slug>/ban-tin/dang-ky/da-gui/", views.subscribe_sent, name="subscribe_sent"),
    path("cong/<slug:slug>/ban-tin/xac-nhan/<str:token>/", views.confirm, name="confirm"),
    path("cong/<slug:slug>/ban-tin/huy-dang-ky/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("cong/<slug:slug>/ban-tin/<int:year>/<int:number>/", views.issue_page, name="issue"),
    path("cong/<slug:slug>/ban-tin/<int:year>/<int:number>/ban-tin.<str:fmt>", views.issue_file, name="file"),
    # staff
    path("ban-tin/", views.staff_list, name="list"),
    path("ban-tin/trang/<int:site_id>/so-moi/", views.issue_create, name="create"),
    path("ban-tin/trang/<int:site_id>/nguoi-dang-ky/", views.subscribers, name="subscribers"),
    path("ban-tin/<int:issue_id>/", views.issue_edit, name="edit"),
    path("ban-tin/<int:issue_id>/xem/", views.issue_preview, name="preview"),
    path("ban-tin/<int:issue_id>/xem/ban-tin.<str:fmt>", views.issue_preview_file, name="preview_file"),
    path("ban-tin/<int:issue_id>/xuat-ban/", views.issue_publish, name="publish"),
    path("ban-tin/<int:issue_id>/gui/", views.issue_send, name="send"),
    path("ban-tin/<int:issue_id>/gui/<int:sending_id>/", views.sending_page, name="sending"),
]
