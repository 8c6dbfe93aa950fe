"""Readers: turn a file (.docx, .pdf with a text layer, .txt, .md) into a `SourceDocument`.

The real type is told from the bytes, never from the name: officers rename files, e-mail
clients strip extensions and a "plan.docx" is sometimes a scan or an old .doc. Every way a file
can fail to be a readable document ends in one `DocumentError` whose message says what is wrong
and what to do. Heavy libraries (python-docx, pdfplumber) are imported only when their format is
read, so that `cchc parse notes.txt` starts instantly.
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import unicodedata
from pathlib import Path

from cchc.documents import limits as _limits
from cchc.documents.blocks import DocumentError, Paragraph, SourceDocument, Table
from cchc.documents.i18n import _
from cchc.documents.safezip import SafeZip, refuse_doctype

MAX_BYTES = 20 * 1024 * 1024

_IMAGE_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"BM", "BMP"),
)


def parse_file(path: str | os.PathLike) -> dict:
    """Read the file and parse it into the plan dict of `plan.schema.json`."""
    from cchc.documents.parser import parse_blocks

    return parse_blocks(read_document(path))


def read_document(path: str | os.PathLike, *, max_bytes: int = MAX_BYTES) -> SourceDocument:
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise DocumentError(_("%(name)s: no such file; check the path and try again") % {"name": name}) from None
    except OSError as exc:
        raise DocumentError(
            _("%(name)s cannot be opened (%(error)s); check the path") % {"name": name, "error": exc.strerror or exc}
        ) from None
    if path.is_dir():
        raise DocumentError(_("%(name)s is a folder, not a file; give the path of a plan document") % {"name": name})
    if size == 0:
        raise DocumentError(_empty_message(name))
    if size > max_bytes:
        raise DocumentError(
            _("%(name)s is %(size)s, over the %(limit)s limit for a plan document; remove embedded images "
              "or split it, then try again") % {"name": name, "size": _size(size), "limit": _size(max_bytes, exact=True)}
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(
            _("%(name)s cannot be read (%(error)s); check its permissions") % {"name": name, "error": exc.strerror or exc}
        ) from None
    return read_bytes(data, name=name)


def _size(n: int, *, exact: bool = False) -> str:
    if n >= 1048576:
        return f"{n / 1048576:g} MB" if exact else f"{n / 1048576:.1f} MB"
    return f"{max(1, round(n / 1024))} KB"


def read_bytes(data: bytes, *, name: str = "document") -> SourceDocument:
    """Like `read_document`, for content already in memory (an upload)."""
    if not data:
        raise DocumentError(_empty_message(name))
    head = data[:16]
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _read_docx(data, name)
    if head.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return _read_pdf(data, name)
    for signature, kind in _IMAGE_SIGNATURES:
        if head.startswith(signature):
            raise DocumentError(_image_message(name, kind))
    if head[:4] == b"RIFF" and data[8:12] == b"WEBP":
        raise DocumentError(_image_message(name, "WebP"))
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1"):
        raise DocumentError(_image_message(name, "HEIC"))
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise DocumentError(
            _("%(name)s is an old Word .doc (or other Office 97-2003) file; open it in Word or LibreOffice, "
              "save it as .docx and upload that") % {"name": name}
        )
    if head.startswith(b"{\\rtf"):
        raise DocumentError(
            _("%(name)s is an RTF file; open it in Word or LibreOffice, save it as .docx and upload that") % {"name": name}
        )
    for signature in (b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!", b"BZh"):
        if head.startswith(signature):
            raise DocumentError(
                _("%(name)s is a compressed archive, not a document; extract the plan from it and upload that")
                % {"name": name}
            )
    text = _decode_text(data, name)
    markdown = Path(name).suffix.lower() in (".md", ".markdown") or _looks_like_markdown(text)
    return _text_document(text, name, "md" if markdown else "txt")


def _image_message(name: str, kind: str) -> str:
    return _("%(name)s is an image (%(kind)s), not a text document; run OCR on it or upload the original Word file") % {
        "name": name, "kind": kind}


def _empty_message(name: str) -> str:
    return _("%(name)s is empty; upload the plan document itself (.docx, .pdf, .txt or .md)") % {"name": name}


# ---------------------------------------------------------------------------------------- text

_VI_COMBINING = re.compile("[A-Za-z\u00c0-\u01b0][\u0300\u0301\u0303\u0309\u0323]")
_VI_LETTERS = re.compile("[ăâđêôơưĂÂĐÊÔƠƯ]")
_BAD_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _decode_text(data: bytes, name: str) -> str:
    """Decode a plain-text file in whatever encoding Vietnamese offices produce.

    UTF-8 (with or without BOM) and UTF-16 with BOM come first; UTF-16 without BOM is told by its
    NUL bytes. Legacy Windows files are cp1258 (Vietnamese, tone marks as combining characters)
    or cp1252; cp1258 is chosen when it yields Vietnamese letters or tone marks.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        text = _try(data[3:], "utf-8")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _try(data, "utf-16")
    else:
        text = None
        sample = data[:4096]
        nul = sample.count(0)
        if nul:
            # Text in UTF-16 without a BOM has a NUL beside nearly every ASCII character.
            even, odd = sample[0::2].count(0), sample[1::2].count(0)
            if nul > len(sample) // 4 and max(even, odd) > 4 * max(1, min(even, odd)):
                text = _try(data, "utf-16-le" if odd > even else "utf-16-be")
            if text is None:
                raise DocumentError(_binary_message(name))
        if text is None:
            text = _try(data, "utf-8")
        if text is None:
            vi = _try(data, "cp1258")
            if vi is not None and (_VI_COMBINING.search(vi) or _VI_LETTERS.search(vi)):
                text = vi
            else:
                text = _try(data, "cp1252") or data.decode("latin-1")
    if text is None:
        raise DocumentError(
            _("%(name)s is not in a text encoding that can be read; save it as UTF-8 text or as .docx and try again")
            % {"name": name}
        )
    sample = text[:200_000]
    controls = len(_BAD_CONTROL.findall(sample))
    if controls > max(8, len(sample) // 200) or sample.count("\ufffd") > max(8, len(sample) // 100):
        raise DocumentError(_binary_message(name))
    return text


def _binary_message(name: str) -> str:
    return _("%(name)s is a binary file, not a plan document; upload the plan as .docx, .pdf (with text), .txt or .md") % {
        "name": name}


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


_MD_HINTS = re.compile(r"^(#{1,6} |\s*\|.*\||\s*\*\*\S)", re.M)


def _looks_like_markdown(text: str) -> bool:
    return len(_MD_HINTS.findall(text[:50_000])) >= 3


def clean_text(text: str) -> str:
    """NFC, Unix line endings, no invisible characters: the form every text reader hands on."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n")
    text = text.replace("\u00a0", " ").replace("\u2028", "\n").replace("\u2029", "\n")
    text = re.sub("[\u200b\u200c\u200d\u2060\ufeff\u00ad]", "", text)
    text = _BAD_CONTROL.sub(" ", text)
    return unicodedata.normalize("NFC", text)


def _text_document(text: str, name: str, fmt: str) -> SourceDocument:
    from cchc.documents.textblocks import blocks_from_text

    _check_text_size(len(text), name)
    text = clean_text(text)
    if not text.strip():
        raise DocumentError(_("%(name)s holds no text; upload the plan document itself") % {"name": name})
    return SourceDocument(blocks=blocks_from_text(text, markdown=fmt == "md"), source_format=fmt, name=name)


# ---------------------------------------------------------------------------------------- docx

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _q(tag: str) -> str:
    return f"{{{_W}}}{tag}"


def _read_docx(data: bytes, name: str) -> SourceDocument:
    """The body of a Word file, read part by part through `SafeZip` (real sizes, counted while
    decompressing) and parsed without entities or a network, nested at most 255 deep."""
    damaged = _(
        "%(name)s is a damaged zip or Word file; open it in Word or LibreOffice, save it again as .docx and retry"
    ) % {"name": name}
    package = SafeZip(data, name=name, damaged=damaged)
    names = package.names()
    main = _related(package, "_rels/.rels", "", "/officeDocument") or "word/document.xml"
    if main not in names:
        if "mimetype" in names and "content.xml" in names:
            raise DocumentError(
                _("%(name)s is an OpenDocument file (LibreOffice .odt/.ods), not .docx; save it as .docx and upload that")
                % {"name": name}
            )
        if any(n.startswith("xl/") for n in names):
            raise DocumentError(
                _("%(name)s is an Excel workbook, not a plan document; upload the plan as .docx or .pdf") % {"name": name}
            )
        if any(n.startswith("ppt/") for n in names):
            raise DocumentError(
                _("%(name)s is a PowerPoint file, not a plan document; upload the plan as .docx or .pdf") % {"name": name}
            )
        raise DocumentError(
            _("%(name)s is a zip archive, not a Word .docx file; extract the plan from it and upload that") % {"name": name}
        )
    folder, _sep, leaf = main.rpartition("/")
    styles_part = _related(package, f"{folder}/_rels/{leaf}.rels" if folder else f"_rels/{leaf}.rels", folder, "/styles")
    broken = _("%(name)s is a damaged Word file; open it in Word or LibreOffice, save it again as .docx and retry") % {
        "name": name}
    root = _parse_part(package, main, name, broken)
    body = root.find(_q("body"))
    if root.tag != _q("document") or body is None:
        raise DocumentError(broken)
    styles: dict = {}
    if styles_part in names:
        try:
            styles = _style_flags(_parse_part(package, styles_part, name, broken))
        except DocumentError as exc:
            if str(exc) != broken:
                raise  # a limit, not damage: the styles are only a hint, but a bomb is a bomb
    blocks: list = []
    _walk_body(body, styles, blocks)
    _check_text_size(sum(len(b.text) if isinstance(b, Paragraph) else sum(len(c) for r in b.rows for c in r)
                         for b in blocks), name)
    if not any(isinstance(b, Paragraph) and b.text.strip() for b in blocks) and not any(
        isinstance(b, Table) and any(c.strip() for r in b.rows for c in r) for b in blocks
    ):
        raise DocumentError(
            _("%(name)s is a Word file with no text (perhaps only scanned images); upload the original typed document")
            % {"name": name}
        )
    return SourceDocument(blocks=blocks, source_format="docx", name=name)


def _xml_parser():
    from lxml import etree

    # The options python-docx reads with, and no entities, no DTD, no network, no huge trees (which
    # also keeps elements at most 255 deep).
    return etree.XMLParser(remove_blank_text=True, resolve_entities=False, load_dtd=False, no_network=True,
                           huge_tree=False)


def _parse_part(package: SafeZip, part: str, name: str, broken: str):
    from lxml import etree

    data = package.read(part)
    refuse_doctype(data, name)
    try:
        return etree.fromstring(data, _xml_parser())
    except etree.XMLSyntaxError as exc:
        if "depth" in str(exc).lower():
            raise DocumentError(
                _("%(name)s is nested too deeply to be read; save it again as a plain .docx") % {"name": name}
            ) from None
        raise DocumentError(broken) from None
    except ValueError:
        raise DocumentError(broken) from None


_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def _related(package: SafeZip, rels: str, folder: str, kind: str) -> str | None:
    """The part a relationship of type `kind` (".../officeDocument", ".../styles") points to."""
    from lxml import etree

    if rels not in package.names():
        return None
    data = package.read(rels)
    refuse_doctype(data, package.name)
    try:
        root = etree.fromstring(data, _xml_parser())
    except (etree.XMLSyntaxError, ValueError):
        return None
    for rel in root.iter(_RELS):
        if (rel.get("Type") or "").endswith(kind) and rel.get("TargetMode") != "External":
            target = rel.get("Target") or ""
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            return path
    return None


def _style_flags(root) -> dict[str, tuple[bool | None, bool | None, bool]]:
    """styleId -> (bold, italic, centred), resolved through `basedOn` as Word resolves them."""
    own: dict[str, tuple[bool | None, bool | None, bool | None, str | None]] = {}
    for style in root.iterchildren(_q("style")):
        style_id = style.get(_q("styleId"))
        if not style_id or style_id in own:
            continue
        kind = style.get(_q("type"), "paragraph")
        rpr, ppr = style.find(_q("rPr")), style.find(_q("pPr"))
        bold = italic = centred = None
        if rpr is not None and kind != "numbering":
            bold, italic = _on(rpr.find(_q("b"))), _on(rpr.find(_q("i")))
        if ppr is not None and kind in ("paragraph", "table"):
            jc = ppr.find(_q("jc"))
            if jc is not None and jc.get(_q("val")):
                centred = jc.get(_q("val")) == "center"
        based = style.find(_q("basedOn"))
        own[style_id] = (bold, italic, centred, based.get(_q("val")) if based is not None else None)
    flags: dict[str, tuple[bool | None, bool | None, bool]] = {}
    for style_id in own:
        bold = italic = None
        centred = False
        current, depth = style_id, 0
        while current in own and depth < 10:
            b, i, c, base = own[current]
            bold = b if bold is None else bold
            italic = i if italic is None else italic
            centred = centred or bool(c)
            current, depth = base, depth + 1
        flags[style_id] = (bold, italic, centred)
    return flags


def _check_text_size(chars: int, name: str) -> None:
    limit = _limits.current().text_chars
    if chars > limit:
        raise DocumentError(
            _("%(name)s holds more than %(limit)s characters of text, far more than a plan; upload the plan "
              "without its annexes, or split it into several files") % {"name": name, "limit": _limits.number_text(limit)}
        )


def _walk_body(parent, styles, out: list) -> None:
    for child in parent.iterchildren():
        tag = child.tag
        if tag == _q("p"):
            _emit_paragraph(child, styles, out)
        elif tag == _q("tbl"):
            table = _table(child, styles)
            if table.rows:
                out.append(table)
        elif tag in (_q("sdt"), _q("customXml")):
            content = child.find(_q("sdtContent")) if tag == _q("sdt") else child
            if content is not None:
                _walk_body(content, styles, out)


def _on(element) -> bool | None:
    """The value of a toggle property such as <w:b/>, <w:b w:val="0"/>; None when absent."""
    if element is None:
        return None
    return element.get(_q("val"), "true").lower() not in ("0", "false", "off", "none")


# Word's built-in heading styles ("Heading1", "heading 2"; a localised copy keeps the id "Heading1").
_HEADING_STYLE_RE = re.compile(r"^(?:heading|Heading|HEADING)\s*(\d)$")


def _emit_paragraph(p, styles, out: list) -> None:
    lines, textboxes = _paragraph_lines(p)
    ppr = p.find(_q("pPr"))
    style_bold = style_italic = None
    centred = False
    level = 0
    if ppr is not None:
        style = ppr.find(_q("pStyle"))
        if style is not None:
            style_id = style.get(_q("val")) or ""
            style_bold, style_italic, centred = styles.get(style_id, (None, None, False))
            m = _HEADING_STYLE_RE.match(style_id)
            level = int(m.group(1)) if m else 0
        outline = ppr.find(_q("outlineLvl"))
        if outline is not None and not level:
            level = min(_int_val(outline) + 1, 9)
        jc = ppr.find(_q("jc"))
        if jc is not None:
            centred = jc.get(_q("val")) == "center"
    bold, italic = _run_flags(p, styles, style_bold, style_italic)
    for line in lines:
        text = " ".join(unicodedata.normalize("NFC", line).split())
        if text:
            out.append(Paragraph(text=text, bold=bold, italic=italic, centered=centred, level=level))
    for box in textboxes:
        _walk_body(box, styles, out)


def _paragraph_lines(p) -> tuple[list[str], list]:
    """The paragraph's text split at explicit line breaks, and the text boxes it anchors."""
    lines: list[str] = []
    current: list[str] = []
    boxes: list = []

    def walk(element) -> None:
        for child in element.iterchildren():
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag == _q("t"):
                current.append(child.text or "")
            elif tag == _q("tab"):
                current.append("\t")
            elif tag in (_q("br"), _q("cr")):
                lines.append("".join(current))
                current.clear()
            elif tag == _q("noBreakHyphen"):
                current.append("-")
            elif tag == _q("txbxContent"):
                boxes.append(child)
            elif tag == f"{{{_MC}}}Fallback" or tag in (_q("delText"), _q("instrText"), _q("del"), _q("pPr"), _q("rPr")):
                continue  # duplicates of the chosen content, deleted revisions, field codes, properties
            else:
                walk(child)

    walk(p)
    lines.append("".join(current))
    return lines, boxes


def _run_flags(p, styles, style_bold, style_italic) -> tuple[bool, bool]:
    """A paragraph is bold (italic) when every run that carries text is."""
    bold_all = italic_all = True
    seen = False
    for run in p.iter(_q("r")):
        text = "".join(t.text or "" for t in run.findall(_q("t")))
        if not text.strip():
            continue
        seen = True
        rpr = run.find(_q("rPr"))
        b = i = None
        if rpr is not None:
            b, i = _on(rpr.find(_q("b"))), _on(rpr.find(_q("i")))
            rstyle = rpr.find(_q("rStyle"))
            if rstyle is not None:
                sb, si, _centred = styles.get(rstyle.get(_q("val")), (None, None, False))
                b = sb if b is None else b
                i = si if i is None else i
        b = style_bold if b is None else b
        i = style_italic if i is None else i
        bold_all = bold_all and bool(b)
        italic_all = italic_all and bool(i)
    return (seen and bold_all, seen and italic_all)


def _cell_text(tc, styles) -> str:
    """A cell's paragraphs, one per line; a nested table's rows as lines too."""
    parts: list = []
    _walk_body(tc, styles, parts)
    lines: list[str] = []
    for block in parts:
        if isinstance(block, Paragraph):
            lines.append(block.text)
        else:
            lines.extend(" | ".join(c for c in row if c) for row in block.rows)
    return "\n".join(line for line in lines if line)


def _table(tbl, styles) -> Table:
    """The table as a grid of logical cells.

    A cell spanning columns (gridSpan) keeps its text in its first grid position only. A cell
    merged down over several rows (vMerge) gives its text to each row it covers (the lead agency
    or the time written once for several tasks belongs to each of them), except in the number
    and content columns: a task whose content spans rows is one task, written once.
    """
    rows: list[list[str]] = []
    continued_at: list[tuple[int, int]] = []
    for tr in tbl.iterchildren(_q("tr")):
        row: list[str] = []
        trpr = tr.find(_q("trPr"))
        before = after = 0
        if trpr is not None:
            before = _int_val(trpr.find(_q("gridBefore")))
            after = _int_val(trpr.find(_q("gridAfter")))
        row.extend([""] * before)
        for tc in _row_cells(tr):
            tcpr = tc.find(_q("tcPr"))
            span, continued = 1, False
            if tcpr is not None:
                span = max(1, _int_val(tcpr.find(_q("gridSpan"))) or 1)
                vmerge = tcpr.find(_q("vMerge"))
                continued = vmerge is not None and vmerge.get(_q("val"), "continue") == "continue"
            col = len(row)
            if continued:
                continued_at.append((len(rows), col))
                row.append("")
            else:
                row.append(_cell_text(tc, styles))
            row.extend([""] * (span - 1))
        row.extend([""] * after)
        if any(cell.strip() for cell in row):
            rows.append(row)
        else:
            continued_at = [(r, c) for r, c in continued_at if r != len(rows)]
    if continued_at and rows:
        keep_once = {i for i, h in enumerate(rows[0]) if _is_number_or_content_header(h)}
        for r, c in continued_at:
            if 0 < r < len(rows) and c not in keep_once and c < len(rows[r - 1]) and c < len(rows[r]):
                rows[r][c] = rows[r - 1][c]
    width = max((len(r) for r in rows), default=0)
    return Table(rows=[r + [""] * (width - len(r)) for r in rows])


def _is_number_or_content_header(text: str) -> bool:
    from cchc.documents.folding import fold

    f = fold(text or "")
    return f in ("tt", "stt", "so tt", "so thu tu") or any(
        w in f for w in ("noi dung", "nhiem vu", "hoat dong", "cong viec", "ten "))


def _row_cells(tr):
    for child in tr.iterchildren():
        if child.tag == _q("tc"):
            yield child
        elif child.tag in (_q("sdt"), _q("customXml")):
            content = child.find(_q("sdtContent")) if child.tag == _q("sdt") else child
            if content is not None:
                yield from _row_cells(content)


def _int_val(element) -> int:
    if element is None:
        return 0
    try:
        return int(element.get(_q("val"), "0"))
    except ValueError:
        return 0


# ----------------------------------------------------------------------------------------- pdf

_PAGE_NUMBER = re.compile(r"^\s*(?:[-–—]\s*)?(?:trang\s+|page\s+)?\d{1,4}(?:\s*/\s*\d{1,4})?(?:\s*[-–—])?\s*$", re.I)
_LIST_START = re.compile(r"^(?:[-+•*–]\s|[a-zđ]\)|\d{1,2}[.)]\s)")


def _read_pdf(data: bytes, name: str) -> SourceDocument:
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFPasswordIncorrect
    except ImportError:  # pragma: no cover - a dependency of the project
        raise DocumentError(_("reading PDF files needs the pdfplumber package; install the project again")) from None
    segments: list = []  # str (text between tables) or Table
    text_parts: list[str] = []
    chars_seen = 0
    limits = _limits.current()
    try:
        _check_page_count(data, name, limits.pdf_pages)  # before pdfplumber, which makes every page on close
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            carry: _TextColumns | None = None
            for page in pdf.pages:
                on_page = sum(1 for c in page.chars if c.get("text", "").strip())
                if on_page > limits.page_chars:
                    raise DocumentError(
                        _("Page %(page)d of %(name)s holds more than %(limit)s characters, more than a printed page "
                          "can; export the PDF again from the original or upload the Word file")
                        % {"page": page.page_number, "name": name, "limit": _limits.number_text(limits.page_chars)}
                    )
                chars_seen += on_page
                _check_text_size(chars_seen, name)
                items, carry = _page_items(page, carry)
                for item in items:
                    if isinstance(item, Table):
                        if text_parts:
                            segments.append("\n".join(text_parts))
                            text_parts = []
                        _append_table(segments, item)
                    else:
                        text_parts.append(item)
                page.flush_cache()
    except DocumentError:
        raise
    except PDFPasswordIncorrect:
        raise DocumentError(_password_message(name)) from None
    except Exception as exc:
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise DocumentError(_password_message(name)) from None
        raise DocumentError(
            _("%(name)s is a damaged PDF that cannot be read; export it again from the original or upload the Word file")
            % {"name": name}
        ) from None
    if text_parts:
        segments.append("\n".join(text_parts))
    if chars_seen < 20:
        raise DocumentError(
            _("%(name)s has no text layer: it is a scan; run OCR or upload the original Word file") % {"name": name}
        )
    from cchc.documents.textblocks import blocks_from_text

    blocks: list = []
    for segment in segments:
        if isinstance(segment, Table):
            blocks.append(segment)
        else:
            text = clean_text(segment)
            if text.strip():
                blocks.extend(blocks_from_text(text))
    return SourceDocument(blocks=blocks, source_format="pdf", name=name)


_KIDS = re.compile(rb"/Kids\s*\[([^\]]*)\]")
_PAGES_COUNT = re.compile(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d{1,9})|/Count\s+(\d{1,9})[^>]*?/Type\s*/Pages\b")


def _check_page_count(data: bytes, name: str, limit: int) -> None:
    """Refuse a PDF of more than `limit` pages before any page is read: the /Count of the page tree
    as the file's bytes say it (a regular expression: parsing a tree of 100,000 pages takes seconds),
    then as the parsed catalog says it, then the pages really met, one by one up to the limit (a
    /Count can lie)."""
    from itertools import islice

    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    message = _("%(name)s has more than %(limit)d pages, more than a plan document may have; upload the plan "
                "without its annexes, or split it into several files") % {"name": name, "limit": limit}
    if any(int(a or b) > limit for a, b in _PAGES_COUNT.findall(data)):
        raise DocumentError(message)
    # Each kid of a page-tree node holds at least one page: a node with more kids than the limit is
    # refused whatever its /Count says.
    if any(kids.count(b"R") > limit for kids in _KIDS.findall(data)):
        raise DocumentError(message)
    document = PDFDocument(PDFParser(io.BytesIO(data)))
    try:
        count = resolve1(resolve1(document.catalog.get("Pages")).get("Count"))
    except Exception:  # a damaged page tree: the pages met below decide
        count = None
    if isinstance(count, int) and count > limit:
        raise DocumentError(message)
    if sum(1 for _page in islice(PDFPage.create_pages(document), limit + 1)) > limit:
        raise DocumentError(message)


def _password_message(name: str) -> str:
    return _("%(name)s is a password-protected PDF; remove the password or upload the Word file") % {"name": name}


def _page_items(page, carry: _TextColumns | None = None) -> tuple[list, _TextColumns | None]:
    """The page as text (str, one line each) and Table items in reading order, top to bottom.

    Tables drawn with lines are found by pdfplumber; borderless tables (the usual layout of a
    plan's task appendix when the borders were left off) are rebuilt from the positions of their
    words (`_text_tables`). `carry` is a borderless table that the previous page ended in; the
    returned one is the table this page ends in, so that its rows go on on the next page.
    """
    try:
        found = [t for t in page.find_tables() if t.bbox]
    except Exception:
        found = []
    found.sort(key=lambda t: t.bbox[1])
    boxes = [t.bbox for t in found]

    def outside(obj) -> bool:
        x = (obj.get("x0", 0) + obj.get("x1", 0)) / 2
        y = (obj.get("top", 0) + obj.get("bottom", 0)) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    try:
        words = page.filter(outside).extract_words(keep_blank_chars=False, use_text_flow=False, x_tolerance=1.5)
    except Exception:
        words = []
    raw = _drop_page_number_lines(_group_lines(words))
    tables, raw, carry = _text_tables(raw, carry if not found else None)
    items: list[tuple[float, object]] = list(_lay_out_lines(raw, float(page.width)))
    items.extend(tables)
    for table in found:
        try:
            rows = table.extract()
        except Exception:
            continue
        grid = [[_join_cell_lines(cell) for cell in row] for row in rows]
        grid = [row for row in grid if any(cell.strip() for cell in row)]
        if grid:
            items.append((table.bbox[1], Table(rows=grid)))
    items.sort(key=lambda item: item[0])
    return [item for _, item in items], carry


# Column headings of a task table ("STT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian"),
# folded. A heading row starts with the row-number column and names at least two of these.
_HEADER_WORDS = (
    "noi dung", "nhiem vu", "chu tri", "phoi hop", "thoi gian", "hinh thuc", "co quan", "don vi",
    "san pham", "ket qua", "kinh phi", "ghi chu", "hoat dong", "cong viec", "thuc hien", "tien do",
    "chi tieu", "giai phap",
)
_NUMBER_HEADINGS = ("stt", "tt", "so tt", "so thu tu")
_ROW_NUMBER = re.compile(r"^(?:\d{1,3}(?:\.\d{1,2}){0,2}|[IVXL]{1,6})[.)]?$")
_AFTER_TABLE = re.compile(r"^(?:Nơi nhận|(?:KT|TM|TL|TUQ|Q)\.\s)", re.I)


class _TextColumns:
    """A borderless table that runs on to the next page: its columns, or its heading alone when
    the page broke right after it."""

    def __init__(self, spans: list[list[float]] | None, number_right: float, content_left: float,
                 height: float, heading: list[list[dict]] | None = None):
        self.spans = spans  # [x0, x1] of each column, left to right
        self.number_right = number_right  # the right edge of the row-number column
        self.content_left = content_left  # where the text of the second column starts
        self.height = height  # line height
        self.heading = heading or []


def _fold(text: str) -> str:
    from cchc.documents.folding import fold

    return fold(text)


def _line_text(line: list[dict]) -> str:
    return " ".join(w["text"] for w in line)


def _heading_row_at(lines: list[list[dict]], i: int) -> bool:
    line = lines[i]
    first = _fold(line[0]["text"]).rstrip(".")
    two = _fold(_line_text(line[:2]))
    if first not in _NUMBER_HEADINGS and two not in _NUMBER_HEADINGS and _fold(_line_text(line[:3])) not in _NUMBER_HEADINGS:
        return False
    text = " ".join(_fold(_line_text(ln)) for ln in lines[i : i + 4])
    return sum(1 for w in _HEADER_WORDS if w in text) >= 2


def _is_row_start(line: list[dict], number_right: float) -> bool:
    first = line[0]
    return bool(_ROW_NUMBER.match(first["text"])) and first["x0"] < number_right and (
        len(line) == 1 or line[1]["x0"] > first["x1"] + 3
    )


def _text_tables(lines: list[list[dict]], carry: _TextColumns | None):
    """Find borderless tables among the page's lines and rebuild them from word positions.

    A table starts at a heading row (row-number column and column words); each row starts with a
    row number in the first column, and a line with nothing in the first column continues the row
    above (a cell's text wraps inside its column). The columns are the stretches of the page that
    the heading and the rows cover, separated by the gutters no word crosses. Returns the tables as
    (top, Table), the lines left for the running text, and the table the page ends in.
    """
    tables: list[tuple[float, Table]] = []
    rest: list[list[dict]] = []
    i, n = 0, len(lines)
    out_carry: _TextColumns | None = None
    if carry is not None and lines and (
        _is_row_start(lines[0], carry.number_right)
        or (carry.spans is not None and lines[0][0]["x0"] >= carry.content_left - 2)
    ):
        content_left = carry.content_left
        if carry.spans is None and len(lines[0]) > 1:
            content_left = lines[0][1]["x0"]
        end = _table_body_end(lines, 0, carry.number_right, content_left, carry.height)
        built = _build_text_table(carry.heading, lines[:end], carry.spans)
        if built is not None:
            table, columns = built
            tables.append((lines[0][0]["top"], table))
            if end == n:
                out_carry = _TextColumns(columns, carry.number_right, content_left, carry.height)
            i = end
    while i < n:
        if not _heading_row_at(lines, i):
            rest.append(lines[i])
            i += 1
            continue
        number = lines[i][0]
        height = max(1.0, number["bottom"] - number["top"])
        number_right = number["x1"] + height
        # The heading may wrap over lines ("Cơ quan chủ / trì"); the body starts at the first row.
        first_row = next((j for j in range(i + 1, min(n, i + 6)) if _is_row_start(lines[j], number_right)), None)
        if first_row is None:
            if n - i <= 5 and all(ln[0]["x0"] > number["x1"] for ln in lines[i + 1:]):
                # The page breaks right after the heading: the rows are on the next page.
                out_carry = _TextColumns(None, number_right, number_right, height, heading=lines[i:])
                break
            rest.append(lines[i])
            i += 1
            continue
        number_right = max(number["x1"], lines[first_row][0]["x1"]) + height * 0.5
        content_left = lines[first_row][1]["x0"] if len(lines[first_row]) > 1 else number_right
        end = _table_body_end(lines, first_row, number_right, content_left, height)
        built = _build_text_table(lines[i:first_row], lines[first_row:end], None)
        if built is None:
            rest.append(lines[i])
            i += 1
            continue
        table, columns = built
        tables.append((lines[i][0]["top"], table))
        if end == n:
            out_carry = _TextColumns(columns, number_right, content_left, height)
        i = end
    return tables, rest, out_carry


def _table_body_end(lines: list[list[dict]], start: int, number_right: float, content_left: float, height: float) -> int:
    """The index of the first line after the table's rows."""
    j = start
    while j < len(lines):
        line = lines[j]
        if j > start:
            gap = line[0]["top"] - lines[j - 1][0]["bottom"]
            if gap > 3 * height or _AFTER_TABLE.match(_line_text(line)):
                break
        if not (_is_row_start(line, number_right) or line[0]["x0"] >= content_left - 2):
            break
        j += 1
    return j


def _column_spans(lines: list[list[dict]], extra: list[list[float]] | None, gutter: float) -> list[list[float]]:
    spans = sorted([[w["x0"], w["x1"]] for line in lines for w in line] + [list(s) for s in extra or []])
    merged: list[list[float]] = []
    for x0, x1 in spans:
        if merged and x0 - merged[-1][1] < gutter:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    return merged


def _build_text_table(heading: list[list[dict]], body: list[list[dict]], known: list[list[float]] | None):
    if not body:
        return None
    height = max(1.0, body[0][0]["bottom"] - body[0][0]["top"])
    spans = _column_spans(heading + body, known, gutter=height * 0.6)
    if heading:
        # A stretch no heading word stands in (a gap inside one column's text) joins the column on its left.
        heads = [w for line in heading for w in line]
        kept: list[list[float]] = []
        for span in spans:
            if kept and not any(span[0] <= (w["x0"] + w["x1"]) / 2 <= span[1] for w in heads):
                kept[-1][1] = span[1]
            else:
                kept.append(span)
        spans = kept
    if not 3 <= len(spans) <= 15:
        return None

    def column(word: dict) -> int:
        mid = (word["x0"] + word["x1"]) / 2
        for k, span in enumerate(spans):
            if mid <= span[1]:
                return k
        return len(spans) - 1

    def cells_of(lines: list[list[dict]]) -> list[list[str]]:
        cells: list[list[str]] = [[] for _ in spans]
        for line in lines:
            parts: dict[int, list[str]] = {}
            for word in line:
                parts.setdefault(column(word), []).append(word["text"])
            for k, texts in parts.items():
                cells[k].append(" ".join(texts))
        return cells

    rows: list[list[str]] = []
    if heading:
        rows.append([" ".join(" ".join(c).split()) for c in cells_of(heading)])
    current: list[list[dict]] = []
    groups: list[list[list[dict]]] = []
    number_right = spans[0][1] + 1
    for line in body:
        if _is_row_start(line, number_right) and current:
            groups.append(current)
            current = []
        current.append(line)
    if current:
        groups.append(current)
    for group in groups:
        rows.append([_join_cell_lines("\n".join(c)) for c in cells_of(group)])
    return Table(rows=rows), spans


_SYMBOL_CUT_RE = re.compile(r"\d/(?:\d{4}/)?[A-ZĐ]+(?:-[A-ZĐ]+)*-$")


def _join_cell_lines(cell: str | None) -> str:
    """Join the wrapped lines of a PDF table cell, keeping a new line before each list item."""
    if not cell:
        return ""
    out: list[str] = []
    for line in unicodedata.normalize("NFC", cell).split("\n"):
        line = " ".join(line.split())
        if not line:
            continue
        if out and not _LIST_START.match(line):
            # "268/2025/NĐ-" + "CP": a document symbol cut at its hyphen goes on without a space
            glue = "" if _SYMBOL_CUT_RE.search(out[-1]) and line[:1].isupper() else " "
            out[-1] += glue + line
        else:
            out.append(line)
    return "\n".join(out)


def _lines_from_words(words: list[dict], width: float) -> list[tuple[float, str]]:
    """Group words into lines, and split two-column stretches (header, signature) into columns."""
    return _lay_out_lines(_group_lines(words), width)


def _group_lines(words: list[dict]) -> list[list[dict]]:
    """Words in lines, top to bottom, each line left to right."""
    if not words:
        return []
    words = sorted(words, key=lambda w: (round(w["top"]), w["x0"]))
    raw: list[list[dict]] = []
    for word in words:
        if raw:
            last = raw[-1]
            height = max(1.0, last[0]["bottom"] - last[0]["top"])
            if abs(word["top"] - last[0]["top"]) <= height * 0.5:
                last.append(word)
                continue
        raw.append([word])
    for line in raw:
        line.sort(key=lambda w: w["x0"])
    return raw


def _drop_page_number_lines(lines: list[list[dict]]) -> list[list[dict]]:
    if lines and _PAGE_NUMBER.match(" ".join(w["text"] for w in lines[0])):
        lines = lines[1:]
    if lines and _PAGE_NUMBER.match(" ".join(w["text"] for w in lines[-1])):
        lines = lines[:-1]
    return lines


def _lay_out_lines(raw: list[list[dict]], width: float) -> list[tuple[float, str]]:
    """Lines of words as text, two-column stretches (header, signature) given column by column.

    Administrative documents set the issuing body beside the national motto, the number beside the
    date, and the recipients beside the signature, in borderless tables that a PDF keeps as
    side-by-side text. A wide gap inside a line separates the columns; a run of such lines is
    given column by column, as the document is read.
    """
    if not raw:
        return []
    page_mid = width / 2
    lines: list[tuple[float, list[tuple[float, float, str]]]] = []  # parts split at wide gaps
    for line in raw:
        size = max(w["bottom"] - w["top"] for w in line)
        parts: list[list[dict]] = [[line[0]]]
        for prev, word in zip(line, line[1:]):
            if word["x0"] - prev["x1"] > 2.5 * size:
                parts.append([word])
            else:
                parts[-1].append(word)
        lines.append(
            (line[0]["top"], [(p[0]["x0"], p[-1]["x1"], " ".join(w["text"] for w in p)) for p in parts])
        )
    out: list[tuple[float, str]] = []
    i = 0
    while i < len(lines):
        top, parts = lines[i]
        if len(parts) != 2:
            out.append((top, "  ".join(text for _, _, text in parts)))
            i += 1
            continue
        # A two-column stretch: it goes on while each line is either split in two, or lies wholly
        # on one side of where the right column starts.
        split = parts[1][0]
        left_mid = (parts[0][0] + parts[0][1]) / 2
        right_mid = (parts[1][0] + parts[1][1]) / 2
        left: list[str] = []
        right: list[str] = []
        j = i
        while j < len(lines):
            cur = lines[j][1]
            mid = (cur[0][0] + cur[-1][1]) / 2
            if len(cur) == 2 and cur[0][1] < split and cur[1][1] > split:
                left.append(cur[0][2])
                right.append(cur[1][2])
            elif len(cur) == 1 and abs(mid - right_mid) < abs(mid - page_mid) and cur[0][0] > left_mid:
                right.append(cur[0][2])
            elif len(cur) == 1 and abs(mid - left_mid) < abs(mid - page_mid) and cur[0][1] < split:
                left.append(cur[0][2])
            else:
                break
            j += 1
        out.extend((top, text) for text in left + right)
        i = j
    return out


def _drop_page_numbers(lines: list[tuple[float, str]]) -> list[tuple[float, str]]:
    """Running page numbers are the first or last line of a page and hold nothing but a number."""
    if lines and _PAGE_NUMBER.match(lines[0][1]):
        lines = lines[1:]
    if lines and _PAGE_NUMBER.match(lines[-1][1]):
        lines = lines[:-1]
    return lines


def _append_table(segments: list, table: Table) -> None:
    """Join a table that a page break cut in two back into one table.

    The continuation follows the previous table directly (no text between) and has as many
    columns; a repeated header row is dropped, and a row whose first cell is empty continues the
    row the page break split.
    """
    previous = segments[-1] if segments else None
    if isinstance(previous, Table) and previous.rows and table.rows and len(previous.rows[0]) == len(table.rows[0]):
        rows = table.rows
        if rows[0] == previous.rows[0]:
            rows = rows[1:]
        if rows and not rows[0][0].strip() and previous.rows[-1][0].strip():
            last = previous.rows[-1]
            previous.rows[-1] = [
                (a + ("\n" if _LIST_START.match(b) else " ") + b).strip() if b else a for a, b in zip(last, rows[0])
            ]
            rows = rows[1:]
        previous.rows.extend(rows)
        return
    segments.append(table)
