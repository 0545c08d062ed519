"""Demo data: reproducible, valid by the app's own rules, and telling every story of the product."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import text

from freelancer_desk import demo
from freelancer_desk.analytics.periods import rolling_12_months
from freelancer_desk.catalog import BUILTIN_REASONS
from freelancer_desk.db import Database, open_database
from freelancer_desk.errors import InputError
from freelancer_desk.models import (
    ClientCreate,
    ClientStatus,
    FeedbackRequestCreate,
    InteractionCreate,
    LossCreate,
    ReminderCreate,
    RevenueCreate,
    validate,
)
from freelancer_desk.money import from_cents
from freelancer_desk.services import clients as clients_service
from freelancer_desk.services import revenue as revenue_service

if TYPE_CHECKING:
    from tests.conftest import BigBook


AS_OF = dt.date(2025, 6, 30)
TABLES = (
    "client_group",
    "client",
    "revenue_entry",
    "interaction",
    "loss",
    "winback_case",
    "winback_attempt",
    "feedback_request",
    "reminder",
    "setting",
)


def rows(db: Database, sql: str) -> list[dict]:
    with db.engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(text(sql))]


def dump(db: Database) -> dict[str, list[tuple]]:
    """Every row of every demo table, in id order."""
    with db.engine.connect() as conn:
        return {
            table: [tuple(row) for row in conn.execute(text(f"SELECT * FROM {table} ORDER BY 1"))]
            for table in TABLES
        }


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    """The default demo (German), generated once for the read-only checks of this module."""
    database = open_database(tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    summary = demo.generate(database, seed=11, as_of=AS_OF, lang="de")
    assert summary.clients == demo.DEFAULT_CLIENTS
    yield database
    database.close()


def test_same_seed_gives_identical_data_and_another_seed_differs(
    fresh_db_path: Callable[[str], Path],
) -> None:
    dumps = []
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        with open_database(fresh_db_path(f"{name}.sqlite3")) as db:
            demo.generate(
                db, clients=60, entries=500, interactions=300, seed=seed, as_of=AS_OF, lang="de"
            )
            dumps.append(dump(db))
    assert dumps[0] == dumps[1]
    assert dumps[0]["revenue_entry"] != dumps[2]["revenue_entry"]
    assert all(dumps[0][table] for table in TABLES)


def test_counts_are_exactly_the_sizes_asked_for(db: Database) -> None:
    summary = demo.generate(db, clients=57, entries=1234, interactions=321, seed=1, as_of=AS_OF)
    counts = {
        t: rows(db, f"SELECT count(*) AS n FROM {t}")[0]["n"]
        for t in ("client", "revenue_entry", "interaction")
    }
    assert counts == {"client": 57, "revenue_entry": 1234, "interaction": 321}
    assert (summary.clients, summary.entries, summary.interactions) == (57, 1234, 321)


def test_every_row_passes_the_apps_own_input_validation(demo_db: Database) -> None:
    for row in rows(demo_db, "SELECT * FROM client"):
        validate(ClientCreate, row)
    for row in rows(demo_db, "SELECT * FROM revenue_entry"):
        validate(RevenueCreate, {**row, "net": from_cents(row["net_cents"])})
    for model, table in (
        (InteractionCreate, "interaction"),
        (LossCreate, "loss"),
        (FeedbackRequestCreate, "feedback_request"),
        (ReminderCreate, "reminder"),
    ):
        for row in rows(demo_db, f"SELECT * FROM {table}"):
            validate(model, row)


def test_names_mix_german_and_international_letters(demo_db: Database) -> None:
    names = " ".join(row["name"] for row in rows(demo_db, "SELECT name FROM client"))
    for letter in "äöüßŁøéğ":
        assert letter in names, letter
    kinds = Counter(row["kind"] for row in rows(demo_db, "SELECT kind FROM client"))
    assert kinds["private"] >= 5 and kinds["business"] >= 20
    assert len(set(names.split(" "))) > 1


def test_one_dominant_client_holds_55_to_70_percent_of_the_last_12_months(
    demo_db: Database,
) -> None:
    per_client = revenue_service.net_by_client(demo_db, rolling_12_months(AS_OF))
    total = sum(per_client.values())
    shares = sorted((cents / total for cents in per_client.values()), reverse=True)
    assert 0.55 <= shares[0] <= 0.70
    assert shares[1] < 0.10


def test_a_group_of_two_or_three_companies(demo_db: Database) -> None:
    members = rows(
        demo_db,
        "SELECT g.name AS grp, count(*) AS n FROM client c JOIN client_group g "
        "ON g.id = c.group_id GROUP BY g.id",
    )
    assert len(members) == 1 and 2 <= members[0]["n"] <= 3


def test_statuses_cover_sleeping_lost_won_back_and_archived(demo_db: Database) -> None:
    client_rows = clients_service.client_rows(demo_db, AS_OF)
    statuses = Counter(row.status for row in client_rows)
    for status in (
        ClientStatus.ACTIVE,
        ClientStatus.SLEEPING,
        ClientStatus.LOST,
        ClientStatus.WON_BACK,
        ClientStatus.ARCHIVED,
    ):
        assert statuses[status] >= 1, status
    assert any(row.returner for row in client_rows)
    for row in client_rows:
        if row.status is ClientStatus.SLEEPING:
            assert row.last_invoice is None or (AS_OF - row.last_invoice).days >= 180


def test_dates_are_relative_to_as_of(demo_db: Database) -> None:
    first, last = revenue_service.revenue_bounds(demo_db)
    assert last <= AS_OF and (AS_OF - last).days <= 14
    assert 700 <= (AS_OF - first).days <= 760
    assert rows(demo_db, "SELECT max(date) AS d FROM interaction")[0]["d"] <= AS_OF.isoformat()


def test_late_payments_overdue_invoices_and_credit_notes(demo_db: Database) -> None:
    day = AS_OF.isoformat()
    late = rows(
        demo_db,
        "SELECT count(*) AS n FROM revenue_entry "
        "WHERE julianday(paid_date) - julianday(due_date) > 14",
    )
    overdue = rows(
        demo_db,
        f"SELECT count(*) AS n FROM revenue_entry WHERE paid_date IS NULL AND due_date < '{day}'",
    )
    credit = rows(demo_db, "SELECT count(*) AS n FROM revenue_entry WHERE net_cents < 0")
    assert late[0]["n"] >= 5 and overdue[0]["n"] >= 2 and credit[0]["n"] >= 1
    numbers = rows(demo_db, "SELECT invoice_number FROM revenue_entry")
    assert all(row["invoice_number"] for row in numbers)


def test_interactions_record_complaints_and_their_emotions(demo_db: Database) -> None:
    kinds = Counter(row["kind"] for row in rows(demo_db, "SELECT kind FROM interaction"))
    for kind in ("contact", "complaint", "praise", "unreachable", "chasing", "feedback"):
        assert kinds[kind] >= 1, kind
    complaints = rows(demo_db, "SELECT mood, notes FROM interaction WHERE kind = 'complaint'")
    assert all(row["mood"] < 0 and row["notes"] for row in complaints)
    assert "{person}" not in " ".join(row["notes"] for row in complaints)


def test_losses_use_catalogue_reasons_and_win_back_cases(demo_db: Database) -> None:
    losses = rows(demo_db, "SELECT * FROM loss")
    codes = {reason.code for reason in BUILTIN_REASONS}
    assert {row["reason_code"] for row in losses} <= codes
    assert {row["loss_type"] for row in losses} == {"broken", "pulled", "pushed"}
    outcomes = Counter(row["outcome"] for row in rows(demo_db, "SELECT outcome FROM winback_case"))
    assert outcomes["won_back"] == 1 and outcomes["open"] >= 1
    attempts = rows(
        demo_db,
        "SELECT a.date, l.lost_on FROM winback_attempt a JOIN winback_case c "
        "ON c.id = a.case_id JOIN loss l ON l.id = c.loss_id",
    )
    assert attempts and all(row["lost_on"] < row["date"] <= AS_OF.isoformat() for row in attempts)


def test_one_objection_and_no_reminder_or_request_for_it(demo_db: Database) -> None:
    objecting = rows(demo_db, "SELECT id FROM client WHERE objection_on IS NOT NULL")
    assert len(objecting) == 1
    client_id = objecting[0]["id"]
    assert not rows(demo_db, f"SELECT id FROM reminder WHERE client_id = {client_id}")
    assert not rows(demo_db, f"SELECT id FROM feedback_request WHERE client_id = {client_id}")
    assert rows(demo_db, f"SELECT objected FROM loss WHERE client_id = {client_id}")[0]["objected"]


def test_feedback_requests_in_every_state_and_reminders_overdue_and_recurring(
    demo_db: Database,
) -> None:
    states = Counter(row["status"] for row in rows(demo_db, "SELECT status FROM feedback_request"))
    assert set(states) == {"planned", "sent", "received", "declined"}
    reminders = rows(demo_db, "SELECT * FROM reminder")
    day = AS_OF.isoformat()
    assert any(r["done_on"] is None and r["due_on"] < day for r in reminders)
    assert any(r["done_on"] is None and r["due_on"] > day for r in reminders)
    assert any(r["recurrence_unit"] and r["anchor_day"] == int(r["due_on"][8:]) for r in reminders)
    assert any(r["done_on"] is not None for r in reminders)
    assert len({r["uid"] for r in reminders}) == len(reminders)
    loyalty = Counter(row["loyalty"] for row in rows(demo_db, "SELECT loyalty FROM client"))
    assert {"loyal", "conditional", "disloyal"} <= set(loyalty)


def test_notes_follow_the_language(fresh_db_path: Callable[[str], Path]) -> None:
    notes = {}
    for lang in ("de", "en"):
        with open_database(fresh_db_path(f"{lang}.sqlite3")) as db:
            demo.generate(db, seed=3, as_of=AS_OF, lang=lang)
            notes[lang] = " ".join(
                r["notes"] or "" for r in rows(db, "SELECT notes FROM interaction")
            )
    assert "Reklamation" in notes["de"] or "Ärger" in notes["de"]
    assert "Complaint" in notes["en"] or "Annoyed" in notes["en"]


#: Every free text the demo writes; tags are compared one by one.
DEMO_TEXTS = (
    "SELECT notes FROM client",
    "SELECT tags FROM client",
    "SELECT notes FROM interaction",
    "SELECT note FROM revenue_entry",
    "SELECT response FROM feedback_request",
    "SELECT note FROM reminder",
    "SELECT notes FROM winback_attempt",
    "SELECT incentive FROM winback_case",
    "SELECT measures FROM winback_case",
    "SELECT reason_text FROM loss",
    "SELECT note FROM client_group",
)


def test_every_note_and_tag_is_in_the_language_of_the_demo(
    fresh_db_path: Callable[[str], Path],
) -> None:
    """A German demo writes no English note or tag (and the other way round): the texts of
    both demos have nothing in common but the words both languages share."""
    texts: dict[str, set[str]] = {}
    for lang in ("de", "en"):
        with open_database(fresh_db_path(f"{lang}.sqlite3")) as db:
            demo.generate(db, seed=3, as_of=AS_OF, lang=lang)
            found: set[str] = set()
            for query in DEMO_TEXTS:
                for row in rows(db, query):
                    value = next(iter(dict(row).values()))
                    if value:
                        found.update(value.split(", ") if "tags" in query else [value])
            texts[lang] = found
    assert texts["de"] & texts["en"] == {"Logo", "Print", "Web"}


def test_refuses_a_database_that_holds_clients_and_changes_nothing(db: Database) -> None:
    clients_service.create_client(db, {"name": "Bestandskunde"})
    before = dump(db)
    with pytest.raises(demo.DemoRefusedError, match="already holds clients"):
        demo.generate(db, as_of=AS_OF)
    assert dump(db) == before


@pytest.mark.parametrize(
    "sizes, field",
    [((0, 10, 10), "clients"), ((5, -1, 10), "entries"), ((5, 10, 2_000_000), "interactions")],
)
def test_sizes_out_of_range_name_the_field(
    db: Database, sizes: tuple[int, int, int], field: str
) -> None:
    with pytest.raises(InputError) as caught:
        demo.generate(db, *sizes)
    assert caught.value.field == field
    assert rows(db, "SELECT count(*) AS n FROM client")[0]["n"] == 0


def test_tiny_demo_still_works(db: Database) -> None:
    summary = demo.generate(db, clients=1, entries=0, interactions=0, as_of=AS_OF)
    assert (summary.clients, summary.entries, summary.groups) == (1, 0, 0)


def test_apportion_splits_exactly() -> None:
    # 10 in the ratio 1:1:1 → 3.33 each; the one remainder goes to the first largest fraction.
    assert demo.apportion(10, [1, 1, 1]) == [4, 3, 3]
    assert demo.apportion(7, [0, 2, 5]) == [0, 2, 5]
    assert demo.apportion(0, [1, 2]) == [0, 0]


def test_slug_writes_plain_ascii() -> None:
    assert demo.slug("Müller & Söhne GmbH") == "mueller-soehne-gmbh"
    assert demo.slug("Łukasz Wróbel") == "lukasz-wrobel"
    assert demo.slug("Søren Ødegaard ApS") == "soren-odegaard-aps"


def test_benchmark_size(big_book: BigBook) -> None:
    """The bench's data set (its speed is measured in bench/, not here)."""
    with open_database(big_book.path, writable=False) as db, db.session() as session:
        stored = [
            session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("client", "revenue_entry", "interaction")
        ]
    assert stored == [2000, 100_000, 20_000]
    with open_database(big_book.path, writable=False) as db:
        per_client = revenue_service.net_by_client(db, rolling_12_months(big_book.as_of))
    assert 0.55 <= max(per_client.values()) / sum(per_client.values()) <= 0.70
