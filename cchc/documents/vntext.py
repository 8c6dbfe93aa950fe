"""Vietnamese text primitives: NFC, accent folding, Vietnamese sort order, Roman numerals.

Pure Python; the rest of the platform reaches these through `cchc.core.text`.
"""

from __future__ import annotations

import re
import unicodedata

_TONE_MARKS = {
    "\u0300": 1,  # huyền
    "\u0309": 2,  # hỏi
    "\u0303": 3,  # ngã
    "\u0301": 4,  # sắc
    "\u0323": 5,  # nặng
}
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve (ă), circumflex (â ê ô), horn (ơ ư)
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_ORDER = {ch: i for i, ch in enumerate(_ALPHABET)}
_FOLD_TABLE = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower-case, strip every diacritic ("Sở Nội vụ" -> "so noi vu", "Đ" -> "d"), squeeze spaces."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_TABLE))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def fold_keep_spaces(text: str) -> str:
    """Like `fold` but one output character per input character, so that offsets carry over."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFD", ch.translate(_FOLD_TABLE))
        kept = "".join(c for c in base if not unicodedata.combining(c)) or ch
        out.append(kept[0].lower() if len(kept[0].lower()) == 1 else kept[0])
    return "".join(out)


def sort_key(text: str) -> tuple:
    """A key that orders strings in Vietnamese alphabetical order: a ă â b c d đ e ê ...

    Letters compare first, tones (none, huyền, hỏi, ngã, sắc, nặng) break ties, then case.
    """
    letters: list[int] = []
    tones: list[int] = []
    for ch in nfc(text):
        lower = ch.lower()
        parts = unicodedata.normalize("NFD", lower)
        base = parts[0]
        tone = 0
        letter = base
        for mark in parts[1:]:
            if mark in _TONE_MARKS:
                tone = _TONE_MARKS[mark]
            elif mark in _LETTER_MARKS:
                letter = unicodedata.normalize("NFC", letter + mark)
        if lower == "đ":
            letter = "đ"
        if letter in _ORDER:
            letters.append(100 + _ORDER[letter])
        elif ch.isdigit():
            letters.append(10 + int(ch) if ch in "0123456789" else 50)
        elif ch.isspace():
            letters.append(1)
        else:
            letters.append(1000 + ord(lower))
        tones.append(tone)
    return (tuple(letters), tuple(tones), text)


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_ROMAN_RE = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")


def roman_to_int(text: str) -> int | None:
    """'XIV' -> 14; None for anything that is not a well-formed Roman numeral."""
    s = text.strip().upper()
    if not s or not _ROMAN_RE.match(s):
        return None
    total = 0
    for i, ch in enumerate(s):
        value = _ROMAN[ch]
        if i + 1 < len(s) and _ROMAN[s[i + 1]] > value:
            total -= value
        else:
            total += value
    return total


def int_to_roman(number: int) -> str:
    if not 0 < number < 4000:
        raise ValueError(f"{number} cannot be written as a Roman numeral")
    out = []
    for value, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)
