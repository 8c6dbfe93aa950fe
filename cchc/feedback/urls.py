from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("phan-anh/", views.inbox, name="inbox"),
    path("phan-anh/nhap/", views.enter, name="enter"),
    path("phan-anh/<int:pk>/", views.item_detail, name="item"),
    path("phan-anh/<int:pk>/phan-loai/", views.classify, name="classify"),
    path("phan-anh/<int:pk>/chuyen/", views.transfer, name="transfer"),
    path("phan-anh/<int:pk>/tra-loi/", views.draft, name="draft"),
    path("phan-anh/<int:pk>/duyet/", views.approve, name="approve"),
    path("phan-anh/<int:pk>/tra-lai/", views.return_draft, name="return"),
    path("phan-anh/<int:pk>/cong-khai/", views.publish, name="publish"),
    path("phan-anh/<int:pk>/go-cong-khai/", views.unpublish, name="unpublish"),
    path("phan-anh/<int:pk>/tep/<int:attachment_id>/", views.attachment, name="attachment"),
]
