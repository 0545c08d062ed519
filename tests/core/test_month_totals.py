"""The monthly totals (``freelancer_desk.month_totals``) equal the sums of the entries after
every kind of write, whoever writes, and the figures read from them equal the plain sums.

The expected totals are added up here in Python from the entries as they are in the file.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import defaultdict
from contextlib import closing
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from freelancer_desk import erasure, month_totals
from freelancer_desk.analytics.periods import Period
from freelancer_desk.analytics.warnings import first_month_needed, recent_start
from freelancer_desk.db import SCHEMA_HEAD, Database, open_database, read_schema_revision
from freelancer_desk.importers.plan import PlanOptions
from freelancer_desk.services import clients as clients_service
from freelancer_desk.services import dependency as dependency_service
from freelancer_desk.services import privacy as privacy_service
from freelancer_desk.services import revenue as revenue_service
from freelancer_desk.services import settings as settings_service
from freelancer_desk.services import warning_signs
from freelancer_desk.services.importing import load_table, run_import

D = dt.date
TODAY = D(2026, 3, 10)
Totals = dict[tuple[str, int], list[int]]


def _entries(conn: sqlite3.Connection) -> list[tuple[int, D, int, D | None, D | None]]:
    """(client, invoice date, net cents, due date, paid date) of every entry."""
    rows = conn.execute(
        "SELECT client_id, invoice_date, net_cents, due_date, paid_date FROM revenue_entry"
    )
    return [
        (
            client,
            D.fromisoformat(day),
            cents,
            due and D.fromisoformat(due),
            paid and D.fromisoformat(paid),
        )
        for client, day, cents, due, paid in rows
    ]


def _plain_totals(conn: sqlite3.Connection) -> Totals:
    """The totals as ``month_totals.SUMS`` names them, added up from the entries."""
    totals: Totals = defaultdict(lambda: [0] * len(month_totals.SUMS))
    for client, day, cents, due, paid in _entries(conn):
        invoiced = totals[day.isoformat()[:7], client]
        invoiced[0] += 1
        invoiced[1] += cents
        if cents > 0:
            invoiced[4] += 1
            invoiced[5] += cents
            if paid is not None:
                invoiced[6] += 1
                invoiced[7] += (paid - (due or day)).days
                invoiced[8] += due is None
        if paid is not None:
            cash = totals[paid.isoformat()[:7], client]
            cash[2] += 1
            cash[3] += cents
    return dict(totals)


def _kept_totals(conn: sqlite3.Connection) -> Totals:
    rows = conn.execute(f"SELECT * FROM {month_totals.TABLE}")
    return {(month, client): list(sums) for month, client, *sums in rows}


def _assert_kept_right(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        assert _kept_totals(conn) == _plain_totals(conn)


def _client(db: Database, name: str, **more: object) -> int:
    client_id = clients_service.create_client(db, {"name": name, **more}).id
    assert client_id is not None
    return client_id


def _entry(db: Database, client: int, day: D, net: str, **more: object) -> int:
    data = {"client_id": client, "invoice_date": day, "net": net, **more}
    return revenue_service.create_entry(db, data).id


def test_the_totals_follow_every_write_of_the_app(db: Database) -> None:
    a = _client(db, "Alpha GmbH")
    b = _client(db, "Beta KG")
    first = _entry(
        db, a, D(2026, 1, 5), "1000.00", due_date=D(2026, 1, 19), paid_date=D(2026, 2, 3)
    )
    second = _entry(db, a, D(2026, 1, 20), "-200.00")  # a credit note
    third = _entry(db, b, D(2026, 2, 1), "300.00", paid_date=D(2026, 2, 10))
    _assert_kept_right(db.path)
    with closing(sqlite3.connect(db.path)) as conn:
        # Alpha in January: one order of 1,000 paid 15 days after its due date, a credit note.
        assert _kept_totals(conn)["2026-01", a] == [2, 80000, 0, 0, 1, 100000, 1, 15, 0]
        assert _kept_totals(conn)["2026-02", a] == [0, 0, 1, 100000, 0, 0, 0, 0, 0]
    for entry, change in (
        (first, {"net": "1500.00"}),
        (first, {"invoice_date": D(2025, 12, 30)}),
        (second, {"client_id": b}),
        (third, {"paid_date": None}),
        (third, {"due_date": D(2026, 2, 20), "paid_date": D(2026, 3, 2)}),
        (first, {"note": "nur eine Notiz"}),
    ):
        revenue_service.update_entry(db, entry, change)
        _assert_kept_right(db.path)
    revenue_service.delete_entry(db, second)
    _assert_kept_right(db.path)
    clients_service.merge_clients(db, a, b)
    _assert_kept_right(db.path)
    privacy_service.erase_client(db, a, today=TODAY)
    _assert_kept_right(db.path)
    revenue_service.delete_entry(db, first)
    revenue_service.delete_entry(db, third)
    with closing(sqlite3.connect(db.path)) as conn:
        assert _kept_totals(conn) == {}  # a month's row goes with its last entry


def test_an_import_adds_its_entries_in_one_pass(db: Database) -> None:
    held = _client(db, "Bestand GmbH")
    _entry(db, held, D(2025, 2, 1), "100.00", paid_date=D(2025, 2, 20))
    csv_text = (
        "Kunde;Rechnungsnummer;Rechnungsdatum;Netto;Fällig;Bezahlt am\n"
        "Bestand GmbH;R-1;03.02.2025;1.234,56;17.02.2025;20.03.2025\n"
        "Neu & Söhne;R-2;04.02.2025;-50,00;;\n"
        "Zweite Neue KG;R-3;05.02.2025;99,99;;06.03.2025\n"
    )
    result = run_import(
        db, load_table(csv_text.encode(), "revenue"), "revenue", PlanOptions(as_of=TODAY)
    )
    assert result.added == 3
    _assert_kept_right(db.path)
    with closing(sqlite3.connect(db.path)) as conn:
        assert _kept_totals(conn)["2025-02", held][:2] == [2, 133456]
        # The insert trigger is back after the import: a single entry counts at once.
        assert {name for (name,) in conn.execute("SELECT name FROM sqlite_master")} >= set(
            month_totals.TRIGGERS.values()
        )
    _entry(db, held, D(2025, 2, 9), "1.00")
    _assert_kept_right(db.path)


def test_another_programs_writes_keep_the_totals_right(db_path: Path) -> None:
    with open_database(db_path) as db:
        client = _client(db, "Alpha GmbH")
    with closing(sqlite3.connect(db_path)) as conn, conn:
        conn.executemany(
            "INSERT INTO revenue_entry (client_id, invoice_date, net_cents, paid_date) "
            "VALUES (?, ?, ?, ?)",
            [(client, f"2026-0{m}-1{m}", 1000 * m, f"2026-0{m + 1}-01") for m in range(1, 6)],
        )
    _assert_kept_right(db_path)
    for statement in (
        "UPDATE revenue_entry SET net_cents = -net_cents WHERE invoice_date < '2026-03-01'",
        "UPDATE revenue_entry SET invoice_date = '2025-12-31', paid_date = NULL WHERE id = 3",
        "DELETE FROM revenue_entry WHERE id IN (1, 4)",
        "DELETE FROM client",  # its entries go with it
    ):
        with closing(sqlite3.connect(db_path)) as conn, conn:
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute(statement)
        _assert_kept_right(db_path)


def test_the_upgrade_fills_the_totals_of_an_existing_file(db_path: Path) -> None:
    with open_database(db_path) as db:
        client = _client(db, "Alpha GmbH")
        for month in range(1, 13):
            _entry(db, client, D(2025, month, 3), f"{month}00.00", paid_date=D(2025, month, 28))
        _entry(db, client, D(2025, 6, 9), "-75.00")
    # The file as revision 0011 left it: no totals, no triggers keeping them.
    with closing(sqlite3.connect(db_path)) as conn, conn:
        for trigger in month_totals.TRIGGERS.values():
            conn.execute(f'DROP TRIGGER "{trigger}"')
        conn.execute(f"DROP TABLE {month_totals.TABLE}")
        conn.execute("UPDATE alembic_version SET version_num = '0011'")
    with open_database(db_path):
        pass
    assert read_schema_revision(db_path) == SCHEMA_HEAD
    _assert_kept_right(db_path)
    with closing(sqlite3.connect(db_path)) as conn:
        assert _kept_totals(conn)["2025-06", client][:2] == [2, 52500]


# ---- the figures read from the totals equal the plain sums -------------------------------------

_DAYS = st.dates(D(2024, 1, 1), D(2026, 3, 31))


@st.composite
def _entry_rows(draw: st.DrawFn) -> tuple[int, D, int, D | None, D | None]:
    day = draw(_DAYS)
    due = draw(st.none() | st.integers(0, 40).map(lambda n: day + dt.timedelta(days=n)))
    paid = draw(st.none() | st.integers(0, 120).map(lambda n: day + dt.timedelta(days=n)))
    return draw(st.integers(1, 3)), day, draw(st.integers(-50_000, 500_000)), due, paid


def _windows_by_hand(
    entries: list[tuple[int, D, int, D | None, D | None]],
    as_of: D,
    first: D,
    recent: D,
    terms: dict[int, int],
) -> dict[int, list[list[int]]]:
    """Orders, cents, paid orders and delay per client and window, from the entries."""
    sums: dict[int, list[list[int]]] = defaultdict(lambda: [[0] * 4, [0] * 4])
    for client, day, cents, due, paid in entries:
        if not first <= day <= as_of or cents <= 0:
            continue
        figures = sums[client][0 if day >= recent else 1]
        figures[0] += 1
        figures[1] += cents
        if paid is not None and paid <= as_of:
            figures[2] += 1
            figures[3] += (paid - (due or day + dt.timedelta(days=terms[client]))).days
    return sums


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    rows=st.lists(_entry_rows(), max_size=40),
    as_of=_DAYS,
    basis=st.sampled_from(["invoice", "paid"]),
    start=_DAYS,
)
def test_windows_and_months_read_from_the_totals_equal_the_plain_sums(
    db: Database,
    rows: list[tuple[int, D, int, D | None, D | None]],
    as_of: D,
    basis: str,
    start: D,
) -> None:
    if not dependency_service.client_infos(db):  # ids 1, 2, 3
        for name, term in (("Alpha", 14), ("Beta", None), ("Gamma", 30)):
            _client(db, name, payment_term_days=term)
    with db.session() as session:
        raw = erasure.raw_connection(session)
        raw.execute("DELETE FROM revenue_entry")
        raw.executemany(
            "INSERT INTO revenue_entry (client_id, invoice_date, net_cents, due_date, paid_date) "
            "VALUES (?, ?, ?, ?, ?)",
            [(c, day, cents, due, paid) for c, day, cents, due, paid in rows],
        )
        assert _kept_totals(raw) == _plain_totals(raw)
        desk = settings_service.load(db)
        terms = defaultdict(lambda: desk.default_payment_term_days, {1: 14, 3: 30})
        first, recent = first_month_needed(as_of, desk), recent_start(as_of, desk)
        found = warning_signs._window_sums(raw, as_of, first, recent, terms, None)
        expected = _windows_by_hand(_entries(raw), as_of, first, recent, terms)
        assert {
            c: [w[:4] for w in windows] for c, windows in found.items() if any(map(any, windows))
        } == {c: windows for c, windows in expected.items() if any(map(any, windows))}
        last = as_of.replace(day=1) - dt.timedelta(days=1)
        monthly = dependency_service._monthly_net(session, basis, None, last)
        by_hand: dict[tuple[int, tuple[int, int]], int] = defaultdict(int)
        for client, day, cents, _due, paid in _entries(raw):
            counted = paid if basis == "paid" else day
            if counted is not None and counted <= last:
                by_hand[client, (counted.year, counted.month)] += cents
        assert monthly == by_hand
        session.rollback()
    # A period's net per client: whole months from the totals, the days around from entries.
    period = Period(start, as_of + dt.timedelta(days=1)) if start <= as_of else Period(as_of, start)
    nets: dict[int, int] = {}
    with db.session() as session:
        raw = erasure.raw_connection(session)
        raw.executemany(
            "INSERT INTO revenue_entry (client_id, invoice_date, net_cents, due_date, paid_date) "
            "VALUES (?, ?, ?, ?, ?)",
            rows,
        )
        for client, day, cents, _due, paid in _entries(raw):
            counted = paid if basis == "paid" else day
            if counted is not None and period.start <= counted < period.end:
                nets[client] = nets.get(client, 0) + cents
        session.commit()
    assert revenue_service.net_by_client_in(db, [period], basis)[0] == nets


def test_the_paid_date_index_holds_the_invoice_date_in_new_and_upgraded_files(
    db_path: Path, tmp_path: Path
) -> None:
    """Revision 0013: the invoices open on a past day ("paid after D, invoiced on or before
    D") are judged in the index of the paid date, new files and upgraded ones alike."""
    with closing(sqlite3.connect(db_path)) as conn, conn:  # the file as revision 0012 left it
        conn.execute("DROP INDEX ix_revenue_paid_date")
        conn.execute("CREATE INDEX ix_revenue_paid_date ON revenue_entry (paid_date)")
        conn.execute("UPDATE alembic_version SET version_num = '0012'")
    new = tmp_path / "new.sqlite3"
    for path in (db_path, new):
        with open_database(path):
            pass
        with closing(sqlite3.connect(path)) as conn:
            columns = [row[2] for row in conn.execute("PRAGMA index_info(ix_revenue_paid_date)")]
            plan = " ".join(
                row[3]
                for row in conn.execute(
                    "EXPLAIN QUERY PLAN SELECT client_id FROM revenue_entry "
                    "WHERE paid_date > ? AND +invoice_date <= ?",
                    ("2025-12-31", "2025-12-31"),
                )
            )
        assert read_schema_revision(path) == SCHEMA_HEAD
        assert columns == ["paid_date", "invoice_date"]
        assert "ix_revenue_paid_date" in plan
