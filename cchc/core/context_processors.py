from django.urls import NoReverseMatch, reverse

from . import registry


def menu(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"main_menu": []}
    items = []
    for item in registry.menu:
        if not item.visible(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"key": item.key, "label": item.label, "url": url, "active": request.path.startswith(url)})
    return {"main_menu": items}
