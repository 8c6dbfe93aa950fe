"""Time of loading the unit directory into a fresh database, of a second (idempotent) load, and the
resolution rate of the seeds' agency names (seeds 000 and 004 in their provinces, seed 001 in its
commune: every phrase is right when it names the expected units, or none when it names no unit of
the directory).

    .venv/bin/python benchmarks/load_units_bench.py            # SQLite file in a temporary directory
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/load_units_bench.py   # and PostgreSQL

On PostgreSQL it creates and drops its own database (the name in DATABASE_URL + "_bench_units"),
never touching the one named in DATABASE_URL. Each database is measured in its own process.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _run(label: str) -> None:
    from django.core.management import call_command
    from django.db import connection

    from cchc.org.loader import load_units
    from cchc.org.models import Unit
    from cchc.org.resolve import resolve_agencies

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    first = load_units()
    first_s = time.perf_counter() - started
    started = time.perf_counter()
    second = load_units()
    second_s = time.perf_counter() - started
    print(f"[{label}] first load: {first_s:.2f} s ({first['created']} units created)")
    print(f"[{label}] second load: {second_s:.2f} s ({second['updated']} updated, {second['unchanged']} unchanged)")

    from tests.org.test_resolve import (  # the seeds' agency names, as a reader lists them
        OLD_DUC_TAN, SEED_000, SEED_000_DATE, SEED_001, SEED_001_DATE, SEED_004, SEED_004_DATE, SEED_004_OUTSIDE,
        _expected,
    )

    right = total = 0
    started = time.perf_counter()
    for code, on, table in (("old-02", SEED_004_DATE, SEED_004), ("old-70", SEED_000_DATE, SEED_000)):
        province = Unit.objects.get(code=code)
        results = resolve_agencies([t for t, _ in table], context=province, on=on)
        for (text, names), result in zip(table, results):
            total += 1
            if result.resolved and {u.code for u in result.units} == _expected(province, on, names):
                right += 1
            else:
                print(f"  wrong: {text!r} -> {[u.code for u in result.units]} ({result.confidence})")
    outside = resolve_agencies(SEED_004_OUTSIDE, context=Unit.objects.get(code="old-02"), on=SEED_004_DATE)
    total += len(outside)
    right += sum(1 for r in outside if not r.resolved and not r.units)
    # Seed 001, a commune's plan: its divisions (None: a phrase that names no unit of the directory).
    duc_tan = Unit.objects.get(code=OLD_DUC_TAN)
    posts = {u.code for u in duc_tan.children.all()}
    for (text, key), result in zip(SEED_001, resolve_agencies([t for t, _ in SEED_001], context=duc_tan,
                                                              on=SEED_001_DATE)):
        total += 1
        codes = {u.code for u in result.units}
        if (not result.resolved and not codes) if key is None else (
                result.resolved and codes == (posts if key == "*" else {f"{OLD_DUC_TAN}.{key}"})):
            right += 1
        else:
            print(f"  wrong: {text!r} -> {sorted(codes)} ({result.confidence})")
    elapsed = time.perf_counter() - started
    print(f"[{label}] seeds' agency names: {right}/{total} right "
          f"({total} phrases in {elapsed:.2f} s, index build included)")
    connection.close()


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        import django

        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
        django.setup()
        _run(sys.argv[2])
        return
    import subprocess

    url = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "CCHC_VAR_DIR": tmp, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3"}
        subprocess.run([sys.executable, __file__, "--child", "sqlite"], env=env, check=True)
        if url.startswith("postgres"):
            import psycopg
            from urllib.parse import urlsplit, urlunsplit

            parts = urlsplit(url)
            name = f"{parts.path.lstrip('/') or 'cchc'}_bench_units"
            admin = urlunsplit(parts._replace(path="/postgres"))
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                conn.execute(f'CREATE DATABASE "{name}"')
            try:
                env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
                subprocess.run([sys.executable, __file__, "--child", "postgresql"], env=env, check=True)
            finally:
                with psycopg.connect(admin, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


if __name__ == "__main__":
    main()
