"""Fixtures shared by the whole suite.

- `org_tree`: the small tree of `tests.factories.make_org_tree` (function scope, rolled back).
- `national_units`: the national directory loaded once per session with `cchc.org.loader.load_units()`;
  only tests that ask for it pay for it.
- `browser` / `page`: Playwright (sync API) driving Debian's chromium. Skipped with a reason when
  chromium is missing, except under CI (env CI set), where a missing browser fails the test.
"""

from __future__ import annotations

import os
import shutil

import pytest

from tests.factories import make_org_tree

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: what one test cached (a public page, a site, a lockout)
    never answers in another, whose database was rolled back."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def org_tree(db):
    return make_org_tree()


@pytest.fixture(scope="session")
def _national_units_loaded(django_db_setup, django_db_blocker):
    from cchc.org.loader import load_units

    with django_db_blocker.unblock():
        return load_units()


@pytest.fixture
def national_units(_national_units_loaded, django_db_blocker):
    """The national unit directory (34 provinces, 3,321 communes, agencies, legacy units).

    Loaded once per session; reloaded only if a transactional test flushed the database since."""
    from cchc.org.loader import load_units
    from cchc.org.models import Unit

    with django_db_blocker.unblock():
        if not Unit.objects.filter(parent__isnull=True).exists():
            return load_units()
    return _national_units_loaded


@pytest.fixture
def english(client, settings):
    """The interface in English (the language switcher's cookie), for tests that read source texts."""
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def output_catalogue(db):
    """The catalogue of output types, present even after a live-server test flushed the database."""
    from cchc.outputs.catalogue import sync_compatibility, sync_output_types

    sync_output_types()
    sync_compatibility()


def _chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    executable = _chromium_path()
    if executable is None:
        message = "Debian's chromium is not installed (apt-get install chromium fonts-liberation2)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}: browser tests must run in CI")
        pytest.skip(message)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extras include playwright
        if os.environ.get("CI"):
            pytest.fail("playwright is not installed")
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    # Playwright's sync API runs an event loop in this thread; the ORM calls that tests make beside
    # it are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()
