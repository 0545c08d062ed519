"""The dry-run page: what the import would add, skip and refuse, and every decision."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QProgressBar,
    QTabWidget,
    QVBoxLayout,
)

from freelancer_desk import formatting
from freelancer_desk.errors import DeskError
from freelancer_desk.i18n import N_, _
from freelancer_desk.importers.plan import (
    ClientDraft,
    Decision,
    Duplicate,
    EntryDraft,
    ImportPlan,
    RowProblem,
)
from freelancer_desk.money import from_cents
from freelancer_desk.names import name_key
from freelancer_desk.services import importing
from ui.dialogs.import_wizard.step import WizardStep, table_view
from ui.models.table import Column, RecordTableModel
from ui.runner import Task, TaskControl

if TYPE_CHECKING:
    from ui.dialogs.import_wizard.wizard import ImportWizard


PROBLEM_COLUMNS: list[Column[RowProblem]] = [
    Column(N_("Line"), lambda p: str(p.line), lambda p: p.line, numeric=True),
    Column(N_("Column"), lambda p: p.column),
    Column(N_("Reason"), lambda p: p.reason, tooltip=lambda p: p.message()),
]
DUPLICATE_COLUMNS: list[Column[Duplicate]] = [
    Column(N_("Line"), lambda d: str(d.line), lambda d: d.line, numeric=True),
    Column(N_("Client"), lambda d: d.client),
    Column(N_("What"), lambda d: d.what),
    Column(
        N_("Already present"),
        lambda d: (
            _("line {line}").format(line=d.other_line) if d.other_line else _("in the database")
        ),
    ),
]
DECISION_COLUMNS: list[Column[Decision]] = [
    Column(N_("Line"), lambda d: str(d.line), lambda d: d.line, numeric=True),
    Column(N_("Decision"), lambda d: d.label),
    Column(N_("Details"), lambda d: d.detail, tooltip=lambda d: d.message()),
]
NAME_COLUMNS: list[Column[str]] = [Column(N_("Name"), lambda name: name)]
NOTICE_COLUMNS: list[Column[str]] = [Column(N_("Notice"), lambda notice: notice)]
PAIR_COLUMNS: list[Column[tuple[str, str]]] = [
    Column(N_("Name in the file"), lambda pair: pair[0]),
    Column(N_("Similar name"), lambda pair: pair[1]),
]


def completed_columns(labels: dict[str, str]) -> list[Column[ClientDraft]]:
    """Columns of the existing clients a client import completes, with the fields it fills in
    (a consent date among them matters); ``labels`` maps field keys to untranslated labels."""
    return [
        Column(N_("Line"), lambda d: str(d.line), lambda d: d.line, numeric=True),
        Column(N_("Client"), lambda d: d.name),
        Column(
            N_("Fills in"),
            lambda d: ", ".join(
                _(labels.get(key, key)) for key in [*d.values, *(["group"] if d.group else [])]
            ),
        ),
    ]


def entry_columns(names: dict[object, str]) -> list[Column[EntryDraft]]:
    """Columns of the entries to add; ``names`` turns a draft's client reference into a name."""
    return [
        Column(N_("Line"), lambda e: str(e.line), lambda e: e.line, numeric=True),
        Column(N_("Client"), lambda e: names.get(e.client, str(e.client))),
        Column(N_("Invoice number"), lambda e: e.invoice_number or ""),
        Column(
            N_("Invoice date"), lambda e: formatting.date(e.invoice_date), lambda e: e.invoice_date
        ),
        Column(
            N_("Net amount"),
            lambda e: formatting.money(from_cents(e.net_cents)),
            lambda e: e.net_cents,
            numeric=True,
        ),
    ]


class ReportPage(WizardStep):
    """The dry run: what the import will add, skip and refuse; nothing is written yet."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(
            wizard,
            _("Check before importing"),
            _("What the import will do. Nothing has been written yet."),
        )
        self.setCommitPage(True)
        self.progress = QProgressBar()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("planSummary")
        self.tabs = QTabWidget()
        self.names: dict[object, str] = {}
        self.errors = RecordTableModel(PROBLEM_COLUMNS, self)
        self.decisions = RecordTableModel(DECISION_COLUMNS, self)
        self.new_clients = RecordTableModel(NAME_COLUMNS, self)
        self.field_labels: dict[str, str] = {}
        self.completed = RecordTableModel(completed_columns(self.field_labels), self)
        self.groups = RecordTableModel(NAME_COLUMNS, self)
        self.notices = RecordTableModel(NOTICE_COLUMNS, self)
        self.entries = RecordTableModel(entry_columns(self.names), self)
        self.duplicates = RecordTableModel(DUPLICATE_COLUMNS, self)
        self.similar = RecordTableModel(PAIR_COLUMNS, self)
        self.views = {
            model: table_view(model)
            for model in (
                self.errors,
                self.decisions,
                self.notices,
                self.new_clients,
                self.completed,
                self.groups,
                self.entries,
                self.duplicates,
                self.similar,
            )
        }
        self.good_rows_only = QCheckBox(
            _("Import &only the good rows (the rows with errors are left out)")
        )
        self.good_rows_only.toggled.connect(self.completeChanged)
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.good_rows_only)
        self.plan: ImportPlan | None = None
        self.task: Task | None = None
        self.planning = False
        #: Counts dry runs started and left; outcomes of a run the user has left are dropped.
        self.run_number = 0

    def initializePage(self) -> None:
        self.plan = None
        self.tabs.clear()
        self.summary.setText(_("Reading the file …"))
        self.good_rows_only.setChecked(False)
        self.good_rows_only.hide()
        self.progress.setRange(0, 0)
        self.progress.show()
        owner = self.owner
        db, table, kind, options = owner.context.db, owner.table, owner.kind, owner.plan_options()
        assert table is not None

        def work(control: TaskControl) -> ImportPlan:
            return importing.plan_import(
                db, table, kind, options, control.progress, control.cancelled
            )

        self.planning = True
        self.run_number += 1
        task = owner.context.runner.submit(
            work,
            self._if_current(self.show_plan),
            self._if_current(self.failed),
            self._if_current(self.show_progress),
        )
        self.task = task if self.planning else None  # a runner that runs at once is done already

    def _if_current(self, callback: Callable[..., None]) -> Callable[..., None]:
        """``callback`` for the dry run started now, ignored once the user has left it.

        Back cancels a dry run, but its outcome (a plan of the old mapping, or "cancelled")
        may still arrive after the next one started; it must not replace the new one.
        """
        number = self.run_number
        return lambda *args: callback(*args) if number == self.run_number else None

    def failed(self, error: Exception) -> None:
        self.task, self.planning = None, False
        self.progress.hide()
        self.summary.setText(str(error) if isinstance(error, DeskError) else repr(error))
        self.completeChanged.emit()

    def show_plan(self, plan: ImportPlan) -> None:
        self.task, self.planning = None, False
        self.plan = plan
        self.progress.hide()
        summary = plan.summary()
        if not (plan.additions or plan.updates or plan.errors):
            summary += "\n" + _("Nothing new to import: every row is already in your data.")
        self.summary.setText(summary)
        self.names.clear()
        self.names.update(self.owner.client_names())
        self.names.update({name_key(name): name for name in plan.new_clients})
        self.field_labels.clear()
        self.field_labels.update(self.owner.labels())
        completed = [draft for draft in plan.clients if draft.client_id is not None]
        tabs: list[tuple[RecordTableModel[Any], Sequence[Any], str]] = [
            (self.errors, plan.errors, _("Errors ({count})")),
            (self.decisions, plan.decisions, _("Decisions ({count})")),
            (self.notices, plan.notices, _("Please note ({count})")),
            (self.new_clients, plan.new_clients, _("New clients ({count})")),
            (self.completed, completed, _("Clients to complete ({count})")),
            (self.groups, plan.new_groups, _("New groups ({count})")),
            (self.entries, plan.entries, _("Entries to add ({count})")),
            (self.duplicates, plan.duplicates, _("Already present ({count})")),
            (self.similar, plan.likely_duplicates, _("Possibly the same client ({count})")),
        ]
        shown: list[int] = []  # rows of each tab shown
        for model, records, title in tabs:
            model.set_records(records)
            if records or model in (self.new_clients, self.duplicates):
                self.tabs.addTab(self.views[model], title.format(count=len(records)))
                shown.append(model.rowCount())
        self.tabs.setCurrentIndex(next((i for i, rows in enumerate(shown) if rows), 0))
        self.good_rows_only.setVisible(bool(plan.errors))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        if self.plan is None:
            return False
        return not self.plan.errors or self.good_rows_only.isChecked()

    def cleanupPage(self) -> None:
        self.run_number += 1
        if self.task is not None:
            self.task.cancel()
            self.task, self.planning = None, False
