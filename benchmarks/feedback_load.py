"""Citizens sending petitions at once: is every one stored exactly once, with its code and its file?

    python benchmarks/feedback_load.py [--submissions 1000] [--clients 200] [--outage 6] [--shared-server]

Builds a throw-away site on PostgreSQL (scripts/start's steps: migrate, load-units, load-demo,
collectstatic — the demo province has its public site at /cong/tuyen-quang/ and a procedure
catalogue), serves it with scripts/start's own serving command (gunicorn with config/gunicorn.conf.py)
on a free port of 127.0.0.1, and sends N petitions from C concurrent clients. Each petition is one
citizen: a GET of the form (CSRF cookie and token, form token), then a multipart POST with a small PDF
attached, from its own address (X-Forwarded-For, the server trusting one proxy as behind nginx, so
the per-address limits hold each citizen and not the benchmark). Every tenth citizen double-clicks:
the same form is posted twice at once.

Run 1: nothing goes wrong. Printed: p50/p95/max of the POSTs, petitions stored per second, and the
check in the database — each petition exactly once, every tracking code unique, each with its file.

Run 2: the same, with the PostgreSQL server stopped (fast shutdown: connections cut) when a third of
the petitions are answered, and started again `--outage` seconds later. A petition answered with
the "Thử lại" page (503) is sent again as its "Thử lại" button does (same fields, same form token, the
file chosen again) after the Retry-After, up to 20 times. Printed: how many got "Thử lại", how many
got anything else (goal 0), and the same check (goal: each exactly once, none without its file).

PostgreSQL: by default a private server made for the run (initdb in a temporary folder as the
`postgres` user, a free port, trust for 127.0.0.1) so that stopping it disturbs no one else;
`--shared-server` uses the machine's cluster on 127.0.0.1:5432 instead (a database created and
dropped by the run) and stops/starts it with pg_ctlcluster — the run starts it again whatever happens.
Traffic goes to 127.0.0.1 only; the run is bounded by --deadline seconds.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _serving import ROOT, cchc, free_port, percentile, site_env, start, stop, wait_ready  # noqa: E402
from write_contention import serving_command  # noqa: E402

SITE = "/cong/tuyen-quang/phan-anh-kien-nghi/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DB_NAME = "cchc_bench_feedback"
RETRIES = 20

CHECK = '''
import json
from collections import Counter
from django.db.models import Count
from cchc.feedback.models import Attachment, Item
rows = list(Item.objects.filter(subject__startswith=%(prefix)r).annotate(files=Count("attachments"))
            .values_list("subject", "code", "files"))
paths = list(Attachment.objects.filter(item__subject__startswith=%(prefix)r).values_list("file", flat=True))
from django.core.files.storage import default_storage
print(json.dumps({"subjects": Counter(s for s, _c, _f in rows), "codes": len({c for _s, c, _f in rows}),
                  "rows": len(rows), "without_file": sum(1 for _s, _c, f in rows if f != 1),
                  "files_missing": sum(1 for p in paths if not default_storage.exists(p))}))
'''


# ---------------------------------------------------------------- PostgreSQL for the run

class PrivateServer:
    """A PostgreSQL server of its own for the run (initdb as the `postgres` user in a temporary folder)."""

    def __init__(self, work: Path):
        self.bin = Path(subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True,
                                       check=True).stdout.strip())
        if not (self.bin / "initdb").exists():
            versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
            if not versions:
                raise RuntimeError("no initdb found: install the PostgreSQL server or use --shared-server")
            self.bin = versions[-1].parent
        self.data = work / "pg"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/{DB_NAME}"
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args, timeout=120):
        subprocess.run([*self.as_postgres, *map(str, args)], check=True, capture_output=True, timeout=timeout)

    def create(self):
        self.data.mkdir(parents=True)
        if self.as_postgres:
            pw = pwd.getpwnam("postgres")
            os.chown(self.data, pw.pw_uid, pw.pw_gid)
            os.chmod(self.data.parent, 0o755)
        self._run(self.bin / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8")
        self.start()
        self._run(self.bin / "createdb", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres", DB_NAME)

    def start(self):
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200 " \
                  "-c fsync=on"
        self._run(self.bin / "pg_ctl", "-D", self.data, "-o", options, "-l", self.data / "log", "-w", "start")

    def stop(self):
        self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def destroy(self):
        try:
            self.stop()
        except subprocess.SubprocessError:
            pass


class SharedServer:
    """The machine's cluster on 127.0.0.1:5432, stopped and started with pg_ctlcluster."""

    def __init__(self):
        clusters = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True).stdout
        line = next((row.split() for row in clusters.splitlines() if row.split()[2:3] == ["5432"]), None)
        if line is None:
            raise RuntimeError("no PostgreSQL cluster on port 5432 (pg_lsclusters)")
        self.version, self.name = line[0], line[1]
        self.url = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
        self.admin = "postgres://postgres@127.0.0.1:5432/postgres"

    def _psql(self, sql):
        subprocess.run(["psql", self.admin, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql], check=True, capture_output=True,
                       timeout=60)

    def create(self):
        self._psql(f"DROP DATABASE IF EXISTS {DB_NAME}")
        self._psql(f"CREATE DATABASE {DB_NAME}")

    def stop(self):
        subprocess.run(["pg_ctlcluster", self.version, self.name, "stop", "-m", "fast"], check=True, timeout=120)

    def start(self):
        subprocess.run(["pg_ctlcluster", self.version, self.name, "start"], check=True, timeout=120)

    def destroy(self):
        try:
            self.start()
        except subprocess.SubprocessError:
            pass  # already running
        for _ in range(30):
            try:
                self._psql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
                return
            except subprocess.SubprocessError:
                time.sleep(1)


# ---------------------------------------------------------------- one citizen

class Citizen:
    """A browser of its own (cookies), on its own network address, speaking to 127.0.0.1 only."""

    def __init__(self, port: int, n: int):
        self.port, self.n = port, n
        self.cookies: dict[str, str] = {}
        self.address = f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"

    def request(self, method: str, path: str, body: bytes | None = None, content_type: str | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Host": f"127.0.0.1:{self.port}", "Connection": "close", "X-Forwarded-For": self.address}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = content_type
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _sep, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers, text


def multipart(fields: dict, files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = []
    for name, value in fields.items():
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, data in files:
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                   f'Content-Type: application/pdf\r\n\r\n'.encode() + data + b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), f"multipart/form-data; boundary={boundary}"


_TOKEN = re.compile(r'name="(csrfmiddlewaretoken|form_token)" value="([^"]+)"')


def petition(port: int, n: int, prefix: str, results: list, lock: threading.Lock, answered: list) -> None:
    """One citizen's petition, from the form to the page with the code (or to giving up)."""
    citizen = Citizen(port, n)
    outcome = {"n": n, "posts": 0, "retry_pages": 0, "other": [], "times": [], "stored": False}
    fields = None
    for attempt in range(RETRIES):  # the form, again if the server could not open it
        try:
            status, _h, html = citizen.request("GET", SITE + "gui/")
        except OSError as exc:
            outcome["other"].append(f"GET {type(exc).__name__}")
            time.sleep(1)
            continue
        if status == 200:
            fields = dict(_TOKEN.findall(html))
            break
        if status == 503 and "Thử lại" in html:
            outcome["retry_pages"] += 1
        else:
            outcome["other"].append(f"GET {status}")
        time.sleep(1)
    if not fields or "form_token" not in fields:
        with lock:
            results.append(outcome)
        return
    fields.update({"name": f"Người gửi {n}", "phone": f"09{n:08d}", "email": "", "address": "",
                   "subject": f"{prefix}{n:05d}", "content": f"Phản ánh thử số {n} về thời hạn giải quyết hồ sơ.",
                   "procedure_text": "", "unit": "", "consent_data": "on", "consent_publish": "on", "website": ""})
    body, content_type = multipart(fields, [("attachments", f"don-{n}.pdf", PDF)])
    clicks = 2 if n % 10 == 0 else 1  # every tenth citizen double-clicks

    def post():
        t0 = time.perf_counter()
        try:
            status, headers, html = citizen.request("POST", SITE + "gui/", body, content_type)
        except OSError as exc:
            return f"connection: {type(exc).__name__}", time.perf_counter() - t0
        elapsed = time.perf_counter() - t0
        if status == 302 and "/phan-anh-kien-nghi/da-gui/" in headers.get("Location", ""):
            return "stored", elapsed
        if status == 503 and "Thử lại" in html:
            return "retry", elapsed
        return f"HTTP {status}", elapsed

    for attempt in range(RETRIES):
        if clicks == 2 and attempt == 0:
            with ThreadPoolExecutor(2) as pool:
                answers = list(pool.map(lambda _i: post(), range(2)))
        else:
            answers = [post()]
        outcome["posts"] += len(answers)
        outcome["times"] += [t for _a, t in answers]
        kinds = [a for a, _t in answers]
        outcome["other"] += [k for k in kinds if k not in ("stored", "retry")]
        if "stored" in kinds:
            outcome["stored"] = True
            break
        outcome["retry_pages"] += kinds.count("retry")
        time.sleep(2)  # Retry-After, then "Thử lại"
    with lock:
        results.append(outcome)
        answered.append(n)


def run(label: str, port: int, count: int, clients: int, prefix: str, deadline: float,
        during=None) -> dict:
    results: list[dict] = []
    answered: list[int] = []
    lock = threading.Lock()
    t0 = time.perf_counter()
    watcher = None
    if during is not None:
        watcher = threading.Thread(target=during, args=(answered, count), daemon=True)
        watcher.start()
    with ThreadPoolExecutor(clients) as pool:
        futures = [pool.submit(petition, port, n, prefix, results, lock, answered) for n in range(count)]
        for future in futures:
            future.result(timeout=max(1.0, deadline - time.monotonic()))
    seconds = time.perf_counter() - t0
    if watcher is not None:
        watcher.join(120)
    times = [t for r in results for t in r["times"]]
    return {"label": label, "seconds": seconds, "results": results, "times": times}


def check(env: dict, prefix: str, count: int) -> dict:
    found = json.loads(cchc(env, "shell", "-c", CHECK % {"prefix": prefix}, capture=True).strip().splitlines()[-1])
    expected = {f"{prefix}{n:05d}" for n in range(count)}
    subjects = found["subjects"]
    return {"once": sum(1 for s in expected if subjects.get(s) == 1),
            "missing": sum(1 for s in expected if s not in subjects),
            "duplicated": sum(1 for s in expected if subjects.get(s, 0) > 1),
            "codes_unique": found["codes"] == found["rows"], "rows": found["rows"],
            "without_file": found["without_file"], "files_missing": found["files_missing"]}


def report(result: dict, found: dict, count: int) -> bool:
    results = result["results"]
    stored = sum(1 for r in results if r["stored"])
    retried = sum(1 for r in results if r["retry_pages"])
    other = [o for r in results for o in r["other"]]
    times = result["times"]
    print(f"\n{result['label']}")
    print(f"  petitions {count}, answered with their code {stored}, POSTs {sum(r['posts'] for r in results)} "
          f"({sum(1 for r in results if r['n'] % 10 == 0)} double clicks)")
    print(f"  POST latency p50 {percentile(times, 50) * 1000:.0f} ms, p95 {percentile(times, 95) * 1000:.0f} ms, "
          f"max {max(times or [0]) * 1000:.0f} ms; {stored / result['seconds']:.1f} petitions stored per second "
          f"({result['seconds']:.1f} s in all)")
    print(f"  got the “Thử lại” page: {retried} petitions ({sum(r['retry_pages'] for r in results)} pages); "
          f"any other answer: {len(other)}" + (f" ({', '.join(sorted(set(other))[:6])})" if other else ""))
    print(f"  database: exactly once {found['once']}/{count}, missing {found['missing']}, duplicated "
          f"{found['duplicated']}, tracking codes unique: {'yes' if found['codes_unique'] else 'NO'}, "
          f"without their file {found['without_file']}, files missing on disk {found['files_missing']}")
    return (found["once"] == count and found["codes_unique"] and not found["without_file"]
            and not found["files_missing"] and stored == count and not other)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--outage", type=float, default=6.0, help="seconds the database is down in run 2")
    parser.add_argument("--shared-server", action="store_true", help="restart the machine's cluster on :5432")
    parser.add_argument("--deadline", type=float, default=1500, help="seconds the whole run may take")
    args = parser.parse_args()
    deadline = time.monotonic() + args.deadline
    socket.setdefaulttimeout(120)

    work = Path(tempfile.mkdtemp(prefix="cchc-feedback-load-"))
    server = SharedServer() if args.shared_server else PrivateServer(work)
    proc = None
    try:
        print(f"PostgreSQL: {'the shared cluster on :5432' if args.shared_server else 'a private server'} ...",
              flush=True)
        server.create()
        env = site_env(work / "var", DATABASE_URL=server.url, CCHC_TRUSTED_PROXY_COUNT="1")
        print("Preparing the site (scripts/start's steps) ...", flush=True)
        for step in (("migrate", "--noinput"), ("load-units",), ("load-demo",),
                     ("collectstatic", "--noinput", "-v", "0")):
            cchc(env, *step)
        port = free_port()
        command = ["bash", "-c", f'source "{ROOT}/scripts/_env.sh" && exec {serving_command()}']
        proc = start(command, dict(env, PORT=str(port)), work / "server.log")
        wait_ready(port, path=SITE + "gui/", timeout=120, proc=proc)
        print(f"Serving on 127.0.0.1:{port} with: {serving_command()}", flush=True)

        first = run("Run 1: no failure", port, args.submissions, args.clients, "bench-1-", deadline)
        ok1 = report(first, check(env, "bench-1-", args.submissions), args.submissions)

        outage = {}

        def restart_midway(answered, count):
            while len(answered) < count // 3 and time.monotonic() < deadline:
                time.sleep(0.05)
            outage["at"] = len(answered)
            t0 = time.perf_counter()
            server.stop()
            outage["stopped"] = time.perf_counter() - t0
            time.sleep(args.outage)
            server.start()
            outage["down"] = time.perf_counter() - t0

        second = run("Run 2: the database stopped and started again midway", port, args.submissions, args.clients,
                     "bench-2-", deadline, during=restart_midway)
        print(f"\n(database stopped after {outage.get('at')} petitions were answered, down "
              f"{outage.get('down', 0):.1f} s)", end="")
        ok2 = report(second, check(env, "bench-2-", args.submissions), args.submissions)
        print(f"\n{'goal met' if ok1 and ok2 else 'goal NOT met'}: every petition stored exactly once with a unique "
              "code and its file; during the outage only “Thử lại” answers")
        return 0 if ok1 and ok2 else 1
    except Exception:
        log = work / "server.log"
        if log.exists():
            print("--- the server's log, last lines ---\n" + "\n".join(log.read_text(errors="replace").splitlines()[-40:]),
                  file=sys.stderr)
        raise
    finally:
        stop(proc)
        server.destroy()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
