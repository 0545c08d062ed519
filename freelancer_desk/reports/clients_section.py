"""Review sections about keeping clients: warning signs and sleeping clients, lost clients and
the win-back controlling, loyalty types (DOMAIN.md §4).

The lists come from the status document and the services that also fill the dashboard and
``status --json`` (``losses``, ``winback``), all seen from the review's day; explanations are
rendered in the PDF's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from freelancer_desk.analytics import winback as winback_analytics
from freelancer_desk.analytics.warnings import (
    CHASING_ORDERS,
    FEWER_ORDERS,
    LATE_PAYMENTS,
    MORE_COMPLAINTS,
    SMALLER_ORDERS,
    UNREACHABLE,
)
from freelancer_desk.i18n import N_
from freelancer_desk.reports import charts
from freelancer_desk.reports.document import (
    TEXT_WIDTH,
    Language,
    data_table,
    heading,
    key_values,
    para,
)
from freelancer_desk.services import losses as losses_service
from freelancer_desk.services import winback as winback_service

if TYPE_CHECKING:
    from freelancer_desk.reports.review import ReviewContext

#: The warning signs in the formal words of print (the app's own labels are everyday words).
PRINT_SIGNAL_LABELS: dict[str, str] = {
    FEWER_ORDERS: N_("Decline in orders"),
    SMALLER_ORDERS: N_("Smaller order volumes"),
    LATE_PAYMENTS: N_("Payments after the due date"),
    MORE_COMPLAINTS: N_("Increase in complaints"),
    UNREACHABLE: N_("Repeatedly not reachable"),
    CHASING_ORDERS: N_("Orders required follow-up"),
}

#: Longest list printed of at-risk, sleeping, lost clients and candidates; the app has the rest.
LIST_LIMIT = 15


def more_in_app(shown: int, count: int, lang: Language) -> list[Flowable]:
    """A line above a cut list saying how many it shows of how many (nothing if all): above
    the table, so it cannot stray alone onto the next page as a line below it could."""
    _ = lang.gettext
    if count <= shown:
        return []
    line = para(
        _("The first {shown} of {count}; the app lists them all.").format(
            shown=lang.number(shown), count=lang.number(count)
        ),
        "small",
    )
    line.keepWithNext = 1  # with the table below
    return [line]


def warning_signs_section(ctx: ReviewContext) -> list[Flowable]:
    """Clients at risk with the signs and numbers behind them, and sleeping clients."""
    lang, _ = ctx.lang, ctx.lang.gettext
    flow: list[Flowable] = [
        heading(_("Warning signs and sleeping clients")),
        para(
            _(
                "As of {day}. Each sign compares the recent months with the client's own usual "
                "rhythm."
            ).format(day=lang.date(ctx.as_of)),
            "small",
        ),
        heading(_("Clients at risk"), 2),
    ]
    at_risk = ctx.status.at_risk
    if at_risk:
        flow += more_in_app(min(len(at_risk), LIST_LIMIT), len(at_risk), lang)
        flow.append(
            data_table(
                [_("Client"), _("Signs"), _("What changed")],
                [
                    [
                        row.name,
                        ", ".join(_(PRINT_SIGNAL_LABELS[sign.name]) for sign in row.signals),
                        " ".join(sign.explanation(lang.code) for sign in row.signals),
                    ]
                    for row in at_risk[:LIST_LIMIT]
                ],
                [44 * mm, 44 * mm, TEXT_WIDTH - 88 * mm],
            )
        )
    else:
        flow.append(para(_("No client shows a warning sign.")))
    flow.append(heading(_("Sleeping clients"), 2))
    sleeping = ctx.status.sleeping
    if sleeping:
        flow += more_in_app(min(len(sleeping), LIST_LIMIT), len(sleeping), lang)
        flow.append(
            data_table(
                [_("Client"), _("Last invoice"), _("Days without revenue")],
                [
                    [row.name, lang.date(row.last_invoice) or "—", lang.number(row.days)]
                    for row in sleeping[:LIST_LIMIT]
                ],
                [TEXT_WIDTH - 70 * mm, 35 * mm, 35 * mm],
                numeric=(2,),
            )
        )
    else:
        flow.append(para(_("No sleeping clients.")))
    return flow


def _reason_labels(ctx: ReviewContext) -> dict[str, str]:
    """Loss reasons of the user's catalogue in the PDF's language, by code."""
    german = ctx.lang.code == "de"
    return {
        row.code: row.label_de if german else row.label_en
        for row in losses_service.reasons(ctx.db, include_inactive=True)
    }


#: The one definition of the cost per returner, printed under the win-back figures.
COST_PER_RETURNER_NOTE = N_(
    "Cost per returner: what the cases won back cost (one-off cost and their attempts) divided "
    "by the clients won back, the same in every table. Failed tries count in the cost in all."
)


def _won_back(total: winback_analytics.WinbackFigures, lang: Language) -> str:
    """ "1 (16.7%)"; without a case there is no rate to give, only "0"."""
    won = lang.number(total.won_back)
    return f"{won} ({lang.percent(total.rate)})" if total.cases else won


def _cost_per_returner(row: winback_analytics.WinbackFigures, lang: Language) -> str:
    cost = row.cost_per_returner
    return "—" if cost is None else lang.money(cost)


def _figures_table(
    title: str,
    column: str,
    rows: Mapping[str, winback_analytics.WinbackFigures],
    name: dict[str, str],
    lang: Language,
) -> list[Flowable]:
    """One breakdown of the controlling (by loss type, reason or channel) as a table."""
    _ = lang.gettext
    if not rows:
        return []
    body = [
        [
            name.get(key, key),
            lang.number(row.cases),
            lang.number(row.won_back),
            lang.percent(row.rate),
            lang.money(row.recovered_net),
            lang.money(row.cost),
            _cost_per_returner(row, lang),
        ]
        for key, row in rows.items()
    ]
    widths = [13 * mm, 24 * mm, 15 * mm, 31 * mm, 22 * mm, 24 * mm]
    return [
        heading(title, 2),
        data_table(
            [
                column,
                _("Cases"),
                _("Returned"),
                _("Rate"),
                _("Revenue recovered"),
                _("Cost in all"),
                _("Cost per returner"),
            ],
            body,
            [TEXT_WIDTH - sum(widths), *widths],
            numeric=(1, 2, 3, 4, 5, 6),
        ),
    ]


def winback_section(ctx: ReviewContext) -> list[Flowable]:
    """Clients lost in the period, the win-back controlling, and who is worth a try."""
    lang, _ = ctx.lang, ctx.lang.gettext
    period = ctx.period
    reasons = _reason_labels(ctx)
    flow: list[Flowable] = [
        heading(_("Lost clients and win-back")),
        heading(_("Lost in the period"), 2),
    ]
    lost = [row for row in losses_service.list_losses(ctx.db, ctx.as_of) if row.lost_on in period]
    if lost:
        flow += more_in_app(min(len(lost), LIST_LIMIT), len(lost), lang)
        flow.append(
            data_table(
                [
                    _("Client"),
                    _("Lost on"),
                    _("Loss type"),
                    _("Reason"),
                    _("Revenue 12 months before"),
                    _("Outcome"),
                ],
                [
                    [
                        row.client_name,
                        lang.date(row.lost_on),
                        lang.label(row.loss_type),
                        reasons.get(row.reason_code, row.reason_code),
                        lang.money(row.revenue_12m_before),
                        lang.label(row.outcome) if row.outcome else "—",
                    ]
                    for row in lost[:LIST_LIMIT]
                ],
                [32 * mm, 24 * mm, 27 * mm, TEXT_WIDTH - 136 * mm, 24 * mm, 29 * mm],
                numeric=(4,),
            )
        )
    else:
        flow.append(para(_("No client was lost in this period.")))

    figures = winback_service.controlling(ctx.db, ctx.as_of)
    total = figures.total
    flow += [
        heading(_("Win-back results"), 2),
        para(
            _(
                "All win-back cases up to {day}, also those of clients lost before the period."
            ).format(day=lang.date(ctx.as_of)),
            "small",
        ),
        key_values(
            [
                (_("Win-back cases"), lang.number(total.cases)),
                (_("Won back"), _won_back(total, lang)),
                (
                    _("Revenue recovered (12 months after each return)"),
                    lang.money(total.recovered_net),
                ),
                (_("Cost in all, failed tries included"), lang.money(total.cost)),
                (_("Cost per returner"), _cost_per_returner(total, lang)),
            ],
            label_width=88 * mm,
        ),
        para(_(COST_PER_RETURNER_NOTE), "small"),
    ]
    channel_names = {key: lang.label(key) for key in figures.by_channel}
    channel_names[winback_analytics.NO_ATTEMPT] = _("No attempt yet")
    flow += _figures_table(
        _("By loss type"),
        _("Loss type"),
        figures.by_loss_type,
        {key: lang.label(key) for key in figures.by_loss_type},
        lang,
    )
    flow += _figures_table(_("By reason"), _("Reason"), figures.by_reason, reasons, lang)
    flow += _figures_table(
        _("By channel of the last attempt"), _("Channel"), figures.by_channel, channel_names, lang
    )
    return flow + _candidates(ctx)


def _candidates(ctx: ReviewContext) -> list[Flowable]:
    lang, _ = ctx.lang, ctx.lang.gettext
    found = winback_service.candidates(ctx.db, ctx.as_of)
    flow: list[Flowable] = [heading(_("Win-back candidates, best value first"), 2)]
    if not found:
        return [*flow, para(_("No lost client is waiting for a win-back decision."))]
    shown = found[:LIST_LIMIT]
    flow += more_in_app(len(shown), len(found), lang)
    flow.append(
        data_table(
            [
                _("Client"),
                _("Lost on"),
                _("Loss type"),
                _("Value of trying"),
                _("Worth a try"),
                _("Revisit on"),
            ],
            [
                [
                    row.loss.client_name,
                    lang.date(row.loss.lost_on),
                    lang.label(row.loss.loss_type),
                    lang.money(row.value) + (" *" if row.estimated else ""),
                    _("yes") if row.worth_trying else _("no"),
                    lang.date(row.revisit_on),
                ]
                for row in shown
            ],
            [TEXT_WIDTH - 125 * mm, 24 * mm, 27 * mm, 28 * mm, 16 * mm, 30 * mm],
            numeric=(3,),
        )
    )
    note = _(
        "Value = potential revenue × (1 − discount) − win-back cost − care cost; worth a try "
        "when positive."
    )
    if any(row.estimated for row in shown):
        note += " " + _(
            "* Estimated from the 12 months before the loss, as no case was opened yet."
        )
    flow.append(para(note, "small"))
    return flow


def loyalty_section(ctx: ReviewContext) -> list[Flowable]:
    """Clients, revenue and effort (contacts) per loyalty type in the period."""
    lang, _ = ctx.lang, ctx.lang.gettext
    rows = winback_service.loyalty_overview(ctx.db, ctx.period, ctx.as_of)
    names = [
        _("Not set") if row.loyalty == winback_analytics.UNSET else lang.label(row.loyalty)
        for row in rows
    ]
    flow: list[Flowable] = [
        heading(_("Loyalty types")),
        para(
            _(
                "Loyal clients order regularly and pay reliably; conditionally loyal ones stay out "
                "of convenience and leave after mistakes; disloyal ones decide on price alone. The "
                "aim is to turn conditionally loyal clients into loyal ones."
            )
        ),
    ]
    if any(row.net for row in rows):
        flow.append(
            charts.ranked_bars(
                names,
                [float(row.net) for row in rows],
                [lang.money(row.net) for row in rows],
                lang,
                TEXT_WIDTH,
            )
        )
        flow.append(Spacer(1, 3 * mm))
    flow.append(
        data_table(
            [_("Loyalty type"), _("Clients"), _("Net revenue"), _("Contacts logged")],
            [
                [name, lang.number(row.clients), lang.money(row.net), lang.number(row.interactions)]
                for name, row in zip(names, rows, strict=True)
            ],
            [TEXT_WIDTH - 96 * mm, 24 * mm, 40 * mm, 32 * mm],
            numeric=(1, 2, 3),
        )
    )
    return flow
