"""The dashboard: cards over the status document, the same figures as ``status --json``.

Each figure stands beside its change against the previous period (arrow, signed difference,
and the same in words for tooltips and screen readers), and the cards say when the period is
still running: "Provisional, as of …".
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from freelancer_desk import clock, formatting
from freelancer_desk.comparison import Change, money_change
from freelancer_desk.db import Database
from freelancer_desk.i18n import _, ngettext
from freelancer_desk.money import from_cents
from freelancer_desk.status_document import Status, StatusRequest, kept_status
from ui import registry
from ui.context import AppContext
from ui.runner import Loader

#: From this card width on, a card's pairs (charts, self-check items) stand in two columns.
TWO_COLUMNS_FROM = 900


def arrange_pairs(
    grid: QGridLayout, pairs: Sequence[tuple[QWidget, QWidget]], columns: int
) -> None:
    """Place (heading, body) pairs in ``columns`` columns of ``grid``, each heading above its
    body."""
    for index, (heading, body) in enumerate(pairs):
        row, column = divmod(index, columns)
        for offset, widget in enumerate((heading, body)):
            grid.removeWidget(widget)
            grid.addWidget(widget, 2 * row + offset, column)
    grid.setColumnStretch(0, 1)
    grid.setColumnStretch(1, 1 if columns == 2 else 0)


class Card(QFrame):
    """A framed box with a title; subclasses fill ``body`` and implement ``refresh``."""

    #: Cards that need the full width of the dashboard set this.
    wide = False

    def __init__(self, context: AppContext, title: str) -> None:
        super().__init__()
        self.context = context
        self.setObjectName("card")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#card { background: palette(base); border-radius: 6px; }")
        layout = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setObjectName("cardTitle")
        heading.setStyleSheet("font-size: 13pt; font-weight: bold;")
        layout.addWidget(heading)
        self.body = QVBoxLayout()
        layout.addLayout(self.body)
        layout.addStretch(1)

    #: Cards whose ``refresh`` needs more than the status document set this and ``prepare``.
    prepares = False

    def prepare(self, db: Database, status: Status) -> None:
        """Compute, on the background thread, what ``refresh`` will ask the services for.

        Services keep their results until the data changes (``db.memo``), so ``refresh`` then
        finds them ready instead of computing on the GUI thread. Touches no widget. The
        dashboard shows the figures first and refreshes such a card once this is done.
        """

    def outdated(self) -> None:
        """The data changed and this card is prepared again: say so until ``refresh``."""

    def refresh(self, status: Status) -> None:
        """Show the figures of a fresh status document."""
        raise NotImplementedError


class PairsCard(Card):
    """A card whose (heading, body) pairs stand in two columns when the card is wide enough."""

    def __init__(self, context: AppContext, title: str) -> None:
        super().__init__(context, title)
        self.pairs_widget = QWidget()
        self.pairs_grid = QGridLayout(self.pairs_widget)
        self.pairs_grid.setContentsMargins(0, 6, 0, 0)
        self.pairs: list[tuple[QWidget, QWidget]] = []
        self.columns = 0

    def arrange(self, columns: int) -> None:
        """Lay the pairs out in one or two columns (again only when that changed)."""
        if columns != self.columns:
            self.columns = columns
            arrange_pairs(self.pairs_grid, self.pairs, columns)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.arrange(2 if event.size().width() >= TWO_COLUMNS_FROM else 1)


def as_of_text(status: Status) -> str:
    """ "Provisional, as of 15.03.2026" while the period runs, else "As of 31.12.2025"."""
    day = formatting.date(status.as_of)
    if status.provisional:
        return _("Provisional, as of {day}").format(day=day)
    return _("As of {day}").format(day=day)


def compared_text(status: Status) -> str:
    """What the changes beside the figures are measured against, in words and with its days:
    "Compared with the 12 months before (3 Dec 2024 – 2 Dec 2025)"."""
    before = status.previous.period
    span = f"{formatting.date(before.start)} – {formatting.date(before.last_day)}"
    if status.period.kind == "rolling":
        return _("Compared with the 12 months before ({span})").format(span=span)
    return _("Compared with {span}").format(span=span)


def show_change(label: QLabel, change: Change | None, prefix: str = "") -> None:
    """Arrow and signed difference on the label, the same in words for the tooltip and for
    screen readers: the change never rests on colour alone."""
    if change is None:
        label.setText("")
        label.setToolTip("")
        label.setAccessibleName("")
        return
    label.setText(prefix + change.short)
    label.setToolTip(change.words)
    label.setAccessibleName(change.words)


class KeyFiguresCard(Card):
    """Revenue of the last 12 months beside the 12 months before, and the largest clients."""

    def __init__(self, context: AppContext) -> None:
        super().__init__(context, _("Last 12 months"))
        self.total = QLabel()
        self.total.setObjectName("totalNet")
        self.total.setStyleSheet("font-size: 20pt;")
        self.change = QLabel()
        self.change.setObjectName("totalNetChange")
        self.change.setStyleSheet("font-size: 12pt;")
        self.compared = QLabel()
        self.compared.setObjectName("comparedWith")
        self.compared.setWordWrap(True)
        self.provisional = QLabel()
        self.provisional.setObjectName("asOf")
        self.provisional.setStyleSheet("font-weight: bold;")
        self.period = QLabel()
        self.period.setWordWrap(True)
        self.top = QLabel()
        self.top.setTextFormat(Qt.TextFormat.PlainText)
        self.top.setWordWrap(True)
        figures = QHBoxLayout()
        figures.addWidget(self.total)
        figures.addWidget(self.change, 1, Qt.AlignmentFlag.AlignBottom)
        self.body.addLayout(figures)
        for widget in (self.compared, self.provisional, self.period, self.top):
            self.body.addWidget(widget)

    def refresh(self, status: Status) -> None:
        self.total.setText(formatting.money(from_cents(status.total_net_cents)))
        compared = status.previous.period
        show_change(
            self.change,
            money_change(
                status.total_net_cents,
                status.previous.total_net_cents,
                status.period,
                compared=compared,
            ),
        )
        self.compared.setText(compared_text(status))
        self.provisional.setText(as_of_text(status))
        self.period.setText(
            ngettext(
                "Net revenue from {start} to {end}, {count} paying client",
                "Net revenue from {start} to {end}, {count} paying clients",
                len(status.clients),
            ).format(
                start=formatting.date(status.period.start),
                end=formatting.date(status.period.last_day),
                count=len(status.clients),
            )
        )
        if not status.clients:
            self.top.setText(
                _(
                    "No revenue in this period yet. Add invoices on the {revenue} page or "
                    "import them with {import_menu}."
                ).format(
                    revenue=registry.page_title("revenue"),
                    import_menu=registry.menu_path(registry.IMPORT),
                )
            )
            return
        lines = []
        words = []
        for row in status.clients[:5]:
            change = money_change(
                row.net_cents, row.previous_net_cents, status.period, compared=compared
            )
            lines.append(f"{row.name}: {formatting.percent(row.share)} ({change.short})")
            words.append(f"{row.name}: {formatting.percent(row.share)}. {change.words}")
        self.top.setText(_("Largest clients:") + "\n" + "\n".join(lines))
        self.top.setToolTip("\n".join(words))
        self.top.setAccessibleName(_("Largest clients:") + " " + " ".join(words))


class DashboardPage(QScrollArea):
    """Cards in two columns; emits ``painted`` once it has been painted with data."""

    painted = Signal()

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        content = QWidget()
        grid = QGridLayout(content)
        grid.setSpacing(12)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.cards: list[Card] = []
        row = column = 0
        for path in registry.DASHBOARD_CARDS:
            card = registry.load(path)(context)  # type: ignore[operator]  # a card entry names a class taking the context
            self.cards.append(card)
            if card.wide:
                if column:
                    row, column = row + 1, 0
                grid.addWidget(card, row, 0, 1, 2)
                row += 1
            else:
                grid.addWidget(card, row, column)
                row, column = (row, 1) if column == 0 else (row + 1, 0)
        grid.setRowStretch(row + 1, 1)
        self.setWidget(content)
        content.installEventFilter(self)
        self.status: Status | None = None
        #: The document the cards are (being) prepared for.
        self._preparing: Status | None = None
        self._announced = False
        self.loader: Loader[Status] = Loader(self, context.runner, self.show_status)
        self.prepared: Loader[Status] = Loader(self, context.runner, self._show_prepared)
        self.painted.connect(self._prepare)
        self.refresh()

    def refresh(self) -> None:
        """Fetch the status document off the GUI thread and hand it to every card.

        While the data is unchanged since it was last computed, the document comes from the
        database at once (``freelancer_desk.kept``), without loading the services and the ORM:
        a start paints its figures before them. Otherwise the window stays responsive while it
        is computed. A refresh while one is under way supersedes it. The cards write amounts:
        babel's data for them is read here too, not on the GUI thread (a tenth of a second).
        """
        db, request = self.context.db, StatusRequest(as_of=clock.today())

        def read() -> Status:
            formatting.prepare()
            found = kept_status(db, request)
            if found is None:  # the data changed since: computed by the services
                from freelancer_desk.services.status import build_status

                found = build_status(db, request)
            return found

        self.loader.load(read)

    def show_status(self, status: Status) -> None:
        """Show a status document on the cards at once; cards that need more (the step plan)
        are prepared in the background and shown when that is done, so the figures never wait
        for them. At start that begins after the first paint: preparing loads the services,
        which would slow the paint down (a runner that works at once, in tests, does not wait)."""
        self.status = status
        for card in self.cards:
            if not card.prepares:
                card.refresh(status)
            else:
                card.outdated()
        if self._announced or self.context.runner.immediate:
            self._prepare()

    def _prepare(self) -> None:
        """Prepare the cards that need more than the status document, in the background (once
        per document)."""
        waiting = [card for card in self.cards if card.prepares]
        status = self.status
        if not waiting or status is None or status is self._preparing:
            return
        self._preparing = status
        db = self.context.db

        def prepare() -> Status:
            for card in waiting:
                card.prepare(db, status)
            return status

        self.prepared.load(prepare)

    def _show_prepared(self, status: Status) -> None:
        """Show the prepared cards, unless a newer document has taken over meanwhile."""
        if self.status is status:
            for card in self.cards:
                if card.prepares:
                    card.refresh(status)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Announce the first paint of the cards (after it happened, for ``--smoke``)."""
        if event.type() == QEvent.Type.Paint and not self._announced and self.status is not None:
            self._announced = True
            QTimer.singleShot(0, self.painted.emit)
        return super().eventFilter(watched, event)
