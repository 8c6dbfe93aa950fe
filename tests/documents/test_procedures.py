"""`cchc parse-procedures` and `cchc.documents.procedures`: decisions that publish lists of administrative
procedures, read from the committed real decisions (tests/data/procedures) and from Word files built here."""

from __future__ import annotations

import importlib.util
import json
import statistics
from pathlib import Path

import jsonschema
import pytest

from cchc.__main__ import main as cchc_main
from cchc.documents.procedures import fee, parse_procedures_bytes, parse_procedures_file, time_limit
from cchc.documents.procedures_cli import render_text

DATA = Path(__file__).resolve().parents[1] / "data"
DOCS = DATA / "procedures" / "docs"
GOLD = DATA / "procedures" / "gold"
SCHEMA = json.loads((DATA / "schemas" / "procedures.schema.json").read_text())
ROOT = Path(__file__).resolve().parents[2]


def _scorer():
    spec = importlib.util.spec_from_file_location("score_procedures", ROOT / "benchmarks" / "score_procedures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _golds() -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted(GOLD.glob("*.json"))]


# ------------------------------------------------------------------------------------ real decisions

def test_every_committed_decision_gives_schema_valid_output():
    docs = sorted(DOCS.iterdir())
    assert len(docs) >= 15
    for path in docs:
        out = parse_procedures_file(path)
        jsonschema.validate(out, SCHEMA)
        assert out["procedures"], path.name


def test_mean_score_on_the_annotated_decisions_stays_at_least_085():
    scorer = _scorer()
    scores = {}
    for gold in _golds():
        out = parse_procedures_file(DOCS / gold["file"])
        scores[gold["file"]] = scorer.score_doc(out, gold)[0]
    assert len(scores) >= 15
    assert statistics.mean(scores.values()) >= 0.85, scores


def test_a_decision_with_an_amended_and_an_abolished_list():
    out = parse_procedures_file(DOCS / "036bd85f1f56f768.md")
    assert out["decision"] == {
        "number": "2666/QĐ-UBND", "date": "2025-11-26",
        "issuer": "Chủ tịch Ủy ban nhân dân thành phố Cần Thơ",
        "title": out["decision"]["title"],
    }
    assert out["decision"]["title"].startswith("Về việc công bố Danh mục thủ tục hành chính")
    statuses = [p["status"] for p in out["procedures"]]
    assert statuses[0] == "amended" and statuses[-1] == "abolished"
    first = out["procedures"][0]
    assert first["time_limit"]["days"] == 15 and first["time_limit"]["working_days"] is True
    assert first["fee"]["free"] is False  # 0 đồng for some, a fee for others
    assert first["legal_basis"] and all("\n" not in b for b in first["legal_basis"])


def test_name_cell_with_its_code_and_time_limit():
    out = parse_procedures_file(DOCS / "b8baff03f9998968.md")
    first = out["procedures"][0]
    assert first["name"].endswith("thuộc phạm vi quản lý của tỉnh, thành phố trực thuộc trung ương")
    assert first["code"].startswith("1.014459")
    assert first["time_limit"]["days"] == 3
    assert [p["status"] for p in out["procedures"]] == ["new"] * 3 + ["amended"] * 3


def test_an_article_listing_procedures_as_paragraphs():
    out = parse_procedures_file(DOCS / "6d81dac582056e8e.md")
    assert out["decision"]["number"] == "02223/QĐ-UBND"
    assert [p["status"] for p in out["procedures"]] == ["new", "amended", "amended"]


@pytest.mark.parametrize("text, days, working", [
    ("15 ngày làm việc", 15, True),
    ("Trong thời hạn 15 (mười lăm) ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ", 15, True),
    ("Mười (10) ngày làm việc", 10, True),
    ("30 ngày", 30, False),
    ("14 ngày; riêng trường hợp phải lấy ý kiến: 30 ngày", None, False),
    ("- Trường hợp 1: 15 ngày làm việc\n- Trường hợp 2: 15 ngày làm việc", None, True),
    ("10 làm việc kể từ ngày nhận đủ hồ sơ", None, True),
    ("Ngay trong ngày", None, None),
    ("24 giờ", None, False),
])
def test_time_limits(text, days, working):
    got = time_limit(text)
    assert got["days"] == days and got["working_days"] == working and got["text"]


@pytest.mark.parametrize("text, free", [
    ("Không", True), ("Miễn phí", True), ("0 đồng", True),
    ("0 đồng đối với cá nhân đạt kỳ thi; 500.000 đồng/hồ sơ đối với trường hợp khác", False),
    ("Áp dụng theo quy định tại Thông tư số 10/2024/TT-BTC", False),
    ("Không quy định", None),
])
def test_fees(text, free):
    assert fee(text)["free"] is free
    assert fee("") is None and time_limit(None) is None


# ------------------------------------------------------------------------------------ Word

def _decision_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    header = document.add_table(rows=2, cols=2)
    header.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ CẦN THƠ"
    header.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    header.cell(1, 0).text = "Số: 2666/QĐ-UBND"
    header.cell(1, 1).text = "Cần Thơ, ngày 26 tháng 11 năm 2025"
    for text in ("QUYẾT ĐỊNH",
                 "Về việc công bố Danh mục thủ tục hành chính được sửa đổi, bổ sung, bãi bỏ trong lĩnh vực Đấu thầu",
                 "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ",
                 "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
                 "QUYẾT ĐỊNH:",
                 "Điều 1. Công bố kèm theo Quyết định này Danh mục thủ tục hành chính.",
                 "DANH MỤC THỦ TỤC HÀNH CHÍNH",
                 "A. DANH MỤC THỦ TỤC HÀNH CHÍNH ĐƯỢC SỬA ĐỔI, BỔ SUNG"):
        document.add_paragraph(text)
    table = document.add_table(rows=0, cols=6)
    table.style = "Table Grid"
    rows = [
        ["STT", "Mã TTHC", "Tên thủ tục hành chính", "Thời hạn giải quyết", "Phí, lệ phí", "Căn cứ pháp lý"],
        ["I", "Lĩnh vực Đấu thầu", "", "", "", ""],
        ["1", "1.012507", "Cấp chứng chỉ nghiệp vụ chuyên môn về đấu thầu",
         "Trong thời hạn 15 (mười lăm) ngày làm việc kể từ ngày nhận đủ hồ sơ", "Không",
         "- Luật Đấu thầu số 22/2023/QH15;\n- Nghị định số 214/2025/NĐ-CP"],
        ["2", "1.012508", "Cấp lại chứng chỉ nghiệp vụ chuyên môn về đấu thầu", "05 ngày làm việc",
         "200.000 đồng/hồ sơ", "- Nghị định số 214/2025/NĐ-CP"],
        ["II", "THỦ TỤC HÀNH CHÍNH CẤP XÃ", "", "", "", ""],
        ["1", "2.002154", "Thủ tục đăng ký hộ kinh doanh", "03 ngày làm việc", "Miễn phí", ""],
    ]
    for k, values in enumerate(rows):
        cells = table.add_row().cells
        if values[2] == "" and k:
            merged = cells[1].merge(cells[5])
            merged.text = values[1]
            cells[0].text = values[0]
            continue
        for cell, value in zip(cells, values):
            cell.text = value
    document.add_paragraph("B. DANH MỤC THỦ TỤC HÀNH CHÍNH BỊ BÃI BỎ")
    abolished = document.add_table(rows=0, cols=3)
    for values in (["STT", "Tên thủ tục hành chính", "Tên VBQPPL quy định việc bãi bỏ thủ tục hành chính"],
                   ["1", "Đăng ký tham dự thi sát hạch cấp chứng chỉ hành nghề hoạt động đấu thầu",
                    "Nghị định số 214/2025/NĐ-CP"]):
        for cell, value in zip(abolished.add_row().cells, values):
            cell.text = value
    document.save(path)
    return path


def test_a_word_decision_with_real_tables(tmp_path):
    out = parse_procedures_file(_decision_docx(tmp_path / "quyết định.docx"))
    jsonschema.validate(out, SCHEMA)
    assert out["decision"]["number"] == "2666/QĐ-UBND" and out["decision"]["date"] == "2025-11-26"
    assert out["decision"]["issuer"] == "Chủ tịch Ủy ban nhân dân thành phố Cần Thơ"
    got = [(p["name"], p["status"], p["code"], p["level"], p["field"],
            (p["time_limit"] or {}).get("days"), (p["fee"] or {}).get("free")) for p in out["procedures"]]
    assert got == [
        ("Cấp chứng chỉ nghiệp vụ chuyên môn về đấu thầu", "amended", "1.012507", None, "Đấu thầu", 15, True),
        ("Cấp lại chứng chỉ nghiệp vụ chuyên môn về đấu thầu", "amended", "1.012508", None, "Đấu thầu", 5, False),
        ("Thủ tục đăng ký hộ kinh doanh", "amended", "2.002154", "commune", "Đấu thầu", 3, True),
        ("Đăng ký tham dự thi sát hạch cấp chứng chỉ hành nghề hoạt động đấu thầu", "abolished", None, None,
         "Đấu thầu", None, None),
    ]
    assert out["procedures"][0]["legal_basis"] == ["Luật Đấu thầu số 22/2023/QH15", "Nghị định số 214/2025/NĐ-CP"]
    assert out["procedures"][3]["legal_basis"] == ["Nghị định số 214/2025/NĐ-CP"]


def test_an_upload_is_read_in_the_sandbox_to_the_same_result(tmp_path):
    path = _decision_docx(tmp_path / "upload.docx")
    assert parse_procedures_bytes(path.read_bytes(), name="upload.docx") == parse_procedures_file(path)


# ------------------------------------------------------------------------------------ the command

def test_the_command_prints_json(capsys):
    assert cchc_main(["parse-procedures", str(DOCS / "094432765aa270a8.md")]) == 0
    out = json.loads(capsys.readouterr().out)
    jsonschema.validate(out, SCHEMA)
    assert [p["code"] for p in out["procedures"]] == ["1.014464.H50", "1.014465.H50"]


def test_the_command_prints_a_table_as_text(capsys):
    assert cchc_main(["parse-procedures", str(DOCS / "094432765aa270a8.md"), "--format", "text"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("2827/QĐ-UBND 27/11/2025\n")
    assert "Procedures (2)" in text and "1.014464.H50" in text and "Thủ tục cấp giấy chứng nhận lưu" in text
    assert render_text({"decision": {}, "procedures": []}).count("\n") >= 2


@pytest.mark.parametrize("name, data", [
    ("scan.png", b"\x89PNG\r\n\x1a\n" + bytes(300)),
    ("noise.md", bytes(range(256)) * 40),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)),
    ("empty.txt", b""),
    ("broken.docx", b"PK\x03\x04" + bytes(200)),
])
def test_a_file_that_is_no_document_is_one_line_and_exit_2(tmp_path, capsys, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    assert cchc_main(["parse-procedures", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("cchc parse-procedures: ") and captured.err.count("\n") == 1
    assert "Traceback" not in captured.err


def test_a_missing_file(tmp_path, capsys):
    assert cchc_main(["parse-procedures", str(tmp_path / "none.docx")]) == 2
    assert capsys.readouterr().err == "cchc parse-procedures: none.docx: no such file; check the path and try again\n"


def test_the_moi_of_moi_truong_is_not_the_word_new():
    """"Môi trường" (environment) folds to the letters of "mới" (new): a list of amended procedures of the
    Department of Agriculture and Environment stays amended."""
    from cchc.documents.procedures import _status_of

    assert _status_of("Danh mục thủ tục hành chính sửa đổi, bổ sung thuộc phạm vi quản lý của Sở Nông nghiệp "
                      "và Môi trường") == "amended"
    assert _status_of("DANH MỤC THỦ TỤC HÀNH CHÍNH MỚI BAN HÀNH LĨNH VỰC MÔI TRƯỜNG") == "new"
    assert _status_of("Thủ tục hành chính mới trong lĩnh vực môi trường") == "new"


@pytest.mark.parametrize("suffix", ["docx", "pdf"])
def test_a_real_list_as_word_and_as_pdf_reads_like_its_gold(suffix):
    """The same 50 rows in a Word table with merged field rows, and in that table exported to PDF; the
    number and the place-and-date share one line, separated by tabs."""
    gold = json.loads((DATA / "procedures" / "gold" / "9d0926aa62bf16bd.json").read_text())
    out = parse_procedures_file(DATA / "procedures" / "formats" / f"9d0926aa62bf16bd.{suffix}")
    assert out["decision"]["number"] == gold["decision"]["number"]
    assert out["decision"]["date"] == gold["decision"]["date"]
    assert [p["name"] for p in out["procedures"]] == [p["name"] for p in gold["procedures"]]
    assert [p["status"] for p in out["procedures"]] == [p["status"] for p in gold["procedures"]]
    assert [p["code"][:8] if p["code"] else None for p in out["procedures"]] == [p["code"] for p in gold["procedures"]]


def test_the_number_stops_before_the_place_on_the_same_line():
    from cchc.documents import parse_text

    text = ("ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH\n\nSố: 1520/QĐ-UBND Kiểm Thử, ngày 22 tháng 11 năm 2025\n\n"
            "QUYẾT ĐỊNH\n\nVề việc công bố danh mục thủ tục hành chính\n")
    document = parse_text(text)["document"]
    assert document["number"] == "1520/QĐ-UBND" and document["date"] == "2025-11-22"
