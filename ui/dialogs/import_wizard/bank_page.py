"""The bank page: paid dates from a statement, or its payments as revenue."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
)

from freelancer_desk import formatting
from freelancer_desk.i18n import N_, _
from freelancer_desk.importers.bank import MatchReport, PaymentRevenuePlan, ReportRow
from freelancer_desk.services import bank as bank_service
from ui.dialogs.import_wizard.step import WizardStep, table_view
from ui.models.table import Column, RecordTableModel

if TYPE_CHECKING:
    from ui.dialogs.import_wizard.wizard import ImportWizard


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
