"""Back up now, Restore…, the damaged-database dialog and the location warning, driven like a
user; screenshots of the restore flow in both languages go to ``$DESK_SHOTS`` when it is set."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from freelancer_desk import backups
from freelancer_desk.db import Database, open_database
from freelancer_desk.errors import DatabaseDamagedError
from freelancer_desk.services import clients as client_service
from tests.core.safety_helpers import client_names, damage
from ui.app import apply_language
from ui.context import AppContext
from ui.dialogs import safety
from ui.dialogs.safety import BACKUP_COLUMNS, DamagedDialog, RestoreDialog
from ui.main_window import MainWindow
from ui.models.table import RecordTableModel


def shoot(widget: QWidget, name: str) -> None:
    """Save a picture of ``widget`` when screenshots are asked for."""
    folder = os.environ.get("DESK_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}.png"))


class Watch:
    """Once a modal widget of ``kind`` is up, call ``act`` on it (which must close it).

    ``seen`` lists the widgets acted on; ``stop()`` ends the watch.
    """

    def __init__(self, kind: type[QWidget], act: Callable[[QWidget], None]) -> None:
        self.kind, self.act = kind, act
        self.seen: list[QWidget] = []
        self.texts: list[str] = []
        self.stopped = False
        self.error: Exception | None = None
        QTimer.singleShot(0, self._poll)

    def _poll(self) -> None:
        if self.stopped:
            return
        widget = QApplication.activeModalWidget()
        if isinstance(widget, self.kind) and widget not in self.seen:
            self.seen.append(widget)
            self.texts.append(widget.text() if isinstance(widget, QMessageBox) else "")
            try:
                self.act(widget)
            except Exception as exc:
                self.error = exc
                widget.close()
        QTimer.singleShot(10, self._poll)

    def stop(self) -> list[QWidget]:
        """End the watch; re-raise what went wrong while acting."""
        self.stopped = True
        if self.error is not None:
            raise self.error
        return self.seen


def when_shown(kind: type[QWidget], act: Callable[[QWidget], None]) -> Watch:
    """Start watching for a modal ``kind``; see ``Watch``."""
    return Watch(kind, act)


def press(text: str, shot: str | None = None) -> Callable[[QWidget], None]:
    """Click the button with that text in a message box (after a screenshot)."""

    def act(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        if shot:
            shoot(box, shot)
        for button in box.buttons():
            if button.text().replace("&", "") == text:
                button.click()
                return
        raise AssertionError(f"no button {text!r}: {[b.text() for b in box.buttons()]}")

    return act


def action(window: MainWindow, text: str) -> None:
    """Trigger a menu action by its shown text."""
    for candidate in window.findChildren(type(window.menuBar().actions()[0])):
        if candidate.text().replace("&", "") == text:
            candidate.trigger()
            return
    raise AssertionError(f"no action {text!r}")


@pytest.fixture
def reopened(context: AppContext) -> Iterator[AppContext]:
    """The context; the database a restore opened anew is closed at the end."""
    yield context
    context.db.close()


def test_backup_list_model_passes_the_model_tester(qtmodeltester, context: AppContext) -> None:  # type: ignore[no-untyped-def]
    client_service.create_client(context.db, {"name": "Müller GmbH"})
    backups.take_backup(context.db.path, backups.MANUAL)
    backups.take_backup(context.db.path, backups.BEFORE_MERGE)
    model: RecordTableModel = RecordTableModel(BACKUP_COLUMNS)
    model.set_records(backups.list_backups(context.db.path))
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert {model.index(row, 1).data() for row in range(2)} == {"By hand", "Before merging clients"}


def test_back_up_now_from_the_file_menu(window: MainWindow, context: AppContext) -> None:
    client_service.create_client(context.db, {"name": "Alpha"})
    action(window, "Back up now")
    [made] = backups.list_backups(context.db.path)
    assert made.reason == backups.MANUAL and client_names(made.path) == ["Alpha"]
    assert str(made.path) in window.statusBar().currentMessage()


@pytest.mark.parametrize("lang", ["en", "de"])
def test_restore_flow_replaces_the_data_and_keeps_the_old_state(
    qapp: QApplication, window: MainWindow, reopened: AppContext, lang: str
) -> None:
    context = reopened
    apply_language(qapp, lang)
    client_service.create_client(context.db, {"name": "Alpha"})
    backups.take_backup(context.db.path, backups.START)
    client_service.create_client(context.db, {"name": "Beta (entered later)"})
    dialog = RestoreDialog(context, window)
    dialog.show()
    assert dialog.list.model.rowCount() == 1
    assert dialog.restore_button.isEnabled()  # the newest backup is chosen already
    shoot(dialog, f"restore-dialog-{lang}")
    restore_word = "Restore" if lang == "en" else "Wiederherstellen"
    asked = when_shown(QMessageBox, press(restore_word, f"restore-confirm-{lang}"))
    dialog.restore_button.click()
    assert asked.stop() and dialog.result() == QDialog.DialogCode.Accepted
    done = when_shown(QMessageBox, press("OK", f"restore-done-{lang}"))
    assert safety.restore_into(window, dialog.chosen)
    assert done.stop()
    assert [row.name for row in client_service.client_rows(context.db)] == ["Alpha"]
    kept = [b for b in backups.list_backups(context.db.path) if b.reason == backups.BEFORE_RESTORE]
    assert len(kept) == 1 and client_names(kept[0].path) == ["Alpha", "Beta (entered later)"]
    assert context.db.writable  # open again, with the lock


def test_a_bad_backup_restores_nothing_and_the_window_goes_on(
    window: MainWindow, reopened: AppContext
) -> None:
    context = reopened
    client_service.create_client(context.db, {"name": "Alpha"})
    bad = backups.take_backup(context.db.path, backups.MANUAL).info.path
    damage(bad)
    told = when_shown(QMessageBox, press("OK"))
    assert not safety.restore_into(window, bad)
    assert told.stop()
    assert [row.name for row in client_service.client_rows(context.db)] == ["Alpha"]


def _damaged_with_backup(db_path: Path) -> Path:
    with open_database(db_path) as db:
        client_service.create_client(db, {"name": "Alpha"})
    good = backups.take_backup(db_path, backups.START).info.path
    damage(db_path)
    return good


@pytest.mark.parametrize("lang", ["en", "de"])
def test_damaged_database_dialog_restores_the_newest_good_backup(
    qapp: QApplication,
    qtbot,
    tmp_path: Path,
    _template_db: Path,
    lang: str,  # type: ignore[no-untyped-def]
) -> None:
    apply_language(qapp, lang)
    path = tmp_path / "desk.sqlite3"
    shutil.copyfile(_template_db, path)
    _damaged_with_backup(path)

    def restore(dialog: QWidget) -> None:
        assert isinstance(dialog, DamagedDialog)
        assert dialog.good is not None and dialog.restore_button.isEnabled()
        shoot(dialog, f"damaged-{lang}")
        dialog.restore_button.click()

    shown = when_shown(DamagedDialog, restore)
    db = safety.open_at_start(path, smoke=False)
    apply_language(qapp, "en")
    assert shown.stop() and isinstance(db, Database)
    try:
        assert [row.name for row in client_service.client_rows(db)] == ["Alpha"]
    finally:
        db.close()
    copies = list((tmp_path / "backups").glob("*.damaged.sqlite3"))
    assert len(copies) == 1  # the damaged file was kept


def test_damaged_database_opened_anyway_is_kept_first(qtbot, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    _damaged_with_backup(db_path)
    damaged_bytes = db_path.read_bytes()
    chosen = when_shown(DamagedDialog, lambda dialog: dialog.open_button.click())  # type: ignore[attr-defined]
    db = safety.open_at_start(db_path, smoke=False)
    assert chosen.stop()
    assert isinstance(db, Database)
    db.close()
    [copy] = (db_path.parent / "backups").glob("*.damaged.sqlite3")
    assert copy.read_bytes() == damaged_bytes


def test_quitting_at_the_damaged_dialog_leaves_the_file_alone(qtbot, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    _damaged_with_backup(db_path)
    before = db_path.read_bytes()
    quit_ = when_shown(DamagedDialog, lambda dialog: dialog.reject())  # type: ignore[attr-defined]
    assert safety.open_at_start(db_path, smoke=False) is None
    assert quit_.stop()
    assert db_path.read_bytes() == before
    with pytest.raises(DatabaseDamagedError):
        safety.open_at_start(db_path, smoke=True)  # --smoke prints instead of asking


def test_location_warning_is_shown_once(
    qtbot,
    tmp_path: Path,
    _template_db: Path,
    preferences,  # type: ignore[no-untyped-def]
) -> None:
    from ui.runner import TaskRunner

    synced = tmp_path / "Dropbox"
    synced.mkdir()
    shutil.copyfile(_template_db, synced / "desk.sqlite3")
    db = open_database(synced / "desk.sqlite3")
    try:
        main = MainWindow(AppContext(db, preferences, TaskRunner(immediate=True)))
        qtbot.addWidget(main)
        warned = when_shown(QMessageBox, press("OK", "location-warning-en"))
        safety.start_safety(main)
        assert len(warned.stop()) == 1
        assert "synchronised by Dropbox" in warned.texts[0]
        assert "Backed up at start" in main.statusBar().currentMessage()
        again = when_shown(QMessageBox, press("OK"))
        safety.warn_about_location(main)  # a box would be modal: answered before this returns
        assert again.stop() == []
    finally:
        db.close()
