"""Reading and writing Vietnamese administrative documents. Pure Python: imports no Django.

Messages for users (a file that cannot be read) come from `cchc.documents.i18n`: Vietnamese by
default, the language in CCHC_LANGUAGE for the command, and the request's language once the web
application has called `i18n.set_translator(django.utils.translation.gettext)`.
"""

from __future__ import annotations

import re

from .blocks import SourceDocument
from .parser import parse_blocks
from .textblocks import blocks_from_text

_MARKDOWN_HINT_RE = re.compile(r"\*\*|^\s*\|\s*$|^#{1,6}\s", re.MULTILINE)


def parse_text(text: str, *, markdown: bool | None = None, name: str = "") -> dict:
    """Parse pasted or extracted text into the plan structure (schema ``cchc.plan/1``)."""
    text = text if isinstance(text, str) else ""
    if markdown is None:
        markdown = bool(_MARKDOWN_HINT_RE.search(text[:200_000]))
    doc = SourceDocument(blocks=blocks_from_text(text, markdown=markdown),
                         source_format="md" if markdown else "txt", name=name)
    return parse_blocks(doc)


try:
    from .reader import parse_file, read_document  # noqa: F401
except ImportError:  # the file readers are optional for text parsing
    pass

__all__ = ["parse_text", "parse_blocks", "blocks_from_text"]
