"""Client groups (Konzern): create, rename, delete, and tick the clients that belong to one.

Companies of one group count as one payer for the 5/6 rule, so the groups table shows each
group's revenue of the last 12 months beside its clients.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from freelancer_desk import clock, formatting, logs
from freelancer_desk.analytics.dependency import ClientInfo
from freelancer_desk.analytics.periods import rolling_12_months
from freelancer_desk.errors import DeskError
from freelancer_desk.i18n import N_, _, ngettext
from freelancer_desk.services import dependency as dependency_service
from freelancer_desk.services import groups as group_service
from freelancer_desk.services.dependency import GroupRow
from ui.context import AppContext
from ui.models.table import Column
from ui.record_list import RecordList
from ui.widgets import confirm, error_label, show_modal

if TYPE_CHECKING:
    from ui.main_window import MainWindow

Index = QModelIndex | QPersistentModelIndex

GROUP_COLUMNS: list[Column[GroupRow]] = [
    Column(N_("Group"), lambda g: g.name),
    Column(
        N_("Clients"),
        lambda g: str(len(g.clients)),
        lambda g: len(g.clients),
        numeric=True,
        tooltip=lambda g: ", ".join(g.clients),
    ),
    Column(
        N_("Revenue (12 months)"), lambda g: formatting.money(g.net), lambda g: g.net, numeric=True
    ),
]


class MembershipModel(QAbstractListModel):
    """Every client as a checkable row, ticked when it belongs to the chosen group.

    Ticking calls ``assign(client_id, group_id)`` (``None`` to take the client out); the row
    changes only when that succeeded.
    """

    def __init__(self, assign: Callable[[int, int | None], bool], parent: Any = None) -> None:
        super().__init__(parent)
        self._assign = assign
        self._clients: list[ClientInfo] = []
        self._group: tuple[int, str] | None = None

    def set_clients(self, clients: list[ClientInfo], group: tuple[int, str] | None) -> None:
        """Show these clients, ticked for ``group`` (id, name); None disables ticking."""
        self.beginResetModel()
        self._clients = list(clients)
        self._group = group
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._clients)

    def _member(self, client: ClientInfo) -> bool:
        return self._group is not None and client.group_id == self._group[0]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._clients):
            return None
        client = self._clients[index.row()]
        elsewhere = client.group_id is not None and not self._member(client)
        if role == Qt.ItemDataRole.DisplayRole:
            if elsewhere:
                return _("{client} (now in {group})").format(
                    client=client.name, group=client.group_name
                )
            return client.name
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if self._member(client) else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole and elsewhere:
            return _("Ticking moves this client from {group} into this group.").format(
                group=client.group_name
            )
        if role == Qt.ItemDataRole.UserRole:
            return client.id
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._group is not None:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or self._group is None or not index.isValid():
            return False
        client = self._clients[index.row()]
        on = Qt.CheckState(value) == Qt.CheckState.Checked
        target = self._group if on else None
        if not self._assign(client.id, None if target is None else target[0]):
            return False
        self._clients[index.row()] = ClientInfo(
            client.id,
            client.name,
            None if target is None else target[0],
            None if target is None else target[1],
        )
        self.dataChanged.emit(index, index)
        return True


class GroupsDialog(QDialog):
    """The groups on the left, the clients of the chosen group (tick to assign) on the right."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.changed = False
        self._opened = False
        self.setWindowTitle(_("Client groups"))
        self.resize(860, 520)

        intro = QLabel(
            _(
                "Companies of one group (Konzern) count as one client for the 5/6 rule: "
                "the pension insurance treats them as one. Create a group, then tick "
                "its clients on the right."
            )
        )
        intro.setWordWrap(True)

        self.groups = RecordList(
            GROUP_COLUMNS,
            "groups",
            context.preferences,
            _("No groups yet.\n\nType a name below and choose “New group”."),
            searchable=False,
        )
        self.groups.table.selectionModel().selectionChanged.connect(self._group_chosen)
        # The chosen group is renamed or deleted with the buttons above the list; the name
        # field below is only ever for a new group, so it never shows another group's name.
        self.rename = self.groups.add_button(_("&Rename…"), self.rename_group, "F2", True)
        self.delete = self.groups.add_button(_("&Delete"), self.delete_group, None, True)
        self.name = QLineEdit()
        self.name.setObjectName("groupName")
        self.name.setPlaceholderText(_("Name of a new group"))
        self.name.returnPressed.connect(self.create_group)
        new = QPushButton(_("&New group"))
        new.clicked.connect(self.create_group)
        name_row = QHBoxLayout()
        name_row.addWidget(self.name, 1)
        name_row.addWidget(new)
        for button in (new, self.rename, self.delete):
            button.setAutoDefault(False)  # Return in the name field creates the group, once
        self.error = error_label()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.groups, 1)
        left_layout.addLayout(name_row)
        left_layout.addWidget(self.error)

        self.members_title = QLabel()
        self.members_title.setWordWrap(True)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(_("Find a client"))
        self.filter.setClearButtonEnabled(True)
        self.members = MembershipModel(self._assign, self)
        self.members_proxy = QSortFilterProxyModel(self)
        self.members_proxy.setSourceModel(self.members)
        self.members_proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter.textChanged.connect(self.members_proxy.setFilterFixedString)
        self.member_view = QListView()
        self.member_view.setModel(self.members_proxy)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.members_title)
        right_layout.addWidget(self.filter)
        right_layout.addWidget(self.member_view, 1)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([460, 400])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)  # Esc closes
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.reload()

    # ---- data ----------------------------------------------------------------------------

    def current(self) -> GroupRow | None:
        """The chosen group."""
        return self.groups.selected()

    def reload(self, select_id: int | None = None) -> None:
        """Read groups and clients again, keeping (or moving) the selection."""
        current = self.current()
        keep = select_id if select_id is not None else (current.id if current else None)
        rows = dependency_service.group_rows(self.context.db, rolling_12_months(clock.today()))
        self.groups.set_records(rows)
        if keep is not None:
            self.groups.select_where(lambda row: row.id == keep)
        elif rows and not self._opened:  # on opening, show the members of the first group
            self.groups.table.selectRow(0)
        self._opened = True
        self._group_chosen()

    def _group_chosen(self, *_args: object) -> None:
        group = self.current()
        clients = dependency_service.clients_with_groups(self.context.db)
        self.members.set_clients(clients, None if group is None else (group.id, group.name))
        self.member_view.setEnabled(group is not None)
        if group is None:
            self.members_title.setText(_("Choose or create a group to tick its clients."))
        else:
            self.members_title.setText(
                _("Clients of {group}: tick to add, untick to take out.").format(group=group.name)
            )

    def _run(self, action: Callable[[], Any]) -> Any:
        """Call a service; show a refusal below the name field instead of raising it."""
        try:
            result = action()
        except DeskError as error:
            logs.caught(error, f"{self.windowTitle()}: refused", level=logging.INFO)
            self.error.setText(str(error))
            self.error.show()
            return None
        self.error.hide()
        self.changed = True
        return result if result is not None else True

    def _assign(self, client_id: int, group_id: int | None) -> bool:
        done = self._run(lambda: group_service.assign_client(self.context.db, client_id, group_id))
        if done:
            self._refresh_group_rows()
        return bool(done)

    def _refresh_group_rows(self) -> None:
        """Update counts and totals without rebuilding the client list being ticked."""
        current = self.current()
        self.groups.table.selectionModel().blockSignals(True)
        self.groups.set_records(
            dependency_service.group_rows(self.context.db, rolling_12_months(clock.today()))
        )
        if current is not None:
            self.groups.select_where(lambda row: row.id == current.id)
        self.groups.table.selectionModel().blockSignals(False)

    # ---- actions -------------------------------------------------------------------------

    def create_group(self) -> None:
        group = self._run(
            lambda: group_service.create_group(self.context.db, {"name": self.name.text()})
        )
        if group:
            self.name.clear()
            self.reload(select_id=group.id)

    def rename_group(self) -> None:
        """Ask for the chosen group's new name, starting from its name."""
        current = self.current()
        if current is None:
            return
        name, given = QInputDialog.getText(
            self,
            _("Rename group"),
            _("New name of {group}:").format(group=current.name),
            QLineEdit.EchoMode.Normal,
            current.name,
        )
        if given and self._run(
            lambda: group_service.update_group(self.context.db, current.id, {"name": name})
        ):
            self.reload(select_id=current.id)

    def delete_group(self) -> None:
        current = self.current()
        if current is None:
            return
        text = ngettext(
            "Delete the group {group}? Its {count} client stays, without a group, and counts "
            "as a payer of its own again.",
            "Delete the group {group}? Its {count} clients stay, without a group, and count "
            "as separate payers again.",
            len(current.clients),
        ).format(group=current.name, count=len(current.clients))
        if not confirm(self, _("Delete group"), text, _("Delete group")):
            return
        if self._run(lambda: group_service.delete_group(self.context.db, current.id)):
            self.reload()

    def done(self, result: int) -> None:
        """Close; when groups changed, every page reloads (shares depend on them)."""
        self.groups.save_layout()
        super().done(result)
        if self.changed:
            self.context.changed()


def open_groups(window: MainWindow) -> None:
    """Menu action: manage client groups."""
    show_modal(GroupsDialog(window.context, window))
