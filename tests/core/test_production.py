"""The production profile: deploy checks, the secret key, https, the Content-Security-Policy, the
health endpoint, idle sessions, the shared cache and the JSON request log."""

import json
import os
import re
import secrets
import subprocess
import sys
import time
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD, UserFactory


def run_production(tmp_path, *args, code=None, **env):
    """`cchc ARGS` (or `python -c CODE`) with the production settings, in a fresh process."""
    environment = {
        key: value for key, value in os.environ.items()
        if not key.startswith(("SECURE_", "CACHE_", "DJANGO_", "CCHC_")) and key not in {"SECRET_KEY", "ALLOWED_HOSTS"}
    }
    environment.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(45)[:60],
        "ALLOWED_HOSTS": "x",
        "CCHC_VAR_DIR": str(tmp_path),
    })
    environment.update(env)
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "cchc", *args]
    return subprocess.run(command, env=environment, capture_output=True, text=True, timeout=120,
                          cwd=settings.BASE_DIR)


def production_value(tmp_path, expression, **env):
    code = f"import django; django.setup(); from django.conf import settings; print(repr({expression}))"
    result = run_production(tmp_path, code=code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_deploy_check_is_clean_with_the_production_settings(tmp_path):
    result = run_production(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("key", ["k", "x" * 49, "ab" * 40, "django-insecure-" + secrets.token_urlsafe(50)])
def test_a_weak_secret_key_is_refused_with_one_line(tmp_path, key):
    result = run_production(tmp_path, "check", SECRET_KEY=key)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "SECRET_KEY is too weak" in lines[0] and "at least 50" in lines[0]
    assert "Traceback" not in result.stderr


def test_https_redirect_and_hsts_are_on_by_default_and_can_be_left_to_a_tls_proxy(tmp_path):
    expression = "(settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS, settings.SESSION_COOKIE_SECURE)"
    assert production_value(tmp_path, expression) == "(True, 31536000, True)"
    assert production_value(tmp_path, expression, SECURE_SSL_REDIRECT="0", SECURE_HSTS_SECONDS="600") == "(False, 600, True)"


def test_cache_url_gives_a_shared_redis_cache_that_keeps_the_sessions(tmp_path):
    expression = "(settings.CACHES['default']['BACKEND'], settings.CACHES['default']['LOCATION'], settings.SESSION_ENGINE)"
    shared = production_value(tmp_path, expression, CACHE_URL="redis://127.0.0.1:6379/1")
    assert shared == repr(("django.core.cache.backends.redis.RedisCache", "redis://127.0.0.1:6379/1",
                           "django.contrib.sessions.backends.cache"))
    local = production_value(tmp_path, "(settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE)")
    assert local == repr(("django.core.cache.backends.locmem.LocMemCache", "django.contrib.sessions.backends.db"))


def test_production_writes_one_json_line_per_request(tmp_path):
    code = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "response = Client().get('/healthz', HTTP_X_REQUEST_ID='abc-123')\n"
        "print('status', response.status_code, response['X-Request-ID'])\n"
    )
    result = run_production(tmp_path, code=code, ALLOWED_HOSTS="testserver")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[-1].startswith("status 200 ")
    records = [json.loads(line) for line in lines if line.startswith("{")]
    request = [r for r in records if r["logger"] == "cchc.request"]
    assert len(request) == 1
    entry = request[0]
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/healthz", 200)
    assert isinstance(entry["duration_ms"], (int, float)) and entry["user_id"] is None
    # Without trusted proxies the client's X-Request-ID is not taken: the platform makes its own.
    assert re.fullmatch(r"[0-9a-f]{32}", entry["request_id"]) and lines[-1].endswith(entry["request_id"])
    assert entry["level"] == "INFO" and "time" in entry


def test_request_log_names_the_signed_in_user(client, db, caplog):
    user = UserFactory(username="canbo")
    client.force_login(user)
    with caplog.at_level("INFO", logger="cchc.request"):
        response = client.get(reverse("home"))
    entry = [r for r in caplog.records if r.name == "cchc.request"][-1]
    assert (entry.status, entry.user_id, entry.path) == (200, user.pk, "/")
    assert response["X-Request-ID"] == entry.request_id


# ---------------------------------------------------------------- Content-Security-Policy

def test_pages_carry_a_content_security_policy_whose_nonce_the_scripts_use(client, db):
    response = client.get(reverse("accounts:login"))
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'", policy).group(1)
    assert "'unsafe-inline'" not in policy and "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    page = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts, page
    for tag in scripts:
        assert f'nonce="{nonce}"' in tag or " src=" in tag, tag
    # A new nonce for each response.
    again = client.get(reverse("accounts:login"))["Content-Security-Policy"]
    assert nonce not in again


def test_templates_hold_no_inline_style_or_event_handler_attributes():
    """style="" and on...= cannot carry a nonce; the policy blocks them, so none may be written."""
    roots = [settings.BASE_DIR / "cchc"]
    offending = []
    for root in roots:
        for path in root.rglob("templates/**/*.html"):
            text = path.read_text(encoding="utf-8")
            for match in re.finditer(r"<[a-zA-Z][^>]*\s(style|on[a-z]+)\s*=", text):
                offending.append(f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)[:80]}")
            for match in re.finditer(r"<(script|style)\b(?![^>]*\bsrc=)(?![^>]*\bnonce=)[^>]*>", text):
                offending.append(f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)}")
    assert not offending, "\n".join(offending)


# ---------------------------------------------------------------- health

def test_healthz_answers_200_without_login_and_writes_nothing(client, db):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []
    assert "sessionid" not in response.cookies


def test_healthz_answers_503_when_the_database_is_unreachable(client, db):
    with mock.patch("cchc.core.views.connection.cursor", side_effect=OperationalError("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "error", "cache": "ok"}


def test_healthz_answers_503_when_the_cache_is_unreachable(client, db):
    with mock.patch("cchc.core.views.cache.set", side_effect=ConnectionError("redis is down")):
        response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["cache"] == "error"


# ---------------------------------------------------------------- sessions

def test_sessions_end_with_the_browser_and_after_an_idle_hour():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE == 60 * 60
    assert "cchc.accounts.middleware.SessionIdleMiddleware" in settings.MIDDLEWARE


def test_idle_minutes_come_from_the_environment(tmp_path):
    assert production_value(tmp_path, "settings.SESSION_COOKIE_AGE", CCHC_SESSION_IDLE_MINUTES="15") == "900"


def test_the_session_cookie_is_a_browser_session_cookie_and_is_renewed_at_most_once_a_minute(client, db):
    from django.contrib.sessions.models import Session

    user = UserFactory(username="canbo")
    client.post(reverse("accounts:login"), {"username": "canbo", "password": DEFAULT_PASSWORD})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # gone when the browser closes
    key = cookie.value
    first = Session.objects.get(session_key=key).expire_date
    client.get(reverse("home"))
    assert Session.objects.get(session_key=key).expire_date == first  # within the minute: no write
    later = time.time() + 61
    with mock.patch("cchc.accounts.middleware.time.time", return_value=later):
        client.get(reverse("home"))
    renewed = Session.objects.get(session_key=key).expire_date
    assert renewed > first
    response = client.get(reverse("home"))
    assert response.status_code == 200 and response.wsgi_request.user == user
