"""The import wizard's pages for e-invoices and bank statements.

After the file page recognised the kind, an e-invoice folder goes to ``EInvoicePage`` (what
the import will add and refuse, the seller check), a bank statement to ``BankPage`` (paid dates
with the match report, or revenue from payments); both are commit pages: ``SourceDonePage``
writes, in one transaction, only after the user saw and confirmed the report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QRadioButton,
    QVBoxLayout,
)

from freelancer_desk import clock, formatting
from freelancer_desk.db import Database
from freelancer_desk.errors import DeskError
from freelancer_desk.i18n import N_, _
from freelancer_desk.importers.bank import MatchReport, PaymentRevenuePlan, ReportRow, Statement
from freelancer_desk.importers.einvoice import EInvoicePlan, FileProblem
from freelancer_desk.money import from_cents
from freelancer_desk.services import bank as bank_service
from freelancer_desk.services import einvoices as einvoice_service
from ui.dialogs.import_wizard import WizardStep, table_view
from ui.models.table import Column, RecordTableModel

if TYPE_CHECKING:
    from ui.dialogs.import_wizard import ImportWizard

#: One line of the e-invoice report: file, client, number, date, net amount, what happens.
FileLine = tuple[str, str, str, dt.date | None, Decimal | None, str]

FILE_COLUMNS: list[Column[FileLine]] = [
    Column(N_("File"), lambda line: line[0]),
    Column(N_("Client"), lambda line: line[1]),
    Column(N_("Invoice number"), lambda line: line[2]),
    Column(N_("Invoice date"), lambda line: formatting.date(line[3]), lambda line: line[3]),
    Column(
        N_("Net amount"),
        lambda line: "" if line[4] is None else formatting.money(line[4]),
        lambda line: line[4] or 0,
        numeric=True,
    ),
    Column(N_("What happens"), lambda line: line[5], tooltip=lambda line: line[5]),
]
PAYMENT_COLUMNS: list[Column[ReportRow]] = [
    Column(
        N_("Booking day"),
        lambda row: formatting.date(row.payment.booked_on),
        lambda row: row.payment.booked_on,
    ),
    Column(N_("Payer"), lambda row: row.payment.payer),
    Column(
        N_("Amount"),
        lambda row: formatting.money(row.payment.amount),
        lambda row: row.payment.amount,
        numeric=True,
    ),
    Column(N_("Outcome"), lambda row: row.outcome),
    Column(N_("Invoices or reason"), lambda row: row.detail, tooltip=lambda row: row.detail),
]


def einvoice_lines(plan: EInvoicePlan, names: dict[object, str]) -> list[FileLine]:
    """Every file of the plan with what the import does with it."""
    lines: list[FileLine] = [
        (
            document.source,
            names.get(entry.client, document.buyer.name),
            document.number,
            document.issue_date,
            from_cents(entry.net_cents),
            _("credit note to add") if entry.net_cents < 0 else _("invoice to add"),
        )
        for document, entry in zip(plan.documents, plan.entries, strict=True)
    ]
    lines += [_problem_line(p, _("already present: {reason}")) for p in plan.duplicates]
    lines += [_problem_line(p, _("refused: {reason}")) for p in plan.errors]
    return lines


def _problem_line(problem: FileProblem, text: str) -> FileLine:
    return (problem.source, "", "", None, None, text.format(reason=problem.reason))


class EInvoicePage(WizardStep):
    """What importing the e-invoices will add, skip and refuse; nothing is written yet."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(
            wizard,
            _("Check the e-invoices"),
            _("Your own issued invoices become revenue. Nothing has been written yet."),
        )
        self.setCommitPage(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("einvoiceSummary")
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.model = RecordTableModel(FILE_COLUMNS, self)
        self.seller_check = QCheckBox(
            _("&Seller check: import only invoices with my business as the seller")
        )
        self.seller_check.setChecked(True)
        self.seller_check.toggled.connect(self.initializePage)
        self.good_files_only = QCheckBox(_("Import &only the good files (the others are left out)"))
        self.good_files_only.toggled.connect(self.completeChanged)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.notice)
        layout.addWidget(table_view(self.model), 1)
        layout.addWidget(self.seller_check)
        layout.addWidget(self.good_files_only)
        self.plan: EInvoicePlan | None = None

    def initializePage(self) -> None:
        files = self.owner.einvoice_files
        assert files is not None
        try:
            self.plan = einvoice_service.plan_einvoice_import(
                self.owner.context.db, files, self.seller_check.isChecked()
            )
        except DeskError as error:
            self.plan = None
            self.summary.setText(str(error))
            self.completeChanged.emit()
            return
        self.summary.setText(self.plan.summary())
        self.notice.setText("\n".join(self.plan.notices()))
        self.notice.setVisible(bool(self.plan.notices()))
        self.model.set_records(einvoice_lines(self.plan, self.owner.client_names()))
        self.good_files_only.setVisible(bool(self.plan.errors))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        if self.plan is None or not (self.plan.entries or self.plan.errors):
            return False
        return not self.plan.errors or self.good_files_only.isChecked()

    def nextId(self) -> int:
        return self.owner.pageIds()[-1]


class BankPage(WizardStep):
    """A bank statement: set paid dates (the match report) or import payments as revenue."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(
            wizard,
            _("Check the bank statement"),
            _("Outgoing payments are always ignored. Nothing has been written yet."),
        )
        self.setCommitPage(True)
        self.paid_dates = QRadioButton(_("Set the &paid dates of my invoices from the payments"))
        self.revenue = QRadioButton(
            _("Import incoming payments as &revenue (I have no invoice data)")
        )
        self.paid_dates.setChecked(True)
        self.rate = QComboBox()
        self.rate.addItem(_("VAT as in the settings"), None)
        for rate in ("19", "7", "0"):
            self.rate.addItem(f"{rate} %", Decimal(rate))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("bankSummary")
        self.model = RecordTableModel(PAYMENT_COLUMNS, self)
        self.report_view = table_view(self.model)
        rate_row = QHBoxLayout()
        rate_row.addWidget(self.revenue, 1)
        rate_row.addWidget(self.rate)
        layout = QVBoxLayout(self)
        layout.addWidget(self.paid_dates)
        layout.addLayout(rate_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.report_view, 1)
        for widget in (self.paid_dates, self.revenue):
            widget.toggled.connect(self.initializePage)
        self.rate.currentIndexChanged.connect(self.initializePage)
        self.report: MatchReport | None = None
        self.plan: PaymentRevenuePlan | None = None

    def initializePage(self) -> None:
        statement = self.owner.statement
        assert statement is not None
        db = self.owner.context.db
        self.report = self.plan = None
        paid_dates = self.paid_dates.isChecked()
        self.rate.setEnabled(not paid_dates)
        if paid_dates:
            self.report = bank_service.plan_paid_dates(db, statement)
            self.model.set_records(self.report.rows())
            self.summary.setText(self.report.summary())
        else:
            self.plan = bank_service.plan_payment_revenue_import(
                db, statement, self.rate.currentData()
            )
            self.model.set_records(self.plan.decisions)
            self.summary.setText(self.plan.summary())
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        if self.report is not None:
            return bool(self.report.paid_dates or self.report.parts)
        return self.plan is not None and bool(self.plan.entries) and not self.plan.errors

    def nextId(self) -> int:
        return self.owner.pageIds()[-1]


class SourceDonePage(WizardStep):
    """Writes what the e-invoice or bank page showed, in one transaction, and says what it did."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(
            wizard,
            _("Importing"),
            _("All of it is written in one go: if anything fails, nothing is written."),
        )
        self.progress = QProgressBar()
        self.result_label = QLabel()
        self.result_label.setObjectName("sourceResult")
        self.result_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addWidget(self.result_label)
        layout.addStretch(1)
        self.done = False

    def initializePage(self) -> None:
        self.done = False
        self.progress.setRange(0, 0)
        self.result_label.setText(_("Importing …"))
        owner = self.owner
        db = owner.context.db
        today = clock.today()
        if owner.kind == "einvoices":
            files, page = owner.einvoice_files, owner.einvoice_page
            assert files is not None
            work = _einvoice_work(
                db,
                files,
                page.seller_check.isChecked(),
                page.good_files_only.isChecked(),
                today,
            )
        else:
            statement, bank = owner.statement, owner.bank_page
            assert statement is not None
            work = _bank_work(
                db, statement, bank.paid_dates.isChecked(), bank.rate.currentData(), today
            )
        owner.context.runner.submit(work, self.finished, self.failed)

    def finished(self, text: str) -> None:
        self._end(_("Done: {summary}").format(summary=text))
        self.owner.context.changed()

    def failed(self, error: Exception) -> None:
        self._end(_("The import failed, nothing was written: {reason}").format(reason=error))

    def _end(self, text: str) -> None:
        self.done = True
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.result_label.setText(text)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.done

    def nextId(self) -> int:
        return -1


def _einvoice_work(
    db: Database,
    files: einvoice_service.EInvoiceFiles,
    seller_check: bool,
    good_files_only: bool,
    today: dt.date,
) -> Callable[[Any], str]:
    """The write of the e-invoice page's choice, as work for the runner."""

    def work(_control: Any) -> str:
        result = einvoice_service.run_einvoice_import(
            db, files, as_of=today, seller_check=seller_check, good_files_only=good_files_only
        )
        return "\n".join([result.plan.summary(done=True), *result.plan.notices()])

    return work


def _bank_work(
    db: Database, statement: Statement, paid_dates: bool, rate: Decimal | None, today: dt.date
) -> Callable[[Any], str]:
    """The write of the bank page's choice, as work for the runner."""

    def work(_control: Any) -> str:
        if paid_dates:
            return bank_service.apply_paid_dates(db, statement).summary(done=True)
        result = bank_service.run_payment_revenue_import(db, statement, as_of=today, vat=rate)
        return result.plan.summary(done=True)

    return work
