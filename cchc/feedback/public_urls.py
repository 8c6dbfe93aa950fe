from django.urls import path

from . import public

app_name = "feedback_public"

urlpatterns = [
    # public, under each site (on a site's own host name: at its root)
    path("cong/<slug:slug>/phan-anh-kien-nghi/", public.answers, name="answers"),
    path("cong/<slug:slug>/phan-anh-kien-nghi/gui/", public.submit, name="submit"),
    path("cong/<slug:slug>/phan-anh-kien-nghi/da-gui/<str:token>/", public.done, name="done"),
    path("cong/<slug:slug>/phan-anh-kien-nghi/tra-cuu/", public.track, name="track"),
    path("cong/<slug:slug>/phan-anh-kien-nghi/duong-day-nong/", public.hotlines, name="hotlines"),
    path("cong/<slug:slug>/phan-anh-kien-nghi/<int:pk>/", public.answer_detail, name="answer"),
]
