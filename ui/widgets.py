"""Small widgets and helpers every page uses: date and money fields, record dialogs, messages."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from freelancer_desk import formatting, logs
from freelancer_desk.errors import DeskError, InputError
from freelancer_desk.i18n import _, current_language
from freelancer_desk.models import field_label, label
from freelancer_desk.services import clients as client_service
from ui.context import AppContext
from ui.icons import icon

_DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%d/%m/%Y")


def parse_typed_date(text: str) -> dt.date:
    """A date typed by a person: ``31.12.2025``, ``31.12.25`` or ``2025-12-31``."""
    cleaned = text.strip()
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def typed_date_text(value: dt.date | None) -> str:
    """The text a DateField shows for a date (always numeric, four-digit year)."""
    if value is None:
        return ""
    return value.strftime("%d.%m.%Y") if current_language() == "de" else value.isoformat()


class DateField(QWidget):
    """A date as text (German ``TT.MM.JJJJ``) with a calendar button; may be left empty."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(
            _("DD.MM.YYYY") if current_language() == "de" else "YYYY-MM-DD"
        )
        self.edit.setClearButtonEnabled(True)
        self.edit.textChanged.connect(self.changed)
        button = QToolButton()
        button.setIcon(icon("calendar"))
        button.setToolTip(_("Pick a date"))
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        menu.aboutToShow.connect(self._sync_calendar)
        self.calendar.clicked.connect(lambda day: self._picked(day, menu))
        button.setMenu(menu)
        layout.addWidget(self.edit, 1)
        layout.addWidget(button)
        self.setFocusProxy(self.edit)

    def _picked(self, day: QDate, menu: QMenu) -> None:
        self.set_date(dt.date(day.year(), day.month(), day.day()))
        menu.close()

    def _sync_calendar(self) -> None:
        try:
            shown = self.date() or dt.date.today()
            self.calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))
        except ValueError:
            self.calendar.setSelectedDate(QDate.currentDate())

    def date(self) -> dt.date | None:
        """The date, None when empty; ValueError when the text is not a date."""
        text = self.edit.text().strip()
        return parse_typed_date(text) if text else None

    def set_date(self, value: dt.date | None) -> None:
        self.edit.setText(typed_date_text(value))


class MoneyField(QLineEdit):
    """An amount typed in the language's format (``1.234,56`` in German)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("0,00" if current_language() == "de" else "0.00")
        self.setAlignment(Qt.AlignmentFlag.AlignRight)

    def amount(self) -> Decimal | None:
        """The amount, None when empty; ValueError when it is not an amount."""
        text = self.text().strip()
        return formatting.parse_money(text) if text else None

    def set_amount(self, value: Decimal | None) -> None:
        self.setText("" if value is None else formatting.number(value))


def choice_box(values: list[str], allow_empty: bool = False) -> QComboBox:
    """A combo box of choice values shown by their translated labels."""
    box = QComboBox()
    if allow_empty:
        box.addItem("—", None)
    for value in values:
        box.addItem(label(value), value)
    return box


def client_box(context: AppContext, allow_none: bool) -> QComboBox:
    """The clients by name, with "(no client)" or "(choose a client)" first."""
    box = QComboBox()
    box.addItem(_("(no client)") if allow_none else _("(choose a client)"), None)
    for client_id, name in client_service.client_names(context.db):
        box.addItem(name, client_id)
    return box


def select_data(box: QComboBox, value: Any) -> None:
    """Select the item whose data equals ``value`` (or the first)."""
    index = box.findData(value)
    box.setCurrentIndex(max(index, 0))


#: The colour of refusals and errors in forms (always with words, never alone).
ERROR_STYLE = "color: #b00020; font-weight: bold;"
#: Any kind of form field.
W = TypeVar("W", bound=QWidget)


def error_label() -> QLabel:
    """The line where a form says what was refused; hidden until there is something to say."""
    label_ = QLabel()
    label_.setObjectName("formError")
    label_.setWordWrap(True)
    label_.setStyleSheet(ERROR_STYLE)
    label_.hide()
    return label_


def hint_label(text: str = "") -> QLabel:
    """Grey explanatory text under a field; it wraps and takes the whole width it is given."""
    hint = QLabel(text)
    hint.setWordWrap(True)
    hint.setStyleSheet("color: #555;")
    hint.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return hint


class RecordDialog(QDialog):
    """A form for one record. Subclasses add fields with ``add_field`` and implement ``save``.

    ``save`` calls a service; an InputError is shown inside the dialog next to the field it
    names and the dialog stays open, so nothing typed is lost.
    """

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.fields: dict[str, QWidget] = {}
        self._labels: dict[str, QLabel] = {}
        outer = QVBoxLayout(self)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        outer.addLayout(self.form)
        self.error_label = error_label()
        outer.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        self.result_value: Any = None

    def add_field(self, name: str, widget: W, text: str | None = None) -> W:
        """Add a labelled field and return it, typed (keep it in an attribute to read it back);
        ``name`` is the model field an InputError may name."""
        caption = QLabel((text or field_label(name)) + ":")
        caption.setBuddy(widget)
        self.form.addRow(caption, widget)
        self.fields[name] = widget
        self._labels[name] = caption
        return widget

    def add_hint(self, text: str) -> QLabel:
        """Grey text under the last field, as wide as the fields."""
        hint = hint_label(text)
        self.form.addRow("", hint)
        return hint

    def read_date(self, name: str) -> dt.date | None:
        """The date of a DateField, or an InputError naming it."""
        field = self.fields[name]
        assert isinstance(field, DateField)
        try:
            return field.date()
        except ValueError:
            raise InputError(name, _("is not a valid date"), label=field_label(name)) from None

    def read_money(self, name: str) -> Decimal | None:
        """The amount of a MoneyField, or an InputError naming it."""
        field = self.fields[name]
        assert isinstance(field, MoneyField)
        try:
            return field.amount()
        except ValueError:
            raise InputError(name, _("is not an amount"), label=field_label(name)) from None

    def save(self) -> Any:
        """Write through a service and return the result; raise InputError on bad input."""
        raise NotImplementedError

    def show_error(self, error: DeskError) -> None:
        """Show the message; mark and focus the field it names."""
        for caption in self._labels.values():
            caption.setStyleSheet("")
        self.error_label.setText(str(error))
        self.error_label.show()
        if isinstance(error, InputError) and error.field in self.fields:
            self._labels[error.field].setStyleSheet(ERROR_STYLE)
            self.fields[error.field].setFocus()

    def _on_save(self) -> None:
        try:
            self.result_value = self.save()
        except DeskError as error:
            logs.caught(error, f"{self.windowTitle()}: not saved", level=logging.INFO)
            self.show_error(error)
            return
        self.accept()


def confirm(parent: QWidget | None, title: str, text: str, action: str) -> bool:
    """Ask before something destructive; the safe answer is the default."""
    box = QMessageBox(
        QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Cancel, parent
    )
    proceed = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is proceed


def settle_edits(
    parent: QWidget | None, text: str, unsaved: bool, save: Callable[[], bool]
) -> bool:
    """Before unsaved edits would be lost, ask: Save (the default), Discard or Cancel (Esc).

    True when the caller may go on: nothing was unsaved, ``save()`` succeeded, or the user
    discarded the edits.
    """
    if not unsaved:
        return True
    answer = QMessageBox.question(
        parent,
        _("Unsaved changes"),
        text,
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Save,
    )
    if answer == QMessageBox.StandardButton.Save:
        return save()
    return answer == QMessageBox.StandardButton.Discard


def show_error(parent: QWidget | None, error: Exception, title: str | None = None) -> None:
    """A message box for an error a user can act on; the log keeps its traceback."""
    title = title or _("Something went wrong")
    logs.caught(
        error, title, level=logging.WARNING if isinstance(error, DeskError) else logging.ERROR
    )
    QMessageBox.warning(parent, title, str(error))


def add_shortcut(
    parent: QWidget,
    keys: str | QKeySequence | QKeySequence.StandardKey,
    slot: Callable[[], object],
    context: Qt.ShortcutContext = Qt.ShortcutContext.WidgetWithChildrenShortcut,
) -> QShortcut:
    """A shortcut that works while the focus is inside ``parent`` (by default).

    The context is set after construction on purpose: PySide6 ignores a context handed to
    ``QShortcut``'s constructor, and a window-wide Delete or Return on every list of the window
    would be ambiguous, so that Qt runs none of them.
    """
    action = QShortcut(QKeySequence(keys), parent)
    action.setContext(context)
    action.activated.connect(slot)
    return action


def empty_state(text: str, parent: QWidget | None = None) -> QLabel:
    """A friendly hint shown where a list is empty, saying what to do next."""
    hint = QLabel(text, parent)
    hint.setObjectName("emptyState")
    hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
    hint.setWordWrap(True)
    hint.setStyleSheet("color: #555; font-size: 13pt; padding: 24px;")
    return hint


def connect_later(callback: Callable[[], None]) -> Callable[..., None]:
    """Adapt a no-argument callback to signals that pass arguments."""
    return lambda *_args: callback()
