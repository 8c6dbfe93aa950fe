from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "cchc.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from .files import connect_file_cleanup
        from .pagecache import connect_write_tracking

        connect_file_cleanup()  # a deleted row, or a replaced file, takes its stored file with it
        connect_write_tracking()  # any write makes the cached pages of signed-in users unreachable
