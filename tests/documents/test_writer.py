"""The .docx export: a plan a user can print and sign as it is, and that reads back the same."""

from __future__ import annotations

import io

import pytest

from cchc.documents.blocks import Paragraph, Table
from cchc.documents.reader import read_bytes
from cchc.documents.writer import write_plan_docx
from tests.documents.builders import parser_available, sample_plan, soffice_pdf, task_key

needs_parser = pytest.mark.skipif(
    not parser_available(), reason="the semantic parser (cchc.documents.parser) is not in this checkout yet"
)


@pytest.fixture(scope="module")
def written():
    import docx

    data = write_plan_docx(sample_plan())
    return data, docx.Document(io.BytesIO(data))


def test_page_is_a4_with_the_decree_margins_and_times_new_roman(written):
    _, document = written
    first = document.sections[0]
    assert (round(first.page_width.mm), round(first.page_height.mm)) == (210, 297)
    assert 20 <= round(first.top_margin.mm) <= 25 and 20 <= round(first.bottom_margin.mm) <= 25
    assert 30 <= round(first.left_margin.mm) <= 35 and 15 <= round(first.right_margin.mm) <= 20
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert 13 <= normal.font.size.pt <= 14


def test_header_has_issuer_beside_the_motto_then_number_and_dated_place(written):
    _, document = written
    header = document.tables[0]
    left, right = header.rows[0].cells
    assert [p.text for p in left.paragraphs if p.text] == ["ỦY BAN NHÂN DÂN", "TỈNH THÁI BÌNH"]
    assert all(r.bold for p in left.paragraphs for r in p.runs)
    assert [p.text for p in right.paragraphs if p.text] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
    ]
    number, dated = header.rows[1].cells
    assert number.text == "Số: 174/KH-UBND"
    assert dated.text == "Thái Bình, ngày 29 tháng 12 năm 2023"
    assert all(r.italic for r in dated.paragraphs[0].runs)
    # no borders on the header table
    assert 'w:val="nil"' in header._tbl.tblPr.xml


def test_title_is_centred_bold(written):
    _, document = written
    texts = [(p.text, p.alignment, all(r.bold for r in p.runs)) for p in document.paragraphs if p.text]
    assert texts[0] == ("KẾ HOẠCH", 1, True)
    assert texts[1] == ("Tuyên truyền cải cách hành chính năm 2024", 1, True)


def test_department_issuer_is_headed_by_its_peoples_committee():
    import docx

    plan = sample_plan()
    plan["document"]["issuer"] = "Sở Lao động - Thương binh và Xã hội tỉnh Lạng Sơn"
    document = docx.Document(io.BytesIO(write_plan_docx(plan)))
    left = document.tables[0].rows[0].cells[0]
    lines = [(p.text, all(r.bold for r in p.runs)) for p in left.paragraphs if p.text]
    assert lines == [("ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN", False), ("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", True)]


@pytest.mark.parametrize(
    ("iso", "number", "expected_date", "expected_number"),
    [
        ("2024-02-05", "16/KH-UBND", "Đức Tân, ngày 05 tháng 02 năm 2024", "Số: 16/KH-UBND"),
        ("2024-03-01", "16/KH-UBND", "Đức Tân, ngày 01 tháng 3 năm 2024", "Số: 16/KH-UBND"),
        (None, None, "Đức Tân, ngày      tháng      năm 2024", "Số:        /KH-UBND"),
    ],
)
def test_date_line_follows_the_decree_and_blank_numbers_stay_blank(iso, number, expected_date, expected_number):
    import docx

    plan = sample_plan()
    plan["document"].update(place="Đức Tân", date=iso, year=2024, number=number)
    header = docx.Document(io.BytesIO(write_plan_docx(plan))).tables[0]
    assert header.rows[1].cells[1].text == expected_date
    assert header.rows[1].cells[0].text == expected_number


def test_appendix_table_lists_every_task_with_a_repeating_header(written):
    _, document = written
    table = document.tables[-1]
    assert [c.text for c in table.rows[0].cells] == [
        "TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian", "Chỉ tiêu",
    ]
    assert "w:tblHeader" in table.rows[0]._tr.xml
    assert len(table.rows) == 1 + len(sample_plan()["tasks"])
    first = [c.text for c in table.rows[1].cells]
    assert first == [
        "1", "Tập huấn nghiệp vụ cải cách hành chính cho công chức cấp xã", "Sở Nội vụ",
        "UBND các huyện, thành phố;\nTrường Chính trị tỉnh", "Quý II, Quý III/2024", "10 lớp\nkhoảng 1000 lượt",
    ]
    assert document.sections[-1].orientation == 1  # landscape for the wide table


def test_recipients_and_signature_block(written):
    _, document = written
    closing = document.tables[1]
    left, right = closing.rows[0].cells
    label = left.paragraphs[0]
    assert label.text == "Nơi nhận:" and label.runs[0].bold and label.runs[0].italic
    assert label.runs[0].font.size.pt == 12
    items = [p for p in left.paragraphs[1:] if p.text]
    assert [p.text for p in items] == ["- Bộ Nội vụ;", "- Thường trực Tỉnh ủy;", "- Các sở, ban, ngành;", "- Lưu: VT, NC."]
    assert all(r.font.size.pt == 11 for p in items for r in p.runs)
    signature = [p.text for p in right.paragraphs if p.text]
    assert signature == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Quang Hưng"]


def test_tasks_appear_once_and_the_body_points_to_the_appendix():
    blocks = read_bytes(write_plan_docx(sample_plan()), name="plan.docx").blocks
    text = [b.text for b in blocks if isinstance(b, Paragraph)]
    assert "Tập huấn nghiệp vụ cải cách hành chính" not in text  # the task-only section II.1
    assert "1. Sở Nội vụ" not in text
    assert text.count("Các nhiệm vụ cụ thể tại Phụ lục kèm theo Kế hoạch này.") == 2
    assert "Nâng cao nhận thức của cán bộ, công chức, viên chức và Nhân dân về cải cách hành chính." in text
    assert "Thực hiện Kế hoạch số 35/KH-UBND ngày 05/02/2023 của UBND tỉnh." in text
    tables = [b for b in blocks if isinstance(b, Table)]
    assert len(tables) == 3


def test_writer_accepts_a_bare_plan():
    data = write_plan_docx({"document": {}, "sections": [], "tasks": []})
    blocks = read_bytes(data, name="bare.docx").blocks
    assert any(isinstance(b, Paragraph) and b.text == "KẾ HOẠCH" for b in blocks)


def test_pdf_rendered_by_libreoffice_shows_every_diacritic(tmp_path):
    source = tmp_path / "plan.docx"
    source.write_bytes(write_plan_docx(sample_plan()))
    pdf = soffice_pdf(source, tmp_path)
    if pdf is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    from cchc.documents.reader import read_document

    words = []
    for block in read_document(pdf).blocks:
        words.append(block.text if isinstance(block, Paragraph) else " ".join(c for r in block.rows for c in r))
    text = " ".join(words)
    for phrase in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Thái Bình, ngày 29 tháng 12 năm 2023",
        "Tuyên truyền cải cách hành chính năm 2024", "Nguyễn Quang Hưng", "Đài Phát thanh và Truyền hình tỉnh", "Sở Thông tin và Truyền thông",
        "Thường trực Tỉnh ủy",
    ):
        assert phrase in " ".join(text.split()), phrase


@needs_parser
def test_written_plan_parses_back_to_the_same_tasks(tmp_path):
    from cchc.documents.reader import parse_file

    plan = sample_plan()
    path = tmp_path / "plan.docx"
    path.write_bytes(write_plan_docx(plan))
    again = parse_file(path)
    assert [task_key(t) for t in again["tasks"]] == [task_key(t) for t in plan["tasks"]]
    assert again["document"]["number"] == "174/KH-UBND"


@needs_parser
def test_seed_plan_parsed_written_and_parsed_again_keeps_its_tasks(tmp_path):
    from tests.documents.builders import seed

    source = seed("004")
    from cchc.documents.reader import parse_file

    plan = parse_file(source)
    path = tmp_path / "seed004.docx"
    path.write_bytes(write_plan_docx(plan))
    again = parse_file(path)
    assert len(again["tasks"]) == len(plan["tasks"])
    assert [task_key(t) for t in again["tasks"]] == [task_key(t) for t in plan["tasks"]]
