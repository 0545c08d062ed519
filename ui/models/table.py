"""One table model and one filter proxy for every list of records in the app.

Pages describe their columns (title, how to show a record, how to sort it) and hand over a
list of plain records (dataclasses from the services); the model does the Qt bookkeeping.

Lists of ten thousand clients stay quick: each row's texts are made once and kept (for painting
and searching), the model sorts its records itself with keys computed once per sort, and the
proxy only filters, so that typing in the search field never compares rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from freelancer_desk.i18n import _
from freelancer_desk.names import collation_key

R = TypeVar("R")

#: The raw value a column sorts by (numbers as numbers, dates as dates).
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
#: The whole record of a row.
RECORD_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex

_DIGITS = re.compile(r"(\d+)")


def sort_value(value: Any) -> tuple[Any, ...]:
    """A key that orders a column's raw values: empty first, then texts, then everything else.

    Texts sort as a German reader expects (``names.collation_key``: Bäckerei next to
    Backstube, Ø near O) and numbers inside them by value (Kunde 2 before Kunde 10).
    """
    if value is None:
        return (0,)
    if isinstance(value, str):
        parts: list[Any] = _DIGITS.split(collation_key(value))
        parts[1::2] = [int(digits) for digits in parts[1::2]]
        return (1, *parts)
    return (2, value)


@dataclass(frozen=True)
class Column(Generic[R]):
    """How one column shows and sorts a record. ``title`` is untranslated (``N_``)."""

    title: str
    display: Callable[[R], str]
    sort_key: Callable[[R], Any] | None = None
    numeric: bool = False
    tooltip: Callable[[R], str] | None = None
    foreground: Callable[[R], str | None] | None = None
    background: Callable[[R], str | None] | None = None


@dataclass(frozen=True)
class SortedRecords(Generic[R]):
    """Records with their order under a model's sort, worked out off the GUI thread
    (``RecordTableModel.presort``)."""

    records: list[R]
    sort: tuple[int, Qt.SortOrder] | None
    #: Positions in ``records`` in the order shown.
    positions: list[int]

    def __len__(self) -> int:
        return len(self.records)


class RecordTableModel(QAbstractTableModel, Generic[R]):
    """Rows of records, columns as described; read-only (editing happens in dialogs)."""

    def __init__(self, columns: Sequence[Column[R]], parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._records: list[R] = []
        #: The records in the order they were given; sorting starts from it (ties keep it).
        self._given: list[R] = []
        #: For each row, the position of its record in ``_given``.
        self._positions: list[int] = []
        #: Each row's shown texts, made on first use.
        self._texts: list[list[str] | None] = []
        #: Each row's texts joined and case-folded for searching, made on first use.
        self._haystacks: list[str | None] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None

    def presort(self, records: Sequence[R]) -> SortedRecords[R]:
        """``records`` with their order under the current sort, for ``set_records``.

        Touches nothing of Qt, so a page's background load calls it: sorting 40,000 revenue
        entries by date would otherwise hold the GUI thread. Should the user sort by another
        column meanwhile, ``set_records`` sorts again.
        """
        given, sort = list(records), self._sort
        return SortedRecords(given, sort, self._positions_for(given, sort))

    def set_records(self, records: Sequence[R] | SortedRecords[R]) -> None:
        """Replace all rows (a reset: lists are rebuilt from the services after a change).

        The rows keep the column order the user sorted by last.
        """
        self.beginResetModel()
        if isinstance(records, SortedRecords):
            self._given = records.records
            self._positions = (
                records.positions
                if records.sort == self._sort
                else self._positions_for(self._given, self._sort)
            )
        else:
            self._given = list(records)
            self._positions = self._positions_for(self._given, self._sort)
        self._records = [self._given[position] for position in self._positions]
        self._texts = [None] * len(self._records)
        self._haystacks = [None] * len(self._records)
        self.endResetModel()

    def _positions_for(self, given: list[R], sort: tuple[int, Qt.SortOrder] | None) -> list[int]:
        """Positions in ``given`` in the order of ``sort`` (ties keep the given order)."""
        positions = list(range(len(given)))
        if sort is None:
            return positions
        column_number, order = sort
        column = self._columns[column_number]
        raw = column.sort_key or column.display
        keys = [sort_value(raw(record)) for record in given]
        return sorted(
            positions, key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the records by a column's raw values (``sort_value``), keeping selections."""
        if not 0 <= column < len(self._columns):
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        row_of = {position: row for row, position in enumerate(self._positions)}
        self._positions = self._positions_for(self._given, self._sort)
        old_rows = [row_of[position] for position in self._positions]
        self._records = [self._records[row] for row in old_rows]
        self._texts = [self._texts[row] for row in old_rows]
        self._haystacks = [self._haystacks[row] for row in old_rows]
        new_row = {old: new for new, old in enumerate(old_rows)}
        persistent = self.persistentIndexList()
        self.changePersistentIndexList(
            persistent, [self.index(new_row[index.row()], index.column()) for index in persistent]
        )
        self.layoutChanged.emit()

    def texts(self, row: int) -> list[str]:
        """The shown text of every column of a row."""
        texts = self._texts[row]
        if texts is None:
            record = self._records[row]
            texts = self._texts[row] = [column.display(record) for column in self._columns]
        return texts

    def haystack(self, row: int) -> str:
        """A row's texts as one case-folded string, for searching."""
        haystack = self._haystacks[row]
        if haystack is None:
            haystack = self._haystacks[row] = " ".join(self.texts(row)).casefold()
        return haystack

    def record(self, row: int) -> R:
        return self._records[row]

    def records(self) -> list[R]:
        return list(self._records)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        record = self._records[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.texts(index.row())[index.column()]
        if role == SORT_ROLE:
            return column.sort_key(record) if column.sort_key else column.display(record)
        if role == RECORD_ROLE:
            return record
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (
                Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft
            )
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip:
            return column.tooltip(record) or None
        if role == Qt.ItemDataRole.ForegroundRole and column.foreground:
            colour = column.foreground(record)
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.BackgroundRole and column.background:
            colour = column.background(record)
            return QBrush(QColor(colour)) if colour else None
        return None

    def headerData(
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
    """Filters a ``RecordTableModel`` by words (all must match) and an optional rule.

    Sorting is handed to the model, which orders its records once per click; the proxy keeps
    the model's order. A keystroke decides every row in one pass in Python (the rows' texts
    are kept by the model), so that Qt's question per row is a lookup: with 10,000 clients the
    calls from Qt, not the matching, were most of the time.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []
        self._accept: Callable[[Any], bool] | None = None
        #: Whether each row of the model passes, worked out on the first question after a
        #: change (of the words, the rule, or the model's rows or their order).
        self._passes: list[bool] | None = None

    def setSourceModel(self, model: Any) -> None:
        """Forget the decided rows before the model changes its rows or their order (Qt asks
        again right after)."""
        old = self.sourceModel()
        if old is not None:
            old.modelAboutToBeReset.disconnect(self._forget)
            old.layoutAboutToBeChanged.disconnect(self._forget)
        self._passes = None
        if model is not None:
            model.modelAboutToBeReset.connect(self._forget)
            model.layoutAboutToBeChanged.connect(self._forget)
        super().setSourceModel(model)

    def _forget(self, *_args: object) -> None:
        self._passes = None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the model's records (the header's sort indicator is the view's)."""
        self.sourceModel().sort(column, order)

    def set_search(self, text: str) -> None:
        """Rows whose shown text contains every word, ignoring case."""
        words = text.casefold().split()
        if words != self._words:
            with self._changing_filter():
                self._words = words

    def set_rule(self, accept: Callable[[Any], bool] | None) -> None:
        """An extra condition on the record (e.g. the status filter); None for all rows."""
        with self._changing_filter():
            self._accept = accept

    @contextmanager
    def _changing_filter(self) -> Iterator[None]:
        """Change the filter inside; then Qt asks about the rows again (rows only: the columns
        and the order stay)."""
        self.beginFilterChange()
        yield
        self._passes = None
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def _decide(self, model: RecordTableModel[Any]) -> list[bool]:
        """Whether each row of ``model`` passes the rule and contains every word."""
        accept, words, count = self._accept, self._words, model.rowCount()
        rows = range(count)
        if accept is not None:
            passes = [accept(model.record(row)) for row in rows]
        else:
            passes = [True] * count
        if words:
            passes = [
                ok and all(word in model.haystack(row) for word in words)
                for row, ok in zip(rows, passes, strict=True)
            ]
        return passes

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        passes = self._passes
        if passes is None or len(passes) <= source_row:
            model: RecordTableModel[Any] = self.sourceModel()  # type: ignore[assignment]  # this proxy only ever filters a RecordTableModel
            passes = self._passes = self._decide(model)
        return passes[source_row]
