"""The Feedback page: requests for feedback, reviews, recommendation letters and referrals.

"Send by email" opens the user's mail program with the filled-in message through a ``mailto:``
link, or offers the text to copy when no mail program takes it; the request counts as sent when
the user says it went out. The contact rules can refuse it, with their reason.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from PySide6.QtCore import QByteArray, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from freelancer_desk import clock, formatting
from freelancer_desk.errors import DeskError
from freelancer_desk.i18n import N_, _, ngettext
from freelancer_desk.models import LABELS, Channel, FeedbackStatus, label
from freelancer_desk.services import feedback as feedback_service
from freelancer_desk.services.feedback import FeedbackRow
from ui.context import AppContext
from ui.dialogs.feedback import FeedbackDialog, SendEmailDialog, TemplatesDialog, language_box
from ui.models.table import Column
from ui.record_list import RecordList
from ui.runner import Loader
from ui.widgets import confirm, notify, show_error, show_modal

#: Colours that back up (never replace) the status words.
STATUS_COLOURS = {
    FeedbackStatus.SENT: "#1f5fa8",
    FeedbackStatus.RECEIVED: "#1b7f3b",
    FeedbackStatus.DECLINED: "#888888",
}


def _follow_up_colour(row: FeedbackRow) -> str | None:
    waiting = row.status is FeedbackStatus.SENT and row.follow_up_on is not None
    due = row.follow_up_on
    return "#b00020" if waiting and due is not None and due <= clock.today() else None


BLOCKED_COLOUR = "#b00020"


def _channel(row: FeedbackRow) -> str:
    """The channel, marked when the contact rules block the request's next contact."""
    if row.blocked is not None:
        return _("{channel} (blocked)").format(channel=label(row.channel))
    return label(row.channel)


FEEDBACK_COLUMNS: list[Column[FeedbackRow]] = [
    Column(N_("Client"), lambda r: r.client_name),
    Column(N_("Ask for"), lambda r: label(r.kind)),
    Column(
        N_("Status"),
        lambda r: label(r.status),
        lambda r: list(FeedbackStatus).index(r.status),
        foreground=lambda r: STATUS_COLOURS.get(r.status),
    ),
    Column(
        N_("Channel"),
        _channel,
        tooltip=lambda r: r.blocked.reason if r.blocked else "",
        foreground=lambda r: BLOCKED_COLOUR if r.blocked else None,
    ),
    Column(N_("Planned for"), lambda r: formatting.date(r.planned_on), lambda r: r.planned_on),
    Column(N_("Sent on"), lambda r: formatting.date(r.sent_on), lambda r: r.sent_on),
    Column(
        N_("Follow-up date"),
        lambda r: formatting.date(r.follow_up_on),
        lambda r: r.follow_up_on,
        foreground=_follow_up_colour,
    ),
    Column(N_("Answered on"), lambda r: formatting.date(r.answered_on), lambda r: r.answered_on),
    Column(N_("Rating"), lambda r: "★" * (r.rating or 0), lambda r: r.rating),
    Column(
        N_("Response"),
        lambda r: (r.response or "").replace("\n", " "),
        tooltip=lambda r: r.response or "",
    ),
]

#: Status filter: key, label; "open" means planned or sent.
STATUS_FILTERS = [("open", N_("Open (planned or sent)")), ("all", N_("All requests"))] + [
    (status.value, LABELS[status.value]) for status in FeedbackStatus
]
OPEN = (FeedbackStatus.PLANNED, FeedbackStatus.SENT)


def open_in_mail_program(url: str) -> bool:
    """Hand a ``mailto:`` link to the desktop, keeping its percent-encoding exactly."""
    return QDesktopServices.openUrl(
        QUrl.fromEncoded(QByteArray(url.encode("ascii")), QUrl.ParsingMode.StrictMode)
    )


def requests_summary(rows: Iterable[FeedbackRow], count: int) -> str:
    """How many requests the list shows, and how many of them wait or were answered:
    "5 requests · 3 waiting for an answer, 1 answered" (the page's footer)."""
    statuses = Counter(row.status for row in rows)
    waiting = statuses[FeedbackStatus.SENT]
    return (
        ngettext("{count} request", "{count} requests", count).format(count=count)
        + " · "
        + ngettext(  # "1 wartet auf Antwort", "3 warten auf Antwort"
            "{waiting} waiting for an answer, {received} answered",
            "{waiting} waiting for an answer, {received} answered",
            waiting,
        ).format(waiting=waiting, received=statuses[FeedbackStatus.RECEIVED])
    )


class FeedbackPage(QWidget):
    """All requests, filtered by status, with sending by email and the templates."""

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.status_filter = QComboBox()
        for key, text in STATUS_FILTERS:
            self.status_filter.addItem(_(text), key)
        self.language = language_box()
        self.language.setToolTip(_("The language of messages sent by email"))
        filters = QHBoxLayout()
        filters.addWidget(QLabel(_("Show:")))
        filters.addWidget(self.status_filter)
        filters.addStretch(1)
        filters.addWidget(QLabel(_("Email language:")))
        filters.addWidget(self.language)
        self.list = RecordList(
            FEEDBACK_COLUMNS,
            "feedback",
            context.preferences,
            _(
                "No feedback requests here. Plan one with “New request” (Ctrl+Shift+N), or accept "
                "a suggestion on the Reminders page to ask clients who left on good terms."
            ),
            default_sort=(5, Qt.SortOrder.DescendingOrder),
        )
        self.list.add_button(_("&New request"), self.add, "Ctrl+Shift+N", shortcut_scope=self)
        self.list.add_button(_("&Edit"), self.edit, "F2", needs_selection=True)
        self.list.add_button(
            _("Send by e&mail"), self.send_by_email, "Ctrl+Shift+E", needs_selection=True
        )
        self.list.add_button(
            _("De&lete"), self.delete, QKeySequence.StandardKey.Delete, needs_selection=True
        )
        self.list.add_button(_("&Templates…"), self.edit_templates)
        self.list.activated.connect(self.edit_request)
        self.summary = self.list.add_footer(requests_summary)  # follows the search and filter
        self.summary.setObjectName("feedbackSummary")
        #: Hands a ``mailto:`` link to the desktop; True when a program took it.
        self.open_link = open_in_mail_program
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.list, 1)
        self.status_filter.currentIndexChanged.connect(self._filter)
        self.loader: Loader[list[FeedbackRow]] = Loader(
            self, context.runner, self.show_requests, busy=self.list.set_loading
        )
        self.refresh()

    def refresh(self) -> None:
        """Reload the requests in the background."""
        db = self.context.db
        self.loader.load(lambda: feedback_service.list_requests(db))

    def show_requests(self, rows: list[FeedbackRow]) -> None:
        """Show the requests (the footer counts those shown)."""
        self.list.set_records(rows)
        self._filter()

    def _filter(self) -> None:
        key = self.status_filter.currentData()
        if key == "all":
            self.list.proxy.set_rule(None)
        elif key == "open":
            self.list.proxy.set_rule(lambda r: r.status in OPEN)
        else:
            self.list.proxy.set_rule(lambda r: r.status.value == key)

    def add(self) -> None:
        if show_modal(FeedbackDialog(self.context, parent=self)):
            self.context.changed()

    def edit(self) -> None:
        row = self.list.selected()
        if row is not None:
            self.edit_request(row)

    def edit_request(self, row: FeedbackRow) -> None:
        if show_modal(FeedbackDialog(self.context, request=row, parent=self)):
            self.context.changed()

    def send_by_email(self) -> None:
        """Open the message in the mail program (or offer it to copy), then mark the request
        sent once the user says it went out; refusals say why."""
        row = self.list.selected()
        if row is None:
            return
        today = clock.today()
        try:
            message = feedback_service.prepare_email(
                self.context.db, row.id, self.language.currentData(), today
            )
        except DeskError as error:
            show_error(self, error, _("Not sent"))
            return
        opened = self.open_link(message.mailto())
        if not show_modal(SendEmailDialog(message, opened, self.open_link, self)):
            return
        try:
            feedback_service.mark_sent(self.context.db, row.id, today, Channel.EMAIL)
        except DeskError as error:
            show_error(self, error, _("Not marked as sent"))
            return
        self.context.changed()
        notify(self, _("Marked as sent: {client}").format(client=row.client_name))

    def delete(self) -> None:
        rows = self.list.selected_records()
        if not rows:
            return
        text = ngettext(
            "Delete this feedback request?", "Delete {count} feedback requests?", len(rows)
        ).format(count=len(rows))
        if not confirm(self, _("Delete feedback requests"), text, _("Delete")):
            return
        try:
            for row in rows:
                feedback_service.delete_request(self.context.db, row.id)
        except DeskError as error:
            show_error(self, error)
        self.context.changed()

    def edit_templates(self) -> None:
        show_modal(TemplatesDialog(self.context, self))

    def save_layout(self) -> None:
        self.list.save_layout()
