"""Translated messages for `cchc.documents`, without importing Django.

Messages are English msgids of the project's Django catalogue (`cchc/locale`), written as
``_("%(name)s is empty; …") % {"name": name}`` so that `makemessages` extracts them (it picks up
calls named `_` and `gettext`). Where they are read:

- **the `cchc parse` command** (no Django): the standard library's gettext reads the compiled
  catalogue in the language the environment variable ``CCHC_LANGUAGE`` names: ``vi`` (the
  default) or ``en`` (the English msgids);
- **the web application**: the plans app hands over Django's own gettext once, in its
  ``AppConfig.ready()``, so that messages follow the language of each request::

      from django.utils.translation import gettext
      from cchc.documents import i18n

      i18n.set_translator(gettext)

- **a block of code in a given language** (a test, a job run for one user):
  ``with i18n.use_language("en"): ...`` — it wins over both of the above.
"""

from __future__ import annotations

import contextlib
import contextvars
import gettext as _stdlib_gettext
import os
from collections.abc import Callable, Iterator
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
DOMAIN = "django"
DEFAULT_LANGUAGE = "vi"
ENVIRONMENT_VARIABLE = "CCHC_LANGUAGE"

_catalogues: dict[str, _stdlib_gettext.NullTranslations] = {}
_language: contextvars.ContextVar[str | None] = contextvars.ContextVar("cchc_documents_language", default=None)
_translator: Callable[[str], str] | None = None


def _normalise(code: str) -> str:
    """"vi-VN", "vi_VN.UTF-8", "VI" -> a code gettext looks up ("vi_VN", "vi")."""
    code = code.strip().split(".")[0].split("@")[0].replace("-", "_")
    if "_" in code:
        language, region = code.split("_", 1)
        return f"{language.lower()}_{region.upper()}"
    return code.lower() or DEFAULT_LANGUAGE


def _catalogue(code: str) -> _stdlib_gettext.NullTranslations:
    found = _catalogues.get(code)
    if found is None:
        # A language without a catalogue (English) falls back to the msgids themselves.
        found = _stdlib_gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[code], fallback=True)
        _catalogues[code] = found
    return found


def current_language() -> str:
    """The language messages are given in outside Django: `use_language`, else CCHC_LANGUAGE, else vi."""
    return _normalise(_language.get() or os.environ.get(ENVIRONMENT_VARIABLE) or DEFAULT_LANGUAGE)


def gettext(message: str) -> str:
    """`message` (an English msgid) in the current language."""
    if _translator is not None and _language.get() is None:
        return _translator(message)
    return _catalogue(current_language()).gettext(message)


_ = gettext


def gettext_noop(message: str) -> str:
    """Marks a string for the catalogue where it is translated later (a table of labels)."""
    return message


def set_translator(translator: Callable[[str], str] | None) -> None:
    """Translate with `translator` (Django's `gettext`) instead of the catalogue; None undoes it."""
    global _translator
    _translator = translator


@contextlib.contextmanager
def use_language(code: str | None) -> Iterator[None]:
    """Give messages in `code` ("vi", "en") inside the block, whatever the translator or environment;
    None lifts an enclosing block's choice (the translator, else CCHC_LANGUAGE, decides again)."""
    token = _language.set(code)
    try:
        yield
    finally:
        _language.reset(token)
