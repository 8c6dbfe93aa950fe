"""Fifty officers saving at the same moment: do all their writes arrive, exactly once?

    python benchmarks/write_contention.py [--users 50] [--no-postgres]

Builds a throw-away site in a temporary folder (the steps of scripts/start and the seed plan 004,
issued, as benchmarks/_serving.py does), adds N officers of N communes of the demo province (each with
its unit's report for the plan's first period), then for each setting below serves the platform with
scripts/start's own serving command (read from the script) on a free port, logs the N officers in,
and fires, each time released together by a barrier over real HTTP with CSRF and form tokens:
N output recordings (one per officer), then N report saves. Printed per setting: failures (any
answer but the redirect of a saved form; goal 0), p50/p95/max latency, and whether every output and
every report's text is in the database exactly once.

Settings, measured in the same run:
- before: SQLite as it was configured before (busy timeout 20 s only: rollback journal, deferred
  transactions), on its own copy of the database turned back to journal_mode=DELETE;
- after: SQLite as configured now (WAL, synchronous=NORMAL, IMMEDIATE transactions), on a copy;
- PostgreSQL: a fresh database cchc_bench_writes on 127.0.0.1:5432 (user postgres), created and
  dropped by this script (--no-postgres to leave it out).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _serving import (  # noqa: E402
    PASSWORD, ROOT, Client, ConnectionFailed, cchc, form_fields, free_port, percentile, prepare_site, site_env,
    start, stop, wait_ready,
)

PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_NAME = "cchc_bench_writes"
LEGACY_SETTINGS = '''"""The SQLite options before WAL and IMMEDIATE transactions (benchmarks/write_contention.py only)."""
from config.settings.base import *  # noqa: F401,F403
from config.settings.base import DATABASES

DATABASES["default"]["OPTIONS"] = {"timeout": 20}
'''

SETUP = '''
import datetime as dt, json
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from cchc.org.models import Membership, Unit
from cchc.plans import services as plans
from cchc.plans.models import Plan
from cchc.reports import services as reports

User = get_user_model()
supervisor = User.objects.get(username="giamsat")
plan = Plan.objects.order_by("-pk").first()
if plan.status == Plan.Status.DRAFT:
    plan = plans.plan_issue(plan=plan, user=supervisor, number=plan.number or "1/KH-BENCH", date=plan.date or dt.date(2026, 1, 5))
period = plan.reporting_periods.order_by("year", "order").first()
province = plan.owner.province() or plan.owner
units = list(Unit.objects.current().filter(path__startswith=province.path, kind__in=["commune", "ward"]).order_by("path")[:%(n)d])
hashed = make_password(%(password)r)
rows = []
for i, unit in enumerate(units):
    user, _ = User.objects.get_or_create(username=f"bench{i:03d}", defaults={"password": hashed, "full_name": f"Cán bộ {i}"})
    Membership.objects.get_or_create(user=user, unit=unit, role=Membership.Role.OFFICER)
    report = reports.report_open(unit=unit, period=period, user=user)
    rows.append({"user": user.username, "unit": unit.code, "report": report.pk})
print(json.dumps(rows))
'''

CHECK = '''
import json
from collections import Counter
from cchc.outputs.models import OutputRecord
from cchc.reports.models import UnitReport
titles = Counter(OutputRecord.objects.filter(title__startswith=%(prefix)r).values_list("title", flat=True))
texts = dict(UnitReport.objects.filter(pk__in=%(reports)r).values_list("pk", "results"))
print(json.dumps({"titles": titles, "texts": {str(k): v for k, v in texts.items()}}))
'''


def serving_command() -> str:
    """The command scripts/start ends with (`exec ...`), to be run after sourcing scripts/_env.sh."""
    text = (ROOT / "scripts" / "start").read_text()
    lines = [line.strip()[len("exec "):] for line in text.splitlines() if line.strip().startswith("exec ")]
    if not lines:
        raise RuntimeError("scripts/start has no `exec` line to serve with")
    return lines[-1]


def shell(env: dict, script: str) -> object:
    return json.loads(cchc(env, "shell", "-c", script, capture=True).strip().splitlines()[-1])


def login(port: int, rows: list[dict]) -> list[Client]:
    """One after the other (logins are not what is measured), each tried again if it fails."""
    clients = []
    for row in rows:
        client = Client(port, timeout=120)
        for attempt in range(10):
            try:
                client.login(row["user"])
                break
            except (ConnectionFailed, RuntimeError):
                time.sleep(0.3 * (attempt + 1))
        else:
            raise RuntimeError(f"{row['user']} could not log in")
        clients.append(client)
    return clients


def burst(clients: list[Client], requests: list[tuple[str, dict, re.Pattern]]) -> dict:
    """All POSTs released together; a success is the redirect a saved form answers with."""
    barrier = threading.Barrier(len(clients))
    times: list[float] = []
    failures: dict[str, int] = {}
    lock = threading.Lock()

    def one(client: Client, path: str, data: dict, success: re.Pattern):
        barrier.wait()
        t0 = time.perf_counter()
        try:
            status, headers, _text = client.request("POST", path, data)
            kind = None if status == 302 and success.search(headers.get("Location", "")) else f"HTTP {status}"
        except ConnectionFailed as exc:
            kind = f"connection: {exc}"[:60]
        elapsed = time.perf_counter() - t0
        with lock:
            times.append(elapsed)
            if kind:
                failures[kind] = failures.get(kind, 0) + 1

    threads = [threading.Thread(target=one, args=(c, *r)) for c, r in zip(clients, requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"times": times, "failures": failures}


def run(label: str, env: dict, rows: list[dict], work: Path) -> dict:
    port = free_port()
    server_env = dict(env, PORT=str(port))
    command = ["bash", "-c", f'source "{ROOT}/scripts/_env.sh" && exec {serving_command()}']
    proc = start(command, server_env, work / f"server-{port}.log")
    try:
        wait_ready(port, proc=proc)
        print(f"{label}: {len(rows)} officers log in on 127.0.0.1:{port} ...", flush=True)
        clients = login(port, rows)
        prefix = f"bench {label} "
        outputs, reports = [], []
        for i, (client, row) in enumerate(zip(clients, rows)):
            path = f"/san-pham/don-vi/{row['unit']}/them/"
            _s, _h, html = client.request("GET", path)
            fields = form_fields(html)
            fields.update({"title": f"{prefix}{i:03d}", "date": "10/03/2026", "quantity": "1", "people_reached": "30",
                           "serves": ""})
            outputs.append((path, fields, re.compile(rf"^/san-pham/don-vi/{re.escape(row['unit'])}/$")))
            path = f"/bao-cao/{row['report']}/"
            _s, _h, html = client.request("GET", path)
            fields = form_fields(html)
            fields.update({"results": f"{prefix}{i:03d}", "action": "save"})
            reports.append((path, fields, re.compile(rf"^/bao-cao/{row['report']}/$")))
        result = {"outputs": burst(clients, outputs), "reports": burst(clients, reports)}
    finally:
        stop(proc)
    found = shell(env, CHECK % {"prefix": prefix, "reports": [r["report"] for r in rows]})
    expected = {f"{prefix}{i:03d}" for i in range(len(rows))}
    result["outputs"]["once"] = sum(1 for t in expected if found["titles"].get(t) == 1)
    result["reports"]["once"] = sum(1 for i, r in enumerate(rows) if found["texts"].get(str(r["report"])) == f"{prefix}{i:03d}")
    return result


def line(label: str, kind: str, r: dict, n: int) -> str:
    failed = sum(r["failures"].values())
    text = (f"{label:<30} {kind:<14} {n:>5} {failed:>8} {percentile(r['times'], 50) * 1000:>8.0f} "
            f"{percentile(r['times'], 95) * 1000:>8.0f} {max(r['times'] or [0]) * 1000:>8.0f} {r['once']:>6}/{n}")
    kinds = ", ".join(f"{v} × {k}" for k, v in sorted(r["failures"].items(), key=lambda kv: -kv[1]))
    return text + (f"   ({kinds})" if kinds else "")


def psql(sql: str) -> None:
    subprocess.run(["psql", PG_ADMIN, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql], check=True, capture_output=True, timeout=60)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    n = args.users

    work = Path(tempfile.mkdtemp(prefix="cchc-write-contention-"))
    pg_created = False
    try:
        var = work / "var"
        env = site_env(var)
        print(f"Preparing a SQLite site in {work} (scripts/start's steps, one plan, {n} officers) ...", flush=True)
        prepare_site(env)
        rows = shell(env, SETUP % {"n": n, "password": PASSWORD})
        if len(rows) < n:
            raise RuntimeError(f"the demo province has only {len(rows)} communes for {n} officers")
        source = var / "cchc.sqlite3"
        with sqlite3.connect(source) as db:  # one file: the -wal is folded in before the copies
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        before_db, after_db = work / "before.sqlite3", work / "after.sqlite3"
        shutil.copy(source, before_db)
        shutil.copy(source, after_db)
        with sqlite3.connect(before_db) as db:
            db.execute("PRAGMA journal_mode=DELETE")
        (work / "legacy").mkdir()
        (work / "legacy" / "bench_legacy_settings.py").write_text(LEGACY_SETTINGS)

        runs = [
            ("SQLite before (deferred)", site_env(var, DATABASE_URL=f"sqlite:///{before_db}",
                                                  DJANGO_SETTINGS_MODULE="bench_legacy_settings",
                                                  PYTHONPATH=f"{work / 'legacy'}:{ROOT}")),
            ("SQLite after (WAL, IMMEDIATE)", site_env(var, DATABASE_URL=f"sqlite:///{after_db}")),
        ]
        report = [(label, run(label, run_env, rows, work)) for label, run_env in runs]

        if not args.no_postgres:
            psql(f"DROP DATABASE IF EXISTS {PG_NAME}")
            psql(f"CREATE DATABASE {PG_NAME}")
            pg_created = True
            pg_env = site_env(work / "var-pg", DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{PG_NAME}")
            print("Preparing the same site on PostgreSQL ...", flush=True)
            prepare_site(pg_env)
            pg_rows = shell(pg_env, SETUP % {"n": n, "password": PASSWORD})
            report.append(("PostgreSQL", run("PostgreSQL", pg_env, pg_rows, work)))

        print()
        print(f"{n} officers at once, real HTTP (CSRF, form tokens), server: {serving_command()}")
        print(f"{'':<30} {'':<14} {'posts':>5} {'failures':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'once':>8}")
        for label, result in report:
            print(line(label, "record output", result["outputs"], n))
            print(line(label, "save report", result["reports"], n))
        after = [r for label, r in report if not label.startswith("SQLite before")]
        met = all(sum(r[k]["failures"].values()) == 0 and r[k]["once"] == n for r in after for k in ("outputs", "reports"))
        print(f"\nafter: {'no failure and every write present exactly once (goal met)' if met else 'goal NOT met'}")
        return 0 if met else 1
    finally:
        if pg_created:
            try:
                psql(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
            except subprocess.SubprocessError as exc:
                print(f"could not drop {PG_NAME}: {exc}", file=sys.stderr)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
