"""Where the pages, dashboard cards, menu actions and client-page parts are listed.

Each area of the app adds its entries here with one line; the shell builds the window from
these lists. Entries name their class as ``"module:Class"`` so that a page's module is not
imported before the first paint (fast start-up); after it, the window loads them all in the
background (``modules``), before the user opens them.
"""

from __future__ import annotations

from dataclasses import dataclass

from freelancer_desk.i18n import N_, _


@dataclass(frozen=True)
class PageSpec:
    """A page in the navigation. ``factory`` is ``"module:Class"``; Class(context) -> QWidget."""

    key: str
    title: str
    icon: str
    factory: str
    shortcut: str


@dataclass(frozen=True)
class ActionSpec:
    """A menu action. ``handler`` is ``"module:function"``; function(window) is called."""

    menu: str
    title: str
    handler: str
    shortcut: str = ""
    #: A client action that still makes sense once the client's personal data are erased
    #: (the page disables the others for an erased client).
    for_erased: bool = True


PAGES: list[PageSpec] = [
    PageSpec(
        "dashboard", N_("Dashboard"), "dashboard", "ui.pages.dashboard:DashboardPage", "Ctrl+1"
    ),
    PageSpec("clients", N_("Clients"), "clients", "ui.pages.clients:ClientsPage", "Ctrl+2"),
    PageSpec("revenue", N_("Revenue"), "revenue", "ui.pages.revenue:RevenuePage", "Ctrl+3"),
    PageSpec("lost", N_("Lost clients"), "lost", "ui.pages.lost:LostClientsPage", "Ctrl+4"),
    PageSpec("feedback", N_("Feedback"), "feedback", "ui.pages.feedback:FeedbackPage", "Ctrl+5"),
    PageSpec(
        "reminders", N_("Reminders"), "reminders", "ui.pages.reminders:RemindersPage", "Ctrl+6"
    ),
    PageSpec("reports", N_("Reports"), "reports", "ui.pages.reports:ReportsPage", "Ctrl+7"),
]

#: Dashboard cards, top to bottom: ``"module:Class"``; Class(context) with ``refresh(status)``.
DASHBOARD_CARDS: list[str] = [
    "ui.pages.dashboard:KeyFiguresCard",
    "ui.pages.reminders_card:RemindersCard",
    "ui.pages.steps:NextStepsCard",
    "ui.pages.dependency:DependencyCard",
    "ui.pages.dependency:SelfCheckCard",
]

#: The menus of the window, left to right: key, title.
MENUS: dict[str, str] = {
    "file": N_("&File"),
    "clients": N_("&Clients"),
    "view": N_("&View"),
    "help": N_("&Help"),
}

#: File ▸ Import: the hints on empty pages name it by ``menu_path``.
IMPORT = ActionSpec(
    "file",
    N_("&Import (CSV, e-invoices, bank statement)…"),
    "ui.dialogs.import_wizard.wizard:open_import_wizard",
    "Ctrl+I",
)

#: Menu actions beyond the shell's own (menus: "file", "clients", "help").
ACTIONS: list[ActionSpec] = [
    IMPORT,
    ActionSpec("file", N_("&Export all data…"), "ui.dialogs.client_data:export_all_data"),
    ActionSpec("clients", N_("Client &groups…"), "ui.dialogs.groups:open_groups"),
    ActionSpec("clients", N_("&Merge two clients…"), "ui.dialogs.client_data:merge_clients_action"),
    ActionSpec("file", N_("&Back up now"), "ui.dialogs.safety:back_up_now", "Ctrl+Shift+S"),
    ActionSpec("file", N_("&Restore from a backup…"), "ui.dialogs.safety:open_restore"),
    ActionSpec("help", N_("Open &log folder"), "ui.logs:open_log_folder"),
]

#: Extra tabs on a client's page: ``"module:Class"``; Class(context) with ``title()``,
#: ``read`` (each client's data, read with the page on the worker) and ``show_data``
#: (``ui.pages.clients.ClientTab``).
CLIENT_TABS: list[str] = [
    "ui.pages.client_overview:TimelineTab",
    "ui.pages.lost:ContactRulesTab",
]

#: Extra buttons on a client's page: handler ``"module:function"``; function(page, client_id).
CLIENT_ACTIONS: list[ActionSpec] = [
    ActionSpec("client", N_("&Mark lost…"), "ui.pages.lost:mark_client_lost", for_erased=False),
    ActionSpec(
        "client",
        N_("Erase personal data…"),
        "ui.dialogs.winback:erase_client_action",
        for_erased=False,
    ),
    ActionSpec("client", N_("&Print dossier…"), "ui.pages.reports:export_dossier"),
    ActionSpec("client", N_("E&xport client data…"), "ui.dialogs.client_data:export_client_data"),
]


def plain_title(title: str) -> str:
    """A menu or entry title as a text names it: translated, without its "&" and closing "…"."""
    return _(title).replace("&", "").removesuffix("…").rstrip()


def menu_path(action: ActionSpec) -> str:
    """Where a menu action is, in the menus' own words, as a hint names it: "File ▸ Import
    (CSV, e-invoices, bank statement)". Made from the entries themselves, so that a hint
    never names an older label. The menu and its arrow keep together on a line ("File ▸")."""
    return f"{plain_title(MENUS[action.menu])}\N{NO-BREAK SPACE}▸ {plain_title(action.title)}"


def page_title(key: str) -> str:
    """The title of a page in the navigation, in the current language."""
    return _(next(spec.title for spec in PAGES if spec.key == key))


def modules() -> list[str]:
    """Every module the entries name, once each: pages, then menu actions, client tabs and
    client actions (the dashboard's cards are loaded with the first paint)."""
    entries = [
        *(spec.factory for spec in PAGES),
        *(spec.handler for spec in ACTIONS),
        *CLIENT_TABS,
        *(spec.handler for spec in CLIENT_ACTIONS),
    ]
    return list(dict.fromkeys(entry.partition(":")[0] for entry in entries))


def load(path: str) -> object:
    """The object a ``"module:name"`` entry names."""
    import importlib

    module_name, _, attribute = path.partition(":")
    return getattr(importlib.import_module(module_name), attribute)
