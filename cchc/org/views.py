from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from . import permissions, selectors

CHILDREN_PER_PAGE = 50
SEARCH_LIMIT = 50


def _flag(request, name: str) -> bool:
    return request.GET.get(name) in {"1", "on", "true"}


@login_required
def unit_tree(request):
    """The unit tree (cây đơn vị): where the user's tree starts, or the results of a search."""
    query = request.GET.get("q", "").strip()[:200]
    include_closed = _flag(request, "closed")
    context = {"query": query, "include_closed": include_closed}
    if query:
        context["results"] = selectors.unit_search(request.user, query, SEARCH_LIMIT)
    else:
        context["roots"] = selectors.unit_roots(request.user, include_closed=include_closed)
    return render(request, "org/unit_tree.html", context)


@login_required
def unit_detail(request, code):
    """A unit's page (trang đơn vị): facts, ancestors, children, history and members."""
    user = request.user
    unit = permissions.access_unit(user, code)
    include_closed = _flag(request, "closed")
    query = request.GET.get("q", "").strip()[:200]
    ancestors = [
        {"unit": a, "link": permissions.can_view(user, a)} for a in unit.ancestors()
    ]
    context = {
        "unit": unit,
        "ancestors": ancestors,
        "query": query,
        "include_closed": include_closed,
        "role": permissions.role_for(user, unit),
        "is_admin": user.is_superuser,
        "history": selectors.unit_history(unit),
        "can_see_members": permissions.can_see_members(user, unit),
        "can_see_events": permissions.can_approve(user, unit),
    }
    if query:
        context["results"] = selectors.unit_search(user, query, SEARCH_LIMIT, within=unit)
    else:
        children = selectors.unit_children(unit, include_closed=include_closed)
        context["children_page"] = Paginator(children, CHILDREN_PER_PAGE).get_page(request.GET.get("page"))
        context["children_total"] = len(children)
    if context["can_see_members"]:
        context["members"] = selectors.unit_members(unit)
    return render(request, "org/unit_detail.html", context)
