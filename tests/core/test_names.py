"""Names sort the way a German-speaking reader expects (DIN 5007, variant 1)."""

from __future__ import annotations

from freelancer_desk.names import collation_key
from freelancer_desk.services import clients as client_service


def test_marked_letters_sort_with_their_base_letter() -> None:
    names = [
        "Zeta",
        "Øresund",
        "Oberhof",
        "Łukasz",
        "Lars",
        "Straße",
        "Strasse B",
        "Ärzte",
        "Apfel",
    ]
    assert sorted(names, key=collation_key) == [
        "Apfel",
        "Ärzte",
        "Lars",
        "Łukasz",
        "Oberhof",
        "Øresund",
        "Straße",
        "Strasse B",
        "Zeta",
    ]


def test_client_choosers_list_names_in_that_order(db) -> None:  # type: ignore[no-untyped-def]
    for name in ["Zeta AG", "Łódź Studio", "Lamm GmbH", "Ömer Bau"]:
        client_service.create_client(db, {"name": name})
    assert [name for _id, name in client_service.client_names(db)] == [
        "Lamm GmbH",
        "Łódź Studio",
        "Ömer Bau",
        "Zeta AG",
    ]
