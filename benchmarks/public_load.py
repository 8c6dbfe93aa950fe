"""The public side under load: 50 concurrent anonymous clients for 30 s against the public home, an
article, the news list and a search, beside the same server answering a minimal Django view.

    python benchmarks/public_load.py [--clients 50] [--seconds 30] [--databases sqlite,postgres]

Builds a throw-away site (the steps of scripts/start, with the demo province's public site), publishes
40 articles through the news services, then starts the server as the README does (`bash
scripts/start`: gunicorn) on a free port, with settings that add one minimal view, and runs every page
in turn for the given time with a new connection per request. The load comes from ApacheBench when it is
installed (a C client: the figures are the server's), else from Python threads. Prints, per page,
requests, errors, p50/p95/p99 and throughput, and the ratio of each page's throughput to the minimal view's. Goal: p95
under 100 ms and at least half the minimal view's throughput. On PostgreSQL the database
cchc_bench_public is created and dropped on 127.0.0.1:5432 (user postgres).
"""

from __future__ import annotations

import argparse
import os
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
    HEADER, ROOT, Client, ConnectionFailed, cchc, free_port, percentile, prepare_site, site_env, start, stop,
    summary, wait_ready,
)

PUBLISH = r"""
import datetime as dt
from cchc.accounts.models import User
from cchc.news import services
from cchc.news.models import Article, Category
from cchc.portal.models import PublicSite
site = PublicSite.objects.get(slug="tuyen-quang")
user = User.objects.get(username="giamsat")
category = Category.objects.order_by("order").first()
words = ("cải cách hành chính", "thủ tục hành chính", "dịch vụ công trực tuyến", "chính quyền số", "một cửa")
for i in range(40):
    article = Article(unit=site.unit, title=f"Tuyên truyền {words[i % 5]} số {i + 1}", lead=f"Tin về {words[i % 5]}.",
                      body="<p>" + ("Nội dung tuyên truyền cải cách hành chính của tỉnh Tuyên Quang. " * 40) + "</p>",
                      category=category)
    article = services.save_article(article=article, user=user)
    services.publish(article, user)
last = Article.objects.order_by("-pk").first()
print(f"ARTICLE {site.path(f'tin-tuc/{last.pk}-x/')}")
"""


def load(port: int, path: str, clients: int, seconds: float) -> dict:
    times: list[float] = []
    errors = {"n": 0}
    kinds: dict[str, int] = {}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def run():
        client = Client(port)
        while time.monotonic() < deadline:
            t0 = time.perf_counter()
            try:
                status, headers, _body = client.request("GET", path)
                client.cookies.clear()  # an anonymous visitor: no session, no CSRF cookie
                ok = status == 200
                kind = f"HTTP {status}"
            except ConnectionFailed as exc:
                ok, kind = False, str(exc)[:60]
            elapsed = time.perf_counter() - t0
            with lock:
                if ok:
                    times.append(elapsed)
                else:
                    errors["n"] += 1
                    kinds[kind] = kinds.get(kind, 0) + 1

    threads = [threading.Thread(target=run) for _ in range(clients)]
    start_time = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"times": times, "errors": errors["n"], "kinds": kinds, "seconds": time.perf_counter() - start_time}


def load_ab(port: int, path: str, clients: int, seconds: float) -> dict:
    """The same load from ApacheBench (apache2-utils), a client written in C: the figures are then the
    server's, not those of fifty Python threads sharing its two cores. Returns the same fields, with
    the percentiles that ab prints (ms)."""
    out = subprocess.run(
        ["ab", "-q", "-l", "-c", str(clients), "-t", str(int(seconds)), "-n", "10000000", "-s", "30",
         f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, timeout=seconds + 120,
    ).stdout

    def number(pattern, default=0.0):
        found = re.search(pattern, out, re.M)
        return float(found.group(1)) if found else default

    done = int(number(r"^Complete requests:\s+(\d+)"))
    failed = int(number(r"^Failed requests:\s+(\d+)")) + int(number(r"^Non-2xx responses:\s+(\d+)"))
    percent = {int(p): float(v) / 1000 for p, v in re.findall(r"^\s+(\d+)%\s+(\d+)", out, re.M)}
    elapsed = number(r"^Time taken for tests:\s+([\d.]+)", seconds)
    return {"ab": True, "done": done - failed, "errors": failed, "kinds": {}, "seconds": elapsed,
            "p50": percent.get(50), "p95": percent.get(95), "p99": percent.get(99)}


def _row(name: str, r: dict) -> str:
    if not r.get("ab"):
        return summary(f"  {name}", r["times"], r["errors"], r["seconds"])
    n = r["done"] + r["errors"]
    return (f"{'  ' + name:<34} {n:>6} {r['errors']:>6} {r['p50'] * 1000:>8.0f} {r['p95'] * 1000:>8.0f} "
            f"{r['p99'] * 1000:>8.0f} {r['done'] / r['seconds']:>8.1f}")


def _rate(r: dict) -> float:
    return (r["done"] if r.get("ab") else len(r["times"])) / r["seconds"]


def _p95_ms(r: dict) -> float:
    return r["p95"] * 1000 if r.get("ab") else percentile(r["times"], 95) * 1000


def _resolve_article(port: int, path: str) -> str:
    """The article's real address (the slug part redirects to the canonical one)."""
    status, headers, _ = Client(port).request("GET", path)
    return headers.get("Location", path) if status in (301, 302) else path


def run_database(label: str, env: dict, work: Path, clients: int, seconds: float, client: str = "python") -> list[tuple[str, dict]]:
    print(f"[{label}] preparing a site (migrate, load-units, load-demo, collectstatic, one plan, 40 articles) ...", flush=True)
    prepare_site(env)
    out = cchc(env, "shell", "-c", PUBLISH, capture=True)
    article = next(line.split(" ", 1)[1] for line in out.splitlines() if line.startswith("ARTICLE "))
    port = free_port()
    # the benchmark's settings module lives in benchmarks/, importable from the checkout
    server_env = dict(env, PORT=str(port), DJANGO_SETTINGS_MODULE="benchmarks.public_settings", PYTHONPATH=str(ROOT))
    proc = start(["bash", str(ROOT / "scripts" / "start")], server_env, work / f"server-{label}.log")
    try:
        wait_ready(port, path="/_toi-thieu/", proc=proc)
        article = _resolve_article(port, article)
        pages = [("minimal Django view", "/_toi-thieu/"), ("public home", "/cong/tuyen-quang/"),
                 ("article", article), ("news list", "/cong/tuyen-quang/tin-tuc/"),
                 ("search 'cai cach hanh chinh'", "/cong/tuyen-quang/tin-tuc/?q=cai+cach+hanh+chinh")]
        results = []
        for name, path in pages:
            if proc.poll() is not None:
                raise RuntimeError(f"the server stopped (exit {proc.returncode})")
            Client(port).request("GET", path)  # warm the page's cache once
            print(f"[{label}] {name}: {clients} clients for {seconds:.0f} s ...", flush=True)
            results.append((name, (load_ab if client == "ab" else load)(port, path, clients, seconds)))
        return results
    except Exception:
        log = work / f"server-{label}.log"
        print(f"[{label}] the server's log ends with:\n" + "\n".join(log.read_text(errors="replace").splitlines()[-40:]))
        raise
    finally:
        stop(proc)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--client", choices=("python", "ab"), default="ab" if shutil.which("ab") else "python",
                        help="the load generator: ApacheBench when installed (apt-get install apache2-utils), "
                             "else Python threads (default: %(default)s)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cchc-public-load-"))
    report = []
    try:
        for database in args.databases.split(","):
            extra = {}
            if database == "postgres":
                subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", "DROP DATABASE IF EXISTS cchc_bench_public"], check=True)
                subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", "CREATE DATABASE cchc_bench_public"], check=True)
                extra["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/cchc_bench_public"
            env = site_env(work / database, **extra)
            report.append((database, run_database(database, env, work, args.clients, args.seconds, args.client)))
    finally:
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", "DROP DATABASE IF EXISTS cchc_bench_public"],
                       check=False, capture_output=True)
        shutil.rmtree(work, ignore_errors=True)

    print()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end")
    print(f"{args.clients} concurrent anonymous clients ({'ApacheBench' if args.client == 'ab' else 'Python threads'}), "
          f"{args.seconds:.0f} s per page, a new connection per request")
    verdicts = []
    for database, results in report:
        print(f"\n{database}\n{HEADER} {'× minimal':>10}")
        minimal = _rate(results[0][1])
        for name, r in results:
            rate = _rate(r)
            print(_row(name, r) + f" {rate / minimal if minimal else 0:>10.2f}")
            for kind, n in sorted(r["kinds"].items(), key=lambda kv: -kv[1])[:3]:
                print(f"      {n} × {kind}")
            if name != "minimal Django view":
                p95 = _p95_ms(r)
                verdicts.append((database, name, p95 < 100 and rate >= minimal / 2 and r["errors"] == 0, p95, rate / minimal))
    print()
    for database, name, met, p95, ratio in verdicts:
        print(f"{database:<9} {name:<30} p95 {p95:6.0f} ms, {ratio:4.2f}× minimal: {'met' if met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
