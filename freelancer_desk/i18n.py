"""One translation helper for the core, the GUI and the PDFs (gettext catalogues).

Source strings are English. German lives in ``resources/translations/de/*.po``, one catalogue
per area of the app so that areas can grow independently; all of a language's catalogues are
read and chained. Mark strings with ``_()`` where they are shown, or with ``N_()`` where a
constant is defined at import time and translated later with ``_()``.

Run ``python -m freelancer_desk.i18n check`` to list strings that have no German translation.
"""

from __future__ import annotations

import contextlib
import gettext as _gettext
import io
import locale
import os
import re
from collections.abc import Callable
from functools import cache

from freelancer_desk.paths import resource

LANGUAGES: tuple[str, ...] = ("de", "en")
SOURCE_LANGUAGE = "en"
#: The babel locale used to format numbers, money and dates for each language.
BABEL_LOCALES: dict[str, str] = {"de": "de_DE", "en": "en"}

_current = SOURCE_LANGUAGE


def N_(message: str) -> str:
    """Mark a string for translation without translating it now."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Mark a message with a singular and a plural form, translated later with ``ngettext``."""
    return singular, plural


@cache
def translations(lang: str) -> _gettext.NullTranslations:
    """All catalogues of ``lang`` chained into one translations object."""
    if lang == SOURCE_LANGUAGE:
        return _gettext.NullTranslations()
    folder = resource("translations", lang)
    chain: _gettext.NullTranslations = _gettext.NullTranslations()
    for po_path in sorted(folder.glob("*.po")):
        catalogue = _gettext.GNUTranslations(io.BytesIO(_compiled(po_path.read_bytes())))
        catalogue.add_fallback(chain)
        chain = catalogue
    return chain


def _compiled(po_bytes: bytes) -> bytes:
    """The .mo form of a .po file's text, kept in the user cache folder by its content.

    Reading a .po file with babel takes most of the time a German start spends on texts;
    the compiled form is reused until the catalogue changes (a new text gets a new name).
    """
    import hashlib

    from freelancer_desk.paths import user_cache_dir

    name = hashlib.blake2b(po_bytes, digest_size=16).hexdigest() + ".mo"
    try:
        kept = user_cache_dir() / "translations" / name
    except OSError:  # no cache folder (a read-only home): compile every time
        return _compile(po_bytes)
    try:
        return kept.read_bytes()
    except OSError:  # not compiled yet
        pass
    compiled = _compile(po_bytes)
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        partial = kept.with_name(f"{name}.{os.getpid()}.partial")
        partial.write_bytes(compiled)
        partial.replace(kept)
    except OSError:
        pass  # a cache folder that cannot be written only costs the compiling next time
    return compiled


def _compile(po_bytes: bytes) -> bytes:
    """The .mo form of a .po file's text, compiled in memory."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(po_bytes))
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def system_language() -> str:
    """The first supported language among the user's system settings, else English."""
    candidates = [
        os.environ.get(name, "") for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
    ]
    with contextlib.suppress(ValueError):
        candidates.append(locale.getlocale()[0] or "")
    for candidate in candidates:
        for part in candidate.split(":"):
            code = part[:2].lower()
            if code in LANGUAGES:
                return code
    return SOURCE_LANGUAGE


def set_language(lang: str) -> None:
    """Switch the language of everything translated with ``_()`` from now on."""
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}")
    _current = lang


def current_language() -> str:
    """The language ``_()`` translates into."""
    return _current


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return translations(_current).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a count into the current language."""
    return translations(_current).ngettext(singular, plural, n)


def gettext_for(lang: str) -> Callable[[str], str]:
    """A ``_`` bound to one language, for output that is not in the GUI's language (PDFs)."""
    return translations(lang).gettext


def untranslated(
    lang: str = "de", packages: tuple[str, ...] = ("freelancer_desk", "ui")
) -> list[tuple[str, str]]:
    """(file, message) of every marked string in ``packages`` without a ``lang`` translation
    (reading the code takes seconds: a check of one package reads only that one)."""
    from babel.messages.extract import extract_from_dir

    catalogue = translations(lang)
    missing: list[tuple[str, str]] = []
    root = resource("..").resolve()
    keywords = {"_": None, "N_": None, "ngettext": (1, 2), "N_plural": (1, 2)}
    for package in packages:
        for filename, _lineno, message, _comments, _context in extract_from_dir(
            str(root / package), keywords=keywords, method_map=[("**.py", "python")]
        ):
            singular = message[0] if isinstance(message, tuple) else message
            if not singular or singular.isspace():
                continue
            if catalogue.gettext(singular) == singular and not _same_in_both(singular):
                missing.append((f"{package}/{filename}", singular))
    return missing


def _same_in_both(message: str) -> bool:
    """Strings that read the same in German and English (codes, bare placeholders such as
    ``{purpose}: {note}``)."""
    stripped = re.sub(r"\{\w+\}", "", message)
    for token in ("{", "}", "%", ":", " ", "-", "/", "(", ")", ".", ",", "€", "·"):
        stripped = stripped.replace(token, "")
    return not any(ch.isalpha() for ch in stripped) or message in _IDENTICAL


#: Words that are spelt the same in both languages, so an identical translation is correct.
_IDENTICAL = {
    "OK",
    "HHI",
    "Dashboard",
    "E-Mail",
    "Feedback",
    "Name",
    "Status",
    "Info",
    "Start",
    "0 neutral",
}


if __name__ == "__main__":
    import sys

    gaps = untranslated()
    for where, message in gaps:
        print(f"{where}: {message!r}")
    print(f"{len(gaps)} strings without German translation")
    sys.exit(1 if gaps else 0)
