"""Raw text into blocks: wraps joined, markers removed, run-together headings split, tables read."""

from cchc.documents.blocks import Paragraph, Table
from cchc.documents.textblocks import blocks_from_text


def texts(blocks):
    return [b.text for b in blocks if isinstance(b, Paragraph)]


def test_bold_run_together_headings_are_split():
    blocks = blocks_from_text("I. MỤC ĐÍCH, YÊU CẦU**1. Mục đích**\n\na) Nội dung", markdown=True)
    assert texts(blocks) == ["I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "a) Nội dung"]
    assert blocks[1].bold and not blocks[0].bold


def test_markdown_wraps_join_but_bullets_and_year_ranges_do_not_split():
    blocks = blocks_from_text("**4. **Trong giai đoạn 2026\n- 2030 phấn đấu\n- Mục khác", markdown=True)
    assert texts(blocks) == ["4. Trong giai đoạn 2026 - 2030 phấn đấu", "- Mục khác"]


def test_page_break_inside_a_sentence_is_joined():
    line = "Chủ trì, phối hợp với các cơ quan, đơn vị có liên quan thực hiện chương trình trên Đài Bình"
    blocks = blocks_from_text(line + "\n\nPhước; tuyên truyền hỗ trợ.\n\nKẾ HOẠCH\n\nThông tin\n\nđược nối")
    assert texts(blocks) == [line + " Phước; tuyên truyền hỗ trợ.", "KẾ HOẠCH", "Thông tin được nối"]


def test_tab_table_rows_that_wrap_are_merged():
    text = "TT\tNội dung\tThời gian\n1\tTập huấn các kiến\tQuý I\n\n\tthức mới\t\n2\tViết bài\tNăm 2023\nSau bảng"
    blocks = blocks_from_text(text)
    assert isinstance(blocks[0], Table)
    assert blocks[0].rows[1] == ["1", "Tập huấn các kiến thức mới", "Quý I"]
    assert texts(blocks) == ["Sau bảng"]


def test_vertical_pipe_table_and_noise():
    text = "|\n**ỦY BAN NHÂN\nDÂN**\nTỈNH X\n-------\n|\nCỘNG HÒA\n|\n|\nSố: 1/KH-UBND\n|\nX, ngày 1\n|\n\n** **\n* *\n"
    blocks = blocks_from_text(text, markdown=True)
    assert blocks[0].rows == [["ỦY BAN NHÂN DÂN\nTỈNH X", "CỘNG HÒA"], ["Số: 1/KH-UBND", "X, ngày 1"]]
    assert len(blocks) == 1


def test_nfd_and_windows_line_endings():
    import unicodedata

    blocks = blocks_from_text(unicodedata.normalize("NFD", "Kế hoạch\r\nsố 1"))
    assert texts(blocks) == ["Kế hoạch số 1"]


def test_html_line_breaks_in_a_markdown_signature_table():
    from cchc.documents import parse_text

    text = """**KẾ HOẠCH**

**Truyền thông về chuyển đổi số năm 2025**

**I. MỤC ĐÍCH, YÊU CẦU**

Người dân biết và sử dụng dịch vụ công trực tuyến.

| **Nơi nhận:**<br>- UBND tỉnh;<br/>- Sở KH&CN;<br />- Lưu: VT. | **TM. ỦY BAN NHÂN DÂN**<br>**CHỦ TỊCH**<br><br>**Nguyễn Văn Tâm** |
|---|---|
"""
    d = parse_text(text, markdown=True)["document"]
    assert d["recipients"] == ["UBND tỉnh", "Sở KH&CN", "Lưu: VT"]
    assert d["signer"] == {"name": "Nguyễn Văn Tâm", "position": "Chủ tịch", "authority": "TM. Ủy ban nhân dân"}


def test_a_date_line_wrapped_inside_the_date_is_one_line():
    for wrapped in (
        "Thị xã Phú Mỹ, ngày 15 tháng 01 năm\n2025",
        "Thị xã Phú Mỹ, ngày 15 tháng\n01 năm 2025",
        "Thị xã Phú Mỹ, ngày\n15 tháng 01 năm 2025",
    ):
        blocks = blocks_from_text("Số: 15/KH-UBND\n" + wrapped + "\nKẾ HOẠCH")
        assert texts(blocks) == ["Số: 15/KH-UBND", "Thị xã Phú Mỹ, ngày 15 tháng 01 năm 2025", "KẾ HOẠCH"]


def test_a_line_ending_in_nam_before_a_numbered_item_is_not_joined():
    blocks = blocks_from_text("Kế hoạch cải cách hành chính giai đoạn 5 năm\n2. Nhiệm vụ")
    assert texts(blocks) == ["Kế hoạch cải cách hành chính giai đoạn 5 năm", "2. Nhiệm vụ"]
