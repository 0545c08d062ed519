"""The last page of a table import: runs it in one transaction, offers to merge look-alikes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from freelancer_desk.i18n import _
from freelancer_desk.importers.plan import (
    ImportCancelled,
)
from freelancer_desk.services import importing
from freelancer_desk.services.clients import client_names
from ui.dialogs.client_data import MergeClientsDialog
from ui.dialogs.import_wizard.report_page import PAIR_COLUMNS
from ui.dialogs.import_wizard.step import WizardStep, table_view
from ui.models.table import RecordTableModel
from ui.runner import Task, TaskControl
from ui.widgets import show_modal

if TYPE_CHECKING:
    from ui.dialogs.import_wizard.wizard import ImportWizard


class RunPage(WizardStep):
    """The import itself, with progress; cancelling writes nothing."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(
            wizard,
            _("Importing"),
            _("All rows are written in one go: cancelled or failed, nothing is written."),
        )
        self.progress = QProgressBar()
        self.stop = QPushButton(_("&Cancel import"))
        self.stop.clicked.connect(self.cancel)
        self.result_label = QLabel()
        self.result_label.setObjectName("importResult")
        self.result_label.setWordWrap(True)
        self.similar_hint = QLabel(
            _(
                "These names may be one client spelt two ways. Merge them here, or later "
                "with Clients ▸ Merge two clients."
            )
        )
        self.similar_hint.setWordWrap(True)
        self.similar = RecordTableModel(PAIR_COLUMNS, self)
        self.similar_view = table_view(self.similar)
        self.merge_button = QPushButton(_("&Merge the selected pair…"))
        self.merge_button.clicked.connect(self.merge_selected)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(self.progress, 1)
        row.addWidget(self.stop)
        layout.addLayout(row)
        layout.addWidget(self.result_label)
        layout.addWidget(self.similar_hint)
        layout.addWidget(self.similar_view, 1)
        merge_row = QHBoxLayout()
        merge_row.addWidget(self.merge_button)
        merge_row.addStretch(1)
        layout.addLayout(merge_row)
        layout.addStretch(1)
        self.task: Task | None = None
        self.done = False
        self.cancel_requested = False

    def initializePage(self) -> None:
        self.done = False
        self._show_similar([])
        self.result_label.setText(_("Importing …"))
        self.stop.setEnabled(True)
        self.progress.setRange(0, 0)
        owner = self.owner
        db, table, kind, options = owner.context.db, owner.table, owner.kind, owner.plan_options()
        good_rows_only = owner.report.good_rows_only.isChecked()
        assert table is not None
        self.cancel_requested = False

        def work(control: TaskControl) -> importing.ImportResult:
            return importing.run_import(
                db,
                table,
                kind,
                options,
                good_rows_only=good_rows_only,
                progress=control.progress,
                cancelled=lambda: self.cancel_requested or control.cancelled(),
            )

        task = owner.context.runner.submit(work, self.finished, self.failed, self.show_progress)
        self.task = None if self.done else task  # a runner that runs at once has finished it

    def cancel(self) -> None:
        """Stop the import (the flag also reaches a task that runs at once, as in tests)."""
        if not self.done:
            self.cancel_requested = True
            if self.task is not None:
                self.task.cancel()
            self.stop.setEnabled(False)
            self.result_label.setText(_("Cancelling …"))

    def finished(self, result: importing.ImportResult) -> None:
        self._end(_("Done: {summary}").format(summary=result.plan.summary(done=True)))
        self.progress.setValue(self.progress.maximum())
        self._show_similar(result.plan.likely_duplicates)
        self.owner.context.changed()

    def merge_selected(self) -> None:
        """Open the merge dialog for the selected pair (the existing client is kept).

        Afterwards the list keeps only pairs whose two clients both still exist, so that a
        merged pair cannot open the dialog again with some other client filled in.
        """
        rows = self.similar_view.selectionModel().selectedRows()
        if not rows:
            return
        new, other = self.similar.record(rows[0].row())
        ids = {name: client_id for client_id, name in client_names(self.owner.context.db)}
        if new in ids and other in ids:
            show_modal(MergeClientsDialog(self.owner.context, ids[other], ids[new], self))
            ids = {name: client_id for client_id, name in client_names(self.owner.context.db)}
        self._show_similar(
            [pair for pair in self.similar.records() if pair[0] in ids and pair[1] in ids]
        )

    def _show_similar(self, pairs: list[tuple[str, str]]) -> None:
        """List the likely duplicate pairs to merge (hidden when there are none)."""
        self.similar.set_records(pairs)
        for widget in (self.similar_hint, self.similar_view, self.merge_button):
            widget.setVisible(bool(pairs))
        if pairs:
            self.similar_view.selectRow(0)

    def failed(self, error: Exception) -> None:
        if isinstance(error, ImportCancelled):
            self._end(_("Cancelled. Nothing was imported; your data is as it was."))
        else:
            self._end(_("The import failed, nothing was written: {reason}").format(reason=error))
        self.progress.setRange(0, 1)
        self.progress.setValue(0)

    def _end(self, text: str) -> None:
        self.task = None
        self.done = True
        self.stop.setEnabled(False)
        self.result_label.setText(text)
        self.completeChanged.emit()
        self.owner.after_run()

    def isComplete(self) -> bool:
        return self.done

    def nextId(self) -> int:
        return -1
