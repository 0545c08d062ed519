"""Forms of the Feedback page: a feedback request, and the message templates."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from freelancer_desk import clock, logs
from freelancer_desk.errors import DeskError, InputError
from freelancer_desk.i18n import _, current_language
from freelancer_desk.models import (
    AddressForm,
    Channel,
    FeedbackKind,
    FeedbackRequestCreate,
    FeedbackStatus,
    field_label,
)
from freelancer_desk.services import feedback as feedback_service
from freelancer_desk.services.feedback import PLACEHOLDERS, FeedbackRow, Message
from ui.context import AppContext
from ui.widgets import (
    DateField,
    RecordDialog,
    choice_box,
    client_box,
    confirm,
    error_label,
    hint_label,
    select_data,
    settle_edits,
    text_box,
)

#: Rating choices: none, then one to five stars.
RATINGS = [(None, "—")] + [(n, "★" * n) for n in range(1, 6)]
#: The languages a message can be written in, by their own names.
MESSAGE_LANGUAGES = [("de", "Deutsch"), ("en", "English")]


def language_box() -> QComboBox:
    """Deutsch / English, the app's language first selected."""
    box = QComboBox()
    for code, name in MESSAGE_LANGUAGES:
        box.addItem(name, code)
    select_data(box, current_language())
    return box


class FeedbackDialog(RecordDialog):
    """Plan, change or complete a request: what is asked, how, when, and what came back."""

    input_model = FeedbackRequestCreate

    def __init__(
        self,
        context: AppContext,
        request: FeedbackRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            _("Edit feedback request") if request else _("New feedback request"), parent
        )
        self.context = context
        self.request = request
        self.client = self.add_field("client_id", client_box(context, allow_none=False))
        #: The choices of the request, by model field.
        self.choices = {
            "kind": self.add_field(
                "kind", choice_box([k.value for k in FeedbackKind]), _("Ask for")
            ),
            "channel": self.add_field("channel", choice_box([c.value for c in Channel])),
            "status": self.add_field("status", choice_box([s.value for s in FeedbackStatus])),
        }
        #: Its days, by model field.
        self.days = {
            "planned_on": self.add_field("planned_on", DateField(), _("Planned for")),
            "sent_on": self.add_field("sent_on", DateField(), _("Sent on")),
            "follow_up_on": self.add_field("follow_up_on", DateField()),
            "answered_on": self.add_field("answered_on", DateField(), _("Answered on")),
        }
        self.rating = QComboBox()
        for value, text in RATINGS:
            self.rating.addItem(text, value)
        self.add_field("rating", self.rating)
        self.response = text_box(90)
        self.response.setPlaceholderText(_("What came back: the feedback, the review text, a name"))
        self.add_field("response", self.response)
        if request is not None:
            self._fill(request)
        else:
            self.days["planned_on"].set_date(clock.today())
        self.client.setFocus()

    def _fill(self, request: FeedbackRow) -> None:
        select_data(self.client, request.client_id)
        for key, box in self.choices.items():
            select_data(box, getattr(request, key).value)
        for key, day in self.days.items():
            day.set_date(getattr(request, key))
        select_data(self.rating, request.rating)
        self.response.setPlainText(request.response or "")

    def values(self) -> dict[str, Any]:
        return {
            "client_id": self.client.currentData(),
            **{key: box.currentData() for key, box in self.choices.items()},
            **{key: self.read_date(key) for key in self.days},
            "rating": self.rating.currentData(),
            "response": self.response.toPlainText(),
        }

    def save(self) -> FeedbackRow:
        values = self.values()
        today = clock.today()
        if self.request is None:
            return feedback_service.create_request(self.context.db, values, today)
        return feedback_service.update_request(self.context.db, self.request.id, values, today)


class TemplatesDialog(QDialog):
    """Edit the message of each kind of request, in German and English, or go back to ours."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(_("Message templates"))
        self.setMinimumSize(640, 520)
        self.kind = choice_box([k.value for k in FeedbackKind])
        self.language = language_box()
        #: Sie or Du: German messages exist in both; English changes only its greeting.
        self.address_form = choice_box([f.value for f in AddressForm])
        self.subject = QLineEdit()
        self.body = text_box()
        self.origin = hint_label()
        self.origin.setObjectName("templateOrigin")
        hint = hint_label(
            _(
                "Placeholders: {names}. Every message ends with how the client can object, "
                "as the law asks for it in every advertising email; the app adds it:"
            ).format(names=", ".join("{" + name + "}" for name in PLACEHOLDERS))
        )
        self.closing = hint_label()
        self.closing.setObjectName("templateObjection")
        self.closing.setStyleSheet("font-style: italic;")
        self.error = error_label()
        form = QFormLayout()
        form.addRow(_("Ask for") + ":", self.kind)
        form.addRow(_("Language") + ":", self.language)
        self.address_form_caption = QLabel(field_label("address_form") + ":")
        form.addRow(self.address_form_caption, self.address_form)
        form.addRow(_("Subject") + ":", self.subject)
        form.addRow(_("Message") + ":", self.body)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close
        )
        self.reset_button = QPushButton(_("Back to our text"))
        buttons.addButton(self.reset_button, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.reset_button.clicked.connect(self.reset)
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.origin)
        layout.addWidget(hint)
        layout.addWidget(self.closing)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        for box in (self.kind, self.language, self.address_form):
            box.currentIndexChanged.connect(self._switch)
        self._shown_key = self._key()
        self._shown: tuple[str, str] = ("", "")
        self.load()

    def _key(self) -> tuple[str, str, str]:
        """Kind, language and form of address of the message shown (and the Sie/Du choice
        shown for German only)."""
        german = self.language.currentData() == "de"
        self.address_form.setVisible(german)
        self.address_form_caption.setVisible(german)
        form = self.address_form.currentData() if german else AddressForm.FORMAL.value
        return self.kind.currentData(), self.language.currentData(), form

    def _text(self) -> tuple[str, str]:
        return self.subject.text(), self.body.toPlainText()

    def unsaved(self) -> bool:
        """True when the shown text was edited and not saved."""
        return self._text() != self._shown

    def _keep_or_drop(self) -> bool:
        """Ask about unsaved edits; True when the dialog may move on (saved or discarded)."""
        return settle_edits(
            self, _("Save your changes to this message first?"), self.unsaved(), self.save
        )

    def _switch(self) -> None:
        """Another kind or language chosen: keep or drop the edits, then show that text."""
        wanted = self._key()
        self._select_key(self._shown_key)  # the edits belong to the template still shown
        if self._keep_or_drop():
            self._select_key(wanted)
            self.load()

    def _select_key(self, key: tuple[str, str, str]) -> None:
        for box, value in zip((self.kind, self.language, self.address_form), key, strict=True):
            box.blockSignals(True)
            select_data(box, value)
            box.blockSignals(False)

    def load(self) -> None:
        """Show the template of the chosen kind and language."""
        self._shown_key = self._key()
        self.closing.setText(feedback_service.objection(*self._shown_key[1:]))
        self._show(feedback_service.template(self.context.db, *self._shown_key))

    def _show(self, chosen: feedback_service.MessageTemplate) -> None:
        self.subject.setText(chosen.subject)
        self.body.setPlainText(chosen.body)
        self._shown = self._text()
        self.origin.setText(
            _("Your own text.") if chosen.customised else _("The text that comes with the app.")
        )
        self.reset_button.setEnabled(chosen.customised)
        self.error.hide()

    def save(self) -> bool:
        """Store the edited text; a broken placeholder is shown and nothing is stored."""
        kind, lang, form = self._key()
        try:
            stored = feedback_service.save_template(
                self.context.db,
                kind,
                lang,
                self.subject.text(),
                self.body.toPlainText(),
                form,
            )
        except DeskError as error:
            logs.caught(error, f"{self.windowTitle()}: refused", level=logging.INFO)
            self.error.setText(str(error))
            self.error.show()
            (
                self.subject
                if isinstance(error, InputError) and error.field == "subject"
                else self.body
            ).setFocus()
            return False
        self._show(stored)
        return True

    def reset(self) -> None:
        """Go back to the text that comes with the app, after asking: the own text is lost."""
        if confirm(
            self,
            _("Back to our text"),
            _("Replace your own text of this message with the one that comes with the app?"),
            _("Replace"),
        ):
            self._show(feedback_service.reset_template(self.context.db, *self._key()))

    def done(self, result: int) -> None:
        """Close, unless unsaved edits should be kept after all."""
        if self._keep_or_drop():
            super().done(result)


class SendEmailDialog(QDialog):
    """A request's message on its way: in the mail program, or copied into a webmail.

    The request counts as sent only when the user says so ("Mark as sent"): a draft that
    opened may never go out. When no mail program took the message, the dialog says so and
    offers the address, subject and text to copy.
    """

    def __init__(
        self,
        message: Message,
        opened: bool,
        open_link: Callable[[str], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Send by email"))
        self.setMinimumWidth(560)
        self.message = message
        self._open_link = open_link
        self.state = hint_label()
        self.state.setObjectName("sendState")
        self.to = QLineEdit(message.to or "")
        self.subject = QLineEdit(message.subject)
        self.body = QPlainTextEdit(message.body)
        for field in (self.to, self.subject, self.body):
            field.setReadOnly(True)
        self.body.setMinimumHeight(180)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for caption, field in (
            (_("To"), self.to),
            (_("Subject"), self.subject),
            (_("Message"), self.body),
        ):
            row = QHBoxLayout()
            row.addWidget(field, 1)
            copy = QPushButton(_("Copy"))
            copy.setAutoDefault(False)
            copy.clicked.connect(lambda _c=False, f=field, c=caption: self.copy(f, c))
            row.addWidget(copy, 0, Qt.AlignmentFlag.AlignTop)
            form.addRow(caption + ":", row)
        self.copied = hint_label()
        self.copied.setObjectName("copiedNote")
        retry = QPushButton(_("Open in the mail program again"))
        retry.setAutoDefault(False)
        retry.clicked.connect(self.open_again)
        self.buttons = QDialogButtonBox()
        self.sent_button = self.buttons.addButton(
            _("Mark as sent"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(_("Not sent yet"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addLayout(form, 1)
        layout.addWidget(self.copied)
        bottom = QHBoxLayout()
        bottom.addWidget(retry)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)
        self._show_state(opened)

    def _show_state(self, opened: bool) -> None:
        self.state.setText(
            _(
                "Your mail program shows the message. Send it there, then mark the request "
                "as sent here."
            )
            if opened
            else _(
                "No mail program took the message (with webmail that is normal). Copy the "
                "address, the subject and the text into a new message, send it, then mark "
                "the request as sent."
            )
        )
        self.state.setStyleSheet("" if opened else "color: #b35900;")

    def copy(self, field: QLineEdit | QPlainTextEdit, caption: str) -> None:
        """Put one part of the message on the clipboard, and say which."""
        text = field.toPlainText() if isinstance(field, QPlainTextEdit) else field.text()
        QApplication.clipboard().setText(text)
        self.copied.setText(_("{part} copied.").format(part=caption))

    def open_again(self) -> None:
        """Hand the message to the mail program once more (after setting one up)."""
        self._show_state(self._open_link(self.message.mailto()))
