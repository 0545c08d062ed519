"""The preview page: the first rows as the import will read them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
)

from freelancer_desk import formatting
from freelancer_desk.i18n import _, ngettext
from freelancer_desk.importers.clients import CLIENT_DATES, PERMISSION_FIELDS, YES_NO_WORDS
from freelancer_desk.importers.revenue import AMOUNT_FIELDS as REVENUE_AMOUNTS
from freelancer_desk.importers.revenue import REVENUE_DATES
from freelancer_desk.importers.table import FOOTER_LINE, INFO_LINE, Table, delimiter_name
from freelancer_desk.importers.values import AmbiguousDateError, check_year, parse_date
from freelancer_desk.money import parse_amount
from ui.column_fit import ColumnFitter, short_floor
from ui.dialogs.import_wizard.step import WizardStep

if TYPE_CHECKING:
    from ui.dialogs.import_wizard.wizard import ImportWizard


#: Rows shown in the preview.
PREVIEW_ROWS = 50
#: Muted colour of columns the import ignores; red of values it cannot read.
IGNORED_COLOUR = "#8a8a8a"
ERROR_COLOUR = "#b00020"
AMOUNT_FIELDS = frozenset({*REVENUE_AMOUNTS, "amount"})
DATE_FIELDS = frozenset({*REVENUE_DATES, *CLIENT_DATES})
#: Columns shown whole however narrow the table: a cut amount or date misleads.
WHOLE_FIELDS = AMOUNT_FIELDS | DATE_FIELDS

Index = QModelIndex | QPersistentModelIndex


class PreviewModel(QAbstractTableModel):
    """The first rows of the file as split into columns; headers say which field each feeds."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._table: Table | None = None
        self._labels: dict[str, str] = {}
        #: Each cell as read (see ``_cell``), made on first use.
        self._cells: dict[tuple[int, int], tuple[str, str | None, str, bool]] = {}

    def set_table(self, table: Table, labels: dict[str, str]) -> None:
        self.beginResetModel()
        self._table = table
        self._labels = labels
        self._cells = {}
        self.endResetModel()

    def _cell(self, row: int, column: int) -> tuple[str, str | None, str, bool]:
        """A cell's text in the file, the field it feeds, how it reads and whether it can be
        read; kept, because Qt asks each cell for many roles when it sizes the columns to their
        contents and paints them, and reading dates and amounts is not free."""
        cell = self._cells.get((row, column))
        if cell is None:
            assert self._table is not None
            raw = self._table.rows[row].cell(column)
            field = self.field(column)
            cell = self._cells[row, column] = (raw, field, *as_read(field, raw))
        return cell

    def field(self, column: int) -> str | None:
        """The field a column feeds (None: the column is ignored)."""
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
        raw, field, shown, readable = self._cell(index.row(), index.column())
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
        field = self.field(section)
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
        # A long cell is cut with "…" (its tooltip holds all of it) instead of wrapping into
        # a row too low for a second line.
        self.view.setWordWrap(False)
        # Sized to the rows once they are shown (``initializePage``): a header that resizes to
        # its contents measures every cell again whenever the view lays out.
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        #: Fits the columns into the view's width until the user sizes them (as every list).
        self.fitter = ColumnFitter(self.view)
        layout = QVBoxLayout(self)
        layout.addWidget(self.facts)
        layout.addWidget(self.view, 1)

    def initializePage(self) -> None:
        table = self.owner.table
        assert table is not None
        self.model.set_table(table, self.owner.labels())
        self._fit_columns()
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
            rows=formatting.number(len(table.rows), digits=0),  # "100.000" in German
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

    def _fit_columns(self) -> None:
        """Columns as wide as what they show, then the widest narrowed until all fit the
        width (``ColumnFitter``): a usual invoice list of five to seven columns needs no
        sideways scrolling. Amounts and dates stay whole, and so do headings and short texts;
        a long text is cut with "…" and shown whole in its tooltip."""
        self.fitter.fitting = True
        try:
            self.view.resizeColumnsToContents()
        finally:
            self.fitter.fitting = False
        header = self.view.horizontalHeader()
        natural = {c: self.view.columnWidth(c) for c in range(self.model.columnCount())}
        floors = {
            column: max(
                header.sectionSizeHint(column),
                width if self.model.field(column) in WHOLE_FIELDS else short_floor(width),
            )
            for column, width in natural.items()
        }
        self.fitter.fit(natural, floors)
