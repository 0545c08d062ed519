"""Qt's own messages into the log file, and Help → Open log folder.

The log itself is set up by ``freelancer_desk.logs`` (no Qt there); this module adds what only
the window has.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from PySide6.QtCore import QMessageLogContext, Qt, QtMsgType, QUrl, qInstallMessageHandler
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from freelancer_desk import logs
from freelancer_desk.i18n import _
from ui.widgets import show_error

qt_log = logging.getLogger("qt")

#: Qt's message types and the logging levels they are written at.
LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}

QtHandler = Callable[[QtMsgType, QMessageLogContext, str], None]


def route_qt_messages() -> None:
    """Write Qt's warnings into the log; a handler installed before (the tests') still sees them.

    Without an earlier handler the message is also printed where Qt would print it, when there
    is a console to print to.
    """
    previous: QtHandler | None = None

    def handle(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        qt_log.log(LEVELS.get(kind, logging.WARNING), "%s", message)
        if previous is not None:
            previous(kind, context, message)
        elif kind != QtMsgType.QtDebugMsg and logs.has_console():
            print(message, file=sys.stderr)

    previous = qInstallMessageHandler(handle)


def open_log_folder(window: QWidget) -> None:
    """Help → Open log folder: the folder in the file manager, to attach the log to a report."""
    folder = logs.log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        logs.caught(error, f"create the log folder {folder}")
        show_error(window, error, _("Cannot open the log folder"))
        return
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
        # No file manager to show it (a minimal system): say where it is, to copy from here.
        box = QMessageBox(
            QMessageBox.Icon.Information,
            _("Log folder"),
            _("No file manager could be opened. The log is in this folder:\n{folder}").format(
                folder=folder
            ),
            QMessageBox.StandardButton.Ok,
            window,
        )
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.exec()
