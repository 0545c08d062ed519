"""Starting the window: language, Qt's own translations, opening the database, ``--smoke``."""

from __future__ import annotations

import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

import shiboken6
from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from freelancer_desk import APP_NAME, STARTED_AT, __version__, logs
from freelancer_desk.cli import GuiOptions
from freelancer_desk.db import Database, open_database
from freelancer_desk.errors import DatabaseDamagedError
from freelancer_desk.faults import explain
from freelancer_desk.i18n import BABEL_LOCALES, _, set_language, system_language
from ui.charts import ChartView
from ui.context import AppContext
from ui.icons import icon
from ui.logs import route_qt_messages
from ui.main_window import MainWindow
from ui.preferences import Preferences
from ui.runner import TaskRunner

#: Give up a ``--smoke`` start after this long: unpainted, something is badly wrong; painted,
#: the work after the paint is left unfinished.
SMOKE_TIMEOUT_MS = 60_000
#: How often ``--smoke`` looks whether the background work after the paint is done.
SETTLED_POLL_MS = 50
#: The checks at start wait for the dashboard's first paint, but never longer than this.
START_CHECKS_LATEST_MS = 10_000


def apply_language(app: QApplication, lang: str) -> None:
    """Switch our strings and Qt's own (standard buttons, dialogs) to ``lang``."""
    set_language(lang)
    QLocale.setDefault(QLocale(BABEL_LOCALES[lang]))
    for old in app.findChildren(QTranslator):
        app.removeTranslator(old)
        # Let go at once: deleted later, each switch's translator stayed a child of the
        # application while no event loop ran (a test's), and the next switch walked them all.
        old.setParent(None)
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{lang}", folder):
        app.installTranslator(translator)


def reopen_in_language(
    app: QApplication, old: MainWindow, lang: str, build: Callable[[], MainWindow]
) -> MainWindow:
    """Rebuild the window in ``lang`` where the old one was: same size, same page, the same
    client's page open; then close the old window."""
    old.save_layout()
    page = old.current_page()
    clients = old.page("clients") if page == "clients" else None
    detail = getattr(clients, "detail", None)
    client_id = detail.client_id if detail is not None and detail.isVisible() else None
    apply_language(app, lang)
    # Kept results hold erased clients' names as read ("Erased client #12"): read them anew.
    old.context.db.memo.clear()
    new = build()
    if client_id is not None:
        new.show_client(client_id)
    else:
        new.show_page(page)
    new.show()
    old.close()
    old.deleteLater()
    return new


def offer_demo_data(window: MainWindow) -> None:
    """On a first start with an empty database, offer demo data to look around."""
    from freelancer_desk.services.clients import client_names

    context = window.context
    if client_names(context.db) or context.preferences.flag("demo_offered"):
        return
    context.preferences.set_flag("demo_offered")
    answer = QMessageBox.question(
        window,
        _("Welcome to Freelancer Desk"),
        _(
            "Your database is still empty. Would you like to load demo data to look around?\n\n"
            "Demo clients are made up; you can delete them one by one or start a new database "
            "later. Choose No to begin with your own clients."
        ),
    )
    if answer == QMessageBox.StandardButton.Yes:
        from freelancer_desk import demo

        demo.generate(context.db)
        context.changed()


def install_error_hook(app: QApplication, smoke: bool) -> list[BaseException]:
    """Unexpected errors in slots must not pass silently (PySide only prints them).

    With ``--smoke`` the first one ends the run with exit code 1 at once; otherwise the user
    sees a message and can go on. Returns the list the errors are collected in.
    """
    errors: list[BaseException] = []
    showing: list[bool] = []  # a message is up: a further error is logged, not stacked on it

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        errors.append(error)
        fault = explain(error)  # a full disk, a busy or damaged file …: said in words
        logs.caught(error, "error in the window" if fault else "unexpected error in the window")
        if logs.has_console():
            traceback.print_exception(kind, error, trace, file=sys.stderr)
        if smoke:
            app.exit(1)
            return
        if showing:
            return
        showing.append(True)
        try:
            _say(app, fault, error)
        finally:
            showing.clear()

    sys.excepthook = hook
    return errors


def _say(app: QApplication, fault: object | None, error: BaseException) -> None:
    """The error hook's message: the fault in words, or an unexpected error with the log file.

    The message's parent is the active window only while it still exists (an error may come
    from a window being closed)."""
    parent = app.activeWindow()
    if parent is not None and not shiboken6.isValid(parent):
        parent = None
    if fault is not None:
        QMessageBox.warning(parent, _("Something went wrong"), str(fault))
    else:
        QMessageBox.critical(
            parent,
            _("Unexpected error"),
            _(
                "Something unexpected went wrong: {error}\n\nYour data is safe; the last "
                "change may not have been saved. Please check it, and report the problem if "
                "it happens again, with the log file:\n{log}"
            ).format(error=error, log=logs.log_file()),
        )


def open_at_start(path: Path, smoke: bool) -> Database | None:
    """Open the database for the window; on damage let the user decide. None: do not start.

    The dialogs of a damaged file (``ui.dialogs.safety``) are loaded only for one.
    """
    try:
        return open_database(path)
    except DatabaseDamagedError as error:
        if smoke:
            raise
        logs.caught(error, f"open {path}")
        from ui.dialogs.safety import recover_at_start

        return recover_at_start(path, error)


def run_gui(options: GuiOptions) -> int:
    """Show the main window until it is closed; returns the exit code."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("freelancer-desk")
    app.setWindowIcon(icon("app"))
    preferences = Preferences()
    apply_language(app, options.language or preferences.language or system_language())

    route_qt_messages()
    try:
        db = open_at_start(options.db_path, options.smoke)
    except Exception as error:
        fault = explain(error)
        if fault is None:
            raise
        logs.caught(error, f"open {options.db_path}")
        if options.smoke:
            print(f"freelancer-desk: {fault}", file=sys.stderr)
        else:
            # The window never opens: the message is all there is, so it names the log too.
            QMessageBox.critical(
                None,
                _("Cannot open the database"),
                f"{fault}\n\n"
                + _("The log has the details, for a report:\n{log}").format(log=logs.log_file()),
            )
        return 1
    if db is None:  # the user chose to quit at the damaged-database dialog
        return 1

    context = AppContext(db, preferences, TaskRunner())
    holder: dict[str, MainWindow] = {}

    def build_window() -> MainWindow:
        window = MainWindow(context)
        window.language_changed.connect(switch_language)
        holder["window"] = window
        return window

    def switch_language(lang: str) -> None:
        preferences.language = lang
        reopen_in_language(app, holder["window"], lang, build_window)

    errors = install_error_hook(app, options.smoke)
    window = build_window()
    exit_code = 1 if errors else 0
    if options.smoke:
        painted: list[bool] = []

        def report() -> None:
            painted.append(True)
            print(round((time.perf_counter() - STARTED_AT) * 1000))
            for chart in holder["window"].findChildren(ChartView):
                chart.draw_now()  # charts below the first screen too: matplotlib must work
            quit_when_settled()

        def quit_when_settled() -> None:
            """Quit once the work begun after the paint (the step plan, the libraries) is done:
            it must work too, and a process ending under it would cut it off."""
            if context.runner.busy():
                QTimer.singleShot(SETTLED_POLL_MS, quit_when_settled)
            else:
                app.quit()

        def too_slow() -> None:
            nonlocal exit_code
            if painted:  # only the work after the paint is still going on: left to end with us
                app.quit()
                return
            print(_("The dashboard was not painted in time."), file=sys.stderr)
            exit_code = 1
            app.quit()

        window.dashboard_painted.connect(report)
        QTimer.singleShot(SMOKE_TIMEOUT_MS, too_slow)
        window.show()
    else:
        started: list[bool] = []

        def after_start() -> None:
            """The demo offer, the location warning and the backup at start: after the first
            paint (they load the services, which the figures need not wait for), or at the
            latest after ``START_CHECKS_LATEST_MS`` should the dashboard not be painted."""
            if started:
                return
            started.append(True)
            offer_demo_data(holder["window"])
            from ui.dialogs.safety import start_safety

            start_safety(holder["window"])

        window.dashboard_painted.connect(after_start)
        QTimer.singleShot(START_CHECKS_LATEST_MS, after_start)
        window.show()
    try:
        # With --smoke, a window that failed to build will never paint: do not wait for it.
        code = 1 if errors and options.smoke else app.exec()
    finally:
        context.runner.wait(10_000)
        context.db.close()  # a restore may have replaced the first one
    return exit_code or code
