from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cchc.news.services import publish_due


class Command(BaseCommand):
    help = "Publish the scheduled news articles whose time has come (cron: every minute)."

    def handle(self, *args, **options):
        done = publish_due()
        self.stdout.write(_("%(count)d scheduled article(s) published.") % {"count": done})
