"""Page 1 of the review: the letterhead and "At a glance" (issue 17).

What a tax adviser reads first: the dependency level in words with a mark that prints in black
and white, the revenue and the largest payer (the group when a group counts) each beside the
previous period, the months in a row at or above 5/6, what the level means (DOMAIN.md §3, not
legal advice) and a few findings in sentences. Every figure is the status document's; this
module only words them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from freelancer_desk import comparison
from freelancer_desk.analytics.dependency import LEVEL_LABELS, Level
from freelancer_desk.analytics.periods import previous
from freelancer_desk.i18n import N_, translations
from freelancer_desk.money import from_cents
from freelancer_desk.reports.document import (
    FONT,
    FONT_BOLD,
    GREYS,
    INK,
    Language,
    heading,
    key_values,
    para,
    rich,
    styles,
    tie,
)
from freelancer_desk.self_check import LEVEL_MEANINGS, PENSION_RATE, TALK_TO_ADVISER

if TYPE_CHECKING:
    from freelancer_desk.analytics.dependency import PayerShare
    from freelancer_desk.reports.review import ReviewContext
    from freelancer_desk.services.status import PeriodFigures, Status
    from freelancer_desk.settings import DeskSettings

#: The heading of page 1, also named in the contents.
TITLE = N_("At a glance")
#: At most this many findings are printed; the most telling come first.
FINDINGS = 5
MARK_SIZE = 11 * mm
#: Before each finding: a bullet and an en space.
BULLET = "•\u2002"


def letterhead(settings: DeskSettings) -> list[Flowable]:
    """The freelancer's name, business, address and VAT ID, right-aligned at the top.

    Name and address come from "Your business", the business name and VAT ID from the
    e-invoice settings; a business name equal to the name is printed once.
    """
    lines = [
        settings.owner_name,
        settings.seller_name,
        settings.owner_address,
        settings.seller_vat_id,
    ]
    seen: list[str] = []
    for line in (line.strip() for line in lines):
        if line and line not in seen:
            seen.append(line)
    if not seen:
        return []
    right = ParagraphStyle("letterhead", parent=styles()["small"], alignment=TA_RIGHT)
    first = ParagraphStyle("letterhead_name", parent=right, fontName=FONT_BOLD, fontSize=10)
    return [
        Paragraph(escape(tie(line)), first if index == 0 else right)
        for index, line in enumerate(seen)
    ]


def level_mark(level: Level) -> Drawing:
    """A mark for the level that reads without colour: an open circle (ok), a grey triangle
    with "!" (warning), a black octagon with "!" (critical), a dashed circle with a dash when
    there is no revenue to judge (never a warning sign for an empty period)."""
    size = MARK_SIZE
    drawing = Drawing(size, size)
    drawing.initialFontName = FONT  # else the page would reference Helvetica, not embedded
    middle = size / 2
    if level is Level.NONE:
        drawing.add(
            Circle(
                middle,
                middle,
                size / 2 - 1,
                strokeColor=GREYS[1],
                strokeWidth=1.2,
                strokeDashArray=[2, 1.5],
                fillColor=None,
            )
        )
        drawing.add(Line(middle - 3, middle, middle + 3, middle, strokeColor=GREYS[1]))
        return drawing
    if level is Level.OK:
        drawing.add(
            Circle(middle, middle, size / 2 - 1, strokeColor=INK, strokeWidth=1.6, fillColor=None)
        )
        drawing.add(Rect(middle - 1.2, middle - 1.2, 2.4, 2.4, fillColor=INK, strokeColor=None))
        return drawing
    if level is Level.WARNING:
        drawing.add(
            Polygon(
                [1, 1, size - 1, 1, middle, size - 1],
                strokeColor=INK,
                strokeWidth=1.4,
                fillColor=GREYS[3],
            )
        )
        mark, colour = "!", INK
    else:
        cut = size * 0.29
        drawing.add(
            Polygon(
                [
                    cut,
                    0,
                    size - cut,
                    0,
                    size,
                    cut,
                    size,
                    size - cut,
                    size - cut,
                    size,
                    cut,
                    size,
                    0,
                    size - cut,
                    0,
                    cut,
                ],
                strokeColor=INK,
                fillColor=INK,
            )
        )
        mark, colour = "!", colors.white
    drawing.add(
        String(
            middle,
            size * 0.22,
            mark,
            fontName=FONT_BOLD,
            fontSize=size * 0.55,
            fillColor=colour,
            textAnchor="middle",
        )
    )
    return drawing


def _payer(top: PayerShare | None, lang: Language) -> str:
    """ "Müller group (3 clients)" or the client's name; "—" without revenue."""
    _ = lang.gettext
    if top is None:
        return "—"
    if top.is_group:
        count = len(top.clients)
        return (
            translations(lang.code)
            .ngettext(
                "{name} (group of {count} client)", "{name} (group of {count} clients)", count
            )
            .format(name=top.name, count=count)
        )
    return top.name


def _share_line(figures: PeriodFigures, lang: Language) -> str:
    top = figures.top_payer
    if top is None:
        return "—"
    return f"{_payer(top, lang)}: {lang.percent(top.share)}"


def _level_block(status: Status, lang: Language) -> Table:
    """The mark beside the level in bold words and what the level means."""
    _ = lang.gettext
    thresholds = status.thresholds
    level = escape(_(LEVEL_LABELS[status.level]))
    words = _("Dependency on clients: <b>{level}</b>").format(level=level)
    if status.has_revenue:
        meaning = _(LEVEL_MEANINGS[status.level.value]).format(
            name=_payer(status.top_payer, lang),
            warning=lang.percent(thresholds.warning, 0),
            critical=lang.percent(thresholds.critical),
            rate=lang.percent(PENSION_RATE),
        )
    else:
        meaning = _("No revenue in this period, so there are no shares to compare.")
    text = [
        rich(words, "h2"),
        para(meaning),
        para(_(TALK_TO_ADVISER), "small"),
    ]
    table = Table(
        [[level_mark(status.level), text]], colWidths=[MARK_SIZE + 5 * mm, None], hAlign="LEFT"
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 9.5),  # a table's default is Helvetica
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (0, 0), 4 * mm),
                ("BOX", (0, 0), (-1, -1), 0.6, INK),
                ("LEFTPADDING", (0, 0), (0, 0), 3 * mm),
                ("RIGHTPADDING", (-1, 0), (-1, 0), 3 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2 * mm),
            ]
        )
    )
    return table


def _with_before(now: str, before: str, change: comparison.Change | None, period: str) -> str:
    """ "160.114,86 € (2024: 3.254,00 €; ▲ +156.860,86 €)"."""
    tail = f"{period}: {before}"
    if change is not None:
        tail += f"; {change.short}"
    return f"{now} ({tail})"


def _no_revenue_text(ctx: ReviewContext) -> str:
    """That the period holds no revenue, and from when the file holds any, so an empty review
    of an early year reads as "too early", not as a year without work."""
    _ = ctx.lang.gettext
    text = _("No revenue was recorded in this period.")
    if ctx.first_invoice is None:
        return text + " " + _("The file holds no invoice yet.")
    return (
        text
        + " "
        + _("The first invoice on file is dated {day}.").format(
            day=ctx.lang.date(ctx.first_invoice)
        )
    )


def findings(ctx: ReviewContext) -> list[str]:
    """Up to ``FINDINGS`` sentences about the period, the most telling first.

    Built from the status document only: the top share and its change, the months at or
    above 5/6, the revenue's change, new and lost clients, what is needed from others, and
    the clients at risk or asleep.
    """
    lang, _ = ctx.lang, ctx.lang.gettext
    ngettext = translations(lang.code).ngettext
    status, before = ctx.status, ctx.status.previous
    # a running period is compared with the same days before: the line above the findings
    # names them, each sentence only "the same span last year"
    than = comparison.previous_name(status.period, lang.code, before.period, days_named=True)
    found: list[str] = []
    if not status.total_net_cents:
        found.append(_no_revenue_text(ctx))
    top = status.top_payer
    if top is not None:
        before_top = before.top_payer
        sentence = _("{share} of the revenue came from one payer, {payer}").format(
            share=lang.percent(top.share), payer=_payer(top, lang)
        )
        if before_top is not None:
            sentence += _(", against {share} {before_period}").format(
                share=lang.percent(before_top.share), before_period=than
            )
        found.append(sentence + ".")
    months = status.months_at_or_above_critical
    if months:
        found.append(
            ngettext(
                "The largest payer's share has stayed at or above 5/6 for {count} month in a row.",
                "The largest payer's share has stayed at or above 5/6 for {count} months in a row.",
                months,
            ).format(count=lang.number(months))
        )
    if status.total_net_cents or before.total_net_cents:
        change = comparison.money_change(
            status.total_net_cents,
            before.total_net_cents,
            status.period,
            lang.code,
            compared=before.period,  # while the period runs: the same span of the one before
            days_named=True,
        )
        found.append(
            _("Net revenue: {total}. {change}").format(
                total=lang.money(from_cents(status.total_net_cents)), change=change.words
            )
        )
    new, lost = new_and_lost(status)
    changed = []
    if new:
        changed.append(
            ngettext(
                "{count} client had revenue but none {before_period}.",
                "{count} clients had revenue but none {before_period}.",
                len(new),
            ).format(count=lang.number(len(new)), before_period=than)
        )
    if lost:
        changed.append(
            ngettext(
                "{count} client with revenue {before_period} had none.",
                "{count} clients with revenue {before_period} had none.",
                len(lost),
            ).format(count=lang.number(len(lost)), before_period=than)
        )
    if changed:
        found.append(" ".join(changed))
    if status.level is Level.CRITICAL:
        found.append(
            _(
                "To bring the largest payer below 5/6, other clients would have to bring "
                "{amount} more."
            ).format(amount=lang.money(from_cents(status.extra_below_critical_cents)))
        )
    elif status.level is Level.WARNING:
        found.append(
            _(
                "To bring the largest payer below {share}, other clients would have to bring "
                "{amount} more."
            ).format(
                share=lang.percent(status.thresholds.warning, 0),
                amount=lang.money(from_cents(status.extra_below_warning_cents)),
            )
        )
    watch = []
    if status.at_risk:
        watch.append(
            ngettext(
                "{count} client shows warning signs.",
                "{count} clients show warning signs.",
                len(status.at_risk),
            ).format(count=lang.number(len(status.at_risk)))
        )
    if status.sleeping:
        watch.append(
            ngettext(
                "{count} sleeping client: worth a reactivation?",
                "{count} sleeping clients: worth a reactivation?",
                len(status.sleeping),
            ).format(count=lang.number(len(status.sleeping)))
        )
    if watch:
        found.append(" ".join(watch))
    return found[:FINDINGS]


def new_and_lost(status: Status) -> tuple[list[str], list[str]]:
    """Names of the clients with revenue in the period but none in the one before (new), and
    of those with revenue before but none now (lost), from the status document's rows."""
    now = {row.client_id for row in status.clients if row.net_cents > 0}
    earlier = {row.client_id for row in status.previous.clients if row.net_cents > 0}
    new = [row.name for row in status.clients if row.net_cents > 0 and row.client_id not in earlier]
    lost = [
        row.name
        for row in status.previous.clients
        if row.net_cents > 0 and row.client_id not in now
    ]
    return new, lost


def at_a_glance(ctx: ReviewContext) -> list[Flowable]:
    """The level, the figures beside the previous period, what it means and the findings."""
    lang, _ = ctx.lang, ctx.lang.gettext
    status, before = ctx.status, ctx.status.previous
    period_now = comparison.period_name(status.period, lang.code)
    period_before = comparison.period_name(before.period, lang.code)
    total = comparison.money_change(
        status.total_net_cents, before.total_net_cents, status.period, lang.code
    )
    share = comparison.share_change(
        status.top_payer.share if status.top_payer else None,
        before.top_payer.share if before.top_payer else None,
        status.period,
        lang.code,
    )
    if status.has_revenue or before.has_revenue:
        revenue = _with_before(
            lang.money(from_cents(status.total_net_cents)),
            lang.money(from_cents(before.total_net_cents)),
            total,
            period_before,
        )
    else:  # no figure on either side: nothing to compare
        revenue = _with_before("—", "—", None, period_before)
    months = status.months_at_or_above_critical
    pairs = [
        (_("Net revenue {period}").format(period=period_now), revenue),
        (
            _("Largest payer"),
            _with_before(
                _share_line(status, lang), _share_line(before, lang), share, period_before
            ),
        ),
        (
            _("Months in a row at or above 5/6"),
            lang.number(months) if months or status.has_revenue else "—",
        ),
    ]
    flow: list[Flowable] = [
        heading(_(TITLE)),
        _level_block(status, lang),
        Spacer(1, 4 * mm),
        key_values(pairs, label_width=52 * mm),
    ]
    sentences = findings(ctx)
    if sentences:
        flow += [heading(_("Findings"), 2)]
        if before.period != previous(status.period):
            flow.append(
                para(
                    _(
                        "The findings compare with the same days of the period before: {span}."
                    ).format(span=lang.span(before.period.start, before.period.last_day)),
                    "small",
                )
            )
        flow += [para(BULLET + sentence) for sentence in sentences]
    return flow
