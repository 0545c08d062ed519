"""The import wizard: file → preview → column mapping → dry-run report → import.

Nothing is written before the last step. The dry run and the import run on the shell's
background runner with a progress bar; cancelling the import leaves the database as it was
(the import is one transaction). The mapping the user settles on is remembered for files of
the same shape (by ``services.importing.run_import``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from freelancer_desk import clock, formatting, logs
from freelancer_desk.errors import DeskError
from freelancer_desk.i18n import N_, _, ngettext
from freelancer_desk.importers.bank import Statement
from freelancer_desk.importers.clients import CLIENT_DATES, PERMISSION_FIELDS, YES_NO_WORDS
from freelancer_desk.importers.documents import CreditNotes
from freelancer_desk.importers.einvoice import find_files
from freelancer_desk.importers.fields import IGNORE, header_key
from freelancer_desk.importers.plan import (
    ClientDraft,
    DateOrderNeeded,
    Decision,
    Duplicate,
    EntryDraft,
    ImportCancelled,
    ImportPlan,
    PlanOptions,
    RowProblem,
)
from freelancer_desk.importers.revenue import AMOUNT_FIELDS as REVENUE_AMOUNTS
from freelancer_desk.importers.revenue import REVENUE_DATES
from freelancer_desk.importers.table import FOOTER_LINE, INFO_LINE, Table, delimiter_name
from freelancer_desk.importers.values import (
    AmbiguousDateError,
    DateOrder,
    check_year,
    name_key,
    parse_amount,
    parse_date,
)
from freelancer_desk.money import from_cents
from freelancer_desk.services import bank as bank_service
from freelancer_desk.services import einvoices as einvoice_service
from freelancer_desk.services import importing
from freelancer_desk.services.bank import recognise_files
from freelancer_desk.services.clients import client_names
from ui.context import AppContext
from ui.dialogs.client_data import MergeClientsDialog
from ui.models.table import Column, RecordTableModel
from ui.runner import Task, TaskControl

FOLDER_KEY = "import/folder"
#: Rows shown in the preview.
PREVIEW_ROWS = 50
#: Muted colour of columns the import ignores; red of values it cannot read.
IGNORED_COLOUR = "#8a8a8a"
ERROR_COLOUR = "#b00020"
AMOUNT_FIELDS = frozenset({*REVENUE_AMOUNTS, "amount"})
DATE_FIELDS = frozenset({*REVENUE_DATES, *CLIENT_DATES})
#: How many rows marked Gutschrift the credit-note question shows as examples.
CREDIT_NOTE_EXAMPLES = 3
#: Longest example cell shown beside a column on the mapping page.
EXAMPLE_CHARS = 30

Index = QModelIndex | QPersistentModelIndex


def open_import_wizard(window: Any) -> None:
    """File ▸ Import… (``registry.ACTIONS``)."""
    ImportWizard(window.context, window).exec()


class PreviewModel(QAbstractTableModel):
    """The first rows of the file as split into columns; headers say which field each feeds."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._table: Table | None = None
        self._labels: dict[str, str] = {}

    def set_table(self, table: Table, labels: dict[str, str]) -> None:
        self.beginResetModel()
        self._table = table
        self._labels = labels
        self.endResetModel()

    def _field(self, column: int) -> str | None:
        assert self._table is not None
        return next((f for f, i in self._table.mapping.columns.items() if i == column), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self._table is None:
            return 0
        return min(PREVIEW_ROWS, len(self._table.rows))

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self._table is None else len(self._table.mapping.header)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self._table is None or not index.isValid():
            return None
        raw = self._table.rows[index.row()].cell(index.column())
        field = self._field(index.column())
        shown, readable = as_read(field, raw)
        if role == Qt.ItemDataRole.DisplayRole:
            return shown
        if role == Qt.ItemDataRole.ToolTipRole and raw:
            if readable:
                return _("In the file: {value}").format(value=raw)
            assert field is not None  # an ignored column is always "readable"
            label = _(self._labels[field])
            return _("Cannot be read as {field}: {value}").format(field=label, value=raw)
        if role == Qt.ItemDataRole.ForegroundRole:
            if field is None:
                return QBrush(QColor(IGNORED_COLOUR))
            if not readable:
                return QBrush(QColor(ERROR_COLOUR))
        if role == Qt.ItemDataRole.TextAlignmentRole and field in AMOUNT_FIELDS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if self._table is None or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        if orientation == Qt.Orientation.Vertical:
            return self._table.rows[section].line if 0 <= section < self.rowCount() else None
        if not 0 <= section < self.columnCount():
            return None
        field = self._field(section)
        target = _(self._labels[field]) if field else _("ignored")
        return f"{self._table.mapping.header[section]}\n→ {target}"


def as_read(field: str | None, raw: str) -> tuple[str, bool]:
    """How the import reads a cell (amounts and dates formatted), and whether it can.

    Slashed dates whose day/month order is not chosen yet are shown as they are.
    """
    if not raw or field is None:
        return raw, True
    try:
        if field in AMOUNT_FIELDS:
            return formatting.money(parse_amount(raw)), True
        if field in DATE_FIELDS:
            return formatting.date(check_year(parse_date(raw))), True
    except AmbiguousDateError:
        return raw, True
    except ValueError:
        return raw, field in PERMISSION_FIELDS and raw.casefold() in YES_NO_WORDS
    return raw, True


# --------------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------------


class WizardStep(QWizardPage):
    """A page of the wizard: its title, its explanation, the wizard it belongs to."""

    def __init__(self, wizard: ImportWizard, title: str, explanation: str) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle(title)
        self.setSubTitle(explanation)

    def show_progress(self, done: int, total: int) -> None:
        """Progress of background work on this page's bar (``self.progress``)."""
        bar: QProgressBar = self.progress  # type: ignore[attr-defined]  # the pages that call this have a progress bar
        bar.setRange(0, max(total, 1))
        bar.setValue(done)


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


class PreviewPage(WizardStep):
    """The first rows as read, and how the file was understood."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(
            wizard,
            _("Preview"),
            _("The first rows as read from the file. Grey columns are not imported."),
        )
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.model = PreviewModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.addWidget(self.facts)
        layout.addWidget(self.view, 1)

    def initializePage(self) -> None:
        table = self.owner.table
        assert table is not None
        self.model.set_table(table, self.owner.labels())
        info = sum(1 for _line, why in table.skipped if why == INFO_LINE)
        footer = sum(1 for _line, why in table.skipped if why == FOOTER_LINE)
        text = ngettext(
            "Encoding {encoding} · delimiter {delimiter} · header row on line {line} · "
            "{rows} data row",
            "Encoding {encoding} · delimiter {delimiter} · header row on line {line} · "
            "{rows} data rows",
            len(table.rows),
        ).format(
            encoding=table.encoding,
            delimiter=delimiter_name(table.delimiter),
            line=table.header_line,
            rows=len(table.rows),
        )
        skipped = [
            ngettext(
                "{count} info line above the header", "{count} info lines above the header", info
            ).format(count=info)
            if info
            else "",
            ngettext("{count} totals line", "{count} totals lines", footer).format(count=footer)
            if footer
            else "",
        ]
        if info or footer:
            text += " · " + _("skipped: {lines}").format(lines=", ".join(p for p in skipped if p))
        self.facts.setText(text)


class MappingPage(WizardStep):
    """Which column feeds which field: pre-filled from the recognition, editable."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(
            wizard,
            _("Columns"),
            _(
                "Which column holds what. Recognised columns are filled in; change "
                "any you like. Your choice is remembered for files like this one."
            ),
        )
        self.boxes: list[QComboBox] = []
        self.problems: list[str] = []
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        holder = QWidget()
        holder.setLayout(self.form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        self.date_order = QComboBox()
        self.date_order.addItem(_("— please choose —"), None)
        self.date_order.addItem(_("day first (01/02/2025 is 1 February)"), DateOrder.DMY)
        self.date_order.addItem(_("month first (01/02/2025 is 2 January)"), DateOrder.MDY)
        self.date_order.currentIndexChanged.connect(self._changed)
        self.date_label = QLabel(_("&Dates such as 01/02/2025:"))
        self.date_label.setBuddy(self.date_order)
        date_row = QHBoxLayout()
        date_row.addWidget(self.date_label)
        date_row.addWidget(self.date_order, 1)
        self.credit_notes = QGroupBox(_("Gutschrift with a positive amount"))
        self.credit_notes.setObjectName("creditNoteQuestion")
        self.credit_text = QLabel()
        self.credit_text.setWordWrap(True)
        self.credit_choice = QButtonGroup(self)
        credit_layout = QVBoxLayout(self.credit_notes)
        credit_layout.addWidget(self.credit_text)
        for choice, text in (
            (CreditNotes.NEGATIVE, _("&Credit notes: they reduce the client's revenue")),
            (CreditNotes.REVENUE, _("&Self-billing invoices my client issued: revenue")),
        ):
            button = QRadioButton(text)
            button.setProperty("choice", choice.value)
            self.credit_choice.addButton(button)
            credit_layout.addWidget(button)
        self.credit_choice.buttonToggled.connect(
            lambda _button, on: self._changed() if on else None
        )
        self.status = QLabel()
        self.status.setObjectName("mappingStatus")
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #b00020; font-weight: bold;")
        self.alike = QLabel()
        self.alike.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.alike)
        layout.addLayout(date_row)
        layout.addWidget(self.credit_notes)
        layout.addWidget(self.status)

    def initializePage(self) -> None:
        table = self.owner.table
        assert table is not None
        while self.form.rowCount():
            self.form.removeRow(0)
        self.boxes = []
        specs = importing.importer_of(table, self.owner.kind).specs
        used = {index: field for field, index in table.mapping.columns.items()}
        seen: set[str] = set()
        alike: list[str] = []
        for index, header in enumerate(table.mapping.header):
            if not header:
                continue
            if header_key(header) in seen:  # a mapping names columns by header: one box each
                alike.append(header)
                continue
            seen.add(header_key(header))
            box = QComboBox()
            box.addItem(_("— do not import —"), IGNORE)
            for spec in specs:
                box.addItem(_(spec.label), spec.key)
            box.setCurrentIndex(max(box.findData(used.get(index, IGNORE)), 0))
            box.setProperty("header", header)
            box.currentIndexChanged.connect(lambda _i, b=box: self._picked(b))
            example = next((row.cell(index) for row in table.rows if row.cell(index)), "")
            if len(example) > EXAMPLE_CHARS:
                example = example[: EXAMPLE_CHARS - 1].rstrip() + "…"
            text = _("{header}  (e.g. {example})").format(header=header, example=example)
            # The label is the combo box's buddy: a "&" in the file's text is no shortcut.
            self.form.addRow((text if example else header).replace("&", "&&"), box)
            self.boxes.append(box)
        self.alike.setText(
            _(
                "Columns with the same name are read as one, so only the first is imported: "
                "{headers}. Rename the others in the file to import them too."
            ).format(headers=", ".join(alike))
        )
        self.alike.setVisible(bool(alike))
        self.date_order.setCurrentIndex(max(self.date_order.findData(self.owner.date_order), 0))
        self.credit_choice.setExclusive(False)
        for button in self.credit_choice.buttons():
            button.setChecked(button.property("choice") == self.owner.credit_notes)
        self.credit_choice.setExclusive(True)
        self._changed()

    def _picked(self, box: QComboBox) -> None:
        """A field feeds from one column: choosing it here frees it elsewhere."""
        field = box.currentData()
        if field != IGNORE:
            for other in self.boxes:
                if other is not box and other.currentData() == field:
                    other.blockSignals(True)
                    other.setCurrentIndex(0)
                    other.blockSignals(False)
        self._changed()

    def mapping(self) -> dict[str, str]:
        """Header text → field key (or ``ignore``), as the boxes say."""
        return {str(box.property("header")): str(box.currentData()) for box in self.boxes}

    def credit_note_choice(self) -> CreditNotes | None:
        """What the user said positive amounts marked Gutschrift are (None: not yet)."""
        button = self.credit_choice.checkedButton()
        return CreditNotes(button.property("choice")) if button is not None else None

    def _changed(self) -> None:
        """Map the table again and say what is still missing (checked once per change)."""
        table = self.owner.apply_mapping(
            self.mapping(), self.date_order.currentData(), self.credit_note_choice()
        )
        problems = [
            _("Still needed: a column for {field}.").format(field=field)
            for field in importing.missing_fields(table, self.owner.kind)
        ]
        try:
            importing.check_date_order(table, self.owner.kind, self.owner.plan_options())
            needs_order = False
        except DateOrderNeeded:
            needs_order = True
            problems.append(_("Choose how to read dates such as 01/02/2025."))
        shown = needs_order or self.date_order.currentData() is not None
        self.date_label.setVisible(shown)
        self.date_order.setVisible(shown)
        marked = importing.credit_note_rows(table, self.owner.kind)
        self.credit_notes.setVisible(bool(marked))
        if marked:
            self.credit_text.setText(credit_note_question(marked))
            if self.credit_note_choice() is None:
                problems.append(_("Choose what the rows marked Gutschrift are."))
        self.status.setText("\n".join(problems))
        self.problems = problems
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.owner.table is not None and not self.problems


PROBLEM_COLUMNS: list[Column[RowProblem]] = [
    Column(N_("Line"), lambda p: str(p.line), lambda p: p.line, numeric=True),
    Column(N_("Column"), lambda p: p.column),
    Column(N_("Reason"), lambda p: p.reason, tooltip=lambda p: p.message()),
]
DUPLICATE_COLUMNS: list[Column[Duplicate]] = [
    Column(N_("Line"), lambda d: str(d.line), lambda d: d.line, numeric=True),
    Column(N_("Client"), lambda d: d.client),
    Column(N_("What"), lambda d: d.what),
    Column(
        N_("Already present"),
        lambda d: (
            _("line {line}").format(line=d.other_line) if d.other_line else _("in the database")
        ),
    ),
]
DECISION_COLUMNS: list[Column[Decision]] = [
    Column(N_("Line"), lambda d: str(d.line), lambda d: d.line, numeric=True),
    Column(N_("Decision"), lambda d: d.label),
    Column(N_("Details"), lambda d: d.detail, tooltip=lambda d: d.message()),
]
NAME_COLUMNS: list[Column[str]] = [Column(N_("Name"), lambda name: name)]
NOTICE_COLUMNS: list[Column[str]] = [Column(N_("Notice"), lambda notice: notice)]
PAIR_COLUMNS: list[Column[tuple[str, str]]] = [
    Column(N_("Name in the file"), lambda pair: pair[0]),
    Column(N_("Similar name"), lambda pair: pair[1]),
]


def credit_note_question(marked: Sequence[Any]) -> str:
    """The question about rows marked Gutschrift with a positive amount: count and examples."""
    examples = "\n".join(row.describe() for row in marked[:CREDIT_NOTE_EXAMPLES])
    if len(marked) > CREDIT_NOTE_EXAMPLES:
        examples += "\n…"
    return (
        ngettext(
            "{count} row is marked Gutschrift, Korrektur or Storno but has a positive amount:",
            "{count} rows are marked Gutschrift, Korrektur or Storno but have positive amounts:",
            len(marked),
        ).format(count=len(marked))
        + "\n"
        + examples
        + "\n"
        + _(
            "A Gutschrift can be a credit note, or a self-billing invoice your client issued "
            "(§ 14 Abs. 2 S. 2 UStG), which is revenue. For this file they are:"
        )
    )


def completed_columns(labels: dict[str, str]) -> list[Column[ClientDraft]]:
    """Columns of the existing clients a client import completes, with the fields it fills in
    (a consent date among them matters); ``labels`` maps field keys to untranslated labels."""
    return [
        Column(N_("Line"), lambda d: str(d.line), lambda d: d.line, numeric=True),
        Column(N_("Client"), lambda d: d.name),
        Column(
            N_("Fills in"),
            lambda d: ", ".join(
                _(labels.get(key, key)) for key in [*d.values, *(["group"] if d.group else [])]
            ),
        ),
    ]


def entry_columns(names: dict[object, str]) -> list[Column[EntryDraft]]:
    """Columns of the entries to add; ``names`` turns a draft's client reference into a name."""
    return [
        Column(N_("Line"), lambda e: str(e.line), lambda e: e.line, numeric=True),
        Column(N_("Client"), lambda e: names.get(e.client, str(e.client))),
        Column(N_("Invoice number"), lambda e: e.invoice_number or ""),
        Column(
            N_("Invoice date"), lambda e: formatting.date(e.invoice_date), lambda e: e.invoice_date
        ),
        Column(
            N_("Net amount"),
            lambda e: formatting.money(from_cents(e.net_cents)),
            lambda e: e.net_cents,
            numeric=True,
        ),
    ]


def table_view(model: QAbstractTableModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return view


class ReportPage(WizardStep):
    """The dry run: what the import will add, skip and refuse; nothing is written yet."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(
            wizard,
            _("Check before importing"),
            _("What the import will do. Nothing has been written yet."),
        )
        self.setCommitPage(True)
        self.progress = QProgressBar()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("planSummary")
        self.tabs = QTabWidget()
        self.names: dict[object, str] = {}
        self.errors = RecordTableModel(PROBLEM_COLUMNS, self)
        self.decisions = RecordTableModel(DECISION_COLUMNS, self)
        self.new_clients = RecordTableModel(NAME_COLUMNS, self)
        self.field_labels: dict[str, str] = {}
        self.completed = RecordTableModel(completed_columns(self.field_labels), self)
        self.groups = RecordTableModel(NAME_COLUMNS, self)
        self.notices = RecordTableModel(NOTICE_COLUMNS, self)
        self.entries = RecordTableModel(entry_columns(self.names), self)
        self.duplicates = RecordTableModel(DUPLICATE_COLUMNS, self)
        self.similar = RecordTableModel(PAIR_COLUMNS, self)
        self.views = {
            model: table_view(model)
            for model in (
                self.errors,
                self.decisions,
                self.notices,
                self.new_clients,
                self.completed,
                self.groups,
                self.entries,
                self.duplicates,
                self.similar,
            )
        }
        self.good_rows_only = QCheckBox(
            _("Import &only the good rows (the rows with errors are left out)")
        )
        self.good_rows_only.toggled.connect(self.completeChanged)
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.good_rows_only)
        self.plan: ImportPlan | None = None
        self.task: Task | None = None
        self.planning = False
        #: Counts dry runs started and left; outcomes of a run the user has left are dropped.
        self.run_number = 0

    def initializePage(self) -> None:
        self.plan = None
        self.tabs.clear()
        self.summary.setText(_("Reading the file …"))
        self.good_rows_only.setChecked(False)
        self.good_rows_only.hide()
        self.progress.setRange(0, 0)
        self.progress.show()
        owner = self.owner
        db, table, kind, options = owner.context.db, owner.table, owner.kind, owner.plan_options()
        assert table is not None

        def work(control: TaskControl) -> ImportPlan:
            return importing.plan_import(
                db, table, kind, options, control.progress, control.cancelled
            )

        self.planning = True
        self.run_number += 1
        task = owner.context.runner.submit(
            work,
            self._if_current(self.show_plan),
            self._if_current(self.failed),
            self._if_current(self.show_progress),
        )
        self.task = task if self.planning else None  # a runner that runs at once is done already

    def _if_current(self, callback: Callable[..., None]) -> Callable[..., None]:
        """``callback`` for the dry run started now, ignored once the user has left it.

        Back cancels a dry run, but its outcome (a plan of the old mapping, or "cancelled")
        may still arrive after the next one started; it must not replace the new one.
        """
        number = self.run_number
        return lambda *args: callback(*args) if number == self.run_number else None

    def failed(self, error: Exception) -> None:
        self.task, self.planning = None, False
        self.progress.hide()
        self.summary.setText(str(error) if isinstance(error, DeskError) else repr(error))
        self.completeChanged.emit()

    def show_plan(self, plan: ImportPlan) -> None:
        self.task, self.planning = None, False
        self.plan = plan
        self.progress.hide()
        summary = plan.summary()
        if not (plan.additions or plan.updates or plan.errors):
            summary += "\n" + _("Nothing new to import: every row is already in your data.")
        self.summary.setText(summary)
        self.names.clear()
        self.names.update(self.owner.client_names())
        self.names.update({name_key(name): name for name in plan.new_clients})
        self.field_labels.clear()
        self.field_labels.update(self.owner.labels())
        completed = [draft for draft in plan.clients if draft.client_id is not None]
        tabs: list[tuple[RecordTableModel[Any], Sequence[Any], str]] = [
            (self.errors, plan.errors, _("Errors ({count})")),
            (self.decisions, plan.decisions, _("Decisions ({count})")),
            (self.notices, plan.notices, _("Please note ({count})")),
            (self.new_clients, plan.new_clients, _("New clients ({count})")),
            (self.completed, completed, _("Clients to complete ({count})")),
            (self.groups, plan.new_groups, _("New groups ({count})")),
            (self.entries, plan.entries, _("Entries to add ({count})")),
            (self.duplicates, plan.duplicates, _("Already present ({count})")),
            (self.similar, plan.likely_duplicates, _("Possibly the same client ({count})")),
        ]
        shown: list[int] = []  # rows of each tab shown
        for model, records, title in tabs:
            model.set_records(records)
            if records or model in (self.new_clients, self.duplicates):
                self.tabs.addTab(self.views[model], title.format(count=len(records)))
                shown.append(model.rowCount())
        self.tabs.setCurrentIndex(next((i for i, rows in enumerate(shown) if rows), 0))
        self.good_rows_only.setVisible(bool(plan.errors))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        if self.plan is None:
            return False
        return not self.plan.errors or self.good_rows_only.isChecked()

    def cleanupPage(self) -> None:
        self.run_number += 1
        if self.task is not None:
            self.task.cancel()
            self.task, self.planning = None, False


class RunPage(WizardStep):
    """The import itself, with progress; cancelling writes nothing."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(
            wizard,
            _("Importing"),
            _("All rows are written in one go: cancelled or failed, nothing is written."),
        )
        self.progress = QProgressBar()
        self.stop = QPushButton(_("&Cancel import"))
        self.stop.clicked.connect(self.cancel)
        self.result_label = QLabel()
        self.result_label.setObjectName("importResult")
        self.result_label.setWordWrap(True)
        self.similar_hint = QLabel(
            _(
                "These names may be one client spelt two ways. Merge them here, or later "
                "with Clients ▸ Merge two clients."
            )
        )
        self.similar_hint.setWordWrap(True)
        self.similar = RecordTableModel(PAIR_COLUMNS, self)
        self.similar_view = table_view(self.similar)
        self.merge_button = QPushButton(_("&Merge the selected pair…"))
        self.merge_button.clicked.connect(self.merge_selected)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(self.progress, 1)
        row.addWidget(self.stop)
        layout.addLayout(row)
        layout.addWidget(self.result_label)
        layout.addWidget(self.similar_hint)
        layout.addWidget(self.similar_view, 1)
        merge_row = QHBoxLayout()
        merge_row.addWidget(self.merge_button)
        merge_row.addStretch(1)
        layout.addLayout(merge_row)
        layout.addStretch(1)
        self.task: Task | None = None
        self.done = False
        self.cancel_requested = False

    def initializePage(self) -> None:
        self.done = False
        self._show_similar([])
        self.result_label.setText(_("Importing …"))
        self.stop.setEnabled(True)
        self.progress.setRange(0, 0)
        owner = self.owner
        db, table, kind, options = owner.context.db, owner.table, owner.kind, owner.plan_options()
        good_rows_only = owner.report.good_rows_only.isChecked()
        assert table is not None
        self.cancel_requested = False

        def work(control: TaskControl) -> importing.ImportResult:
            return importing.run_import(
                db,
                table,
                kind,
                options,
                good_rows_only=good_rows_only,
                progress=control.progress,
                cancelled=lambda: self.cancel_requested or control.cancelled(),
            )

        task = owner.context.runner.submit(work, self.finished, self.failed, self.show_progress)
        self.task = None if self.done else task  # a runner that runs at once has finished it

    def cancel(self) -> None:
        """Stop the import (the flag also reaches a task that runs at once, as in tests)."""
        if not self.done:
            self.cancel_requested = True
            if self.task is not None:
                self.task.cancel()
            self.stop.setEnabled(False)
            self.result_label.setText(_("Cancelling …"))

    def finished(self, result: importing.ImportResult) -> None:
        self._end(_("Done: {summary}").format(summary=result.plan.summary(done=True)))
        self.progress.setValue(self.progress.maximum())
        self._show_similar(result.plan.likely_duplicates)
        self.owner.context.changed()

    def merge_selected(self) -> None:
        """Open the merge dialog for the selected pair (the existing client is kept).

        Afterwards the list keeps only pairs whose two clients both still exist, so that a
        merged pair cannot open the dialog again with some other client filled in.
        """
        rows = self.similar_view.selectionModel().selectedRows()
        if not rows:
            return
        new, other = self.similar.record(rows[0].row())
        ids = {name: client_id for client_id, name in client_names(self.owner.context.db)}
        if new in ids and other in ids:
            MergeClientsDialog(self.owner.context, ids[other], ids[new], self).exec()
            ids = {name: client_id for client_id, name in client_names(self.owner.context.db)}
        self._show_similar(
            [pair for pair in self.similar.records() if pair[0] in ids and pair[1] in ids]
        )

    def _show_similar(self, pairs: list[tuple[str, str]]) -> None:
        """List the likely duplicate pairs to merge (hidden when there are none)."""
        self.similar.set_records(pairs)
        for widget in (self.similar_hint, self.similar_view, self.merge_button):
            widget.setVisible(bool(pairs))
        if pairs:
            self.similar_view.selectRow(0)

    def failed(self, error: Exception) -> None:
        if isinstance(error, ImportCancelled):
            self._end(_("Cancelled. Nothing was imported; your data is as it was."))
        else:
            self._end(_("The import failed, nothing was written: {reason}").format(reason=error))
        self.progress.setRange(0, 1)
        self.progress.setValue(0)

    def _end(self, text: str) -> None:
        self.task = None
        self.done = True
        self.stop.setEnabled(False)
        self.result_label.setText(text)
        self.completeChanged.emit()
        self.owner.after_run()

    def isComplete(self) -> bool:
        return self.done

    def nextId(self) -> int:
        return -1


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
        from ui.dialogs.import_sources import BankPage, EInvoicePage, SourceDonePage

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
