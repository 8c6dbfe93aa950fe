"""Scale-out: nginx in front of two gunicorn app servers on one PostgreSQL database, with the cache and
the sessions in Redis; one app server is killed (SIGKILL) under load and started again.

    python benchmarks/scale_out.py [--requests 1500] [--clients 30] [--redis-db 13]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres), Redis on 127.0.0.1:6379 and Debian's nginx
(installed with apt-get when missing and running as root). Creates and drops the database
cchc_bench_scale, empties only the chosen Redis database before and after, and runs everything in a
temporary folder on free ports.

The nginx site is deploy/nginx/cchc.conf's application block (`proxy_next_upstream error timeout`:
idempotent requests go to the other server, a POST that reached a server is never sent twice),
served over plain http on the loopback. Clients log in (the session is made on one server and
read on the other), read the home page, the plan page and their unit's outputs, and record outputs
through the real form with its CSRF token. A client sends a POST again only when its connection to
nginx failed; a 502 (the server died with the request in flight) is not retried, since the output
may have been written. At 40 % of the requests app server A is killed; at 60 % it is started again.

Prints requests, errors, the requests nginx passed to the other server, the POSTs resent by clients,
and checks every write: each output whose POST got its success answer is in the database exactly
once, and none is there twice.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _serving import (  # noqa: E402
    HEADER, READER, ROOT, SUCCESS_REDIRECT, VENV_BIN, WRITER, Client, ConnectionFailed, cchc, form_fields,
    free_port, prepare_site, site_env, start, stop, summary, wait_ready,
)

DATABASE = "cchc_bench_scale"
PG = ["-h", "127.0.0.1", "-p", "5432", "-U", "postgres"]
TIME_LIMIT = 400
WRITE_SHARE = 0.2


def psql(sql: str) -> None:
    subprocess.run(["psql", *PG, "-d", "postgres", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True,
                   stdout=subprocess.DEVNULL)


def redis(db: int, *command: str) -> None:
    subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", "6379", "-n", str(db), *command], check=True,
                   stdout=subprocess.DEVNULL)


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx", shell=True,
                       check=True, stdout=subprocess.DEVNULL)
        return shutil.which("nginx") or "/usr/sbin/nginx"
    raise SystemExit("nginx is missing: apt-get install nginx (as root), then run this again.")


def nginx_conf(prefix: Path, port: int, app_ports: list[int], static_root: Path) -> Path:
    """deploy/nginx/cchc.conf's upstream and application location, in a plain-http server on the loopback."""
    deployed = (ROOT / "deploy" / "nginx" / "cchc.conf").read_text()
    https = deployed.rsplit("server {", 1)[1]
    app = re.search(r"\n    location / \{.*?\n    \}", https, flags=re.DOTALL).group(0)
    upstream = re.search(r"upstream cchc_app \{.*?\n\}", deployed, flags=re.DOTALL).group(0)
    upstream = re.sub(r"\n    server [^\n]*", "", upstream).replace(
        "upstream cchc_app {", "upstream cchc_app {" + "".join(
            f"\n    server 127.0.0.1:{p} max_fails=2 fail_timeout=10s;" for p in app_ports))
    for d in ("logs", "body", "proxy"):
        (prefix / d).mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(f"""
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
worker_processes 1;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    log_format up '$request_method $uri $status "$upstream_addr" "$upstream_status" $request_time';
    access_log {prefix}/logs/access.log up;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    {upstream}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 25m;
        location /static/ {{ alias {static_root}/; }}
        {app}
    }}
}}
""")
    return conf


class Run:
    def __init__(self, port: int, info: dict, requests: int, clients: int):
        self.port, self.info, self.requests, self.clients = port, info, requests, clients
        self.counter = itertools.count()
        self.lock = threading.Lock()
        self.done = 0
        self.times: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.kinds: dict[str, int] = {}
        self.written: list[str] = []  # titles whose POST got the success answer
        self.unknown: list[str] = []  # titles whose POST got 502: in flight when the server died
        self.resent = 0  # POSTs sent again after a connection error to nginx
        self.rejected: list[str] = []

    def _note(self, name: str, elapsed: float, kind: str | None) -> None:
        with self.lock:
            self.done += 1
            if kind is None:
                self.times.setdefault(name, []).append(elapsed)
            else:
                self.errors[name] = self.errors.get(name, 0) + 1
                self.kinds[f"{name}: {kind}"] = self.kinds.get(f"{name}: {kind}", 0) + 1

    def _get(self, client: Client, name: str, path: str) -> str | None:
        t0 = time.perf_counter()
        try:
            status, _h, body = client.request("GET", path)
            kind = None if status == 200 else f"HTTP {status}"
        except ConnectionFailed as exc:
            status, body, kind = 0, "", f"connection: {exc}"[:50]
        self._note(name, time.perf_counter() - t0, kind)
        return body if kind is None else None

    def _write(self, client: Client, rng: random.Random) -> None:
        path = f"/san-pham/don-vi/{self.info['unit']}/them/"
        html = self._get(client, "output form (GET)", path)
        if html is None:
            return
        fields = form_fields(html)
        title = f"scale-{uuid.uuid4().hex[:12]}"
        fields.update({"serves": "", "title": title, "quantity": "1", "date": time.strftime("%d/%m/%Y"),
                       "channel": "Trang thông tin điện tử xã"})
        fields.pop("another", None)
        t0 = time.perf_counter()
        for attempt in range(3):
            try:
                status, headers, body = client.request("POST", path, fields)
                break
            except ConnectionFailed as exc:
                with self.lock:
                    self.resent += 1
                if attempt == 2:
                    self._note("output form (POST)", time.perf_counter() - t0, f"connection: {exc}"[:50])
                    return
                time.sleep(0.5)
        elapsed = time.perf_counter() - t0
        if status == 302 and SUCCESS_REDIRECT.match(headers.get("Location", "")):
            self._note("output form (POST)", elapsed, None)
            with self.lock:
                self.written.append(title)
        else:
            self._note("output form (POST)", elapsed, f"HTTP {status}")
            with self.lock:
                (self.unknown if status in (502, 504) else self.rejected).append(
                    title if status in (502, 504) else re.sub(r"\s+", " ", body)[:300])

    def client(self, user: str, seed: int, deadline: float) -> None:
        rng = random.Random(seed)
        client = Client(self.port)
        try:
            client.login(user)
        except (ConnectionFailed, RuntimeError) as exc:
            self._note("login", 0, str(exc)[:50])
            return
        pages = [("home page", "/"), ("plan page", f"/ke-hoach/{self.info['plan']}/"),
                 ("unit outputs", f"/san-pham/don-vi/{self.info['unit']}/")]
        while time.monotonic() < deadline and next(self.counter) < self.requests:
            if user == WRITER and rng.random() < WRITE_SHARE * 2.5:
                self._write(client, rng)
            else:
                # a commune officer does not see the province's plan (404): it reads its unit's outputs instead
                name, path = rng.choice([pages[0], pages[2]] if user == WRITER else pages[:2])
                self._get(client, name, path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--clients", type=int, default=30)
    parser.add_argument("--redis-db", type=int, default=13)
    args = parser.parse_args()

    nginx = nginx_binary()
    work = Path(tempfile.mkdtemp(prefix="cchc-scale-out-"))
    procs: dict[str, subprocess.Popen | None] = {}
    try:
        psql(f"DROP DATABASE IF EXISTS {DATABASE}")
        psql(f"CREATE DATABASE {DATABASE}")
        redis(args.redis_db, "FLUSHDB")
        env = site_env(work / "var", DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
                       CACHE_URL=f"redis://127.0.0.1:6379/{args.redis_db}", CCHC_TRUSTED_PROXY_COUNT="1",
                       WEB_CONCURRENCY="2", GUNICORN_ACCESS_LOG="")
        print(f"Preparing the site on PostgreSQL {DATABASE}, Redis db {args.redis_db} ...", flush=True)
        info = prepare_site(env)
        app_ports = [free_port(), free_port()]
        gunicorn = [str(VENV_BIN / "gunicorn"), "--config", str(ROOT / "config" / "gunicorn.conf.py"), "config.wsgi"]

        def start_app(name: str, port: int) -> None:
            procs[name] = start(gunicorn, dict(env, PORT=str(port)), work / f"app-{name}.log")
            wait_ready(port, proc=procs[name])

        for name, port in zip("AB", app_ports):
            start_app(name, port)
        port = free_port()
        conf = nginx_conf(work / "nginx", port, app_ports, work / "var" / "static")
        procs["nginx"] = subprocess.Popen([nginx, "-p", str(work / "nginx"), "-c", str(conf), "-g", "daemon off;"],
                                          cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                                          start_new_session=True)
        wait_ready(port, proc=procs["nginx"])
        print(f"nginx on 127.0.0.1:{port} → app servers A :{app_ports[0]}, B :{app_ports[1]} (2 workers each)", flush=True)

        run = Run(port, info, args.requests, args.clients)
        deadline = time.monotonic() + TIME_LIMIT
        writers = max(1, args.clients // 3)
        users = [WRITER] * writers + [READER] * (args.clients - writers)
        threads = [threading.Thread(target=run.client, args=(u, i, deadline)) for i, u in enumerate(users)]
        events = []
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        while run.done < args.requests * 0.4 and any(t.is_alive() for t in threads):
            time.sleep(0.05)
        stop(procs["A"], signal.SIGKILL)
        events.append(f"{time.perf_counter() - t0:5.1f} s  app server A killed (SIGKILL) after {run.done} requests")
        while run.done < args.requests * 0.6 and any(t.is_alive() for t in threads):
            time.sleep(0.05)
        t_restart = time.perf_counter()
        start_app("A", app_ports[0])
        events.append(f"{time.perf_counter() - t0:5.1f} s  app server A answers again ({time.perf_counter() - t_restart:.1f} s "
                      f"to start) after {run.done} requests")
        for t in threads:
            t.join()
        seconds = time.perf_counter() - t0

        script = ("import json; from cchc.outputs.models import OutputRecord; from django.db.models import Count; "
                  "print(json.dumps(dict(OutputRecord.objects.filter(title__startswith='scale-')"
                  ".values_list('title').annotate(n=Count('id')))))")
        stored: dict[str, int] = json.loads(cchc(env, "shell", "-c", script, capture=True).strip().splitlines()[-1])
        log = (work / "nginx" / "logs" / "access.log").read_text().splitlines()
        passed_on = [line for line in log if re.search(r'"[^"]*, [^"]*"', line)]

        print()
        print(f"{args.clients} logged-in clients ({writers} recording outputs), {args.requests} requests, {seconds:.0f} s; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        for event in events:
            print(f"  {event}")
        print(HEADER)
        names = sorted(set(run.times) | set(run.errors))
        for name in names:
            print(summary(f"  {name}", run.times.get(name, []), run.errors.get(name, 0), seconds))
        every = [t for ts in run.times.values() for t in ts]
        print(summary("  all", every, sum(run.errors.values()), seconds))
        for kind, n in sorted(run.kinds.items(), key=lambda kv: -kv[1]):
            print(f"      {n} × {kind}")
        print(f"requests nginx passed to the other app server (in flight or refused): {len(passed_on)}"
              f" ({sum(1 for line in passed_on if line.startswith('POST'))} of them POSTs that never reached A)")
        print(f"POSTs resent by clients after a connection error: {run.resent}")
        if run.rejected:
            print(f"POSTs the form refused: {len(run.rejected)}; first: {run.rejected[0][:200]}")
        lost = [t for t in run.written if stored.get(t, 0) == 0]
        doubled = [t for t, n in stored.items() if n > 1]
        unknown_stored = sum(1 for t in run.unknown if stored.get(t, 0) == 1)
        print(f"writes answered with success: {len(run.written)}; in the database exactly once: "
              f"{sum(1 for t in run.written if stored.get(t) == 1)}; lost: {len(lost)}; twice or more: {len(doubled)}")
        print(f"writes whose answer was lost (502, server killed in flight): {len(run.unknown)}, "
              f"of which {unknown_stored} committed before the kill")
        ok = not lost and not doubled and len(stored) <= len(run.written) + len(run.unknown)
        print("no write lost, none doubled" if ok else "WRITES LOST OR DOUBLED")
        return 0 if ok else 1
    finally:
        for proc in procs.values():
            stop(proc)
        try:
            redis(args.redis_db, "FLUSHDB")
            psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        except subprocess.CalledProcessError as exc:
            print(f"clean-up: {exc}", file=sys.stderr)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
