"""Documents kept in the database file until its data changes, read without the ORM.

Computing the status document takes a fraction of a second on a large file, and every start of
the window and every ``status --json`` asks for it again, mostly on unchanged data. So the last
documents are kept in the file itself (table ``kept_document``), each beside the value of the
change counter it was computed at. The counter (table ``change_counter``) is raised by a trigger
on every insert, update and delete in every data table, whoever writes: this app, a second copy
of it, or another program with a raw SQLite connection. A kept document counts only while the
counter still has its value; a delete also drops every kept document at once, so that an erased
client's name does not linger in them.

This module uses plain ``sqlite3`` (through ``connection.connect``) and imports no ORM, so that a
start can read a kept document before SQLAlchemy is loaded. Documents are stored as JSON in an
exact form (``dumps``/``loads``): cents stay integers, shares stay fractions, and the
dataclasses come back as themselves, but only classes of this app are ever made from a file.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import importlib
import json
import operator
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import closing, contextmanager
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar, cast

from freelancer_desk import __version__, integrity, month_totals
from freelancer_desk.collector import many_records
from freelancer_desk.connection import connect, set_aside
from freelancer_desk.errors import DeskError

COUNTER_TABLE = "change_counter"
KEPT_TABLE = "kept_document"
#: Tables that hold no data of the user: writing them does not count as a change (the monthly
#: totals change only with the entries, whose own triggers count).
NOT_DATA = frozenset(
    {"alembic_version", "sqlite_sequence", COUNTER_TABLE, KEPT_TABLE, month_totals.TABLE}
)
#: How long storing a document waits for another writer: keeping it is never worth a wait.
STORE_WAIT_MS = 200
#: Classes are only ever made from a file when they live in this package.
_OWN_PACKAGE = "freelancer_desk."

T = TypeVar("T")


# --------------------------------------------------------------------------------------------
# Schema: the counter, the documents and the triggers
# --------------------------------------------------------------------------------------------


def create_tables(execute: Any) -> None:
    """Create the counter and the document table (``execute`` runs one SQL statement)."""
    execute(
        f"CREATE TABLE {COUNTER_TABLE} (id INTEGER PRIMARY KEY CHECK (id = 1), "
        "changes INTEGER NOT NULL)"
    )
    execute(f"INSERT INTO {COUNTER_TABLE} (id, changes) VALUES (1, 0)")
    execute(
        f"CREATE TABLE {KEPT_TABLE} (key TEXT PRIMARY KEY, changes INTEGER NOT NULL, "
        "body TEXT NOT NULL)"
    )


def trigger_statements(tables: list[str]) -> list[str]:
    """``CREATE TRIGGER IF NOT EXISTS`` statements that count every write to ``tables``.

    Run after each schema upgrade (``db._upgrade``), so that tables added by later revisions
    are counted as well.
    """
    statements = []
    for table in sorted(set(tables) - NOT_DATA):
        for action in ("INSERT", "UPDATE", "DELETE"):
            forget = f"DELETE FROM {KEPT_TABLE}; " if action == "DELETE" else ""
            statements.append(
                f'CREATE TRIGGER IF NOT EXISTS "count_{table}_{action.lower()}" '
                f'AFTER {action} ON "{table}" BEGIN '
                f"UPDATE {COUNTER_TABLE} SET changes = changes + 1; {forget}END"
            )
    return statements


@contextmanager
def counted_once(conn: sqlite3.Connection, table: str) -> Iterator[None]:
    """Rows inserted into ``table`` in the block raise the change counter once, not per row.

    For bulk inserts (an import of 100,000 entries), where the counting trigger would cost
    as much as the inserts themselves: the table's insert trigger is set aside for the block
    (``connection.set_aside``, in the write transaction, unseen by any other connection). A
    reader only compares the counter, so one rise says as much as many.
    """
    with set_aside(conn, "trigger", [f"count_{table}_insert"]) as counting:
        yield
    if counting:  # (a file from before the counter has no trigger and nothing to count)
        conn.execute(f"UPDATE {COUNTER_TABLE} SET changes = changes + 1")


# --------------------------------------------------------------------------------------------
# Reading and storing
# --------------------------------------------------------------------------------------------


def changes(conn: sqlite3.Connection) -> int | None:
    """The change counter; None in a file without one (older schema)."""
    try:
        row = conn.execute(f"SELECT changes FROM {COUNTER_TABLE}").fetchone()
    except sqlite3.OperationalError:
        return None
    return None if row is None else int(row[0])


def key_text(*parts: Any) -> str:
    """The key of a document: the app's version and the parts, as text."""
    return dumps((__version__, *parts))


def read(path: Path, key: str) -> tuple[int | None, str | None]:
    """The counter now, and the document kept for ``key`` if it is still valid.

    Never raises for a file it cannot read: the caller then computes, as without a kept
    document.
    """
    try:
        with closing(connect(path, read_only=True)) as conn:
            conn.isolation_level = None
            conn.execute("BEGIN")  # counter and document from one snapshot
            now = changes(conn)
            if now is None:
                return None, None
            row = conn.execute(
                f"SELECT body FROM {KEPT_TABLE} WHERE key = ? AND changes = ?", (key, now)
            ).fetchone()
            conn.execute("COMMIT")
    except (sqlite3.Error, OSError, DeskError):
        return None, None
    return now, None if row is None else str(row[0])


def store(path: Path, key: str, counted: int, body: str, *, reader: bool = False) -> bool:
    """Keep ``body`` for ``key`` as computed at counter value ``counted``; True when kept.

    Documents of older counter values go at the same time. Nothing is stored when the data
    changed meanwhile, when another program holds the write lock, or when the file cannot be
    written (a read-only folder or medium): the next reader then computes again.

    A ``reader`` (``status``, which takes no lock) keeps its document too. When the file was
    unchanged since the app last closed it cleanly, that stays recorded: a kept document is no
    reason to check the whole file at the next start (``integrity.verify_at_open``).
    """
    was_clean = reader and integrity.is_clean(path)
    try:
        with closing(connect(path)) as conn:
            conn.isolation_level = None
            conn.execute(f"PRAGMA busy_timeout = {STORE_WAIT_MS}")
            conn.execute("BEGIN IMMEDIATE")
            if changes(conn) != counted:
                conn.execute("ROLLBACK")
                return False
            conn.execute(f"DELETE FROM {KEPT_TABLE} WHERE changes <> ?", (counted,))
            conn.execute(
                f"INSERT OR REPLACE INTO {KEPT_TABLE} (key, changes, body) VALUES (?, ?, ?)",
                (key, counted, body),
            )
            conn.execute("COMMIT")
    except (sqlite3.Error, OSError, DeskError):  # keeping only saves time: never worth an error
        return False
    if was_clean:
        integrity.record_clean_close(path)
    return True


class Keeper:
    """Documents computed and not written yet: each is written after whoever asked for it has
    it, so that the figures show without waiting for their encoding (a third of a first
    computation on 2,000 clients).

    One per open database (``Database.keeper``). ``write_waiting`` writes them: the window's
    worker after each task, and closing the database. A document whose data changed
    meanwhile is not written (``store``), nor one left when the program is killed: the next
    reader computes it again.
    """

    def __init__(self, path: Path, *, reader: bool) -> None:
        self.path = path
        self.reader = reader
        self._waiting: dict[str, tuple[int, Callable[[], str]]] = {}
        self._lock = threading.Lock()

    def later(self, key: str, counted: int, body: Callable[[], str]) -> None:
        """Keep ``body()`` for ``key`` as computed at counter value ``counted``, soon."""
        with self._lock:
            self._waiting[key] = (counted, body)

    def write_waiting(self) -> int:
        """Encode and store every waiting document; how many were kept."""
        with self._lock:
            waiting, self._waiting = self._waiting, {}
        with many_records():
            return sum(
                store(self.path, key, counted, body(), reader=self.reader)
                for key, (counted, body) in waiting.items()
            )


def kept_or_computed(
    keeper: Keeper, key: str, compute: Callable[[], T], accept: Callable[[Any], bool]
) -> T:
    """The document kept for ``key`` while the data is unchanged, else ``compute()``, kept
    soon after (``Keeper``).

    ``accept`` says whether a document read back is what is asked for (one written by another
    version is computed anew). The collector waits while a document is computed: thousands of
    records, none in a cycle.
    """
    counted, body = read(keeper.path, key)
    if body is not None:
        with contextlib.suppress(ValueError):
            found = loads(body)
            if accept(found):
                return cast(T, found)
    with many_records():
        value = compute()
    if counted is not None:
        keeper.later(key, counted, lambda: dumps(value))
    return value


# --------------------------------------------------------------------------------------------
# The exact JSON form of a document
# --------------------------------------------------------------------------------------------


#: Values JSON holds as they are.
_PLAIN = frozenset({str, int, float, bool, type(None)})


class _Encoder:
    """Turns a value into plain JSON data; records and choices name their class by its place
    in ``classes`` (written once, in front), which keeps a document of 2,000 clients small and
    quick to read.

    How a value is encoded depends on its type only, so each type is looked at once per
    document and its way of encoding kept (``_ways``): a status of 2,000 clients holds some
    80,000 values of a few dozen types.
    """

    def __init__(self) -> None:
        self.classes: dict[str, int] = {}
        self._ways: dict[type, Callable[[Any], Any]] = {}

    def _class(self, kind: type) -> int:
        name = f"{kind.__module__}:{kind.__qualname__}"
        return self.classes.setdefault(name, len(self.classes))

    def encode(self, value: Any) -> Any:
        kind = type(value)
        if kind in _PLAIN:
            return value
        way = self._ways.get(kind)
        if way is None:
            way = self._ways[kind] = self._way(kind)
        return way(value)

    def _way(self, kind: type) -> Callable[[Any], Any]:
        """How values of ``kind`` are encoded (the checks in the order that decides)."""
        encode = self.encode
        if issubclass(kind, Enum):  # before the plain values: a StrEnum is a str too
            index = self._class(kind)
            return lambda value: {"~e": index, "v": value.value}
        if issubclass(kind, (bool, int, float, str)):
            return lambda value: value
        if issubclass(kind, Fraction):
            return lambda value: {"~f": [value.numerator, value.denominator]}
        if issubclass(kind, Decimal):
            return lambda value: {"~x": str(value)}
        if issubclass(kind, dt.datetime):
            raise TypeError("a point in time is not kept: documents hold days")
        if issubclass(kind, dt.date):
            return lambda value: {"~d": value.isoformat()}
        if issubclass(kind, tuple):
            return lambda value: {"~t": self.encode_all(value)}
        if issubclass(kind, (set, frozenset)):
            return lambda value: {"~s": sorted(self.encode_all(value), key=json.dumps)}
        if issubclass(kind, list):
            return self.encode_all
        if issubclass(kind, Mapping):
            return lambda value: {"~m": [[encode(k), encode(v)] for k, v in value.items()]}
        if dataclasses.is_dataclass(kind):
            index = self._class(kind)
            names = [field.name for field in dataclasses.fields(kind) if field.init]
            fields = operator.attrgetter(*names) if len(names) > 1 else _one(names)
            return lambda value: {"~c": index, "f": self.encode_all(fields(value))}
        raise TypeError(f"cannot keep a {kind.__name__}")

    def encode_all(self, values: Iterable[Any]) -> list[Any]:
        """``encode`` of each value; the plain ones (most of a document) without a call."""
        plain, encode = _PLAIN, self.encode
        return [value if type(value) in plain else encode(value) for value in values]


def _one(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """The fields ``names`` (none or one) of a record as a tuple, as ``attrgetter`` gives
    several."""
    return lambda value: tuple(getattr(value, name) for name in names)


@functools.cache
def _own_class(name: str) -> tuple[type, tuple[str, ...], bool]:
    """The class ``module:Qualname`` of this app, the names of its fields (a record) or none
    (a choice), and whether it takes its fields in that order (no keyword-only fields);
    ValueError for anything else."""
    module, _, qualname = name.partition(":")
    if not module.startswith(_OWN_PACKAGE) or not qualname:
        raise ValueError(f"not a class of the app: {name}")
    found: Any = importlib.import_module(module)
    for part in qualname.split("."):
        found = getattr(found, part)
    if isinstance(found, type) and issubclass(found, Enum):
        return found, (), False
    if not (isinstance(found, type) and dataclasses.is_dataclass(found)):
        raise ValueError(f"not a record class: {name}")
    fields = [field for field in dataclasses.fields(found) if field.init]
    in_order = not any(field.kw_only for field in fields)
    return found, tuple(field.name for field in fields), in_order


def _reviver(classes: list[tuple[type, tuple[str, ...], bool]]) -> Any:
    """The ``object_hook`` that turns one JSON object back into its value (its parts are
    revived already: the hook runs from the inside out)."""

    def revive(data: dict[str, Any]) -> Any:
        if "~c" in data:
            kind, names, in_order = classes[data["~c"]]
            values = data["f"]
            if not names or len(values) != len(names):  # the class changed since: not used
                raise ValueError(f"other fields than kept: {kind.__qualname__}")
            if in_order:  # tens of thousands of records: no keywords to pair up
                return kind(*values)
            return kind(**dict(zip(names, values, strict=True)))
        if "~e" in data:
            kind, names, _in_order = classes[data["~e"]]
            if names:
                raise ValueError(f"not a choice: {kind.__qualname__}")
            return kind(data["v"])
        if len(data) != 1:
            raise ValueError("not a kept document")
        tag, value = next(iter(data.items()))
        if tag == "~t":
            return tuple(value)
        if tag == "~f":
            return Fraction(int(value[0]), int(value[1]))
        if tag == "~d":
            return dt.date.fromisoformat(value)
        if tag == "~x":
            return Decimal(value)
        if tag == "~s":
            return frozenset(value)
        if tag == "~m":
            return dict(value)
        raise ValueError(f"not a kept document ({tag})")

    return revive


#: A document is written a piece at a time: its first ``PIECE_DEPTH`` levels, and every list or
#: mapping of more than ``PIECE_ITEMS`` items, item by item. ``json.dumps`` of a whole status
#: document (1.2 MB for 2,000 clients) held the interpreter's lock for 30–60 ms, and the window
#: waited meanwhile; a piece takes at most a few milliseconds.
PIECE_DEPTH = 3
PIECE_ITEMS = 64
#: The encoder builds a fresh tree of lists and dicts: no cycle to look out for.
_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode


def json_in_pieces(tree: Any, depth: int = 0) -> str:
    """``tree`` (lists, dicts, plain values) as ``json.dumps`` writes it in the kept form,
    encoded a piece at a time (``PIECE_DEPTH``, ``PIECE_ITEMS``)."""
    if not isinstance(tree, list | dict) or (depth >= PIECE_DEPTH and len(tree) <= PIECE_ITEMS):
        return _json(tree)
    if isinstance(tree, list):
        return "[" + ",".join([json_in_pieces(item, depth + 1) for item in tree]) + "]"
    if not all(isinstance(key, str) for key in tree):  # JSON writes other keys as text
        return _json(tree)
    pieces = [_json(key) + ":" + json_in_pieces(value, depth + 1) for key, value in tree.items()]
    return "{" + ",".join(pieces) + "}"


def dumps(value: Any) -> str:
    """``value`` in its exact JSON form, as text: the classes it names on the first line, the
    value on the second."""
    encoder = _Encoder()
    data = json_in_pieces(encoder.encode(value))
    return json.dumps(list(encoder.classes), separators=(",", ":")) + "\n" + data


def loads(text: str) -> Any:
    """The value ``dumps`` wrote; ValueError for anything else."""
    try:
        names, _, data = text.partition("\n")
        classes = [_own_class(name) for name in json.loads(names)]
        return json.loads(data, object_hook=_reviver(classes))
    except (TypeError, KeyError, AttributeError, ImportError, IndexError) as exc:
        raise ValueError(f"not a kept document: {exc}") from exc
