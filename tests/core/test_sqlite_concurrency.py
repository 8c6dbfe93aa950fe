"""The embedded database (a SQLite file) takes concurrent writers one after the other instead of
failing any: WAL, synchronous=NORMAL and IMMEDIATE transactions are in effect, and the busy timeout
is really waited for. The same run with the options the platform had before shows the failures
this prevents, so the test can fail."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
WRITERS = 20


def _run(tmp_path, *flags: str) -> dict:
    env = {**os.environ, "CCHC_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-m", "tests.core.sqlite_writers", str(tmp_path / "db.sqlite3"), str(WRITERS),
                           *flags], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_concurrent_writers_of_a_sqlite_file_all_succeed_in_wal_with_immediate_transactions(tmp_path):
    result = _run(tmp_path)
    assert result["journal_mode"] == "wal"
    assert result["synchronous"] == 1  # NORMAL
    assert result["transaction_mode"] == "IMMEDIATE"
    assert result["failures"] == []
    assert result["rows"] == result["writers"] == WRITERS


def test_the_options_before_lose_writes_under_the_same_load(tmp_path):
    result = _run(tmp_path, "--legacy")
    assert result["journal_mode"] == "delete" and result["transaction_mode"] is None
    assert result["failures"] and all("locked" in failure for failure in result["failures"])
    assert result["rows"] == WRITERS - len(result["failures"])


def test_the_test_settings_keep_the_same_options_on_their_in_memory_database():
    options = settings.DATABASES["default"]["OPTIONS"]
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        assert options["transaction_mode"] == "IMMEDIATE" and "journal_mode=WAL" in options["init_command"]
        assert options["timeout"] >= 5
