"""The import wizard: file → preview → column mapping → dry-run report → import.

Nothing is written before the last step. The dry run and the import run on the shell's
background runner with a progress bar; cancelling the import leaves the database as it was
(the import is one transaction). The mapping the user settles on is remembered for files of
the same shape (by ``services.importing.run_import``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QWidget,
    QWizard,
)

from freelancer_desk import clock
from freelancer_desk.i18n import _
from freelancer_desk.importers.bank import Statement
from freelancer_desk.importers.documents import CreditNotes
from freelancer_desk.importers.plan import (
    PlanOptions,
)
from freelancer_desk.importers.table import Table
from freelancer_desk.importers.values import (
    DateOrder,
)
from freelancer_desk.services import einvoices as einvoice_service
from freelancer_desk.services import importing
from freelancer_desk.services.clients import client_names
from ui.context import AppContext
from ui.dialogs.import_wizard.bank_page import BankPage
from ui.dialogs.import_wizard.einvoice_page import EInvoicePage
from ui.dialogs.import_wizard.file_page import FilePage
from ui.dialogs.import_wizard.mapping_page import MappingPage
from ui.dialogs.import_wizard.preview_page import PreviewPage
from ui.dialogs.import_wizard.report_page import ReportPage
from ui.dialogs.import_wizard.run_page import RunPage
from ui.dialogs.import_wizard.source_done_page import SourceDonePage
from ui.widgets import show_modal


def open_import_wizard(window: Any) -> None:
    """File ▸ Import… (``registry.ACTIONS``)."""
    show_modal(ImportWizard(window.context, window))


class ImportWizard(QWizard):
    """Holds what the pages settle on: kind, file, table (with mapping), date order."""

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        kind: str = "revenue",
        path: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.kind = kind
        self.path = path
        self.table: Table | None = None
        self.date_order: DateOrder | None = None
        self.credit_notes: CreditNotes | None = None
        self.setWindowTitle(_("Import data"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setButtonText(QWizard.WizardButton.CommitButton, _("&Import"))
        self.setButtonText(QWizard.WizardButton.NextButton, _("&Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, _("< &Back"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("&Finish"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Cancel"))
        self.file_page = FilePage(self)
        self.preview = PreviewPage(self)
        self.mapping = MappingPage(self)
        self.report = ReportPage(self)
        self.run = RunPage(self)
        self.einvoice_files: einvoice_service.EInvoiceFiles | None = None
        self.statement: Statement | None = None
        self.einvoice_page = EInvoicePage(self)
        self.bank_page = BankPage(self)
        self.source_done = SourceDonePage(self)
        for page in (
            self.file_page,
            self.preview,
            self.mapping,
            self.report,
            self.run,
            self.einvoice_page,
            self.bank_page,
            self.source_done,
        ):
            self.addPage(page)
        self.file_page.setAcceptDrops(True)
        self.resize(940, 640)
        self._close_after_run = False

    def start(self, kind: str, path: Path, table: Table) -> None:
        """A file was read: the pages work on this table from now on."""
        self.kind, self.path, self.table = kind, path, table
        self.date_order = None
        self.credit_notes = None

    def labels(self) -> dict[str, str]:
        """Field key → untranslated label of the current kind (and file: DATEV has its own)."""
        spec = (
            importing.importer_of(self.table, self.kind)
            if self.table is not None
            else importing.importer(self.kind)
        )
        return {field.key: field.label for field in spec.specs}

    def apply_mapping(
        self, mapping: dict[str, str], order: DateOrder | None, credit_notes: CreditNotes | None
    ) -> Table:
        """The mapping page changed: map the table again."""
        assert self.table is not None
        self.table = importing.remap(self.table, self.kind, mapping)
        self.date_order = order
        self.credit_notes = credit_notes
        return self.table

    def plan_options(self) -> PlanOptions:
        return PlanOptions(
            as_of=clock.today(), date_order=self.date_order, credit_notes=self.credit_notes
        )

    def client_names(self) -> dict[object, str]:
        """Existing client id → name, to show the entries to add."""
        return dict(client_names(self.context.db))

    def reject(self) -> None:
        """Cancel stops a running import first (nothing is written), then closes."""
        self.file_page.reader.cancel()  # a file still being read is not shown any more
        if self.run.task is not None:
            self._close_after_run = True
            self.run.cancel()
            return
        if self.report.task is not None:
            self.report.task.cancel()
        super().reject()

    def after_run(self) -> None:
        if self._close_after_run:
            super().reject()
