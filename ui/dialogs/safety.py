"""Data safety in the window: Back up now, Restore…, the damaged-database dialog at start,
the one-time warning about network and synced folders, and the backup at start.

Backups and restores run on the runner's worker thread behind a modal progress dialog. A restore
closes the database, lets ``backups.restore`` replace the file under the lock, and opens it again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from freelancer_desk import backups, erasure, formatting, logs
from freelancer_desk import db as store
from freelancer_desk.backups import BackupInfo
from freelancer_desk.db import Database, open_database
from freelancer_desk.errors import DatabaseDamagedError, DeskError
from freelancer_desk.i18n import N_, _
from freelancer_desk.integrity import IntegrityReport
from freelancer_desk.location import location_warnings
from ui.context import AppContext
from ui.models.table import Column
from ui.record_list import RecordList
from ui.runner import TaskControl, TaskRunner
from ui.widgets import show_error, show_modal

if TYPE_CHECKING:
    from ui.main_window import MainWindow

T = TypeVar("T")

BACKUP_COLUMNS: list[Column[BackupInfo]] = [
    Column(N_("Taken"), lambda b: formatting.date_time(b.taken_at), lambda b: b.taken_at),
    Column(N_("Reason"), lambda b: b.reason_label()),
    Column(N_("Size"), lambda b: formatting.file_size(b.size), lambda b: b.size, numeric=True),
    Column(N_("Folder"), lambda b: str(b.path.parent), tooltip=lambda b: str(b.path)),
]


def run_modal(
    parent: QWidget | None, runner: TaskRunner, text: str, work: Callable[[TaskControl], T]
) -> T:
    """Run ``work`` on the runner behind a modal progress dialog; return its result or raise."""
    dialog = QProgressDialog(text, "", 0, 0, parent)
    dialog.setWindowTitle(_("Please wait"))
    dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(400)
    outcome: dict[str, Any] = {}
    loop = QEventLoop()

    def finish(key: str, value: object) -> None:
        outcome[key] = value
        loop.quit()

    def progressed(done: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)

    runner.submit(
        work, lambda value: finish("value", value), lambda exc: finish("error", exc), progressed
    )
    if not outcome:
        loop.exec()
    dialog.close()
    dialog.deleteLater()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def describe(info: BackupInfo) -> str:
    """A backup in words for a message: when, why, how big."""
    return (
        f"{formatting.date_time(info.taken_at)} "
        f"({info.reason_label()}, {formatting.file_size(info.size)})"
    )


# --------------------------------------------------------------------------------------------
# File menu: Back up now
# --------------------------------------------------------------------------------------------


def back_up_now(window: MainWindow) -> None:
    """File → Back up now: a backup into the backup folder, with the result in the status bar."""
    context = window.context
    path = context.db.path
    try:
        result = run_modal(
            window,
            context.runner,
            _("Backing up…"),
            lambda control: backups.take_backup(path, backups.MANUAL, progress=control.progress),
        )
    except DeskError as error:
        show_error(window, error, _("No backup was made"))
        return
    window.statusBar().showMessage(_("Backed up to {file}.").format(file=result.info.path), 10_000)
    warning = result.warning()
    if warning:
        QMessageBox.warning(window, _("Backup folder not reachable"), warning)


# --------------------------------------------------------------------------------------------
# File menu: Restore…
# --------------------------------------------------------------------------------------------


class RestoreDialog(QDialog):
    """The backups of the open database, newest first; restore one, or a file chosen by hand."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(_("Restore from a backup"))
        self.resize(760, 420)
        self.chosen: Path | None = None
        intro = QLabel(
            _(
                "Choose the state to go back to. The current data is backed up first, "
                "so a restore can be undone by restoring that backup."
            )
        )
        intro.setWordWrap(True)
        self.folder = QLabel()
        self.folder.setWordWrap(True)
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        change = QPushButton(_("Change folder…"))
        change.clicked.connect(self.change_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(change)
        self.list = RecordList(
            BACKUP_COLUMNS,
            "backups",
            context.preferences,
            _("There are no backups yet. Use File → Back up now, or choose a backup file."),
            searchable=False,
            default_sort=(0, Qt.SortOrder.DescendingOrder),
        )
        self.restore_button = self.list.add_button(
            _("&Restore…"), self.restore_selected, needs_selection=True
        )
        self.list.add_button(_("Choose &file…"), self.choose_file)
        self.list.bar.addStretch(1)
        self.list.activated.connect(lambda info: self.confirm_and_accept(info.path, describe(info)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(folder_row)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        """Read the backup folder again."""
        settings = backups.backup_settings(self.context.db.path)
        self.folder.setText(_("Backup folder: {folder}").format(folder=settings.folder))
        self.list.set_records(backups.list_backups(self.context.db.path))
        self.list.table.selectRow(0)  # the newest, the usual choice

    def restore_selected(self) -> None:
        info = self.list.selected()
        if info is not None:
            self.confirm_and_accept(info.path, describe(info))

    def choose_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self,
            _("Choose a backup"),
            str(backups.backup_settings(self.context.db.path).folder),
            _("Freelancer Desk databases (*.sqlite3 *.db);;All files (*)"),
        )
        if name:
            self.confirm_and_accept(Path(name), name)

    def confirm_and_accept(self, path: Path, what: str) -> None:
        """Ask once, then close the dialog with ``chosen`` set; say how many clients erased
        since the backup will be erased again."""
        again = erasure.erasures_to_apply(self.context.db.path, path)
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Restore this backup?"),
            _(
                "Replace the data in this window with this backup?\n\n{what}\n\nEverything entered "
                "since it was taken is replaced. The current state is backed up first."
            ).format(what=what)
            + ("\n\n" + backups.erased_again_text(again, done=False) if again else ""),
            QMessageBox.StandardButton.Cancel,
            self,
        )
        proceed = box.addButton(_("Restore"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is proceed:
            self.chosen = path
            self.accept()

    def change_folder(self) -> None:
        """Pick the backup folder (e.g. on an external drive) and store it in the settings."""
        current = backups.backup_settings(self.context.db.path).folder
        name = QFileDialog.getExistingDirectory(self, _("Choose the backup folder"), str(current))
        if not name:
            return
        try:
            from freelancer_desk.services import settings as settings_service

            settings_service.save(self.context.db, backup_folder=name)
        except DeskError as error:
            show_error(self, error)
            return
        self.refresh()


def open_restore(window: MainWindow) -> None:
    """File → Restore…: choose a backup, then restore it into the open window."""
    context = window.context
    dialog = RestoreDialog(context, window)
    if show_modal(dialog) and dialog.chosen is not None:
        restore_into(window, dialog.chosen)


def restore_into(window: MainWindow, backup: Path) -> bool:
    """Close the database, restore ``backup`` over it off the GUI thread, and open it again."""
    context = window.context
    path = context.db.path
    context.runner.wait()  # nothing may still be working on the file
    context.db.close()
    try:
        result = run_modal(
            window,
            context.runner,
            _("Restoring…"),
            lambda control: backups.restore(path, backup, progress=control.progress),
        )
    except DeskError as error:
        reopen(window, path)
        show_error(window, error, _("Nothing was restored"))
        return False
    if not reopen(window, path):
        return False
    context.changed()
    kept = result.previous or result.damaged_copy
    QMessageBox.information(
        window,
        _("Restored"),
        _("The backup was restored.")
        + ("\n\n" + _("The replaced state was kept as {file}.").format(file=kept) if kept else "")
        + (
            "\n\n" + backups.erased_again_text(result.erased_again, done=True)
            if result.erased_again
            else ""
        ),
    )
    return True


def reopen(window: MainWindow, path: Path) -> bool:
    """Open the database again after a restore; without it the window cannot go on."""
    context = window.context
    try:
        context.db = open_database(path)
    except DeskError as error:
        logs.caught(error, f"open {path}")
        QMessageBox.critical(window, _("Cannot open the database"), str(error))
        window.close()
        return False
    return True


# --------------------------------------------------------------------------------------------
# At start: a damaged database, the location warning, the backup at start
# --------------------------------------------------------------------------------------------


class DamagedDialog(QDialog):
    """Explains the damage and offers the newest good backup, another backup, or opening anyway.

    ``choice`` is ``"restore"`` (with ``backup`` set), ``"open"`` or ``None`` (quit).
    """

    def __init__(self, path: Path, report: IntegrityReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("The database is damaged"))
        self.setMinimumWidth(640)
        self.path = path
        self.choice: str | None = None
        self.backup: Path | None = None
        self.good = backups.newest_good_backup(path)
        headline = QLabel(_("Your database cannot be used as it is."))
        font = headline.font()
        font.setBold(True)
        headline.setFont(font)
        explanation = QLabel(
            _(
                "{summary}\n\nNothing was written to it. The safest way on is the newest good "
                "backup: the damaged file is kept as a copy beside the backups. You may also open "
                "the damaged file anyway, for example to look up something; changes to it can be "
                "lost."
            ).format(summary=report.summary())
        )
        explanation.setWordWrap(True)
        explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        offer = QLabel(
            _("Newest good backup: {backup}").format(backup=describe(self.good))
            if self.good
            else _("No good backup was found.")
        )
        offer.setObjectName("goodBackup")
        offer.setWordWrap(True)
        self.restore_button = QPushButton(_("Restore this backup"))
        self.restore_button.setEnabled(self.good is not None)
        self.restore_button.clicked.connect(
            lambda: self._restore(self.good.path if self.good else None)
        )
        offer_row = QHBoxLayout()
        offer_row.addWidget(offer, 1)
        offer_row.addWidget(self.restore_button)
        buttons = QDialogButtonBox()
        choose = buttons.addButton(_("Choose a backup…"), QDialogButtonBox.ButtonRole.ActionRole)
        choose.clicked.connect(self._choose)
        self.open_button = buttons.addButton(
            _("Open anyway"), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.open_button.clicked.connect(self._open_anyway)
        quit_button = buttons.addButton(_("Quit"), QDialogButtonBox.ButtonRole.RejectRole)
        quit_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(headline)
        layout.addWidget(explanation)
        layout.addLayout(offer_row)
        layout.addSpacing(8)
        layout.addWidget(buttons)
        if self.good is not None:
            self.restore_button.setDefault(True)

    def _restore(self, backup: Path | None) -> None:
        if backup is not None:
            self.choice, self.backup = "restore", backup
            self.accept()

    def _choose(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self,
            _("Choose a backup"),
            str(backups.backup_settings(self.path).folder),
            _("Freelancer Desk databases (*.sqlite3 *.db);;All files (*)"),
        )
        if name:
            self._restore(Path(name))

    def _open_anyway(self) -> None:
        self.choice = "open"
        self.accept()


def recover_at_start(path: Path, error: DatabaseDamagedError) -> Database | None:
    """Show the damaged-database dialog and carry out the choice; None when the user quits."""
    dialog = DamagedDialog(path, error.report)  # type: ignore[arg-type]  # always an IntegrityReport
    while dialog.exec():
        try:
            if dialog.choice == "open":
                with store.exclusive_access(path):
                    backups.keep_damaged_copy(path)
                return open_database(path, verify=False)
            assert dialog.backup is not None
            run_modal(None, TaskRunner(), _("Restoring…"), _restoring(path, dialog.backup))
            return open_database(path)
        except DeskError as failure:
            show_error(dialog, failure, _("Nothing was restored"))
    return None


def _restoring(path: Path, backup: Path) -> Callable[[TaskControl], object]:
    """The background work of restoring ``backup`` over ``path``, with its progress."""
    return lambda control: backups.restore(path, backup, progress=control.progress)


def _location_flag(path: Path) -> str:
    return "location_warned_" + hashlib.sha1(str(path).encode("utf-8")).hexdigest()[:16]


def warn_about_location(window: MainWindow) -> None:
    """Once per database file: say so when it lies on a network share or in a synced folder."""
    context = window.context
    flag = _location_flag(context.db.path)
    warnings = [] if context.preferences.flag(flag) else location_warnings(context.db.path)
    if not warnings:
        return
    context.preferences.set_flag(flag)
    QMessageBox.warning(
        window,
        _("Risky place for the database"),
        "\n\n".join(warning.message() for warning in warnings),
    )


def start_safety(window: MainWindow) -> None:
    """After the window is shown: the location warning, then a backup if the data changed."""
    context = window.context
    warn_about_location(window)
    path = context.db.path

    def done(result: backups.BackupResult | None) -> None:
        if result is None:
            return
        message = result.warning() or _("Backed up at start to {file}.").format(
            file=result.info.path
        )
        shown_ms = 30_000 if result.warning() else 8_000
        window.statusBar().showMessage(message, shown_ms)

    def failed(error: Exception) -> None:
        show_error(window, error, _("No backup was made at start"))

    context.runner.submit(lambda _control: backups.backup_at_start(path), done, failed)
