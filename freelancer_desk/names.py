"""Sorting names as a German-speaking reader expects, without any GUI toolkit.

DIN 5007 (variant 1): letters with marks sort with their base letter, ``ß`` as ``ss``; letters
that Unicode does not decompose (``ø``, ``ł``, ``đ``, ``æ``) are mapped by hand. SQLite's own
``lower()`` and ``ORDER BY`` only know ASCII, so lists of names are sorted in Python with this.
"""

from __future__ import annotations

import unicodedata

_BASE_LETTERS = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"}
)


def collation_key(name: str) -> str:
    """Sort key: "Bäckerei" next to "Backstube", "Øresund" among the O, case ignored."""
    folded = unicodedata.normalize("NFKD", name.casefold().translate(_BASE_LETTERS))
    return "".join(ch for ch in folded if not unicodedata.combining(ch))
