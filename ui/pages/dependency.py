"""Dashboard cards for dependency on clients (DOMAIN.md §3): level, what-if, charts, self-check.

Every figure comes from the status document (``services.status.build_status``), so the card
shows exactly what ``status --json`` and the printed review show, beside the period before.
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import partial
from typing import TYPE_CHECKING, Any

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
from freelancer_desk.comparison import number_change, previous_name, share_change
from freelancer_desk.errors import DeskError
from freelancer_desk.i18n import _, ngettext
from freelancer_desk.money import from_cents
from freelancer_desk.self_check import FOUNDERS_NOTE, INDICATORS, NOT_LEGAL_ADVICE
from freelancer_desk.status_document import Status
from ui.charts import (
    BAR,
    CRITICAL,
    INK,
    MUTED,
    WARNING,
    ChartView,
    apply_style,
    month_label,
    percent_axis,
)
from ui.context import AppContext
from ui.pages.dashboard import PairsCard, as_of_text, show_change
from ui.widgets import show_error, show_modal

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Background colours of the level badge; the level is always written out as well.
LEVEL_COLOURS: dict[Level, str] = {
    Level.NONE: MUTED,  # never shown as a badge: without revenue there is no level
    Level.OK: "#1b7f3b",
    Level.WARNING: WARNING,
    Level.CRITICAL: CRITICAL,
}
#: Payers drawn by name in the share chart; the rest are summed as "others".
PAYERS_CHARTED = 5
#: Height of each chart in device-independent pixels.
CHART_HEIGHT = 230


def threshold_text(share: Fraction) -> str:
    """A threshold as people say it: "5/6" for the legal one, else a percentage (50 %)."""
    if share == Fraction(5, 6):
        return "5/6"
    percent = share * 100
    return formatting.percent(float(share), digits=0 if percent.denominator == 1 else 1)


def _short(name: str, width: int = 24) -> str:
    return name if len(name) <= width else name[: width - 1].rstrip() + "…"


def explanation(status: Status) -> list[str]:
    """The card's plain-language paragraphs: what the level means and what would change it."""
    warning = threshold_text(status.thresholds.warning)
    critical = threshold_text(status.thresholds.critical)
    if not status.has_revenue:
        return [
            _(
                "There is no revenue in this period yet, so there are no shares to compare. "
                "Add invoices on the Revenue page or import them."
            )
        ]
    level = status.level
    if level is Level.CRITICAL:
        text = [
            _(
                "That is at or above {critical}. If this goes on permanently and you have no "
                "employees subject to social insurance (a mini-job does not count), the Deutsche "
                "Rentenversicherung may count you as self-employed with "
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
    if status.extra_below_critical_cents > 0:
        text.append(
            _(
                "Another {amount} from other clients in the same period would bring you "
                "under {critical}."
            ).format(
                amount=formatting.money(from_cents(status.extra_below_critical_cents)),
                critical=critical,
            )
        )
    if status.extra_below_warning_cents > 0:
        text.append(
            _(
                "Another {amount} from other clients in the same period would bring the "
                "largest payer under {warning}."
            ).format(
                amount=formatting.money(from_cents(status.extra_below_warning_cents)),
                warning=warning,
            )
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

        self.change = QLabel()
        self.change.setObjectName("dependencyChange")
        self.change.setWordWrap(True)
        self.change.setTextFormat(Qt.TextFormat.PlainText)
        self.body.addWidget(self.change)

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
        self.payer_chart = ChartView(context.runner, CHART_HEIGHT)
        self.trend_chart = ChartView(context.runner, CHART_HEIGHT)
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

    def refresh(self, status: Status) -> None:
        level = status.level
        self.badge.setText(_(LEVEL_LABELS[level]))
        self.badge.setStyleSheet(
            f"background: {LEVEL_COLOURS[level]}; color: white; font-weight: bold; "
            "font-size: 12pt; border-radius: 4px; padding: 6px 12px;"
        )
        self.badge.setVisible(level is not Level.NONE)
        self.text.setText("\n\n".join(explanation(status)))
        self.details.setText(self._period_text(status))
        top = status.top_payer
        if top is None:
            self.headline.setText(_("No revenue in this period"))
            self._show_share_change(status)  # the period before in words, and its level
            self.figures.setText("")
            self.figures.setToolTip("")
            self.charts.hide()
            return
        self.headline.setText(
            _("{payer}: {share} of your net revenue").format(
                payer=top.name, share=formatting.percent(top.share)
            )
        )
        self._show_share_change(status)
        self._show_figures(status)
        self.charts.show()
        self.payer_chart.plot(partial(self._draw_payers, status))
        self.trend_chart.plot(partial(self._draw_trend, status))

    def _show_share_change(self, status: Status) -> None:
        """The top share beside the previous period's, and the level then."""
        before = status.previous
        change = share_change(
            status.top_payer.share if status.top_payer else None,
            before.top_payer.share if before.top_payer else None,
            status.period,
            compared=before.period,
        )
        show_change(self.change, change)
        before_period = previous_name(status.period, compared=before.period)
        if before.level is Level.NONE:
            level = _("No revenue {before_period}").format(before_period=before_period)
        else:
            level = _("Level {level} {before_period}").format(
                level=_(LEVEL_LABELS[before.level]), before_period=before_period
            )
        if change is None:
            self.change.setText(level)
            return
        self.change.setText(f"{change.short} · {level}")
        self.change.setToolTip(f"{change.words} {level}.")
        self.change.setAccessibleName(self.change.toolTip())

    @staticmethod
    def _period_text(status: Status) -> str:
        basis = _("by invoice date") if status.basis == "invoice" else _("by payment date")
        text = _("From {start} to {end}, {basis}").format(
            start=formatting.date(status.period.start),
            end=formatting.date(status.period.last_day),
            basis=basis,
        )
        text += " · " + as_of_text(status)
        payer = status.payers[0] if status.payers else None
        if payer and payer.is_group:
            text += " · " + _("{payer} is a group: {clients}").format(
                payer=payer.name, clients=", ".join(payer.clients)
            )
        return text

    def _show_figures(self, status: Status) -> None:
        """Months at or above 5/6, and HHI and effective clients beside the period before's."""
        critical = threshold_text(status.thresholds.critical)
        before = status.previous
        hhi = number_change(status.hhi, before.hhi, status.period, compared=before.period)
        effective = number_change(
            status.effective_clients,
            before.effective_clients,
            status.period,
            digits=1,
            compared=before.period,
        )
        lines = [
            _(
                "Month ends in a row at or above {critical} (rolling 12 months each): {count}"
            ).format(critical=critical, count=status.months_at_or_above_critical),
            _("HHI {hhi} of 10,000 · effective number of clients {effective}").format(
                hhi=formatting.number(float(status.hhi or 0), digits=0)
                + (f" ({hhi.short})" if hhi else ""),
                effective=formatting.number(float(status.effective_clients or 0), digits=1)
                + (f" ({effective.short})" if effective else ""),
            ),
        ]
        self.figures.setText("\n".join(lines))
        words = " ".join(
            f"{name}: {change.words}"
            for name, change in ((_("HHI"), hhi), (_("Effective number of clients"), effective))
            if change is not None
        )
        self.figures.setToolTip(words)
        self.figures.setAccessibleDescription(words)

    @staticmethod
    def _draw_payers(status: Status, figure: Figure) -> None:
        """Bars of the largest payers' shares (on the worker, like every chart)."""
        payers = status.payers
        shown = payers[:PAYERS_CHARTED]
        names = [_short(p.name) for p in shown]
        shares = [float(p.share) for p in shown]
        rest = payers[PAYERS_CHARTED:]
        if rest:
            names.append(
                ngettext("{count} other", "{count} others", len(rest)).format(count=len(rest))
            )
            shares.append(float(sum((p.share for p in rest), Fraction(0))))
        axes = figure.add_subplot()
        apply_style(axes, grid="x")
        colours = [LEVEL_COLOURS[status.level]] + [BAR] * (len(shares) - 1)
        positions = list(range(len(shares)))[::-1]
        axes.barh(positions, shares, color=colours, height=0.6)
        axes.set_yticks(positions, names, fontsize=8)
        axes.set_xlim(0, 1.12)
        axes.set_xticks([0, 0.25, 0.5, 0.75, 1])
        percent_axis(axes, "x")
        for position, share in zip(positions, shares, strict=True):
            axes.text(
                share + 0.01,
                position,
                formatting.percent(share),
                va="center",
                fontsize=8,
                color=INK,
            )
        DependencyCard._threshold_lines(axes, status, vertical=True)

    @staticmethod
    def _draw_trend(status: Status, figure: Figure) -> None:
        """The largest payer's share month by month (on the worker)."""
        points = status.trend
        axes = figure.add_subplot()
        apply_style(axes)
        xs = list(range(len(points)))
        ys = [math.nan if p.share is None else float(p.share) for p in points]
        axes.plot(xs, ys, color=BAR, linewidth=1.6, marker="o", markersize=2.5)
        ticks = [x for x in xs if (len(xs) - 1 - x) % 3 == 0]
        axes.set_xticks(
            ticks,
            [month_label(points[x].month_end) for x in ticks],
            fontsize=7.5,
        )
        axes.set_xlim(-0.5, len(xs) - 0.5)
        axes.set_ylim(0, 1.05)
        axes.set_yticks([0, 0.25, 0.5, 0.75, 1])
        percent_axis(axes, "y")
        DependencyCard._threshold_lines(axes, status, vertical=False)

    @staticmethod
    def _threshold_lines(axes: Any, status: Status, vertical: bool) -> None:
        thresholds = status.thresholds
        for share, colour in ((thresholds.warning, WARNING), (thresholds.critical, CRITICAL)):
            value = float(share)
            if vertical:
                axes.axvline(value, color=colour, linestyle="--", linewidth=1)
                axes.text(
                    value,
                    1.0,
                    threshold_text(share),
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
                    threshold_text(share),
                    color=colour,
                    fontsize=7.5,
                    transform=axes.get_yaxis_transform(),
                    ha="left",
                    va="center",
                )

    def open_groups(self) -> None:
        from ui.dialogs.groups import GroupsDialog

        show_modal(GroupsDialog(self.context, self))


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

    def refresh(self, status: Status) -> None:
        ticked = status.self_check
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
        # The service (and the ORM) loads when first needed, not before the dashboard's paint.
        from freelancer_desk.services import self_check as self_check_service

        try:
            if on:
                ticked = self_check_service.change(self.context.db, tick=[key])
            else:
                ticked = self_check_service.change(self.context.db, untick=[key])
        except DeskError as error:
            show_error(self, error)
            return
        self._show_count(len(ticked))
