"""GUI fixtures: a context over a fresh database, preferences in a temporary file, and a
runner that runs background work at once so tests stay deterministic."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, QTimer, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from freelancer_desk.db import Database
from ui.app import apply_language
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.pages.clients import ClientDetail, ClientsPage
from ui.preferences import Preferences
from ui.runner import TaskRunner


@pytest.fixture
def preferences(tmp_path: Path) -> Preferences:
    return Preferences(QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def context(qapp: QApplication, db: Database, preferences: Preferences) -> Iterator[AppContext]:
    apply_language(qapp, "en")
    yield AppContext(db, preferences, TaskRunner(immediate=True))
    apply_language(qapp, "en")


@pytest.fixture
def window(qtbot, context: AppContext) -> MainWindow:  # type: ignore[no-untyped-def]
    main = MainWindow(context)
    qtbot.addWidget(main)
    main.show()
    return main


#: How long a test waits for the real worker, in milliseconds.
WORKER_PATIENCE = 10_000


class Worker:
    """The app's own runner, one background thread, for tests of what happens while it works.

    ``hold()`` keeps the thread busy until the returned gate is set. The fixture opens every
    gate and waits for the thread when the test ends, also when it failed before opening
    them: a task still waiting would keep the test process from ending.
    """

    def __init__(self) -> None:
        self.runner = TaskRunner()
        self._gates: list[threading.Event] = []

    def hold(self) -> threading.Event:
        """Occupy the worker until the returned gate is set."""
        gate = threading.Event()
        self._gates.append(gate)
        self.runner.submit(lambda _control: gate.wait(WORKER_PATIENCE / 1000))
        return gate

    def gate(self) -> threading.Event:
        """A gate the fixture opens at the end, for a test that blocks the worker itself."""
        gate = threading.Event()
        self._gates.append(gate)
        return gate

    def finish(self) -> None:
        for gate in self._gates:
            gate.set()
        self.runner.wait(WORKER_PATIENCE)


@pytest.fixture
def worker(qapp: QApplication) -> Iterator[Worker]:
    """A real one-thread runner (``Worker``), released and finished when the test ends."""
    held = Worker()
    try:
        yield held
    finally:
        held.finish()


W = TypeVar("W", bound=QWidget)


def open_client(qtbot, window: MainWindow, client_id: int) -> ClientDetail:  # type: ignore[no-untyped-def]
    """Open a client's page as the list does, and wait until it shows: its data are read in
    the background and the page is uncovered in the turn after they arrive."""
    window.show_client(client_id)
    page = window.page("clients")
    assert isinstance(page, ClientsPage) and page.detail is not None
    detail = page.detail
    qtbot.waitUntil(detail.title.isVisible, timeout=5000)
    return detail


def activate(qtbot, window: QWidget) -> None:  # type: ignore[no-untyped-def]
    """Make ``window`` the active one, as clicking into it would, so that keys go to it."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)


def on_next_modal(kind: type[W], act: Callable[[W], object]) -> list[object]:
    """When the next modal window of ``kind`` shows, call ``act`` on it (it must close it).

    Returns a list that receives what ``act`` returned, for asserting what the user saw.
    """
    seen: list[object] = []

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if not isinstance(widget, kind):
            QTimer.singleShot(10, poll)
            return
        seen.append(act(widget))

    QTimer.singleShot(0, poll)
    return seen


@pytest.fixture
def answer_message_box(qtbot) -> Callable[[str], list[str]]:  # type: ignore[no-untyped-def]
    """Arrange for the next message box to be answered with the button of that text.

    Returns a list that receives the text of the box that was answered.
    """

    def arrange(button_text: str) -> list[str]:
        def click(box: QMessageBox) -> str:
            for button in box.buttons():
                if button.text().replace("&", "") == button_text:
                    button.click()
                    return box.text()
            raise AssertionError(
                f"no button {button_text!r} in {[b.text() for b in box.buttons()]}"
            )

        return on_next_modal(QMessageBox, click)  # type: ignore[return-value]

    return arrange


class UrlCatcher(QObject):
    """Stands in for the desktop program of a URL scheme (mail program, PDF viewer …)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


@pytest.fixture
def catch_urls() -> Iterator[Callable[[str], UrlCatcher]]:
    """``catch_urls("mailto")``: URLs of that scheme the app opens are collected, not opened."""
    schemes: list[str] = []

    def catch(scheme: str) -> UrlCatcher:
        catcher = UrlCatcher()
        QDesktopServices.setUrlHandler(scheme, catcher, "open")
        schemes.append(scheme)
        return catcher

    yield catch
    for scheme in schemes:
        QDesktopServices.unsetUrlHandler(scheme)


def deleted_later_now() -> None:
    """What Qt deletes later (a closed dialog, a client's page left) is deleted now."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
