"""The reading-order content of a document, as the readers hand it to the parser.

Every reader (.docx, .pdf, .txt, .md) produces a `SourceDocument`: a flat list of blocks in
reading order. A `Paragraph` is one logical paragraph (hard line wraps already joined, markup
removed, NFC); a `Table` is a grid of cell texts (merged cells repeated or left empty, rows that a
page break split already joined back together).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Paragraph:
    text: str
    bold: bool = False
    italic: bool = False
    centered: bool = False
    #: heading level the source gives the line: markdown ``#`` × n, a Word "Heading n" style; 0 none
    level: int = 0


@dataclass
class Table:
    rows: list[list[str]] = field(default_factory=list)


Block = Paragraph | Table


@dataclass
class SourceDocument:
    blocks: list[Block]
    source_format: str  # "docx", "pdf", "txt", "md"
    name: str = ""


class DocumentError(Exception):
    """The file cannot be read as a document; the message says what is wrong and what to do."""
