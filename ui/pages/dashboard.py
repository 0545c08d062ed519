"""The dashboard: cards over the status document, the same figures as ``status --json``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from freelancer_desk import formatting
from freelancer_desk.i18n import _
from freelancer_desk.services.status import StatusRequest, build_status, total_net
from ui import registry
from ui.context import AppContext

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

    def refresh(self, status: dict[str, Any]) -> None:
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


class KeyFiguresCard(Card):
    """Revenue of the last 12 months and the largest clients."""

    def __init__(self, context: AppContext) -> None:
        super().__init__(context, _("Last 12 months"))
        self.total = QLabel()
        self.total.setObjectName("totalNet")
        self.total.setStyleSheet("font-size: 20pt;")
        self.period = QLabel()
        self.period.setWordWrap(True)
        self.top = QLabel()
        self.top.setTextFormat(Qt.TextFormat.PlainText)
        self.top.setWordWrap(True)
        for widget in (self.total, self.period, self.top):
            self.body.addWidget(widget)

    def refresh(self, status: dict[str, Any]) -> None:
        start = dt.date.fromisoformat(status["period_start"])
        end = dt.date.fromisoformat(status["period_end"])
        self.total.setText(formatting.money(total_net(status)))
        self.period.setText(
            _("Net revenue from {start} to {end}, {count} paying clients").format(
                start=formatting.date(start), end=formatting.date(end), count=len(status["clients"])
            )
        )
        if not status["clients"]:
            self.top.setText(
                _(
                    "No revenue in this period yet. Add invoices on the Revenue page "
                    "or import them from a CSV file (File ▸ Import)."
                )
            )
            return
        lines = [
            f"{row['name']}: {formatting.percent(row['share'])}" for row in status["clients"][:5]
        ]
        self.top.setText(_("Largest clients:") + "\n" + "\n".join(lines))


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
        self.status: dict[str, Any] | None = None
        self._announced = False
        self.refresh()

    def refresh(self) -> None:
        """Recompute the status document and hand it to every card."""
        self.status = build_status(self.context.db, StatusRequest(as_of=dt.date.today()))
        for card in self.cards:
            card.refresh(self.status)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Announce the first paint of the cards (after it happened, for ``--smoke``)."""
        if event.type() == QEvent.Type.Paint and not self._announced and self.status is not None:
            self._announced = True
            QTimer.singleShot(0, self.painted.emit)
        return super().eventFilter(watched, event)
