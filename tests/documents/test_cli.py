"""`cchc parse`: what a user sees on the terminal, and the exit codes outside tools rely on."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from cchc.documents.cli import _, main, render_text
from tests.documents.builders import parser_available, plan_validator, sample_plan, shared_documents

ROOT = Path(__file__).resolve().parents[2]
needs_parser = pytest.mark.skipif(
    not parser_available(), reason="the semantic parser (cchc.documents.parser) is not in this checkout yet"
)


def _run(*args: str) -> subprocess.CompletedProcess:
    command = ROOT / ".venv" / "bin" / "cchc"
    argv = [str(command)] if command.exists() else [sys.executable, "-m", "cchc"]
    return subprocess.run([*argv, "parse", *args], capture_output=True, timeout=60, cwd=ROOT,
                          env={**os.environ, "PYTHONIOENCODING": "ascii"})


def test_missing_file_is_one_line_and_exit_2(tmp_path, capsys):
    assert main([str(tmp_path / "ke-hoach.docx")]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "cchc parse: ke-hoach.docx: no such file; check the path and try again\n"


def test_an_image_is_refused_in_one_line(tmp_path, capsys):
    path = tmp_path / "scan.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0" + bytes(200))
    assert main([str(path), "--format", "text"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is an image (JPEG)" in err and "OCR" in err


def test_fifty_megabytes_of_noise_ends_with_exit_2_in_one_line(tmp_path):
    path = tmp_path / "noise.bin"
    path.write_bytes(random.Random(7).randbytes(50 * 1024 * 1024))
    result = _run(str(path))
    assert result.returncode == 2
    lines = result.stderr.decode("utf-8").splitlines()
    assert len(lines) == 1 and "over the 20 MB limit" in lines[0]
    assert result.stdout == b""


def test_bad_option_is_refused_by_usage(capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        main([str(tmp_path / "x.txt"), "--format", "xml"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_text_summary_shows_identity_tasks_and_due_dates():
    plan = sample_plan()
    plan["reporting"]["deadlines"] = [{"period": "H1", "due": "2024-06-09", "text": "trước ngày 10 tháng 6"}]
    text = render_text(plan)
    assert text.startswith("KH 174/KH-UBND\nTuyên truyền cải cách hành chính năm 2024\n")
    assert "Ủy ban nhân dân tỉnh Thái Bình" in text
    assert "Thái Bình, 29/12/2023" in text
    assert "KT. Chủ tịch / Phó Chủ tịch — Nguyễn Quang Hưng" in text
    assert "Kế hoạch 35/KH-UBND 05/02/2023 UBND tỉnh" in text
    assert _("Tasks ({count})").format(count=4) in text
    task_lines = [line for line in text.splitlines() if line.startswith("4 ")]
    assert "Cấp kinh phí tổ chức tuyên truyền" in task_lines[0] and "Sở Tài chính" in task_lines[0]
    assert "Quý I/2024" in task_lines[0]
    assert _("due {date}").format(date="09/06/2024") in next(l for l in text.splitlines() if l.strip().startswith("H1"))
    assert _("Reports go to: {recipient}").format(recipient="Sở Nội vụ") in text


def test_command_does_not_import_django(tmp_path):
    path = tmp_path / "x.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    code = (
        "import sys; from cchc.documents.cli import main; rc = main([sys.argv[1]]); "
        "print(rc, any(m == 'django' or m.startswith('django.') for m in sys.modules), "
        "'docx' in sys.modules, 'pdfplumber' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.stdout.split() == ["2", "False", "False", "False"]


@needs_parser
@pytest.mark.parametrize("document", shared_documents(), ids=lambda p: p.name)
def test_every_shared_document_prints_schema_valid_json(document):
    validator = plan_validator()
    result = _run(str(document))
    assert result.returncode == 0, result.stderr.decode("utf-8")
    plan = json.loads(result.stdout.decode("utf-8"))
    assert list(validator.iter_errors(plan)) == []
    assert plan["tasks"], "a plan without tasks"
    # UTF-8 and not escaped, whatever the terminal's encoding
    assert "\\u" not in result.stdout.decode("utf-8")


@needs_parser
def test_text_format_of_a_seed(tmp_path):
    from tests.documents.builders import seed

    source = seed("004")
    result = _run(str(source), "--format", "text")
    assert result.returncode == 0, result.stderr.decode("utf-8")
    out = result.stdout.decode("utf-8")
    assert out.startswith("QĐ 233/QĐ-UBND\n")
    from cchc.documents.reader import parse_file

    count = len(parse_file(source)["tasks"])
    assert _("Tasks ({count})").format(count=count) in out
    assert "Nguyễn Văn Sơn" in out and "Hà Giang, 19/12/2022" in out
