from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    """Citizens' feedback and petitions (phản ánh, kiến nghị — PAKN): received on the public site or
    entered by officers when they came by phone, post, mailbox, hotline or the press; classified,
    transferred, answered, approved and published with deadlines in working days; lateness and load
    counted for the dashboard and the reports."""

    name = "cchc.feedback"
    label = "feedback"
    verbose_name = _("Feedback and petitions")

    def ready(self):
        from . import public_registration, registration

        registration.register()
        public_registration.register()
