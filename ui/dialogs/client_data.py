"""Taking data out and tidying clients: full export, one client's data export, merging two clients.

The exports run on the background runner and open the folder they wrote; merging asks before it
moves anything and takes a backup first (``services.clients.merge_clients``), also on the runner.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from freelancer_desk import clock, logs
from freelancer_desk.errors import DeskError
from freelancer_desk.exporting import export_all, export_client
from freelancer_desk.i18n import _
from freelancer_desk.services import clients as client_service
from ui.context import AppContext
from ui.widgets import confirm, grow_to_fit, lasting_window, notify, show_error, show_modal

FOLDER_KEY = "export/folder"


def ask_folder(parent: QWidget, context: AppContext, title: str) -> Path | None:
    """A folder to write into (starting where the last export went); None when cancelled."""
    start = context.preferences.value(FOLDER_KEY) or QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation
    )
    dialog = QFileDialog(parent, title, start)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    if not show_modal(dialog) or not dialog.selectedFiles():
        return None
    folder = Path(dialog.selectedFiles()[0])
    context.preferences.set_value(FOLDER_KEY, str(folder))
    return folder


def unused_folder(folder: Path) -> Path:
    """``folder``, or ``folder (2)``, ``(3)`` … when it exists: a second export of the same day
    never overwrites the first (which may hold data deleted since)."""
    candidate, number = folder, 1
    while candidate.exists():
        number += 1
        candidate = folder.with_name(f"{folder.name} ({number})")
    return candidate


def _export(
    parent: QWidget, context: AppContext, target: Path, write: Callable[[], object]
) -> None:
    """Write in the background, then open the folder (or say why it failed) in the window
    that outlives ``parent`` (a client's page may be left meanwhile)."""
    owner = lasting_window(parent)

    def done(_result: object) -> None:
        notify(owner, _("Exported to {path}").format(path=target))
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    context.runner.submit(lambda _control: write(), done, lambda e: show_error(owner, e))


def export_all_data(window: Any) -> None:
    """File ▸ Export all data… (``registry.ACTIONS``): every table as CSV plus one JSON file."""
    context: AppContext = window.context
    folder = ask_folder(window, context, _("Choose a folder for the export"))
    if folder is not None:
        target = unused_folder(
            folder / _("Freelancer Desk export {date}").format(date=clock.today().isoformat())
        )
        _export(window, context, target, lambda: export_all(context.db, target))


def export_client_data(page: Any, client_id: int) -> None:
    """ "Export this client's data" on a client's page (``registry.CLIENT_ACTIONS``)."""
    context: AppContext = page.context
    name = client_service.get_client(context.db, client_id).name
    folder = ask_folder(page, context, _("Choose a folder for {name}'s data").format(name=name))
    if folder is not None:
        safe = "".join(ch if ch.isalnum() or ch in " -_.&" else "_" for ch in name).strip(" .")
        target = unused_folder(
            folder
            / _("{name} - data export {date}").format(
                name=safe or client_id, date=clock.today().isoformat()
            )
        )
        _export(page, context, target, lambda: export_client(context.db, client_id, target))


class MergeClientsDialog(QDialog):
    """Choose the client to keep and the one that is merged into it (and then deleted)."""

    def __init__(
        self,
        context: AppContext,
        keep_id: int | None = None,
        merge_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.backup: Path | None = None
        self.setWindowTitle(_("Merge two clients"))
        self.setMinimumWidth(520)
        explanation = QLabel(
            _(
                "For one client spelt two ways. Everything of the second client — revenue, "
                "interactions, losses, feedback requests, reminders — moves to the first; the "
                "second is then deleted. Fields the first lacks are taken from the second; an "
                "objection to contact stays. A backup is taken first."
            )
        )
        explanation.setWordWrap(True)
        names = client_service.client_names(context.db)
        self.keep = QComboBox()
        self.merge = QComboBox()
        for box, chosen in ((self.keep, keep_id), (self.merge, merge_id)):
            # As wide as the room beside the labels, not as the longest of thousands of names
            # (which squeezed "Take over from" to "Take (").
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(20)
            for client_id, name in names:
                box.addItem(name, client_id)
            box.setCurrentIndex(max(box.findData(chosen), 0))
        if (
            merge_id is None
            and len(names) > 1
            and self.merge.currentData() == self.keep.currentData()
        ):
            self.merge.setCurrentIndex(1)
        self.swap_button = swap = QPushButton(_("&Swap"))
        swap.clicked.connect(self.swap)
        form = QFormLayout()
        form.addRow(_("&Keep:"), self.keep)
        form.addRow(_("&Take over from (then deleted):"), self.merge)
        form.addRow("", swap)
        self.error = QLabel()
        self.error.setObjectName("mergeError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020; font-weight: bold;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button = self.buttons.addButton(
            _("&Merge"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self.do_merge)
        self.buttons.rejected.connect(self.reject)
        #: Shown while the backup is taken and the records move (in the background).
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setAccessibleName(_("Taking a backup and merging …"))
        self.progress_text = QLabel(_("Taking a backup and merging …"))
        self.progress_text.setObjectName("mergeProgress")
        for widget in (self.progress_text, self.progress):
            widget.hide()
        self.merging = False
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.progress_text)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)
        self.keep.currentIndexChanged.connect(self._check)
        self.merge.currentIndexChanged.connect(self._check)
        self._check()

    def swap(self) -> None:
        keep, merge = self.keep.currentIndex(), self.merge.currentIndex()
        self.keep.setCurrentIndex(merge)
        self.merge.setCurrentIndex(keep)

    def _check(self) -> None:
        same = self.keep.currentData() == self.merge.currentData()
        self.merge_button.setEnabled(self.keep.count() > 1 and not same)
        self.error.setText(_("Choose two different clients.") if same else "")

    def do_merge(self) -> None:
        keep, merge = self.keep.currentText(), self.merge.currentText()
        text = _(
            "Merge “{merge}” into “{keep}”? “{merge}” is deleted afterwards; only the "
            "backup can bring it back."
        ).format(merge=merge, keep=keep)
        if not confirm(self, _("Merge two clients"), text, _("Merge")):
            return
        db, keep_id, merge_id = self.context.db, self.keep.currentData(), self.merge.currentData()
        self._set_merging(True)
        self.context.runner.submit(
            lambda _control: client_service.merge_clients(db, keep_id, merge_id),
            self._merged,
            self._refused,
        )

    def _set_merging(self, merging: bool) -> None:
        """While merging, the choices and buttons wait and a bar moves; the window stays
        responsive."""
        self.merging = merging
        for shown in (self.progress_text, self.progress):
            shown.setVisible(merging)
        for choice in (self.keep, self.merge, self.swap_button, self.buttons):
            choice.setEnabled(not merging)
        if merging:
            self.error.clear()
            grow_to_fit(self)

    def _merged(self, backup: Path) -> None:
        self._set_merging(False)
        self.backup = backup
        self.context.changed()
        self.accept()

    def _refused(self, error: Exception) -> None:
        """A refusal the user can act on is said below the choices; anything else in a
        message (both are logged)."""
        self._set_merging(False)
        self._check()
        if isinstance(error, DeskError):
            logs.caught(error, f"{self.windowTitle()}: refused", level=logging.INFO)
            self.error.setText(str(error))
        else:
            show_error(self, error)

    def reject(self) -> None:
        """Escape or closing waits while a merge runs: it cannot be stopped half-way."""
        if not self.merging:
            super().reject()


def merge_clients_action(window: Any) -> None:
    """Clients ▸ Merge two clients… (``registry.ACTIONS``); two clients selected in the list are
    pre-chosen, the first selected is kept."""
    page = window.show_page("clients")
    chosen = (
        [row.id for row in page.list.selected_records()]
        if page.currentWidget() is page.list
        else []
    )
    keep, merge = ([*chosen, None, None])[:2] if len(chosen) == 2 else (None, None)
    dialog = MergeClientsDialog(window.context, keep, merge, window)
    if show_modal(dialog) and dialog.backup is not None:
        notify(
            window, _("Clients merged. A backup was taken first: {path}").format(path=dialog.backup)
        )
