"""Whatever it is given, the parser answers with schema-valid JSON, and the command with one line."""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.documents.builders import parser_available, plan_validator, shared_documents

pytestmark = pytest.mark.skipif(
    not parser_available(), reason="the semantic parser (cchc.documents.parser) is not in this checkout yet"
)

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DOCUMENTS = [p.read_text(encoding="utf-8") for p in shared_documents()]

# Words and marks that steer the parser: headings, numbering, agencies, dates, table pipes.
VOCABULARY = [
    "I.", "II.", "1.", "a)", "đ)", "-", "+", "|", "**", "\t", "\n", "\n\n", "KẾ HOẠCH", "Số:", "/KH-UBND",
    "ngày", "tháng", "năm", "2024", "Quý II", "Quý III- IV/2023", "Thường xuyên", "Hằng năm", "Chủ trì:",
    "Phối hợp:", "Sở Nội vụ", "UBND các huyện, thành phố", "Nơi nhận:", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH",
    "Thực hiện Kế hoạch số 35/KH-UBND", "chậm nhất ngày 15", "trước ngày 10 tháng 6", "báo cáo", "10 lớp",
    "1 bài/ 1 quý = 4 bài", "PHỤ LỤC", "TT", "Nội dung", "Thời gian", "31/12/2024", "0/0/0000", "99/99/9999",
    "(", ")", ";", ":", "…", "Tổ chức thực hiện", "Giải pháp", "Nhiệm vụ",
]


def _valid(plan: dict) -> None:
    json.dumps(plan, ensure_ascii=False)  # serialisable
    validator = plan_validator()
    if validator is not None:
        errors = [e.message for e in validator.iter_errors(plan)]
        assert errors == []
    else:
        assert plan["schema"] == "cchc.plan/1"


@SETTINGS
@given(st.text(max_size=3000))
def test_arbitrary_text_gives_schema_valid_json(text):
    from cchc.documents import parse_text

    _valid(parse_text(text))


@SETTINGS
@given(st.lists(st.sampled_from(VOCABULARY) | st.text(max_size=12), max_size=300).map(" ".join))
def test_plan_like_noise_gives_schema_valid_json(text):
    from cchc.documents import parse_text

    _valid(parse_text(text))


@SETTINGS
@given(st.integers(min_value=0, max_value=max(0, len(DOCUMENTS) - 1)), st.randoms(use_true_random=False),
       st.floats(min_value=0.0, max_value=1.0))
def test_shuffled_and_truncated_real_documents_give_schema_valid_json(index, rnd, cut):
    from cchc.documents import parse_text

    lines = DOCUMENTS[index].split("\n")
    truncated = "\n".join(lines)[: int(len(DOCUMENTS[index]) * cut)]
    _valid(parse_text(truncated))
    shuffled = lines[:]
    rnd.shuffle(shuffled)
    _valid(parse_text("\n".join(shuffled)))


def test_pathological_lines_do_not_hang():
    from cchc.documents import parse_text

    # Long runs that make careless regular expressions backtrack: the call must simply return.
    for text in ("Sở " * 20000, "1." * 20000, "(" * 20000 + "x", "- " * 20000, "a" * 200000, "Quý I, " * 5000):
        _valid(parse_text(text))


def _bad_files() -> dict[str, bytes]:
    from PIL import Image
    import io
    import zipfile

    image = io.BytesIO()
    Image.new("RGB", (300, 400), "white").save(image, "PNG")
    scan = io.BytesIO()
    Image.new("RGB", (300, 400), "white").save(scan, "PDF")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("photos/a.txt", "x")
    return {
        "empty.txt": b"",
        "image.png": image.getvalue(),
        "image.docx": image.getvalue(),
        "scan.pdf": scan.getvalue(),
        "archive.zip": archive.getvalue(),
        "noise.txt": random.Random(3).randbytes(200_000),
        "cut.docx": b"PK\x03\x04" + random.Random(4).randbytes(5000),
        "cut.pdf": b"%PDF-1.7\n" + random.Random(5).randbytes(5000),
    }


@pytest.mark.parametrize("name", sorted(_bad_files()))
def test_bad_files_end_with_exit_2_and_one_line(tmp_path, capsys, name):
    from cchc.documents.cli import main

    path = tmp_path / name
    path.write_bytes(_bad_files()[name])
    assert main([str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.startswith(f"cchc parse: {name}")
    assert "Traceback" not in captured.err
