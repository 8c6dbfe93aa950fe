"""The readers: what a user's file turns into, and the one-line refusal of what is not a document."""

from __future__ import annotations

import io
import unicodedata
import zipfile

import pytest

from cchc.documents.blocks import DocumentError, Paragraph, Table
from cchc.documents.reader import read_document

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def _docx_with_merged_table(path):
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.add_run("KẾ HOẠCH").bold = True
    note = document.add_paragraph()
    note.add_run("(Kèm theo Quyết định số 233/QĐ-UBND)").italic = True
    document.add_paragraph("Nội dung trước bảng.")
    table = document.add_table(rows=3, cols=4)
    for c, text in enumerate(("TT", "Nội dung", "Cơ quan thực hiện", "")):
        table.cell(0, c).text = text
    table.cell(0, 2).merge(table.cell(0, 3))  # a header spanning two columns (gridSpan)
    table.cell(1, 0).text = "1"
    table.cell(1, 1).text = "Tập huấn nghiệp vụ"
    table.cell(1, 2).text = "Sở Nội vụ"
    table.cell(1, 3).text = "Quý II/2023"
    table.cell(2, 0).text = "2"
    table.cell(1, 1).merge(table.cell(2, 1))  # a task spanning two rows (vMerge)
    table.cell(2, 2).text = "Sở Tài chính"
    table.cell(2, 3).text = "Quý III/2023"
    document.add_paragraph("Nội dung sau bảng.")
    document.save(path)
    return path


def test_docx_keeps_paragraphs_and_tables_in_reading_order(tmp_path):
    doc = read_document(_docx_with_merged_table(tmp_path / "plan.docx"))
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == ["Paragraph", "Paragraph", "Paragraph", "Table", "Paragraph"]
    assert doc.source_format == "docx"
    assert doc.blocks[2].text == "Nội dung trước bảng."
    assert doc.blocks[4].text == "Nội dung sau bảng."


def test_docx_merged_cells_give_their_text_once(tmp_path):
    table = next(b for b in read_document(_docx_with_merged_table(tmp_path / "p.docx")).blocks if isinstance(b, Table))
    assert table.rows[0] == ["TT", "Nội dung", "Cơ quan thực hiện", ""]
    flat = [cell for row in table.rows for cell in row]
    assert flat.count("Tập huấn nghiệp vụ") == 1
    assert table.rows[2][:2] == ["2", ""]
    assert table.rows[2][2:] == ["Sở Tài chính", "Quý III/2023"]


def test_docx_bold_italic_and_centred_flags(tmp_path):
    blocks = read_document(_docx_with_merged_table(tmp_path / "p.docx")).blocks
    assert (blocks[0].bold, blocks[0].centered, blocks[0].italic) == (True, True, False)
    assert (blocks[1].italic, blocks[1].bold) == (True, False)
    assert (blocks[2].bold, blocks[2].italic, blocks[2].centered) == (False, False, False)


def test_docx_header_table_is_an_ordinary_table(tmp_path):
    from tests.documents.builders import docx_from_text

    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH HÀ GIANG\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
        "Số: 233/QĐ-UBND\n\nHà Giang, ngày 19 tháng 12 năm 2022\n\nKẾ HOẠCH\n"
    )
    doc = read_document(docx_from_text(text, tmp_path / "h.docx"))
    header = doc.blocks[0]
    assert isinstance(header, Table)
    assert header.rows[0] == ["ỦY BAN NHÂN DÂN\nTỈNH HÀ GIANG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"]
    assert header.rows[1] == ["Số: 233/QĐ-UBND", "Hà Giang, ngày 19 tháng 12 năm 2022"]


def test_docx_text_is_nfc(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph(unicodedata.normalize("NFD", "Sở Nội vụ chủ trì"))
    document.save(tmp_path / "nfd.docx")
    (para,) = read_document(tmp_path / "nfd.docx").blocks
    assert para.text == "Sở Nội vụ chủ trì" and unicodedata.is_normalized("NFC", para.text)


def _cp1258(text: str) -> bytes:
    """Vietnamese in Windows-1258: base letters precomposed, tone marks as combining characters."""
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(m for m in parts[1:] if m in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", "".join(m for m in parts if m not in tones))
        out.append((base + tones).encode("cp1258"))
    return b"".join(out)


SAMPLE = "KẾ HOẠCH\nTuyên truyền cải cách hành chính năm 2024\n\nI. MỤC ĐÍCH, YÊU CẦU\n\nSở Nội vụ chủ trì.\n"


@pytest.mark.parametrize(
    "encode",
    [
        lambda s: s.encode("utf-8"),
        lambda s: b"\xef\xbb\xbf" + s.encode("utf-8"),
        lambda s: s.encode("utf-16"),
        lambda s: s.replace("\n", "\r\n").encode("utf-8"),
        _cp1258,
        lambda s: unicodedata.normalize("NFD", s).encode("utf-8"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "crlf", "cp1258", "nfd"],
)
def test_text_files_in_any_common_encoding_read_the_same(tmp_path, encode):
    path = tmp_path / "plan.txt"
    path.write_bytes(encode(SAMPLE))
    text = "\n".join(b.text for b in read_document(path).blocks if isinstance(b, Paragraph))
    assert "Tuyên truyền cải cách hành chính năm 2024" in text
    assert "Sở Nội vụ chủ trì." in text
    assert "\r" not in text and "\ufeff" not in text


def test_latin1_text_is_read(tmp_path):
    path = tmp_path / "note.txt"
    path.write_bytes("Plan: café, résumé, naïve – “quoted”.\n".encode("cp1252"))
    (para,) = [b for b in read_document(path).blocks if isinstance(b, Paragraph)]
    assert "café, résumé, naïve – “quoted”" in para.text


def test_type_is_told_from_the_bytes_not_the_name(tmp_path):
    path = _docx_with_merged_table(tmp_path / "plan.docx")
    renamed = tmp_path / "plan.txt"
    renamed.write_bytes(path.read_bytes())
    assert read_document(renamed).source_format == "docx"


def test_markdown_is_told_by_extension(tmp_path):
    path = tmp_path / "plan.md"
    path.write_text("**KẾ HOẠCH**\n\nTuyên truyền cải cách hành chính\n", encoding="utf-8")
    doc = read_document(path)
    assert doc.source_format == "md"
    assert all("**" not in b.text for b in doc.blocks if isinstance(b, Paragraph))


def _image_pdf(path):
    from PIL import Image

    Image.new("RGB", (400, 560), "white").save(path, "PDF")
    return path


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


BAD_FILES = {
    "empty.docx": (b"", "is empty"),
    "scan.png": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "is an image (PNG)"),
    "photo.docx": (b"\xff\xd8\xff\xe0" + b"\x00" * 64, "is an image (JPEG)"),
    "archive.docx": (_zip({"readme.txt": b"hello"}), "zip archive, not a Word .docx"),
    "broken.docx": (_zip({"word/document.xml": b"<not xml", "[Content_Types].xml": b"<x"}), "damaged Word file"),
    "cut.docx": (b"PK\x03\x04" + b"\x00" * 40, "damaged zip or Word file"),
    "old.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old Word .doc"),
    "noise.txt": (bytes(range(256)) * 40, "binary file"),
    "broken.pdf": (b"%PDF-1.4\n garbage that is no PDF at all", "damaged PDF"),
    "calc.docx": (_zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}), "OpenDocument"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_are_refused_with_one_clear_line(tmp_path, name):
    data, expected = BAD_FILES[name]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DocumentError) as caught:
        read_document(path)
    message = str(caught.value)
    assert expected in message
    assert "\n" not in message and name in message
    assert ";" in message  # what is wrong; what to do


def test_scanned_pdf_says_it_has_no_text_layer(tmp_path):
    with pytest.raises(DocumentError) as caught:
        read_document(_image_pdf(tmp_path / "scan.pdf"))
    assert str(caught.value) == (
        "scan.pdf has no text layer: it is a scan; run OCR or upload the original Word file"
    )


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(21 * 1024 * 1024)  # sparse: costs no disk
    with pytest.raises(DocumentError, match=r"huge.txt is 21.0 MB, over the 20 MB limit"):
        read_document(path)
    small = tmp_path / "small.txt"
    small.write_text("Kế hoạch " * 200, encoding="utf-8")
    with pytest.raises(DocumentError, match="small.txt is 3 KB, over the 1 KB limit"):
        read_document(small, max_bytes=1024)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(DocumentError, match="nothing.docx: no such file"):
        read_document(tmp_path / "nothing.docx")
    with pytest.raises(DocumentError, match="is a folder"):
        read_document(tmp_path)


def test_pdf_reader_rebuilds_two_column_header_and_drops_page_numbers():
    from cchc.documents.reader import _drop_page_numbers, _lines_from_words

    def word(text, x0, top, size=12.0):
        return {"text": text, "x0": x0, "x1": x0 + 6 * len(text), "top": top, "bottom": top + size}

    words = [
        word("UBND", 100, 50), word("CỘNG", 320, 50), word("HÒA", 352, 50),
        word("TỈNH", 95, 64), word("Độc", 330, 64), word("lập", 352, 64),
        word("KẾ", 290, 120), word("HOẠCH", 306, 120),
    ]
    lines = [text for _, text in _lines_from_words(words, 612)]
    assert lines == ["UBND", "TỈNH", "CỘNG HÒA", "Độc lập", "KẾ HOẠCH"]
    assert [t for _, t in _drop_page_numbers([(0, "2"), (1, "Nội dung"), (2, "- 3 -")])] == ["Nội dung"]


def test_docx_cell_merged_down_gives_each_task_its_lead(tmp_path):
    import docx

    from cchc.documents.reader import parse_file

    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Tuyên truyền cải cách hành chính năm 2025")
    table = document.add_table(rows=6, cols=5)
    for c, text in enumerate(("STT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian")):
        table.cell(0, c).text = text
    for r in range(1, 6):
        table.cell(r, 0).text = str(r)
        table.cell(r, 1).text = f"Nhiệm vụ thứ {r} về cải cách hành chính"
    table.cell(1, 2).text = "Sở Nội vụ"
    table.cell(1, 2).merge(table.cell(4, 2))  # one lead written once for rows 1-4
    table.cell(5, 2).text = "Sở Tư pháp"
    table.cell(1, 3).text = "UBND các xã, phường"
    table.cell(1, 3).merge(table.cell(5, 3))
    table.cell(1, 4).text = "Quý II/2025"
    table.cell(1, 4).merge(table.cell(2, 4))
    table.cell(3, 4).text = "Quý III/2025"
    table.cell(3, 4).merge(table.cell(5, 4))
    document.save(tmp_path / "merged.docx")
    tasks = [t for t in parse_file(tmp_path / "merged.docx")["tasks"] if t["source"] == "table"]
    assert len(tasks) == 5
    assert [t["lead"] for t in tasks] == [["Sở Nội vụ"]] * 4 + [["Sở Tư pháp"]]
    assert all(t["support"] == ["UBND các xã, phường"] for t in tasks)
    assert tasks[3]["timeframe"]["start"] == "2025-07-01" and tasks[1]["timeframe"]["start"] == "2025-04-01"
