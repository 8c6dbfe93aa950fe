"""The same plan in the forms it arrives in: Word with a real table, a PDF made from it, NFD text,
loose spacing, lower-case headings. Each must read as the original does."""

from __future__ import annotations

import re

import pytest

from tests.documents.builders import (
    docx_from_text, nfd, parser_available, plan_validator, seed, soffice_pdf, task_key,
)

pytestmark = [
    pytest.mark.skipif(not parser_available(), reason="the semantic parser (cchc.documents.parser) is not in this checkout yet"),
    pytest.mark.filterwarnings("ignore::UserWarning"),
]


@pytest.fixture(scope="module")
def seed004():
    path = seed("004")
    return path


def _appendix(plan: dict) -> list[dict]:
    return [t for t in plan["tasks"] if (t.get("section") or "").lower().startswith("phụ lục")]


def _check_seed004_appendix(plan: dict) -> None:
    rows = _appendix(plan)
    assert len(rows) == 15
    fifth = rows[4]
    assert fifth["lead"] == ["Sở Nội vụ"]
    assert any("huyện" in a for a in fifth["support"])
    units = {t["unit"]: t["quantity"] for t in fifth["targets"]}
    assert units.get("lớp") == 10 and units.get("lượt") == 1000
    assert (fifth["timeframe"]["start"], fifth["timeframe"]["end"]) == ("2023-04-01", "2023-09-30")


@pytest.fixture(scope="module")
def seed004_docx(seed004, tmp_path_factory):
    return docx_from_text(seed004.read_text(encoding="utf-8"), tmp_path_factory.mktemp("docx") / "seed004.docx")


def test_docx_with_a_real_table_gives_the_fifteen_appendix_tasks(seed004_docx):
    from cchc.documents import parse_file

    plan = parse_file(seed004_docx)
    _check_seed004_appendix(plan)
    assert plan["document"]["number"] == "233/QĐ-UBND"
    assert plan["document"]["issuer"] == "Ủy ban nhân dân tỉnh Hà Giang"
    validator = plan_validator()
    if validator is not None:
        assert list(validator.iter_errors(plan)) == []


def test_pdf_made_by_libreoffice_reads_with_its_diacritics(seed004_docx, tmp_path):
    from cchc.documents import parse_file

    pdf = soffice_pdf(seed004_docx, tmp_path)
    if pdf is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    plan = parse_file(pdf)
    _check_seed004_appendix(plan)
    assert plan["document"]["number"] == "233/QĐ-UBND"
    assert plan["document"]["place"] == "Hà Giang"
    assert "cải cách hành chính" in (plan["document"]["title"] or "")
    first = _appendix(plan)[0]
    assert first["title"].startswith("Đẩy mạnh tuyên truyền kỷ luật, kỷ cương hành chính")


def _parse_text_file(text: str, tmp_path, name="plan.txt") -> dict:
    from cchc.documents import parse_file

    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_file(path)


def test_nfd_text_reads_exactly_as_nfc(seed004, tmp_path):
    from cchc.documents import parse_file

    original = parse_file(seed004)
    decomposed = _parse_text_file(nfd(seed004.read_text(encoding="utf-8")), tmp_path)
    assert decomposed["tasks"] == original["tasks"]
    assert decomposed["document"] == original["document"]


def test_extra_blank_lines_and_spaces_change_nothing_a_reader_sees(seed004, tmp_path):
    from cchc.documents import parse_file

    text = seed004.read_text(encoding="utf-8")
    loose = re.sub(r"\n\n", "\n\n\n\n", text)
    loose = re.sub(r"(?<=\S) (?=\S)", "  ", loose)
    loose = "\n".join("  " + line + "   " if line.strip() and "\t" not in line else line for line in loose.split("\n"))
    original = parse_file(seed004)
    again = _parse_text_file(loose, tmp_path)
    assert [task_key(t) for t in again["tasks"]] == [task_key(t) for t in original["tasks"]]
    assert again["reporting"] == original["reporting"]


def _lower_headings(text: str) -> str:
    """Headings in capitals (I. MỤC ĐÍCH, YÊU CẦU; PHỤ LỤC) written in sentence case instead."""
    out = []
    for line in text.split("\n"):
        match = re.match(r"^([IVX]+\.\s*)(.+)$", line)
        if match and match[2].upper() == match[2]:
            body = match[2].lower()
            line = match[1] + body[:1].upper() + body[1:]
        out.append(line)
    return "\n".join(out)


def test_lower_case_headings_keep_sections_and_tasks(seed004, tmp_path):
    from cchc.documents import parse_file

    text = seed004.read_text(encoding="utf-8")
    lowered = _lower_headings(text)
    assert lowered != text
    original = parse_file(seed004)
    again = _parse_text_file(lowered, tmp_path)
    assert len(again["sections"]) == len(original["sections"])
    assert [task_key(t) for t in again["tasks"]] == [task_key(t) for t in original["tasks"]]


# A plan whose appendix table has no borders and whose date wraps in its narrow header cell
# ("Thị xã Phú Mỹ, ngày 15 tháng 01 năm" / "2025" in LibreOffice's layout).
BORDERLESS_PLAN = """ỦY BAN NHÂN DÂN
THỊ XÃ PHÚ MỸ

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 215/KH-UBND

Thị xã Phú Mỹ, ngày 15 tháng 01 năm 2025

KẾ HOẠCH
Tuyên truyền cải cách hành chính năm 2025

Thực hiện Kế hoạch số 35/KH-UBND ngày 05/01/2025 của Ủy ban nhân dân tỉnh về cải cách hành chính năm 2025;

I. MỤC ĐÍCH, YÊU CẦU

Nâng cao nhận thức của cán bộ, công chức, viên chức và Nhân dân về cải cách hành chính.

II. TỔ CHỨC THỰC HIỆN

Phòng Nội vụ theo dõi, đôn đốc, tổng hợp kết quả thực hiện Kế hoạch.

PHỤ LỤC
NHIỆM VỤ TUYÊN TRUYỀN CẢI CÁCH HÀNH CHÍNH NĂM 2025

STT\tNội dung\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian thực hiện
1\tTập huấn nghiệp vụ cải cách hành chính cho công chức cấp xã (02 lớp, 80 người)\tPhòng Nội vụ\tUBND các phường, xã\tQuý II/2025
2\tCấp kinh phí tổ chức tuyên truyền cải cách hành chính\tPhòng Tài chính - Kế hoạch\tPhòng Nội vụ\tQuý I/2025
3\tDuy trì chuyên mục Cải cách hành chính trên sóng phát thanh (12 chuyên mục/năm)\tTrung tâm Văn hóa, Thể thao và Truyền thanh\tPhòng Nội vụ; Phòng Văn hóa và Thông tin\tHằng tháng
4\tTổ chức Hội thi tìm hiểu về cải cách hành chính\tPhòng Nội vụ\tThị đoàn; các cơ quan, đơn vị\tQuý III/2025

Nơi nhận:
- UBND tỉnh;
- Thường trực Thị ủy;
- Lưu: VT, NV.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Nguyễn Văn An
"""


def test_pdf_whose_task_table_has_no_borders_keeps_its_tasks_and_date(tmp_path):
    from cchc.documents import parse_file

    source = docx_from_text(BORDERLESS_PLAN, tmp_path / "borderless.docx", borders=False)
    pdf = soffice_pdf(source, tmp_path)
    if pdf is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    plan = parse_file(pdf)
    document = plan["document"]
    assert document["number"] == "215/KH-UBND"
    assert document["date"] == "2025-01-15"
    assert document["place"] == "Thị xã Phú Mỹ"
    assert document["signer"]["name"] == "Nguyễn Văn An"
    rows = _appendix(plan)
    assert [t["lead"] for t in rows] == [
        ["Phòng Nội vụ"], ["Phòng Tài chính - Kế hoạch"], ["Trung tâm Văn hóa, Thể thao và Truyền thanh"], ["Phòng Nội vụ"],
    ]
    assert rows[0]["title"].startswith("Tập huấn nghiệp vụ cải cách hành chính cho công chức cấp xã")
    assert {t["unit"]: t["quantity"] for t in rows[0]["targets"]} == {"lớp": 2, "người": 80}
    assert rows[2]["support"] == ["Phòng Nội vụ", "Phòng Văn hóa và Thông tin"]
    assert [(t["timeframe"]["start"], t["timeframe"]["end"]) for t in (rows[0], rows[3])] == [
        ("2025-04-01", "2025-06-30"), ("2025-07-01", "2025-09-30"),
    ]
    validator = plan_validator()
    if validator is not None:
        assert list(validator.iter_errors(plan)) == []


def test_pdf_of_a_borderless_table_over_several_pages_gives_the_fifteen_tasks(seed004, tmp_path):
    from cchc.documents import parse_file

    source = docx_from_text(seed004.read_text(encoding="utf-8"), tmp_path / "seed004-borderless.docx", borders=False)
    pdf = soffice_pdf(source, tmp_path)
    if pdf is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    plan = parse_file(pdf)
    _check_seed004_appendix(plan)
    assert plan["document"]["issuer"] == "Ủy ban nhân dân tỉnh Hà Giang"
