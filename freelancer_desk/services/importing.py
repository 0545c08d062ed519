"""Importing CSV files into the database: read, plan (dry run), write in one transaction.

``load_table`` finds the table in a file (and applies the mapping remembered for files of that
shape); ``plan_import`` says what an import would do without writing; ``run_import`` plans again
inside ONE write transaction and writes all of it or nothing. By default nothing is written when
any row is bad; ``good_rows_only`` imports the rest. Both take a progress callback and a cancel
check, so that the GUI can show progress and cancel with nothing written.

Two questions can stand between a file and its plan, asked before planning: the day/month
order of slashed dates (``check_date_order``) and what positive amounts marked Gutschrift are
(``check_credit_notes``). DATEV debtor accounts met in an import are remembered per set of
books, so that a later Buchungsstapel names its clients.

Every plan passes ``skip_erased`` here, the one place where imports create or fill clients: a
row that would bring back a client erased on request (same name, e-mail or phone as in the
erasure register) is skipped with a notice "erased on request on DATE".
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import Session, col, select

from freelancer_desk import backups, erasure, kept, month_totals
from freelancer_desk.collector import let_go, many_records
from freelancer_desk.connection import set_aside
from freelancer_desk.db import Database
from freelancer_desk.errors import DeskError
from freelancer_desk.formatting import date as format_date
from freelancer_desk.i18n import ngettext
from freelancer_desk.importers import DATEV_IMPORTERS, IMPORTERS, Importer, importer_for
from freelancer_desk.importers.extf import read_header
from freelancer_desk.importers.fields import IGNORE, check_overrides
from freelancer_desk.importers.plan import (
    TICK,
    Cancelled,
    CreditNoteChoiceNeeded,
    EntryDraft,
    Existing,
    ExistingClient,
    ImportPlan,
    MarkedRow,
    PlanOptions,
    Progress,
    VatRates,
    check_cancelled,
    missing_columns,
    resolve_date_order,
)
from freelancer_desk.importers.reading import MAX_FILE_BYTES, read_file
from freelancer_desk.importers.table import Table, locate
from freelancer_desk.models import (
    Client,
    ClientCreate,
    ClientGroup,
    Setting,
    validate,
)
from freelancer_desk.names import name_key
from freelancer_desk.settings import from_stored

#: Settings key prefix of remembered column mappings, one per import kind and file shape.
MAPPING_PREFIX = "import.mapping."
#: Settings key prefix of remembered DATEV accounts (account → client id), one per set of books.
ACCOUNTS_PREFIX = "import.datev.accounts."


class ImportRefused(DeskError):
    """Rows are bad and only-good-rows was not asked for: nothing was written."""

    def __init__(self, plan: ImportPlan) -> None:
        self.plan = plan
        count = len(plan.bad_lines)
        super().__init__(
            ngettext(
                "Nothing was imported: {count} row has errors. "
                "Fix it, or import only the good rows.",
                "Nothing was imported: {count} rows have errors. "
                "Fix them, or import only the good rows.",
                count,
            ).format(count=count)
        )


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote, with the plan it followed."""

    plan: ImportPlan
    added: int
    clients_added: int
    clients_completed: int
    groups_added: int


def importer(kind: str) -> Importer:
    """The importer of ``kind`` ("revenue" or "clients") for CSV files."""
    return IMPORTERS[kind]


def _importers(kind: str) -> list[Importer]:
    """Every importer of ``kind``: the CSV one and the DATEV ones."""
    return [IMPORTERS[kind], *(spec for spec in DATEV_IMPORTERS.values() if spec.kind == kind)]


def importer_of(table: Table, kind: str) -> Importer:
    """The importer of ``kind`` for this table (the DATEV one for a DATEV-Format file)."""
    return importer_for(kind, table.datev)


@many_records()
def load_table(
    source: Path | bytes,
    kind: str,
    overrides: dict[str, str] | None = None,
    remembered: dict[str, dict[str, str]] | None = None,
    guess_header: bool = False,
    max_bytes: int = MAX_FILE_BYTES,
) -> Table:
    """The table of a file, mapped by recognition, a remembered mapping and the user's overrides.

    ``remembered`` holds the mappings of earlier imports by file shape (``remembered_mappings``):
    they help find the header row of a file whose columns only a mapping names, and the one
    of this file's shape is applied. The user's ``overrides`` win over both. With
    ``guess_header`` a file whose header names no known column is still read (for mapping by
    hand in the wizard) instead of refused. A file over ``max_bytes``, a folder, a pipe or a
    device is refused before it is read. A DATEV-Format file is recognised by its first line.
    Raises ``ImportFileError`` for files that are empty, binary, headless or have giant lines,
    and ``InputError`` for an override naming an unknown field.
    """
    data = read_file(source, max_bytes) if isinstance(source, Path) else source
    datev = read_header(data)
    spec = importer_for(kind, datev)
    explicit = check_overrides(overrides or {}, spec.specs)
    fields = {field.key for field in spec.specs} | {IGNORE}
    remembered = {
        shape: {header: field for header, field in mapping.items() if field in fields}
        for shape, mapping in (remembered or {}).items()
    }
    known: dict[str, str] = {}
    for mapping in remembered.values():
        known.update(check_overrides(mapping, spec.specs))
    table = locate(
        data,
        spec.specs,
        {**known, **explicit},
        key_field=spec.key_field,
        date_field=spec.date_field,
        guess_header=guess_header,
        sets=spec.header_sets,
        datev=datev,
    )
    same_shape = remembered.get(table.signature, {})
    table = table.remap(
        spec.specs, {**check_overrides(same_shape, spec.specs), **explicit}, spec.header_sets
    )
    # The wizard checks the day/month order of the dates as the mapping shows, on the GUI
    # thread: the distinct cells of the date columns it needs are worked out here, once.
    for key in spec.date_fields:
        if (index := table.mapping.index(key)) is not None:
            table.distinct(index)
    return table


def remap(table: Table, kind: str, overrides: dict[str, str]) -> Table:
    """The table with the mapping the user edited (header text → field key or ``ignore``)."""
    spec = importer_of(table, kind)
    return table.remap(spec.specs, check_overrides(overrides, spec.specs), spec.header_sets)


def missing_fields(table: Table, kind: str) -> list[str]:
    """The fields (translated, "A or B" for alternatives) the mapping still lacks a column for."""
    spec = importer_of(table, kind)
    labels = {field.key: field.label for field in spec.specs}
    return [names for names, _key in missing_columns(table.mapping, labels, spec.required)]


def check_date_order(table: Table, kind: str, options: PlanOptions) -> None:
    """Raise ``DateOrderNeeded`` now if the file's slashed dates need a day/month choice."""
    resolve_date_order(table, importer_of(table, kind).date_fields, options.date_order)


def credit_note_rows(table: Table, kind: str) -> list[MarkedRow]:
    """The rows marked Gutschrift, Korrektur or Storno with a positive amount: their sign is
    the user's choice (credit notes or self-billing invoices), asked once per file."""
    return importer_of(table, kind).marked_rows(table)


def check_credit_notes(table: Table, kind: str, options: PlanOptions) -> None:
    """Raise ``CreditNoteChoiceNeeded`` now if such rows need the choice and none was made."""
    if options.credit_notes is None:
        rows = credit_note_rows(table, kind)
        if rows:
            raise CreditNoteChoiceNeeded(rows)


@many_records()
def plan_import(
    db: Database | None,
    table: Table,
    kind: str,
    options: PlanOptions,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportPlan:
    """What importing ``table`` would do (the dry run); ``db`` None plans for an empty database."""
    importer = importer_of(table, kind)
    if db is None:
        return importer.plan(table, Existing(), options, progress, cancelled)
    with db.session() as session, matched_against(session, kind, _books(table)) as existing:
        register = erasure.read_register(erasure.raw_connection(session))
        plan = importer.plan(table, existing, options, progress, cancelled)
    return skip_erased(plan, register)


@many_records()
def run_import(
    db: Database,
    table: Table,
    kind: str,
    options: PlanOptions,
    *,
    good_rows_only: bool = False,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportResult:
    """Plan and write in one transaction: all of it, or (on error or cancel) nothing.

    Raises ``ImportRefused`` when rows are bad and ``good_rows_only`` is False, and
    ``ImportCancelled`` when ``cancelled()`` turns True; the database is unchanged then.
    """
    total = 2 * len(table.rows)

    def plan_progress(done: int, _total: int) -> None:
        if progress is not None:
            progress(done, total)

    with db.session() as session, matched_against(session, kind, _books(table)) as existing:
        plan = skip_erased(
            importer_of(table, kind).plan(table, existing, options, plan_progress, cancelled),
            erasure.read_register(erasure.raw_connection(session)),
        )
        if plan.errors and not good_rows_only:
            raise ImportRefused(plan)
        if existing.clients and (plan.additions or plan.updates):
            # Nothing is written yet in this transaction, so the copy shows the state before.
            backups.safety_backup(db, backups.BEFORE_IMPORT)
        groups_added = _add_groups(session, plan.new_groups, existing)
        if kind == "revenue":
            ids = add_clients(session, [{"name": name} for name in plan.new_clients], options.as_of)
            add_entries(session, plan.entries, ids, len(table.rows), progress, cancelled)
        else:
            _write_clients(session, plan, {**existing.groups, **groups_added}, options.as_of)
        if plan.accounts and table.datev is not None:
            _remember_accounts(session, plan.accounts, table.datev.scope)
        session.merge(
            Setting(
                key=_mapping_key(kind, table.signature),
                value=json.dumps(table.mapping.as_overrides(), ensure_ascii=False),
            )
        )
    if progress is not None:
        progress(total, total)
    return ImportResult(
        plan=plan,
        added=plan.additions,
        clients_added=len(plan.new_clients),
        clients_completed=plan.updates,
        groups_added=len(groups_added),
    )


def skip_erased(plan: ImportPlan, register: erasure.Register | None) -> ImportPlan:
    """The plan without the new clients (and their entries) that the erasure register names.

    Only clients the import would create are checked: a client the user added again by hand
    is theirs to keep. Each skipped client gets one notice with its lines.
    """
    if register is None or not register.entries:
        return plan
    erased_on: dict[str, tuple[str, dt.date]] = {}  # name key -> (name as written, day)
    for name in plan.new_clients:
        draft = next((d for d in plan.clients if d.name == name and d.client_id is None), None)
        values = draft.values if draft is not None else {}
        entry = register.match(name, values.get("email"), values.get("phone"))
        if entry is not None:
            erased_on[name_key(name)] = (name, entry.erased_on)
    if not erased_on:
        return plan
    lines: dict[str, list[int]] = {key: [] for key in erased_on}
    for entry_draft in plan.entries:
        if isinstance(entry_draft.client, str) and entry_draft.client in lines:
            lines[entry_draft.client].append(entry_draft.line)
    for client_draft in plan.clients:
        key = name_key(client_draft.name)
        if client_draft.client_id is None and key in lines:
            lines[key].append(client_draft.line)
    plan.entries = [
        e for e in plan.entries if not (isinstance(e.client, str) and e.client in erased_on)
    ]
    plan.clients = [
        c for c in plan.clients if c.client_id is not None or name_key(c.name) not in erased_on
    ]
    plan.new_clients = [name for name in plan.new_clients if name_key(name) not in erased_on]
    plan.likely_duplicates = [
        pair for pair in plan.likely_duplicates if name_key(pair[0]) not in erased_on
    ]
    for key, (name, day) in erased_on.items():
        plan.erased_lines.extend(lines[key])
        plan.notices.append(
            ngettext(
                "{name} was erased on request on {date}: line {lines} skipped",
                "{name} was erased on request on {date}: lines {lines} skipped",
                len(lines[key]),
            ).format(name=name, date=format_date(day), lines=", ".join(map(str, lines[key])))
        )
    plan.erased_lines.sort()
    return plan


def _books(table: Table) -> str | None:
    """The set of books (DATEV adviser and client number) a DATEV file belongs to."""
    return table.datev.scope if table.datev is not None else None


@contextmanager
def matched_against(session: Session, kind: str, books: str | None = None) -> Iterator[Existing]:
    """The snapshot an import of ``kind`` matches its rows against, for the block.

    Afterwards its keys of every entry are let go of a slice at a time: freed at once, a large
    book's held the interpreter's lock for a twentieth of a second while the window waited.
    """
    existing = snapshot(session, kind, books)
    try:
        yield existing
    finally:
        let_go(*(keys for keys in (existing.numbered, existing.plain) if isinstance(keys, set)))


def snapshot(session: Session, kind: str, books: str | None = None) -> Existing:
    """What the database holds that an import of ``kind`` must match against, read once.

    ``books``: the DATEV set of books whose remembered debtor accounts are read too.
    """
    if kind == "clients":
        table = Client.__table__  # type: ignore[attr-defined]  # SQLModel sets __table__ without declaring it
        rows = session.execute(select(table).order_by(table.c.id)).mappings().all()
        found = [(row["id"], row["name"], dict(row)) for row in rows]
    else:
        query = select(Client.id, Client.name).order_by(col(Client.id))
        found = [(client_id, name, {}) for client_id, name in session.exec(query).all()]
    clients: dict[str, ExistingClient] = {}
    for client_id, name, values in found:
        clients.setdefault(name_key(name), ExistingClient(client_id, name, values))
    groups = {
        name_key(name): group_id
        for group_id, name in session.exec(select(ClientGroup.id, ClientGroup.name)).all()
        if group_id is not None
    }
    accounts = _remembered_accounts(session, books, {c.id: c.name for c in clients.values()})
    if kind != "revenue":
        return Existing(clients=clients, groups=groups, accounts=accounts)
    # Straight from SQLite, each distinct day read once (as SQLAlchemy reads a Date column):
    # a large book holds hundreds of thousands of entries.
    entries = (
        erasure.raw_connection(session)
        .execute("SELECT client_id, invoice_number, invoice_date, net_cents FROM revenue_entry")
        .fetchall()
    )
    days = {text: dt.date.fromisoformat(text) for text in {row[2] for row in entries}}
    found_entries = Existing(
        clients=clients,
        groups=groups,
        numbered={(row[0], row[1]) for row in entries if row[1] is not None},
        plain={(row[0], days[row[2]], row[3]) for row in entries},
        accounts=accounts,
        vat=vat_rates(session),
    )
    let_go(entries)
    return found_entries


def vat_rates(session: Session) -> VatRates:
    """The VAT rates of the settings and of the clients with a rate of their own."""
    stored = {row.key: row.value for row in session.exec(select(Setting)).all()}
    own = session.exec(
        select(Client.id, Client.vat_rate_bp).where(col(Client.vat_rate_bp).is_not(None))
    ).all()
    return VatRates.of(
        from_stored(stored),
        {client_id: rate for client_id, rate in own if client_id is not None and rate is not None},
    )


def _remembered_accounts(
    session: Session, books: str | None, names: dict[int, str]
) -> dict[str, str]:
    """The DATEV accounts of ``books`` and the names of their clients (clients that were
    deleted since are forgotten)."""
    if books is None:
        return {}
    stored = _stored_accounts(session, books)
    return {account: names[client] for account, client in stored.items() if client in names}


def _stored_accounts(session: Session, books: str) -> dict[str, int]:
    setting = session.get(Setting, ACCOUNTS_PREFIX + books)
    try:
        stored = json.loads(setting.value) if setting is not None else {}
    except ValueError:
        return {}  # a damaged entry is forgotten, not fatal
    if not isinstance(stored, dict):
        return {}
    return {str(k): v for k, v in stored.items() if isinstance(v, int)}


def _remember_accounts(session: Session, accounts: dict[str, str], books: str) -> None:
    """Remember which client each DATEV account of ``books`` stands for (by the client's id,
    so that renaming the client keeps the link)."""
    session.flush()
    ids = {
        name_key(name): client_id
        for client_id, name in session.exec(select(Client.id, Client.name)).all()
        if client_id is not None
    }
    stored = _stored_accounts(session, books)
    stored.update(
        {
            account: ids[name_key(name)]
            for account, name in accounts.items()
            if name_key(name) in ids
        }
    )
    session.merge(Setting(key=ACCOUNTS_PREFIX + books, value=json.dumps(stored, sort_keys=True)))


def _add_groups(session: Session, names: list[str], existing: Existing) -> dict[str, int]:
    """Create the new groups; their ids by name key."""
    added: dict[str, int] = {}
    for name in names:
        group = ClientGroup(name=name)
        session.add(group)
        session.flush()
        added[name_key(name)] = group.id  # type: ignore[assignment]  # flushed: the id is set
    return added


def add_clients(
    session: Session, clients: Sequence[Mapping[str, object]], as_of: dt.date
) -> dict[str, int]:
    """Create clients (each with the same fields, ``name`` among them) in one bulk insert, the
    columns' defaults applying, instead of an ORM object and a flush per client; their ids by
    name key."""
    if not clients:
        return {}
    table = Client.__table__  # type: ignore[attr-defined]  # SQLModel sets __table__ without declaring it
    ids = (
        session.execute(
            insert(table).returning(table.c.id, sort_by_parameter_order=True),
            [{**client, "created_on": as_of} for client in clients],
        )
        .scalars()
        .all()
    )
    return {
        name_key(str(client["name"])): client_id
        for client, client_id in zip(clients, ids, strict=True)
    }


def add_entries(
    session: Session,
    entries: list[EntryDraft],
    new_ids: dict[str, int],
    rows: int,
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> None:
    """Bulk-insert the entries in chunks, reporting progress and honouring cancel.

    The rows go to SQLite's own ``executemany`` as plain tuples, dates as the ISO text the
    Date columns store: per-row work in SQLAlchemy would cost more than the inserts. The
    change counter rises once for all of them (``kept.counted_once``), and the monthly totals
    add them in one pass (``month_totals.added_in_bulk``).
    """
    values = [
        (
            entry.client if isinstance(entry.client, int) else new_ids[entry.client],
            entry.invoice_number,
            entry.invoice_date.isoformat(),
            entry.net_cents,
            entry.gross_cents,
            entry.due_date and entry.due_date.isoformat(),
            entry.paid_date and entry.paid_date.isoformat(),
            entry.note,
        )
        for entry in entries
    ]
    statement = (
        "INSERT INTO revenue_entry (client_id, invoice_number, invoice_date, net_cents, "
        "gross_cents, due_date, paid_date, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    )
    connection = erasure.raw_connection(session)
    cursor = connection.cursor()
    with (
        kept.counted_once(connection, "revenue_entry"),
        month_totals.added_in_bulk(connection),
        _roomy_cache(connection),
        set_aside(connection, "index", _indexes_to_build(connection, len(values))),
    ):
        for start in range(0, len(values), TICK):
            check_cancelled(cancelled)
            cursor.executemany(statement, values[start : start + TICK])
            if progress is not None:
                progress(rows + min(rows, start + TICK), 2 * rows)


def _indexes_to_build(connection: sqlite3.Connection, adding: int) -> list[str]:
    """The indexes of the entries to build anew after adding ``adding`` entries: all of them
    when that is more than there are, none otherwise.

    Building an index sorts its keys once; keeping it up to date puts each new entry's keys
    in at scattered places, which costs a third more when most entries are new. A unique
    index built afterwards refuses duplicates as an insert would have: nothing is written.
    """
    held = connection.execute("SELECT count(*) FROM revenue_entry").fetchone()[0]
    if adding <= held:
        return []
    query = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'revenue_entry'"
    return [name for (name,) in connection.execute(query)]


#: SQLite's page cache during a bulk insert, in KiB (SQLite's own default is 2,000).
BULK_CACHE_KIB = 64 * 1024


@contextmanager
def _roomy_cache(connection: sqlite3.Connection) -> Iterator[None]:
    """A page cache that holds the indexes of the entries while many rows go in.

    With SQLite's small default, index pages are written out to the write-ahead log and read
    back again and again as rows with scattered dates arrive; the cache grows only as far
    as it is used and is set back afterwards.
    """
    before = connection.execute("PRAGMA cache_size").fetchone()[0]
    connection.execute(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")
    try:
        yield
    finally:
        connection.execute(f"PRAGMA cache_size = {int(before)}")


def _write_clients(
    session: Session, plan: ImportPlan, groups: dict[str, int], as_of: dt.date
) -> None:
    """Add the new clients and fill the empty fields of the existing ones."""
    for draft in plan.clients:
        values = dict(draft.values)
        if draft.group:
            values["group_id"] = groups[name_key(draft.group)]
        if draft.client_id is None:
            created_on = values.pop("created_on", None)
            client = Client.model_validate(validate(ClientCreate, {"name": draft.name, **values}))
            client.created_on = created_on or as_of
            session.add(client)
            continue
        kept = session.get(Client, draft.client_id)
        assert kept is not None  # read in the same transaction
        client = kept
        for key, value in values.items():
            setattr(client, key, value)


def _mapping_key(kind: str, signature: str) -> str:
    return f"{MAPPING_PREFIX}{kind}.{signature}"


def remembered_mappings(db: Database, kind: str) -> dict[str, dict[str, str]]:
    """The mappings of earlier imports of ``kind`` by file shape (header text → field)."""
    prefix = f"{MAPPING_PREFIX}{kind}."
    with db.session() as session:
        rows = session.exec(select(Setting).where(col(Setting.key).startswith(prefix))).all()
    known = {field.key for spec in _importers(kind) for field in spec.specs} | {IGNORE}
    found: dict[str, dict[str, str]] = {}
    for row in rows:
        try:
            stored = json.loads(row.value)
        except ValueError:
            continue  # a damaged entry is forgotten, not fatal
        if isinstance(stored, dict):
            mapping = {str(h): str(f) for h, f in stored.items() if f in known}
            found[row.key.removeprefix(prefix)] = mapping
    return found
