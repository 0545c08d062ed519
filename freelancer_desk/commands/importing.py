"""``import revenue|clients FILE`` and ``export``: bring data in from CSV, take all of it out.

An import prints one summary line and exits 0, or lists every bad row (line, column, reason) on
stderr and exits 1 with the database unchanged. The file is read and checked before the
database is opened, so a bad file never creates or touches a database. Everything printed
that comes from the file has its control characters written out (``values.visible``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from freelancer_desk import clock
from freelancer_desk.commands import import_sources
from freelancer_desk.commands.common import dry_run_plan, open_for
from freelancer_desk.db import Database, open_database
from freelancer_desk.errors import DatabaseError, DeskError, InputError
from freelancer_desk.exporting import export_all, export_client, restore_export
from freelancer_desk.i18n import N_, _, ngettext
from freelancer_desk.importers import IMPORTERS
from freelancer_desk.importers.documents import CreditNotes
from freelancer_desk.importers.fields import field_keys, parse_map_option
from freelancer_desk.importers.plan import (
    CreditNoteChoiceNeeded,
    DateOrderNeeded,
    ImportPlan,
    PlanOptions,
)
from freelancer_desk.importers.reading import MAX_FILE_BYTES, MEGABYTE, ImportFileError
from freelancer_desk.importers.table import Table
from freelancer_desk.importers.values import DateOrder, visible
from freelancer_desk.names import name_key
from freelancer_desk.services.bank import bank_statement_in
from freelancer_desk.services.clients import client_names
from freelancer_desk.services.importing import (
    ImportRefused,
    check_credit_notes,
    check_date_order,
    load_table,
    plan_import,
    remembered_mappings,
    run_import,
)

#: How many problems or duplicates are listed before "... and N more".
LIST_LIMIT = 50

_HELP = {
    "revenue": N_("import revenue entries (invoices, credit notes) from a CSV file"),
    "clients": N_("import clients from a CSV file"),
}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``import`` (with ``revenue`` and ``clients``) and ``export``."""
    from freelancer_desk.cli import db_option

    parser = subparsers.add_parser("import", help=_("import revenue entries or clients from CSV"))
    kinds = parser.add_subparsers(dest="import_kind", metavar="KIND", required=True)
    for kind, spec in IMPORTERS.items():
        sub = kinds.add_parser(
            kind,
            help=_(_HELP[kind]),
            description=_("Fields: {fields}").format(fields=", ".join(field_keys(spec.specs))),
        )
        db_option(sub)
        sub.add_argument("file", type=Path, metavar="FILE", help=_("the CSV file"))
        sub.add_argument(
            "--map",
            action="append",
            default=[],
            metavar='"Column header=field"',
            help=_("feed a column into a field (or 'ignore' it); may be repeated"),
        )
        sub.add_argument(
            "--dry-run", action="store_true", help=_("show what the import would do, write nothing")
        )
        sub.add_argument(
            "--good-rows-only",
            action="store_true",
            help=_("import the good rows even when some rows have errors"),
        )
        sub.add_argument(
            "--date-order",
            choices=[order.value for order in DateOrder],
            help=_("how to read dates such as 01/02/2025: dmy (day first) or mdy"),
        )
        if kind == "revenue":
            sub.add_argument(
                "--credit-notes",
                choices=[choice.value for choice in CreditNotes],
                help=_(
                    "what rows marked Gutschrift, Korrektur or Storno with a positive amount "
                    "are: negative (credit notes) or revenue (self-billing invoices)"
                ),
            )
        sub.add_argument(
            "--max-size",
            type=_megabytes,
            default=MAX_FILE_BYTES,
            metavar="MB",
            help=_("refuse files bigger than this many megabytes (default: {limit})").format(
                limit=MAX_FILE_BYTES // MEGABYTE
            ),
        )
        sub.set_defaults(handler=run_import_command, import_kind=kind)
    import_sources.register(kinds)

    restore = kinds.add_parser(
        "export", help=_("restore a full export (its JSON file or folder) into an empty database")
    )
    db_option(restore)
    restore.add_argument(
        "source", type=Path, metavar="PATH", help=_("export folder or its JSON file")
    )
    restore.set_defaults(handler=run_restore)

    export = subparsers.add_parser(
        "export", help=_("export all data (or one client's) as CSV and JSON")
    )
    db_option(export)
    export.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help=_("folder to write into")
    )
    export.add_argument("--client", metavar="NAME", help=_("export only this client's data"))
    export.set_defaults(handler=run_export)


def _megabytes(text: str) -> int:
    """``--max-size``: a positive number of megabytes, as bytes."""
    try:
        value = float(text)
    except ValueError:
        value = 0
    if not value > 0:
        raise argparse.ArgumentTypeError(_("give a number of megabytes, e.g. 200"))
    return int(value * MEGABYTE)


def run_import_command(args: argparse.Namespace) -> int:
    """Import (or with ``--dry-run`` plan) the file; 0 on success, 1 when rows are bad."""
    from freelancer_desk.cli import resolve_db

    kind = args.import_kind
    overrides = dict(parse_map_option(text) for text in args.map)
    order = DateOrder(args.date_order) if args.date_order else None
    choice = getattr(args, "credit_notes", None)
    options = PlanOptions(
        as_of=clock.today(),
        date_order=order,
        credit_notes=CreditNotes(choice) if choice else None,
    )
    path = resolve_db(args)
    statement = bank_statement_in(args.file) if kind == "revenue" and not args.map else None
    if statement is not None:  # a bank export: its incoming payments are the revenue
        print(_("This is a bank statement: its incoming payments are imported as revenue."))
        return import_sources.run_payment_revenue(
            path, statement, args.dry_run, args.good_rows_only, None
        )
    try:
        try:
            table = load_table(
                args.file, kind, overrides, _remembered(path, kind), max_bytes=args.max_size
            )
        except ImportFileError as exc:  # one line on stderr: it names the file at fault
            if args.file.name in str(exc):
                raise
            raise ImportFileError(f"{args.file}: {exc}") from exc
        check_date_order(table, kind, options)
        check_credit_notes(table, kind, options)
        if args.dry_run:
            return _dry_run(path, table, kind, options)
        with open_database(path) as db:
            try:
                result = run_import(db, table, kind, options, good_rows_only=args.good_rows_only)
            except ImportRefused as refused:
                _print_problems(refused.plan)
                raise
    except DateOrderNeeded as exc:
        raise DeskError(f"{exc} " + _("Use --date-order dmy or --date-order mdy.")) from exc
    except CreditNoteChoiceNeeded as exc:
        _print_list((row.describe() for row in exc.rows), sys.stderr)
        raise DeskError(
            f"{exc} "
            + _(
                "Use --credit-notes negative (credit notes) or --credit-notes revenue "
                "(self-billing invoices)."
            )
        ) from exc
    _print_problems(result.plan)
    _print_notes(result.plan)
    _say(result.plan.summary(done=True))
    return 0


def _remembered(path: Path, kind: str) -> dict[str, dict[str, str]]:
    """The remembered mappings, read without writing (none when there is no usable database)."""
    if not path.exists():
        return {}
    try:
        with open_database(path, writable=False) as db:
            return remembered_mappings(db, kind)
    except DatabaseError:
        return {}  # opening for the import itself will say what is wrong with the file


def _dry_run(path: Path, table: Table, kind: str, options: PlanOptions) -> int:
    """Print the plan, every decision with it; the database (if any yet) is opened read-only."""
    plan = dry_run_plan(path, lambda db: plan_import(db, table, kind, options))
    _say(
        _("File: {encoding}, delimiter {delimiter}, header on line {line}").format(
            encoding=table.encoding, delimiter=repr(table.delimiter), line=table.header_line
        )
    )
    if table.mapping.shape:
        _say(_("Recognised as: {shape}").format(shape=table.mapping.shape))
    _say(
        _("Columns: {mapping}").format(
            mapping=", ".join(
                f"{table.mapping.header[index]} → {field}"
                for field, index in table.mapping.columns.items()
            )
        )
    )
    for name in plan.new_clients:
        _say(_("New client: {name}").format(name=name))
    for decision in plan.decisions:  # every one: the user checks them before writing
        _say(decision.message())
    _print_list((d.message() for d in plan.duplicates), sys.stdout)
    _print_notes(plan)
    _print_problems(plan)
    _say(_("Dry run, nothing written: {summary}").format(summary=plan.summary()))
    return 1 if plan.errors else 0


def _say(text: str, stream: TextIO | None = None) -> None:
    """Print a line; control characters from the file are written out, never sent raw."""
    print(visible(text), file=stream or sys.stdout)


def _print_problems(plan: ImportPlan) -> None:
    _print_list((problem.message() for problem in plan.errors), sys.stderr)


def _print_notes(plan: ImportPlan) -> None:
    for first, second in plan.likely_duplicates:
        _say(
            _('Possibly the same client: "{first}" and "{second}" (merge them if so)').format(
                first=first, second=second
            )
        )
    for notice in plan.notices:
        _say(notice)


def _print_list(lines: Iterable[str], stream: TextIO) -> None:
    items = list(lines)
    for line in items[:LIST_LIMIT]:
        _say(line, stream)
    if len(items) > LIST_LIMIT:
        _say(_("... and {count} more").format(count=len(items) - LIST_LIMIT), stream)


def run_restore(args: argparse.Namespace) -> int:
    """Restore a full export into an empty database."""
    with open_for(args, writable=True) as db:
        counts = restore_export(db, args.source)
    print(
        _("Restored. Records: {rows}, tables: {tables}.").format(
            rows=sum(counts.values()), tables=sum(1 for n in counts.values() if n)
        )
    )
    return 0


def run_export(args: argparse.Namespace) -> int:
    """Write the export (all, or one client's) into ``--out``."""
    with open_for(args, writable=False) as db:
        if args.client:
            files = export_client(db, _client_id(db, args.client), args.out)
        else:
            files = export_all(db, args.out)
    print(
        ngettext(
            "{count} file written to {path}", "{count} files written to {path}", len(files)
        ).format(count=len(files), path=args.out)
    )
    return 0


def _client_id(db: Database, name: str) -> int:
    """The client of that name (ignoring case, spacing and umlaut spelling)."""
    matches = [(cid, cname) for cid, cname in client_names(db) if name_key(cname) == name_key(name)]
    if not matches:
        raise InputError("--client", _("there is no client named {name}").format(name=name))
    if len(matches) > 1:
        raise InputError(
            "--client",
            _("several clients are named like this: {names}").format(
                names=", ".join(cname for _cid, cname in matches)
            ),
        )
    return matches[0][0]
