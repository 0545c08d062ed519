"""Small widgets and helpers every page uses: date and money fields, record dialogs, messages."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QCalendarWidget,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QSizePolicy,
    QStatusBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from freelancer_desk import clock, formatting, logs
from freelancer_desk.choices import label
from freelancer_desk.contact_rules import ContactPermission, Verdict
from freelancer_desk.errors import DeskError, InputError
from freelancer_desk.faults import explain
from freelancer_desk.i18n import _, current_language
from freelancer_desk.money import parse_amount
from ui.context import AppContext
from ui.icons import icon

if TYPE_CHECKING:
    from sqlmodel import SQLModel

_DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%d/%m/%Y")
#: Month names and abbreviations a person may type, in both languages ("31 Dec 2025").
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "januar", "jan", "jän"),
            ("february", "februar", "feb"),
            ("march", "märz", "mar", "mär", "mrz"),
            ("april", "apr"),
            ("may", "mai"),
            ("june", "juni", "jun"),
            ("july", "juli", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oktober", "oct", "okt"),
            ("november", "nov"),
            ("december", "dezember", "dec", "dez"),
        ),
        start=1,
    )
    for name in names
}
_NAMED_MONTH = re.compile(r"^(\d{1,2})\.?\s+([^\W\d_]+)\.?,?\s+(\d{4})$")
_MONTH_FIRST = re.compile(r"^([^\W\d_]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")


def parse_typed_date(text: str) -> dt.date:
    """A date typed by a person: ``31.12.2025``, ``31.12.25``, ``2025-12-31``, or with the
    month's name as the tables write it in English (``31 Dec 2025``, ``Dec 31, 2025``)."""
    cleaned = text.strip()
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    named = _NAMED_MONTH.match(cleaned)
    first = _MONTH_FIRST.match(cleaned)
    if named:
        day, month, year = named.groups()
    elif first:
        month, day, year = first.groups()
    else:
        raise ValueError(text)
    if month.casefold() not in _MONTHS:
        raise ValueError(text)
    return dt.date(int(year), _MONTHS[month.casefold()], int(day))


def typed_date_text(value: dt.date | None) -> str:
    """The text a DateField shows for a date: as the tables write it, with a four-digit year
    (``31.12.2025``, ``31 Dec 2025``)."""
    return formatting.date(value)


class DateField(QWidget):
    """A date as text (``31.12.2025``, ``31 Dec 2025``) with a calendar; may be left empty.

    The calendar button stays out of the Tab order (Alt+Down or F4 opens the calendar from the
    field), and the calendar opens on the month of the date typed, else on ``near()``'s.
    """

    changed = Signal()

    def __init__(
        self, parent: QWidget | None = None, near: Callable[[], dt.date | None] | None = None
    ) -> None:
        super().__init__(parent)
        self.near = near
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(
            _("DD.MM.YYYY") if current_language() == "de" else _("e.g. 31 Dec 2025")
        )
        self.edit.setClearButtonEnabled(True)
        self.edit.textChanged.connect(self.changed)
        self.button = QToolButton()
        self.button.setIcon(icon("calendar"))
        self.button.setToolTip(_("Pick a date (Alt+Down)"))
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu = QMenu(self.button)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        action = QWidgetAction(self.menu)
        action.setDefaultWidget(self.calendar)
        self.menu.addAction(action)
        self.menu.aboutToShow.connect(self._sync_calendar)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)  # Return on a day
        self.button.setMenu(self.menu)
        for keys in ("Alt+Down", "F4"):
            add_shortcut(self.edit, keys, self.open_calendar, Qt.ShortcutContext.WidgetShortcut)
        self._row.addWidget(self.edit, 1)
        self._row.addWidget(self.button)
        self.setFocusProxy(self.edit)

    def add_beside(self, widget: QWidget) -> None:
        """Put a small widget (a hint, a button) to the right of the calendar button."""
        self._row.addWidget(widget)

    def open_calendar(self) -> None:
        """Show the calendar below the field."""
        self.button.showMenu()

    def _picked(self, day: QDate) -> None:
        self.set_date(dt.date(day.year(), day.month(), day.day()))
        self.menu.close()
        self.edit.setFocus()

    def _sync_calendar(self) -> None:
        """Open on the date typed, else on the date ``near`` gives, else on today."""
        try:
            shown = self.date()
        except ValueError:
            shown = None
        shown = shown or (self.near() if self.near else None) or clock.today()
        self.calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))
        self.calendar.setCurrentPage(shown.year, shown.month)

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
        self.setPlaceholderText(f"0{formatting.decimal_sign()}00")
        self.setAlignment(Qt.AlignmentFlag.AlignRight)

    def amount(self) -> Decimal | None:
        """The amount, None when empty; ValueError when it is not an amount."""
        text = self.text().strip()
        return parse_amount(text, decimal=formatting.decimal_sign()) if text else None

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
    from freelancer_desk.services.clients import client_names  # the ORM: not before a form

    for client_id, name in client_names(context.db):
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


def text_box(height: int | None = None) -> QPlainTextEdit:
    """A box for several lines of text (an address, notes) that Tab and Shift+Tab leave, like
    every other field: a keyboard user is never stuck in it. Return starts a new line.

    ``height``: a fixed height in pixels (None: the layout decides).
    """
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    if height is not None:
        box.setFixedHeight(height)
    return box


def error_label() -> QLabel:
    """The line where a form says what was refused; hidden until there is something to say."""
    label_ = QLabel()
    label_.setObjectName("formError")
    label_.setWordWrap(True)
    label_.setStyleSheet(ERROR_STYLE)
    label_.hide()
    return label_


#: Lines of error text a form keeps room for from the start, so that the first messages do
#: not push its buttons down.
RESERVED_ERROR_LINES = 2


def _when_changed(widget: QWidget, react: Callable[[], None]) -> None:
    """Call ``react`` whenever the user changes the value of ``widget`` or of an editor in it
    (a date field's line, the text box of a composite field)."""

    def changed(*_value: object) -> None:  # signals pass the new value; it is read anew
        react()

    editors = [widget, *widget.findChildren(QWidget)]
    for editor in editors:
        if isinstance(editor, (QLineEdit, QPlainTextEdit)):
            editor.textChanged.connect(changed)
        elif isinstance(editor, QComboBox):
            editor.currentIndexChanged.connect(changed)
        elif isinstance(editor, QAbstractButton) and editor.isCheckable():
            editor.toggled.connect(changed)
        elif isinstance(editor, QAbstractSpinBox):
            editor.editingFinished.connect(changed)
            value_changed = getattr(editor, "valueChanged", None)
            if value_changed is not None:
                value_changed.connect(changed)


def hint_label(text: str = "") -> QLabel:
    """Grey explanatory text under a field; it wraps and takes the whole width it is given."""
    hint = QLabel(text)
    hint.setWordWrap(True)
    hint.setStyleSheet("color: #555;")
    hint.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return hint


def grow_to_fit(window: QWidget) -> None:
    """Make a window tall enough for its content after a text appeared in it.

    Qt does not grow a window for a word-wrapped label that appears later, so the label would
    be squeezed over the fields next to it; growing keeps the fields where they are.
    """
    layout = window.layout()
    if layout is None:
        return
    layout.activate()
    needed = window.heightForWidth(window.width()) if window.hasHeightForWidth() else -1
    needed = max(needed, window.minimumSizeHint().height())
    room = window.screen().availableGeometry().height() if window.screen() else needed
    if window.height() < needed:
        window.resize(window.width(), min(needed, room))


class RecordDialog(QDialog):
    """A form for one record. Subclasses add fields with ``add_field`` and implement ``save``.

    ``save`` calls a service; an InputError is shown inside the dialog next to the field it
    names and the dialog stays open, so nothing typed is lost. A dialog that names its
    ``input_model`` and has a ``values()`` method shows every bad field at once: dates and
    amounts that cannot be read, then what the model refuses, all before the service is asked.
    """

    #: The input model ``values()`` must satisfy (e.g. ``RevenueCreate``), or None.
    input_model: type[SQLModel] | None = None

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.fields: dict[str, QWidget] = {}
        self._labels: dict[str, QLabel] = {}
        #: Errors of unreadable fields, collected while ``problems()`` reads the form.
        self._unreadable: list[InputError] | None = None
        outer = QVBoxLayout(self)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        outer.addLayout(self.form)
        self.error_label = error_label()
        # Room for the first messages from the start: the buttons do not jump when they show.
        self.error_label.show()
        lines = self.error_label.fontMetrics().lineSpacing() * RESERVED_ERROR_LINES
        self.error_label.setMinimumHeight(lines)
        self.error_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        #: The messages shown, and the fields whose message came from the input model (those
        #: are checked again as the user edits; a service's message goes when its field changes).
        self._shown: list[DeskError] = []
        self._from_model: set[str] = set()
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
        from freelancer_desk.models import field_label  # the ORM: loaded with the first form

        caption = QLabel((text or field_label(name)) + ":")
        caption.setBuddy(widget)
        self.form.addRow(caption, widget)
        self.fields[name] = widget
        self._labels[name] = caption
        _when_changed(widget, partial(self._field_changed, name))
        return widget

    def _field_changed(self, name: str) -> None:
        """Check the shown messages again after ``name`` changed: a fixed field loses its
        message and its red caption at once, a message that still applies stays."""
        if not self._shown:
            return
        now = {
            error.field: error
            for error in (self.problems() if self._from_model else [])
            if isinstance(error, DeskError)
        }
        kept: list[DeskError] = []
        for error in self._shown:
            field = error.field if isinstance(error, InputError) else None
            if field is not None and field in self._from_model:
                if field in now:
                    kept.append(now[field])
            elif field != name:
                kept.append(error)
        if kept != self._shown:
            self._show(kept)

    def add_hint(self, text: str) -> QLabel:
        """Grey text under the last field, as wide as the fields."""
        hint = hint_label(text)
        self.form.addRow("", hint)
        return hint

    def _unreadable_field(self, name: str, message: str) -> None:
        """A field whose text is no date or amount: collected while checking, else raised."""
        from freelancer_desk.models import field_label

        error = InputError(name, message, label=field_label(name))
        if self._unreadable is None:
            raise error
        self._unreadable.append(error)

    def read_date(self, name: str) -> dt.date | None:
        """The date of a DateField, or an InputError naming it."""
        field = self.fields[name]
        assert isinstance(field, DateField)
        try:
            return field.date()
        except ValueError:
            self._unreadable_field(name, _("is not a valid date"))
            return None

    def read_money(self, name: str) -> Decimal | None:
        """The amount of a MoneyField, or an InputError naming it."""
        field = self.fields[name]
        assert isinstance(field, MoneyField)
        try:
            return field.amount()
        except ValueError:
            self._unreadable_field(name, _("is not an amount"))
            return None

    def problems(self) -> list[InputError]:
        """Everything wrong with the form, one error per field, before anything is saved."""
        values = getattr(self, "values", None)
        if self.input_model is None or not callable(values):
            return []
        self._unreadable = []
        try:
            data = values()
        finally:
            unreadable, self._unreadable = self._unreadable, None
        named = {error.field for error in unreadable}
        from freelancer_desk.models import input_errors

        refused = input_errors(
            self.input_model, {key: value for key, value in data.items() if key not in named}
        )
        order = list(self.fields)
        found = unreadable + [error for error in refused if error.field not in named]
        return sorted(found, key=lambda e: order.index(e.field) if e.field in order else len(order))

    def save(self) -> Any:
        """Write through a service and return the result; raise InputError on bad input."""
        raise NotImplementedError

    def show_error(self, error: DeskError) -> None:
        """Show the message; mark and focus the field it names."""
        self.show_errors([error])

    def show_errors(self, errors: Sequence[DeskError]) -> None:
        """Show every message below the form, mark each field named, focus the first.

        The messages go below the fields in room kept for them; the dialog grows only for more
        than that: no field moves. A message goes as soon as its field is fixed.
        """
        self._show(list(errors))
        marked = self._marked()
        if marked:
            self.fields[marked[0]].setFocus()

    def _marked(self) -> list[str]:
        return [
            e.field for e in self._shown if isinstance(e, InputError) and e.field in self.fields
        ]

    def _show(self, errors: list[DeskError]) -> None:
        """Show ``errors`` (none: an empty line that keeps its room) and mark their fields."""
        self._shown = errors
        for caption in self._labels.values():
            caption.setStyleSheet("")
        for field in self._marked():
            self._labels[field].setStyleSheet(ERROR_STYLE)
        self.error_label.setText("\n".join(str(error) for error in errors))
        self.error_label.show()
        if errors:
            grow_to_fit(self)

    def _on_save(self) -> None:
        problems = self.problems()
        self._from_model = {error.field for error in problems}
        if problems:
            self.show_errors(problems)
            return
        try:
            self.result_value = self.save()
        except DeskError as error:
            logs.caught(error, f"{self.windowTitle()}: not saved", level=logging.INFO)
            self.show_error(error)
            return
        self.accept()


def lasting_window(widget: QWidget) -> QWidget:
    """The window that outlives ``widget``: the main window (or whatever top window holds it)
    rather than a dialog or a client's page, which are deleted once closed or left. Work that
    ends in the background reports there: the user may have moved on meanwhile."""
    window = widget.window()
    while isinstance(window, QDialog) and (holder := window.parentWidget()) is not None:
        window = holder.window()
    return window


def show_modal(dialog: QDialog) -> int:
    """Show ``dialog`` until it is closed and return its result; then let it go.

    A dialog made with a parent lives as the parent's child until the parent goes: each one
    opened would stay in memory with all it holds (the import wizard: every row of its file).
    It is deleted once the caller is back in the event loop, so the caller can still read it.
    """
    try:
        return dialog.exec()
    finally:
        dialog.deleteLater()


def confirm(
    parent: QWidget | None,
    title: str,
    text: str,
    action: str,
    kind: QMessageBox.Icon = QMessageBox.Icon.Warning,
) -> bool:
    """Ask before doing ``action``; Cancel, the safe answer, is the default."""
    box = QMessageBox(kind, title, text, QMessageBox.StandardButton.Cancel, parent)
    role = (
        QMessageBox.ButtonRole.DestructiveRole
        if kind is QMessageBox.Icon.Warning
        else QMessageBox.ButtonRole.AcceptRole
    )
    proceed = box.addButton(action, role)
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


def notify(widget: QWidget, text: str, seconds: int = 15) -> None:
    """Say what just happened in the status bar of the window ``widget`` is in, instead of a
    pop-up that must be clicked away.

    A dialog with a ``status_bar`` shows it there; otherwise the main window behind it does.
    """
    window: QWidget | None = widget.window()
    while window is not None:
        bar = window.statusBar() if isinstance(window, QMainWindow) else None
        bar = bar or getattr(window, "status_bar", None)
        if isinstance(bar, QStatusBar):
            bar.showMessage(text, seconds * 1000)
            return
        parent = window.parentWidget()
        window = parent.window() if parent is not None else None


def show_error(parent: QWidget | None, error: Exception, title: str | None = None) -> None:
    """A message box for an error a user can act on (a fault of the disk or file in words);
    the log keeps its traceback."""
    title = title or _("Something went wrong")
    fault = explain(error)
    logs.caught(error, title, level=logging.ERROR if fault is None else logging.WARNING)
    QMessageBox.warning(parent, title, str(fault or error))


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


#: Colours backing up (never replacing) the verdict words of the contact rules.
VERDICT_COLOURS = {
    Verdict.ALLOWED: "#1b7f3b",
    Verdict.CAUTION: "#b35900",
    Verdict.BLOCKED: "#b00020",
}


def show_verdict(hint: QLabel, permission: ContactPermission | None) -> None:
    """Say in a form's hint what the contact rules allow and why; hidden when there is
    nothing to say."""
    hint.setVisible(permission is not None)
    if permission is not None:
        hint.setText(f"{permission.verdict_label}: {permission.reason}")
        hint.setStyleSheet(f"color: {VERDICT_COLOURS[permission.verdict]};")
        # The reason may wrap over several lines: the form grows for it instead of pushing
        # the fields below over its buttons (a form not shown yet is sized when it shows).
        if hint.window().isVisible():
            grow_to_fit(hint.window())
