from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from .models import Unit


@login_required
def unit_tree(request):
    return render(request, "org/unit_tree.html", {"units": Unit.objects.filter(parent=None)[:100]})


@login_required
def unit_detail(request, code):
    unit = get_object_or_404(Unit, code=code)
    return render(request, "org/unit_detail.html", {"unit": unit})
