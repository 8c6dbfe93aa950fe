"""Hostile uploads, built in memory at any size: small in the tests, at full size in the benchmark.

Each builder returns the file's bytes. The zip builders stream their content through zipfile, so
even a part that expands to a gigabyte never sits in memory whole.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'officeDocument" Target="word/document.xml"/></Relationships>'
)
DOC_HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}"><w:body>'.encode()
DOC_TAIL = b"</w:body></w:document>"
PLAN = "KẾ HOẠCH Tuyên truyền cải cách hành chính năm 2026. Sở Nội vụ chủ trì, các sở, ban, ngành phối hợp."


def _paragraph(text: str) -> bytes:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>".encode()


def docx(document_xml: bytes | None = None, *, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal Word file; its body is one plan paragraph unless `document_xml` is given."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("word/document.xml", document_xml or DOC_HEAD + _paragraph(PLAN) + DOC_TAIL)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _streamed_docx(chunks, *, level: int = 9) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        with archive.open("word/document.xml", "w") as part:
            for chunk in chunks:
                part.write(chunk)
    return buffer.getvalue()


def understate(data: bytes, member: str, size: int) -> bytes:
    """The zip with `member`'s uncompressed size written as `size` in its local and central headers."""
    out = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    struct.pack_into("<I", out, info.header_offset + 22, size)
    central = out.find(b"PK\x01\x02")
    name = member.encode()
    while central != -1:
        length = struct.unpack_from("<H", out, central + 28)[0]
        if bytes(out[central + 46:central + 46 + length]) == name:
            struct.pack_into("<I", out, central + 24, size)
            break
        central = out.find(b"PK\x01\x02", central + 4)
    return bytes(out)


def zip_bomb_docx(expands_to: int) -> bytes:
    """A Word file whose document.xml expands to `expands_to` bytes (one run of one letter) while its
    zip index says 2 KB: about 1 KB of file per MB of text."""
    def chunks():
        yield DOC_HEAD + b"<w:p><w:r><w:t>"
        left = expands_to
        block = b"A" * (1024 * 1024)
        while left > 0:
            yield block[:left]
            left -= len(block)
        yield b"</w:t></w:r></w:p>" + DOC_TAIL
    return understate(_streamed_docx(chunks()), "word/document.xml", 2048)


def text_docx(characters: int, *, seed: int = 7) -> bytes:
    """A Word file with `characters` of plan-like text in short paragraphs, compressed about as well as
    real text (words drawn at random from a plan's vocabulary)."""
    words = PLAN.replace(".", "").replace(",", "").split() + ["xã", "phường", "tập huấn", "bài", "tin", "lớp",
                                                              "Quý I", "2026", "thủ tục", "trực tuyến"]
    rng = random.Random(seed)

    def chunks():
        yield DOC_HEAD
        made = 0
        while made < characters:
            text = " ".join(rng.choice(words) for _ in range(60))
            made += len(text)
            yield _paragraph(text)
        yield DOC_TAIL
    return _streamed_docx(chunks(), level=6)


def billion_laughs_docx() -> bytes:
    entities = "".join(
        f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10))
    xml = (f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY lol0 "lol">{entities}]>'
           f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>')
    return docx(xml.encode())


def deep_docx(depth: int = 5000) -> bytes:
    """Content controls nested `depth` deep around one paragraph."""
    opening = b"<w:sdt><w:sdtContent>" * depth
    closing = b"</w:sdtContent></w:sdt>" * depth
    return docx(DOC_HEAD + opening + _paragraph(PLAN) + closing + DOC_TAIL)


def many_parts_docx(parts: int) -> bytes:
    return docx(extra={f"word/media/p{i}.bin": b"" for i in range(parts)})


def xlsx_last_cell() -> bytes:
    """A workbook with a header and one cell in the sheet's last row and column (XFD1048576)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Ngày", "Loại sản phẩm", "Tên"])
    sheet["XFD1048576"] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_declared_range(ref: str = "A1:XFD1048576") -> bytes:
    """A small workbook whose sheet declares the used range `ref`."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Ngày", "Loại sản phẩm", "Tên"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:C1"/>', f'<dimension ref="{ref}"/>'.encode())
                assert ref.encode() in data
            archive.writestr(info.filename, data)
    return out.getvalue()


def pdf(pages: int, *, count: int | None = None, text: str = "Ke hoach") -> bytes:
    """A PDF of `pages` pages (each with one line of `text`) whose page tree says /Count `count`."""
    objects: list[bytes] = []
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    first_page = 5
    kids = " ".join(f"{first_page + i} 0 R" for i in range(pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages if count is None else count} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    for _ in range(pages):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                       b"/Resources << /Font << /F1 3 0 R >> >> >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def repetitive_text_docx(characters: int, *, pool: int = 40, seed: int = 11) -> bytes:
    """A Word file with `characters` of text made of `pool` different paragraphs in random order: text
    that compresses a few hundred times over (the 0.7 MB file with 180 MB of text)."""
    rng = random.Random(seed)
    words = PLAN.replace(".", "").replace(",", "").split()
    paragraphs = [_paragraph(" ".join(rng.choice(words) for _ in range(50))) for _ in range(pool)]

    def chunks():
        yield DOC_HEAD
        made = 0
        while made < characters:
            batch = b"".join(rng.choice(paragraphs) for _ in range(256))
            made += len(batch)
            yield batch
        yield DOC_TAIL
    return _streamed_docx(chunks(), level=9)
