"""What clips adds to the platform through the registry: the staff menu entry, the output it counts
(each accepted entry, once, as a video clip of the contest's unit) and the entries' video files it
lets the public see."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def _menu_visible(user) -> bool:
    from .permissions import menu_visible

    return menu_visible(user)


def _video_allowed(name: str, user) -> bool:
    """A sent video file is public once its entry is accepted in a public contest; before, only those
    who may open the contest's staff pages see it."""
    from .models import Entry
    from .permissions import can_view

    entry = Entry.objects.select_related("contest", "contest__unit").filter(video_file=name).first()
    if entry is None:
        return False
    if entry.status == Entry.Status.ACCEPTED and entry.contest.is_public:
        return True
    return bool(getattr(user, "is_authenticated", False) and can_view(user, entry.contest))


def register():
    from cchc.core import registry

    from .services import SOURCE

    registry.menu.register(registry.MenuItem(key="clips", label=_("Video-clip contests"), url_name="clips:list",
                                             order=58, visible=_menu_visible))
    registry.output_sources.register(registry.OutputSource(key=SOURCE, label=_("Video-clip contest entries"),
                                                           output_type="video_clip", order=60))
    registry.public_media.register(registry.PublicMedia(key="clips.videos", prefix="clips/videos/",
                                                        allowed=_video_allowed))
