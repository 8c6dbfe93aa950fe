"""What serve_load.py and scale_out.py share: a throw-away site, servers on free ports, a logged-in
HTTP client that speaks to 127.0.0.1 only, and the figures of a load run."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
SEED_PLAN = ROOT / "tests" / "data" / "reader" / "docs" / "004_1f5d7e236c7063e7.txt"
PASSWORD = "cchc-demo-2025"
# The demo users (cchc load-demo): the province supervisor reads, a commune officer records outputs.
READER, WRITER = "giamsat", "xa.canbo"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def site_env(var_dir: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "CCHC_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "config.settings.base", "DEBUG": "0",
        "PATH": f"{VENV_BIN}:{env.get('PATH', '')}", "CCHC_DEMO_PASSWORD": PASSWORD,
    })
    env.update(extra)
    return env


def cchc(env: dict, *args: str, capture: bool = False) -> str:
    result = subprocess.run([str(VENV_BIN / "cchc"), *args], cwd=ROOT, env=env, check=True, text=True,
                            stdout=subprocess.PIPE if capture else subprocess.DEVNULL, stderr=subprocess.PIPE)
    return result.stdout if capture else ""


def prepare_site(env: dict) -> dict:
    """The steps of scripts/start (migrate, load-units, load-demo, collectstatic) and one imported plan of
    the demo province; returns the plan's id and the writer's unit code."""
    t0 = time.perf_counter()
    for step in (("migrate", "--noinput"), ("load-units",), ("load-demo",), ("collectstatic", "--noinput", "-v", "0")):
        cchc(env, *step)
    cchc(env, "import-plan", str(SEED_PLAN), "--unit", "08", "--user", READER)
    script = (
        "import json; from cchc.plans.models import Plan; from cchc.org.models import Membership; "
        f"m = Membership.objects.select_related('unit').get(user__username='{WRITER}'); "
        "print(json.dumps({'plan': Plan.objects.order_by('-pk').values_list('pk', flat=True)[0], 'unit': m.unit.code}))"
    )
    info = json.loads(cchc(env, "shell", "-c", script, capture=True).strip().splitlines()[-1])
    info["seconds"] = time.perf_counter() - t0
    return info


def start(cmd: list[str], env: dict, log: Path) -> subprocess.Popen:
    handle = log.open("ab")
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)


def stop(proc: subprocess.Popen | None, sig: int = signal.SIGTERM, wait: float = 20) -> None:
    """Stops the process group this script started (the server and its workers)."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, sig)
        proc.wait(wait)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(5)


def wait_ready(port: int, path: str = "/tai-khoan/dang-nhap/", timeout: float = 300, proc=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server on port {port} stopped (exit {proc.returncode}); see its log")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status < 500:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"nothing answered on 127.0.0.1:{port} within {timeout:.0f} s")


class _Form(HTMLParser):
    """The fields of a page's forms: name -> value (a select's selected option, else its first)."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in {"submit", "button", "file", "checkbox"}:
            self.fields.setdefault(name, a.get("value") or "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and a.get("value"):
            if self._select not in self.fields or "selected" in a:
                self.fields[self._select] = a["value"]
        elif tag == "textarea" and name:
            self.fields.setdefault(name, "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def form_fields(html: str) -> dict[str, str]:
    parser = _Form()
    parser.feed(html)
    return parser.fields


class ConnectionFailed(Exception):
    """The request never reached an application (refused, reset before an answer)."""


@dataclass
class Client:
    """One user's browser: its own cookies, a new connection per request (as the load tools that
    showed the refused connections did)."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 30

    def request(self, method: str, path: str, body: dict | None = None, referer: str | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        headers = {"Host": f"127.0.0.1:{self.port}", "Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = referer or f"http://127.0.0.1:{self.port}{path}"
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (ConnectionError, socket.timeout, http.client.RemoteDisconnected, OSError) as exc:
            raise ConnectionFailed(str(exc) or type(exc).__name__) from exc
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers, text

    def login(self, username: str, password: str = PASSWORD) -> None:
        path = "/tai-khoan/dang-nhap/"
        status, _h, html = self.request("GET", path)
        fields = form_fields(html)
        fields.update({"username": username, "password": password})
        status, headers, _t = self.request("POST", path, fields)
        if status != 302:
            raise RuntimeError(f"login of {username} failed: HTTP {status}")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def summary(name: str, times: list[float], errors: int, seconds: float) -> str:
    n = len(times) + errors
    return (f"{name:<34} {n:>6} {errors:>6} {percentile(times, 50) * 1000:>8.0f} {percentile(times, 95) * 1000:>8.0f} "
            f"{percentile(times, 99) * 1000:>8.0f} {len(times) / seconds if seconds else 0:>8.1f}")


HEADER = f"{'':<34} {'reqs':>6} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>8}"


def python() -> str:
    return str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable


SUCCESS_REDIRECT = re.compile(r"^/san-pham/don-vi/[^/]+/$")
