"""One table model and one filter proxy for every list of records in the app.

Pages describe their columns (title, how to show a record, how to sort it) and hand over a
list of plain records (dataclasses from the services); the model does the Qt bookkeeping.

Lists of ten thousand clients stay quick: each row's searchable text is folded once when the
rows arrive (off the GUI thread when a page loads through ``presort``), the model sorts its
records itself with keys computed once per sort, and the proxy only filters: a keystroke
matches plain Python strings and hands the view one change, never a call from Qt per row.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QAbstractTableModel,
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QObject,
    QPersistentModelIndex,
    Qt,
    SignalInstance,
)
from PySide6.QtGui import QBrush, QColor

from freelancer_desk.collector import many_records
from freelancer_desk.i18n import _
from freelancer_desk.names import collation_key

R = TypeVar("R")

#: The raw value a column sorts by (numbers as numbers, dates as dates).
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
#: The whole record of a row.
RECORD_ROLE = Qt.ItemDataRole.UserRole + 2
#: Rows whose texts are made with the rows (on the worker, by ``presort``): more than a window
#: shows, and the rows ``RecordList`` measures for its columns' widths.
FIRST_TEXTS = 200

Index = QModelIndex | QPersistentModelIndex
#: What a painted cell shows: text, aligned right, text brush, background brush.
Painted = tuple[str, bool, QBrush | None, QBrush | None]

# The roles a painted cell is asked for, as plain numbers (quicker to compare than enums).
_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole.value
_FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
_BACKGROUND = Qt.ItemDataRole.BackgroundRole.value
_TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
_LEFT = (Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter).value
_RIGHT = (Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value
_ANSWERED = frozenset(
    (_DISPLAY, _ALIGNMENT, _FOREGROUND, _BACKGROUND, _TOOLTIP, SORT_ROLE, RECORD_ROLE)
)
# The roles Qt's item delegate asks each cell it paints for, in its order (font, alignment,
# colour, check box, icon, text, background: ``QStyledItemDelegate::initStyleOption``), and
# where each of them is.
_PAINTED = (
    Qt.ItemDataRole.FontRole.value,
    _ALIGNMENT,
    _FOREGROUND,
    Qt.ItemDataRole.CheckStateRole.value,
    Qt.ItemDataRole.DecorationRole.value,
    _DISPLAY,
    _BACKGROUND,
)
_PAINTED_AT = {role: place for place, role in enumerate(_PAINTED)}
# What a cell allows (as a QAbstractTableModel's cells): made once, an enum's "|" is slow.
_CELL_FLAGS = (
    Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
)
_NO_FLAGS = Qt.ItemFlag.NoItemFlags


def folded(text: str) -> str:
    """``text`` case-folded, as the searched texts are kept: its UTF-8 bytes, each read as
    one character (Latin-1). A word is part of a text exactly when its folded form is part of
    the text's, and every folded text is kept at one byte a character: Python keeps a string
    with one character beyond Latin-1 (an amount's "€") at two bytes a character, and the
    texts of 50,000 revenue entries took 10 MB instead of 7 (searching them is as quick)."""
    return text.casefold().encode("utf-8", "surrogatepass").decode("latin-1")


@cache
def _brush(colour: str | None) -> QBrush | None:
    """The brush of a cell's colour (None: the view's own)."""
    return QBrush(QColor(colour)) if colour else None


def _rows_only(signal: SignalInstance) -> None:
    """Emit a layout signal that says only rows move or vanish: the column header then keeps
    its sections and does not measure its headings again."""
    hinted = signal["QList<QPersistentModelIndex>", "QAbstractItemModel::LayoutChangeHint"]  # type: ignore[index]  # PySide6 picks a signal's overload by its signature
    hinted.emit([], QAbstractItemModel.LayoutChangeHint.VerticalSortHint)


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
    #: The records in the order shown.
    shown: list[R]
    #: Each shown record's texts joined and case-folded (``folded``), in the order shown
    #: (None: folded on the first search).
    haystacks: list[str] | None
    #: Each shown row's texts, made for the first rows only (the ones painted and measured
    #: first); None for the others, made when first asked for.
    texts: list[list[str] | None]

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
        #: Each row's texts joined and case-folded for searching (``folded``): made with the
        #: rows by ``presort`` (off the GUI thread), else on the first search.
        self._haystacks: list[str] | None = []
        self._sort: tuple[int, Qt.SortOrder] | None = None
        #: Columns the search leaves out: the ones not shown (a search that finds a row by a
        #: text the user cannot see looks wrong).
        self._unsearched: frozenset[int] = frozenset()

    def presort(self, records: Sequence[R]) -> SortedRecords[R]:
        """``records`` with their order under the current sort and their searchable texts,
        for ``set_records``.

        Touches nothing of Qt, so a page's background load calls it: sorting 40,000 revenue
        entries by date and formatting their texts would otherwise hold the GUI thread. Should
        the user sort by another column meanwhile, ``set_records`` sorts again. The cycle
        collector waits meanwhile (``many_records``): a full pass holds the GIL, and so the
        GUI thread, for 100 ms and more.
        """
        with many_records():
            return self._sorted(records, prepare=True)

    def _sorted(self, records: Sequence[R], prepare: bool) -> SortedRecords[R]:
        given, sort = list(records), self._sort
        return self._arranged(given, sort, self._positions_for(given, sort), prepare)

    def _arranged(
        self,
        given: list[R],
        sort: tuple[int, Qt.SortOrder] | None,
        positions: list[int],
        prepare: bool,
    ) -> SortedRecords[R]:
        """``given`` put in the order of ``positions``; when ``prepare`` (off the GUI thread),
        also the first rows' texts and every row folded for searching. Every step that goes
        through each row in Python happens here, so ``set_records`` only swaps lists."""
        shown = [given[position] for position in positions]
        texts: list[list[str] | None] = [None] * len(shown)
        if not prepare:
            return SortedRecords(given, sort, positions, shown, None, texts)
        for row, record in enumerate(shown[:FIRST_TEXTS]):
            texts[row] = [column.display(record) for column in self._columns]
        haystacks = self._fold(shown, texts)
        return SortedRecords(given, sort, positions, shown, haystacks, texts)

    def _fold(self, records: list[R], made: Sequence[list[str] | None]) -> list[str]:
        """Each record's shown texts as one case-folded text (``folded``), for searching (the
        texts already ``made`` for a record, if any, are not made again)."""
        searched = [n for n in range(len(self._columns)) if n not in self._unsearched]
        columns = [self._columns[n].display for n in searched]
        return [
            folded(
                " ".join(
                    [texts[n] for n in searched] if texts else [show(record) for show in columns]
                )
            )
            for record, texts in zip(records, made, strict=True)
        ]

    def set_unsearched(self, columns: Iterable[int]) -> None:
        """Leave these columns (the hidden ones) out of the search from now on."""
        unsearched = frozenset(columns)
        if unsearched != self._unsearched:
            self._unsearched = unsearched
            self._haystacks = None  # folded again on the next search

    def searched_headings(self) -> list[str]:
        """The headings of the columns the search looks in, in the current language."""
        return [
            _(column.title) for n, column in enumerate(self._columns) if n not in self._unsearched
        ]

    def set_records(self, records: Sequence[R] | SortedRecords[R]) -> list[list[Any]]:
        """Replace all rows (a reset: lists are rebuilt from the services after a change) and
        return the model's lists it let go of, which nothing else holds: freeing 100,000
        records takes the GUI thread 50 ms, so ``RecordList`` has them emptied on the worker.

        The rows keep the column order the user sorted by last. Records not from ``presort``
        are sorted here and folded for searching on the first search (a wizard's preview of
        100,000 rows may never be searched). The model takes over the lists of ``records``.
        """
        if not isinstance(records, SortedRecords):
            records = self._sorted(records, prepare=False)
        elif records.sort != self._sort:  # the user sorted by another column meanwhile
            given = records.records
            records = self._arranged(
                given,
                self._sort,
                self._positions_for(given, self._sort),
                prepare=records.haystacks is not None,
            )
        old: list[list[Any]] = [
            self._given,
            self._positions,
            self._records,
            self._texts,
            self._haystacks or [],
        ]
        self.beginResetModel()
        self._given = records.records
        self._positions = records.positions
        self._records = records.shown
        self._texts = records.texts
        self._haystacks = records.haystacks
        self.endResetModel()
        kept = {id(self._given), id(self._positions), id(self._records), id(self._texts)}
        kept.add(id(self._haystacks))
        return [items for items in old if id(items) not in kept]  # the same records set again

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
        _rows_only(self.layoutAboutToBeChanged)
        row_of = {position: row for row, position in enumerate(self._positions)}
        self._positions = self._positions_for(self._given, self._sort)
        old_rows = [row_of[position] for position in self._positions]
        self._records = [self._records[row] for row in old_rows]
        self._texts = [self._texts[row] for row in old_rows]
        if self._haystacks is not None:
            self._haystacks = [self._haystacks[row] for row in old_rows]
        new_row = {old: new for new, old in enumerate(old_rows)}
        persistent = self.persistentIndexList()
        self.changePersistentIndexList(
            persistent, [self.index(new_row[index.row()], index.column()) for index in persistent]
        )
        _rows_only(self.layoutChanged)

    def texts(self, row: int) -> list[str]:
        """The shown text of every column of a row."""
        texts = self._texts[row]
        if texts is None:
            record = self._records[row]
            texts = self._texts[row] = [column.display(record) for column in self._columns]
        return texts

    def haystacks(self) -> list[str]:
        """Each row's texts as one case-folded text (``folded``), for searching, in the
        order shown."""
        if self._haystacks is None:
            self._haystacks = self._fold(self._records, self._texts)
        return self._haystacks

    def record(self, row: int) -> R:
        return self._records[row]

    def records_at(self, rows: Iterable[int]) -> Iterator[R]:
        """The records of these rows, looked up without a call in Python per row."""
        return map(self._records.__getitem__, rows)

    def records(self) -> list[R]:
        return list(self._records)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        return self.cell(index.row(), index.column(), role)

    def cell(self, row: int, column_number: int, role: int) -> Any:
        """What a cell shows for ``role`` (``data`` without a ``QModelIndex``, for the proxy).

        Painting asks every shown cell for seven roles on each repaint, so the roles are
        compared as plain numbers and the colours' brushes are made once.
        """
        if not 0 <= row < len(self._records) or not 0 <= column_number < len(self._columns):
            return None
        column = self._columns[column_number]
        if role == _DISPLAY:
            return self.texts(row)[column_number]
        if role == _ALIGNMENT:
            return _RIGHT if column.numeric else _LEFT
        record = self._records[row]
        if role == _FOREGROUND and column.foreground:
            return _brush(column.foreground(record))
        if role == _BACKGROUND and column.background:
            return _brush(column.background(record))
        if role == _TOOLTIP and column.tooltip:
            return column.tooltip(record) or None
        if role == SORT_ROLE:
            return column.sort_key(record) if column.sort_key else column.display(record)
        if role == RECORD_ROLE:
            return record
        return None

    def fill(
        self, row: int, column_number: int, roles: QModelRoleDataSpan | QModelRoleData
    ) -> None:
        """Every role a painted cell asks for, in one call from Qt (``multiData``).

        Each item of ``roles`` looked at costs a Python object: a cell painted by Qt's item
        delegate (its seven roles, ``_PAINTED``) has its text, alignment and colours set in
        their places and the other roles are not looked at. The delegate keeps its items from
        cell to cell, so every role answered is set, to ``None`` when the cell has nothing;
        the roles never answered (font, check box, icon) stay empty.
        """
        span: Sequence[QModelRoleData] = roles  # type: ignore[assignment]  # PySide6 indexes a span
        if (
            isinstance(roles, QModelRoleDataSpan)
            and len(span) == len(_PAINTED)
            and span[0].role() == _PAINTED[0]
            and (text := span[_PAINTED_AT[_DISPLAY]]).role() == _DISPLAY
        ):
            shown, numeric, foreground, background = self.painted(row, column_number)
            text.setData(shown)
            span[_PAINTED_AT[_ALIGNMENT]].setData(_RIGHT if numeric else _LEFT)
            span[_PAINTED_AT[_FOREGROUND]].setData(foreground)
            span[_PAINTED_AT[_BACKGROUND]].setData(background)
            return
        for item in [roles] if isinstance(roles, QModelRoleData) else span:
            role = item.role()
            if role in _ANSWERED:
                item.setData(self.cell(row, column_number, role))

    def painted(self, row: int, column_number: int) -> Painted:
        """What a cell shows when painted: its text, whether it is aligned right, and the
        brushes of its text and background (None: the view's own)."""
        column = self._columns[column_number]
        record = self._records[row]
        return (
            self.texts(row)[column_number],
            column.numeric,
            _brush(column.foreground(record)) if column.foreground else None,
            _brush(column.background(record)) if column.background else None,
        )

    def multiData(self, index: Index, roles: QModelRoleDataSpan | QModelRoleData) -> None:
        if index.isValid():
            self.fill(index.row(), index.column(), roles)

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


class RecordFilterProxy(QAbstractProxyModel):
    """Filters a ``RecordTableModel`` by words (all must match) and an optional rule.

    Sorting is handed to the model, which orders its records once per click; the proxy keeps
    the model's order. A change of the filter decides every row in one pass over the model's
    folded texts and tells the view once (a layout change that keeps the selection of the rows
    still shown): Qt's ``QSortFilterProxyModel`` asked Python about each row, which with
    10,000 clients cost most of a keystroke. The rule is asked once per record until the rule
    or the records change, and a word typed on is looked for among the rows shown only.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        #: The model filtered (kept here too: ``sourceModel()`` is a call into Qt).
        self._model: RecordTableModel[Any] | None = None
        self._words: list[str] = []
        self._accept: Callable[[Any], bool] | None = None
        #: The model's rows that pass the rule, asked once per rule and records (None: not
        #: yet asked, or no rule).
        self._ruled: list[int] | None = None
        #: The model's row of each row shown, in the model's order (a range while every row is
        #: shown): ``mapFromSource`` finds a row by bisection.
        self._rows: Sequence[int] = range(0)
        #: The model's number of columns (asked for with every cell painted).
        self._column_count = 0
        #: Indexes kept across a layout change: ours, and the model's they stand for.
        self._kept: list[tuple[QModelIndex, QPersistentModelIndex]] = []

    def setSourceModel(self, model: Any) -> None:
        """Follow the model's resets (new records) and layout changes (a new sort)."""
        old = self._model
        signals = (
            ("modelAboutToBeReset", self.beginResetModel),
            ("modelReset", self._model_reset),
            ("layoutAboutToBeChanged", self._begin_layout_change),
            ("layoutChanged", self._end_layout_change),
            ("dataChanged", self._data_changed),
        )
        if old is not None:
            for name, slot in signals:
                getattr(old, name).disconnect(slot)
        self.beginResetModel()
        super().setSourceModel(model)
        self._model = model
        self._column_count = model.columnCount() if model is not None else 0
        if model is not None:
            for name, slot in signals:
                getattr(model, name).connect(slot)
        self._refilter()
        self.endResetModel()

    def _model_reset(self) -> None:
        self._refilter()
        self.endResetModel()

    def _begin_layout_change(self, *_args: object) -> None:
        """Rows are about to move or vanish: note which of the model's rows ours stand for."""
        _rows_only(self.layoutAboutToBeChanged)
        self._kept = [
            (index, QPersistentModelIndex(self.mapToSource(index)))
            for index in self.persistentIndexList()
        ]

    def _end_layout_change(self, *_args: object, decided: bool = False) -> None:
        """Rows are decided anew (unless ``decided`` already); kept indexes follow their rows
        (invalid when filtered out)."""
        if not decided:
            self._refilter()
        kept, self._kept = self._kept, []
        self.changePersistentIndexList(
            [ours for ours, _theirs in kept],
            [self.mapFromSource(theirs) for _ours, theirs in kept],
        )
        _rows_only(self.layoutChanged)

    def _data_changed(
        self, top_left: QModelIndex, bottom_right: QModelIndex, *_args: object
    ) -> None:
        """Repaint the rows shown (the model's texts change only by a reset: no refiltering)."""
        if self._rows:
            self.dataChanged.emit(
                self.index(0, top_left.column()),
                self.index(len(self._rows) - 1, bottom_right.column()),
            )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the model's records (the header's sort indicator is the view's)."""
        if self._model is not None:
            self._model.sort(column, order)

    def set_search(self, text: str) -> None:
        """Rows whose shown text contains every word, ignoring case."""
        words = text.casefold().split()
        if words != self._words:
            # Rows with every new word have every old one when each old word is part of a
            # new one (typing on: "mü" → "mül"): only the rows shown are searched then.
            narrowing = all(any(old in new for new in words) for old in self._words)
            within = self._rows if narrowing else None
            with self._changing_filter(within):
                self._words = words

    def search_again(self) -> None:
        """The texts searched changed (a column was hidden or shown): decide the rows anew."""
        with self._changing_filter():
            pass

    def set_rule(self, accept: Callable[[Any], bool] | None) -> None:
        """An extra condition on the record (e.g. the status filter); None for all rows."""
        with self._changing_filter():
            self._accept = accept
            self._ruled = None

    @contextmanager
    def _changing_filter(self, within: Sequence[int] | None = None) -> Iterator[None]:
        """Change the filter inside; the rows are then decided again (among ``within`` only,
        when given: the rows the new filter can pass), and when others pass than before, the
        view hears of it in one layout change (typing on within the same hits repaints
        nothing)."""
        yield
        rows = self._passing(within)
        if rows != self._rows:
            self._begin_layout_change()
            self._rows = rows
            self._end_layout_change(decided=True)

    def _refilter(self) -> None:
        """Decide which of the model's rows are shown (its records or their order changed)."""
        self._ruled = None
        self._rows = self._passing()

    def _passing(self, within: Sequence[int] | None = None) -> Sequence[int]:
        """The model's rows that pass the rule and contain every word, in the model's order
        (a range when nothing filters: 100,000 new rows cost no pass in Python); only rows
        ``within`` are looked at when given."""
        model = self._model
        if model is None:
            return range(0)
        if within is None:
            accept = self._accept
            within = range(model.rowCount()) if accept is None else self._rule_rows(accept)
        rows = within
        if self._words:
            haystacks = model.haystacks()
            for word in map(folded, self._words):
                rows = [row for row in rows if word in haystacks[row]]
        return rows

    def _rule_rows(self, accept: Callable[[Any], bool]) -> list[int]:
        """The model's rows whose record passes the rule ``accept`` (asked once per rule and
        records)."""
        if self._ruled is None:
            records = self._model.records() if self._model is not None else []
            self._ruled = [row for row, record in enumerate(records) if accept(record)]
        return self._ruled

    def searched_records(self) -> Iterator[Any]:
        """The records that contain every word searched for, whether the rule shows them or
        not (a page's tabs count what the search finds in each)."""
        model = self._model
        if model is None:
            return iter(())
        rows: Sequence[int] = range(model.rowCount())
        if self._words:
            haystacks = model.haystacks()
            words = [folded(word) for word in self._words]
            rows = [row for row in rows if all(word in haystacks[row] for word in words)]
        return model.records_at(rows)

    def shown_records(self) -> Iterator[Any]:
        """The records of the shown rows, in the order shown (no call through Qt or Python
        per row: a footer sums 100,000 of them on a keystroke)."""
        model = self._model
        return iter(()) if model is None else model.records_at(self._rows)

    def mapToSource(self, proxy_index: Index) -> QModelIndex:
        row = proxy_index.row()  # -1 when invalid
        if self._model is None or not 0 <= row < len(self._rows):
            return QModelIndex()
        return self._model.index(self._rows[row], proxy_index.column())

    def mapFromSource(self, source_index: Index) -> QModelIndex:
        row, rows = source_index.row(), self._rows  # -1 when invalid
        shown = bisect_left(rows, row) if row >= 0 else len(rows)
        if shown == len(rows) or rows[shown] != row:
            return QModelIndex()  # invalid, or filtered out
        return self.createIndex(shown, source_index.column())

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if (
            not 0 <= row < len(self._rows)
            or not 0 <= column < self._column_count
            or parent.isValid()
        ):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, child: Index | None = None) -> Any:
        """No row has a parent (as a model); as a ``QObject``, the owner."""
        if child is None:
            return QObject.parent(self)
        return QModelIndex()

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Every cell can be selected (asked for each cell painted: answered without asking
        the model through Qt)."""
        return _CELL_FLAGS if index.isValid() else _NO_FLAGS

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._column_count

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()  # -1 when invalid
        if self._model is None or not 0 <= row < len(self._rows):
            return None
        return self._model.cell(self._rows[row], index.column(), role)

    def painted(self, row: int, column: int) -> Painted | None:
        """What the cell in ``row`` (as shown) shows when painted (``RecordTableModel.painted``),
        asked by the list's delegate without a call through Qt; None for no such row."""
        if self._model is None or not 0 <= row < len(self._rows):
            return None
        return self._model.painted(self._rows[row], column)

    def multiData(self, index: Index, roles: QModelRoleDataSpan | QModelRoleData) -> None:
        """Every role a painted cell asks for (once per cell painted: as few calls into Qt as
        can be)."""
        row = index.row()  # -1 when invalid
        if self._model is not None and 0 <= row < len(self._rows):
            self._model.fill(self._rows[row], index.column(), roles)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Vertical:
            return section + 1 if role == Qt.ItemDataRole.DisplayRole else None
        return self._model.headerData(section, orientation, role) if self._model else None
