from django.urls import path

from . import views

app_name = "contests"

urlpatterns = [
    path("hoi-thi/", views.contest_list, name="list"),
    path("hoi-thi/moi/", views.contest_create, name="create"),
    path("hoi-thi/mau-ngan-hang-cau-hoi.xlsx", views.bank_template, name="template"),
    path("hoi-thi/<int:pk>/", views.contest_detail, name="contest"),
    path("hoi-thi/<int:pk>/nhap-cau-hoi/", views.questions_import, name="import"),
    path("hoi-thi/<int:pk>/dot-thi-moi/", views.round_create, name="round_create"),
    path("hoi-thi/dot-thi/<int:pk>/", views.round_detail, name="round"),
    path("hoi-thi/dot-thi/<int:pk>/giai/", views.prizes, name="prizes"),
    path("hoi-thi/dot-thi/<int:pk>/trao-giai/", views.winners, name="winners"),
    path("hoi-thi/dot-thi/<int:pk>/cong-bo/", views.publish, name="publish"),
]
