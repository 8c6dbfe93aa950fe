from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClipsConfig(AppConfig):
    """Video-clip contests (cuộc thi video clip, e.g. "Chung tay cải cách hành chính"): entries with a
    video link or file, a judging panel scoring them on criteria, public voting with one vote per person
    per entry; the entries count as outputs."""

    name = "cchc.clips"
    label = "clips"
    verbose_name = _("Video-clip contests")

    def ready(self):
        from . import public_registration, registration

        registration.register()
        public_registration.register()
