"""``mailto:`` links: every field survives the trip through percent-encoding."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from freelancer_desk import mailto


def split(url: str) -> tuple[str, dict[str, str]]:
    """Address and decoded fields of a mailto URL, the way a mail program reads it."""
    assert url.startswith("mailto:")
    address, _sep, query = url[len("mailto:") :].partition("?")
    fields = {}
    for part in query.split("&") if query else []:
        name, _eq, value = part.partition("=")
        fields[name] = unquote(value)
    return unquote(address), fields


def test_umlauts_euro_ampersand_plus_and_line_breaks_are_encoded() -> None:
    body = "Grüße an Jörg & Söhne\n1 + 1 = 2 €\nFertig?#"
    url = mailto.build("anna+kunden@müller.de", "Bewertung für Müller & Söhne", body)
    # Nothing that could end or split a field, or turn into a space, is left bare.
    query = url.partition("?")[2]
    assert query.count("&") == 1 and query.count("=") == 2
    for raw in (" ", "+", "#", "ü", "€", "\n", "\r"):
        assert raw not in query
    assert "%0D%0A" in query and "%E2%82%AC" in query and "%26" in query and "%2B" in query
    address, fields = split(url)
    assert address == "anna+kunden@müller.de"
    assert fields == {
        "subject": "Bewertung für Müller & Söhne",
        "body": "Grüße an Jörg & Söhne\r\n1 + 1 = 2 €\r\nFertig?#",
    }


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_every_kind_of_line_break_becomes_crlf(newline: str) -> None:
    url = mailto.build("a@b.de", "x", f"eins{newline}zwei")
    assert url.endswith("body=eins%0D%0Azwei")


def test_empty_fields_are_left_out_and_subject_is_one_line() -> None:
    assert mailto.build("a@b.de", "", "") == "mailto:a@b.de"
    assert split(mailto.build("a@b.de", "Zeile\neins", ""))[1] == {"subject": "Zeile eins"}


@given(
    subject=st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), min_size=1
    ).filter(lambda s: s.strip() == s and s),
    body=st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"), min_size=1
    ),
)
def test_any_text_round_trips(subject: str, body: str) -> None:
    _address, fields = split(mailto.build("kunde@example.org", subject, body))
    assert fields["subject"] == subject
    assert fields["body"] == body.replace("\n", "\r\n")
