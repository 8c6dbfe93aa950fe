from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    """Contests (hội thi): online knowledge contests on administrative reform — a question bank, rounds,
    one attempt per person, automatic scoring, rankings and participation per unit — and video-clip
    contests with a judging panel and public votes; rounds and entries count as outputs."""

    name = "cchc.contests"
    label = "contests"
    verbose_name = _("Contests")

    def ready(self):
        from . import public_registration, registration

        registration.register()
        public_registration.register()
