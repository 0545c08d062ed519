"""Writes what the e-invoice or bank page showed, and says what it did."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QLabel,
    QProgressBar,
    QVBoxLayout,
)

from freelancer_desk import clock
from freelancer_desk.db import Database
from freelancer_desk.i18n import _
from freelancer_desk.importers.bank import Statement
from freelancer_desk.services import bank as bank_service
from freelancer_desk.services import einvoices as einvoice_service
from ui.dialogs.import_wizard.step import WizardStep

if TYPE_CHECKING:
    from ui.dialogs.import_wizard.wizard import ImportWizard


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
