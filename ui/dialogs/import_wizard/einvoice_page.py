"""The e-invoice page: what importing a folder of e-invoices will add, skip and refuse."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QVBoxLayout,
)

from freelancer_desk import formatting
from freelancer_desk.errors import DeskError
from freelancer_desk.i18n import N_, _
from freelancer_desk.importers.einvoice import EInvoicePlan, FileProblem
from freelancer_desk.money import from_cents
from freelancer_desk.services import einvoices as einvoice_service
from ui.dialogs.import_wizard.step import WizardStep, table_view
from ui.models.table import Column, RecordTableModel

if TYPE_CHECKING:
    from ui.dialogs.import_wizard.wizard import ImportWizard


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
