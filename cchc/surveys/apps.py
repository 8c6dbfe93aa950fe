from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """Satisfaction surveys (khảo sát mức độ hài lòng): questionnaires built from a template following the
    national satisfaction index, answered anonymously on the public site, at a one-stop counter's kiosk
    or from a receipt's link or QR code; results computed as the index does and published; a closed
    survey counts its respondents as an output."""

    name = "cchc.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self):
        from . import public_registration, registration

        registration.register()
        public_registration.register()
