from django.urls import path

from . import views

app_name = "procedures"

urlpatterns = [
    path("thu-tuc/", views.home, name="home"),
    path("thu-tuc/don-vi/<str:code>/", views.procedure_list, name="list"),
    path("thu-tuc/don-vi/<str:code>/them/", views.procedure_create, name="create"),
    path("thu-tuc/don-vi/<str:code>/quyet-dinh/", views.decision_list, name="decisions"),
    path("thu-tuc/don-vi/<str:code>/nhap-quyet-dinh/", views.decision_import, name="import"),
    path("thu-tuc/don-vi/<str:code>/so-lieu/", views.figures, name="figures"),
    path("thu-tuc/don-vi/<str:code>/so-lieu/mau.xlsx", views.figures_template, name="figures_template"),
    path("thu-tuc/don-vi/<str:code>/so-lieu/nhap/", views.figures_import, name="figures_import"),
    path("thu-tuc/don-vi/<str:code>/so-lieu/<int:pk>/xoa/", views.figures_delete, name="figures_delete"),
    path("thu-tuc/quyet-dinh/<int:pk>/", views.decision_review, name="review"),
    path("thu-tuc/quyet-dinh/<int:pk>/ap-dung/", views.decision_apply, name="apply"),
    path("thu-tuc/quyet-dinh/<int:pk>/huy/", views.decision_discard, name="discard"),
    path("thu-tuc/quyet-dinh/<int:pk>/tim/", views.decision_entries, name="entries"),
    path("thu-tuc/quyet-dinh/<int:pk>/tep/", views.decision_file, name="decision_file"),
    path("thu-tuc/<int:pk>/", views.procedure_detail, name="detail"),
    path("thu-tuc/<int:pk>/sua/", views.procedure_edit, name="edit"),
]
