from django.http import HttpResponse
from django.urls import path

from config.urls import *  # noqa: F401,F403
from config.urls import urlpatterns as platform_urlpatterns


def minimal(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("_toi-thieu/", minimal), *platform_urlpatterns]
