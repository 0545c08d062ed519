"""Help inside the app: a short manual and the list of keyboard shortcuts (Help menu, F1)."""

from __future__ import annotations

import html

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from freelancer_desk.i18n import N_, _
from ui import registry

#: The manual: (heading, paragraphs). Short, and only what the app really does.
MANUAL: list[tuple[str, tuple[str, ...]]] = [
    (
        N_("What Freelancer Desk is for"),
        (
            N_(
                "Keep your clients, stay independent of any single one, and win back the ones "
                "who leave. Everything stays in one file on this computer; the app works "
                "offline."
            ),
        ),
    ),
    (
        N_("Getting started"),
        (
            N_(
                "Add clients with Clients ▸ New client, or import a client list or your "
                "invoices with {import_menu}."
            ),
            N_(
                "Enter invoices on the Revenue page with “New entry”. The next invoice number "
                "and the due date (from the client's payment term) are filled in for you; "
                "“Paid today” records a payment in one click. A negative amount is a credit "
                "note. Once you record payments, unpaid invoices past their due date are "
                "marked in red; an invoice overdue by more than the days set in Settings is a "
                "warning sign for its client."
            ),
        ),
    ),
    (
        N_("The dashboard"),
        (
            N_(
                "The dashboard shows your net revenue of the last 12 months, your largest "
                "clients, how dependent you are on the largest one, and your next steps: whom "
                "to contact, why and how — clients with warning signs (fewer or smaller "
                "orders, late payments, complaints), sleeping clients who have not bought for "
                "a long time, lost clients worth winning back, overdue invoices and good "
                "moments to ask for feedback."
            ),
        ),
    ),
    (
        N_("Dependency on one client"),
        (
            N_(
                "If one client pays five sixths (83.3%) or more of your income for a long "
                "time, you may have to pay into the statutory pension insurance as an "
                "employee-like self-employed person. The app shows the share of your largest "
                "payer and how much revenue from other clients would bring it down. Companies "
                "of one group count as one client: put them into a group with Clients ▸ Client "
                "groups. This is not legal advice; talk to your tax adviser."
            ),
        ),
    ),
    (
        N_("Lost clients and win-back"),
        (
            N_(
                "When a client leaves, mark them lost (on their page, or on the Lost clients "
                "page) with the reason and the kind of loss. A win-back case then helps you "
                "decide whether trying is worth it, suggests measures for the reason, and "
                "records each attempt and how the client reacted. The tab Win-back results "
                "shows what your efforts brought."
            ),
        ),
    ),
    (
        N_("Feedback, reminders and the contact rules"),
        (
            N_(
                "Ask clients for feedback, a review or a recommendation on the Feedback page. "
                "“Send by email” opens your mail program with the message, greeting each "
                "client as set on their page (Frau/Herr, Sie/Du); with webmail you copy the "
                "text instead. A request counts as sent once you say so."
            ),
            N_(
                "Reminders bring clients back to mind on the day you choose. Below them, the "
                "next steps: accept one to put it on your reminders, snooze it or dismiss it "
                "(Undo takes it back). Consent and objections are checked first: a channel "
                "the law does not allow is refused, with the reason."
            ),
        ),
    ),
    (
        N_("Reports"),
        (
            N_(
                "On the Reports page you print a review of a year, a quarter or 12 months, and "
                "a client dossier for a call: a brief (why now, what to say, what the contact "
                "rules allow) and the client's file. A thumbnail shows the first page before "
                "you save the PDF."
            ),
        ),
    ),
    (
        N_("Your data and backups"),
        (
            N_(
                "File ▸ Back up now makes a copy of your data; the app also makes one at start "
                "when the data changed since the last one. Settings ▸ Backups chooses the "
                "folder, e.g. on an external drive. File ▸ Export all data writes everything "
                "as CSV files."
            ),
        ),
    ),
]

#: Keys of the lists and forms, beyond the menus (which show their own): (keys, what they do).
LIST_KEYS: list[tuple[str, str]] = [
    ("Ctrl+Shift+N", N_("New entry on the page shown (revenue, lost client, request, reminder)")),
    ("Ctrl+F", N_("Search the list")),
    ("Down", N_("In the search: move into the hits (Return opens the chosen or only hit)")),
    ("Return", N_("Open the chosen record")),
    ("F2", N_("Edit the chosen record")),
    ("Del", N_("Delete the chosen records")),
    ("Ctrl+E", N_("On a client's page: edit the client")),
    ("Ctrl+L", N_("On a client's page: log a contact")),
    ("Alt+Left", N_("On a client's page: back to the client list (also Esc)")),
    ("Ctrl+Shift+E", N_("Feedback: send the chosen request by email")),
    ("Ctrl+D", N_("Reminders: mark the chosen reminder done")),
    ("Ctrl+Return", N_("Reminders: accept the chosen next step")),
    ("Alt+Down", N_("In a date field: open the calendar (also F4)")),
]


def shortcuts() -> list[tuple[str, str]]:
    """Every shortcut with what it does, in the user's language: pages, menus, then lists."""
    native = QKeySequence.SequenceFormat.NativeText
    rows = [
        (
            QKeySequence(spec.shortcut).toString(native),
            _("Show the page {page}").format(page=_(spec.title)),
        )
        for spec in registry.PAGES
    ]
    rows += [
        (QKeySequence(keys).toString(native), text)
        for keys, text in (
            ("Ctrl+N", _("New client")),
            ("Ctrl+,", _("Settings")),
            ("F1", _("This help")),
            (QKeySequence.StandardKey.Quit, _("&Quit").replace("&", "")),
        )
    ]
    rows += [
        (QKeySequence(spec.shortcut).toString(native), registry.plain_title(spec.title))
        for spec in registry.ACTIONS
        if spec.shortcut
    ]
    rows += [(QKeySequence(keys).toString(native), _(text)) for keys, text in LIST_KEYS]
    return rows


def manual_html() -> str:
    """The manual as simple HTML for a text browser."""
    parts = []
    import_menu = registry.menu_path(registry.IMPORT)  # the menu's own words, never older ones
    for title, paragraphs in MANUAL:
        parts.append(f"<h3>{html.escape(_(title))}</h3>")
        parts += [
            f"<p>{html.escape(_(paragraph).format(import_menu=import_menu))}</p>"
            for paragraph in paragraphs
        ]
    return "".join(parts)


def shortcuts_html() -> str:
    """The shortcuts as an HTML table."""
    rows = "".join(
        f"<tr><td style='padding: 3px 16px 3px 0'><b>{html.escape(keys)}</b></td>"
        f"<td style='padding: 3px 0'>{html.escape(text)}</td></tr>"
        for keys, text in shortcuts()
    )
    return f"<table>{rows}</table>"


class HelpDialog(QDialog):
    """The manual and the keyboard shortcuts on two tabs; not modal, so it can stay open."""

    MANUAL, SHORTCUTS = 0, 1

    def __init__(self, parent: QWidget | None = None, tab: int = MANUAL) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Freelancer Desk help"))
        self.resize(640, 560)
        self.tabs = QTabWidget()
        for text, title in (
            (manual_html(), _("Manual")),
            (shortcuts_html(), _("Keyboard shortcuts")),
        ):
            browser = QTextBrowser()
            browser.setOpenLinks(False)
            browser.setHtml(text)
            self.tabs.addTab(browser, title)
        self.tabs.setCurrentIndex(tab)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)


def show_help(window: QWidget, tab: int = HelpDialog.MANUAL) -> HelpDialog:
    """Open the help beside the window (it stays open while the user works)."""
    dialog = HelpDialog(window, tab)
    dialog.setModal(False)
    screen = window.screen().availableGeometry()
    dialog.resize(
        min(dialog.width(), screen.width()), min(dialog.height(), int(screen.height() * 0.9))
    )
    dialog.show()
    return dialog
