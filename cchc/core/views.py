from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def home(request):
    memberships = (
        request.user.memberships.filter(is_active=True).select_related("unit").order_by("unit__path", "role")
    )
    return render(request, "core/home.html", {"memberships": memberships})


def page_not_found(request, exception=None):
    return render(request, "core/error.html", {"status": 404}, status=404)


def permission_denied(request, exception=None):
    return render(request, "core/error.html", {"status": 403}, status=403)


def server_error(request):
    return render(request, "core/error.html", {"status": 500}, status=500)
