"""The main window: navigation on the left, pages on the right, menus, remembered layout."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QGuiApplication,
    QKeySequence,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from freelancer_desk import APP_NAME, __version__, collector
from freelancer_desk.i18n import _
from ui import registry
from ui.context import AppContext
from ui.icons import icon

if TYPE_CHECKING:
    from ui.pages.clients import ClientsPage
    from ui.runner import TaskControl

#: Width of the navigation with its titles, and with icons only in a narrow window.
NAV_WIDTH = 190
NAV_COMPACT_WIDTH = 56
#: Below this window width the navigation shows icons only (titles stay in the tooltips).
COMPACT_BELOW = 1100
#: The window's size on a first start, shrunk to ``SCREEN_SHARE`` of a smaller screen.
DEFAULT_SIZE = QSize(1200, 780)
SCREEN_SHARE = 0.92
#: The modules that bring reportlab in, with its charts: the Reports page makes its previews,
#: the dossier and the review through them.
PRINT_MODULES = (
    "freelancer_desk.reports.document",
    "freelancer_desk.reports.dossier",
    "freelancer_desk.reports.review",
    "freelancer_desk.reports.preview",
)
#: How long the user must have worked in another program before the collector sweeps.
SWEEP_AWAY_MS = 30_000
#: The database path in the status bar is shortened in the middle to this width (pixels).
PATH_WIDTH = 320


class MainWindow(QMainWindow):
    """Holds the pages; builds them on first visit and reloads them when data changed."""

    #: Emitted once the dashboard has been painted with data (used by ``--smoke``).
    dashboard_painted = Signal()
    #: Emitted when the user switched the language: the app rebuilds the window.
    language_changed = Signal(str)

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.setWindowTitle(f"{APP_NAME} — {context.db.path.name}")
        self.setMinimumSize(QSize(720, 480))
        self._pages: dict[str, QWidget] = {}
        self._stale: set[str] = set()

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setSpacing(2)
        self.nav.setFixedWidth(NAV_WIDTH)
        self._compact = False
        self._shown_once = False
        self._fitted_size = QSize()
        self.stack = QStackedWidget()
        for spec in registry.PAGES:
            item = QListWidgetItem(icon(spec.icon), _(spec.title))
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            item.setToolTip(f"{_(spec.title)} ({spec.shortcut})")
            self.nav.addItem(item)
            placeholder = QWidget()
            placeholder.setObjectName(f"placeholder-{spec.key}")
            self.stack.addWidget(placeholder)
        self.nav.currentRowChanged.connect(self._show_row)
        self.nav.itemClicked.connect(lambda item: self.go_to(item.data(Qt.ItemDataRole.UserRole)))

        self.nav.setStyleSheet(
            "#navigation { font-size: 11pt; border: none; background: palette(window); "
            "outline: 0; }"
            "#navigation::item { padding: 8px 10px; border-radius: 4px; }"
            "#navigation::item:selected { background: palette(highlight); "
            "color: palette(highlighted-text); }"
        )
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.path_label = QLabel()
        self.path_label.setObjectName("databasePath")
        self.path_label.setToolTip(str(context.db.path))
        self.path_label.setText(
            self.path_label.fontMetrics().elidedText(
                str(context.db.path), Qt.TextElideMode.ElideMiddle, PATH_WIDTH
            )
        )
        self.statusBar().addPermanentWidget(self.path_label)
        # A message takes the whole bar while it is shown: beside the path it would be cut
        # off or drawn over it.
        self.statusBar().messageChanged.connect(lambda text: self.path_label.setHidden(bool(text)))

        self._build_menus()
        context.data_changed.connect(self._on_data_changed)
        context.open_client.connect(self.show_client)
        context.open_page.connect(self.show_page)
        context.open_clients.connect(self.show_clients)
        # A full collection takes as long as it takes: run it while the user works elsewhere.
        self._sweep = QTimer(self)
        self._sweep.setSingleShot(True)
        self._sweep.timeout.connect(collector.sweep)
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication)  # a window needs one
        app.applicationStateChanged.connect(self._sweep_when_away)
        self._restore_layout()
        self.nav.setCurrentRow(0)

    def _sweep_when_away(self, state: Qt.ApplicationState) -> None:
        """Sweep once the app has not been the active one for ``SWEEP_AWAY_MS`` (between a
        dialog closing and the window coming back, none of its windows is active)."""
        if state == Qt.ApplicationState.ApplicationActive:
            self._sweep.stop()
        elif not self._sweep.isActive():
            self._sweep.start(SWEEP_AWAY_MS)

    # ---- pages -------------------------------------------------------------------------

    def page(self, key: str) -> QWidget:
        """The page of that key, built on first use."""
        if key not in self._pages:
            row = next(i for i, spec in enumerate(registry.PAGES) if spec.key == key)
            spec = registry.PAGES[row]
            factory = registry.load(spec.factory)
            # A page lives as long as the window: the collector's passes leave it alone.
            with collector.many_records():
                widget = factory(self.context)  # type: ignore[operator]  # a page entry names a class taking the context
            widget.setObjectName(f"page-{key}")
            old = self.stack.widget(row)
            assert old is not None  # every page has its placeholder until it is built
            self.stack.removeWidget(old)
            old.deleteLater()
            self.stack.insertWidget(row, widget)
            self._pages[key] = widget
            if key == "dashboard" and hasattr(widget, "painted"):
                widget.painted.connect(self.dashboard_painted)
                widget.painted.connect(self._load_libraries)
        return self._pages[key]

    def _load_libraries(self) -> None:
        """Once the figures are painted, load in the background what later pages need first:
        matplotlib for the charts, reportlab for the Reports page (on the GUI thread each cost
        a second when first needed), then the code of every page, dialog and client tab (the
        import wizard's alone kept the window busy for a fifth of a second when first opened)."""
        from ui.charts import load_matplotlib

        later = (*PRINT_MODULES, *registry.modules())

        def load(_control: TaskControl) -> None:
            # Code lives as long as the app: the collector's passes leave it alone from now on.
            with collector.many_records():
                load_matplotlib()
                for name in later:
                    importlib.import_module(name)

        self.context.runner.submit(load)

    def show_page(self, key: str) -> QWidget:
        """Switch to a page (and select it in the navigation)."""
        row = next(i for i, spec in enumerate(registry.PAGES) if spec.key == key)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)
        return self.page(key)

    def go_to(self, key: str) -> QWidget:
        """The page the user picked in the navigation or by its shortcut, at its start (a
        page's ``show_start``): "Clients" leads to the client list, also from a client's page,
        as a sidebar does."""
        page = self.show_page(key)
        show_start = getattr(page, "show_start", None)
        if callable(show_start):
            show_start()
        return page

    def current_page(self) -> str:
        """The key of the page shown."""
        return registry.PAGES[max(self.nav.currentRow(), 0)].key

    def clients_page(self) -> ClientsPage:
        """The Clients page, shown (the shell's own menu and links lead there)."""
        from ui.pages.clients import ClientsPage  # pages load when first shown

        page = self.show_page("clients")
        assert isinstance(page, ClientsPage)
        return page

    def show_client(self, client_id: int) -> None:
        """Open a client's page inside the Clients page."""
        self.clients_page().show_client(client_id)

    def show_clients(self, status: str) -> None:
        """Show the client list with the clients of one status."""
        self.clients_page().show_status(status)

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        key = registry.PAGES[row].key
        widget = self.page(key)
        self.stack.setCurrentIndex(row)
        if key in self._stale:
            self._stale.discard(key)
            self._refresh(widget)

    def _on_data_changed(self) -> None:
        current = registry.PAGES[self.nav.currentRow()].key
        for key, widget in self._pages.items():
            if key == current:
                self._refresh(widget)
            else:
                self._stale.add(key)

    @staticmethod
    def _refresh(widget: QWidget) -> None:
        refresh = getattr(widget, "refresh", None)
        if callable(refresh):
            refresh()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._set_compact(event.size().width() < COMPACT_BELOW)

    def _set_compact(self, compact: bool) -> None:
        """Icons only in a narrow window, so that the pages keep room for their tables."""
        if compact == self._compact:
            return
        self._compact = compact
        for row, spec in enumerate(registry.PAGES):
            self.nav.item(row).setText("" if compact else _(spec.title))
        self.nav.setFixedWidth(NAV_COMPACT_WIDTH if compact else NAV_WIDTH)

    # ---- menus -------------------------------------------------------------------------

    def _action(
        self, text: str, slot: object, keys: str | QKeySequence.StandardKey = ""
    ) -> QAction:
        action = QAction(text, self)
        if keys:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        menus = {key: bar.addMenu(_(title)) for key, title in registry.MENUS.items()}
        menus["clients"].addAction(
            self._action(_("&New client…"), lambda: self.clients_page().new_client(), "Ctrl+N")
        )
        # Help starts with the manual; the areas' entries (the log folder) follow.
        menus["help"].addAction(self._action(_("&Manual"), self.show_manual, "F1"))
        menus["help"].addAction(self._action(_("&Keyboard shortcuts"), self.show_shortcuts))
        menus["help"].addSeparator()
        for action in registry.ACTIONS:
            # The handler's module (and what it imports: the importers, the ORM) is loaded when
            # the action is first used, not at start.
            menus[action.menu].addAction(
                self._action(
                    _(action.title),
                    lambda _c=False, path=action.handler: registry.load(path)(self),  # type: ignore[operator]  # an action entry names a function taking the window
                    action.shortcut,
                )
            )
        menus["file"].addSeparator()
        menus["file"].addAction(self._action(_("&Settings…"), self.open_settings, "Ctrl+,"))
        menus["file"].addSeparator()
        menus["file"].addAction(self._action(_("&Quit"), self.close, QKeySequence.StandardKey.Quit))
        for spec in registry.PAGES:
            menus["view"].addAction(
                self._action(
                    _(spec.title), lambda _c=False, k=spec.key: self.go_to(k), spec.shortcut
                )
            )
        menus["help"].addSeparator()
        menus["help"].addAction(self._action(_("&About Freelancer Desk"), self.about))

    def open_settings(self) -> None:
        from ui.dialogs.settings import SettingsDialog
        from ui.widgets import show_modal

        dialog = SettingsDialog(self.context, self)
        if show_modal(dialog) and dialog.language_changed:
            self.language_changed.emit(dialog.chosen_language)
        elif dialog.result():
            self.context.changed()

    def show_manual(self) -> QWidget:
        from ui.dialogs.help import HelpDialog, show_help

        return show_help(self, HelpDialog.MANUAL)

    def show_shortcuts(self) -> QWidget:
        from ui.dialogs.help import HelpDialog, show_help

        return show_help(self, HelpDialog.SHORTCUTS)

    def about(self) -> None:
        QMessageBox.about(
            self,
            _("About Freelancer Desk"),
            _(
                "{app} {version}\n\nKeep your clients, stay independent of any single one, and win "
                "back the ones who leave. Works offline; your data stays in one file on this "
                "computer:\n{path}"
            ).format(app=APP_NAME, version=__version__, path=self.context.db.path),
        )

    # ---- layout ------------------------------------------------------------------------

    def _restore_layout(self) -> None:
        prefs = self.context.preferences
        geometry = prefs.geometry("main/geometry")
        if geometry is not None and self.restoreGeometry(geometry):
            self._fit_screen(1.0)
        else:
            self.resize(DEFAULT_SIZE)
            self._fit_screen(SCREEN_SHARE)
        self._fitted_size = self.size()

    def _fit_screen(self, share: float = 1.0) -> None:
        """Keep the whole window, title bar included, inside the screen's free area (without
        the task bar): on a first start on a laptop, or with a size saved on a larger monitor.

        Before the window is shown its frame is unknown: a first start takes ``share`` of the
        area to leave room for it. Once shown, the real frame counts (``showEvent``).
        """
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        area = screen.availableGeometry()
        frame = self.frameGeometry()
        room = QSize(
            int(area.width() * share) - (frame.width() - self.width()),
            int(area.height() * share) - (frame.height() - self.height()),
        )
        width = max(min(self.width(), room.width()), self.minimumWidth())
        height = max(min(self.height(), room.height()), self.minimumHeight())
        resized = (width, height) != (self.width(), self.height())
        if resized:
            self.resize(width, height)
            frame = self.frameGeometry()
            frame.moveCenter(area.center())
        if resized or not area.contains(frame):
            frame.moveLeft(max(area.left(), min(frame.left(), area.right() - frame.width() + 1)))
            frame.moveTop(max(area.top(), min(frame.top(), area.bottom() - frame.height() + 1)))
            self.move(frame.topLeft())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            if self.size() == self._fitted_size:  # not resized on purpose before showing
                self._fit_screen()  # now with the real frame of the window

    def save_layout(self) -> None:
        """Remember the window's size and the layout of pages that keep one."""
        prefs = self.context.preferences
        prefs.set_geometry("main/geometry", self.saveGeometry())
        for widget in self._pages.values():
            save = getattr(widget, "save_layout", None)
            if callable(save):
                save()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        super().closeEvent(event)
