import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def _run(args, **env_changes):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(env_changes)
    env.setdefault("CCHC_VAR_DIR", str(ROOT / "var"))
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.django_db
def test_404_is_the_friendly_page_in_vietnamese(client, org_tree):
    client.force_login(org_tree.officer_a)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Không tìm thấy trang" in page and "Về trang chủ" in page
    assert "Traceback" not in page and "urlpatterns" not in page


@pytest.mark.django_db
def test_500_is_the_friendly_page_without_traceback(org_tree, monkeypatch):
    from cchc.org import selectors

    def broken(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(selectors, "unit_roots", broken)
    client = Client(raise_request_exception=False)
    client.force_login(org_tree.officer_a)
    response = client.get(reverse("org:unit_tree"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Đã xảy ra lỗi" in page and "Dữ liệu đã lưu không bị mất" in page
    assert "secret internal detail" not in page and "Traceback" not in page


def test_production_without_secret_key_refuses_to_start_naming_it():
    result = _run(
        ["-c", "import django; django.setup()"],
        DJANGO_SETTINGS_MODULE="config.settings.production", ALLOWED_HOSTS="cchc.example.gov.vn",
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr and "set the environment variable SECRET_KEY" in result.stderr


def test_cchc_command_in_production_without_secret_key_prints_one_clear_line():
    result = _run(
        ["-m", "cchc", "check"], DJANGO_SETTINGS_MODULE="config.settings.production", ALLOWED_HOSTS="cchc.example.gov.vn",
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "SECRET_KEY" in lines[0]


def test_cchc_with_unreachable_database_prints_one_line_and_exits_2():
    # Port 9 (discard) on the loopback address: nothing listens there, the refusal is immediate.
    result = _run(["-m", "cchc", "migrate", "--noinput"], DATABASE_URL="postgres://cchc@127.0.0.1:9/cchc")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "DATABASE_URL" in lines[0] and "database" in lines[0]
