"""What every page of the import wizard shares: its frame and its tables."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QProgressBar,
    QTableView,
    QWizardPage,
)

if TYPE_CHECKING:
    from ui.dialogs.import_wizard.wizard import ImportWizard


class WizardStep(QWizardPage):
    """A page of the wizard: its title, its explanation, the wizard it belongs to."""

    def __init__(self, wizard: ImportWizard, title: str, explanation: str) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle(title)
        self.setSubTitle(explanation)

    def show_progress(self, done: int, total: int) -> None:
        """Progress of background work on this page's bar (``self.progress``)."""
        bar: QProgressBar = self.progress  # type: ignore[attr-defined]  # the pages that call this have a progress bar
        bar.setRange(0, max(total, 1))
        bar.setValue(done)


def table_view(model: QAbstractTableModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return view
