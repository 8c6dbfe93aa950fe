from django.conf import settings
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


def upload_limits(request):
    """The largest file and the largest request the server accepts, for the page's script to check a file
    before it is sent (an oversized request is refused unread, and what was typed with it would be lost)."""
    from .limits import max_request_bytes

    return {"max_upload_bytes": settings.CCHC_MAX_UPLOAD_BYTES,
            "max_upload_mb": settings.CCHC_MAX_UPLOAD_BYTES // 1048576, "max_request_bytes": max_request_bytes()}
