"""Hostile uploads against a real server: what each costs the site, and whether the site keeps answering.

    python benchmarks/hostile_uploads.py [--before] [--skip-large]

Starts gunicorn as scripts/start does (config/gunicorn.conf.py, WEB_CONCURRENCY=2) on a free port of
127.0.0.1 with a throw-away SQLite database and var dir, loads the units and the demo users, logs in
as the province supervisor (who imports plans) and a commune officer (who imports outputs), and
uploads each hostile file, built at full size in a temporary folder: a 1 MB .docx whose zip index
understates a 1 GB part, a ~1 MB .docx with 180 MB of text, billion laughs, 5000-deep nesting, a 5 KB
.xlsx with a cell in XFD1048576 (and one that only declares that range), a 16 MB PDF of 100,000 pages, and a 300 MB request body streamed.
Meanwhile a second client asks for the home page without pause. For each upload it prints the
answer (status and message), seconds, the peak memory of the server's process tree (RSS summed
from /proc), the CPU seconds the tree spent, and the home page's p95 during the upload beside its
p95 when idle.

--before  also reads each file with the reader as it was before the limits (the commit before
          them, in-process as the site then did) in a child process capped at 4 GB and 150 s, and
          prints its seconds, CPU and peak memory: the figures the site's own process paid then.
Everything is removed at the end; only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import resource
import select
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from html import unescape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._serving import (  # noqa: E402
    PASSWORD, ROOT, VENV_BIN, Client, cchc, form_fields, free_port, percentile, site_env, start, stop, wait_ready,
)
from tests import hostile_files as hostile  # noqa: E402

SUPERVISOR, OFFICER = "giamsat", "xa.canbo"
BEFORE_COMMIT = "316f18d"  # the last commit whose readers had no streaming limits
PAGE = os.sysconf("SC_PAGE_SIZE")
TICK = os.sysconf("SC_CLK_TCK")


# ------------------------------------------------------------------------ the server's process tree

def _proc_stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds of the process and its reaped children)."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2:].split()
    return int(fields[1]), sum(int(f) for f in fields[11:15]) / TICK


def _tree(root: int) -> dict[int, float]:
    parents: dict[int, tuple[int, float]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (stat := _proc_stat(int(entry))) is not None:
            parents[int(entry)] = stat
    members = {root}
    grew = True
    while grew:
        grew = False
        for pid, (ppid, _cpu) in parents.items():
            if ppid in members and pid not in members:
                members.add(pid)
                grew = True
    return {pid: parents[pid][1] for pid in members if pid in parents}


def _rss(pids) -> int:
    total = 0
    for pid in pids:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            pass
    return total


class TreeWatch:
    """Samples the tree's RSS every 20 ms between start() and stop(); CPU is the difference of the
    tree's own and reaped children's CPU seconds, plus the CPU of processes that ended unreaped."""

    def __init__(self, root: int):
        self.root = root

    def __enter__(self):
        self.peak = 0
        self.cpu_seen: dict[int, float] = {}
        self.start_cpu = sum(_tree(self.root).values())
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.is_set():
            tree = _tree(self.root)
            self.peak = max(self.peak, _rss(tree))
            self._stop.wait(0.02)

    def __exit__(self, *exc):
        time.sleep(0.3)  # let the tree reap what ended
        self._stop.set()
        self._thread.join()
        self.cpu = sum(_tree(self.root).values()) - self.start_cpu


# ----------------------------------------------------------------------------- the home page client

class HomeProbe:
    def __init__(self, client: Client):
        self.client = client
        self.samples: list[tuple[float, float, int]] = []  # (start, seconds, status)
        self._stop = threading.Event()

    def start(self):
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            began = time.monotonic()
            try:
                status, _h, _t = self.client.request("GET", "/")
            except Exception:  # noqa: BLE001 - a failed request counts with its time
                status = 0
            self.samples.append((began, time.monotonic() - began, status))
            self._stop.wait(0.05)

    def stop(self):
        self._stop.set()
        self._thread.join()

    def p95(self, since: float, until: float) -> tuple[float, int]:
        times = [s for began, s, _st in self.samples if since <= began <= until]
        return percentile(times, 95), len(times)


# ------------------------------------------------------------------------------------- the uploads

def _multipart(fields: dict[str, str], file_field: str, name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{name}"\r\n'
                 f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _message(html: str, name: str) -> str:
    text = unescape(re.sub(r"<[^>]+>", "\n", html))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    found = [line for line in lines if name in line or "MB" in line and "lớn" in line]
    return (found[0] if found else next((line for line in lines if line), ""))[:220]


def upload(client: Client, path: str, file_field: str, name: str, data: bytes) -> tuple[int, str]:
    status, _h, html = client.request("GET", path)
    fields = {k: v for k, v in form_fields(html).items() if k in ("csrfmiddlewaretoken", "owner")}
    body, content_type = _multipart(fields, file_field, name, data)
    conn = http.client.HTTPConnection("127.0.0.1", client.port, timeout=120)
    headers = {"Content-Type": content_type, "Referer": f"http://127.0.0.1:{client.port}{path}",
               "Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items()), "Connection": "close"}
    conn.request("POST", path, body=body, headers=headers)
    response = conn.getresponse()
    html = response.read().decode("utf-8", "replace")
    conn.close()
    if response.status == 302:
        return 302, f"accepted → {response.getheader('Location')}"
    return response.status, _message(html, name)


def stream_body(client: Client, path: str, size: int) -> tuple[int, str]:
    """POST `size` bytes with a declared Content-Length, sending until the server answers."""
    sock = socket.create_connection(("127.0.0.1", client.port), timeout=60)
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    sock.sendall((f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{client.port}\r\nCookie: {cookie}\r\n"
                  f"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: {size}\r\n"
                  "Connection: close\r\n\r\n").encode())
    chunk = b"x" * 65536
    sent = 0
    answer = b""
    try:
        while sent < size:
            readable, _w, _x = select.select([sock], [], [], 0)
            if readable:
                break
            sock.sendall(chunk[:size - sent])
            sent += min(len(chunk), size - sent)
    except OSError:
        pass
    sock.settimeout(30)
    try:
        while part := sock.recv(65536):
            answer += part
    except OSError:
        pass
    sock.close()
    head, _sep, body = answer.partition(b"\r\n\r\n")
    status = int(head.split()[1]) if head.startswith(b"HTTP/") else 0
    return status, f"{_message(body.decode('utf-8', 'replace'), 'MB')} (client sent {sent / 1048576:.1f} MB)"


# ------------------------------------------------------------------------------------ before

BEFORE_SCRIPT = r"""
import importlib.util, json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
spec = importlib.util.spec_from_file_location("old_reader", sys.argv[1])
old = importlib.util.module_from_spec(spec); spec.loader.exec_module(old)
from cchc.documents.parser import parse_blocks
from cchc.documents.blocks import DocumentError
data = open(sys.argv[2], "rb").read()
began = time.monotonic()
try:
    if sys.argv[3] == "xlsx":
        from openpyxl import load_workbook
        import io
        ws = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        n = 0
        for values in ws.iter_rows(values_only=True):  # as outputs.spreadsheet.read_rows walked them
            values = list(values or ())
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            n += 1
        answer = f"read {n} filled rows"
    else:
        plan = parse_blocks(old.read_bytes(data, name=sys.argv[4]))
        answer = f"accepted: {len(plan['tasks'])} tasks"
except DocumentError as exc:
    answer = f"refused: {exc}"
except MemoryError:
    answer = "MemoryError at the 4 GB cap"
used = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"answer": answer[:160], "seconds": time.monotonic() - began,
                  "cpu": used.ru_utime + used.ru_stime, "peak": used.ru_maxrss * 1024}))
"""


def before(tmp: Path, name: str, path: Path, kind: str) -> str:
    old = tmp / "old_reader.py"
    if not old.exists():
        old.write_text(subprocess.run(["git", "show", f"{BEFORE_COMMIT}:cchc/documents/reader.py"], cwd=ROOT,
                                      check=True, capture_output=True, text=True).stdout)
    began = time.monotonic()
    try:
        done = subprocess.run([str(VENV_BIN / "python"), "-c", BEFORE_SCRIPT, str(old), str(path), kind, name],
                              cwd=ROOT, capture_output=True, text=True, timeout=150)
    except subprocess.TimeoutExpired:
        return f"before: still reading after {time.monotonic() - began:.0f} s (stopped)"
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return f"before: died (exit {done.returncode}) after {time.monotonic() - began:.1f} s"
    r = json.loads(lines[-1])
    return (f"before: {r['answer'][:90]} | {r['seconds']:.1f} s, CPU {r['cpu']:.1f} s, "
            f"peak {r['peak'] / 1048576:.0f} MB (one process)")


# ------------------------------------------------------------------------------------------ main

def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    options.add_argument("--before", action="store_true", help="also time the reader as it was before the limits")
    options.add_argument("--skip-large", action="store_true", help="leave out the 1 GB and 180 MB documents")
    args = options.parse_args()
    resource.setrlimit(resource.RLIMIT_NOFILE, (4096, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))

    with tempfile.TemporaryDirectory(prefix="cchc-hostile-") as folder:
        tmp = Path(folder)
        (tmp / "var").mkdir()
        port = free_port()
        env = site_env(tmp / "var", PORT=str(port), WEB_CONCURRENCY="2", GUNICORN_ACCESS_LOG="",
                       SECRET_KEY=uuid.uuid4().hex * 2, ALLOWED_HOSTS="127.0.0.1,localhost")
        began = time.monotonic()
        for step in (("migrate", "--noinput"), ("load-units",), ("load-demo",), ("collectstatic", "--noinput", "-v", "0")):
            try:
                cchc(env, *step)
            except subprocess.CalledProcessError as exc:
                sys.exit(f"cchc {' '.join(step)} failed:\n{exc.stderr[-2000:]}")
        unit = cchc(env, "shell", "-c", "from cchc.org.models import Membership; print(Membership.objects.get("
                    f"user__username='{OFFICER}').unit.code)", capture=True).strip().splitlines()[-1]
        print(f"site prepared in {time.monotonic() - began:.0f} s; building the files …", flush=True)

        files = []
        if not args.skip_large:
            files.append(("bom-1gb.docx", lambda: hostile.zip_bomb_docx(1 << 30), "plan", "docx"))
            files.append(("van-ban-180mb.docx", lambda: hostile.repetitive_text_docx(180 << 20, pool=2), "plan", "docx"))
        files += [
            ("billion-laughs.docx", hostile.billion_laughs_docx, "plan", "docx"),
            ("long-nhau-5000.docx", lambda: hostile.deep_docx(5000), "plan", "docx"),
            ("o-cuoi-XFD1048576.xlsx", hostile.xlsx_last_cell, "outputs", "xlsx"),
            ("dimension-XFD1048576.xlsx", hostile.xlsx_declared_range, "outputs", "xlsx"),
            ("100000-trang.pdf", lambda: hostile.pdf(100_000), "plan", "pdf"),
            ("ke-hoach-004.txt", lambda: (ROOT / "tests/data/reader/docs/004_1f5d7e236c7063e7.txt").read_bytes(),
             "plan", "txt"),
        ]
        built = []
        for name, build, target, kind in files:
            path = tmp / name
            path.write_bytes(build())
            built.append((name, path, target, kind))

        log = tmp / "server.log"
        server = start([str(VENV_BIN / "gunicorn"), "--config", str(ROOT / "config/gunicorn.conf.py"), "config.wsgi"],
                       env, log)
        try:
            wait_ready(port, proc=server)
            supervisor, officer, home = Client(port, timeout=120), Client(port, timeout=120), Client(port, timeout=30)
            supervisor.login(SUPERVISOR, PASSWORD)
            officer.login(OFFICER, PASSWORD)
            home.login(SUPERVISOR, PASSWORD)
            # one normal import first, so that each worker's reader process is warm as in a running site
            for _ in range(2):
                upload(supervisor, "/ke-hoach/nhap/", "file", "ke-hoach-004.txt", built[-1][1].read_bytes())
            probe = HomeProbe(home)
            probe.start()
            time.sleep(3)  # warm-up: the first pages of each worker are not the idle figure
            idle_from = time.monotonic()
            time.sleep(8)
            idle_p95, idle_n = probe.p95(idle_from, time.monotonic())
            print(f"\nhome page idle: p95 {idle_p95 * 1000:.0f} ms over {idle_n} requests "
                  f"(server tree {_rss(_tree(server.pid)) / 1048576:.0f} MB)\n")
            print(f"{'file':<28} {'size':>9} {'status':>6} {'seconds':>8} {'peak MB':>8} {'CPU s':>6} "
                  f"{'home p95':>9} {'× idle':>7}  answer")
            plan_path, outputs_path = "/ke-hoach/nhap/", f"/san-pham/don-vi/{unit}/nhap/"
            cases = [(name, path, target, kind) for name, path, target, kind in built]
            cases.append(("body-300mb (streamed)", None, "body", "body"))
            for name, path, target, kind in cases:
                with TreeWatch(server.pid) as watch:
                    started = time.monotonic()
                    if target == "body":
                        status, message = stream_body(supervisor, plan_path, 300 << 20)
                        size = 300 << 20
                    else:
                        data = path.read_bytes()
                        size = len(data)
                        if target == "plan":
                            status, message = upload(supervisor, plan_path, "file", name, data)
                        else:
                            status, message = upload(officer, outputs_path, "file", name, data)
                    seconds = time.monotonic() - started
                    ended = time.monotonic()
                time.sleep(0.5)
                p95, n = probe.p95(started, ended)
                ratio = p95 / idle_p95 if idle_p95 and n else float("nan")
                print(f"{name:<28} {size / 1048576:>7.2f}MB {status:>6} {seconds:>8.2f} {watch.peak / 1048576:>8.0f} "
                      f"{watch.cpu:>6.2f} {p95 * 1000 if n else float('nan'):>7.0f}ms {ratio:>6.1f}×  {message}",
                      flush=True)
                if args.before and path is not None:
                    print(f"{'':<28} {before(tmp, name, path, kind)}", flush=True)
            probe.stop()
            failed = sum(1 for _b, _s, status in probe.samples if status != 200)
            print(f"\nhome page: {len(probe.samples)} requests during the run, {failed} not 200")
            if not args.before:
                print("(run with --before for the old reader's figures on the same files)")
        finally:
            stop(server)


if __name__ == "__main__":
    main()
