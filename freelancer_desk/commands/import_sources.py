"""``import einvoices PATH...`` and ``import bank FILE --paid-dates | --revenue``.

Like ``import revenue``: the files are read and checked before the database is opened, a dry
run writes nothing (the database is opened read-only), and a refused import exits 1 with every
reason on stderr and the database unchanged.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from freelancer_desk import clock
from freelancer_desk.commands.common import dry_run_plan
from freelancer_desk.db import open_database
from freelancer_desk.errors import DeskError, InputError
from freelancer_desk.formatting import date, money
from freelancer_desk.i18n import _
from freelancer_desk.importers.bank import (
    MatchReport,
    PaymentRevenuePlan,
    ReportRow,
    Statement,
    parse_vat_option,
)
from freelancer_desk.importers.einvoice import EInvoicePlan, find_files
from freelancer_desk.money import from_cents
from freelancer_desk.services import bank as bank_service
from freelancer_desk.services import einvoices as einvoice_service

#: How many lines of one list are printed before "... and N more".
LIST_LIMIT = 50


def register(kinds: argparse._SubParsersAction) -> None:
    """Add ``einvoices`` and ``bank`` to the ``import`` command's kinds."""
    from freelancer_desk.cli import db_option

    einvoices = kinds.add_parser(
        "einvoices",
        help=_("import your own issued e-invoices (XRechnung, ZUGFeRD, Factur-X) as revenue"),
        description=_(
            "Reads XRechnung XML (UBL or CII) and ZUGFeRD / Factur-X PDFs; folders are searched "
            "with their subfolders. Invoices of another seller are purchases and are refused."
        ),
    )
    db_option(einvoices)
    einvoices.add_argument(
        "paths", type=Path, nargs="+", metavar="PATH", help=_("e-invoice files or folders")
    )
    einvoices.add_argument(
        "--dry-run", action="store_true", help=_("show what the import would do, write nothing")
    )
    einvoices.add_argument(
        "--seller-check",
        choices=["on", "off"],
        default="on",
        help=_("off: import invoices whatever their seller (default: on)"),
    )
    einvoices.add_argument(
        "--good-files-only",
        action="store_true",
        help=_("import the good files even when some are refused"),
    )
    einvoices.set_defaults(handler=run_einvoices)

    bank = kinds.add_parser(
        "bank",
        help=_("paid dates or revenue from a bank statement (bank CSV, CAMT.053, MT940)"),
        description=_(
            "--paid-dates matches incoming payments to your open invoices; --revenue imports "
            "incoming payments as revenue (net from gross by your VAT setting). Outgoing "
            "payments are always ignored."
        ),
    )
    db_option(bank)
    bank.add_argument("file", type=Path, metavar="FILE", help=_("the bank statement"))
    use = bank.add_mutually_exclusive_group(required=True)
    use.add_argument(
        "--paid-dates", action="store_true", help=_("set the paid dates of open invoices")
    )
    use.add_argument(
        "--revenue", action="store_true", help=_("import incoming payments as revenue")
    )
    bank.add_argument(
        "--vat",
        metavar="RATE",
        help=_("with --revenue: the VAT rate in percent for every payment (0 for no VAT)"),
    )
    bank.add_argument(
        "--dry-run", action="store_true", help=_("show what the import would do, write nothing")
    )
    bank.add_argument(
        "--good-rows-only",
        action="store_true",
        help=_("with --revenue: import the good payments even when some have errors"),
    )
    bank.set_defaults(handler=run_bank)


# --------------------------------------------------------------------------------------------
# E-invoices
# --------------------------------------------------------------------------------------------


def run_einvoices(args: argparse.Namespace) -> int:
    """Import (or plan) the e-invoices; 0 on success, 1 when files are refused."""
    from freelancer_desk.cli import resolve_db

    files = einvoice_service.read_einvoices(find_files(args.paths))
    if not files.documents and not files.problems:
        raise DeskError(_("No XML or PDF files found."))
    seller_check = args.seller_check == "on"
    path = resolve_db(args)
    if args.dry_run:
        plan = dry_run_plan(
            path, lambda db: einvoice_service.plan_einvoice_import(db, files, seller_check)
        )
        _print_einvoice_plan(plan)
        print(_("Dry run, nothing written: {summary}").format(summary=plan.summary()))
        return 1 if plan.errors else 0
    with open_database(path) as db:
        try:
            result = einvoice_service.run_einvoice_import(
                db,
                files,
                as_of=clock.today(),
                seller_check=seller_check,
                good_files_only=args.good_files_only,
            )
        except einvoice_service.EInvoicesRefused as refused:
            _print_list((problem.message() for problem in refused.plan.errors), sys.stderr)
            raise
    _print_list((problem.message() for problem in result.plan.errors), sys.stderr)
    for notice in result.plan.notices():
        print(notice)
    print(result.plan.summary(done=True))
    return 0


def _print_einvoice_plan(plan: EInvoicePlan) -> None:
    for client in plan.new_clients:
        print(_("New client: {name}").format(name=client.name))
    for document, entry in zip(plan.documents, plan.entries, strict=True):
        print(
            _("{file}: {number} of {date}, net {amount}").format(
                file=document.source,
                number=document.number,
                date=date(document.issue_date),
                amount=money(from_cents(entry.net_cents)),
            )
        )
    _print_list((d.message() for d in plan.duplicates), sys.stdout)
    for notice in plan.notices():
        print(notice)
    _print_list((problem.message() for problem in plan.errors), sys.stderr)


# --------------------------------------------------------------------------------------------
# Bank statements
# --------------------------------------------------------------------------------------------


def run_bank(args: argparse.Namespace) -> int:
    """Paid dates or revenue from the statement; 0 on success, 1 when payments are refused."""
    from freelancer_desk.cli import resolve_db

    if args.vat is not None and not args.revenue:
        raise InputError("--vat", _("only goes with --revenue"), label="--vat")
    vat = _vat(args.vat)
    statement = bank_service.read_bank_statement(args.file)
    path = resolve_db(args)
    if args.revenue:
        return run_payment_revenue(path, statement, args.dry_run, args.good_rows_only, vat)
    if args.dry_run:
        report = dry_run_plan(path, lambda db: bank_service.plan_paid_dates(db, statement))
        _print_match_report(report)
        print(_("Dry run, nothing written: {summary}").format(summary=report.summary()))
        return 0
    with open_database(path) as db:
        report = bank_service.apply_paid_dates(db, statement)
    _print_match_report(report)
    print(report.summary(done=True))
    return 0


def run_payment_revenue(
    path: Path, statement: Statement, dry_run: bool, good_rows_only: bool, rate: Decimal | None
) -> int:
    """Import (or plan) the incoming payments of ``statement`` as revenue into ``path``."""
    if dry_run:
        plan = dry_run_plan(
            path, lambda db: bank_service.plan_payment_revenue_import(db, statement, rate)
        )
        _print_revenue_plan(plan)
        print(_("Dry run, nothing written: {summary}").format(summary=plan.summary()))
        return 1 if plan.errors else 0
    with open_database(path) as db:
        try:
            result = bank_service.run_payment_revenue_import(
                db, statement, as_of=clock.today(), vat=rate, good_rows_only=good_rows_only
            )
        except bank_service.PaymentsRefused as refused:
            _print_list((problem.message() for problem in refused.plan.errors), sys.stderr)
            raise
    _print_list((problem.message() for problem in result.plan.errors), sys.stderr)
    print(result.plan.summary(done=True))
    return 0


def _vat(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        return parse_vat_option(text)
    except ValueError:
        raise InputError(
            "--vat",
            _("{text!r} is not a VAT rate (write e.g. 19, 7 or 0)").format(text=text),
            label="--vat",
        ) from None


def _print_revenue_plan(plan: PaymentRevenuePlan) -> None:
    """Every incoming payment with its decision (added, or skipped and why), then the new
    clients and the errors."""
    _print_payments(plan.decisions)
    for name in plan.new_clients:
        print(_("New client: {name}").format(name=name))
    _print_list((problem.message() for problem in plan.errors), sys.stderr)


def _print_match_report(report: MatchReport) -> None:
    """Every payment of the report, one line each, in booking order."""
    _print_payments(report.rows())


def _print_payments(rows: Iterable[ReportRow]) -> None:
    """One line per payment: day, payer, amount, what becomes of it and why."""
    _print_list(
        (
            f"{date(row.payment.booked_on)} {row.payment.payer or '?'} "
            f"{money(row.payment.amount)}: {row.outcome} – {row.detail}"
            for row in rows
        ),
        sys.stdout,
    )


def _print_list(lines: Iterable[str], stream: TextIO) -> None:
    items = list(lines)
    for line in items[:LIST_LIMIT]:
        print(line, file=stream)
    if len(items) > LIST_LIMIT:
        print(_("... and {count} more").format(count=len(items) - LIST_LIMIT), file=stream)
