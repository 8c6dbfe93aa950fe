"""A bulletin issue as a printable PDF and as a .docx (no Django here: data in, bytes out).

The header follows the conventions of Nghị định 30/2020/NĐ-CP where they fit a bulletin: the issuing
body top left (its superior above it), the number under it, the italic place-and-date line on the
right ("Tuyên Quang, ngày 05 tháng 3 năm 2026"), then the bulletin's name and number centred in bold.
The national motto is left out: a bulletin is a publication, not an administrative document.

Text is written with TrueType fonts that carry the Vietnamese letters (the PDF embeds them), so
every diacritic survives printing and copying out.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from cchc.documents.writer import _borderless_table, _cell_para, _para, _rule, new_document

BULLETIN_NAME = "BẢN TIN CẢI CÁCH HÀNH CHÍNH"

# Serif faces with the Vietnamese letters, Times-like first (Liberation Serif has Times New Roman's
# metrics); Debian ships them in fonts-liberation2 / fonts-liberation / fonts-dejavu-core.
FONT_DIRS = (
    "/usr/share/fonts/truetype/liberation2",
    "/usr/share/fonts/truetype/liberation",
    "/usr/share/fonts/truetype/dejavu",
    "/usr/local/share/fonts",
)
FONT_FAMILIES = (
    {"": "LiberationSerif-Regular.ttf", "B": "LiberationSerif-Bold.ttf", "I": "LiberationSerif-Italic.ttf"},
    {"": "DejaVuSerif.ttf", "B": "DejaVuSerif-Bold.ttf", "I": "DejaVuSerif-Italic.ttf"},
)


class FontMissing(RuntimeError):
    """No font with Vietnamese letters was found to write the PDF with."""


@dataclass
class ArticleText:
    title: str
    lead: str = ""
    paragraphs: list[str] = field(default_factory=list)
    source: str = ""  # the unit that wrote it
    link: str = ""


@dataclass
class BulletinText:
    issuer: str  # "Sở Nội vụ", "Ủy ban nhân dân\nTỉnh Tuyên Quang" (one header line each)
    number_text: str  # "01/2026"
    date: dt.date
    place: str = ""  # "Tuyên Quang"
    issuer_superior: str = ""  # "Ủy ban nhân dân tỉnh Tuyên Quang" above a department
    title: str = ""
    intro: list[str] = field(default_factory=list)
    articles: list[ArticleText] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)
    link: str = ""


def date_line(place: str, day: dt.date) -> str:
    """"Tuyên Quang, ngày 05 tháng 3 năm 2026": days below 10 and months 1 and 2 take a leading zero
    (Nghị định 30/2020, Phụ lục I)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    text = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {text}" if place else text[:1].upper() + text[1:]


def paragraphs(text: str) -> list[str]:
    """Plain text as paragraphs: one per non-empty line."""
    return [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]


_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "figcaption", "td", "th", "dt", "dd"}


def html_paragraphs(html: str) -> list[str]:
    """The text of a (sanitised) article body, one string per block (paragraph, heading, list item)."""
    if not (html or "").strip():
        return []
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except Exception:  # lxml refuses only what the sanitiser never lets through; keep the text
        return paragraphs(html)
    out: list[str] = []
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag not in _BLOCKS:
            continue
        if any(isinstance(a.tag, str) and a.tag in _BLOCKS for a in element.iterancestors()):
            continue
        text = " ".join(element.text_content().split())
        if text:
            out.append(text)
    if not out:
        text = " ".join(root.text_content().split())
        out = [text] if text else []
    return out


def _issuer_lines(bulletin: BulletinText) -> list[tuple[str, bool]]:
    lines = []
    if bulletin.issuer_superior:
        lines.append((bulletin.issuer_superior.upper(), False))
    lines.extend((line.upper(), True) for line in bulletin.issuer.splitlines() if line.strip())
    return lines


# ------------------------------------------------------------------------------------------ PDF


def find_fonts() -> dict[str, Path]:
    """The regular, bold and italic files of the first serif family found in FONT_DIRS."""
    for family in FONT_FAMILIES:
        for directory in FONT_DIRS:
            files = {style: Path(directory) / name for style, name in family.items()}
            if all(path.is_file() for path in files.values()):
                return files
    wanted = ", ".join(family[""] for family in FONT_FAMILIES)
    raise FontMissing(
        f"No font with Vietnamese letters was found to write the PDF ({wanted} in {', '.join(FONT_DIRS)}). "
        "Install Debian's fonts-liberation2 or fonts-dejavu-core (or copy one of these files to "
        "/usr/local/share/fonts)."
    )


def write_pdf(bulletin: BulletinText) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    fonts = find_fonts()
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_margins(left=30, top=20, right=15)
    pdf.set_auto_page_break(auto=True, margin=20)
    for style, path in fonts.items():
        pdf.add_font("Serif", style, str(path))
    pdf.set_title(f"{BULLETIN_NAME.capitalize()} số {bulletin.number_text}")
    pdf.set_author(" ".join(bulletin.issuer.split()))
    pdf.set_lang("vi")
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    left_w = 70
    nl = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}

    # header: issuer and number on the left, place and date on the right
    top = pdf.get_y()
    for text, bold in _issuer_lines(bulletin):
        pdf.set_font("Serif", "B" if bold else "", 12)
        pdf.multi_cell(left_w, 5.5, text, align="C", **nl)
    y = pdf.get_y() + 1
    pdf.line(pdf.l_margin + left_w / 2 - 12, y, pdf.l_margin + left_w / 2 + 12, y)
    pdf.set_y(y + 2)
    pdf.set_font("Serif", "", 13)
    pdf.multi_cell(left_w, 6, f"Số: {bulletin.number_text}", align="C", **nl)
    bottom = pdf.get_y()
    pdf.set_xy(pdf.l_margin + left_w, top)
    pdf.set_font("Serif", "I", 13)
    pdf.multi_cell(width - left_w, 6, date_line(bulletin.place, bulletin.date), align="R", **nl)
    pdf.set_y(max(bottom, pdf.get_y()) + 8)

    pdf.set_font("Serif", "B", 16)
    pdf.multi_cell(width, 8, BULLETIN_NAME, align="C", **nl)
    pdf.set_font("Serif", "B", 14)
    pdf.multi_cell(width, 7, f"Số {bulletin.number_text}", align="C", **nl)
    if bulletin.title:
        pdf.set_font("Serif", "I", 14)
        pdf.multi_cell(width, 7, bulletin.title, align="C", **nl)
    pdf.ln(4)

    def body(texts: list[str], style: str = "") -> None:
        pdf.set_font("Serif", style, 13)
        for text in texts:
            pdf.multi_cell(width, 6.5, "      " + text, align="J", **nl)
            pdf.ln(1.5)

    body(bulletin.intro)
    for index, article in enumerate(bulletin.articles, 1):
        pdf.ln(3)
        pdf.set_font("Serif", "B", 14)
        pdf.multi_cell(width, 7, f"{index}. {article.title}", align="L", **nl)
        if article.source:
            pdf.set_font("Serif", "I", 11)
            pdf.multi_cell(width, 5.5, article.source, align="L", **nl)
        pdf.ln(1)
        if article.lead:
            body([article.lead], "B")
        body(article.paragraphs)
        if article.link:
            pdf.set_font("Serif", "I", 10)
            pdf.multi_cell(width, 5, article.link, align="L", link=article.link, **nl)
    if bulletin.closing:
        pdf.ln(3)
        body(bulletin.closing, "I")
    if bulletin.link:
        pdf.ln(4)
        pdf.set_font("Serif", "I", 10)
        pdf.multi_cell(width, 5, bulletin.link, align="C", link=bulletin.link, **nl)
    return bytes(pdf.output())


# ----------------------------------------------------------------------------------------- .docx


def write_docx(bulletin: BulletinText) -> bytes:
    document = new_document()
    document.core_properties.title = f"{BULLETIN_NAME.capitalize()} số {bulletin.number_text}"
    document.core_properties.author = " ".join(bulletin.issuer.split())

    left_mm, right_mm = 75, 90
    table = _borderless_table(document, [left_mm, right_mm])
    left, right = table.rows[0].cells
    first_left, first_right = [True], [True]
    for text, bold in _issuer_lines(bulletin):
        _cell_para(left, first_left, text, bold=bold, size=12)
    _rule(left, width_mm=25, total_mm=left_mm - 4)
    _cell_para(left, first_left, f"Số: {bulletin.number_text}", size=13)
    _cell_para(right, first_right, date_line(bulletin.place, bulletin.date), italic=True, size=13)

    _para(document, BULLETIN_NAME, bold=True, align="center", size=16, before=12, after=0)
    _para(document, f"Số {bulletin.number_text}", bold=True, align="center", after=0)
    if bulletin.title:
        _para(document, bulletin.title, italic=True, align="center", after=0)
    _rule(document, width_mm=40)

    for text in bulletin.intro:
        _para(document, text, indent=True)
    for index, article in enumerate(bulletin.articles, 1):
        _para(document, f"{index}. {article.title}", bold=True, align="left", before=12)
        if article.source:
            _para(document, article.source, italic=True, align="left", size=11)
        if article.lead:
            _para(document, article.lead, bold=True, indent=True)
        for text in article.paragraphs:
            _para(document, text, indent=True)
        if article.link:
            _para(document, article.link, italic=True, align="left", size=10)
    for text in bulletin.closing:
        _para(document, text, italic=True, indent=True)
    if bulletin.link:
        _para(document, bulletin.link, italic=True, align="center", size=10, before=12)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
