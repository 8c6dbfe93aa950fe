"""The Vietnamese catalogue is complete and compiled.

`makemessages -l vi` runs on a temporary copy of cchc/ and config/ (the committed catalogue is never
rewritten by a test); every msgid it finds must have a Vietnamese translation that is not fuzzy, and
the committed .mo must hold exactly the translations of the committed .po.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "cchc" / "locale" / "vi" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

pytestmark = pytest.mark.skipif(shutil.which("msgmerge") is None, reason="gettext is not installed (apt-get install gettext)")


def _key(entry):
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def _value(entry):
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural))
    return entry.msgstr


def _where(entry) -> str:
    return ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:2])


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> polib.POFile:
    """The committed catalogue, merged with every msgid of the current source (in a copy)."""
    work = tmp_path_factory.mktemp("i18n")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", "*.sqlite3")
    for name in ("cchc", "config"):
        shutil.copytree(ROOT / name, work / name, ignore=ignore)
    env = {
        **os.environ,
        "PYTHONPATH": str(work),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "SECRET_KEY": "translation-check",
        "CCHC_VAR_DIR": str(work / "var"),
    }
    env.pop("DATABASE_URL", None)
    before = PO.read_bytes() if PO.exists() else None
    result = subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "vi", "--no-obsolete", "--no-wrap", "--ignore", "var/*"],
        cwd=work, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert (PO.read_bytes() if PO.exists() else None) == before, "makemessages wrote into the committed catalogue"
    return polib.pofile(str(work / "cchc" / "locale" / "vi" / "LC_MESSAGES" / "django.po"))


def test_every_string_has_a_vietnamese_translation(extracted):
    missing = [e for e in extracted if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    report = "\n".join(
        f"  {'fuzzy' if 'fuzzy' in e.flags else 'untranslated'}: {e.msgid!r} ({_where(e)})" for e in missing
    )
    assert not missing, (
        f"{len(missing)} strings lack a Vietnamese translation in cchc/locale/vi/LC_MESSAGES/django.po:\n{report}\n"
        "Run `cchc makemessages -l vi --ignore '.venv/*' --ignore 'tests/*' --ignore 'var/*'`, translate them, "
        "then `cchc compilemessages -l vi`."
    )


def test_committed_mo_is_compiled_from_the_committed_po():
    assert PO.exists() and MO.exists(), "cchc/locale/vi/LC_MESSAGES/django.po and .mo must be committed"
    po = {_key(e): _value(e) for e in polib.pofile(str(PO)) if e.translated() and "fuzzy" not in e.flags and not e.obsolete}
    mo = {_key(e): _value(e) for e in polib.mofile(str(MO)) if e.msgid}
    assert po.keys() == mo.keys() and po == mo, "django.mo is out of date: run `cchc compilemessages -l vi`"


def test_pages_speak_vietnamese():
    from django.utils import translation

    with translation.override("vi"):
        assert translation.gettext("Log in") != "Log in"
