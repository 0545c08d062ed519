"""Greetings of the message templates: salutation, form of address, names with titles."""

from __future__ import annotations

import pytest

from freelancer_desk.greetings import greeting, split_name


@pytest.mark.parametrize(
    ("lang", "kind", "contact", "salutation", "form", "expected"),
    [
        ("de", "business", "Anna Schmidt", "ms", "formal", "Sehr geehrte Frau Schmidt"),
        ("de", "business", "Jens Ohm", "mr", "formal", "Sehr geehrter Herr Ohm"),
        (
            "de",
            "business",
            "Prof. Dr. Eva de la Cruz",
            "ms",
            "formal",
            "Sehr geehrte Frau Prof. Dr. de la Cruz",
        ),
        ("de", "business", "Kim Lee", None, "formal", "Guten Tag Kim Lee"),
        ("de", "business", None, None, "formal", "Sehr geehrte Damen und Herren"),
        ("de", "business", "Anna Schmidt", "ms", "informal", "Hallo Anna"),
        ("de", "private", None, "mr", "formal", "Sehr geehrter Herr Nowak"),
        ("de", "business", "Herr Jens Ohm", None, "formal", "Sehr geehrter Herr Ohm"),
        ("en", "business", "Anna Schmidt", "ms", "formal", "Dear Ms Schmidt"),
        ("en", "business", "Dr. Anna Schmidt", "ms", "formal", "Dear Dr. Schmidt"),
        ("en", "business", None, None, "formal", "Dear Sir or Madam"),
        ("en", "business", "Kim Lee", None, "informal", "Hi Kim"),
    ],
)
def test_greeting(lang, kind, contact, salutation, form, expected) -> None:  # type: ignore[no-untyped-def]
    assert greeting(lang, kind, "Piotr Nowak", contact, salutation, form) == expected


def test_a_single_word_is_first_and_last_name() -> None:
    name = split_name("Madonna")
    assert (name.first, name.formal_last) == ("Madonna", "Madonna")
