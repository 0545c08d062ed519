"""Full export (every table as CSV plus one JSON file), its restore, and one client's data.

The columns are the database columns with three changes that make the files readable and
re-importable (documented in ``docs/EXPORT.md``): money columns ``*_cents`` become amounts
(``net_cents`` 123456 → ``net`` 1234.56), a ``client`` column with the client's name follows
every ``client_id``, and the client table gets a ``group`` column with the group's name. The
revenue and client files read back with the importers, so an export restores into an empty
database with the same figures.

The files hold personal data and are meant for spreadsheets: a new export folder is readable
only by the user (0700, files 0600) and appears complete or not at all, and CSV text cells that
a spreadsheet would run as a formula are neutralised (``csv_cells``); the JSON file keeps every
value exactly.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Date, Table, delete, insert, or_, select
from sqlmodel import SQLModel, col

from freelancer_desk import APP_NAME, __version__, faults
from freelancer_desk.csv_cells import neutralise
from freelancer_desk.db import SCHEMA_HEAD, Database, refuse_special_file
from freelancer_desk.errors import DeskError, NotFoundError
from freelancer_desk.i18n import _
from freelancer_desk.models import Client, ClientGroup, RevenueEntry
from freelancer_desk.money import from_cents, to_cents

#: Name of the JSON file that holds everything.
EXPORT_JSON = "freelancer-desk-export.json"
#: Name of the JSON file of a one-client export.
CLIENT_JSON = "client-data.json"
#: The largest export file ``import export`` reads (100,000 invoices make about 35 MB).
MAX_EXPORT_BYTES = 200_000_000
#: Identifies our JSON files and their layout version.
FORMAT = "freelancer-desk-export"
FORMAT_VERSION = 1


def tables() -> list[Table]:
    """Every table of the schema, parents before children."""
    return list(SQLModel.metadata.sorted_tables)


def exported_columns(table: Table) -> list[str]:
    """The column names of ``table`` in its export file, ``id`` first."""
    names: list[str] = []
    columns = sorted(table.columns, key=lambda column: column.name != "id")
    for column in columns:
        names.append(_exported_name(column))
        if column.name == "client_id":
            names.append("client")
        elif table.name == "client" and column.name == "group_id":
            names.append("group")
    return names


def _exported_name(column: Column[Any]) -> str:
    return column.name.removesuffix("_cents") if column.name.endswith("_cents") else column.name


def _rows(db: Database, table: Table, where: Any = None) -> list[dict[str, Any]]:
    """The rows of ``table`` as export dictionaries (amounts as Decimal, names added)."""
    query = select(table)
    if where is not None:
        query = query.where(where)
    key = table.c.get("id", next(iter(table.primary_key.columns)))
    with db.engine.connect() as connection:
        names = {
            client_id: name
            for client_id, name in connection.execute(select(col(Client.id), col(Client.name)))
        }
        groups = {
            group_id: name
            for group_id, name in connection.execute(
                select(col(ClientGroup.id), col(ClientGroup.name))
            )
        }
        records = connection.execute(query.order_by(key)).mappings().all()
    rows = []
    for record in records:
        row: dict[str, Any] = {}
        for column in sorted(table.columns, key=lambda column: column.name != "id"):
            value = record[column.name]
            if column.name.endswith("_cents") and value is not None:
                value = from_cents(value)
            row[_exported_name(column)] = value
            if column.name == "client_id":
                row["client"] = names.get(value)
            elif table.name == "client" and column.name == "group_id":
                row["group"] = groups.get(value)
        rows.append(row)
    return rows


def _csv_text(value: Any) -> str:
    """A value as CSV text: ISO dates, ``1``/``0`` for yes/no, amounts with two decimals, text
    that no spreadsheet runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "as_tuple"):  # Decimal amount
        return float(value)
    return value


def _private_file(path: Path) -> int:
    """A new file only the user may read and write (0600), opened for writing."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    if hasattr(os, "fchmod"):
        os.fchmod(fd, 0o600)  # a file that was there keeps its mode otherwise
    return fd


def write_csv(path: Path, columns: list[str], rows: Iterable[dict[str, Any]]) -> Path:
    """One UTF-8 CSV file (with BOM, so that spreadsheet programs read the umlauts), mode 0600."""
    with open(_private_file(path), "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_csv_text(row.get(column)) for column in columns])
    return path


def _write_json(path: Path, document: dict[str, Any]) -> Path:
    text = json.dumps(document, ensure_ascii=False, indent=2, default=_json_value)
    with open(_private_file(path), "w", encoding="utf-8") as handle:
        handle.write(text + "\n")
    return path


def _header(**extra: Any) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app": f"{APP_NAME} {__version__}",
        "schema_revision": SCHEMA_HEAD,
        "exported_at": dt.datetime.now().isoformat(timespec="seconds"),
        **extra,
    }


def _write_all(
    out_dir: Path,
    rows_by_table: dict[Table, list[dict[str, Any]]],
    json_name: str,
    more_csv: Mapping[str, tuple[list[str], list[dict[str, Any]]]] | None = None,
    **extra: Any,
) -> list[Path]:
    """CSV files of the given tables (and ``more_csv``: file name -> columns and rows) plus the
    JSON file with all of the tables, whole or not at all.

    They are written into a hidden folder (0700) and moved in when all are done: a new folder
    appears complete; into a folder that exists already, each file replaces its old version.
    A full disk or a read-only place leaves ``out_dir`` as it was.
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise DeskError(_("{path} is a file; give a folder to export into.").format(path=out_dir))
    staging = (
        out_dir / ".export.partial"
        if out_dir.is_dir()
        else out_dir.with_name(f".{out_dir.name}.partial")
    )
    try:
        shutil.rmtree(staging, ignore_errors=True)  # left by a crash
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        staging.mkdir(mode=0o700)
        written = [
            write_csv(staging / f"{table.name}.csv", exported_columns(table), rows)
            for table, rows in rows_by_table.items()
        ]
        written += [
            write_csv(staging / name, columns, rows)
            for name, (columns, rows) in (more_csv or {}).items()
        ]
        document = _header(
            **extra, tables={table.name: rows for table, rows in rows_by_table.items()}
        )
        written.append(_write_json(staging / json_name, document))
        if out_dir.exists():
            for path in written:
                path.replace(out_dir / path.name)
        else:
            staging.replace(out_dir)
    except OSError as exc:
        raise faults.os_fault(exc, out_dir) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [out_dir / path.name for path in written]


#: Columns of ``do_not_contact.csv``: the clients nobody may contact (DOMAIN.md §5).
DO_NOT_CONTACT_COLUMNS = ["client_id", "client", "objection_on", "erased"]


def export_all(db: Database, out_dir: Path) -> list[Path]:
    """Every table as ``<table>.csv`` plus ``freelancer-desk-export.json``, and the
    do-not-contact list as ``do_not_contact.csv`` (also in the JSON file); the files written."""
    from freelancer_desk.services.privacy import do_not_contact

    blocked = [
        {
            "client_id": row.client_id,
            "client": row.name,
            "objection_on": row.objection_on,
            "erased": row.erased,
        }
        for row in do_not_contact(db)
    ]
    return _write_all(
        out_dir,
        {table: _rows(db, table) for table in tables()},
        EXPORT_JSON,
        more_csv={"do_not_contact.csv": (DO_NOT_CONTACT_COLUMNS, blocked)},
        do_not_contact=blocked,
    )


def export_client(db: Database, client_id: int, out_dir: Path) -> list[Path]:
    """All records of one client (for a data-access request) as CSV files plus one JSON file.

    A record belongs to the client when it points at the client, or at a record that does
    (a win-back attempt belongs through its case and loss).
    """
    with db.session() as session:
        client = session.get(Client, client_id)
        if client is None:
            raise NotFoundError(_("This client does not exist any more."))
        name = client.name
    ids: dict[str, set[Any]] = {"client": {client_id}}
    selected: dict[Table, list[dict[str, Any]]] = {}
    for table in tables():
        if table.name == "client":
            where = table.c.id == client_id
        else:
            links = [
                column.in_(ids[key.column.table.name])
                for column in table.columns
                for key in column.foreign_keys
                if key.column.table.name in ids
            ]
            if not links:
                continue
            where = or_(*links)
        rows = _rows(db, table, where)
        selected[table] = rows
        if "id" in table.c:
            ids[table.name] = {row["id"] for row in rows}
    return _write_all(out_dir, selected, CLIENT_JSON, client=name)


class RestoreError(DeskError):
    """An export file that cannot be restored (not ours, other version, database not empty)."""


def restore_export(db: Database, source: Path) -> dict[str, int]:
    """Every table of a full export (its JSON file, or its folder) into an EMPTY database.

    The counterpart of ``export_all`` for moving to a new computer or checking an export: the
    result has the same records, ids and settings, so every figure is the same. All in one
    transaction. Returns the number of rows per table.
    """
    document = _read_export(source / EXPORT_JSON if source.is_dir() else source)
    with db.session() as session:
        for table in (Client.__table__, RevenueEntry.__table__):  # type: ignore[attr-defined]  # SQLModel sets __table__ without declaring it
            if session.execute(select(table.c.id).limit(1)).first() is not None:
                raise RestoreError(_("An export can only be restored into an empty database."))
        counts: dict[str, int] = {}
        for table in tables():
            rows = [_stored_row(table, row) for row in document["tables"].get(table.name, [])]
            if table.name in ("loss_reason", "setting"):
                session.execute(
                    delete(table)
                )  # the export's catalogue and settings replace the defaults
            if rows:
                session.execute(insert(table), rows)
            counts[table.name] = len(rows)
    return counts


def _read_export(path: Path) -> dict[str, Any]:
    """The JSON document of a full export, checked to be ours and of this schema.

    A pipe or a device is refused before it is opened (reading one never ends), and so is a
    file larger than any export of a freelancer's data (it would fill the memory).
    """
    refuse_special_file(path)
    if path.is_file() and path.stat().st_size > MAX_EXPORT_BYTES:
        raise RestoreError(
            _("{path} is larger than {limit} MB; that is not an export of Freelancer Desk.").format(
                path=path, limit=MAX_EXPORT_BYTES // 1_000_000
            )
        )
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RestoreError(
            _("{path} cannot be read as an export ({reason}).").format(
                path=path, reason=getattr(exc, "strerror", None) or exc
            )
        ) from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT or "client" in document:
        raise RestoreError(_("{path} is not a full Freelancer Desk export.").format(path=path))
    if (
        document.get("format_version") != FORMAT_VERSION
        or document.get("schema_revision") != SCHEMA_HEAD
    ):
        raise RestoreError(
            _(
                "{path} was written by another version of Freelancer Desk; import its "
                "client.csv and revenue_entry.csv instead."
            ).format(path=path)
        )
    return document


def _stored_row(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """An exported row back in database form (cents, dates), without the added name columns."""
    stored: dict[str, Any] = {}
    for column in table.columns:
        value = row.get(_exported_name(column))
        if value is not None and column.name.endswith("_cents"):
            value = to_cents(Decimal(str(value)))
        elif value is not None and isinstance(column.type, Date):
            value = dt.date.fromisoformat(value)
        stored[column.name] = value
    return stored
