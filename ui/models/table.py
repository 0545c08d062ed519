"""One table model and one filter proxy for every list of records in the app.

Pages describe their columns (title, how to show a record, how to sort it) and hand over a
list of plain records (dataclasses from the services); the model does the Qt bookkeeping.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCollator,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from freelancer_desk.i18n import _

R = TypeVar("R")

#: The raw value a column sorts by (numbers as numbers, dates as dates).
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
#: The whole record of a row.
RECORD_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[R]):
    """How one column shows and sorts a record. ``title`` is untranslated (``N_``)."""

    title: str
    display: Callable[[R], str]
    sort_key: Callable[[R], Any] | None = None
    numeric: bool = False
    tooltip: Callable[[R], str] | None = None
    foreground: Callable[[R], str | None] | None = None


class RecordTableModel(QAbstractTableModel, Generic[R]):
    """Rows of records, columns as described; read-only (editing happens in dialogs)."""

    def __init__(self, columns: Sequence[Column[R]], parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._records: list[R] = []

    def set_records(self, records: Sequence[R]) -> None:
        """Replace all rows (a reset: lists are rebuilt from the services after a change)."""
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def record(self, row: int) -> R:
        return self._records[row]

    def records(self) -> list[R]:
        return list(self._records)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        record = self._records[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.display(record)
        if role == SORT_ROLE:
            return column.sort_key(record) if column.sort_key else column.display(record)
        if role == RECORD_ROLE:
            return record
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip:
            return column.tooltip(record) or None
        if role == Qt.ItemDataRole.ForegroundRole and column.foreground:
            colour = column.foreground(record)
            return QBrush(QColor(colour)) if colour else None
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            return _(self._columns[section].title)
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return None


class RecordFilterProxy(QSortFilterProxyModel):
    """Sorts by the raw values and filters by words (all must match) and an optional rule."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []
        self._accept: Callable[[Any], bool] | None = None
        self.setSortRole(SORT_ROLE)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        # Names sort as a German reader expects: Bäckerei next to Backstube, Ø near O.
        self._collator = QCollator(QLocale())
        self._collator.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._collator.setNumericMode(True)

    def set_search(self, text: str) -> None:
        """Rows whose shown text contains every word, ignoring case."""
        self.beginFilterChange()
        self._words = text.casefold().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_rule(self, accept: Callable[[Any], bool] | None) -> None:
        """An extra condition on the record (e.g. the status filter); None for all rows."""
        self.beginFilterChange()
        self._accept = accept
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        model = self.sourceModel()
        if self._accept is not None:
            record = model.data(model.index(source_row, 0, source_parent), RECORD_ROLE)
            if not self._accept(record):
                return False
        if not self._words:
            return True
        text = " ".join(
            str(model.data(model.index(source_row, column, source_parent)) or "")
            for column in range(model.columnCount(source_parent))
        ).casefold()
        return all(word in text for word in self._words)

    def lessThan(self, left: Index, right: Index) -> bool:  # noqa: N802
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if a is None or b is None:  # empty values sort first
            return a is None and b is not None
        if isinstance(a, str) and isinstance(b, str):
            return self._collator.compare(a, b) < 0
        try:
            return bool(a < b)
        except TypeError:
            return str(a) < str(b)
