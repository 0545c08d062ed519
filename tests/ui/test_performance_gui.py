"""The fast paths of the GUI must not change what the user sees.

The record table sorts its records itself and keeps each row's texts, the proxy only filters:
the order a reader expects, selections that follow their rows, searching the shown text and
fresh texts after new records must stay. A chart is drawn on the worker while the GUI thread
stays free; one asked for before its window is on screen is drawn once it is, a visible one at
once, a resized one again at its new size.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QModelRoleData, QModelRoleDataSpan, Qt, QTimer
from PySide6.QtGui import QBrush, QFont, QImage, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
)

from freelancer_desk import formatting
from ui.charts import ChartView
from ui.models.table import Column, RecordFilterProxy, RecordTableModel
from ui.record_list import RecordDelegate
from ui.runner import TaskRunner

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@dataclass(frozen=True)
class Row:
    name: str
    net: Decimal
    last: dt.date | None


COLUMNS = [
    Column("Name", lambda r: r.name),
    Column("Net", lambda r: formatting.money(r.net), lambda r: r.net, numeric=True),
    Column("Last", lambda r: formatting.date(r.last), lambda r: r.last),
]

ROWS = [
    Row("Kunde 10", Decimal("50.00"), dt.date(2025, 3, 1)),
    Row("Ulm GmbH", Decimal("1234.50"), None),
    Row("Kunde 2", Decimal("50.00"), dt.date(2024, 1, 9)),
    Row("Ülker", Decimal("-20.00"), dt.date(2025, 1, 1)),
    Row("Bäckerei", Decimal("7.00"), None),
]


def _shown(proxy: RecordFilterProxy, column: int = 0) -> list[str]:
    return [proxy.index(row, column).data() for row in range(proxy.rowCount())]


def _table() -> tuple[RecordTableModel[Row], RecordFilterProxy]:
    model: RecordTableModel[Row] = RecordTableModel(COLUMNS)
    model.set_records(ROWS)
    proxy = RecordFilterProxy()
    proxy.setSourceModel(model)
    return model, proxy


def test_sorting_by_each_column_orders_as_a_reader_expects(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model, proxy = _table()
    assert _shown(proxy) == ["Kunde 10", "Ulm GmbH", "Kunde 2", "Ülker", "Bäckerei"]  # as given
    proxy.sort(0)
    # Umlauts with their base letter, numbers inside names by value.
    assert _shown(proxy) == ["Bäckerei", "Kunde 2", "Kunde 10", "Ülker", "Ulm GmbH"]
    proxy.sort(1, Qt.SortOrder.DescendingOrder)
    # By amount, largest first; the two equal amounts keep the order the records came in.
    assert _shown(proxy) == ["Ulm GmbH", "Kunde 10", "Kunde 2", "Bäckerei", "Ülker"]
    proxy.sort(2)
    # Empty dates first, then oldest first; descending puts the empty ones last.
    assert _shown(proxy) == ["Ulm GmbH", "Bäckerei", "Kunde 2", "Ülker", "Kunde 10"]
    proxy.sort(2, Qt.SortOrder.DescendingOrder)
    assert _shown(proxy) == ["Kunde 10", "Ülker", "Kunde 2", "Ulm GmbH", "Bäckerei"]
    qtmodeltester.check(model)
    qtmodeltester.check(proxy)


def test_a_selection_follows_its_row_when_the_table_is_sorted(qtbot) -> None:  # type: ignore[no-untyped-def]
    _model, proxy = _table()
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    view.selectionModel().select(
        proxy.index(1, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    assert proxy.index(1, 0).data() == "Kunde 2"
    view.sortByColumn(
        1, Qt.SortOrder.AscendingOrder
    )  # -20, 7, 50 (Kunde 10), 50 (Kunde 2), 1234.50
    [selected] = view.selectionModel().selectedRows()
    assert selected.row() == 3 and selected.data() == "Kunde 2"


def test_search_matches_the_shown_text_and_new_records_are_searched_afresh(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model, proxy = _table()
    proxy.sort(0)
    proxy.set_search("1,234.50")  # the amount as the table shows it in English
    assert _shown(proxy) == ["Ulm GmbH"]
    proxy.set_search("KUNDE 1")  # every word, ignoring case: "Kunde 10" only
    assert _shown(proxy) == ["Kunde 10"]
    model.set_records([*ROWS, Row("Kunde 11", Decimal("1.00"), None)])
    assert _shown(proxy) == ["Kunde 10", "Kunde 11"]  # still sorted by name, searched afresh
    proxy.set_rule(lambda row: row.net > 10)
    assert _shown(proxy) == ["Kunde 10"]
    proxy.set_search("")
    proxy.set_rule(None)
    assert _shown(proxy) == ["Bäckerei", "Kunde 2", "Kunde 10", "Kunde 11", "Ülker", "Ulm GmbH"]
    qtmodeltester.check(proxy)


def test_words_beyond_latin_1_are_found_and_the_folded_texts_take_a_byte_a_character() -> None:
    rows = [
        Row("Łódź Studio", Decimal("9.99"), None),
        Row("Straße 5 Ülker", Decimal("120.00"), None),
        Row("Lodz Import", Decimal("-3.00"), None),
        Row("Ωmega", Decimal("1.00"), None),
    ]
    for presorted in (True, False):  # folded on the worker, or on the first search
        model: RecordTableModel[Row] = RecordTableModel(COLUMNS)
        model.set_records(model.presort(rows) if presorted else rows)
        proxy = RecordFilterProxy()
        proxy.setSourceModel(model)
        found = {}
        for text in ("łódź", "ŁÓD", "lodz", "STRASSE", "ülk", "ul", "ω", "€", "9.99 €", "u o"):
            proxy.set_search(text)
            found[text] = _shown(proxy)
        assert found == {
            "łódź": ["Łódź Studio"],
            "ŁÓD": ["Łódź Studio"],
            "lodz": ["Lodz Import"],  # no letter stands for another
            "STRASSE": ["Straße 5 Ülker"],
            "ülk": ["Straße 5 Ülker"],
            "ul": [],
            "ω": ["Ωmega"],
            "€": ["Łódź Studio", "Straße 5 Ülker", "Lodz Import", "Ωmega"],
            "9.99 €": ["Łódź Studio"],
            "u o": ["Łódź Studio"],  # "Studio": both words, anywhere in the row
        }, presorted
        proxy.set_search("")
        assert all(max(map(ord, text)) < 256 for text in model.haystacks())


def test_a_keystroke_is_one_change_of_the_view_and_keeps_the_selected_row(qtbot) -> None:  # type: ignore[no-untyped-def]
    _model, proxy = _table()
    proxy.sort(0)  # Bäckerei, Kunde 2, Kunde 10, Ülker, Ulm GmbH
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    view.selectRow(1)
    changes: list[str] = []
    proxy.layoutChanged.connect(lambda *_args: changes.append("layout"))
    for signal in (proxy.modelReset, proxy.rowsRemoved, proxy.rowsInserted):
        signal.connect(lambda *_args: changes.append("rows"))

    proxy.set_search("kunde")
    assert changes == ["layout"] and _shown(proxy) == ["Kunde 2", "Kunde 10"]
    [selected] = view.selectionModel().selectedRows()
    assert selected.row() == 0 and selected.data() == "Kunde 2"  # moved up with its row
    assert view.verticalHeader().count() == 2
    proxy.set_search("kunde 1")  # Kunde 2 is filtered out: nothing selected any more
    assert _shown(proxy) == ["Kunde 10"] and view.selectionModel().selectedRows() == []
    proxy.set_search("")
    assert len(changes) == 3 and "rows" not in changes
    assert view.verticalHeader().count() == 5


def test_rows_from_a_background_load_are_searched_without_making_texts(qtbot) -> None:  # type: ignore[no-untyped-def]
    made: list[str] = []

    def name(row: Row) -> str:
        made.append(row.name)
        return row.name

    model: RecordTableModel[Row] = RecordTableModel([Column("Name", name)])
    rows = model.presort(ROWS)  # on the worker: each row's text made and folded there
    assert len(made) == len(ROWS)
    made.clear()
    model.set_records(rows)
    proxy = RecordFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_search("ülker")
    assert _shown(proxy) == ["Ülker"] and made == []  # the first rows' texts came made too
    proxy.set_search("")
    made.clear()
    model.set_records(ROWS)  # handed over as they are: folded on the first search
    assert made == []
    proxy.set_search("bäck")
    assert _shown(proxy) == ["Bäckerei"] and len(made) == len(ROWS) + 1  # and the one shown


def _fresh(
    model: RecordTableModel[Row], text: str, rule: Callable[[Row], bool] | None
) -> list[str]:
    """What a new proxy shows for ``text``: every row matched, nothing narrowed from before."""
    proxy = RecordFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_rule(rule)
    proxy.set_search(text)
    return _shown(proxy)


def test_typing_on_backspacing_and_changing_words_show_what_a_whole_search_shows() -> None:
    model, proxy = _table()
    proxy.sort(0)  # Bäckerei, Kunde 2, Kunde 10, Ülker, Ulm GmbH

    def positive(row: Row) -> bool:
        return row.net > 0  # Ülker (-20.00) never shows

    proxy.set_rule(positive)
    texts = ["k", "ku", "kunde", "kunde 1", "kunde 10", "kunde", "1 kunde", "u", "ul", "ü", ""]
    for text in [*texts, "l", "l ulm", "ulm l", "gmbh", "Gmb", "x", ""]:
        proxy.set_search(text)
        assert _shown(proxy) == _fresh(model, text, positive), text
    proxy.set_search("kunde")
    assert _shown(proxy) == ["Kunde 2", "Kunde 10"]
    proxy.set_search("kunde 1")  # typed on: among the rows shown
    assert _shown(proxy) == ["Kunde 10"]
    proxy.set_search("ul")  # another word: every row again
    assert _shown(proxy) == ["Ulm GmbH"]
    proxy.set_search("")  # cleared: every row the rule lets through, in order
    assert _shown(proxy) == ["Bäckerei", "Kunde 2", "Kunde 10", "Ulm GmbH"]
    proxy.set_rule(None)
    assert _shown(proxy) == ["Bäckerei", "Kunde 2", "Kunde 10", "Ülker", "Ulm GmbH"]


def test_records_that_came_between_two_keystrokes_are_searched(qtmodeltester: Any) -> None:
    model, proxy = _table()
    proxy.sort(0)
    proxy.set_search("kunde")
    assert _shown(proxy) == ["Kunde 2", "Kunde 10"]
    eleven = Row("Kunde 11", Decimal("1.00"), None)
    model.set_records([*ROWS, eleven])
    assert _shown(proxy) == ["Kunde 2", "Kunde 10", "Kunde 11"]
    proxy.set_search("kunde 1")  # typed on after the reload: the new record is among the hits
    assert _shown(proxy) == ["Kunde 10", "Kunde 11"]
    model.set_records([row for row in ROWS if row.name != "Kunde 10"])
    assert _shown(proxy) == []
    proxy.set_search("kunde 11")
    assert _shown(proxy) == []
    proxy.set_search("kunde")
    assert _shown(proxy) == ["Kunde 2"]
    qtmodeltester.check(proxy)


def test_the_rule_is_asked_once_per_record_while_typing_and_holds_after_a_sort() -> None:
    model, proxy = _table()
    asked: list[str] = []

    def positive(row: Row) -> bool:
        asked.append(row.name)
        return row.net > 0

    proxy.set_rule(positive)
    assert sorted(asked) == sorted(row.name for row in ROWS)
    for text in ["k", "ku", "", "ulm", "u", ""]:
        proxy.set_search(text)
    assert len(asked) == len(ROWS)  # typing matched words only
    proxy.sort(1)  # by amount: the rows move, the rule still holds
    assert _shown(proxy) == ["Bäckerei", "Kunde 10", "Kunde 2", "Ulm GmbH"]
    proxy.set_search("kunde")
    assert _shown(proxy) == ["Kunde 10", "Kunde 2"]
    model.set_records([*ROWS, Row("Kunde 3", Decimal("-1.00"), None)])  # new records: asked anew
    assert _shown(proxy) == ["Kunde 10", "Kunde 2"] and asked.count("Kunde 3") == 1


def test_a_painted_cell_shows_what_the_model_answers_for_each_role(qtbot: Any) -> None:
    columns = [
        *COLUMNS,
        Column(
            "Flag",
            lambda r: "owes" if r.net < 0 else "",
            foreground=lambda r: "#b00020" if r.net < 0 else None,
            background=lambda r: "#fff3c4" if r.last is None else None,
        ),
    ]
    model: RecordTableModel[Row] = RecordTableModel(columns)
    model.set_records(ROWS)
    proxy = RecordFilterProxy()
    proxy.setSourceModel(model)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    delegate = view.itemDelegate()
    assert isinstance(delegate, QStyledItemDelegate)
    text_colour = view.palette().color(QPalette.ColorRole.Text)
    for row in range(proxy.rowCount()):
        for column in range(proxy.columnCount()):
            index = proxy.index(row, column)
            option = QStyleOptionViewItem()
            delegate.initStyleOption(option, index)  # asks the cell for all its roles at once
            assert option.text == index.data()
            alignment = index.data(Qt.ItemDataRole.TextAlignmentRole)
            assert option.displayAlignment.value == alignment
            foreground = index.data(Qt.ItemDataRole.ForegroundRole)
            colour = foreground.color() if foreground else text_colour
            assert option.palette.color(QPalette.ColorRole.Text) == colour
            background = index.data(Qt.ItemDataRole.BackgroundRole)
            assert option.backgroundBrush == (background or QBrush())
    ulker = proxy.index(3, 3)
    assert ulker.data() == "owes" and ulker.data(Qt.ItemDataRole.ForegroundRole) is not None
    assert proxy.index(1, 1).data(Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    )
    one = QModelRoleData(Qt.ItemDataRole.DisplayRole)  # asked for one role: answered alike
    model.multiData(model.index(1, 0), QModelRoleDataSpan(one))
    assert one.data() == "Ulm GmbH"


def _painted(view: QTableView, delegate: QStyledItemDelegate) -> QImage:
    view.setItemDelegate(delegate)
    return view.grab().toImage()


def test_a_record_list_paints_its_cells_as_qt_paints_them(qtbot: Any) -> None:
    columns = [
        Column("Name", lambda r: r.name),
        Column("Net", lambda r: formatting.money(r.net), lambda r: r.net, numeric=True),
        Column(
            "Last",
            lambda r: formatting.date(r.last),
            foreground=lambda r: "#b00020" if r.net < 0 else None,
            background=lambda r: "#fff3c4" if r.last is None else None,
        ),
    ]
    model: RecordTableModel[Row] = RecordTableModel(columns)
    long_name = Row(
        "Hanse Logistik Nord und Süd GmbH & Co. KG, Bremerhaven", Decimal("-5.00"), None
    )
    model.set_records([*ROWS, long_name])
    proxy = RecordFilterProxy()
    proxy.setSourceModel(model)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.resize(420, 260)
    view.setColumnWidth(0, 150)  # too narrow for the long name
    view.show()
    qtbot.waitExposed(view)
    qt_delegate, ours = QStyledItemDelegate(view), RecordDelegate(view, proxy)
    assert _painted(view, ours) == _painted(view, qt_delegate)  # the long name on two lines
    view.setWordWrap(False)  # as in a record list: cut with "…"
    assert _painted(view, ours) == _painted(view, qt_delegate)
    view.selectRow(1)  # a selected row and the current cell: painted by Qt either way
    view.setFocus()
    proxy.set_search("e")
    assert _painted(view, ours) == _painted(view, qt_delegate)
    view.setFont(QFont(view.font().family(), 15))  # another font: the texts laid out anew
    assert _painted(view, ours) == _painted(view, qt_delegate)
    view.setColumnWidth(1, 4)  # no room for any text
    view.verticalHeader().setMinimumSectionSize(8)
    view.verticalHeader().setDefaultSectionSize(12)  # rows lower than the text: Qt's clipping
    assert _painted(view, ours) == _painted(view, qt_delegate)


#: The threads the charts of these tests were drawn on.
THREADS: set[int] = set()


def _line_at(value: int, drawn: list[int], figure: Figure) -> None:
    """A chart: one flat line at ``value``; notes what it drew and on which thread."""
    figure.add_subplot().plot([0, 1], [value, value])
    drawn.append(value)
    THREADS.add(threading.get_ident())


def test_a_hidden_chart_is_drawn_when_shown_and_a_resized_one_again_at_its_size(qtbot) -> None:  # type: ignore[no-untyped-def]
    chart = ChartView(TaskRunner(immediate=True), 120)
    chart.resize(300, 120)
    qtbot.addWidget(chart)
    drawn: list[int] = []

    chart.plot(partial(_line_at, 1, drawn))
    assert drawn == [] and chart.drawn is None  # not on screen: not drawn at all
    chart.show()
    qtbot.waitUntil(lambda: drawn == [1])
    chart.plot(partial(_line_at, 2, drawn))  # on screen: drawn once the window painted
    assert drawn == [1]
    qtbot.waitUntil(lambda: drawn == [1, 2])
    chart.hide()
    chart.plot(partial(_line_at, 3, drawn))  # hidden again: waits until it is shown
    assert drawn == [1, 2]
    chart.show()
    qtbot.waitUntil(lambda: drawn == [1, 2, 3])
    assert list(chart.drawn.axes[0].lines[0].get_ydata()) == [3, 3]  # type: ignore[union-attr]
    assert tuple(chart.drawn.get_size_inches()) == (3.0, 1.2)  # type: ignore[union-attr]
    chart.resize(500, 120)  # drawn again at the new size once the resizing pauses
    qtbot.waitUntil(lambda: drawn == [1, 2, 3, 3])
    assert tuple(chart.drawn.get_size_inches()) == (5.0, 1.2)  # type: ignore[union-attr]


def test_a_chart_is_drawn_on_the_worker_while_the_gui_thread_stays_free(qtbot, worker) -> None:  # type: ignore[no-untyped-def]
    runner = worker.runner
    chart = ChartView(runner, 120)
    chart.resize(300, 120)
    qtbot.addWidget(chart)
    chart.show()
    qtbot.waitExposed(chart)
    gate = worker.hold()  # the worker is busy
    drawn: list[int] = []
    THREADS.clear()
    chart.plot(partial(_line_at, 1, drawn))
    ticks: list[int] = []
    QTimer.singleShot(0, lambda: ticks.append(1))
    qtbot.waitUntil(lambda: ticks == [1])  # the GUI thread answers meanwhile
    assert drawn == [] and chart.drawn is None
    gate.set()
    qtbot.waitUntil(lambda: chart.drawn is not None)
    worker.finish()
    [drawing_thread] = THREADS
    assert drawn == [1] and drawing_thread != threading.get_ident()
    image = chart.grab().toImage()  # the widget shows the chart's image
    assert image.size() == chart.size() * chart.devicePixelRatio()
    assert len({image.pixel(x, y) for x in range(0, 300, 7) for y in range(0, 120, 3)}) > 2
