"""The library's messages are read in English in these tests (the msgids they compare with),
whatever translator the web application installed and whatever the shell's CCHC_LANGUAGE; the
tests of the Vietnamese messages say so themselves."""

import pytest

from cchc.documents import i18n


@pytest.fixture(autouse=True)
def english_messages(monkeypatch):
    monkeypatch.setenv(i18n.ENVIRONMENT_VARIABLE, "en")
    with i18n.use_language("en"):
        yield
