"""Hostile files are refused quickly, with a message that names the limit, and real plans still read."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from cchc.documents import limits, sandbox
from cchc.documents.blocks import DocumentError, Paragraph
from cchc.documents.reader import read_bytes
from cchc.documents.workbook import sheet_rows
from tests import hostile_files as hostile
from tests.documents.builders import docx_from_text, seed

QUICK = 2.0  # seconds: each refusal below takes milliseconds; this leaves room for a busy machine


def _refused(data: bytes, name: str, *, reader=read_bytes, **changes) -> str:
    started = time.monotonic()
    with limits.use(limits.DEFAULT.with_(**changes)):
        with pytest.raises(DocumentError) as caught:
            reader(data, name=name)
    assert time.monotonic() - started < QUICK
    message = str(caught.value)
    assert name in message and "\n" not in message and ";" in message  # what is wrong; what to do
    return message


def test_a_zip_bomb_whose_index_understates_its_part_is_refused_by_what_really_comes_out():
    bomb = hostile.zip_bomb_docx(60 * 1024 * 1024)
    assert len(bomb) < 100_000
    import zipfile, io  # noqa: E401

    assert zipfile.ZipFile(io.BytesIO(bomb)).getinfo("word/document.xml").file_size == 2048  # the lie
    assert "compressed more than 200 times over" in _refused(bomb, "bom.docx")
    # With the ratio guard out of the way, the decompressed bytes counted while streaming stop it.
    message = _refused(bomb, "bom.docx", zip_ratio=10**9, unzipped_bytes=5 * 1024 * 1024)
    assert "expands to more than 5 MB when opened" in message


def test_a_docx_with_too_much_text_stops_at_the_streaming_cap():
    data = hostile.text_docx(2_000_000)  # ~2 MB of text in ~0.5 MB of file, compressed as text is
    assert "expands to more than 1 MB" in _refused(data, "dai.docx", unzipped_bytes=1024 * 1024)
    # and a document under the decompression cap but over the text cap is refused by its text
    assert "more than 500.000 characters of text" in _refused(data, "dai.docx", text_chars=500_000)


def test_entity_declarations_and_deep_nesting_are_refused():
    assert "XML entity declarations" in _refused(hostile.billion_laughs_docx(), "cuoi.docx")
    assert "nested too deeply" in _refused(hostile.deep_docx(5000), "sau.docx")


def test_a_package_of_too_many_parts_is_refused():
    assert "more than 3.000 parts" in _refused(hostile.many_parts_docx(3001), "nhieu.docx")


def test_a_pdf_is_refused_by_its_page_count_before_a_page_is_read():
    assert "has more than 300 pages" in _refused(hostile.pdf(2, count=100_000), "dai.pdf")  # the tree's /Count
    assert "has more than 300 pages" in _refused(hostile.pdf(301, count=3), "dai.pdf")  # a /Count that lies
    assert "has more than 10 pages" in _refused(hostile.pdf(11), "dai.pdf", pdf_pages=10)
    assert "Page 1 of day.pdf holds more than 5 characters" in _refused(hostile.pdf(1), "day.pdf", page_chars=5)


def test_text_files_have_the_same_text_cap():
    assert "more than 1.000 characters" in _refused(("Kế hoạch " * 200).encode(), "dai.txt", text_chars=1000)


def test_a_sheet_reaching_the_last_cell_is_refused_without_walking_its_range():
    for data in (hostile.xlsx_last_cell(), hostile.xlsx_declared_range()):
        assert len(data) < 10_000
        message = _refused(data, "bang.xlsx", reader=sheet_rows)
        assert "larger than 100.000 rows or 1.000 columns" in message and "XFD1048576" in message
    rows = sheet_rows(hostile.xlsx_declared_range("A1:C1"), name="bang.xlsx")
    assert rows == [["Ngày", "Loại sản phẩm", "Tên"]]


def test_a_sheet_is_refused_by_its_cells_as_they_are_read():
    from openpyxl import Workbook
    import io

    workbook = Workbook()
    for i in range(300):
        workbook.active.append([i, "x", "y"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    assert "more than 500 cells" in _refused(data, "bang.xlsx", reader=sheet_rows, sheet_cells=500)
    assert len(sheet_rows(data, name="bang.xlsx")) == 300


def test_normal_documents_still_read(tmp_path):
    text = seed("004").read_text(encoding="utf-8")
    data = docx_from_text(text, tmp_path / "004.docx").read_bytes()
    doc = read_bytes(data, name="004.docx")
    assert doc.source_format == "docx"
    assert any(isinstance(b, Paragraph) and "CẢI CÁCH HÀNH CHÍNH" in b.text.upper() for b in doc.blocks)
    assert len(read_bytes(hostile.pdf(3, text="Ke hoach 2026"), name="ok.pdf").blocks) >= 1


def test_the_sandbox_gives_the_plan_and_stops_a_child_at_its_limits(tmp_path):
    text = seed("004").read_text(encoding="utf-8")
    data = docx_from_text(text, tmp_path / "004.docx").read_bytes()
    plan = sandbox.run("document", data, name="004.docx", language="en")
    assert len(plan["tasks"]) >= 15 and plan["source"]["format"] == "docx"
    with pytest.raises(DocumentError, match="bom.docx is compressed more than 200 times"):
        sandbox.run("document", hostile.zip_bomb_docx(10 * 1024 * 1024), name="bom.docx", language="en")

    started = time.monotonic()
    with pytest.raises(DocumentError, match=r"x.docx takes more than 1 seconds to read"):
        sandbox.run("spin", b"", name="x.docx", language="en", budget=sandbox.Budget(cpu_seconds=1, wall_seconds=8))
    assert time.monotonic() - started < 8
    with pytest.raises(DocumentError, match="x.docx needs more than 64 MB of memory"):
        sandbox.run("grow", b"", name="x.docx", language="en",
                    budget=sandbox.Budget(memory_bytes=64 * 1024 * 1024, wall_seconds=8))
    with pytest.raises(DocumentError, match=r"x.docx takes more than 1 seconds"):
        # the wall clock, for a child that waits instead of computing
        sandbox.run("spin", b"", name="x.docx", language="en", budget=sandbox.Budget(cpu_seconds=30, wall_seconds=1))


def test_cchc_parse_refuses_a_hostile_file_in_one_line(tmp_path):
    path = tmp_path / "bom.docx"
    path.write_bytes(hostile.zip_bomb_docx(20 * 1024 * 1024))
    done = subprocess.run([sys.executable, "-m", "cchc", "parse", str(path)], capture_output=True, text=True,
                          timeout=60, env={"CCHC_LANGUAGE": "vi", "PATH": ""})
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "bom.docx được nén hơn 200 lần" in lines[0]
