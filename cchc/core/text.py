"""Vietnamese text utilities for the platform (one implementation, shared with `cchc.documents`)."""

from cchc.documents.vntext import fold, int_to_roman, nfc, roman_to_int, sort_key

__all__ = ["fold", "int_to_roman", "nfc", "roman_to_int", "sort_key", "vi_sorted"]


def vi_sorted(items, key=lambda item: str(item)):
    """Sort in Vietnamese alphabetical order."""
    return sorted(items, key=lambda item: sort_key(key(item)))
