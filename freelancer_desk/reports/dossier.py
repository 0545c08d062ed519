"""The one-page client dossier that prepares a call (DOMAIN.md §4.5 step 2).

One sheet, whatever the client's history: the lists are cut to the latest entries by
``services.dossier`` and the whole page shrinks to fit if long notes still overflow it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepInFrame, Spacer, Table

from freelancer_desk import clock
from freelancer_desk.analytics.periods import Period, resolve
from freelancer_desk.comparison import period_name
from freelancer_desk.contact_rules import VERDICT_LABELS
from freelancer_desk.db import Database
from freelancer_desk.models import Interaction
from freelancer_desk.money import from_cents
from freelancer_desk.reports import charts
from freelancer_desk.reports.document import (
    HALF_WIDTH,
    TEXT_HEIGHT,
    TEXT_WIDTH,
    Language,
    PageFrame,
    data_table,
    heading,
    key_values,
    para,
    side_by_side,
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


def _mood(value: int | None) -> str:
    """``+2`` … ``−2`` with a real minus sign; empty when not noted."""
    if value is None:
        return ""
    return f"+{value}" if value > 0 else str(value).replace("-", "−")


def _email_lines(address: str) -> str:
    """An address too long for its cell breaks after the "@", not somewhere in the domain."""
    cell = styles()["cell"]
    if "@" not in address or stringWidth(address, cell.fontName, cell.fontSize) <= VALUE_WIDTH:
        return address
    return address.replace("@", "@\n", 1)


def _header(data: Dossier, lang: Language) -> list[Flowable]:
    _ = lang.gettext
    row = data.row
    status = lang.label(row.status)
    if row.returner:
        status = _("{status}, returner").format(status=status)
    if data.provisional:
        subtitle = _("Client dossier · {status} · provisional, as of {day}")
    else:
        subtitle = _("Client dossier · {status} · as of {day}")
    return [
        para(data.client.name, "name"),
        para(subtitle.format(status=status, day=lang.date(data.as_of)), "subtitle"),
    ]


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
    return [
        heading(_("Net revenue per quarter"), 2),
        charts.columns(
            [f"Q{q.number}\n{q.year}" for q in data.history],
            [q.net_cents / 100 for q in data.history],
            lang,
            HALF_WIDTH,
            32 * mm,
        ),
        key_values(pairs, LABEL_WIDTH + 8 * mm, HALF_WIDTH),
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


def _bullets(lines: tuple[str, ...]) -> str:
    return "\n".join(f"• {line}" for line in lines)


def _loss(loss: LossFacts, lang: Language) -> list[Flowable]:
    _ = lang.gettext
    facts = [
        (_("Lost on"), lang.date(loss.lost_on)),
        (_("Loss type"), lang.label(loss.loss_type)),
        (_("Reason"), loss.reason + (f": {loss.reason_text}" if loss.reason_text else "")),
        (_("Objected to contact"), _("yes") if loss.objected else _("no")),
        (_("Notes"), loss.notes or ""),
    ]
    plan = [
        (_("Suggested measures"), _bullets(loss.suggested_measures)),
        (_("Chosen measures"), _bullets(loss.chosen_measures)),
        (_("Incentive"), loss.incentive or ""),
        (_("Win-back"), lang.label(loss.outcome) if loss.outcome else ""),
        (_("Revisit on"), lang.date(loss.revisit_on)),
    ]
    return [
        Spacer(1, 2 * mm),
        side_by_side(
            [
                heading(_("Loss"), 2),
                key_values([p for p in facts if p[1]], LABEL_WIDTH, HALF_WIDTH),
            ],
            [
                heading(_("Win-back plan"), 2),
                key_values([p for p in plan if p[1]], LABEL_WIDTH, HALF_WIDTH),
            ],
        ),
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
    """Write the one-page dossier of a client to ``out``, seen from ``as_of`` for ``period``
    (the defaults of ``analytics.periods.resolve``: a closed period is seen from its last day).
    """
    language = Language(lang)
    _ = language.gettext
    seen = resolve(period, as_of, today or clock.today())
    data = dossier(db, client_id, seen, lang)
    flow: list[Flowable] = [
        *_header(data, language),
        side_by_side(_contact(data, language), _history(data, language)),
        *_permissions(data, language),
        *_interactions(data, language),
    ]
    if data.loss is not None:
        flow += _loss(data.loss, language)
    frame = PageFrame(
        title=_("Client dossier: {name}").format(name=data.client.name),
        owner=settings_service.load(db).owner_name,
        footer=_("As of {day}").format(day=language.date(data.as_of)),
        page_label=_("Page {page} of {pages}"),
        lang=language.code,
    )
    page = KeepInFrame(TEXT_WIDTH, TEXT_HEIGHT - 2 * mm, flow, mode="shrink")
    return write_pdf(out, [page], frame)
