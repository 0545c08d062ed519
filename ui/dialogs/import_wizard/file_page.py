"""The first page: choose a file or folder; its kind is recognised and it is read."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
)

from freelancer_desk import logs
from freelancer_desk.errors import DeskError
from freelancer_desk.i18n import _
from freelancer_desk.importers.einvoice import find_files
from freelancer_desk.services import bank as bank_service
from freelancer_desk.services import einvoices as einvoice_service
from freelancer_desk.services import importing
from freelancer_desk.services.bank import recognise_files
from ui.dialogs.import_wizard.step import WizardStep

if TYPE_CHECKING:
    from ui.dialogs.import_wizard.wizard import ImportWizard


FOLDER_KEY = "import/folder"


class FilePage(WizardStep):
    """What the file holds and where it is."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(
            wizard,
            _("Choose the file"),
            _(
                "A CSV file from your invoicing tool or spreadsheet, your own e-invoices or a "
                "bank statement; drop files or a folder here. Nothing is written before the "
                "last step."
            ),
        )
        self.kinds = QButtonGroup(self)
        revenue = QRadioButton(_("&Revenue entries (invoices and credit notes)"))
        clients = QRadioButton(_("C&lients (a client list with contact data and consents)"))
        einvoices = QRadioButton(_("&E-invoices I issued (XRechnung, ZUGFeRD; files or a folder)"))
        bank = QRadioButton(_("A &bank statement (bank CSV, CAMT.053, MT940)"))
        for button, kind in (
            (revenue, "revenue"),
            (clients, "clients"),
            (einvoices, "einvoices"),
            (bank, "bank"),
        ):
            button.setProperty("kind", kind)
            self.kinds.addButton(button)
            button.setChecked(kind == wizard.kind)
        self.path = QLineEdit(str(wizard.path or ""))
        self.path.setPlaceholderText(_("Path of the CSV file"))
        self.path.textChanged.connect(self.completeChanged)
        choose = QPushButton(_("&Choose…"))
        choose.clicked.connect(self.choose)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(choose)
        hint = QLabel(
            _(
                "Recognised without help: UTF-8 or Windows encoding; semicolon, comma or tab; "
                "amounts like 1.234,56 or 1,234.56; dates like 31.12.2025 or 2025-12-31; info "
                "lines above the header and a totals row at the end; the invoice lists of "
                "common invoicing tools and the DATEV Buchungsstapel."
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        self.error = QLabel()
        self.error.setObjectName("importError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020; font-weight: bold;")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("The file holds:")))
        for choice in self.kinds.buttons():
            layout.addWidget(choice)
        layout.addSpacing(12)
        file_label = QLabel(_("&File:"))
        file_label.setBuddy(self.path)
        layout.addWidget(file_label)
        layout.addLayout(row)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addStretch(1)

    def kind(self) -> str:
        checked = self.kinds.checkedButton()
        assert checked is not None  # one kind is always chosen
        return str(checked.property("kind"))

    def set_kind(self, kind: str) -> None:
        """Tick the kind the files were recognised as."""
        for button in self.kinds.buttons():
            button.setChecked(button.property("kind") == kind)

    def paths(self) -> list[Path]:
        """The files or folders named in the path box (several separated by ``;``)."""
        return [Path(p.strip()).expanduser() for p in self.path.text().split(";") if p.strip()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """Files or folders dropped here: take them and recognise what they hold."""
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            self.take(paths)
            event.acceptProposedAction()

    def take(self, paths: list[Path]) -> None:
        """Use ``paths`` and tick the kind of data they hold (CSV list, e-invoices, statement)."""
        self.path.setText("; ".join(str(path) for path in paths))
        kind = recognise_files(paths)
        if kind != "csv":
            self.set_kind(kind)
        elif self.kind() not in ("revenue", "clients"):
            self.set_kind("revenue")

    def choose(self) -> None:
        folder = self.owner.context.preferences.value(FOLDER_KEY) or str(Path.home())
        if self.kind() == "einvoices":
            name = QFileDialog.getExistingDirectory(
                self, _("Choose the folder of your invoices"), folder
            )
        else:
            name, _filter = QFileDialog.getOpenFileName(
                self,
                _("Choose a file"),
                folder,
                _("CSV files and statements (*.csv *.txt *.xml *.sta *.mt940);;All files (*)"),
            )
        if name:
            self.take([Path(name)])

    def isComplete(self) -> bool:
        return bool(self.path.text().strip())

    def nextId(self) -> int:
        pages = {"einvoices": self.owner.einvoice_page, "bank": self.owner.bank_page}
        page = pages.get(self.kind(), self.owner.preview)
        return next(i for i in self.owner.pageIds() if self.owner.page(i) is page)

    def validatePage(self) -> bool:
        """Read the file now: a file that is no table is explained here, on this page."""
        if self.kind() in ("einvoices", "bank"):
            return self._read_source(self.kind())
        path = Path(self.path.text().strip()).expanduser()
        kind = self.kind()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            remembered = importing.remembered_mappings(self.owner.context.db, kind)
            table = importing.load_table(path, kind, remembered=remembered, guess_header=True)
        except DeskError as error:
            logs.caught(error, f"{self.title()}: refused", level=logging.INFO)
            self.error.setText(str(error))
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self.error.clear()
        self.owner.context.preferences.set_value(FOLDER_KEY, str(path.parent))
        self.owner.start(kind, path, table)
        return True

    def _read_source(self, kind: str) -> bool:
        """Read e-invoices or a bank statement; what cannot be read is said on this page."""
        paths = self.paths()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            if kind == "einvoices":
                files = einvoice_service.read_einvoices(find_files(paths))
                if not files.documents and not files.problems:
                    raise DeskError(_("No XML or PDF files found."))
                self.owner.einvoice_files = files
            else:
                if len(paths) != 1:
                    raise DeskError(_("Choose one bank statement."))
                self.owner.statement = bank_service.read_bank_statement(paths[0])
        except DeskError as error:
            self.error.setText(str(error))
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self.error.clear()
        self.owner.kind = kind
        self.owner.context.preferences.set_value(FOLDER_KEY, str(paths[0].parent))
        return True
