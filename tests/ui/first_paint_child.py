"""A child process for the start tests: starts the real window (``--smoke``) on a database,
says what its dashboard showed at its first paint with figures and what was loaded by then, and
quits (the work after it, drawing every chart, is tested by ``--smoke`` itself, in
tests/cli/test_cli_smoke.py; here it took half of each start).

Run as ``python -m tests.ui.first_paint_child DB YYYY-MM-DD`` (the day is pinned as today). It
prints one JSON line: ``total`` (the net revenue the dashboard's first card shows) and
``loaded`` (those of ``WATCHED`` that were imported when that paint happened).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject

from freelancer_desk import clock
from freelancer_desk.cli import GuiOptions
from ui import app
from ui.context import AppContext
from ui.pages.dashboard import DashboardPage, KeyFiguresCard

#: Modules the first paint should not wait for: the ORM, the models and the services.
WATCHED = (
    "sqlalchemy",
    "sqlmodel",
    "pydantic",
    "freelancer_desk.models",
    "freelancer_desk.services.status",
)


class FirstPaint(QObject):
    """Notes the dashboard's first paint with a status document, as ``DashboardPage`` does."""

    def __init__(self, dashboard: DashboardPage) -> None:
        super().__init__(dashboard)
        self.dashboard = dashboard
        self.seen = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.seen and self.dashboard.status:
            self.seen = True
            [card] = [c for c in self.dashboard.cards if isinstance(c, KeyFiguresCard)]
            loaded = [name for name in WATCHED if name in sys.modules]
            print(json.dumps({"total": card.total.text(), "loaded": loaded}), flush=True)
            QCoreApplication.quit()  # what comes after the first paint is --smoke's to test
        return False


class Window(app.MainWindow):
    """The app's window with the probe on its dashboard (installed before the dashboard's own
    filter runs: a later filter sees the event first)."""

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        dashboard = self.page("dashboard")
        assert isinstance(dashboard, DashboardPage)
        content = dashboard.widget()
        assert content is not None
        content.installEventFilter(FirstPaint(dashboard))


def main() -> int:
    db, day = Path(sys.argv[1]), dt.date.fromisoformat(sys.argv[2])
    app.MainWindow = Window  # type: ignore[misc]  # the probe's window in place of the app's
    with clock.pinned(day):
        return app.run_gui(GuiOptions(db_path=db, smoke=True, language="en"))


if __name__ == "__main__":
    sys.exit(main())
