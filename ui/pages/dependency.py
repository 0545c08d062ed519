"""Dashboard cards for dependency on clients (DOMAIN.md §3): level, what-if, charts, self-check.

Every figure comes from the status document (``services.status.build_status``), so the card
shows exactly what ``status --json`` and the printed review show.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from freelancer_desk import formatting
from freelancer_desk.analytics.dependency import LEVEL_LABELS, Level
from freelancer_desk.errors import DeskError
from freelancer_desk.i18n import _
from freelancer_desk.self_check import FOUNDERS_NOTE, INDICATORS, NOT_LEGAL_ADVICE
from freelancer_desk.services import self_check as self_check_service
from ui.charts import BAR, CRITICAL, INK, MUTED, WARNING, ChartView, month_label, percent_axis
from ui.context import AppContext
from ui.pages.dashboard import PairsCard
from ui.widgets import show_error

#: Background colours of the level badge; the level is always written out as well.
LEVEL_COLOURS: dict[Level, str] = {
    Level.OK: "#1b7f3b",
    Level.WARNING: WARNING,
    Level.CRITICAL: CRITICAL,
}
#: Payers drawn by name in the share chart; the rest are summed as "others".
PAYERS_CHARTED = 5
#: Height of each chart in device-independent pixels.
CHART_HEIGHT = 230


def _amount(value: float) -> str:
    """A money figure of the status document (euros with two decimals) as text."""
    return formatting.money(Decimal(str(value)))


def threshold_text(share: float) -> str:
    """A threshold as people say it: "5/6" for the legal one, else a percentage (50 %)."""
    if share == 5 / 6:
        return "5/6"
    whole = round(share * 100) == share * 100
    return formatting.percent(share, digits=0 if whole else 1)


def _short(name: str, width: int = 24) -> str:
    return name if len(name) <= width else name[: width - 1].rstrip() + "…"


def explanation(status: dict[str, Any]) -> list[str]:
    """The card's plain-language paragraphs: what the level means and what would change it."""
    warning = threshold_text(status["thresholds"]["warning"])
    critical = threshold_text(status["thresholds"]["critical"])
    if status["no_revenue"]:
        return [
            _(
                "There is no revenue in this period yet, so there are no shares to compare. "
                "Add invoices on the Revenue page or import them."
            )
        ]
    level = Level(status["level"])
    if level is Level.CRITICAL:
        text = [
            _(
                "That is at or above {critical}. If this goes on permanently and you have no "
                "employees, the Deutsche Rentenversicherung may count you as self-employed with "
                "essentially one client, who must pay into the statutory pension insurance "
                "(§ 2 sentence 1 no. 9 SGB VI). Losing this client would also cost you almost "
                "all of your income."
            ).format(critical=critical)
        ]
    elif level is Level.WARNING:
        text = [
            _(
                "That is at or above {warning}: losing this client would cost you at least "
                "half of your income."
            ).format(warning=warning)
        ]
    else:
        text = [_("Your revenue is spread: no payer reaches {warning}.").format(warning=warning)]
    extra = status["extra_revenue_needed"]
    if extra["below_five_sixths"] > 0:
        text.append(
            _(
                "Another {amount} from other clients in the same period would bring you "
                "under {critical}."
            ).format(amount=_amount(extra["below_five_sixths"]), critical=critical)
        )
    if extra["below_half"] > 0:
        text.append(
            _(
                "Another {amount} from other clients in the same period would bring the "
                "largest payer under {warning}."
            ).format(amount=_amount(extra["below_half"]), warning=warning)
        )
    return text


class DependencyCard(PairsCard):
    """Level in colour and words, the largest payer, what-if figures and two charts."""

    wide = True

    def __init__(self, context: AppContext) -> None:
        super().__init__(context, _("Dependency on clients"))
        top_row = QHBoxLayout()
        self.badge = QLabel()
        self.badge.setObjectName("dependencyLevel")
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.badge.setMinimumWidth(110)
        self.headline = QLabel()
        self.headline.setObjectName("dependencyHeadline")
        self.headline.setStyleSheet("font-size: 15pt;")
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        top_row.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        top_row.addWidget(self.headline, 1)
        self.body.addLayout(top_row)

        self.details = QLabel()
        self.details.setObjectName("dependencyDetails")
        self.details.setStyleSheet(f"color: {MUTED};")
        self.text = QLabel()
        self.text.setObjectName("dependencyExplanation")
        self.figures = QLabel()
        self.figures.setObjectName("dependencyFigures")
        for label in (self.details, self.text, self.figures):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            self.body.addWidget(label)

        self.charts = self.pairs_widget
        self.payer_chart = ChartView(CHART_HEIGHT)
        self.trend_chart = ChartView(CHART_HEIGHT)
        self.pairs = [
            (QLabel(_("Shares of the largest payers")), self.payer_chart),
            (QLabel(_("Largest payer's share, rolling 12 months")), self.trend_chart),
        ]
        self.arrange(2)
        self.body.addWidget(self.charts)

        buttons = QHBoxLayout()
        groups = QPushButton(_("Client groups…"))
        groups.setToolTip(_("Companies of one group count as one client for the 5/6 rule."))
        groups.clicked.connect(self.open_groups)
        buttons.addWidget(groups)
        buttons.addStretch(1)
        self.body.addLayout(buttons)

    def refresh(self, status: dict[str, Any]) -> None:
        level = Level(status["level"])
        self.badge.setText(_(LEVEL_LABELS[level]))
        self.badge.setStyleSheet(
            f"background: {LEVEL_COLOURS[level]}; color: white; font-weight: bold; "
            "font-size: 12pt; border-radius: 4px; padding: 6px 12px;"
        )
        self.text.setText("\n\n".join(explanation(status)))
        self.details.setText(self._period_text(status))
        top = status["top_payer"]
        if top is None:
            self.headline.setText(_("No revenue in this period"))
            self.figures.setText("")
            self.charts.hide()
            return
        self.headline.setText(
            _("{payer}: {share} of your net revenue").format(
                payer=top["name"], share=formatting.percent(top["share"])
            )
        )
        self.figures.setText(self._figure_text(status))
        self.charts.show()
        self.payer_chart.plot(lambda: self._draw_payers(status))
        self.trend_chart.plot(lambda: self._draw_trend(status))

    @staticmethod
    def _period_text(status: dict[str, Any]) -> str:
        basis = _("by invoice date") if status["basis"] == "invoice" else _("by payment date")
        text = _("From {start} to {end}, {basis}").format(
            start=formatting.date(dt.date.fromisoformat(status["period_start"])),
            end=formatting.date(dt.date.fromisoformat(status["period_end"])),
            basis=basis,
        )
        payer = status["payers"][0] if status["payers"] else None
        if payer and payer["group"]:
            text += " · " + _("{payer} is a group: {clients}").format(
                payer=payer["name"], clients=", ".join(payer["clients"])
            )
        return text

    @staticmethod
    def _figure_text(status: dict[str, Any]) -> str:
        critical = threshold_text(status["thresholds"]["critical"])
        lines = [
            _(
                "Month ends in a row at or above {critical} (rolling 12 months each): {count}"
            ).format(critical=critical, count=status["months_at_or_above_five_sixths"]),
            _("HHI {hhi} of 10,000 · effective number of clients {effective}").format(
                hhi=formatting.number(status["hhi"], digits=0),
                effective=formatting.number(status["effective_clients"], digits=1),
            ),
        ]
        return "\n".join(lines)

    def _draw_payers(self, status: dict[str, Any]) -> None:
        payers = status["payers"]
        shown = payers[:PAYERS_CHARTED]
        names = [_short(p["name"]) for p in shown]
        shares = [p["share"] for p in shown]
        rest = payers[PAYERS_CHARTED:]
        if rest:
            names.append(_("{count} others").format(count=len(rest)))
            shares.append(sum(p["share"] for p in rest))
        figure = self.payer_chart.figure()
        axes = figure.add_subplot()
        self.payer_chart.apply_style(axes, grid="x")
        colours = [LEVEL_COLOURS[Level(status["level"])]] + [BAR] * (len(shares) - 1)
        positions = list(range(len(shares)))[::-1]
        axes.barh(positions, [max(s, 0) for s in shares], color=colours, height=0.6)
        axes.set_yticks(positions, names, fontsize=8)
        axes.set_xlim(0, 1.12)
        axes.set_xticks([0, 0.25, 0.5, 0.75, 1])
        percent_axis(axes, "x")
        for position, share in zip(positions, shares, strict=True):
            axes.text(
                max(share, 0) + 0.01,
                position,
                formatting.percent(share),
                va="center",
                fontsize=8,
                color=INK,
            )
        self._threshold_lines(axes, status, vertical=True)
        self.payer_chart.draw()

    def _draw_trend(self, status: dict[str, Any]) -> None:
        points = status["top_share_by_month"]
        figure = self.trend_chart.figure()
        axes = figure.add_subplot()
        self.trend_chart.apply_style(axes)
        xs = list(range(len(points)))
        ys = [math.nan if p["share"] is None else p["share"] for p in points]
        axes.plot(xs, ys, color=BAR, linewidth=1.6, marker="o", markersize=2.5)
        ticks = [x for x in xs if (len(xs) - 1 - x) % 3 == 0]
        axes.set_xticks(
            ticks,
            [month_label(dt.date.fromisoformat(points[x]["month_end"])) for x in ticks],
            fontsize=7.5,
        )
        axes.set_xlim(-0.5, len(xs) - 0.5)
        axes.set_ylim(0, 1.05)
        axes.set_yticks([0, 0.25, 0.5, 0.75, 1])
        percent_axis(axes, "y")
        self._threshold_lines(axes, status, vertical=False)
        self.trend_chart.draw()

    @staticmethod
    def _threshold_lines(axes: Any, status: dict[str, Any], vertical: bool) -> None:
        for key, colour in (("warning", WARNING), ("critical", CRITICAL)):
            value = status["thresholds"][key]
            if vertical:
                axes.axvline(value, color=colour, linestyle="--", linewidth=1)
                axes.text(
                    value,
                    1.0,
                    threshold_text(value),
                    color=colour,
                    fontsize=7.5,
                    transform=axes.get_xaxis_transform(),
                    ha="center",
                    va="bottom",
                )
            else:
                axes.axhline(value, color=colour, linestyle="--", linewidth=1)
                axes.text(
                    1.01,
                    value,
                    threshold_text(value),
                    color=colour,
                    fontsize=7.5,
                    transform=axes.get_yaxis_transform(),
                    ha="left",
                    va="center",
                )

    def open_groups(self) -> None:
        from ui.dialogs.groups import GroupsDialog

        GroupsDialog(self.context, self).exec()


class SelfCheckCard(PairsCard):
    """The false self-employment self-check: ticks stored at once, never turned into a verdict.

    Full width, with the indicators in two columns when there is room for them.
    """

    wide = True

    def __init__(self, context: AppContext) -> None:
        super().__init__(context, _("Self-check: false self-employment"))
        intro = QLabel(
            _(
                "Tick what is true of your work for your largest client. The more "
                "applies, the more the work may look like employment."
            )
        )
        intro.setWordWrap(True)
        self.body.addWidget(intro)
        self.boxes: dict[str, QCheckBox] = {}
        for indicator in INDICATORS:
            box = QCheckBox(_(indicator.label))
            box.setObjectName(f"selfCheck-{indicator.key}")
            box.setToolTip(_(indicator.hint))
            box.toggled.connect(lambda on, key=indicator.key: self._store(key, on))
            hint = QLabel(_(indicator.hint))
            hint.setWordWrap(True)
            hint.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            hint.setStyleSheet(f"color: {MUTED}; margin-left: 24px; margin-bottom: 4px;")
            self.pairs.append((box, hint))
            self.boxes[indicator.key] = box
        self.arrange(1)
        self.body.addWidget(self.pairs_widget)
        self.summary = QLabel()
        self.summary.setObjectName("selfCheckSummary")
        self.body.addWidget(self.summary)
        notes = QVBoxLayout()
        for text in (NOT_LEGAL_ADVICE, FOUNDERS_NOTE):
            note = QLabel(_(text))
            note.setWordWrap(True)
            notes.addWidget(note)
        frame = QWidget()
        frame.setObjectName("legalNote")
        frame.setStyleSheet(
            "#legalNote { background: #fff6e0; border: 1px solid #e0c080; border-radius: 4px; }"
        )
        frame.setLayout(notes)
        self.body.addWidget(frame)

    def refresh(self, status: dict[str, Any]) -> None:
        ticked = set(status["self_check"]["ticked"])
        for key, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(key in ticked)
            box.blockSignals(False)
        self._show_count(len(ticked))

    def _show_count(self, count: int) -> None:
        self.summary.setText(
            _("{count} of {total} indicators ticked.").format(count=count, total=len(self.boxes))
        )

    def _store(self, key: str, on: bool) -> None:
        try:
            if on:
                ticked = self_check_service.change(self.context.db, tick=[key])
            else:
                ticked = self_check_service.change(self.context.db, untick=[key])
        except DeskError as error:
            show_error(self, error)
            return
        self._show_count(len(ticked))
