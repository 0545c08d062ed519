"""Each client's revenue per calendar month, kept up to date by SQLite triggers.

The status document needs each client's monthly net (the top share's rolling 12 months) and
its orders and payment delays per window (the warning signs). Summing 100,000 entries for that
took most of the document's time, so the sums are kept in table ``revenue_month``, one row per
client and month, which triggers on ``revenue_entry`` change on every insert, update and delete,
whoever writes: this app, a merge, an erasure, an import, or another program with a plain SQLite
connection. Reading them is reading a few thousand rows.

An entry counts twice: in the month of its invoice date (``invoiced``, ``invoiced_cents``, and
for a positive entry ``orders`` with its payment delay once paid) and, once paid, in the month
of its paid date (``paid``, ``paid_cents``: the cash basis). A row lives while some entry counts
in it. The sums are whole months and payments on any day: a reader cut at a day within a month
(DOMAIN.md §7) corrects with the few entries dated after it (``services.warning_signs``).

Plain SQL, no ORM: the table is made by revision 0012, which fills it from the entries; it is
bookkeeping (``kept.NOT_DATA``): its writes are counted through the entries' own triggers.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from freelancer_desk.connection import set_aside

TABLE = "revenue_month"
#: The summed columns, in the order of ``_counted``'s values.
SUMS = (
    "invoiced",
    "invoiced_cents",
    "paid",
    "paid_cents",
    "orders",
    "order_cents",
    "orders_paid",
    "delay_days",
    "orders_paid_without_due",
)
#: The triggers on ``revenue_entry`` that keep the table, by the action they follow.
TRIGGERS = {action: f"{TABLE}_{action}" for action in ("insert", "update", "delete")}


def month_of(day: dt.date) -> str:
    """The month of ``day`` as the table names it (``2026-11``)."""
    return day.isoformat()[:7]


def net_columns(basis: str) -> tuple[str, str]:
    """The columns (entries, net cents) of the revenue counted by ``basis``: by the month of
    the payment (``paid``, the cash basis) or of the invoice."""
    return ("paid", "paid_cents") if basis == "paid" else ("invoiced", "invoiced_cents")


def _counted(entry: str) -> list[tuple[str, list[str], str]]:
    """How one entry counts: (month, the values of ``SUMS``, condition) for its invoice month
    and for its paid month; ``entry`` is the entry's name (``NEW``, ``OLD``, a table alias)."""
    net, paid_on = f"{entry}.net_cents", f"{entry}.paid_date"
    order = f"({net} > 0)"
    paid_order = f"({order} AND {paid_on} IS NOT NULL)"
    # Delay = paid − due; without a due date paid − invoice (the client's term is taken off
    # when read, as the term may change). Whole days, exact in julianday.
    delay = (
        f"CASE WHEN {paid_order} THEN CAST(julianday({paid_on}) - julianday(coalesce("
        f"{entry}.due_date, {entry}.invoice_date)) AS INTEGER) ELSE 0 END"
    )
    invoiced = [
        "1",
        net,
        "0",
        "0",
        order,
        f"CASE WHEN {order} THEN {net} ELSE 0 END",
        paid_order,
        delay,
        f"({paid_order} AND {entry}.due_date IS NULL)",
    ]
    paid = ["0", "0", "1", net, "0", "0", "0", "0", "0"]
    return [
        (f"substr({entry}.invoice_date, 1, 7)", invoiced, "true"),
        (f"substr({paid_on}, 1, 7)", paid, f"{paid_on} IS NOT NULL"),
    ]


_ADD_UP = "ON CONFLICT (month, client_id) DO UPDATE SET " + ", ".join(
    f"{column} = {column} + excluded.{column}" for column in SUMS
)
_COLUMNS = f"month, client_id, {', '.join(SUMS)}"


def _change(entry: str, sign: str) -> list[str]:
    """Statements adding (``sign`` "") or taking away ("-") a row's counts (in a trigger)."""
    statements = []
    for month, values, condition in _counted(entry):
        signed = ", ".join(f"{sign}{value}" for value in values)
        statements.append(
            f"INSERT INTO {TABLE} ({_COLUMNS}) SELECT {month}, {entry}.client_id, {signed} "
            f"WHERE {condition} {_ADD_UP};"
        )
        if sign:
            statements.append(
                f"DELETE FROM {TABLE} WHERE month = {month} AND client_id = {entry}.client_id "
                "AND invoiced = 0 AND paid = 0;"
            )
    return statements


def create_table(execute: Callable[[str], object]) -> None:
    """Make the table and its triggers (``execute`` runs one SQL statement); ``fill`` fills it."""
    columns = ", ".join(f"{column} INTEGER NOT NULL" for column in SUMS)
    execute(
        f"CREATE TABLE {TABLE} (month TEXT NOT NULL, client_id INTEGER NOT NULL, {columns}, "
        "PRIMARY KEY (month, client_id)) WITHOUT ROWID"
    )
    watched = "client_id, invoice_date, net_cents, due_date, paid_date"
    for action, event, body in (
        ("insert", "INSERT", _change("NEW", "")),
        ("update", f"UPDATE OF {watched}", _change("OLD", "-") + _change("NEW", "")),
        ("delete", "DELETE", _change("OLD", "-")),
    ):
        execute(
            f'CREATE TRIGGER "{TRIGGERS[action]}" AFTER {event} ON revenue_entry '
            f"BEGIN {' '.join(body)} END"
        )


def fill(execute: Callable[[str], object], after_id: int = 0) -> None:
    """Add the counts of the entries with an id above ``after_id`` (all: a new table)."""
    parts = " UNION ALL ".join(
        f"SELECT {month} AS month, e.client_id AS client_id, "
        + ", ".join(f"{value} AS {column}" for value, column in zip(values, SUMS, strict=True))
        + f" FROM revenue_entry AS e WHERE e.id > {int(after_id)} AND {condition}"
        for month, values, condition in _counted("e")
    )
    sums = ", ".join(f"sum({column})" for column in SUMS)
    execute(
        f"INSERT INTO {TABLE} ({_COLUMNS}) SELECT month, client_id, {sums} FROM ({parts}) "
        f"WHERE true GROUP BY month, client_id {_ADD_UP}"
    )


@contextmanager
def added_in_bulk(conn: sqlite3.Connection) -> Iterator[None]:
    """Entries inserted in the block are counted once after it, in one grouped pass, instead of
    by the insert trigger row by row (an import of 100,000 entries).

    The trigger is set aside for the block (``connection.set_aside``, in the write
    transaction, unseen by any other connection), so the new entries are those with an id
    above the largest before it.
    """
    (before,) = conn.execute("SELECT coalesce(max(id), 0) FROM revenue_entry").fetchone()
    with set_aside(conn, "trigger", [TRIGGERS["insert"]]) as counting:
        yield
        if counting:  # (inside the transaction, before the trigger comes back)
            fill(conn.execute, before)
