"""Plain text and markdown (and the text layer of PDFs) into reading-order blocks.

The inputs are conversions of Word files: hard line wraps inside sentences, page breaks that cut a
sentence in two, bold and italic markers (``**``, ``*``), headings run together with the following
heading ("I. MỤC ĐÍCH**1. Mục đích**"), tab-separated tables whose rows wrap over several lines, and
"vertical" pipe tables in which a line holding only ``|`` separates cells. Everything here runs in
linear time: the text is scanned line by line and every regular expression is anchored and free of
nested repetition, because the input may be megabytes of noise.
"""

from __future__ import annotations

import re
import unicodedata

from .blocks import Block, Paragraph, Table

#: Longest text read; a plan is a few hundred kilobytes at most, the rest is noise.
MAX_CHARS = 4_000_000
#: Longest line kept whole; longer lines are cut so that no per-line step grows without bound.
MAX_LINE = 20_000

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200c\u200d\u2060\ufeff]")
_SPACES_RE = re.compile(r"[ \u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_RULE_RE = re.compile(r"^(?:[-=_~—–]{3,}|(?:\*\s*){3,}|(?:\*\s*){1,2}|\*\*\s+\*\*)$")
_MD_HEADING_RE = re.compile(r"^#{1,6}\s+")
_STARS_RE = re.compile(r"\*+")
# A line that starts a new paragraph even inside a markdown paragraph: bullets, numbered and
# lettered items, articles, the number line, the recipients block, signature authorities.
_MARKER_RE = re.compile(
    r"^(?:[-+•–—●▪◦]\s*\S"
    r"|(?:[IVXLC]{1,6}|\d{1,2}(?:\.\d{1,2}){0,3})[.)]\s"
    r"|[a-zđ]\)\s"
    r"|(?:Điều|Chương|Mục|Phần|Phụ lục)\s+(?:\d|[IVXLC]{1,6}\b)"
    r"|Số\s*:|Nơi nhận|(?:KT|TM|TL|TUQ|Q)\.\s"
    r")",
    re.IGNORECASE,
)
_LETTER_ITEM_RE = re.compile(r"^[a-zđ]\)\s")
_DASH_DIGIT_RE = re.compile(r"^[-–]\s*\d")
# A date line that wrapped inside the date ("…, ngày 15 tháng 01 năm" / "2025"); the next line
# goes on with the day, month or year, a blank to fill in (".../...") or the next date word.
_DATE_CUT_RE = re.compile(r"\bngày\b[\s\d.…/]*(?:(?:tháng|năm)\b[\s\d.…/]*){0,2}$", re.IGNORECASE)
_DATE_GOES_ON_RE = re.compile(r"^(?:\d{1,4}\b(?![.)]\s)|[.…]|(?:tháng|năm)\b)", re.IGNORECASE)
_MD_TABLE_ROW_RE = re.compile(r"^\|.*\|$")
_BR_RE = re.compile(r"<br\s*/?>", re.IGNORECASE)
_MD_TABLE_SEP_RE = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$")
_SENTENCE_END = ".!?:;"


def blocks_from_text(text: str, *, markdown: bool = False) -> list[Block]:
    """Split raw text into `Paragraph` and `Table` blocks in reading order.

    With ``markdown`` the lines of one paragraph (no blank line between them) are wrapped lines and
    are joined unless a line starts a list item or heading; without it a line break is kept unless the
    next line plainly continues the sentence (it starts in lower case).
    """
    if not isinstance(text, str) or not text:
        return []
    text = unicodedata.normalize("NFC", text[:MAX_CHARS])
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL_RE.sub("", text)
    if "<" in text:  # an HTML line break outside a table row is a line break
        text = "\n".join(line if line.lstrip().startswith("|") else _BR_RE.sub("\n", line)
                          for line in text.split("\n"))
    lines = [
        _SPACES_RE.sub(" ", line[:MAX_LINE].replace("\t", "\x09")).strip(" ") for line in text.split("\n")
    ]
    blocks: list[Block] = []
    group: list[str] = []

    def flush() -> None:
        if group:
            blocks.extend(_paragraphs_from_lines(group, markdown=markdown))
            group.clear()

    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        bare = line.strip()
        if bare == "|":
            flush()
            table, i = _vertical_table(lines, i)
            if table.rows:
                blocks.append(table)
            continue
        if _MD_TABLE_ROW_RE.match(bare) and bare.count("|") >= 3:
            flush()
            table, i = _markdown_table(lines, i)
            if table.rows:
                blocks.append(table)
            continue
        if "\t" in bare and _tab_cells(bare, strip_edges=True) >= 2:
            flush()
            table, i = _tab_table(lines, i, markdown=markdown)
            if table.rows:
                blocks.append(table)
            continue
        if not bare or _RULE_RE.match(bare):
            flush()
        else:
            group.append(bare.replace("\t", " "))
        i += 1
    flush()
    return _join_page_breaks(blocks)


# --- paragraphs -------------------------------------------------------------------------------


def _strip_lead_markup(line: str) -> str:
    return line.lstrip("*_# ").lstrip()


def _starts_lower(s: str) -> bool:
    return bool(s) and s[0].isalpha() and s[0].islower()


def _joins(prev: str, line: str, *, markdown: bool) -> bool:
    """Whether `line` continues the paragraph that `prev` is part of (a hard wrap)."""
    bare = _strip_lead_markup(line)
    if not bare:
        return True
    if line.startswith("#") or prev.startswith("#"):
        return False  # a markdown heading is a line of its own
    if _DASH_DIGIT_RE.match(bare) and prev.rstrip("* ")[-1:].isdigit():
        return True  # "giai đoạn 2026\n- 2030": a year range, not a bullet
    if _MARKER_RE.match(bare) or line.startswith(("- ", "+ ", "* ")):
        return False
    if _DATE_GOES_ON_RE.match(bare) and _DATE_CUT_RE.search(prev[-40:].rstrip("*_ ")):
        return True
    if _starts_lower(bare) and not _LETTER_ITEM_RE.match(bare):
        return True
    if not markdown:
        return False
    # Separate bold runs on consecutive lines are separate lines of a header or signature block.
    if prev.rstrip().endswith("**") or line.lstrip().startswith("**"):
        return False
    return True


def _paragraphs_from_lines(lines: list[str], *, markdown: bool) -> list[Paragraph]:
    logical: list[str] = []
    for line in lines:
        if logical and _joins(logical[-1], line, markdown=markdown):
            logical[-1] = logical[-1] + " " + line
        else:
            logical.append(line)
    out: list[Paragraph] = []
    for raw in logical:
        out.extend(_render_markup(raw))
    return out


def _render_markup(raw: str) -> list[Paragraph]:
    """Remove ``*`` markup, keeping bold/italic flags; split headings run together by ``**``."""
    if "*" not in raw and not raw.startswith("#"):  # plain text: nothing to render
        text = " ".join(raw.split())
        return [Paragraph(text=text)] if any(ch.isalnum() for ch in text) else []
    heading = False
    level = 0
    m = _MD_HEADING_RE.match(raw)
    if m:
        level = m.group().count("#")
        raw = raw[m.end():]
        heading = True
    pieces: list[list] = []  # [text, bold_chars, italic_chars, total_chars]
    bold = italic = False
    cur: list[str] = []
    counts = [0, 0, 0]

    def add(segment: str) -> None:
        if not segment:
            return
        cur.append(segment)
        k = len("".join(segment.split()))
        counts[2] += k
        if bold or heading:
            counts[0] += k
        if italic:
            counts[1] += k

    def split() -> None:
        if cur:
            pieces.append(["".join(cur), counts[0], counts[1], counts[2]])
        cur.clear()
        counts[0] = counts[1] = counts[2] = 0

    pos = 0
    for star in _STARS_RE.finditer(raw):
        add(raw[pos:star.start()])
        pos = star.end()
        run = len(star.group())
        before = raw[star.start() - 1] if star.start() else ""
        after = raw[star.end()] if star.end() < len(raw) else ""
        if run in (2, 3):
            if not bold and before and not before.isspace() and before not in "(*\"“'" and "".join(cur).strip():
                split()  # "YÊU CẦU**1. Mục đích": an opening run glued to the previous heading
            elif bold and after and (after.isupper() or after.isdigit()) and before and not before.isspace():
                bold = not bold
                if run == 3:
                    italic = not italic
                split()  # "…Hà Giang**Nội dung": a closing run glued to the next heading
                continue
            bold = not bold
        if run % 2 == 1:
            italic = not italic
    add(raw[pos:])
    split()
    out = []
    for text, b, it, total in pieces:
        text = " ".join(text.split())
        if not text or not any(ch.isalnum() for ch in text):
            continue
        out.append(Paragraph(text=text, bold=total > 0 and b * 10 >= total * 6,
                             italic=total > 0 and it * 10 >= total * 6, level=level))
    return out


def _join_page_breaks(blocks: list[Block]) -> list[Block]:
    """Join a paragraph to the previous one when a page break cut the sentence in two."""
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if isinstance(block, Paragraph) and isinstance(prev, Paragraph) and _page_break_join(prev, block):
            prev.text = prev.text + " " + block.text
            continue
        out.append(block)
    return out


_PROPER_CONT_RE = re.compile(r"^[A-ZĐÀ-Ỹ][^\s,;.:]*[,;.:]")


def _page_break_join(prev: Paragraph, cur: Paragraph) -> bool:
    text = cur.text
    if prev.bold != cur.bold or _MARKER_RE.match(text):
        return False
    end = prev.text.rstrip()[-1:]
    if _starts_lower(text) and not _LETTER_ITEM_RE.match(text):
        return end not in ".!?:" and not prev.text.isupper()
    # "…Truyền hình Bình" / "Phước; tuyên truyền": a proper name cut by the page break.
    if len(prev.text) >= 60 and end.isalpha() and not prev.text.isupper():
        last = prev.text.rsplit(" ", 1)[-1]
        return last[:1].isupper() and bool(_PROPER_CONT_RE.match(text))
    return False


# --- tables -----------------------------------------------------------------------------------


def _cell_text(lines: list[str]) -> str:
    paragraphs = _paragraphs_from_lines([ln for ln in lines if ln and not _RULE_RE.match(ln)], markdown=True)
    return "\n".join(p.text for p in paragraphs)


def _vertical_table(lines: list[str], i: int) -> tuple[Table, int]:
    """Cells separated by lines holding only ``|``; two such lines in a row end a table row."""
    n = len(lines)
    rows: list[list[str]] = []
    row: list[str] = []
    cell: list[str] = []
    j = i + 1  # lines[i] is the opening "|"
    while j < n:
        bare = lines[j].strip()
        if bare == "|":
            row.append(_cell_text(cell))
            cell = []
            k = j + 1
            if k < n and lines[k].strip() == "|":
                rows.append(row)  # "|" then "|": this row ends, the next one opens
                row = []
                j = k + 1
                continue
            while k < n and not lines[k].strip():
                k += 1
            if k >= n or k > j + 1:
                # a blank line after a closing "|" ends the table unless another row follows
                if k < n and lines[k].strip() == "|" and row == []:
                    j = k + 1
                    continue
                rows.append(row)
                row = []
                j = k if k < n and lines[k].strip() != "|" else k
                break
            j += 1
            continue
        cell.append(bare)
        j += 1
    else:
        if cell:
            row.append(_cell_text(cell))
        if row:
            rows.append(row)
    rows = [r for r in rows if any(c.strip() for c in r)]
    return Table(rows=rows), j


def _markdown_table(lines: list[str], i: int) -> tuple[Table, int]:
    rows: list[list[str]] = []
    j, n = i, len(lines)
    while j < n:
        bare = lines[j].strip()
        if not (_MD_TABLE_ROW_RE.match(bare) and bare.count("|") >= 2):
            break
        if not _MD_TABLE_SEP_RE.match(bare):
            # "<br>" inside a cell is a line break the writer meant ("Nơi nhận:<br>- UBND tỉnh;<br>- …")
            cells = ["\n".join(t for t in (_cell_text([part.strip()]) for part in _BR_RE.split(c)) if t)
                     for c in bare[1:-1].split("|")]
            rows.append(cells)
        j += 1
    return Table(rows=[r for r in rows if any(r)]), j


def _tab_cells(line: str, *, strip_edges: bool) -> int:
    parts = line.strip().split("\t") if strip_edges else line.split("\t")
    return sum(1 for p in parts if p.strip())


def _tab_table(lines: list[str], i: int, *, markdown: bool) -> tuple[Table, int]:
    """Tab-separated rows; a line whose first cell is empty continues the row above (a wrap)."""
    rows: list[list[list[str]]] = []
    j, n = i, len(lines)
    while j < n:
        line = lines[j]
        if not line.strip():
            k = j
            while k < n and not lines[k].strip():
                k += 1
            if k < n and "\t" in lines[k]:
                j = k
                continue
            break
        if "\t" not in line:
            break
        cells = [c.strip() for c in line.split("\t")]
        if rows and not cells[0] and len(cells) > 1:
            target = rows[-1]
            for idx, c in enumerate(cells):
                if not c:
                    continue
                while len(target) <= idx:
                    target.append([])
                target[idx].append(c)
        else:
            rows.append([[c] if c else [] for c in cells])
        j += 1
    table_rows = []
    for r in rows:
        texts = [_cell_text(parts) for parts in r]
        while texts and not texts[-1]:
            texts.pop()
        if any(texts):
            table_rows.append(texts)
    return Table(rows=table_rows), j
