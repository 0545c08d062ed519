"""Client names without any GUI toolkit: how they match, how they sort, and the name an erased
client keeps.

One fold for matching (``fold``): case, German umlauts spelt out, accents and spacing; a
client's identity is ``name_key`` (``Müller GmbH`` = ``MUELLER  gmbh``), a likely duplicate or
the payer of a bank payment is found by ``loose_key`` (also without legal form and
punctuation), and the erasure register hashes the words of the fold.

DIN 5007 (variant 1): letters with marks sort with their base letter, ``ß`` as ``ss``; letters
that Unicode does not decompose (``ø``, ``ł``, ``đ``, ``æ``) are mapped by hand. SQLite's own
``lower()`` and ``ORDER BY`` only know ASCII, so lists of names are sorted in Python with this.

An erased client's name is stored as a marker in no language (``∅ #12``) and read back as
"Erased client #12" / "Gelöschter Kunde #12" in the language of the moment
(``models.ClientName`` does that for every query), so the file does not depend on the
language the window had when the client was erased.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from freelancer_desk.i18n import N_, _

#: What an erased client's name starts with in the file; no name typed by a user can.
ERASED_MARK = "\u2205 #"
_ERASED = re.compile(rf"{re.escape(ERASED_MARK)}(\d+)")
ERASED_LABEL = N_("Erased client #{id}")


def erased_marker(client_id: int) -> str:
    """The name an erased client keeps in the file: ``∅ #12``."""
    return f"{ERASED_MARK}{client_id}"


def is_erased_marker(name: str) -> bool:
    """True for the stored name of an erased client."""
    return _ERASED.fullmatch(name) is not None


def shown(name: str) -> str:
    """A stored client name as shown: the marker of an erased client becomes its label in the
    current language; every other name is returned as it is."""
    found = _ERASED.fullmatch(name)
    return name if found is None else _(ERASED_LABEL).format(id=found.group(1))


_BASE_LETTERS = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"}
)


def collation_key(name: str) -> str:
    """Sort key: "Bäckerei" next to "Backstube", "Øresund" among the O, case ignored."""
    folded = unicodedata.normalize("NFKD", name.casefold().translate(_BASE_LETTERS))
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


_SPELT_OUT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_NORDIC = str.maketrans({"æ": "ae", "ø": "oe"})


def fold(text: str, nordic: bool = True) -> str:
    """Lower case, German umlauts spelt out (ü → ue), other accents dropped, spaces collapsed.

    ``nordic`` also spells out ``æ`` and ``ø`` (which Unicode does not decompose); the erasure
    register leaves them as they are, because the hashes it keeps were made that way.
    """
    lowered = unicodedata.normalize("NFKC", text).casefold().translate(_SPELT_OUT)
    if nordic:
        lowered = lowered.translate(_NORDIC)
    plain = "".join(
        ch for ch in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(ch)
    )
    return " ".join(plain.split())


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """The identity of a client name: ``Müller GmbH`` = ``MUELLER  gmbh`` (case, space, umlauts)."""
    return fold(name)


_LEGAL_FORMS = re.compile(
    r"\b(gmbh|ag|ug|kg|ohg|gbr|ek|e k|mbh|co|und|&|ltd|limited|inc|llc|plc|sa|sarl|bv"
    r"|haftungsbeschrankt)\b"
)

#: Legal forms written with spaces, as they stand after a name: print never breaks a line
#: inside one (``reports.document.tie``). Longer forms first, so that they win over a part.
SPACED_LEGAL_FORMS = (
    "UG (haftungsbeschränkt) & Co. KG",
    "GmbH & Co. KGaA",
    "GmbH & Co. KG",
    "AG & Co. KGaA",
    "AG & Co. KG",
    "UG (haftungsbeschränkt)",
    "gUG (haftungsbeschränkt)",
    "Sp. z o.o.",
    "Sp. z o. o.",
    "S. à r. l.",
    "spol. s r.o.",
    "PartG mbB",
    "Pty Ltd",
    "& Co. KG",
    "& Co.",
    "e. Kfm.",
    "e. Kfr.",
    "e. K.",
    "e. V.",
    "Sp. j.",
    "Sp. k.",
)


def loose_key(name: str) -> str:
    """A name without legal form, punctuation and spaces: ``Müller GmbH & Co. KG`` → ``mueller``."""
    text = re.sub(r"[^\w\s&]", " ", fold(name))
    return re.sub(r"\s+", "", _LEGAL_FORMS.sub(" ", text))
