"""Back up now, Restore…, the damaged-database dialog and the location warning, driven like a
user; screenshots of the restore flow in both languages go to ``$DESK_SHOTS`` when it is set."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox, QWidget

from freelancer_desk import backups
from freelancer_desk.db import Database, open_database
from freelancer_desk.errors import DatabaseDamagedError
from freelancer_desk.services import clients as client_service
from tests.core.safety_helpers import client_names, damage
from tests.ui.conftest import on_next_modal
from ui.app import apply_language, install_error_hook, open_at_start
from ui.context import AppContext
from ui.dialogs import safety
from ui.dialogs.client_data import export_client_data
from ui.dialogs.safety import BACKUP_COLUMNS, DamagedDialog, RestoreDialog
from ui.main_window import MainWindow
from ui.models.table import RecordTableModel
from ui.pages.clients import delete_client


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
    db = open_at_start(path, smoke=False)
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
    db = open_at_start(db_path, smoke=False)
    assert chosen.stop()
    assert isinstance(db, Database)
    db.close()
    [copy] = (db_path.parent / "backups").glob("*.damaged.sqlite3")
    assert copy.read_bytes() == damaged_bytes


def test_quitting_at_the_damaged_dialog_leaves_the_file_alone(qtbot, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    _damaged_with_backup(db_path)
    before = db_path.read_bytes()
    quit_ = when_shown(DamagedDialog, lambda dialog: dialog.reject())  # type: ignore[attr-defined]
    assert open_at_start(db_path, smoke=False) is None
    assert quit_.stop()
    assert db_path.read_bytes() == before
    with pytest.raises(DatabaseDamagedError):
        open_at_start(db_path, smoke=True)  # --smoke prints instead of asking


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
        client_service.create_client(
            db, {"name": "Alpha"}
        )  # a database without data is not backed up
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


# --------------------------------------------------------------------------------------------
# Faults in the window: the same messages as on the command line, never a traceback
# --------------------------------------------------------------------------------------------


def real_busy_error(path: Path) -> sqlite3.OperationalError:
    """The driver's own error when another program holds the database (no retry)."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    mine = sqlite3.connect(path, timeout=0)
    try:
        mine.execute("INSERT INTO client_group (name) VALUES ('x')")
    except sqlite3.OperationalError as error:
        return error
    finally:
        mine.close()
        other.execute("ROLLBACK")
        other.close()
    raise AssertionError("the write was not refused")


def test_an_error_while_the_error_message_is_up_is_logged_not_stacked(
    qapp: QApplication,
) -> None:
    kept = sys.excepthook
    errors = install_error_hook(qapp, smoke=False)
    try:
        boxes: list[str] = []

        def again(box: QWidget) -> None:
            assert isinstance(box, QMessageBox)
            boxes.append(box.text())
            second = RuntimeError("second")
            sys.excepthook(RuntimeError, second, None)  # returns at once: no second box
            box.close()

        seen = when_shown(QMessageBox, again)
        first = RuntimeError("first")
        sys.excepthook(RuntimeError, first, None)
        seen.stop()
    finally:
        sys.excepthook = kept
    assert [str(error) for error in errors] == ["first", "second"]
    assert len(boxes) == 1 and "first" in boxes[0]


@pytest.mark.parametrize("lang", ["en", "de"])
def test_faults_reaching_the_error_hook_are_said_in_words(
    qapp: QApplication, db_path: Path, tmp_path: Path, lang: str
) -> None:
    apply_language(qapp, lang)
    kept = sys.excepthook
    install_error_hook(qapp, smoke=False)
    try:
        missing = tmp_path / "gone" / "review.pdf"
        try:
            missing.open("rb")
        except OSError as error:
            os_error = error
        shown: list[str] = []

        def read(box: QWidget) -> None:
            assert isinstance(box, QMessageBox)
            shoot(box, f"fault-{len(shown)}-{lang}")
            shown.append(box.text())
            box.close()

        for error in (real_busy_error(db_path), os_error):
            seen = when_shown(QMessageBox, read)
            sys.excepthook(type(error), error, error.__traceback__)
            seen.stop()
    finally:
        sys.excepthook = kept
        apply_language(qapp, "en")
    busy, missing_text = shown
    assert ("is busy" if lang == "en" else "ist belegt") in busy
    assert str(missing) in missing_text
    assert not any(
        word in text
        for text in shown
        for word in ("Traceback", "OperationalError", "FileNotFoundError", "sqlite3")
    )


def test_back_up_now_refuses_a_damaged_database_and_keeps_the_backups(
    window: MainWindow, context: AppContext
) -> None:
    client_service.create_client(context.db, {"name": "Alpha"})
    action(window, "Back up now")
    [good] = backups.list_backups(context.db.path)
    with sqlite3.connect(context.db.path) as other:  # the client into the file, then damage it
        other.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    damage(context.db.path)
    told = when_shown(QMessageBox, press("OK", "backup-refused-en"))
    action(window, "Back up now")
    assert told.stop() and "no backup was made" in told.texts[0]
    assert backups.list_backups(context.db.path) == [good]


@pytest.mark.parametrize("lang", ["en", "de"])
def test_deleting_a_client_in_the_window_takes_a_backup_first(
    qapp: QApplication,
    window: MainWindow,
    context: AppContext,
    answer_message_box,  # type: ignore[no-untyped-def]
    lang: str,
) -> None:
    apply_language(qapp, lang)
    client = client_service.create_client(context.db, {"name": "Alpha GmbH"})
    client_service.create_client(context.db, {"name": "Beta"})
    window.show_page("clients")
    asked = answer_message_box("Delete client" if lang == "en" else "Kunde löschen")
    deleted = delete_client(window, context, client.id, "Alpha GmbH")  # type: ignore[arg-type]
    for size in ((1366, 768), (1024, 640)):
        window.resize(*size)
        shoot(window, f"deleted-with-backup-{lang}-{size[0]}x{size[1]}")
    apply_language(qapp, "en")
    assert deleted and asked and "Alpha GmbH" in asked[0]
    [made] = backups.list_backups(context.db.path)
    assert made.reason == backups.BEFORE_DELETE
    assert client_names(made.path) == ["Alpha GmbH", "Beta"]
    said = window.statusBar().currentMessage()
    assert said.startswith("Alpha GmbH") and ("backup" in said or "Sicherung" in said)
    assert [row.name for row in client_service.client_rows(context.db)] == ["Beta"]


def test_no_backup_means_no_deletion_in_the_window(
    window: MainWindow,
    context: AppContext,
    answer_message_box,  # type: ignore[no-untyped-def]
) -> None:
    client = client_service.create_client(context.db, {"name": "Alpha GmbH"})
    (context.db.path.parent / "backups").write_text("a file where the backup folder goes")
    answer_message_box("Delete client")
    told = when_shown(QMessageBox, press("OK"))
    assert not delete_client(window, context, client.id, "Alpha GmbH")  # type: ignore[arg-type]
    assert told.stop() and "backup folder" in told.texts[0]
    assert [row.name for row in client_service.client_rows(context.db)] == ["Alpha GmbH"]


def answer_folder(path: Path) -> list[object]:
    """Choose ``path`` in the next folder dialog."""

    def choose(dialog: QFileDialog) -> None:
        dialog.setDirectory(str(path))
        dialog.selectFile(str(path))
        dialog.accept()

    return on_next_modal(QFileDialog, choose)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_exports_from_the_window_are_private(
    window: MainWindow,
    context: AppContext,
    tmp_path: Path,
    catch_urls,  # type: ignore[no-untyped-def]
) -> None:
    client = client_service.create_client(context.db, {"name": "=Anna Schmidt"})
    opened = catch_urls("file")  # the folder is not opened in a file manager
    target = tmp_path / "exports"
    target.mkdir()
    answer_folder(target)
    action(window, "Export all data…")
    answer_folder(target)
    window.show_client(client.id)  # type: ignore[arg-type]
    export_client_data(window.show_page("clients").detail, client.id)  # type: ignore[arg-type]
    folders = sorted(target.iterdir())
    assert len(folders) == 2 and len(opened.urls) == 2
    for folder in folders:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert {stat.S_IMODE(path.stat().st_mode) for path in folder.iterdir()} == {0o600}
    with (folders[0] / "client.csv").open(encoding="utf-8-sig") as handle:
        assert "'=Anna Schmidt" in handle.read()


def test_restore_says_that_erasures_made_since_are_applied_again(
    qapp: QApplication, window: MainWindow, reopened: AppContext, tmp_path: Path
) -> None:
    from freelancer_desk.db import backup_database
    from freelancer_desk.services.privacy import erase_client

    context = reopened
    gone = client_service.create_client(context.db, {"name": "Weg Person"})
    client_service.create_client(context.db, {"name": "Alpha"})
    # A copy the app cannot rewrite when it erases: on a stick, made with "backup --out".
    older = tmp_path / "usb-stick" / "desk-copy.sqlite3"
    backup_database(context.db.path, older)
    erase_client(context.db, gone.id)  # type: ignore[arg-type]
    dialog = RestoreDialog(context, window)
    dialog.show()
    asked = when_shown(QMessageBox, press("Restore"))
    dialog.confirm_and_accept(older, str(older))
    assert asked.stop()
    assert asked.texts[0].endswith(
        "1 client erased since this backup was taken will be erased again."
    )
    done = when_shown(QMessageBox, press("OK"))
    assert safety.restore_into(window, older)
    assert done.stop()
    assert done.texts[0].endswith("1 client erased since this backup was taken was erased again.")
    assert client_service.get_client(context.db, gone.id).erased  # type: ignore[arg-type]
