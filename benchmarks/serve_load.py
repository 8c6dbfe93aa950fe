"""The README's server under 50 concurrent users: `bash scripts/start` (gunicorn) against `cchc runserver`.

    python benchmarks/serve_load.py [--requests 6000] [--clients 50] [--client ab|python]

Builds a throw-away site in a temporary CCHC_VAR_DIR (the steps of scripts/start, and the seed plan
004 imported into the demo province), then for each server, started on a free port the way the README
does, 50 clients signed in as the province supervisor ask, with a new connection per request, for the
home page and the plan's page until the requests are spent (at most 5 minutes). The clients are
ApacheBench (apache2-utils, written in C: half of them on each page, each half with its own session)
when it is installed, else Python threads (each with its own session, alternating the two pages),
which spend a good part of the same two cores themselves. Prints the number of requests, errors
(refused connections, non-200 answers), p50/p95/p99 latency and throughput for each page, "before"
(runserver) beside "after" (scripts/start). Goal after: no error, p95 under 300 ms.
"""

from __future__ import annotations

import argparse
import os
import itertools
import shutil
import subprocess
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


def load_ab(port: int, pages: dict[str, str], requests: int, clients: int, work: Path) -> tuple[dict, float]:
    """Half the clients on each page, from one ApacheBench each, all at once; every request's time is
    read from ab's per-request file (-g) so that the percentiles of both pages together are exact."""
    procs = []
    for n, (name, path) in enumerate(pages.items()):
        user = login_all(port, 1)[0]
        cookie = "; ".join(f"{k}={v}" for k, v in user.cookies.items())
        samples = work / f"ab-{port}-{n}.tsv"
        # -t before -n: ab's -t alone means 50,000 requests
        command = ["ab", "-q", "-l", "-r", "-t", str(TIME_LIMIT), "-c", str(clients // len(pages)),
                   "-n", str(requests // len(pages)), "-s", "30", "-g", str(samples), "-H", f"Cookie: {cookie}",
                   f"http://127.0.0.1:{port}{path}"]
        procs.append((name, samples, subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)))
    t0 = time.perf_counter()
    results = {}
    for name, samples, proc in procs:
        out, _ = proc.communicate(timeout=TIME_LIMIT + 120)

        def number(label: str) -> int:
            for line in out.splitlines():
                if line.startswith(label):
                    return int(line.split(":")[1].split()[0])
            return 0

        errors = number("Failed requests") + number("Non-2xx responses")
        times = []
        if samples.exists():
            for line in samples.read_text().splitlines()[1:]:
                cols = line.split("\t")
                if len(cols) >= 5 and cols[4].isdigit():
                    times.append(int(cols[4]) / 1000)
        kinds = {"failed or non-200 (ab)": errors} if errors else {}
        # ab's file does not say which requests failed: the fastest are left out (the percentiles of
        # the rest can only be worse than the truth).
        times.sort()
        results[name] = {"times": times[errors:], "errors": errors, "kinds": kinds}
    return results, time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=6000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--client", choices=("ab", "python"), default="ab" if shutil.which("ab") else "python",
                        help="the load generator (default: ApacheBench when installed)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="cchc-serve-load-"))
    proc = None
    try:
        env = site_env(work / "var")
        print(f"Preparing a site in {work} (migrate, load-units, load-demo, collectstatic, one plan) ...", flush=True)
        info = prepare_site(env)
        print(f"  ready in {info['seconds']:.0f} s; plan {info['plan']}", flush=True)
        pages = {"home page /": "/", f"plan page /ke-hoach/{info['plan']}/": f"/ke-hoach/{info['plan']}/"}
        start_command = lambda port: ["bash", str(ROOT / "scripts" / "start")]  # noqa: E731
        servers = [
            ("before: cchc runserver", lambda port: [str(VENV_BIN / "cchc"), "runserver", f"127.0.0.1:{port}", "--noreload"], {}),
            ("scripts/start, pages not kept (CCHC_PAGE_CACHE_SECONDS=0)", start_command, {"CCHC_PAGE_CACHE_SECONDS": "0"}),
            ("after: bash scripts/start", start_command, {}),
        ]
        report = []
        for label, command, extra in servers:
            port = free_port()
            server_env = dict(env, PORT=str(port), **extra)
            proc = start(command(port), server_env, work / f"server-{port}.log")
            wait_ready(port, proc=proc)
            print(f"{label}: {args.clients} clients, {args.requests} requests on 127.0.0.1:{port} ...", flush=True)
            if args.client == "ab":
                results, seconds = load_ab(port, pages, args.requests, args.clients, work)
            else:
                results, seconds = load(port, pages, args.requests, args.clients)
            stop(proc)
            proc = None
            report.append((label, results, seconds))

        print()
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end (other work shares the cores)")
        generator = "ApacheBench, half on each page" if args.client == "ab" else "Python threads"
        print(f"{args.clients} concurrent logged-in clients ({generator}), a new connection per request, {args.requests} requests")
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
