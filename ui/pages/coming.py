"""Pages whose features arrive in a coming version: say so plainly, show no fake data."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from freelancer_desk.i18n import N_, _
from ui.context import AppContext
from ui.widgets import empty_state


class ComingPage(QWidget):
    """A clear "coming" state with what the page will do."""

    text = ""

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addWidget(empty_state(_(self.text) + "\n\n" + _("This page arrives in a coming version.")))


class ReportsComing(ComingPage):
    text = N_("Reports: your annual or quarterly review and client dossiers as PDF.")
