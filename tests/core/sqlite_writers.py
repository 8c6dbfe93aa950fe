"""Run by tests/core/test_sqlite_concurrency.py in a process of its own, with the platform's settings
(config.settings.base) on a SQLite file: N threads, released together, each write a row in a
transaction that reads first (as every view that checks something before it saves does).

    python -m tests.core.sqlite_writers DB_PATH N [--legacy]

--legacy: the options the platform had before (a busy timeout only: rollback journal, deferred
transactions). Prints one JSON line: journal_mode, synchronous, transaction_mode, failures, rows."""

from __future__ import annotations

import json
import os
import sys
import threading
import time


def main(path: str, count: int, legacy: bool) -> dict:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import django

    django.setup()
    from django.conf import settings
    from django.db import OperationalError, connection, transaction

    if legacy:
        settings.DATABASES["default"]["OPTIONS"] = {"timeout": 20}
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS entry (id INTEGER PRIMARY KEY, writer INTEGER NOT NULL)")
        cursor.execute("PRAGMA journal_mode")
        journal_mode = cursor.fetchone()[0]
        cursor.execute("PRAGMA synchronous")
        synchronous = cursor.fetchone()[0]
    transaction_mode = connection.transaction_mode
    connection.close()

    barrier = threading.Barrier(count)
    failures: list[str] = []

    def write(writer: int) -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT count(*) FROM entry")
                    cursor.fetchone()
                    time.sleep(0.02)  # the time a view takes between its checks and its save
                    cursor.execute("INSERT INTO entry (writer) VALUES (%s)", [writer])
        except OperationalError as exc:
            failures.append(str(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), count(DISTINCT writer) FROM entry")
        rows, writers = cursor.fetchone()
    return {"journal_mode": journal_mode, "synchronous": synchronous, "transaction_mode": transaction_mode,
            "failures": failures, "rows": rows, "writers": writers}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], int(sys.argv[2]), "--legacy" in sys.argv[3:])))
