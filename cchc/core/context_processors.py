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
        items.append({"key": item.key, "label": item.label, "url": url, "active": False})
    # The item whose address is the longest start of the page's is the current one ("Tasks" at
    # /ke-hoach/nhiem-vu/, not also "Plans" at /ke-hoach/).
    matches = [i for i in items if request.path.startswith(i["url"])]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    return {"main_menu": items}
