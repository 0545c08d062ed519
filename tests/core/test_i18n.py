"""Every marked string has German, and the German catalogues keep the placeholders intact."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from freelancer_desk.errors import InputError
from freelancer_desk.i18n import _, set_language, untranslated
from freelancer_desk.models import ClientCreate, label, validate
from freelancer_desk.paths import resource

CATALOGUES = sorted(resource("translations", "de").glob("*.po"))


PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_]\w*)(?:[!:][^{}]*)?\}")


def placeholders(message: str) -> set[str]:
    """The named ``{fields}`` of a message (``{{`` escapes and lone braces are text)."""
    return set(PLACEHOLDER.findall(message))


def messages(path: Path) -> list[tuple[str, str]]:
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    return [(m.id, m.string) for m in catalogue if m.id and isinstance(m.id, str)]


@pytest.mark.parametrize("package", ["freelancer_desk", "ui"])
def test_every_marked_string_has_a_german_translation(package: str) -> None:
    missing = [f"{where}: {message!r}" for where, message in untranslated("de", (package,))]
    assert not missing, f"{len(missing)} without German:\n" + "\n".join(missing)


@pytest.mark.parametrize("path", CATALOGUES, ids=[p.name for p in CATALOGUES])
def test_translations_keep_every_placeholder(path: Path) -> None:
    broken = [
        (msgid, msgstr)
        for msgid, msgstr in messages(path)
        if msgstr and placeholders(msgid) != placeholders(msgstr)
    ]
    assert not broken


@pytest.mark.parametrize("path", CATALOGUES, ids=[p.name for p in CATALOGUES])
def test_translations_are_not_left_empty(path: Path) -> None:
    assert [msgid for msgid, msgstr in messages(path) if not msgstr] == []


def test_no_message_is_translated_differently_in_two_catalogues() -> None:
    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for path in CATALOGUES:
        for msgid, msgstr in messages(path):
            if msgid in seen and seen[msgid][1] != msgstr:
                clashes.append(f"{msgid!r}: {seen[msgid][0]} and {path.name}")
            seen.setdefault(msgid, (path.name, msgstr))
    assert not clashes, "\n".join(clashes)


def test_german_core_words() -> None:
    set_language("de")
    assert [label(v) for v in ("lost", "sleeping", "won_back", "complaint", "private")] == [
        "Verloren",
        "Schlafend",
        "Zurückgewonnen",
        "Reklamation",
        "Privatperson",
    ]
    with pytest.raises(InputError) as caught:
        validate(ClientCreate, {"name": "   "})
    assert str(caught.value) == "Name: darf nicht leer sein"
    assert re.search(
        r"bereits .* geöffnet",
        _(
            "{path} is already open in another Freelancer Desk window or program. "
            "Close it there first."
        ),
    )
