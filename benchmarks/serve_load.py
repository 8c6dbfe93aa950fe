"""The README's server under 50 concurrent users: `bash scripts/start` (gunicorn) against `cchc runserver`.

    python benchmarks/serve_load.py [--requests 2000] [--clients 50]

Builds a throw-away site in a temporary CCHC_VAR_DIR (the steps of scripts/start, and the seed plan
004 imported into the demo province), then for each server, started on a free port the way the README
does: every client logs in as the province supervisor and, with a new connection per request, asks
in turn for the home page and the plan's page until the requests are spent (at most 5 minutes).
Prints the number of requests, errors (refused connections, non-200 answers), p50/p95/p99 latency and
throughput for each page, "before" (runserver) beside "after" (scripts/start). Goal after: no error,
p95 under 300 ms.
"""

from __future__ import annotations

import argparse
import os
import itertools
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _serving import (  # noqa: E402
    HEADER, READER, ROOT, VENV_BIN, Client, ConnectionFailed, free_port, percentile, prepare_site, site_env,
    start, stop, summary, wait_ready,
)

TIME_LIMIT = 300


def login_all(port: int, clients: int) -> list[Client]:
    """Every client logs in before the clock starts; a refused connection is tried again."""
    logged: list[Client] = []
    for _ in range(clients):
        client = Client(port)
        for attempt in range(20):
            try:
                client.login(READER)
                break
            except ConnectionFailed:
                time.sleep(0.2 * (attempt + 1))
        else:
            raise RuntimeError("a client could not log in after 20 tries")
        logged.append(client)
    return logged


def load(port: int, pages: dict[str, str], requests: int, clients: int) -> tuple[dict, float]:
    users = login_all(port, clients)
    counter = itertools.count()
    lock = threading.Lock()
    results = {name: {"times": [], "errors": 0, "kinds": {}} for name in pages}
    names = list(pages)
    deadline = time.monotonic() + TIME_LIMIT

    def run(client: Client):
        while time.monotonic() < deadline:
            i = next(counter)
            if i >= requests:
                return
            name = names[i % len(names)]
            t0 = time.perf_counter()
            try:
                status, _headers, _body = client.request("GET", pages[name])
                kind = None if status == 200 else f"HTTP {status}"
            except ConnectionFailed as exc:
                kind = f"connection: {exc}"[:60]
            elapsed = time.perf_counter() - t0
            with lock:
                entry = results[name]
                if kind is None:
                    entry["times"].append(elapsed)
                else:
                    entry["errors"] += 1
                    entry["kinds"][kind] = entry["kinds"].get(kind, 0) + 1

    threads = [threading.Thread(target=run, args=(c,)) for c in users]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=50)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="cchc-serve-load-"))
    proc = None
    try:
        env = site_env(work / "var")
        print(f"Preparing a site in {work} (migrate, load-units, load-demo, collectstatic, one plan) ...", flush=True)
        info = prepare_site(env)
        print(f"  ready in {info['seconds']:.0f} s; plan {info['plan']}", flush=True)
        pages = {"home page /": "/", f"plan page /ke-hoach/{info['plan']}/": f"/ke-hoach/{info['plan']}/"}
        servers = [
            ("before: cchc runserver", lambda port: [str(VENV_BIN / "cchc"), "runserver", f"127.0.0.1:{port}", "--noreload"]),
            ("after: bash scripts/start", lambda port: ["bash", str(ROOT / "scripts" / "start")]),
        ]
        report = []
        for label, command in servers:
            port = free_port()
            server_env = dict(env, PORT=str(port))
            proc = start(command(port), server_env, work / f"server-{port}.log")
            wait_ready(port, proc=proc)
            print(f"{label}: {args.clients} clients, {args.requests} requests on 127.0.0.1:{port} ...", flush=True)
            results, seconds = load(port, pages, args.requests, args.clients)
            stop(proc)
            proc = None
            report.append((label, results, seconds))

        print()
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end (other work shares the cores)")
        print(f"{args.clients} concurrent logged-in clients, a new connection per request, {args.requests} requests")
        print(HEADER)
        for label, results, seconds in report:
            print(label)
            every = [t for r in results.values() for t in r["times"]]
            for name, r in results.items():
                print(summary(f"  {name}", r["times"], r["errors"], seconds))
                for kind, n in sorted(r["kinds"].items(), key=lambda kv: -kv[1])[:3]:
                    print(f"      {n} × {kind}")
            print(summary("  all", every, sum(r["errors"] for r in results.values()), seconds))
        after = report[-1][1]
        every = [t for r in after.values() for t in r["times"]]
        errors = sum(r["errors"] for r in after.values())
        p95 = percentile(every, 95) * 1000
        print(f"\nafter: {errors} errors (goal 0), p95 {p95:.0f} ms (goal under 300 ms): "
              f"{'met' if errors == 0 and p95 < 300 else 'NOT met'}")
        return 0
    finally:
        stop(proc)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
