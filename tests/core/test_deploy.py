"""The production files in deploy/ and config/gunicorn.conf.py: nginx accepts its configuration, the
environment example names every variable the platform reads, gunicorn reads its settings from the
environment."""

from __future__ import annotations

import os
import re
import runpy
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
NGINX_CONF = (DEPLOY / "nginx" / "cchc.conf").read_text()


def _nginx_available() -> bool:
    return bool(shutil.which("nginx") or Path("/usr/sbin/nginx").exists() or (os.geteuid() == 0 and shutil.which("apt-get")))


needs_nginx = pytest.mark.skipif(not _nginx_available(), reason="nginx is not installed (apt-get install nginx)")


def _check(deploy: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(deploy / "check-nginx.sh")], capture_output=True, text=True, timeout=300)


@needs_nginx
def test_nginx_accepts_the_configuration(tmp_path):
    result = _check(DEPLOY)
    assert result.returncode == 0, result.stderr
    assert "accepts it" in result.stdout

    # and the check does fail on a broken file
    broken = tmp_path / "deploy"
    shutil.copytree(DEPLOY, broken)
    conf = broken / "nginx" / "cchc.conf"
    conf.write_text(conf.read_text().replace("client_max_body_size 25m;", "client_max_body_size 25m"))
    result = _check(broken)
    assert result.returncode != 0
    assert "cchc.conf" in result.stderr


def _directive(name: str, text: str = NGINX_CONF) -> list[str]:
    return re.findall(rf"^\s*{name}\s+([^;]+);", text, flags=re.MULTILINE)


def _location(path: str) -> str:
    """The block of `location PATH` in the https server (the last server of the file)."""
    https = NGINX_CONF.rsplit("server {", 1)[1]
    match = re.search(rf"location {re.escape(path)} \{{(.*?)\n    \}}", https, flags=re.DOTALL)
    assert match, path
    return match.group(1)


def test_nginx_takes_the_largest_upload_and_never_retries_a_post(settings):
    (size,) = _directive("client_max_body_size")
    request_limit = getattr(settings, "CCHC_MAX_REQUEST_BYTES", settings.CCHC_MAX_UPLOAD_BYTES)
    assert int(size.rstrip("m")) * 1024 * 1024 >= max(request_limit, settings.CCHC_MAX_UPLOAD_BYTES + 1024 * 1024)
    (next_upstream,) = _directive("proxy_next_upstream")
    assert next_upstream.split() == ["error", "timeout"]  # without non_idempotent: a POST is not sent twice
    assert len(_directive("server", NGINX_CONF.split("upstream cchc_app {")[1].split("}")[0])) == 2
    assert "return 301 https://$host$request_uri" in NGINX_CONF
    assert _directive("ssl_protocols") == ["TLSv1.2 TLSv1.3"]
    app = _location("/")
    for header in ("X-Forwarded-For $proxy_add_x_forwarded_for", "X-Forwarded-Proto $scheme", "Host $host"):
        assert f"proxy_set_header {header};" in app


def test_uploaded_files_are_only_downloads_reached_through_the_application(settings):
    media = _location("/protected-media/")  # /media/ itself goes to the application, which checks
    assert "internal;" in media
    assert 'add_header Content-Disposition "attachment" always;' in media
    assert "add_header X-Content-Type-Options nosniff always;" in media
    assert f"alias {Path(settings.MEDIA_ROOT).name}" not in media  # the path is the server's, not this checkout's
    assert "alias /var/lib/cchc/media/;" in media and "alias /var/lib/cchc/static/;" in _location("/static/")


def _variables_read_by_the_code() -> set[str]:
    pattern = re.compile(r"""(?:environ\.get|env_bool|env_list|env_int|require|_int)\(\s*["']([A-Z][A-Z0-9_]+)["']""")
    files = [*(ROOT / "config").rglob("*.py"), *(ROOT / "cchc").rglob("*.py")]
    return {name for f in files for name in pattern.findall(f.read_text(encoding="utf-8"))}


def test_the_environment_example_names_every_variable_the_platform_reads():
    example = (DEPLOY / "cchc.env.example").read_text()
    named = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", example, flags=re.MULTILINE))
    read = _variables_read_by_the_code()
    assert {"DATABASE_URL", "SECRET_KEY", "CACHE_URL", "CELERY_BROKER_URL", "WEB_CONCURRENCY"} <= read
    assert read - named == set(), "add these to deploy/cchc.env.example"
    assert "DJANGO_SETTINGS_MODULE=config.settings.production" in example


def test_the_units_start_what_the_repository_has():
    web = (DEPLOY / "systemd" / "cchc-web.service").read_text()
    assert "gunicorn --config /srv/cchc/config/gunicorn.conf.py config.wsgi" in web
    assert (ROOT / "config" / "gunicorn.conf.py").exists() and (ROOT / "config" / "wsgi.py").exists()
    for unit, command in (("cchc-worker", "celery --app config worker"), ("cchc-beat", "celery --app config beat")):
        text = (DEPLOY / "systemd" / f"{unit}.service").read_text()
        assert command in text and "EnvironmentFile=/etc/cchc/cchc.env" in text
    assert (ROOT / "config" / "celery.py").exists()


def _gunicorn(monkeypatch, **env) -> dict:
    for name in ("PORT", "GUNICORN_BIND", "WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_MAX_REQUESTS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))


def test_gunicorn_listens_on_the_loopback_with_workers_for_the_cores(monkeypatch):
    conf = _gunicorn(monkeypatch)
    assert conf["bind"] == "127.0.0.1:8000"
    assert conf["workers"] == 2 * os.cpu_count() + 1 and conf["threads"] >= 2
    assert conf["max_requests"] > 0 and 0 < conf["max_requests_jitter"] < conf["max_requests"]
    assert conf["timeout"] > 0 and conf["graceful_timeout"] > 0 and conf["accesslog"] == "-"
    assert conf["limit_request_line"] <= 8190 and conf["limit_request_fields"] <= 100

    conf = _gunicorn(monkeypatch, PORT="8123", WEB_CONCURRENCY="3", GUNICORN_MAX_REQUESTS="50")
    assert (conf["bind"], conf["workers"], conf["max_requests"], conf["max_requests_jitter"]) == ("127.0.0.1:8123", 3, 50, 5)
