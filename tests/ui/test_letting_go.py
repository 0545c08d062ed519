"""Dialogs and records the window is done with are let go of (memory, and the collector's
walks through what is kept)."""

from __future__ import annotations

import gc
import weakref

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QDialog

from freelancer_desk.collector import many_records
from tests.ui.conftest import deleted_later_now, on_next_modal
from ui import main_window
from ui.context import AppContext
from ui.dialogs.import_wizard import ImportWizard
from ui.dialogs.import_wizard.wizard import open_import_wizard
from ui.dialogs.records import ClientDialog
from ui.main_window import MainWindow
from ui.runner import Loader, TaskRunner


def test_the_import_wizard_is_let_go_of_when_closed(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    seen = on_next_modal(ImportWizard, lambda wizard: (wizard.windowTitle(), wizard.reject()))
    open_import_wizard(window)
    assert seen  # it was shown
    deleted_later_now()
    assert window.findChildren(ImportWizard) == []


def test_a_page_s_record_dialog_is_let_go_of_when_closed(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    clients = window.page("clients")
    seen = on_next_modal(ClientDialog, lambda dialog: dialog.reject())
    clients.new_client()
    assert seen
    deleted_later_now()
    assert clients.findChildren(QDialog) == []


def test_the_collector_sweeps_while_the_user_works_elsewhere(
    qtbot,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
    context: AppContext,
) -> None:
    monkeypatch.setattr(main_window, "SWEEP_AWAY_MS", 50)
    window = MainWindow(context)
    qtbot.addWidget(window)

    class Pair:
        other: Pair | None = None

    with many_records():  # frozen with the records of some work
        first, second = Pair(), Pair()
        first.other, second.other = second, first
    gone = weakref.ref(first)
    del first, second
    gc.collect()
    assert gone() is not None
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationInactive)
    app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)  # back at once
    qtbot.wait(200)
    assert gone() is not None  # not while the user is at the window
    app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationInactive)
    qtbot.waitUntil(lambda: gone() is None)


def test_what_a_view_loads_is_left_out_of_later_collections(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A page keeps what it loaded: the collector's full passes must not walk it again (one
    over the client list's records held the worker, and with it the window, for 0.1 s)."""

    class Row:
        def __init__(self, number: int) -> None:
            self.number = number

    shown: list[list[Row]] = []
    owner = QObject()
    loader: Loader[list[Row]] = Loader(owner, TaskRunner(immediate=True), shown.append)
    frozen = gc.get_freeze_count()
    loader.load(lambda: [Row(number) for number in range(3_000)])
    assert len(shown[0]) == 3_000
    assert gc.get_freeze_count() >= frozen + 3_000
