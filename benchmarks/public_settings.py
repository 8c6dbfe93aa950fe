"""Settings of benchmarks/public_load.py: the platform's own, with one more address, a minimal Django
view (/_toi-thieu/), to compare the public pages with what the same server does at the least."""

from config.settings.base import *  # noqa: F401,F403

ROOT_URLCONF = "benchmarks.public_urls"
