"""Review sections about revenue and payments, each beside the previous period.

- Revenue by client: the largest 15 and "others" in chart and table, with the previous period
  and the change; new and lost clients; revenue per month with the year before as a line.
- Every client: the full table, printed only on request.
- Payments: open receivables and days to pay by client; invoice-date and payment-date views
  side by side where they differ.

Client and payer figures are the status document's; months and payments come from
``services.revenue`` and ``services.payments``, read once for all clients.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from freelancer_desk import comparison
from freelancer_desk.analytics.dependency import (
    LEVEL_LABELS,
    NO_SHARE_NOTE,
    ClientShare,
    Dependency,
    analyse,
)
from freelancer_desk.analytics.periods import add_months
from freelancer_desk.money import from_cents
from freelancer_desk.reports import charts
from freelancer_desk.reports.document import (
    HALF_WIDTH,
    TEXT_WIDTH,
    Language,
    data_table,
    heading,
    key_values,
    para,
    side_by_side,
)
from freelancer_desk.reports.glance_section import new_and_lost
from freelancer_desk.services import dependency as dependency_service
from freelancer_desk.services import payments as payments_service
from freelancer_desk.services import revenue as revenue_service

if TYPE_CHECKING:
    from freelancer_desk.reports.review import ReviewContext

#: Rows of a table and bars of a chart before the rest is summed up as "others".
TOP = 15


def _change(now_cents: int, before_cents: int, ctx: ReviewContext) -> str:
    return comparison.money_change(now_cents, before_cents, ctx.period, ctx.lang.code).short


def _client_rows(
    rows: list[ClientShare], ctx: ReviewContext, others: list[ClientShare]
) -> list[list[str]]:
    """Table rows of ``rows``, numbered, and one "others" row summing ``others``."""
    lang, _ = ctx.lang, ctx.lang.gettext
    body = [
        [
            lang.number(rank),
            row.name,
            lang.money(from_cents(row.net_cents)),
            lang.percent(row.share) + (" *" if row.note else ""),
            lang.money(from_cents(row.previous_net_cents)),
            _change(row.net_cents, row.previous_net_cents, ctx),
        ]
        for rank, row in enumerate(rows, start=1)
    ]
    if others:
        now = sum(row.net_cents for row in others)
        before = sum(row.previous_net_cents for row in others)
        body.append(
            [
                "",
                lang.gettext("{count} other clients").format(count=lang.number(len(others))),
                lang.money(from_cents(now)),
                lang.percent(sum((row.share for row in others), Fraction(0))),
                lang.money(from_cents(before)),
                _change(now, before, ctx),
            ]
        )
    return body


def client_table(
    rows: list[ClientShare], ctx: ReviewContext, others: list[ClientShare]
) -> list[Flowable]:
    """The revenue table: rank, client, revenue, share, the previous period and the change."""
    lang, _ = ctx.lang, ctx.lang.gettext
    widths = [9 * mm, 30 * mm, 16 * mm, 30 * mm, 34 * mm]  # room for 8-digit amounts
    body = _client_rows(rows, ctx, others)
    flow: list[Flowable] = [
        data_table(
            [
                "#",
                _("Client"),
                comparison.period_name(ctx.period, lang.code),
                _("Share"),
                comparison.period_name(ctx.status.previous.period, lang.code),
                _("Change"),
            ],
            body,
            [widths[0], TEXT_WIDTH - sum(widths), *widths[1:]],
            numeric=(0, 2, 3, 4, 5),
            bold_rows=(len(body) - 1,) if others else (),
        )
    ]
    if any(row.note for row in rows):
        flow.append(para("* " + _(NO_SHARE_NOTE), "small"))
    return flow


def revenue_section(ctx: ReviewContext) -> list[Flowable]:
    """The largest clients beside the previous period, new and lost clients, months."""
    lang, _ = ctx.lang, ctx.lang.gettext
    status = ctx.status
    rows = list(status.clients)
    flow: list[Flowable] = [heading(_("Revenue by client"))]
    if not rows:
        flow.append(para(_("No revenue in this period.")))
    else:
        shown, others = rows[:TOP], rows[TOP:]
        names = [row.name for row in shown]
        values = [row.net_cents / 100 for row in shown]
        texts = [
            f"{lang.money(from_cents(row.net_cents))} · {lang.percent(row.share)}" for row in shown
        ]
        if others:
            rest = sum(row.net_cents for row in others)
            names.append(_("{count} other clients").format(count=lang.number(len(others))))
            values.append(rest / 100)
            texts.append(lang.money(from_cents(rest)))
        flow += [charts.ranked_bars(names, values, texts, lang, TEXT_WIDTH), Spacer(1, 4 * mm)]
        flow += client_table(shown, ctx, others)
        if others:
            flow.append(
                para(
                    _(
                        "The {shown} largest of {count} clients; the section "
                        '"Every client" lists all of them.'
                    ).format(shown=len(shown), count=lang.number(len(rows))),
                    "small",
                )
            )
    flow += _new_and_lost(ctx)
    flow += _months(ctx)
    return flow


def listed_names(names: list[str], lang: Language) -> str:
    """The first ``TOP`` names, and how many more."""
    _ = lang.gettext
    text = ", ".join(names[:TOP])
    if len(names) > TOP:
        text += " " + _("and {count} more").format(count=lang.number(len(names) - TOP))
    return text or "—"


def _new_and_lost(ctx: ReviewContext) -> list[Flowable]:
    lang, _ = ctx.lang, ctx.lang.gettext
    new, lost = new_and_lost(ctx.status)
    if not new and not lost:
        return []
    before = comparison.period_name(ctx.status.previous.period, lang.code)
    return [
        heading(_("New and lost clients"), 2),
        side_by_side(
            [
                para(
                    _("Revenue now, none in {period} ({count})").format(
                        period=before, count=lang.number(len(new))
                    ),
                    "h2",
                ),
                para(listed_names(new, lang), "small"),
            ],
            [
                para(
                    _("Revenue in {period}, none now ({count})").format(
                        period=before, count=lang.number(len(lost))
                    ),
                    "h2",
                ),
                para(listed_names(lost, lang), "small"),
            ],
        ),
    ]


def _month_label(month: dt.date) -> str:
    return f"{month.month:02d}/{month.year % 100:02d}"


def _months(ctx: ReviewContext) -> list[Flowable]:
    """Net revenue per month of the period as bars, the same months a year before as a line.

    Up to 12 months (the last 12 of a longer custom period); the month that runs on the day
    the figures are seen from is marked.
    """
    lang, _ = ctx.lang, ctx.lang.gettext
    period, as_of = ctx.period, ctx.as_of
    first = max(period.start.replace(day=1), add_months(period.last_day.replace(day=1), -11))
    months: list[dt.date] = []
    month = first
    while month <= period.last_day:
        months.append(month)
        month = add_months(month, 1)
    year_before = add_months(first, -12)
    seen = revenue_service.net_by_month(
        ctx.db, year_before, min(period.last_day, as_of), ctx.status.basis
    )
    values = [seen.get((m.year, m.month), 0) / 100 if m <= as_of else 0.0 for m in months]
    before = [
        seen.get((add_months(m, -12).year, add_months(m, -12).month), 0) / 100 for m in months
    ]
    if not any(values) and not any(before):
        return []
    running = next(
        (
            index
            for index, m in enumerate(months)
            if m <= as_of < add_months(m, 1) and as_of < add_months(m, 1) - dt.timedelta(days=1)
        ),
        None,
    )
    flow: list[Flowable] = [
        heading(_("Revenue per month"), 2),
        charts.monthly_bars(
            [_month_label(m) + ("*" if index == running else "") for index, m in enumerate(months)],
            values,
            before,
            lang,
            TEXT_WIDTH,
            58 * mm,
            running,
        ),
        para(
            _(
                "Bars: net revenue per month. Dashed line with squares: the same month a year "
                "before."
            )
            + (
                " "
                + _("* Still running: counted up to {day} (light bar, dashed outline).").format(
                    day=lang.date(as_of)
                )
                if running is not None
                else ""
            ),
            "small",
        ),
    ]
    return [KeepTogether(flow)]


def all_clients_section(ctx: ReviewContext) -> list[Flowable]:
    """Every client with revenue in the period or the one before: the full list on request."""
    _ = ctx.lang.gettext
    status = ctx.status
    now = {row.client_id for row in status.clients}
    gone = [
        ClientShare(row.client_id, row.name, 0, Fraction(0), row.net_cents)
        for row in status.previous.clients
        if row.client_id not in now
    ]
    rows = [*status.clients, *gone]
    flow: list[Flowable] = [heading(_("Every client (full list)"))]
    if not rows:
        return [*flow, para(_("No revenue in this period."))]
    return flow + client_table(rows, ctx, [])


# --------------------------------------------------------------------------------------------
# Payments
# --------------------------------------------------------------------------------------------


def payments_section(ctx: ReviewContext) -> list[Flowable]:
    """Open receivables on the day, days to pay, and the two ways of counting revenue."""
    lang, _ = ctx.lang, ctx.lang.gettext
    found = payments_service.payments(ctx.db, ctx.period, ctx.as_of)
    flow: list[Flowable] = [heading(_("Payments")), heading(_("Open invoices and days to pay"), 2)]
    rows = [row for row in found.clients if row.open_cents or row.paid_invoices]
    if rows:
        flow.append(
            para(
                _(
                    "Open on {day}: {open}, of which overdue {overdue}. Days from invoice to "
                    "payment in the period: {days} on average."
                ).format(
                    day=lang.date(ctx.as_of),
                    open=lang.money(from_cents(found.open_cents)),
                    overdue=lang.money(from_cents(found.overdue_cents)),
                    days=_days(found.average_days_to_pay, lang),
                )
            )
        )
        shown, others = rows[:TOP], rows[TOP:]
        # A zero amount is a figure ("0,00 €"); "—" stands only where there is none: no day
        # overdue without an overdue invoice, no days until paid without a payment.
        body = [
            [
                row.name,
                lang.money(from_cents(row.open_cents)),
                lang.money(from_cents(row.overdue_cents)),
                _most_days_overdue([row], lang),
                _days(row.average_days_to_pay, lang),
            ]
            for row in shown
        ]
        overdue = [index for index, row in enumerate(shown) if row.overdue_cents]
        if others:
            body.append(
                [
                    _("{count} other clients").format(count=lang.number(len(others))),
                    lang.money(from_cents(sum(row.open_cents for row in others))),
                    lang.money(from_cents(sum(row.overdue_cents for row in others))),
                    _most_days_overdue(others, lang),
                    _days(
                        payments_service.Payments(ctx.as_of, tuple(others)).average_days_to_pay,
                        lang,
                    ),
                ]
            )
        widths = [27 * mm, 27 * mm, 24 * mm, 26 * mm]
        flow += [
            data_table(
                [_("Client"), _("Open"), _("Overdue"), _("Days overdue"), _("Days until paid")],
                body,
                [TEXT_WIDTH - sum(widths), *widths],
                numeric=(1, 2, 3, 4),
                bold_rows=overdue,
            ),
            para(
                _(
                    "Overdue rows in bold, the largest overdue amounts first. Only clients whose "
                    "payments you record are counted; an invoice paid after {day} is open on "
                    "that day."
                ).format(day=lang.date(ctx.as_of)),
                "small",
            ),
        ]
    else:
        flow.append(para(_("No payments are recorded for this period.")))
    return flow + _bases(ctx)


def _most_days_overdue(rows: list[payments_service.ClientPayments], lang: Language) -> str:
    """The most days an invoice of ``rows`` is overdue; "—" when none is overdue."""
    days = [row.most_days_overdue for row in rows if row.overdue_cents]
    return lang.number(max(days)) if days else "—"


def _days(value: object, lang: Language) -> str:
    return "—" if value is None else lang.number(float(value), 1)  # type: ignore[arg-type]


def _bases(ctx: ReviewContext) -> list[Flowable]:
    """Revenue by invoice date beside revenue by payment date, where the two differ."""
    lang, _ = ctx.lang, ctx.lang.gettext
    status = ctx.status
    other_basis = "paid" if status.basis == "invoice" else "invoice"
    net_now, net_before = revenue_service.net_by_client_in(
        ctx.db, (status.period, status.previous.period), other_basis, ctx.as_of
    )
    clients = dependency_service.client_infos(ctx.db)
    other = analyse(net_now, clients, status.thresholds, net_before)
    views = {status.basis: status.figures, other_basis: other}
    invoice, paid = views["invoice"], views["paid"]
    if not invoice.has_revenue and not paid.has_revenue:
        return []
    if (invoice.total_cents, invoice.top) == (paid.total_cents, paid.top):
        return [
            heading(_("By invoice date and by payment date"), 2),
            para(_("Both ways of counting give the same revenue and the same largest payer.")),
        ]

    def column(title: str, figures: Dependency) -> list[Flowable]:
        top = figures.top
        lines = [
            (_("Net revenue"), lang.money(from_cents(figures.total_cents))),
            (_("Largest payer"), "—" if top is None else f"{top.name}: {lang.percent(top.share)}"),
            (_("Level"), _(LEVEL_LABELS[figures.level])),
        ]
        return [para(title, "cell_bold"), key_values(lines, label_width=30 * mm, width=HALF_WIDTH)]

    return [
        heading(_("By invoice date and by payment date"), 2),
        side_by_side(
            column(_("By invoice date"), invoice), column(_("By payment date (cash basis)"), paid)
        ),
        para(
            _(
                "The review counts {basis}. Invoices written late in the period and paid in the "
                "next one make the difference."
            ).format(
                basis=_("by invoice date") if status.basis == "invoice" else _("by payment date")
            ),
            "small",
        ),
    ]
