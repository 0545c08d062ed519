"""The log seen from the window: Help → Open log folder, Qt's messages, errors with tracebacks."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import qInfo
from PySide6.QtWidgets import QApplication, QMessageBox

from freelancer_desk import logs
from freelancer_desk.cli import GuiOptions
from freelancer_desk.errors import DeskError
from tests.ui.conftest import UrlCatcher, on_next_modal
from ui.app import install_error_hook, run_gui
from ui.logs import route_qt_messages
from ui.main_window import MainWindow
from ui.widgets import show_error


def _menu_action(window: MainWindow, menu_title: str, text: str):  # type: ignore[no-untyped-def]
    [menu] = [a.menu() for a in window.menuBar().actions() if a.text() == menu_title]
    [action] = [a for a in menu.actions() if a.text() == text]
    return action


def test_help_opens_the_log_folder(
    window: MainWindow, catch_urls: Callable[[str], UrlCatcher]
) -> None:
    opened = catch_urls("file")
    _menu_action(window, "&Help", "Open &log folder").trigger()
    assert [url.toLocalFile() for url in opened.urls] == [str(logs.log_dir())]
    assert logs.log_dir().is_dir()


@pytest.mark.qt_log_ignore("does not support")  # the test platform has no file manager
def test_without_a_file_manager_the_log_folder_is_named(window: MainWindow) -> None:
    shown = on_next_modal(QMessageBox, lambda box: (box.text(), box.close()))
    _menu_action(window, "&Help", "Open &log folder").trigger()
    assert str(logs.log_dir()) in shown[0][0]  # type: ignore[index]


def test_qt_messages_go_into_the_log(qapp: QApplication, caplog: pytest.LogCaptureFixture) -> None:
    route_qt_messages()
    with caplog.at_level(logging.INFO, logger="qt"):
        qInfo("a font was replaced")
    assert [(r.name, r.levelname, r.getMessage()) for r in caplog.records] == [
        ("qt", "INFO", "a font was replaced")
    ]


def test_an_error_shown_to_the_user_is_logged_with_its_traceback(
    window: MainWindow, caplog: pytest.LogCaptureFixture
) -> None:
    try:
        raise DeskError("The backup folder is not reachable.")
    except DeskError as error:
        shown = on_next_modal(QMessageBox, lambda box: (box.text(), box.close()))
        show_error(window, error, "No backup was made")
    assert shown[0][0] == "The backup folder is not reachable."  # type: ignore[index]
    [record] = [r for r in caplog.records if r.name == "freelancer_desk.logs"]
    assert record.levelname == "WARNING"
    assert record.getMessage() == (
        "No backup was made: DeskError: The backup folder is not reachable."
    )
    assert record.exc_info is not None and record.exc_info[2] is not None  # the traceback


def test_the_unexpected_error_dialog_names_the_log_file(
    qapp: QApplication, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back after the test
    errors = install_error_hook(qapp, smoke=False)
    logs.setup()
    seen = on_next_modal(QMessageBox, lambda box: (box.text(), box.close()))
    try:
        raise KeyError("client 17")
    except KeyError as error:
        sys.excepthook(type(error), error, error.__traceback__)
    assert errors and isinstance(errors[0], KeyError)
    text = seen[0][0]  # type: ignore[index]
    assert text.startswith("Something unexpected went wrong: 'client 17'")
    assert text.endswith(f"with the log file:\n{logs.log_file()}")
    logged = logs.log_file().read_text(encoding="utf-8")
    assert "unexpected error in the window: KeyError: 'client 17'" in logged
    assert 'raise KeyError("client 17")' in logged


def test_a_database_refused_at_start_names_the_log(qapp: QApplication, tmp_path: Path) -> None:
    """The window never opens: the message is all the user has, so it says where the log is."""
    refused = tmp_path / "desk.sqlite3"
    refused.write_bytes(b"PK\x03\x04 a spreadsheet, not a database")
    shown = on_next_modal(QMessageBox, lambda box: (box.text(), box.close())[0])
    assert run_gui(GuiOptions(refused, smoke=False, language="en")) == 1
    [text] = shown
    assert str(refused) in text and "is not a Freelancer Desk database" in text  # type: ignore[operator]
    assert f"The log has the details, for a report:\n{logs.log_file()}" in text  # type: ignore[operator]
