"""A searchable, sortable table of records with buttons and an empty state.

Every list in the app (clients, revenue, interactions …) is one of these, so they all behave
alike: type to search, click a header to sort, Enter to open, Delete to delete, and the column
layout is remembered.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QFontMetricsF,
    QHelpEvent,
    QKeySequence,
    QPainter,
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QStackedLayout,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from freelancer_desk.i18n import _, current_language
from ui.column_fit import ColumnFitter, short_floor
from ui.flow_layout import FlowLayout
from ui.models.table import (
    FIRST_TEXTS,
    RECORD_ROLE,
    Column,
    RecordFilterProxy,
    RecordTableModel,
    SortedRecords,
)
from ui.preferences import Preferences
from ui.runner import TaskControl, TaskRunner
from ui.widgets import add_shortcut, empty_state


class ElidedTipDelegate(QStyledItemDelegate):
    """Shows a cell's whole text as its tooltip when the column is too narrow for it."""

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        if event.type() == QEvent.Type.ToolTip and not index.data(Qt.ItemDataRole.ToolTipRole):
            text = str(index.data() or "")
            if option.fontMetrics.horizontalAdvance(text) + 8 > option.rect.width():
                QToolTip.showText(event.globalPos(), text, view)
                return True
        return super().helpEvent(event, view, option, index)


#: Room left and right of a cell's text (as Qt's style leaves: its focus frame's margin + 1).
TEXT_MARGIN = 3
#: Cells in these states are painted by Qt's style itself (selected, current, under the
#: mouse, edited), as are the cells of a disabled view.
_STYLED_STATES = (
    QStyle.StateFlag.State_Selected
    | QStyle.StateFlag.State_HasFocus
    | QStyle.StateFlag.State_MouseOver
    | QStyle.StateFlag.State_Editing
).value
_ENABLED = QStyle.StateFlag.State_Enabled.value
_ACTIVE = QStyle.StateFlag.State_Active.value
#: The view's changes after which its colours and font are looked up again.
_RESTYLED = frozenset(
    (
        QEvent.Type.FontChange,
        QEvent.Type.PaletteChange,
        QEvent.Type.StyleChange,
        QEvent.Type.ApplicationFontChange,
        QEvent.Type.ApplicationPaletteChange,
    )
)
#: At most this many texts' widths (and cut texts) are kept before they are measured anew.
KEPT_TEXTS = 20_000


class RecordDelegate(ElidedTipDelegate):
    """Paints the cells of a record list, each text measured once and kept.

    A repaint (each keystroke in the search, each step of scrolling) paints some 250 cells;
    Qt's item delegate asks each of them for seven roles through Python and lays its text
    out twice (to cut it, then to draw it): most of a keystroke's time with 10,000 clients.
    A plain cell (not selected, not current, not under the mouse) is painted here the way
    Qt's style paints it: its background, then its text in its colour, cut with "…" when
    wider than the cell (the texts' widths are kept, so a text is laid out once to draw it).
    The other cells, and those of a view that wraps text or runs right to left, are left to
    Qt's delegate. Each cell's state is a Python object (an enum made from a number); the
    few there are are looked at once each.
    """

    def __init__(self, view: QTableView, proxy: RecordFilterProxy) -> None:
        super().__init__(view)
        self._view = view
        self._proxy = proxy
        #: Per state (by its id; the states are kept alive): the colour of a plain cell's
        #: text, None for a cell Qt's delegate paints.
        self._colours: dict[int, QColor | None] = {}
        self._states: list[QStyle.StateFlag] = []
        self._restyle()
        view.installEventFilter(self)

    def _restyle(self) -> None:
        """Look up the view's font and colours again (the kept widths were for another)."""
        font = self._view.font()
        self._metrics = QFontMetricsF(font)
        whole = QFontMetrics(font)
        self._line_height, self._ascent = whole.height(), whole.ascent()
        #: Each text's width, and the texts too wide for a cell cut to its room (with width).
        self._widths: dict[str, float] = {}
        self._cut: dict[tuple[str, int], tuple[str, float]] = {}
        self._colours.clear()
        self._states.clear()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The view's font or colours changed: look them up again. (The view's events never go
        to the item delegate's own filter, which takes the widgets it watches for editors.)"""
        if watched is self._view:
            if event.type() in _RESTYLED:
                self._restyle()
            return False
        return super().eventFilter(watched, event)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        state = option.state
        colour = self._colours.get(id(state), False)
        if colour is False:
            colour = self._text_colour(state)
        cell = self._proxy.painted(index.row(), index.column())
        geometry: tuple[int, int, int, int] = option.rect.getRect()  # type: ignore[assignment]
        left, top, width, height = geometry
        view = self._view
        if (
            colour is None
            or cell is None
            or view.wordWrap()
            or view.isRightToLeft()
            or height < self._line_height  # Qt's style clips a text taller than its cell
        ):
            super().paint(painter, option, index)
            return
        text, numeric, foreground, background = cell
        if background is not None:
            painter.fillRect(option.rect, background)
        if not text or width <= 2 * TEXT_MARGIN:
            return
        room = width - 2 * TEXT_MARGIN
        advance = self._widths.get(text)
        if advance is None:
            advance = self._measure(text)
        if advance > room:
            text, advance = self._cut.get((text, room)) or self._cut_to(text, room)
        painter.setPen(foreground.color() if foreground is not None else colour)
        x = left + width - TEXT_MARGIN - advance if numeric else left + TEXT_MARGIN
        painter.drawText(QPointF(x, top + (height - self._line_height) // 2 + self._ascent), text)

    def _text_colour(self, state: QStyle.StateFlag) -> QColor | None:
        """The colour of a plain cell's text in ``state`` (None: not a plain cell), kept."""
        value = state.value
        colour = None
        if value & _ENABLED and not value & _STYLED_STATES:
            group = QPalette.ColorGroup.Normal if value & _ACTIVE else QPalette.ColorGroup.Inactive
            colour = self._view.palette().color(group, QPalette.ColorRole.Text)
        self._states.append(state)
        self._colours[id(state)] = colour
        return colour

    def _measure(self, text: str) -> float:
        """The width of ``text``, kept."""
        if len(self._widths) >= KEPT_TEXTS:
            self._widths.clear()
        advance = self._widths[text] = self._metrics.horizontalAdvance(text)
        return advance

    def _cut_to(self, text: str, room: int) -> tuple[str, float]:
        """``text`` cut with "…" to ``room`` pixels (as Qt's style cuts it), and its width."""
        if len(self._cut) >= KEPT_TEXTS:
            self._cut.clear()
        shown = self._metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
        cut = self._cut[(text, room)] = (shown, self._metrics.horizontalAdvance(shown))
        return cut


class WrappingHeader(QHeaderView):
    """Column headings that wrap onto further lines when their column is narrowed, and a
    header as tall as the tallest of them."""

    #: Room beside a heading's text: the section's margins, and the sort arrow.
    MARGINS = 10
    ARROW = 20

    #: Centred, wrapped headings.
    ALIGNMENT = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setDefaultAlignment(self.ALIGNMENT)
        # As a table's own header: a click on a heading sorts by its column (a header made
        # by hand starts with its sections not clickable).
        self.setSectionsClickable(True)
        self.setHighlightSections(True)
        # A narrower column may wrap its heading onto more lines: the view asks for the height
        # again, once after a batch of resizes (fitting the columns resizes each of them, and
        # asking after each measured every heading again, a tenth of a second per list).
        self._tell_view = QTimer(self)
        self._tell_view.setSingleShot(True)
        self._tell_view.setInterval(0)
        self._tell_view.timeout.connect(self.geometriesChanged)
        self.sectionResized.connect(lambda *_args: self._tell_view.start())
        #: The last size hint and what it was measured for (``_measured_for``): Qt asks for it
        #: dozens of times while a page is built and filled, and each time measured every
        #: heading again through the model.
        self._hint: tuple[tuple[object, ...], QSize] | None = None
        self.sectionCountChanged.connect(self._forget_hint)

    def saveState(self) -> QByteArray:
        """The state without the word wrap in its alignment: Qt refuses to restore a state that
        has it, and the columns' widths and order were forgotten at every start."""
        self.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        try:
            return super().saveState()
        finally:
            self.setDefaultAlignment(self.ALIGNMENT)

    def restoreState(self, state: QByteArray | bytes | bytearray | memoryview) -> bool:
        restored = super().restoreState(state)
        self.setDefaultAlignment(self.ALIGNMENT)
        return restored

    def _forget_hint(self, *_args: object) -> None:
        self._hint = None

    def setModel(self, model: QAbstractItemModel | None) -> None:
        self._hint = None
        super().setModel(model)
        if model is not None:
            model.headerDataChanged.connect(self._forget_hint)
            model.modelReset.connect(self._forget_hint)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._hint = None
        super().changeEvent(event)

    def _measured_for(self) -> tuple[object, ...]:
        """What the height depends on: the sections' widths and visibility, the sorted one and
        the language of the headings (their texts change only with it or the model)."""
        sections = range(self.count())
        return (
            current_language(),
            self.sortIndicatorSection(),
            tuple(self.sectionSize(section) for section in sections),
            tuple(self.isSectionHidden(section) for section in sections),
        )

    def heading(self, section: int) -> str:
        model = self.model()
        text = model.headerData(section, self.orientation()) if model is not None else None
        return str(text or "")

    def narrowest(self, section: int) -> int:
        """The least width for a heading: its longest word, and at most two or three lines."""
        metrics = self.fontMetrics()
        text = self.heading(section)
        longest = max((metrics.horizontalAdvance(word) for word in text.split()), default=0)
        return max(longest, metrics.horizontalAdvance(text) // 2) + self.MARGINS + self.ARROW

    def sizeHint(self) -> QSize:
        measured_for = self._measured_for()
        if self._hint is not None and self._hint[0] == measured_for:
            return QSize(self._hint[1])
        hint = super().sizeHint()
        metrics = self.fontMetrics()
        tallest = hint.height()
        for section in range(self.count()):
            if self.isSectionHidden(section):
                continue
            arrow = self.ARROW if section == self.sortIndicatorSection() else 0
            width = max(self.sectionSize(section) - self.MARGINS - arrow, 1)
            bounds = metrics.boundingRect(
                QRect(0, 0, width, 10_000),
                int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                self.heading(section),
            )
            tallest = max(tallest, bounds.height() + hint.height() - metrics.height())
        self._hint = (measured_for, QSize(hint.width(), tallest))
        return QSize(hint.width(), tallest)


#: Makes a list's footer line from the records shown and their number (``add_footer``).
Summary = Callable[[Iterable[Any], int], str]
#: A footer sums up to this many rows shown at once; more once the typing pauses for
#: ``SUM_AFTER_MS``: the amounts of 94,000 revenue entries took 50 ms, twice the search's own
#: work for a keystroke.
SUMMED_HERE = 5_000
SUM_AFTER_MS = 150
#: How long the status bar says that a record just saved is hidden (``expect``).
SAVED_NOTE_MS = 10_000

#: Rows whose texts decide the columns' widths (their texts come made with the rows), and the
#: room a cell keeps beside its text (the item delegate's margins).
MEASURED_ROWS = FIRST_TEXTS
CELL_PADDING = 8


#: How many items of a released list are freed at a time on the worker: a piece takes well under
#: a millisecond, so the GUI thread gets the GIL between two pieces (``GIL_SWITCH_SECONDS``).
RELEASED_PIECE = 2_000


def _empty_in_pieces(lists: list[list[Any]], _control: TaskControl) -> None:
    """Free the items of lists the model let go of a piece at a time, on the worker: freeing
    100,000 records in one go holds the GIL, and so the GUI thread, for 50 ms."""
    for items in lists:
        while items:
            del items[-RELEASED_PIECE:]


class RecordList(QWidget):
    """Search field, table and buttons over a ``RecordTableModel``."""

    #: A record was opened (double-click or Enter).
    activated = Signal(object)

    def __init__(
        self,
        columns: Sequence[Column[Any]],
        layout_key: str,
        preferences: Preferences,
        empty_text: str,
        searchable: bool = True,
        default_sort: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.AscendingOrder),
        hidden_columns: tuple[int, ...] = (),
        runner: TaskRunner | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        #: Empties the lists of records the list let go of (long lists: see ``set_records``).
        self._runner = runner
        self._layout_key = layout_key
        self._default_sort = default_sort
        self._preferences = preferences
        self._columns = list(columns)
        self.model: RecordTableModel[Any] = RecordTableModel(columns, self)
        self.proxy = RecordFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.table = QTableView()
        self.table.setHorizontalHeader(WrappingHeader(self.table))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setSectionsMovable(True)
        self.table.doubleClicked.connect(self._open_index)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            add_shortcut(
                self.table, QKeySequence(key), self._open_current, Qt.ShortcutContext.WidgetShortcut
            )

        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_search)
        self.search.setVisible(searchable)
        # From the search to the hits by keyboard: Down moves into the list, Return opens the
        # chosen hit (or the only one).
        add_shortcut(
            self.search,
            QKeySequence(Qt.Key.Key_Down),
            self._enter_hits,
            Qt.ShortcutContext.WidgetShortcut,
        )
        self.search.returnPressed.connect(self._open_hit)
        if searchable:  # window-wide: a page shows at most one searchable list at a time
            add_shortcut(
                self,
                QKeySequence.StandardKey.Find,
                self.search.setFocus,
                Qt.ShortcutContext.WindowShortcut,
            )

        self.bar = FlowLayout()
        self.bar.addWidget(self.search, 1)
        self._selection_buttons: list[QPushButton] = []

        self.empty = empty_state(empty_text)
        self._empty_area = QScrollArea()  # a long hint in a low pane scrolls instead of being cut
        self._empty_area.setWidget(self.empty)
        self._empty_area.setWidgetResizable(True)
        self._empty_area.setFrameShape(QFrame.Shape.NoFrame)
        self._empty_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._loading = empty_state(_("Loading …"))
        self._loading.setObjectName("loadingState")
        self._stack = QStackedLayout()
        self._stack.addWidget(self.table)
        self._stack.addWidget(self._empty_area)
        self._stack.addWidget(self._loading)
        #: Said where records exist but the filters show none (``say_when_none_shown``).
        self._none_shown = empty_state("")
        self._none_shown.setObjectName("noneShown")
        self._none_shown_text: Callable[[], str] | None = None
        self._stack.addWidget(self._none_shown)
        #: Whether records were ever handed over (before that, a load shows "Loading …").
        self._filled = False
        #: The id of a record just saved, to be chosen once reloaded (``expect``).
        self._expected: int | None = None
        #: The line below the table that sums up the rows shown (``add_footer``), how it is
        #: made, and the line for all records when it was made where they were read.
        self.footer = QLabel()
        self.footer.hide()
        self._summary: Summary | None = None
        self._all_summed: str | None = None
        self._summing: QTimer | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.bar)
        layout.addLayout(self._stack, 1)
        layout.addWidget(self.footer)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        # A search that hides the chosen rows drops them from the selection without a
        # selectionChanged: the buttons follow the rows shown too.
        for shown_change in (self.proxy.layoutChanged, self.proxy.modelReset):
            shown_change.connect(self._update_buttons)
        self.proxy.layoutChanged.connect(self._show_rows_or_hint)
        #: Fits the columns into the table's width until the user sizes them.
        self.fitter = ColumnFitter(self.table, keep_name=True, by_hand=self._sized_by_hand)
        self.table.setItemDelegate(RecordDelegate(self.table, self.proxy))
        self._restore_columns()
        self.hide_columns(hidden_columns)

    def hide_columns(self, columns: Sequence[int]) -> None:
        """Hide these columns (and show the others): the search then looks only in the columns
        shown, and its tooltip names them, so what it finds is what the user can see."""
        for column in range(self.model.columnCount()):
            self.table.setColumnHidden(column, column in columns)
        self.model.set_unsearched(columns)
        self.proxy.search_again()
        self.fitter.fit_to_view()
        self.search.setToolTip(
            _("Finds the rows that contain every word typed, in these columns: {columns}").format(
                columns=", ".join(self.model.searched_headings())
            )
        )

    def add_button(
        self,
        text: str,
        slot: Callable[[], None],
        shortcut: str | QKeySequence.StandardKey | None = None,
        needs_selection: bool = False,
        shortcut_scope: QWidget | None = None,
    ) -> QPushButton:
        """A button in the bar; its shortcut works while the list has focus.

        Actions that need no selection (New …) pass their page as ``shortcut_scope``: the key
        then works wherever the focus is while that page is shown.
        """
        button = QPushButton(text)
        button.clicked.connect(lambda _checked=False: slot())  # never hand "checked" to the slot
        if shortcut is not None:
            keys = QKeySequence(shortcut)
            if shortcut_scope is None:
                add_shortcut(self, keys, slot)
            else:
                add_shortcut(shortcut_scope, keys, slot, Qt.ShortcutContext.WindowShortcut)
            button.setToolTip(
                f"{text.replace('&', '')} ({keys.toString(QKeySequence.SequenceFormat.NativeText)})"
            )
        if needs_selection:
            self._selection_buttons.append(button)
            button.setEnabled(False)
        self.bar.addWidget(button)
        return button

    def add_caption(self, text: str) -> QLabel:
        """A caption at the start of the bar, before the buttons; it wraps when narrow."""
        caption = QLabel(text)
        caption.setWordWrap(True)
        self.bar.insertWidget(0, caption, 1)
        return caption

    def add_footer(self, summary: Summary) -> QLabel:
        """A line below the table that sums up the rows shown, made by
        ``summary(records, count)``: it follows the search and the filters. The line for all
        records may come with them (``set_records``), made where they were read; more than
        ``SUMMED_HERE`` rows shown are summed once the typing pauses (``SUM_AFTER_MS``)."""
        self._summary = summary
        self._summing = QTimer(self)
        self._summing.setSingleShot(True)
        self._summing.setInterval(SUM_AFTER_MS)
        self._summing.timeout.connect(self._sum_shown)
        proxy = self.proxy
        for change in (proxy.modelReset, proxy.layoutChanged):
            change.connect(self._sum_up)
        self.footer.show()
        self._sum_up()
        return self.footer

    def _sum_up(self, *_change: object) -> None:
        """The rows shown changed: the footer shows the records' line from ``set_records``
        while every row is shown, else sums the rows shown, at once when they are few."""
        if self._summing is None:
            return
        self._summing.stop()
        count = self.proxy.rowCount()
        if self._all_summed is not None and count == self.model.rowCount():
            self.footer.setText(self._all_summed)
        elif count <= SUMMED_HERE:
            self._sum_shown()
        else:
            self._summing.start()

    def _sum_shown(self) -> None:
        """Show the footer's line for the rows shown."""
        if self._summary is not None:
            count = self.proxy.rowCount()
            self.footer.setText(self._summary(self.proxy.shown_records(), count))

    def say_when_none_shown(self, text: Callable[[], str]) -> None:
        """Where the list has records but its filters show none, say ``text()`` there ("Nothing
        due today") rather than an empty table that looks broken."""
        self._none_shown_text = text

    def _show_rows_or_hint(self, *_change: object) -> None:
        """The table, or the empty state when there are no records, or the filters' hint
        when none is shown (before the first records came, "Loading …" stays)."""
        if not self._filled:
            return
        if not self.model.rowCount():
            self._stack.setCurrentWidget(self._empty_area)
        elif not self.proxy.rowCount() and self._none_shown_text is not None:
            self._none_shown.setText(self._none_shown_text())
            self._stack.setCurrentWidget(self._none_shown)
        else:
            self._stack.setCurrentWidget(self.table)

    def set_loading(self, loading: bool) -> None:
        """Records are being read in the background: "Loading …" before the first ones came
        (not the empty state's "No clients yet"), later a busy cursor over the rows shown,
        which stay usable meanwhile."""
        if loading and not self._filled:
            self._stack.setCurrentWidget(self._loading)
        if loading:
            self.table.viewport().setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.table.viewport().unsetCursor()

    def start_over(self) -> None:
        """Records of another owner are to come (a client's page shows the next client): the
        shown ones go, the search is cleared, and the columns are fitted to the new records
        unless the user sized them."""
        self.search.clear()
        self.set_records([])
        self._filled = False
        self._sized = self._by_hand

    def set_records(
        self, records: Sequence[Any] | SortedRecords[Any], summed: str | None = None
    ) -> None:
        """Show these records (the empty state when there are none). The record selected
        before stays selected when it is among them (by its ``id``): after an edit the list
        reloads, and the record's buttons stay at hand. When it is gone (deleted), the row now
        in its place is selected, so that Delete or F2 go on from there.

        ``summed`` is the footer's line for all of ``records`` when it was made with them
        (off the GUI thread: summing 100,000 amounts); else the footer sums the rows shown.
        """
        self._filled = True
        self._all_summed = summed
        chosen = getattr(self.selected(), "id", None)
        place = self.table.currentIndex().row()
        released = self.model.set_records(records)
        if self._runner is not None and any(len(items) > RELEASED_PIECE for items in released):
            self._runner.submit(partial(_empty_in_pieces, released))
        self._show_rows_or_hint()
        if chosen is not None and not self.select_where(
            lambda record: getattr(record, "id", None) == chosen
        ):
            row = min(place, self.proxy.rowCount() - 1)
            if row >= 0:
                self.choose_row(row)
        self._update_buttons()
        if records and not self._sized:
            self._fit_columns()
        if self._expected is not None:
            self._show_saved(self._expected)

    def expect(self, record_id: int) -> None:
        """A record was just saved: choose it once the list is reloaded (``set_records``), or
        say in the window's status bar that the search or the filters hide it. Else a saved
        entry the search hides seemed to vanish: nothing changed."""
        self._expected = record_id

    def _show_saved(self, record_id: int) -> None:
        self._expected = None
        if self.select_where(lambda record: getattr(record, "id", None) == record_id):
            return
        if self.search.text().strip() and any(
            getattr(record, "id", None) == record_id for record in self.model.records()
        ):
            note = _("Saved – hidden by the search")
        else:
            note = _("Saved – hidden by the filters")
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(note, SAVED_NOTE_MS)

    def _fit_columns(self) -> None:
        """First fill without a remembered layout: widths fit the content, within reason.

        The widths are measured on the first ``MEASURED_ROWS`` rows: a list of 100,000 entries
        would otherwise format them all only to size the columns. Then the columns are
        fitted into the table's width (``ColumnFitter``).
        """
        self._sized = True
        header = self.table.horizontalHeader()
        content = self._content_widths()
        natural = {
            column: max(80, min(max(width, header.sectionSizeHint(column)) + 16, 320))
            for column, width in enumerate(content)
        }
        assert isinstance(header, WrappingHeader)
        # The least width of each column: its heading (which may wrap); amounts show their
        # content whole, and so do short texts (dates, "Unternehmen"), while long text (names,
        # reasons, notes, a status with its marks) may be cut and is shown whole in a tooltip.
        # A text column with a sort value once kept all its content too: a status "Verloren ·
        # nicht kontaktieren" took 190 pixels while the reasons beside it were cut.
        floors = {
            number: max(
                header.narrowest(number),
                content[number] + 12 if column.numeric else short_floor(content[number] + 12),
            )
            for number, column in enumerate(self._columns)
        }
        self.fitter.fit(natural, floors)

    def _content_widths(self) -> list[int]:
        """Each column's widest cell among the first ``MEASURED_ROWS`` rows, as a cell shows it
        (a text that repeats, a status or a channel, is measured once).

        Measured on the model's kept texts with the font's metrics: Qt's own measuring
        (``resizeColumnsToContents``) asks the model for every role of every cell through
        Python, which made opening the Lost clients page take a second on the GUI thread.
        """
        metrics = QFontMetricsF(self.table.font())
        rows = [self.model.texts(row) for row in range(min(self.model.rowCount(), MEASURED_ROWS))]
        columns = zip(*rows, strict=True) if rows else ([] for _ in self._columns)
        return [
            math.ceil(max(map(metrics.horizontalAdvance, set(texts)), default=0.0)) + CELL_PADDING
            for texts in columns
        ]

    def _sized_by_hand(self) -> None:
        """The user dragged a column: their widths are kept (and remembered) from now on."""
        self._by_hand = True

    def selected(self) -> Any | None:
        """The record of the current row, or None."""
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(
            index.row(), QModelIndex()
        ):
            return None
        return index.data(RECORD_ROLE)

    def selected_records(self) -> list[Any]:
        """All selected records, in the order shown."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.proxy.index(row, 0).data(RECORD_ROLE) for row in rows]

    def select_where(self, predicate: Callable[[Any], bool]) -> bool:
        """Select the first row whose record matches; False when none does."""
        for row, record in enumerate(self.proxy.shown_records()):
            if predicate(record):
                self.choose_row(row)
                self.table.scrollTo(self.proxy.index(row, 0))
                self._update_buttons()  # also when the selection's signals are blocked
                return True
        return False

    def choose_row(self, row: int) -> None:
        """Make ``row`` the current and only selected one. Not by ``selectRow``: that heeds
        the keys held, and Ctrl (still down after Ctrl+2 led here) toggled a chosen row off."""
        self.table.selectionModel().setCurrentIndex(
            self.proxy.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.activated.emit(index.data(RECORD_ROLE))

    def _open_current(self) -> None:
        self._open_index(self.table.currentIndex())

    def _enter_hits(self) -> None:
        """Down in the search: focus the list on its chosen row, else on the first hit."""
        if self.proxy.rowCount() == 0:
            return
        current = self.table.currentIndex()
        self.table.setFocus()
        self.choose_row(current.row() if current.isValid() else 0)

    def _open_hit(self) -> None:
        """Return in the search: open the only hit, or the chosen one among several."""
        if self.proxy.rowCount() == 1:
            self._open_index(self.proxy.index(0, 0))
        elif self.table.currentIndex().isValid():
            self._open_current()

    def _update_buttons(self, *_change: object) -> None:
        has = bool(self.table.selectionModel().selectedRows())
        for button in self._selection_buttons:
            button.setEnabled(has)

    def _restore_columns(self) -> None:
        """The remembered order and sorting; the widths too when the user chose them (fitted
        ones are fitted again: the window may be narrower now)."""
        state = self._preferences.geometry(f"table/{self._layout_key}")
        header = self.table.horizontalHeader()
        restored = state is not None and header.restoreState(state)
        self._by_hand = restored and self._preferences.flag(f"table-by-hand/{self._layout_key}")
        self._sized = self._by_hand
        if not restored:
            header.setSortIndicator(*self._default_sort)

    def save_layout(self) -> None:
        """Remember column widths, order and sorting."""
        self._preferences.set_geometry(
            f"table/{self._layout_key}", self.table.horizontalHeader().saveState()
        )
        self._preferences.set_flag(f"table-by-hand/{self._layout_key}", self._by_hand)
