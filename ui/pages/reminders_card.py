"""The dashboard's card of due reminders, and the tray notice naming them once per run.

Apart from the Reminders page (``ui.pages.reminders``) so that the dashboard's first paint
loads neither that page nor the services behind it: the card shows the status document only.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSystemTrayIcon, QWidget

from freelancer_desk import APP_NAME, clock, formatting
from freelancer_desk.choices import label
from freelancer_desk.i18n import _, ngettext
from freelancer_desk.status_document import Status
from ui.context import AppContext
from ui.icons import icon
from ui.pages.dashboard import Card

#: The colour of overdue and blocked reminders (always with words beside it).
OVERDUE_COLOUR = "#b00020"

#: How many due reminders the card and the tray notice name before "and N more".
SHOWN_DUE = 6


def due_lines(status: Status, today: dt.date) -> list[str]:
    """One line per due reminder of the status document: date, client, purpose."""
    lines = []
    for item in status.reminders_due:
        when = _("today") if item.due_on == today else formatting.date(item.due_on)
        what = label(item.purpose)
        lines.append(
            f"{when} · {item.client_name}: {what}" if item.client_name else f"{when} · {what}"
        )
    return lines


def _named(lines: list[str]) -> str:
    shown = lines[:SHOWN_DUE]
    rest = len(lines) - len(shown)
    if rest:
        shown.append(ngettext("… and {count} more", "… and {count} more", rest).format(count=rest))
    return "\n".join(shown)


class RemindersCard(Card):
    """Reminders due today or overdue, from the status document; names them once in the tray."""

    def __init__(self, context: AppContext) -> None:
        super().__init__(context, _("Due reminders"))
        self.summary = QLabel()
        self.summary.setObjectName("remindersDueSummary")
        self.summary.setStyleSheet("font-size: 15pt;")
        self.lines = QLabel()
        self.lines.setObjectName("remindersDueLines")
        self.lines.setTextFormat(Qt.TextFormat.PlainText)
        self.lines.setWordWrap(True)
        button = QPushButton(_("Open reminders"))
        button.clicked.connect(lambda: context.open_page.emit("reminders"))
        row = QHBoxLayout()
        row.addWidget(button)
        row.addStretch(1)
        self.body.addWidget(self.summary)
        self.body.addWidget(self.lines)
        self.body.addLayout(row)

    def refresh(self, status: Status) -> None:
        lines = due_lines(status, clock.today())
        if lines:
            self.summary.setText(
                ngettext("{count} reminder due", "{count} reminders due", len(lines)).format(
                    count=len(lines)
                )
            )
            self.summary.setStyleSheet(f"font-size: 15pt; color: {OVERDUE_COLOUR};")
        else:
            self.summary.setText(_("Nothing due today"))
            self.summary.setStyleSheet("font-size: 15pt;")
        self.lines.setText(_named(lines))
        self.lines.setVisible(bool(lines))
        notify_once(self.context, self, lines)


def notify_once(context: AppContext, anchor: QWidget, lines: list[str]) -> bool:
    """One tray notification naming the due reminders, once per run; True if shown.

    Only where the platform has a system tray; never a dialog that interrupts.
    """
    if (
        not lines
        or context.property("remindersNotified")
        or not QSystemTrayIcon.isSystemTrayAvailable()
    ):
        return False
    context.setProperty("remindersNotified", True)
    tray = QSystemTrayIcon(icon("app"), context)
    tray.setToolTip(APP_NAME)
    tray.show()
    tray.showMessage(
        ngettext("{count} reminder due", "{count} reminders due", len(lines)).format(
            count=len(lines)
        ),
        _named(lines),
        QSystemTrayIcon.MessageIcon.Information,
        15_000,
    )

    def show_reminders() -> None:
        anchor.window().raise_()
        anchor.window().activateWindow()
        context.open_page.emit("reminders")

    tray.messageClicked.connect(show_reminders)
    return True
