"""Messages of the library in the user's language: Vietnamese by default, English on request, and
the web application's language through the translator it installs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cchc.documents import i18n
from cchc.documents.blocks import DocumentError
from cchc.documents.reader import read_bytes

ROOT = Path(__file__).resolve().parents[2]
VI_EMPTY = "empty.txt là tệp rỗng; hãy tải lên chính văn bản kế hoạch (.docx, .pdf, .txt hoặc .md)"
EN_EMPTY = "empty.txt is empty; upload the plan document itself (.docx, .pdf, .txt or .md)"


def _parse_command(path: Path, language: str | None) -> subprocess.CompletedProcess:
    command = ROOT / ".venv" / "bin" / "cchc"
    argv = [str(command)] if command.exists() else [sys.executable, "-m", "cchc"]
    env = {k: v for k, v in os.environ.items() if k != i18n.ENVIRONMENT_VARIABLE}
    if language is not None:
        env[i18n.ENVIRONMENT_VARIABLE] = language
    return subprocess.run([*argv, "parse", str(path)], capture_output=True, timeout=60, cwd=ROOT, env=env)


def test_the_command_speaks_vietnamese_by_default(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = _parse_command(empty, None)
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.decode("utf-8") == f"cchc parse: {VI_EMPTY}\n"


def test_the_command_speaks_english_when_asked(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = _parse_command(empty, "en")
    assert result.returncode == 2
    assert result.stderr.decode("utf-8") == f"cchc parse: {EN_EMPTY}\n"


def _message(data: bytes, name: str) -> str:
    with pytest.raises(DocumentError) as caught:
        read_bytes(data, name=name)
    return str(caught.value)


def test_use_language_switches_a_block_and_restores_the_previous_language():
    with i18n.use_language("vi"):
        assert _message(b"", "empty.txt") == VI_EMPTY
        with i18n.use_language("en-US"):
            assert _message(b"", "empty.txt") == EN_EMPTY
        image = _message(b"\x89PNG\r\n\x1a\n" + bytes(64), "scan.png")
        assert image == (
            "scan.png là tệp ảnh (PNG), không phải văn bản dạng chữ; hãy nhận dạng chữ (OCR) hoặc tải lên tệp Word gốc"
        )
    assert _message(b"", "empty.txt") == EN_EMPTY


def test_the_environment_names_the_language_outside_a_block(monkeypatch):
    monkeypatch.setattr(i18n, "_translator", None)  # as in the command, where Django is not loaded
    for value, expected in (("vi", VI_EMPTY), ("vi_VN.UTF-8", VI_EMPTY), ("en", EN_EMPTY)):
        monkeypatch.setenv(i18n.ENVIRONMENT_VARIABLE, value)
        with i18n.use_language(None):  # outside the suite's English block
            assert _message(b"", "empty.txt") == expected, value


def test_an_installed_translator_gives_the_messages_of_the_request_language():
    seen: list[str] = []

    def translator(message: str) -> str:  # stands in for Django's gettext in the active language
        seen.append(message)
        return "[vi-request] " + message

    i18n.set_translator(translator)
    try:
        with i18n.use_language(None):
            assert _message(b"", "empty.txt") == "[vi-request] " + EN_EMPTY
            assert seen == ["%(name)s is empty; upload the plan document itself (.docx, .pdf, .txt or .md)"]
            with i18n.use_language("en"):  # an explicit language still wins
                assert _message(b"", "empty.txt") == EN_EMPTY
    finally:
        i18n.set_translator(None)
