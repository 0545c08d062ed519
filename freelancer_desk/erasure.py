"""Erased means erased (DOMAIN.md §5, Art. 17 GDPR): the statements that erase a client in any
copy of the database, and the register that keeps the person from coming back.

Erasing keeps the figures and drops the person: the client record stays as an anonymous
"Erased client #N" with its revenue, interactions, losses and win-back cases, so that every
total stays right, while every text that can name or describe the person is cleared
(``ERASED_TEXT``). SQLite is told to overwrite what it deletes (``secure_delete``), the file is
rebuilt (``VACUUM``) and its write-ahead log folded in and truncated, so that no readable trace
is left in the file, its ``-wal`` or its ``-shm``.

The **erasure register** keeps, per erased client, salted SHA-256 hashes of the normalised name,
e-mail address and phone number with the day — never the data. It stops an import of an old
client list and an older backup from bringing the person back. The salt is random per database
(setting ``privacy.salt``). Documented consent is kept as proof with channel and date only, for
five years (§7a UWG), then dropped.

The register also lives beside the database (``<file>.erasures.json``: hashes and dates only),
because a restore replaces the file with an older one that may not know the erasure yet: every
writer that opens the database, and every restore before it swaps the files, applies the
erasures made since (``reapply``, ``apply_to_copy``).

Everything works on plain ``sqlite3`` connections, so that the live database (inside a service's
transaction), a backup copy and a restore's staged copy are erased by the same statements.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import secrets
import sqlite3
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from freelancer_desk import clock
from freelancer_desk.analytics.periods import add_months
from freelancer_desk.connection import connect
from freelancer_desk.errors import DeskError
from freelancer_desk.names import erased_marker, fold, shown

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlmodel import Session

    from freelancer_desk.db import Database

#: Setting key of the database's salt (hex, stored as a JSON string like every setting).
SALT_KEY = "privacy.salt"
#: Proof of documented consent is kept this many months after the erasure (§7a UWG).
PROOF_MONTHS = 60
SIDECAR_FORMAT = "freelancer-desk-erasures"

_CLIENT = "client_id = :client"
_LOSSES = "loss_id IN (SELECT id FROM loss WHERE client_id = :client)"
_CASES = f"case_id IN (SELECT id FROM winback_case WHERE {_LOSSES})"
_ENTRIES = "entry_id IN (SELECT id FROM revenue_entry WHERE client_id = :client)"

#: Every column that can name or describe a person, per table, with the rows of one client.
#: Erasing sets them to NULL (the client's name becomes "Erased client #N"); a test checks
#: that every text column of the schema is here or in ``KEPT_TEXT``.
ERASED_TEXT: dict[str, tuple[tuple[str, ...], str]] = {
    "client": (
        (
            "contact_person",
            "salutation",
            "email",
            "phone",
            "address",
            "notes",
            "tags",
            "email_consent_on",
            "phone_consent_on",
        ),
        "id = :client",
    ),
    "interaction": (("notes",), _CLIENT),
    "revenue_entry": (("note",), _CLIENT),
    "payment": (("reference",), _ENTRIES),
    "loss": (("reason_text", "notes"), _CLIENT),
    "winback_case": (("measures", "incentive"), _LOSSES),
    "winback_attempt": (("notes",), _CASES),
    "feedback_request": (("response",), _CLIENT),
    "reminder": (("note",), _CLIENT),
}

#: Text columns that stay, and why: none can name or describe the person.
KEPT_TEXT: dict[str, str] = {
    "client.name": "replaced by the anonymous name, not cleared",
    "client.kind": "a choice: business or private person",
    "client.loyalty": "a choice: the loyalty type, for the statistics",
    "client.address_form": "a choice: Sie or Du",
    "revenue_entry.invoice_number": "the number in the user's own books, needed to match them",
    "payment.source": "a choice: where the payment was read from",
    "interaction.channel": "a choice",
    "interaction.kind": "a choice",
    "loss.loss_type": "a choice",
    "loss.reason_code": "a code of the reason catalogue",
    "winback_case.outcome": "a choice",
    "winback_case.returner_checklist": "keys of the shipped checklist",
    "winback_attempt.channel": "a choice",
    "winback_attempt.reaction": "a choice",
    "feedback_request.kind": "a choice",
    "feedback_request.status": "a choice",
    "feedback_request.channel": "a choice",
    "reminder.purpose": "a choice",
    "reminder.channel": "a choice",
    "reminder.recurrence_unit": "a choice",
    "reminder.uid": "a random calendar id",
    "step_decision.step_id": "rows of the erased client are deleted",
    "step_decision.kind": "rows of the erased client are deleted",
    "step_decision.decision": "rows of the erased client are deleted",
    "loss.signs_before": "warning-sign figures (counts, amounts, days), no words about the person",
    "client_group.name": "a company group, shared by several clients",
    "client_group.note": "a company group, shared by several clients",
    "loss_reason.code": "the reason catalogue, not about a client",
    "loss_reason.loss_type": "the reason catalogue, not about a client",
    "loss_reason.label_de": "the reason catalogue, not about a client",
    "loss_reason.label_en": "the reason catalogue, not about a client",
    "loss_reason.measures_de": "the reason catalogue, not about a client",
    "loss_reason.measures_en": "the reason catalogue, not about a client",
    "setting.key": "settings and templates, not about a client",
    "setting.value": "settings and templates, not about a client",
    "erasure.name_hash": "a salted hash, not the name",
    "erasure.email_hash": "a salted hash, not the address",
    "erasure.phone_hash": "a salted hash, not the number",
}

_NOT_WORD = re.compile(r"[\W_]+")


def normalised_name(name: str | None) -> str | None:
    """``Jörg  Müller-Lüdenscheidt`` → ``joerg mueller luedenscheidt`` (None when empty)."""
    if not name:
        return None
    return " ".join(_NOT_WORD.sub(" ", fold(name, nordic=False)).split()) or None


def normalised_email(email: str | None) -> str | None:
    """An address without surrounding space, case folded (None when empty)."""
    text = (email or "").strip().casefold()
    return text or None


def normalised_phone(phone: str | None) -> str | None:
    """Digits only, ``+49 30 123`` = ``0049 30 123`` = ``030 123`` (None for fewer than 5)."""
    text = (phone or "").strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    if text.startswith("+"):
        digits = "00" + digits
    if digits.startswith("0049"):
        digits = "0" + digits[4:]
    return digits if len(digits) >= 5 else None


def _hash(salt: str, kind: str, value: str | None) -> str | None:
    if value is None:
        return None
    data = "\x1f".join((salt, kind, value)).encode()
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class ErasureEntry:
    """One erased client in the register: hashes, dates, no personal data."""

    erased_on: dt.date
    client_id: int | None
    name_hash: str
    email_hash: str | None = None
    phone_hash: str | None = None
    email_consent_on: dt.date | None = None
    phone_consent_on: dt.date | None = None
    proof_until: dt.date | None = None

    @property
    def identity(self) -> tuple[object, ...]:
        """What makes two copies of the register name the same erasure."""
        return (self.erased_on, self.client_id, self.name_hash)


@dataclass(frozen=True)
class Register:
    """The salt of one database and its erased clients."""

    salt: str
    entries: tuple[ErasureEntry, ...] = ()

    def hashes(
        self, name: str | None, email: str | None = None, phone: str | None = None
    ) -> tuple[str | None, str | None, str | None]:
        """The salted hashes of a person's normalised name, e-mail address and phone."""
        return (
            _hash(self.salt, "name", normalised_name(name)),
            _hash(self.salt, "email", normalised_email(email)),
            _hash(self.salt, "phone", normalised_phone(phone)),
        )

    def match(
        self, name: str | None, email: str | None = None, phone: str | None = None
    ) -> ErasureEntry | None:
        """The erasure of a person with this name, e-mail address or phone number, if any."""
        if not self.entries:
            return None
        name_hash, email_hash, phone_hash = self.hashes(name, email, phone)
        for entry in self.entries:
            if (
                (name_hash is not None and name_hash == entry.name_hash)
                or (email_hash is not None and email_hash == entry.email_hash)
                or (phone_hash is not None and phone_hash == entry.phone_hash)
            ):
                return entry
        return None

    def merged(self, other: Register | None) -> Register:
        """This register with the entries of ``other`` it lacks (same salt only)."""
        if other is None or other.salt != self.salt:
            return self
        known = {entry.identity for entry in self.entries}
        extra = tuple(entry for entry in other.entries if entry.identity not in known)
        return replace(self, entries=self.entries + extra)


# --------------------------------------------------------------------------------------------
# The register inside a database file
# --------------------------------------------------------------------------------------------


def raw_connection(session: Session) -> sqlite3.Connection:
    """The ``sqlite3`` connection under a service's session, inside its transaction."""
    return _driver(session.connection())


def _driver(connection: Connection) -> sqlite3.Connection:
    """The ``sqlite3`` connection under SQLAlchemy's (the engine is always SQLite's)."""
    driver = connection.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    return driver


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,))
    return row.fetchone() is not None


def _day(value: object) -> dt.date | None:
    return dt.date.fromisoformat(str(value)) if value else None


def read_register(conn: sqlite3.Connection) -> Register | None:
    """The register stored in a database; None when it has no salt yet (nobody erased)."""
    row = conn.execute("SELECT value FROM setting WHERE key = ?", (SALT_KEY,)).fetchone()
    if row is None:
        return None
    salt = str(json.loads(row[0]))
    if not _has_table(conn, "erasure"):
        return Register(salt)
    entries = tuple(
        ErasureEntry(
            erased_on=dt.date.fromisoformat(erased_on),
            client_id=client_id,
            name_hash=name_hash,
            email_hash=email_hash,
            phone_hash=phone_hash,
            email_consent_on=_day(email_consent),
            phone_consent_on=_day(phone_consent),
            proof_until=_day(proof_until),
        )
        for (
            erased_on,
            client_id,
            name_hash,
            email_hash,
            phone_hash,
            email_consent,
            phone_consent,
            proof_until,
        ) in conn.execute(
            "SELECT erased_on, client_id, name_hash, email_hash, phone_hash, email_consent_on, "
            "phone_consent_on, proof_until FROM erasure ORDER BY id"
        )
    )
    return Register(salt, entries)


def register_in(conn: sqlite3.Connection) -> Register:
    """The database's register, with a new random salt stored if it had none."""
    found = read_register(conn)
    if found is not None:
        return found
    salt = secrets.token_hex(16)
    conn.execute("INSERT INTO setting (key, value) VALUES (?, ?)", (SALT_KEY, json.dumps(salt)))
    return Register(salt)


def _store_entries(conn: sqlite3.Connection, entries: Iterable[ErasureEntry]) -> None:
    if not _has_table(conn, "erasure"):
        return  # an older file: the register joins it when it is upgraded and opened
    conn.executemany(
        "INSERT INTO erasure (erased_on, client_id, name_hash, email_hash, phone_hash, "
        "email_consent_on, phone_consent_on, proof_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                entry.erased_on.isoformat(),
                entry.client_id,
                entry.name_hash,
                entry.email_hash,
                entry.phone_hash,
                _iso(entry.email_consent_on),
                _iso(entry.phone_consent_on),
                _iso(entry.proof_until),
            )
            for entry in entries
        ],
    )


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def merge_into(conn: sqlite3.Connection, register: Register) -> Register:
    """Add the register's entries a database lacks (and its salt, if it has none); the
    database's register afterwards. A database with another salt keeps its own."""
    current = read_register(conn)
    if current is None:
        conn.execute(
            "INSERT INTO setting (key, value) VALUES (?, ?)", (SALT_KEY, json.dumps(register.salt))
        )
        current = Register(register.salt)
    merged = current.merged(register)
    _store_entries(conn, merged.entries[len(current.entries) :])
    return merged


def drop_expired_proof(conn: sqlite3.Connection, today: dt.date) -> None:
    """Forget consent dates kept as proof once their five years are over."""
    if _has_table(conn, "erasure"):
        conn.execute(
            "UPDATE erasure SET email_consent_on = NULL, phone_consent_on = NULL, "
            "proof_until = NULL WHERE proof_until < ?",
            (today.isoformat(),),
        )


# --------------------------------------------------------------------------------------------
# Erasing
# --------------------------------------------------------------------------------------------


def anonymous_name(client_id: int) -> str:
    """The name an erased client is shown by, in the current language: "Erased client #12"
    (the file keeps ``names.erased_marker``, in no language)."""
    return shown(erased_marker(client_id))


def mark_erased_names(conn: sqlite3.Connection) -> None:
    """Store the language-neutral marker as the name of every erased client whose name is
    still a label in some language (erased by an older version of the app)."""
    for (client_id,) in conn.execute("SELECT id FROM client WHERE erased = 1").fetchall():
        conn.execute(
            "UPDATE client SET name = ? WHERE id = ? AND name != ?",
            (erased_marker(client_id), client_id, erased_marker(client_id)),
        )


def entry_for(register: Register, client: dict[str, Any], today: dt.date) -> ErasureEntry:
    """The register entry of a client about to be erased (proof of consent kept, no name)."""
    name_hash, email_hash, phone_hash = register.hashes(
        client["name"], client["email"], client["phone"]
    )
    assert name_hash is not None  # every client has a name
    email_consent, phone_consent = (
        _day(client["email_consent_on"]),
        _day(client["phone_consent_on"]),
    )
    documented = email_consent is not None or phone_consent is not None
    return ErasureEntry(
        erased_on=today,
        client_id=int(client["id"]),
        name_hash=name_hash,
        email_hash=email_hash,
        phone_hash=phone_hash,
        email_consent_on=email_consent,
        phone_consent_on=phone_consent,
        proof_until=add_months(today, PROOF_MONTHS) if documented else None,
    )


def close_open_work(conn: sqlite3.Connection, client_id: int, on: dt.date) -> None:
    """End what still waits on an erased client: its open or parked win-back cases are given
    up and its open reminders done, both on ``on`` — nobody may contact the client again."""
    day = on.isoformat()
    if _has_table(conn, "winback_case"):
        conn.execute(
            "UPDATE winback_case SET outcome = 'given_up', outcome_on = ?, revisit_on = NULL "
            "WHERE outcome IN ('open', 'not_now') "
            "AND loss_id IN (SELECT id FROM loss WHERE client_id = ?)",
            (day, client_id),
        )
    if _has_table(conn, "reminder"):
        conn.execute(
            "UPDATE reminder SET done_on = ? WHERE client_id = ? AND done_on IS NULL",
            (day, client_id),
        )


def clear_client(conn: sqlite3.Connection, client_id: int, name: str, on: dt.date) -> None:
    """Clear every text about one client in every table (``ERASED_TEXT``); keep the figures;
    close its open cases and reminders on ``on`` (``close_open_work``).

    The caller has switched ``secure_delete`` on for ``conn`` and owns the transaction.
    """
    close_open_work(conn, client_id, on)
    for table, (columns, rows) in ERASED_TEXT.items():
        if not _has_table(conn, table):
            continue
        # A copy of an older schema may lack a newer column (a backup from before it existed).
        present = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        assignments = ", ".join(f"{column} = NULL" for column in columns if column in present)
        if table == "client":
            assignments += ", name = :name, erased = 1"
        conn.execute(
            f"UPDATE {table} SET {assignments} WHERE {rows}", {"client": client_id, "name": name}
        )
    # The decisions about next steps (older copies: the dismissed suggestions) go entirely.
    for table in ("step_decision", "dismissed_suggestion"):
        if _has_table(conn, table):
            conn.execute(f"DELETE FROM {table} WHERE client_id = ?", (client_id,))


def erase(conn: sqlite3.Connection, client_id: int, today: dt.date) -> ErasureEntry:
    """Erase one client inside the caller's transaction and enter it in the register."""
    conn.execute("PRAGMA secure_delete = ON")
    columns = ("id", "name", "email", "phone", "email_consent_on", "phone_consent_on")
    row = conn.execute(
        f"SELECT {', '.join(columns)} FROM client WHERE id = ?", (client_id,)
    ).fetchone()
    entry = entry_for(register_in(conn), dict(zip(columns, row, strict=True)), today)
    _store_entries(conn, [entry])
    clear_client(conn, client_id, erased_marker(client_id), today)
    drop_expired_proof(conn, today)
    return entry


def still_named(conn: sqlite3.Connection, register: Register) -> dict[int, dt.date]:
    """The clients of a copy that the register says were erased since, with the day of each
    erasure; the copy is only read.

    A client is the register's when it has the entry's id and its name, e-mail or phone
    hash matches (an id alone could have been reused by another client in an old copy).
    """
    by_id = {entry.client_id: entry for entry in register.entries if entry.client_id is not None}
    found: dict[int, dt.date] = {}
    for client_id, name, email, phone in conn.execute(
        "SELECT id, name, email, phone FROM client WHERE erased = 0"
    ).fetchall():
        entry = by_id.get(client_id)
        if entry is None:
            continue
        hashes = register.hashes(name, email, phone)
        wanted = (entry.name_hash, entry.email_hash, entry.phone_hash)
        if any(
            mine is not None and mine == theirs for mine, theirs in zip(hashes, wanted, strict=True)
        ):
            found[client_id] = entry.erased_on
    return found


def erase_again(conn: sqlite3.Connection, register: Register) -> list[int]:
    """Erase the clients of a copy that the register says were erased since; their ids."""
    conn.execute("PRAGMA secure_delete = ON")
    erased = []
    for client_id, erased_on in still_named(conn, register).items():
        clear_client(conn, client_id, erased_marker(client_id), erased_on)
        erased.append(client_id)
    mark_erased_names(conn)
    return erased


def erasures_to_apply(db_path: Path, copy: Path) -> int:
    """How many clients erased from the database at ``db_path`` a copy (a backup about to be
    restored) still names; restoring it erases them again."""
    register = known_register(db_path)
    if register is None:
        return 0
    try:
        with contextlib.closing(connect(copy, read_only=True)) as conn:
            return len(still_named(conn, register))
    except (sqlite3.Error, DeskError):
        return 0  # an unreadable copy is refused by the restore itself, with its reason


def compact(conn: sqlite3.Connection) -> None:
    """Rebuild the file without free pages and fold its write-ahead log in, truncated to zero.

    Outside any transaction. Afterwards neither the file nor its ``-wal`` holds a trace of what
    was overwritten or deleted.
    """
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("VACUUM")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def compact_database(database: Database) -> None:
    """``compact`` the open database, on a connection of its own outside any transaction."""
    with database.engine.connect() as connection:
        compact(_driver(connection))


# --------------------------------------------------------------------------------------------
# The register beside the database, and applying it to other copies
# --------------------------------------------------------------------------------------------


def sidecar_path(db_path: Path) -> Path:
    """``<database file>.erasures.json`` beside the database."""
    return db_path.with_name(db_path.name + ".erasures.json")


def save_sidecar(db_path: Path, register: Register) -> None:
    """Write the register beside the database, atomically (hashes and dates only)."""
    target = sidecar_path(db_path)
    partial = target.with_name(target.name + ".partial")
    document = {
        "format": SIDECAR_FORMAT,
        "salt": register.salt,
        "entries": [
            {
                key: _iso(value) if isinstance(value, dt.date) else value
                for key, value in row.items()
            }
            for row in (asdict(entry) for entry in register.entries)
        ],
    }
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(document, handle, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    partial.replace(target)


def load_sidecar(db_path: Path) -> Register | None:
    """The register kept beside the database; None when there is none (or it is unreadable)."""
    try:
        document = json.loads(sidecar_path(db_path).read_text(encoding="utf-8"))
        if document.get("format") != SIDECAR_FORMAT:
            return None
        entries = tuple(
            ErasureEntry(
                erased_on=dt.date.fromisoformat(row["erased_on"]),
                client_id=row["client_id"],
                name_hash=str(row["name_hash"]),
                email_hash=row["email_hash"],
                phone_hash=row["phone_hash"],
                email_consent_on=_day(row["email_consent_on"]),
                phone_consent_on=_day(row["phone_consent_on"]),
                proof_until=_day(row["proof_until"]),
            )
            for row in document["entries"]
        )
        return Register(str(document["salt"]), entries)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def known_register(db_path: Path) -> Register | None:
    """Every erasure known for a database: beside it, and in the file (read-only)."""
    kept = load_sidecar(db_path)
    try:
        with contextlib.closing(connect(db_path, read_only=True)) as conn:
            inside = read_register(conn)
    except (sqlite3.Error, DeskError, ValueError):
        inside = None  # a damaged or missing file: the copy beside it must do
    if inside is None:
        return kept
    return inside.merged(kept)


@dataclass
class Applied:
    """What applying the register to a copy did."""

    erased: list[int] = field(default_factory=list)


def apply_to_copy(path: Path, register: Register, today: dt.date | None = None) -> Applied:
    """Erase in a copy nobody else has open (a backup being rewritten, a restore's staged
    file) the clients the register names, store the register in it, and compact it."""
    today = today or clock.today()
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        # A copy that fails is thrown away: no journal file need hold the old pages meanwhile.
        conn.execute("PRAGMA journal_mode = MEMORY")
        conn.execute("BEGIN IMMEDIATE")
        try:
            erased = erase_again(conn, register)
            if _has_table(conn, "setting"):
                merge_into(conn, register)
                drop_expired_proof(conn, today)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        compact(conn)
    finally:
        conn.close()
    return Applied(erased)


def reapply(database: Database, today: dt.date | None = None) -> Applied:
    """Bring an opened database up to every erasure known for it (after a restore of an
    older copy): store the missing register entries, erase their clients again, compact.

    Cheap when nothing was ever erased: there is no register beside the file then.
    """
    kept = load_sidecar(database.path)
    if kept is None:
        return Applied()
    today = today or clock.today()
    with database.session() as session:
        conn = raw_connection(session)
        erased = erase_again(conn, merge_into(conn, kept))
        drop_expired_proof(conn, today)
        final = read_register(conn)
    if erased:
        compact_database(database)
    if final is not None and final != kept:
        with contextlib.suppress(OSError):  # the copy inside the file is the one that counts
            save_sidecar(database.path, final)
    return Applied(erased)
