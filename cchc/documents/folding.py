"""Accent folding at dictionary speed for the parser's hot paths; same result as `vntext.fold`.

`str.translate` takes its slow path on non-ASCII text, and a plan folds thousands of lines, but
it is written with a few thousand distinct syllables: each word is folded once and remembered.
"""

from __future__ import annotations

from .vntext import fold as _slow_fold

_TABLE: dict[int, str | None] = {cp: None for cp in range(0x0300, 0x0370)}
for _cp in list(range(0x00C0, 0x0250)) + list(range(0x1E00, 0x1F00)):
    _folded = _slow_fold(chr(_cp))
    if len(_folded) == 1 and _folded != chr(_cp):
        _TABLE[_cp] = _folded

_MAX_WORDS = 200_000  # bounded memory on hostile input (noise of unique "words")


class _WordCache(dict):
    def __missing__(self, word: str) -> str:
        folded = word.translate(_TABLE).lower() if not word.isascii() else word.lower()
        if len(self) >= _MAX_WORDS:
            self.clear()
        self[word] = folded
        return folded


_WORDS = _WordCache()
_LINES: dict[str, str] = {}  # the parser asks about the same line from several angles


def fold(text: str) -> str:
    """Lower-case, no diacritics ("Sở Nội vụ" -> "so noi vu", "Đ" -> "d"), single spaces."""
    short = len(text) <= 600
    if short:
        hit = _LINES.get(text)
        if hit is not None:
            return hit
    out = " ".join([_WORDS[w] for w in text.split()])
    if out.startswith(" ") or out.endswith(" ") or "  " in out:  # a word made only of combining marks
        out = " ".join(out.split())
    if short:
        if len(_LINES) >= 50_000:
            _LINES.clear()
        _LINES[text] = out
    return out
