"""Property tests over the services and the CSV importer with hostile input: NUL, lone
surrogates, right-to-left text, emoji, 100,000 characters, any number, any date. Every input
either stops with a clean error (and nothing is stored) or is stored and reads back equal."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, event, given
from hypothesis import strategies as st

from freelancer_desk.db import Database, open_database
from freelancer_desk.errors import DeskError, InputError
from freelancer_desk.importers.plan import PlanOptions
from freelancer_desk.models import Channel, InteractionKind
from freelancer_desk.names import name_key
from freelancer_desk.services import clients as clients_service
from freelancer_desk.services import importing
from freelancer_desk.services import interactions as interactions_service
from freelancer_desk.services import revenue as revenue_service
from tests.core.safety_helpers import count

HOSTILE = [
    "\x00",
    "Müller\x00GmbH",
    "a\ud800b",
    "\udfff",
    "\u202eevil.exe",
    "שלום עולם",
    "مرحبا بالعالم",
    "👩‍💻🏳️‍🌈🇩🇪",
    "e\u0301",
    "\ufeffBOM",
    "  Leerzeichen  ",
    "\t\n\r",
    "Zeile 1\nZeile 2",
    "'; DROP TABLE client; --",
    "%s {name} {0}",
    "\\N",
    "NULL",
    "\u2028\u2029",
    "\x1b[31mrot",
]
LONG = [character * 100_000 for character in ("x", "ü", "😀", "ש")]

texts = st.one_of(
    st.text(),
    st.text(st.characters(codec="utf-8", exclude_categories=())),
    st.sampled_from(HOSTILE),
    st.sampled_from(LONG),
    st.builds(lambda a, b: a + b, st.sampled_from(HOSTILE), st.text(max_size=30)),
)
optional_texts = st.none() | texts
dates = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
date_inputs = st.one_of(dates, dates.map(dt.date.isoformat), st.text(max_size=12))
amounts = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(min_value=-(10**10), max_value=10**10, places=2),
    st.integers(),
    st.floats(),
    st.text(max_size=20),
)


def normalized(value: str | None) -> str | None:
    """What a text field stores: trimmed, and nothing for blank."""
    if value is None:
        return None
    return value.strip() or None


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, _template_db: Path) -> Iterator[Database]:
    """One database for all examples of a test (a fresh one per example would dominate)."""
    path = tmp_path_factory.mktemp("properties") / "desk.sqlite3"
    shutil.copyfile(_template_db, path)
    database = open_database(path)
    yield database
    database.close()


def stored_or_refused(db: Database, table: str, write: Any) -> Any:
    """Run ``write``; on InputError check that nothing was stored, and return None."""
    before = count(db.path, table)
    try:
        made = write()
    except InputError as exc:
        assert exc.message and exc.label
        assert count(db.path, table) == before
        event(f"refused: {exc.field}")
        return None
    event("stored")
    return made


@given(
    name=texts,
    contact=optional_texts,
    notes=optional_texts,
    tags=optional_texts,
    term=st.none() | st.integers(),
    consent=st.none() | date_inputs,
)
def test_clients_store_any_text_or_refuse_it(
    store: Database,
    name: str,
    contact: str | None,
    notes: str | None,
    tags: str | None,
    term: int | None,
    consent: Any,
) -> None:
    data = {
        "name": name,
        "contact_person": contact,
        "notes": notes,
        "tags": tags,
        "payment_term_days": term,
        "email_consent_on": consent,
    }
    client = stored_or_refused(store, "client", lambda: clients_service.create_client(store, data))
    if "\x00" in name or not name.strip():
        assert client is None
    if client is None:
        return
    back = clients_service.get_client(store, client.id)
    assert back.name == name.strip()
    assert (back.contact_person, back.notes, back.tags) == tuple(
        map(normalized, (contact, notes, tags))
    )
    assert back.payment_term_days == term
    expected_consent = dt.date.fromisoformat(consent) if isinstance(consent, str) else consent
    assert back.email_consent_on == expected_consent


@given(name=st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=200))
def test_every_printable_name_is_accepted(store: Database, name: str) -> None:
    assume(name.strip())
    client = clients_service.create_client(store, {"name": name})
    assert clients_service.get_client(store, client.id).name == name.strip()


@pytest.fixture(scope="module")
def client_id(store: Database) -> int:
    return clients_service.create_client(store, {"name": "Kundin für Eigenschaften"}).id


@pytest.mark.parametrize("day", ["00", "20250701", 0, 1.5, "-3"])
def test_a_date_written_as_a_number_is_refused_not_read_as_1970(
    store: Database, client_id: int, day: object
) -> None:
    with pytest.raises(InputError, match="Invoice date: is not a valid date"):
        revenue_service.create_entry(
            store, {"client_id": client_id, "invoice_date": day, "net": "271.00"}
        )
    assert revenue_service.list_entries(store, client_id=client_id) == []


@given(
    number=optional_texts,
    invoiced=date_inputs,
    net=amounts,
    due=st.none() | dates,
    paid=st.none() | dates,
    note=optional_texts,
)
def test_revenue_stores_any_amount_and_date_or_refuses_it(
    store: Database,
    client_id: int,
    number: str | None,
    invoiced: Any,
    net: Any,
    due: dt.date | None,
    paid: dt.date | None,
    note: str | None,
) -> None:
    data = {
        "client_id": client_id,
        "invoice_number": number,
        "invoice_date": invoiced,
        "net": net,
        "due_date": due,
        "paid_date": paid,
        "note": note,
    }
    row = stored_or_refused(
        store, "revenue_entry", lambda: revenue_service.create_entry(store, data)
    )
    if row is None:
        return
    back = next(
        entry
        for entry in revenue_service.list_entries(store, client_id=client_id)
        if entry.id == row.id
    )
    assert back.net == Decimal(repr(net) if isinstance(net, float) else str(net))
    assert back.invoice_date == (
        dt.date.fromisoformat(invoiced) if isinstance(invoiced, str) else invoiced
    )
    assert (back.due_date, back.paid_date) == (due, paid)
    assert (back.invoice_number, back.note) == (normalized(number), normalized(note))
    revenue_service.delete_entry(store, row.id)  # keep invoice numbers free for later examples


@given(
    when=date_inputs,
    channel=st.sampled_from([*Channel, "fax", ""]),
    kind=st.sampled_from([*InteractionKind, "gossip"]),
    mood=st.none() | st.integers(),
    notes=optional_texts,
)
def test_interactions_store_any_note_or_refuse_it(
    store: Database,
    client_id: int,
    when: Any,
    channel: str,
    kind: str,
    mood: int | None,
    notes: str | None,
) -> None:
    data = {
        "client_id": client_id,
        "date": when,
        "channel": channel,
        "kind": kind,
        "mood": mood,
        "notes": notes,
    }
    made = stored_or_refused(
        store, "interaction", lambda: interactions_service.create_interaction(store, data)
    )
    if channel not in set(Channel) or kind not in set(InteractionKind):
        assert made is None
    if made is None:
        return
    back = next(
        item
        for item in interactions_service.list_for_client(store, client_id)
        if item.id == made.id
    )
    assert back.date == (dt.date.fromisoformat(when) if isinstance(when, str) else when)
    assert (back.channel, back.kind, back.mood) == (channel, kind, mood)
    assert back.notes == normalized(notes)


# --------------------------------------------------------------------------------------------
# The CSV importer
# --------------------------------------------------------------------------------------------

csv_texts = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=40),
    st.sampled_from([text for text in HOSTILE if "\ud800" not in text and "\udfff" not in text]),
)
import_rows = st.lists(
    st.tuples(
        csv_texts,
        csv_texts,
        st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)),
        st.decimals(min_value=-(10**7), max_value=10**7, places=2),
    ),
    min_size=1,
    max_size=6,
    unique_by=lambda row: name_key(row[0].strip()),
)


@given(rows=import_rows)
def test_csv_import_stores_every_row_as_written_or_nothing(
    tmp_path_factory: pytest.TempPathFactory,
    _template_db: Path,
    rows: list[tuple[str, str, dt.date, Decimal]],
) -> None:
    """Rows written by Python's csv module (quoting what needs it), one client each."""
    assume(all(not name.lstrip().startswith('="') for name, *_rest in rows))
    path = tmp_path_factory.mktemp("import") / "desk.sqlite3"
    shutil.copyfile(_template_db, path)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Kunde", "Rechnungsnummer", "Rechnungsdatum", "Netto"])
    for name, number, day, net in rows:
        writer.writerow([name, number, day.strftime("%d.%m.%Y"), str(net).replace(".", ",")])
    with open_database(path) as db:
        try:
            table = importing.load_table(buffer.getvalue().encode("utf-8"), "revenue")
            importing.run_import(db, table, "revenue", PlanOptions(as_of=dt.date(2026, 1, 15)))
        except DeskError as exc:
            assert str(exc)
            assert count(path, "revenue_entry") == 0
            event(f"refused: {type(exc).__name__}")
            return
        stored = {
            (row.client_name, row.invoice_number, row.invoice_date, row.net)
            for row in revenue_service.list_entries(db)
        }
    event("stored")
    assert stored == {
        (name.strip(), number.strip() or None, day, net) for name, number, day, net in rows
    }
