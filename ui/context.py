"""What every page needs: the open database, preferences, the background runner, and the
signal that tells pages to reload after data changed."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from freelancer_desk.db import Database
from freelancer_desk.settings import DeskSettings
from ui.preferences import Preferences
from ui.runner import TaskRunner


class AppContext(QObject):
    """Shared by the main window and its pages."""

    #: Emitted after any change of the data; pages reload what they show.
    data_changed = Signal()
    #: Ask the main window to show a client's page (client id).
    open_client = Signal(int)
    #: Ask the main window to switch to a page by key.
    open_page = Signal(str)
    #: Ask the main window to show the client list with one status (a ``ClientStatus`` value).
    open_clients = Signal(str)

    def __init__(self, db: Database, preferences: Preferences, runner: TaskRunner) -> None:
        super().__init__()
        self.db = db
        self.preferences = preferences
        self.runner = runner
        # Documents computed by a page's load are kept in the file once the page has them.
        runner.after_each_task(self._keep_computed)

    def _keep_computed(self) -> None:
        """Keep the documents computed in the database open now (a restore opens another)."""
        self.db.keeper.write_waiting()

    def settings(self) -> DeskSettings:
        """The domain settings as stored now."""
        from freelancer_desk.services import settings as settings_service

        return settings_service.load(self.db)

    def changed(self) -> None:
        """Call after writing: every page reloads."""
        self.data_changed.emit()
