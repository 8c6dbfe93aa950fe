from django.urls import path

from . import views

app_name = "clips"

urlpatterns = [
    path("cuoc-thi-video/", views.contest_list, name="list"),
    path("cuoc-thi-video/moi/", views.contest_create, name="create"),
    path("cuoc-thi-video/<int:pk>/", views.contest_detail, name="contest"),
    path("cuoc-thi-video/<int:pk>/sua/", views.contest_edit, name="edit"),
    path("cuoc-thi-video/<int:pk>/dong-cham-diem/", views.judging_close, name="close_judging"),
    path("cuoc-thi-video/<int:pk>/cong-bo/", views.results_publish, name="publish"),
    path("cuoc-thi-video/<int:pk>/tac-pham/<int:entry_pk>/", views.entry_detail, name="entry"),
    path("cuoc-thi-video/<int:pk>/tac-pham/<int:entry_pk>/duyet/", views.entry_moderate, name="moderate"),
    path("cuoc-thi-video/<int:pk>/phieu/<int:vote_pk>/", views.vote_review, name="vote_review"),
]
