"""The Reminders page (Wiedervorlagen) with the step plan (its dashboard card and tray notice:
``ui.pages.reminders_card``).

Reminders are listed by due date; tabs narrow them to Overdue, Today, This week or Later. Below,
the whole step plan says whom to contact, why and how; a step chosen there shows in the panel
beside it, which accepts (one reminder or feedback request), snoozes or dismisses it and can
undo that.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QLabel,
    QMenu,
    QScrollArea,
    QSplitter,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from freelancer_desk import clock, formatting
from freelancer_desk.analytics.recurrence import (
    DUE_GROUP_LABELS,
    SNOOZE_LABELS,
    DueGroup,
    Snooze,
    describe,
    due_group,
)
from freelancer_desk.analytics.steps import Step
from freelancer_desk.errors import DeskError
from freelancer_desk.i18n import N_, _, ngettext
from freelancer_desk.models import label
from freelancer_desk.services import reminders as reminders_service
from freelancer_desk.services import steps as steps_service
from freelancer_desk.services.reminders import ReminderRow
from ui.context import AppContext
from ui.dialogs.reminders import NewsDialog, ReminderDialog, SnoozeDialog
from ui.models.table import Column, SortedRecords
from ui.pages.reminders_card import OVERDUE_COLOUR
from ui.pages.steps import STEP_COLUMNS, StepPanel
from ui.record_list import RecordList
from ui.runner import Loader
from ui.widgets import add_shortcut, confirm, notify, show_error, show_modal

#: The tab of reminders the contact rules block (after the due groups).
BLOCKED = "blocked"
#: Rows' height the reminders keep when they show none: the room of the hint said instead
#: ("Nothing due today."). A tab with rows is as high as its rows, without empty ones.
REMINDER_ROWS_KEPT = 3

#: What a tab says when it holds no reminder (while others hold some).
NOTHING_SHOWN: dict[DueGroup | str | None, str] = {
    None: N_("No open reminders that the contact rules allow."),
    DueGroup.OVERDUE: N_("Nothing overdue."),
    DueGroup.TODAY: N_("Nothing due today."),
    DueGroup.THIS_WEEK: N_("Nothing due this week."),
    DueGroup.LATER: N_("Nothing due later."),
    BLOCKED: N_("No reminder is blocked by the contact rules."),
}

#: What the page reads in the background: the reminders, and them and the step plan sorted.
Lists = tuple[list[ReminderRow], SortedRecords[ReminderRow], SortedRecords[Step]]


def _when(row: ReminderRow) -> str:
    return _(DUE_GROUP_LABELS[due_group(row.due_on, clock.today())])


def _contact(row: ReminderRow) -> str:
    """The channel, marked when the contact rules block the reminder (the tooltip says why)."""
    if row.blocked is None:
        return label(row.channel) if row.channel else "—"
    if row.channel is None:
        return _("Blocked")
    return _("{channel} (blocked)").format(channel=label(row.channel))


def blocked_reasons(rows: list[ReminderRow]) -> str:
    """Why the contact rules block these reminders: one line per client and reason."""
    lines = dict.fromkeys(
        f"{row.client_name}: {row.blocked.reason}" for row in rows if row.blocked is not None
    )
    return "\n".join(lines)


REMINDER_COLUMNS: list[Column[ReminderRow]] = [
    Column(
        N_("Due"),
        lambda r: formatting.date(r.due_on),
        lambda r: r.due_on,
        foreground=lambda r: OVERDUE_COLOUR if r.due_on < clock.today() else None,
    ),
    Column(N_("When"), _when, lambda r: r.due_on),
    Column(N_("Client"), lambda r: r.client_name or "—"),
    Column(N_("Purpose"), lambda r: label(r.purpose)),
    Column(
        N_("Contact"),
        _contact,
        tooltip=lambda r: r.blocked.reason if r.blocked is not None else "",
        foreground=lambda r: OVERDUE_COLOUR if r.blocked is not None else None,
    ),
    Column(N_("Repeats"), lambda r: describe(r.recurrence) if r.recurrence else ""),
    Column(N_("Note"), lambda r: (r.note or "").replace("\n", " "), tooltip=lambda r: r.note or ""),
]


class RemindersPage(QWidget):
    """Open reminders in tabs by due group, their actions, and the step plan below."""

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.tabs = QTabBar()
        self.tabs.setObjectName("reminderGroups")
        self.tabs.setDrawBase(False)
        self._tab_groups: list[DueGroup | str | None] = [None, *DueGroup, BLOCKED]
        for _group in self._tab_groups:
            self.tabs.addTab("")
        self.tabs.currentChanged.connect(self._filter)

        self.list = RecordList(
            REMINDER_COLUMNS,
            "reminders",
            context.preferences,
            _(
                "No open reminders. Add one with “New reminder” (Ctrl+Shift+N) or accept a "
                "next step below."
            ),
        )
        self.list.add_button(_("&New reminder"), self.add, "Ctrl+Shift+N", shortcut_scope=self)
        self.list.add_button(_("&Edit"), self.edit, "F2", needs_selection=True)
        self.list.add_button(_("&Done"), self.done, "Ctrl+D", needs_selection=True)
        self.snooze_button = self.list.add_button(
            _("Snoo&ze"), self._show_snooze_menu, needs_selection=True
        )
        self.snooze_menu = QMenu(self.snooze_button)
        for choice, keys in ((Snooze.DAY, "Ctrl+T"), (Snooze.WEEK, "Ctrl+Shift+T")):
            self._menu_action(
                _(SNOOZE_LABELS[choice]), keys, lambda _c=False, c=choice: self.snooze(c)
            )
        self._menu_action(_("Pick a day…"), "Ctrl+Alt+T", self.snooze_to)
        self.list.add_button(
            _("De&lete"), self.delete, QKeySequence.StandardKey.Delete, needs_selection=True
        )
        self.list.add_button(_("E&xport to calendar…"), self.export_calendar, "Ctrl+E")
        self.list.activated.connect(self.edit_reminder)
        self.list.say_when_none_shown(self._none_shown)
        self.list.search.textChanged.connect(lambda _text: self._count_tabs())
        # The reminders' height follows the rows shown: after a new tab or search too.
        self.list.proxy.layoutChanged.connect(lambda *_change: self._fit_split())

        self.steps = RecordList(
            STEP_COLUMNS,
            "next-steps",
            context.preferences,
            _(
                "No next steps right now. They appear when a sign shows, a client falls asleep "
                "or leaves, an invoice is overdue, a good moment for feedback comes, or you "
                "tell clients about new skills."
            ),
            searchable=False,
        )
        # The page's one search narrows the step plan too (it has no search field of its own).
        self.list.search.textChanged.connect(self.steps.proxy.set_search)
        self.steps.say_when_none_shown(lambda: _("No next step matches the search."))
        self.steps.add_button(_("Tell about new &skills…"), self.tell_news)
        self.steps.add_caption(_("Next steps: whom to contact, why and how"))
        self.steps.table.selectionModel().selectionChanged.connect(self._show_step)
        add_shortcut(
            self.steps.table, "Ctrl+Return", self.accept, Qt.ShortcutContext.WidgetShortcut
        )
        add_shortcut(
            self.steps.table,
            QKeySequence.StandardKey.Delete,
            self.dismiss,
            Qt.ShortcutContext.WidgetShortcut,
        )
        self.steps.activated.connect(lambda _s: self.accept())
        self.panel = StepPanel(context)
        self.panel.changed.connect(context.changed)
        plan = QSplitter(Qt.Orientation.Horizontal)
        plan.setObjectName("planSplitter")
        plan.addWidget(self.steps)
        # A long step scrolls in its panel: in a low window its texts and buttons were cut.
        panel_area = QScrollArea()
        panel_area.setWidget(self.panel)
        panel_area.setWidgetResizable(True)
        panel_area.setFrameShape(QFrame.Shape.NoFrame)
        panel_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        plan.addWidget(panel_area)
        plan.setStretchFactor(0, 3)
        plan.setStretchFactor(1, 2)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        self.blocked_note = QLabel()
        self.blocked_note.setObjectName("blockedReasons")
        self.blocked_note.setWordWrap(True)
        self.blocked_note.setStyleSheet(f"color: {OVERDUE_COLOUR};")
        self.blocked_note.hide()
        top_layout.addWidget(self.tabs)
        top_layout.addWidget(self.blocked_note)
        top_layout.addWidget(self.list, 1)
        self._top = top
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("remindersSplitter")
        self.splitter.addWidget(top)
        self.splitter.addWidget(plan)
        self.splitter.setStretchFactor(1, 1)  # room to spare goes to the step plan
        #: Whether the user dragged the splitter: then the page keeps their split.
        self._split_by_hand = False
        self.splitter.splitterMoved.connect(self._split_moved)
        self.splitter.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        self.loader: Loader[Lists] = Loader(
            self, context.runner, self.show_lists, busy=self._set_busy
        )
        self.refresh()

    def _menu_action(self, text: str, keys: str, slot: Any) -> QAction:
        """An entry of the Snooze menu whose shortcut also works without opening it."""
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.snooze_menu.addAction(action)
        self.list.addAction(action)
        return action

    def _show_snooze_menu(self) -> None:
        button = self.snooze_button
        self.snooze_menu.popup(button.mapToGlobal(button.rect().bottomLeft()))

    # ---- showing -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload reminders and the plan in the background."""
        db, today = self.context.db, clock.today()
        listed, planned = self.list.model, self.steps.model

        def read() -> Lists:
            rows = reminders_service.list_reminders(db, today=today)
            # Sorted, with the first rows' texts, here on the worker (``presort``).
            return rows, listed.presort(rows), planned.presort(steps_service.plan(db, today))

        self.loader.load(read)

    def _set_busy(self, busy: bool) -> None:
        for records in (self.list, self.steps):
            records.set_loading(busy)

    def show_lists(self, read: Lists) -> None:
        """Show the reminders and the plan ``refresh`` read; the tab titles carry the counts."""
        rows, listed, plan = read
        self.blocked_note.setText(
            _(
                "The contact rules block these reminders: they are not due, not on the "
                "dashboard and cancelled in the calendar. Change the channel, or mark them done "
                "or delete them."
            )
            + "\n"
            + blocked_reasons(rows)
        )
        self.list.set_records(listed)
        self._count_tabs()
        self._filter()
        self._fit_split()
        chosen = self.panel.step.id if self.panel.step is not None else None
        self.steps.set_records(plan)
        self.steps.select_where(lambda step: step.id == chosen)
        self._show_step()

    def _count_tabs(self) -> None:
        """The tab titles carry the number of reminders each shows: what the search finds."""
        today = clock.today()
        counts: dict[DueGroup | str, int] = {group: 0 for group in [*DueGroup, BLOCKED]}
        for row in self.list.proxy.searched_records():
            counts[BLOCKED if row.blocked else due_group(row.due_on, today)] += 1
        for index, group in enumerate(self._tab_groups):
            if group is None:
                text = _("All open ({count})").format(count=sum(counts.values()) - counts[BLOCKED])
            elif group == BLOCKED:
                text = _("Blocked ({count})").format(count=counts[BLOCKED])
            else:
                text = f"{_(DUE_GROUP_LABELS[DueGroup(group)])} ({counts[group]})"
            self.tabs.setTabText(index, text)
        blocked_tab = self._tab_groups.index(BLOCKED)
        self.tabs.setTabVisible(
            blocked_tab, bool(counts[BLOCKED]) or self.tabs.currentIndex() == blocked_tab
        )
        self.tabs.setTabTextColor(
            1, QColor(OVERDUE_COLOUR) if counts[DueGroup.OVERDUE] else QColor()
        )

    def _split_moved(self, *_args: object) -> None:
        self._split_by_hand = True

    def _fit_split(self, height: int | None = None) -> None:
        """The reminders get the height their rows need, at most half of the page; the step
        plan gets the rest, showing as many steps as fit (it had two fifths and showed three
        at 1366×768, under a list of two reminders and empty rows; then one reminder still
        stood above two empty rows). Until the user drags the splitter. ``height``: the
        splitter's new height, while it is being resized."""
        total = (height if height is not None else self.splitter.height()) - (
            self.splitter.handleWidth()
        )
        if self._split_by_hand or total <= 0:
            return
        table = self.list.table
        rows = self.list.proxy.rowCount() or REMINDER_ROWS_KEPT
        needed = (
            self._top.sizeHint().height()
            - table.sizeHint().height()
            + table.horizontalHeader().sizeHint().height()
            + rows * table.verticalHeader().defaultSectionSize()
            + 2 * table.frameWidth()
        )
        top = min(needed, total // 2)
        self.splitter.setSizes([top, total - top])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The splitter is resized: split its new height before it shares it out itself."""
        if watched is self.splitter and isinstance(event, QResizeEvent):
            self._fit_split(event.size().height())
        return super().eventFilter(watched, event)

    def _none_shown(self) -> str:
        """What an empty tab says: "Nothing due today.", or that the search finds nothing."""
        if self.list.search.text().strip():
            return _("No reminder in this tab matches the search.")
        group = self._tab_groups[max(self.tabs.currentIndex(), 0)]
        return _(NOTHING_SHOWN[group])

    def _filter(self) -> None:
        group = self._tab_groups[max(self.tabs.currentIndex(), 0)]
        today = clock.today()
        self.blocked_note.setVisible(group == BLOCKED)
        if group == BLOCKED:
            self.list.proxy.set_rule(lambda r: r.blocked is not None)
        elif group is None:
            self.list.proxy.set_rule(lambda r: r.blocked is None)
        else:
            self.list.proxy.set_rule(
                lambda r: r.blocked is None and due_group(r.due_on, today) is group
            )

    def show_group(self, group: DueGroup | str | None) -> None:
        """Switch to the tab of a due group (None: all open reminders)."""
        self.tabs.setCurrentIndex(self._tab_groups.index(group))

    # ---- reminder actions ----------------------------------------------------------------

    def _write(self, work: Any) -> Any:
        """Run a service call; show a refusal as a message; reload everything after a change."""
        try:
            result = work()
        except DeskError as error:
            show_error(self, error)
            return None
        self.context.changed()
        return result

    def add(self) -> None:
        if show_modal(ReminderDialog(self.context, parent=self)):
            self.context.changed()

    def edit(self) -> None:
        row = self.list.selected()
        if row is not None:
            self.edit_reminder(row)

    def edit_reminder(self, row: ReminderRow) -> None:
        if show_modal(ReminderDialog(self.context, reminder=row, parent=self)):
            self.context.changed()

    def done(self) -> None:
        rows = self.list.selected_records()
        today = clock.today()
        self._write(
            lambda: [reminders_service.complete(self.context.db, r.id, today) for r in rows]
        )

    def snooze(self, choice: Snooze) -> None:
        rows = self.list.selected_records()
        today = clock.today()
        self._write(
            lambda: [reminders_service.snooze(self.context.db, r.id, choice, today) for r in rows]
        )

    def snooze_to(self) -> None:
        row = self.list.selected()
        if row is not None and show_modal(SnoozeDialog(self.context, row, clock.today(), self)):
            self.context.changed()

    def delete(self) -> None:
        rows = self.list.selected_records()
        if not rows:
            return
        text = ngettext("Delete this reminder?", "Delete {count} reminders?", len(rows)).format(
            count=len(rows)
        )
        if confirm(self, _("Delete reminders"), text, _("Delete")):

            def delete_all() -> None:
                for row in rows:
                    reminders_service.delete_reminder(self.context.db, row.id)

            self._write(delete_all)

    def export_calendar(self, target: Path | None = None) -> None:
        """Write all reminders to an .ics file (asks where, unless a target is given)."""
        if target is None:
            last = self.context.preferences.value("reminders/ics_path") or str(
                Path.home() / _("freelancer-desk-reminders.ics")
            )
            chosen, _filter = QFileDialog.getSaveFileName(
                self, _("Export reminders to a calendar file"), last, _("iCalendar files (*.ics)")
            )
            if not chosen:
                return
            target = Path(chosen)
        self.context.preferences.set_value("reminders/ics_path", str(target))
        from freelancer_desk.calendar_export import export_ics  # icalendar: not needed at start

        self.context.runner.submit(
            lambda _control: export_ics(self.context.db, target),
            on_done=lambda count: self._exported(count, target),
            on_error=lambda error: show_error(self, error),
        )

    def _exported(self, count: int, target: Path) -> None:
        notify(
            self,
            ngettext(
                "{count} reminder written to {path}", "{count} reminders written to {path}", count
            ).format(count=count, path=target)
            + " "
            + _(
                "Import the file into your calendar program; importing a later export again "
                "updates the same events."
            ),
            30,
        )

    # ---- the plan ----------------------------------------------------------------------

    def _show_step(self, *_args: object) -> None:
        """The chosen step in the panel beside the plan."""
        chosen = self.steps.selected_records()
        self.panel.show_step(chosen[0] if chosen else None)

    def accept(self) -> None:
        self._show_step()
        self.panel.accept()

    def dismiss(self) -> None:
        self._show_step()
        self.panel.dismiss()

    def tell_news(self) -> None:
        if show_modal(NewsDialog(self.context, clock.today(), self)):
            self.context.changed()

    def save_layout(self) -> None:
        self.list.save_layout()
        self.steps.save_layout()
