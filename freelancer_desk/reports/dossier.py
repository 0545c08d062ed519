"""The client dossier: a brief for the call and the client's file (DOMAIN.md §4.5 step 2, §8).

Two sheets, whatever the client's history. The first is the call brief: why the client is at
risk, sleeping or lost (the same words as the status), the signs that showed before a loss,
the next step, whether a win-back is worth it with its measures, incentive and partial goals,
how to react to a friendly, reserved or rude answer, the earlier attempts, what the contact
rules allow and the open invoices. The second is the file: contact data, revenue per quarter,
the last contacts with their moods and notes, and earlier complaints. The lists are cut to the
latest entries by ``services.dossier`` and each sheet shrinks to fit if long notes still
overflow it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepInFrame, PageBreak, Spacer, Table

from freelancer_desk import clock
from freelancer_desk.analytics.periods import Period, resolve
from freelancer_desk.analytics.winback import NEXT_STEP
from freelancer_desk.comparison import period_name
from freelancer_desk.contact_rules import VERDICT_LABELS
from freelancer_desk.db import Database
from freelancer_desk.models import Channel, Client, ClientStatus, Interaction, Reaction
from freelancer_desk.money import from_cents
from freelancer_desk.reports import charts
from freelancer_desk.reports.document import (
    HALF_WIDTH,
    TEXT_HEIGHT,
    TEXT_WIDTH,
    Language,
    PageFrame,
    checklist,
    data_table,
    heading,
    key_values,
    para,
    side_by_side,
    signed,
    styles,
    write_pdf,
)
from freelancer_desk.services import settings as settings_service
from freelancer_desk.services.dossier import Dossier, LossFacts, dossier

LABEL_WIDTH = 30 * mm
#: Room for a value beside its label in a half-width column (less the cell's 6 pt padding).
VALUE_WIDTH = HALF_WIDTH - LABEL_WIDTH - 6
#: Complaints older than the last contacts that still make it onto the page.
EARLIER_COMPLAINTS = 3
#: The reactions the call brief prepares for (DOMAIN.md §4.5 step 3).
REACTIONS = (Reaction.FRIENDLY, Reaction.RESERVED, Reaction.RUDE)


def _mood(value: int | None) -> str:
    """``+2`` … ``−2`` with a real minus sign; empty when not noted."""
    if value is None:
        return ""
    return f"+{value}" if value > 0 else signed(str(value))


def _email_lines(address: str) -> str:
    """An address too long for its cell breaks after the "@", not somewhere in the domain."""
    cell = styles()["cell"]
    if "@" not in address or stringWidth(address, cell.fontName, cell.fontSize) <= VALUE_WIDTH:
        return address
    return address.replace("@", "@\n", 1)


def _bullets(lines: tuple[str, ...]) -> str:
    return "\n".join(f"• {line}" for line in lines)


def _header(data: Dossier, lang: Language) -> list[Flowable]:
    _ = lang.gettext
    row = data.row
    status = lang.label(row.status)
    if row.returner:
        status = _("{status}, returner").format(status=status)
    if data.provisional:
        subtitle = _("Call brief · {status} · provisional, as of {day}")
    else:
        subtitle = _("Call brief · {status} · as of {day}")
    return [
        para(data.client.name, "name"),
        para(subtitle.format(status=status, day=lang.date(data.as_of)), "subtitle"),
    ]


# --------------------------------------------------------------------------------------------
# Sheet 1: the call brief
# --------------------------------------------------------------------------------------------


def _why(data: Dossier, lang: Language) -> list[Flowable]:
    """Why the client is lost, sleeping or at risk, in the words of the status."""
    _ = lang.gettext
    if data.row.status is ClientStatus.LOST and data.loss is not None:
        return _why_lost(data.loss, lang)
    signs = [(signal.label_in(lang.code), signal.explanation(lang.code)) for signal in data.signals]
    if data.sleeping is not None:
        signs.insert(0, (_("Sleeping"), data.sleeping.render(lang.code)))
    if data.row.status is ClientStatus.SLEEPING:
        title = _("Why sleeping")
    elif data.row.status is ClientStatus.AT_RISK:
        title = _("Why at risk")
    else:
        title = _("Warning signs")
    if not signs:
        return [heading(title, 2), para(_("No warning signs on this day."))]
    return [heading(title, 2), key_values(signs, LABEL_WIDTH + 10 * mm)]


def _why_lost(loss: LossFacts, lang: Language) -> list[Flowable]:
    _ = lang.gettext
    facts = [
        (_("Lost on"), lang.date(loss.lost_on)),
        (_("Loss type"), lang.label(loss.loss_type)),
        (_("Reason"), loss.reason + (f": {loss.reason_text}" if loss.reason_text else "")),
        (_("Objected to contact"), _("yes") if loss.objected else _("no")),
        (_("Notes"), loss.notes or ""),
    ]
    flow: list[Flowable] = [
        heading(_("Why lost"), 2),
        key_values([pair for pair in facts if pair[1]], LABEL_WIDTH + 10 * mm),
        heading(_("Signs before the loss"), 2),
    ]
    look = loss.look_back
    if look.empty:
        flow.append(para(_("No warning sign showed before the loss: it came without warning.")))
    else:
        flow.append(key_values(look.lines(lang.code), LABEL_WIDTH + 10 * mm))
    if not look.kept:
        flow.append(para(_("Worked out from the records up to the day of the loss."), "small"))
    return flow


def _reach(client: Client, channel: Channel | None) -> str:
    """The number or address the channel needs: phone, e-mail, or the postal address for a
    letter or a meeting."""
    if channel in (Channel.PHONE, Channel.OTHER):
        return client.phone or ""
    if channel is Channel.EMAIL:
        return client.email or ""
    if channel in (Channel.LETTER, Channel.MEETING):
        return " ".join((client.address or "").split())
    return ""


def _next_steps(data: Dossier, lang: Language) -> list[Flowable]:
    _ = lang.gettext
    if not data.steps:
        return []
    flow: list[Flowable] = [heading(_("Next step"), 2)]
    for step in data.steps[:3]:
        how = _("no contact") if step.channel is None else lang.label(step.channel)
        facts = [
            (_("What"), step.what_in(lang.code)),
            (_("Why"), step.why_in(lang.code)),
            (
                _("How, by when"),
                _("{channel}, by {date}").format(channel=how, date=lang.date(step.due)),
            ),
        ]
        if step.channel is not None:
            facts.append((_("Contact person"), data.client.contact_person or data.client.name))
            facts.append((_("Reach them at"), _reach(data.client, step.channel) or "—"))
        if step.stake is not None:
            facts.append((_("At stake"), step.stake_in(lang.code)))
        flow += [para(step.kind_label(lang.code), "cell_bold"), key_values(facts, LABEL_WIDTH)]
    return flow


def _return(loss: LossFacts, lang: Language) -> list[Flowable]:
    """A client won back: the loss, the signs before it, and what won the client back."""
    _ = lang.gettext
    assert loss.won_back_on is not None
    won = [
        (_("Won back on"), lang.date(loss.won_back_on)),
        (_("Measures"), _bullets(loss.chosen_measures)),
        (_("Incentive"), loss.incentive or ""),
    ]
    if loss.attempts:
        last = loss.attempts[-1]
        won.append(
            (
                _("Last attempt"),
                f"{lang.date(last.date)}, {lang.label(last.channel)}: {lang.label(last.reaction)}"
                + (f" — {last.notes}" if last.notes else ""),
            )
        )
    return [
        *_why_lost(loss, lang),
        heading(_("What won them back"), 2),
        key_values([pair for pair in won if pair[1]], LABEL_WIDTH + 10 * mm),
    ]


def _the_call(loss: LossFacts, lang: Language) -> list[Flowable]:
    """Worth it? Measures, incentive, and the partial goals of the call."""
    _ = lang.gettext
    if loss.worth_trying:
        verdict = _("Worth trying: more comes back than it costs.")
    else:
        verdict = _("Not worth it: the costs outweigh what would come back.")
    value = lang.money(from_cents(loss.value_cents))
    if loss.estimated:
        value += " " + _("(estimated: the revenue of the 12 months before the loss)")
    measures = loss.chosen_measures or loss.suggested_measures
    plan = [
        (_("Value of winning back"), value),
        (_("Verdict"), verdict),
        (_("Measures"), _bullets(measures)),
        (
            _("Incentive"),
            loss.incentive or _("Prepare one: a free extra, special terms or a gift."),
        ),
    ]
    if loss.outcome is not None:
        plan.append((_("Win-back"), lang.label(loss.outcome)))
    if loss.revisit_on is not None:
        plan.append((_("Revisit on"), lang.date(loss.revisit_on)))
    goals = checklist([(reached, _(goal), "") for goal, reached in loss.goals], HALF_WIDTH)
    reactions = _bullets(tuple(_(NEXT_STEP[reaction]) for reaction in REACTIONS))
    return [
        side_by_side(
            [
                heading(_("Before you call"), 2),
                key_values([p for p in plan if p[1]], LABEL_WIDTH, HALF_WIDTH),
            ],
            [
                heading(_("Goals of the call"), 2),
                goals,
                heading(_("How to react"), 2),
                para(reactions, "cell"),
            ],
        )
    ]


def _attempts(loss: LossFacts, lang: Language) -> list[Flowable]:
    _ = lang.gettext
    flow: list[Flowable] = [heading(_("Earlier attempts and reactions"), 2)]
    if not loss.attempts:
        return [*flow, para(_("No attempt yet."))]
    rows = [
        [lang.date(a.date), lang.label(a.channel), lang.label(a.reaction), a.notes or ""]
        for a in loss.attempts
    ]
    widths = [24 * mm, 22 * mm, 26 * mm]
    return [
        *flow,
        data_table(
            [_("Date"), _("Channel"), _("Reaction"), _("Notes")],
            rows,
            [*widths, TEXT_WIDTH - sum(widths)],
        ),
    ]


def _permissions(data: Dossier, lang: Language) -> list[Flowable]:
    _ = lang.gettext
    rows = [
        [
            lang.label(channel),
            _(VERDICT_LABELS[permission.verdict]),
            permission.reason_in(lang.code),
        ]
        for channel, permission in data.permissions.items()
    ]
    return [
        heading(_("May I contact them?"), 2),
        data_table(
            [_("Channel"), _("Verdict"), _("Why")], rows, [24 * mm, 38 * mm, TEXT_WIDTH - 62 * mm]
        ),
    ]


def _open_invoices(data: Dossier, lang: Language) -> list[Flowable]:
    _ = lang.gettext
    flow: list[Flowable] = [heading(_("Open invoices"), 2)]
    if not data.open_invoices:
        return [*flow, para(_("No open invoices."))]
    rows = [
        [
            item.entry.invoice_number or "—",
            lang.date(item.entry.invoice_date),
            lang.date(item.due),
            lang.money(item.entry.net),
            lang.number(item.days_overdue) if item.overdue else "",
        ]
        for item in data.open_invoices
    ]
    widths = [28 * mm, 34 * mm, 26 * mm, 30 * mm]
    return [
        *flow,
        data_table(
            [_("Invoice"), _("Invoice date"), _("Due"), _("Net"), _("Days overdue")],
            rows,
            [*widths, TEXT_WIDTH - sum(widths)],
            numeric=(3, 4),
        ),
    ]


def _brief(data: Dossier, lang: Language) -> list[Flowable]:
    flow = [*_header(data, lang), *_why(data, lang), *_next_steps(data, lang)]
    loss = data.loss
    if data.row.status is ClientStatus.LOST and loss is not None:
        flow += [Spacer(1, 2 * mm), *_the_call(loss, lang), *_attempts(loss, lang)]
    elif loss is not None and loss.won_back_on is not None:
        flow += _return(loss, lang)
    flow += [*_permissions(data, lang), *_open_invoices(data, lang)]
    return flow


# --------------------------------------------------------------------------------------------
# Sheet 2: the client's file
# --------------------------------------------------------------------------------------------


def _contact(data: Dossier, lang: Language) -> list[Flowable]:
    _ = lang.gettext
    client, row = data.client, data.row
    pairs = [
        (_("Kind"), lang.label(client.kind)),
        (_("Contact person"), client.contact_person or ""),
        (_("Email"), _email_lines(client.email or "")),
        (_("Phone"), client.phone or ""),
        (_("Address"), client.address or ""),
        (_("Group"), row.group or ""),
        (_("Loyalty type"), lang.label(client.loyalty)),
        (_("Notes"), client.notes or ""),
    ]
    return [
        heading(_("Contact"), 2),
        key_values([pair for pair in pairs if pair[1]], LABEL_WIDTH, HALF_WIDTH),
    ]


def _history(data: Dossier, lang: Language) -> list[Flowable]:
    _ = lang.gettext
    if data.period.kind == "rolling":
        revenue = _("Net revenue, 12 months to {day}").format(day=lang.date(data.period.last_day))
    else:
        revenue = _("Net revenue {period}").format(period=period_name(data.period, lang.code))
    pairs = [
        (revenue, lang.money(from_cents(data.net_cents))),
        (_("Last invoice"), lang.date(data.row.last_invoice) or "—"),
        (_("Complaints recorded"), lang.number(len(data.complaints))),
    ]
    # the quarter of the day seen from, unless that day ends it, is counted only up to it
    running = next(
        (
            index
            for index, q in enumerate(data.history)
            if q.period.start <= data.as_of < q.period.last_day
        ),
        None,
    )
    flow: list[Flowable] = [
        heading(_("Net revenue per quarter"), 2),
        charts.columns(
            [
                f"Q{q.number}{'*' if index == running else ''}\n{q.year}"
                for index, q in enumerate(data.history)
            ],
            [q.net_cents / 100 for q in data.history],
            lang,
            HALF_WIDTH,
            32 * mm,
            running,
        ),
    ]
    if running is not None:
        flow.append(
            para(
                _("* Still running: counted up to {day} (light bar, dashed outline).").format(
                    day=lang.date(data.as_of)
                ),
                "small",
            )
        )
    return [*flow, key_values(pairs, LABEL_WIDTH + 8 * mm, HALF_WIDTH)]


def _contacts_table(items: list[Interaction], lang: Language) -> Table:
    _ = lang.gettext
    rows = [
        [
            lang.date(item.date),
            lang.label(item.channel),
            lang.label(item.kind),
            _mood(item.mood),
            item.notes or "",
        ]
        for item in items
    ]
    widths = [24 * mm, 20 * mm, 30 * mm, 22 * mm]  # Sonstiges, hinterherrennen: whole
    return data_table(
        [_("Date"), _("Channel"), _("Kind"), _("Mood"), _("Notes")],
        rows,
        [*widths, TEXT_WIDTH - sum(widths)],
        numeric=(3,),
    )


def _interactions(data: Dossier, lang: Language) -> list[Flowable]:
    """The last contacts, then complaints older than those (the sharpest emotional hooks)."""
    _ = lang.gettext
    flow: list[Flowable] = [heading(_("Last contacts"), 2)]
    if not data.interactions:
        return [*flow, para(_("No contacts recorded."))]
    flow.append(_contacts_table(data.interactions, lang))
    oldest_shown = data.interactions[-1].date
    earlier = [
        item
        for item in data.complaints
        if item.date < oldest_shown and item not in data.interactions
    ][:EARLIER_COMPLAINTS]
    if earlier:
        flow += [heading(_("Earlier complaints"), 2), _contacts_table(earlier, lang)]
    return flow


def _file(data: Dossier, lang: Language) -> list[Flowable]:
    _ = lang.gettext
    return [
        para(data.client.name, "name"),
        para(_("Client file"), "subtitle"),
        side_by_side(_contact(data, lang), _history(data, lang)),
        *_interactions(data, lang),
    ]


def build_dossier(
    db: Database,
    client_id: int,
    out: Path,
    lang: str = "de",
    as_of: dt.date | None = None,
    period: Period | None = None,
    today: dt.date | None = None,
) -> Path:
    """Write the dossier of a client to ``out`` — the call brief, then the client's file —
    seen from ``as_of`` for ``period`` (the defaults of ``analytics.periods.resolve``: a closed
    period is seen from its last day)."""
    language = Language(lang)
    _ = language.gettext
    seen = resolve(period, as_of, today or clock.today())
    data = dossier(db, client_id, seen, lang)
    frame = PageFrame(
        title=_("Client dossier: {name}").format(name=data.client.name),
        owner=settings_service.load(db).owner_name,
        footer=_("As of {day}").format(day=language.date(data.as_of)),
        page_label=_("Page {page} of {pages}"),
        lang=language.code,
        head_on_first=True,
    )
    room = TEXT_HEIGHT - 2 * mm
    sheets = [
        KeepInFrame(TEXT_WIDTH, room, _brief(data, language), mode="shrink"),
        PageBreak(),
        KeepInFrame(TEXT_WIDTH, room, _file(data, language), mode="shrink"),
    ]
    return write_pdf(out, sheets, frame)
