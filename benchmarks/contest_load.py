"""A thousand people taking part in a knowledge contest at once: is every attempt stored exactly once,
is every second attempt refused, is every score right — and how fast?

    python benchmarks/contest_load.py [--participants 1000] [--deadline 900]

Builds a throw-away site on a fresh PostgreSQL database (cchc_bench_contests on 127.0.0.1:5432, user
postgres; created and dropped by this script) with scripts/start's steps (migrate, load-units,
load-demo, collectstatic), adds a contest of the demo province (Tuyên Quang) with 50 questions and a
round open now (10 questions drawn per attempt, 10 minutes), and serves the platform with
scripts/start's own serving command (gunicorn, config/gunicorn.conf.py) on a free port of 127.0.0.1.
Then N participants (threads, one HTTP connection per request, as browsers without keep-alive) are
released together; each:

  open     GET the round's public page (CSRF cookie, form token, the unit list)
  start    POST her name, phone, CCCD and unit → the attempt's address
  fetch    GET the attempt (the questions drawn for her)
  submit   POST her answers (i mod 11 of them right, so each score is known) and a prediction
  again    POST the start form once more with the same CCCD → must be refused (HTTP 409)

Every participant comes from 127.0.0.1, so the per-address limits on starting and submitting are
lifted for the run (a settings module in the temporary folder); everything else is as served.
Afterwards the database is asked: one attempt per participant, none twice, each score the one her
answers deserve. Printed: p50/p95/p99 of each step, requests per second, participants per second.
Traffic goes to 127.0.0.1 only; the run stops by itself after --deadline seconds at most.

Measured (3 December 2026, 2 cores shared with the 1,000 client threads and other work, load average
5–12; gunicorn with 5 workers × 4 threads; PostgreSQL 127.0.0.1): 1,000 participants at once, all
complete in 94 s — 64 requests/s, 10.7 complete participants/s; every attempt stored once, every
second attempt refused, every score right. p95 per step 16–17 s (second attempt 24 s): with 1,000
in flight and 64 answered a second, each request waits its turn (1,000 / 64 ≈ 16 s) — the latency
is the queue, not the work (a round page alone is 2 queries, ~11 ms in the test client).

What limits a province contest, and how it scales. 100,000 participants over two weeks is ~7,100 a
day, 0.08 a second on average; even with a third of a day's participants in the evening hour after a
broadcast that is ~0.7 a second, under a tenth of what this one shared two-core machine completed.
Each participant costs four or five requests and two writes (the attempt's row on start, its update
on submit); the ranking is one indexed query. The limits, in order: (1) the web workers' CPU
(templates, CSRF, sessions: gunicorn's WEB_CONCURRENCY × GUNICORN_THREADS) — add application servers
behind the load balancer (nginx); they keep no state, so throughput grows with them; (2) PostgreSQL's
connections and writes — a few hundred inserts a second on one modest server; put PgBouncer in front
when workers × threads pass max_connections; 100,000 attempts are ~100 MB; (3) the cache holding the
per-address limits and the unit list — one Redis (CACHE_URL) shared by all servers, otherwise each
process counts alone. The lists and published results are cached pages; the start and attempt pages
are never cached (they hold a CSRF token and personal data).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _serving import (  # noqa: E402
    ROOT, Client, ConnectionFailed, cchc, form_fields, free_port, percentile, site_env, start, stop, wait_ready,
)

PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_NAME = "cchc_bench_contests"
SLUG = "tuyen-quang"
SETTINGS = '''"""The platform as served, with the per-address limits of contests lifted: every participant of the
benchmark comes from 127.0.0.1 (benchmarks/contest_load.py only)."""
from config.settings.base import *  # noqa: F401,F403

CCHC_CONTEST_STARTS_PER_MINUTE = 10**9
CCHC_CONTEST_SUBMITS_PER_MINUTE = 10**9
'''

SETUP = '''
import datetime as dt, io, json
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook
from django.contrib.auth import get_user_model
from cchc.contests import services
from cchc.org.models import Unit
province = Unit.objects.get(code="08")
user = get_user_model().objects.get(username="giamsat")
wb = Workbook(); ws = wb.active; ws.append(list(services.HEADERS))
for i in range(1, 51):
    ws.append([i, f"Câu hỏi số {i} về cải cách hành chính?", f"Phương án A{i}", f"Phương án B{i}", f"Phương án C{i}",
               f"Phương án D{i}", None, None, "A, C" if i % 5 == 0 else "B", f"Giải thích {i}"])
out = io.BytesIO(); wb.save(out)
contest = services.contest_create(user=user, unit=province, title="Hội thi tìm hiểu về cải cách hành chính (đo tải)")
result = services.questions_import_xlsx(user=user, contest=contest, file=SimpleUploadedFile("bank.xlsx", out.getvalue()))
assert result.ok, result.errors
now = timezone.now()
rnd = services.round_create(user=user, contest=contest, title="Đợt 1", opens_at=now - dt.timedelta(minutes=5),
                            closes_at=now + dt.timedelta(hours=6), questions_per_attempt=10, time_limit_seconds=600)
units = [u.pk for u in services.picker_units(contest)]
print(json.dumps({"round": rnd.pk, "units": units,
                  "correct": {str(q.pk): q.correct for q in contest.questions.all()}}))
'''

CHECK = '''
import json
from django.db.models import Count
from cchc.contests.models import Attempt
rows = list(Attempt.objects.filter(round_id=%(round)d).values("name", "score", "status", "unit_id"))
keys = Attempt.objects.filter(round_id=%(round)d).values("person_key").annotate(n=Count("pk")).filter(n__gt=1).count()
print(json.dumps({"rows": rows, "duplicate_keys": keys}))
'''

STEPS = ("open", "start", "fetch", "submit", "again")


def serving_command() -> str:
    text = (ROOT / "scripts" / "start").read_text()
    lines = [line.strip()[len("exec "):] for line in text.splitlines() if line.strip().startswith("exec ")]
    if not lines:
        raise RuntimeError("scripts/start has no `exec` line to serve with")
    return lines[-1]


def psql(sql: str) -> None:
    subprocess.run(["psql", PG_ADMIN, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql], check=True, capture_output=True,
                   timeout=60)


def shell(env: dict, script: str) -> dict:
    try:
        return json.loads(cchc(env, "shell", "-c", script, capture=True).strip().splitlines()[-1])
    except subprocess.CalledProcessError as exc:
        raise RuntimeError(f"cchc shell failed: {exc.stderr[-2000:]}") from None


def person(i: int) -> dict:
    return {"name": f"Người dự thi {i:05d}", "phone": f"09{i:08d}", "citizen_id": f"0381{i:08d}"}


class Run:
    def __init__(self, port: int, setup: dict, n: int, deadline: float):
        self.port, self.setup, self.n, self.deadline = port, setup, n, deadline
        self.times = {s: [] for s in STEPS}
        self.failures: dict[str, int] = {}
        self.expected: dict[str, int] = {}
        self.refused = 0
        self.lock = threading.Lock()
        self.requests = 0

    def _fail(self, step: str, why: str) -> None:
        with self.lock:
            key = f"{step}: {why}"[:80]
            self.failures[key] = self.failures.get(key, 0) + 1

    def _timed(self, step: str, client: Client, method: str, path: str, data: dict | None = None):
        if time.monotonic() > self.deadline:
            raise TimeoutError("the run's deadline passed")
        t0 = time.perf_counter()
        status, headers, text = client.request(method, path, data)
        with self.lock:
            self.times[step].append(time.perf_counter() - t0)
            self.requests += 1
        return status, headers, text

    def participant(self, i: int, barrier: threading.Barrier) -> None:
        client = Client(self.port, timeout=120)
        base = f"/cong/{SLUG}/hoi-thi/{self.setup['round']}/"
        who = person(i)
        unit = self.setup["units"][i % len(self.setup["units"])]
        try:
            barrier.wait()
            status, _h, html = self._timed("open", client, "GET", base)
            if status != 200:
                return self._fail("open", f"HTTP {status}")
            fields = form_fields(html)
            fields.update(who, unit=str(unit), consent="on")
            status, headers, _t = self._timed("start", client, "POST", base, fields)
            location = headers.get("Location", "")
            if status != 302 or "/hoi-thi/bai/" not in location:
                return self._fail("start", f"HTTP {status}")
            status, _h, html = self._timed("fetch", client, "GET", location)
            if status != 200:
                return self._fail("fetch", f"HTTP {status}")
            drawn = list(dict.fromkeys(re.findall(r'name="q(\d+)"', html)))
            right = i % 11  # 0 … 10 right answers
            answers = {"csrfmiddlewaretoken": form_fields(html).get("csrfmiddlewaretoken", ""), "prediction": str(i)}
            body = []
            for n, pk in enumerate(drawn):
                correct = self.setup["correct"][pk]
                chosen = correct if n < right else [3]
                body.extend((f"q{pk}", str(c)) for c in chosen)
            # a list of pairs: an option chosen among several repeats its question's name
            status, headers, _t = self._timed("submit", client, "POST", location, list(answers.items()) + body)
            if status != 302 or not headers.get("Location", "").endswith("/ket-qua/"):
                return self._fail("submit", f"HTTP {status}")
            with self.lock:
                self.expected[who["name"]] = min(right, len(drawn))
            status, _h, html = self._timed("again", client, "GET", base)
            fields = form_fields(html)
            fields.update(who, unit=str(unit), consent="on")
            status, _h, _t = self._timed("again", client, "POST", base, fields)
            if status == 409:
                with self.lock:
                    self.refused += 1
            else:
                self._fail("again", f"HTTP {status} (not refused)")
        except (ConnectionFailed, TimeoutError) as exc:
            self._fail("connection", str(exc) or type(exc).__name__)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--deadline", type=float, default=900, help="seconds after which the run stops")
    args = parser.parse_args()
    n = max(1, min(args.participants, 5000))

    work = Path(tempfile.mkdtemp(prefix="cchc-contest-load-"))
    pg_created, proc = False, None
    try:
        (work / "bench").mkdir()
        (work / "bench" / "bench_contest_settings.py").write_text(SETTINGS)
        psql(f"DROP DATABASE IF EXISTS {PG_NAME}")
        psql(f"CREATE DATABASE {PG_NAME}")
        pg_created = True
        env = site_env(work / "var", DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{PG_NAME}",
                       DJANGO_SETTINGS_MODULE="bench_contest_settings", PYTHONPATH=f"{work / 'bench'}:{ROOT}")
        print(f"Preparing a PostgreSQL site in {work} (scripts/start's steps, a contest of 50 questions) ...",
              flush=True)
        t0 = time.perf_counter()
        for step in (("migrate", "--noinput"), ("load-units",), ("load-demo",), ("collectstatic", "--noinput", "-v", "0")):
            cchc(env, *step)
        setup = shell(env, SETUP)
        print(f"  ready in {time.perf_counter() - t0:.0f} s: round {setup['round']}, {len(setup['units'])} units to pick",
              flush=True)

        port = free_port()
        command = ["bash", "-c", f'source "{ROOT}/scripts/_env.sh" && exec {serving_command()}']
        proc = start(command, dict(env, PORT=str(port), GUNICORN_ACCESS_LOG=""), work / "server.log")
        wait_ready(port, path=f"/cong/{SLUG}/hoi-thi/", proc=proc)
        run = Run(port, setup, n, time.monotonic() + args.deadline)
        barrier = threading.Barrier(n)
        threads = [threading.Thread(target=run.participant, args=(i, barrier), daemon=True) for i in range(n)]
        print(f"{n} participants released together on 127.0.0.1:{port} ...", flush=True)
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(max(1.0, run.deadline - time.monotonic() + 5))
        wall = time.perf_counter() - t0
        stop(proc)
        proc = None

        found = shell(env, CHECK % {"round": setup["round"]})
        by_name: dict[str, list[dict]] = {}
        for row in found["rows"]:
            by_name.setdefault(row["name"], []).append(row)
        once = sum(1 for name in run.expected if len(by_name.get(name, [])) == 1)
        right = sum(1 for name, score in run.expected.items()
                    if len(by_name.get(name, [])) == 1 and by_name[name][0]["score"] == score)

        print()
        print(f"{n} participants at once, PostgreSQL, server: {serving_command()} "
              f"(workers = WEB_CONCURRENCY or 2 × cores + 1, 4 threads each)")
        print(f"{'step':<10} {'reqs':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
        for step in STEPS:
            ts = run.times[step]
            print(f"{step:<10} {len(ts):>6} {percentile(ts, 50) * 1000:>8.0f} {percentile(ts, 95) * 1000:>8.0f} "
                  f"{percentile(ts, 99) * 1000:>8.0f}")
        print(f"\nwall time {wall:.1f} s · {run.requests / wall:.1f} requests/s · "
              f"{len(run.expected) / wall:.1f} participants/s (complete attempts)")
        print(f"attempts submitted: {len(run.expected)}/{n} · stored exactly once: {once} · rows in the database: "
              f"{len(found['rows'])} · person keys stored twice: {found['duplicate_keys']}")
        print(f"scores right: {right}/{len(run.expected)} · second attempts refused: {run.refused}/{len(run.expected)}")
        if run.failures:
            print("failures: " + "; ".join(f"{v} × {k}" for k, v in sorted(run.failures.items(), key=lambda kv: -kv[1])))
        met = (not run.failures and len(run.expected) == n and once == n and right == n and run.refused == n
               and len(found["rows"]) == n and found["duplicate_keys"] == 0)
        print(f"\n{'goal met' if met else 'goal NOT met'}: every attempt stored once, every second attempt refused, "
              "every score right")
        return 0 if met else 1
    finally:
        stop(proc)
        if pg_created:
            try:
                psql(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
            except subprocess.SubprocessError as exc:
                print(f"could not drop {PG_NAME}: {exc}", file=sys.stderr)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
