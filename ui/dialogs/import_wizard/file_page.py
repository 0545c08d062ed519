"""The first page: choose a file or folder; its kind is recognised and it is read.

Reading a large file takes seconds, so Next reads it on the shell's background runner: the page
says "Reading …" and the wizard moves on once the file is read.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
)

from freelancer_desk import logs
from freelancer_desk.db import Database
from freelancer_desk.errors import DeskError
from freelancer_desk.i18n import _
from freelancer_desk.importers.bank import Statement
from freelancer_desk.importers.einvoice import find_files
from freelancer_desk.importers.table import Table
from freelancer_desk.services import bank as bank_service
from freelancer_desk.services import einvoices as einvoice_service
from freelancer_desk.services import importing
from freelancer_desk.services.bank import recognise_files
from freelancer_desk.services.einvoices import EInvoiceFiles
from ui.dialogs.import_wizard.step import WizardStep
from ui.runner import Loader, report_in_window

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
        self.choose_button = QPushButton(_("&Choose…"))
        self.choose_button.clicked.connect(self.choose)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.choose_button)
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
        self.reading_note = QLabel()
        self.reading_note.setObjectName("readingNote")
        self.reading_bar = QProgressBar()
        self.reading_bar.setRange(0, 0)  # moves while the file is read
        self.reading_bar.setTextVisible(False)
        reading = QHBoxLayout()
        reading.addWidget(self.reading_note)
        reading.addWidget(self.reading_bar, 1)
        self.reader: Loader[FileRead] = Loader(
            self,
            wizard.context.runner,
            self._file_read,
            on_error=self._read_refused,
            busy=self._set_reading,
        )
        #: The files read, until Next takes them to the next pages.
        self._read: FileRead | None = None
        self._next_when_read = False
        #: The files being read (or last read), for the log line of a refusal.
        self._reading: list[Path] = []
        self._set_reading(False)
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
        layout.addLayout(reading)
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
        return bool(self.path.text().strip()) and not self.reader.loading

    def nextId(self) -> int:
        pages = {"einvoices": self.owner.einvoice_page, "bank": self.owner.bank_page}
        page = pages.get(self.kind(), self.owner.preview)
        return next(i for i in self.owner.pageIds() if self.owner.page(i) is page)

    def validatePage(self) -> bool:
        """Next reads the file on the worker and waits; once read, the wizard moves on (a file
        that cannot be read is explained here, on this page)."""
        if self._read is None and not self.reader.loading:
            self._next_when_read = False
            self._start_reading()
            # Under way in the background: its outcome presses Next again. (The runner of the
            # tests has delivered it already.)
            self._next_when_read = self.reader.loading
        if self._read is None:
            return False
        read, self._read = self._read, None
        self._go_on_with(read)
        return True

    def _start_reading(self) -> None:
        kind, db = self.kind(), self.owner.context.db
        paths = (
            self.paths()
            if kind in ("einvoices", "bank")
            else [Path(self.path.text().strip()).expanduser()]
        )
        self.reading_note.setText(
            _("Reading {name} …").format(name=", ".join(path.name for path in paths))
        )
        self.error.clear()
        self._reading = paths
        self.reader.load(lambda: read_files(db, kind, paths))

    def _set_reading(self, reading: bool) -> None:
        """While the file is read: a moving bar, and nothing to change or press but Cancel."""
        for widget in (*self.kinds.buttons(), self.path, self.choose_button):
            widget.setEnabled(not reading)
        self.reading_note.setVisible(reading)
        self.reading_bar.setVisible(reading)
        self.completeChanged.emit()

    def _file_read(self, read: FileRead) -> None:
        self._read = read
        if self._next_when_read:
            self.owner.next()

    def _read_refused(self, error: Exception) -> None:
        if not isinstance(error, DeskError):
            report_in_window(error)
            return
        named = ", ".join(str(path) for path in self._reading)
        logs.caught(error, f"import of {named} refused", level=logging.INFO)
        self.error.setText(str(error))

    def _go_on_with(self, read: FileRead) -> None:
        """The wizard works on what was read from now on."""
        self.owner.context.preferences.set_value(FOLDER_KEY, str(read.path.parent))
        if read.table is not None:
            self.owner.start(read.kind, read.path, read.table)
            return
        self.owner.kind = read.kind
        if read.einvoice_files is not None:
            self.owner.einvoice_files = read.einvoice_files
        if read.statement is not None:
            self.owner.statement = read.statement


@dataclass(frozen=True)
class FileRead:
    """What the first page read (on the worker), for the next pages."""

    kind: str
    #: The file, or the first of the files or folders.
    path: Path
    table: Table | None = None
    einvoice_files: EInvoiceFiles | None = None
    statement: Statement | None = None


def read_files(db: Database, kind: str, paths: list[Path]) -> FileRead:
    """Read the files of ``kind``: ``DeskError`` says why they cannot be imported."""
    if kind == "einvoices":
        files = einvoice_service.read_einvoices(find_files(paths))
        if not files.documents and not files.problems:
            raise DeskError(_("No XML or PDF files found."))
        return FileRead(kind, paths[0], einvoice_files=files)
    if kind == "bank":
        if len(paths) != 1:
            raise DeskError(_("Choose one bank statement."))
        return FileRead(kind, paths[0], statement=bank_service.read_bank_statement(paths[0]))
    remembered = importing.remembered_mappings(db, kind)
    table = importing.load_table(paths[0], kind, remembered=remembered, guess_header=True)
    return FileRead(kind, paths[0], table=table)
