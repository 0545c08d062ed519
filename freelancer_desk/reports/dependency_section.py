"""The review's dependency section: level, top payer, 5/6 rule, HHI, trend, what-if, self-check.

All figures are those of the status document (``services.status``), so the page shows what
the dashboard card and ``status --json`` show, each beside the period before.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from freelancer_desk import comparison
from freelancer_desk.analytics.dependency import LEVEL_LABELS, NO_SHARE_NOTE
from freelancer_desk.analytics.periods import add_months
from freelancer_desk.comparison import Change
from freelancer_desk.money import from_cents
from freelancer_desk.reports import charts
from freelancer_desk.reports.document import (
    TEXT_WIDTH,
    Language,
    checklist,
    data_table,
    heading,
    key_values,
    note,
    para,
)
from freelancer_desk.reports.revenue_section import TOP, listed_names
from freelancer_desk.self_check import FOUNDERS_NOTE, INDICATORS, NOT_LEGAL_ADVICE
from freelancer_desk.services import revenue as revenue_service

if TYPE_CHECKING:
    from freelancer_desk.reports.review import ReviewContext
    from freelancer_desk.services.status import Status


def dependency_section(ctx: ReviewContext) -> list[Flowable]:
    """Everything DOMAIN.md §3 asks the freelancer to look at, on paper."""
    lang, _ = ctx.lang, ctx.lang.gettext
    status = ctx.status
    flow: list[Flowable] = [heading(_("Dependency on clients"))]
    if not status.has_revenue:
        flow.append(para(_("No revenue in this period, so there are no shares to compare.")))
    else:
        flow += _figures(status, lang)
        bounds = revenue_service.revenue_bounds(ctx.db)
        flow += _trend(status, lang, bounds[0] if bounds else None)
        flow += _payers(status, lang)
    flow += _self_check(status, lang)
    return flow


def _figures(status: Status, lang: Language) -> list[Flowable]:
    _ = lang.gettext
    thresholds = status.thresholds
    top = status.top_payer
    assert top is not None  # the section shows the figures only when there is revenue
    before = status.previous
    share = comparison.share_change(
        top.share, before.top_payer.share if before.top_payer else None, status.period, lang.code
    )
    hhi = comparison.number_change(status.hhi, before.hhi, status.period, lang.code)
    level = _(LEVEL_LABELS[status.level])
    pairs = [
        (
            _("Level"),
            _("{level} (warning from {warning}, critical from {critical})").format(
                level=level,
                warning=lang.percent(thresholds.warning, 0),
                critical=lang.percent(thresholds.critical),
            ),
        ),
        (
            _("Largest payer"),
            _("{name}: {share} of net revenue").format(name=top.name, share=lang.percent(top.share))
            + _with_change(share),
        ),
        (
            _("Months in a row at or above 5/6"),
            lang.number(status.months_at_or_above_critical),
        ),
        (
            _("HHI (0–10,000)"),
            _("{hhi} · effective number of clients {effective}").format(
                hhi=lang.number(float(status.hhi or 0)) + _with_change(hhi),
                effective=lang.number(float(status.effective_clients or 0), 1),
            ),
        ),
        (
            _("More revenue from others to fall below 5/6"),
            lang.money(from_cents(status.extra_below_critical_cents)),
        ),
        (
            _("More revenue from others to fall below {share}").format(
                share=lang.percent(thresholds.warning, 0)
            ),
            lang.money(from_cents(status.extra_below_warning_cents)),
        ),
        (
            _("Previous period"),
            _("{span}: level {level}").format(
                span=lang.span(before.period.start, before.period.last_day),
                level=_(LEVEL_LABELS[before.level]),
            ),
        ),
    ]
    return [
        key_values(pairs, label_width=88 * mm),
        Spacer(1, 3 * mm),
        para(
            _(
                "The 5/6 rule: a self-employed person with no employees subject to social "
                "insurance (a mini-job does not count) who works permanently and "
                "essentially for one client must pay into the statutory pension insurance "
                "(§ 2 sentence 1 no. 9 SGB VI). The Deutsche Rentenversicherung reads "
                '"essentially" as at least 5/6 ({share}) of the income from self-employment; '
                "clients of one group count as one payer."
            ).format(share=lang.percent(Fraction(5, 6)))
        ),
        para(
            _(
                "HHI is the sum of the squared percentage shares of all payers: 10,000 means one "
                "payer has everything. Above 1,800 the US merger guidelines speak of a highly "
                "concentrated market, a point of reference rather than a rule for freelancers. "
                "The figures above assume the extra revenue is spread so that no other payer "
                "overtakes the largest."
            ),
            "small",
        ),
    ]


def _with_change(change: Change | None) -> str:
    """ " (▲ +5.2 pts)" after a figure, or nothing when the period before has none."""
    return "" if change is None else f" ({change.short})"


def _month_label(day: dt.date) -> str:
    return f"{day.month:02d}/{day.year % 100:02d}"


def _trend(status: Status, lang: Language, first_entry: dt.date | None) -> list[Flowable]:
    """The rolling top share, from the first month end whose 12 months lie wholly after the
    first revenue entry: a window with fewer months of data would show an inflated share."""
    _ = lang.gettext
    first_month = first_entry.replace(day=1) if first_entry else dt.date.min
    points = [
        point
        for point in status.trend
        if point.share is not None
        and add_months(point.month_end + dt.timedelta(days=1), -12) >= first_month
    ]
    if len(points) < 2:
        return []
    thresholds = status.thresholds
    chart = charts.share_trend(
        [_month_label(point.month_end) for point in points],
        [float(point.share or 0) for point in points],
        [
            ("5/6", float(thresholds.critical)),
            (lang.percent(thresholds.warning, 0), float(thresholds.warning)),
        ],
        lang,
        TEXT_WIDTH,
        62 * mm,
    )
    return [
        KeepTogether(
            [
                heading(_("Share of the largest payer, rolling 12 months"), 2),
                chart,
                para(
                    _(
                        "Each point is the largest payer's share of the 12 months ending on that "
                        "month's last day; the dashed lines are the thresholds."
                    )
                    + (
                        " " + _("The line starts with the first 12 months wholly covered by data.")
                        if len(points) < len(status.trend)
                        else ""
                    ),
                    "small",
                ),
            ]
        )
    ]


def _payers(status: Status, lang: Language) -> list[Flowable]:
    """The largest payers, with the clients each consists of (a group counts as one), each
    beside the previous period with its change, as in the revenue table.

    Left out when no payer is a group: the payers are then the clients of the revenue table.
    """
    _ = lang.gettext
    if not any(payer.is_group for payer in status.payers):
        return []
    payers, others = status.payers[:TOP], status.payers[TOP:]

    def amounts(now_cents: int, before_cents: int) -> list[str]:
        """The period's amount, the previous period's and the change between them."""
        change = comparison.money_change(now_cents, before_cents, status.period, lang.code)
        return [
            lang.money(from_cents(now_cents)),
            lang.money(from_cents(before_cents)),
            change.short,
        ]

    rows = []
    for payer in payers:
        now, before, change = amounts(payer.net_cents, payer.previous_net_cents)
        rows.append(
            [
                payer.name + (" " + _("(group)") if payer.is_group else ""),
                listed_names(list(payer.clients), lang) if payer.is_group else "",
                now,
                lang.percent(payer.share) + (" *" if payer.note else ""),
                before,
                change,
            ]
        )
    if others:
        now, before, change = amounts(
            sum(payer.net_cents for payer in others),
            sum(payer.previous_net_cents for payer in others),
        )
        rows.append(
            [
                _("{count} other payers").format(count=lang.number(len(others))),
                "",
                now,
                lang.percent(sum((payer.share for payer in others), Fraction(0))),
                before,
                change,
            ]
        )
    widths = [26 * mm, 15 * mm, 26 * mm, 28 * mm]  # room for 8-digit amounts
    flow: list[Flowable] = [
        heading(_("Largest payers"), 2),
        data_table(
            [
                _("Payer"),
                _("Clients in the group"),
                comparison.period_name(status.period, lang.code),
                _("Share"),
                comparison.period_name(status.previous.period, lang.code),
                _("Change"),
            ],
            rows,
            [36 * mm, TEXT_WIDTH - 36 * mm - sum(widths), *widths],
            numeric=(2, 3, 4, 5),
            bold_rows=(len(rows) - 1,) if others else (),
        ),
    ]
    if any(payer.note for payer in payers):
        flow.append(para("* " + _(NO_SHARE_NOTE), "small"))
    return flow


def _self_check(status: Status, lang: Language) -> list[Flowable]:
    """The indicators of false self-employment, ticked as the freelancer ticked them."""
    _ = lang.gettext
    ticked = status.self_check
    return [
        heading(_("Self-check: false self-employment"), 2),
        para(
            _("Ticked: {ticked} of {count} indicators, as you marked them in the app.").format(
                ticked=len(ticked), count=len(INDICATORS)
            )
        ),
        checklist([(item.key in ticked, _(item.label), _(item.hint)) for item in INDICATORS]),
        KeepTogether([note(_(NOT_LEGAL_ADVICE)), para(_(FOUNDERS_NOTE), "small")]),
    ]
