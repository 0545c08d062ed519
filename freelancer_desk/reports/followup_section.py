"""Review sections about staying in touch: feedback received and pending, reminders ahead.

Rows come from ``services.feedback`` and ``services.reminders``, the sources of the Feedback and
Reminders pages and of ``reminders_due`` in ``status --json``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from freelancer_desk.models import FeedbackStatus
from freelancer_desk.reports.clients_section import LIST_LIMIT, more_in_app
from freelancer_desk.reports.document import (
    TEXT_WIDTH,
    data_table,
    due_cell,
    heading,
    para,
    shorten,
)
from freelancer_desk.services import feedback as feedback_service
from freelancer_desk.services import reminders as reminders_service
from freelancer_desk.services.feedback import FeedbackRow

if TYPE_CHECKING:
    from freelancer_desk.reports.review import ReviewContext

#: How far ahead the review lists reminders.
REMINDER_DAYS = 90
#: Characters of an answer printed in the table (the app keeps it whole).
RESPONSE_CHARS = 280


def _shorten(text: str | None) -> str:
    return shorten(" ".join((text or "").split()), RESPONSE_CHARS)


def _status_on(row: FeedbackRow, day: dt.date) -> FeedbackStatus | None:
    """The request's status as it stood on ``day``; None when it was not even planned yet.

    An answer that came later was still awaited on that day.
    """
    answered = row.status in (FeedbackStatus.RECEIVED, FeedbackStatus.DECLINED)
    if answered and (row.answered_on is None or row.answered_on <= day):
        return row.status
    if row.sent_on is not None and row.sent_on <= day:
        return FeedbackStatus.SENT
    if row.planned_on is None or row.planned_on <= day:
        return FeedbackStatus.PLANNED
    return None


def feedback_section(ctx: ReviewContext) -> list[Flowable]:
    """Answers that came back in the period, and requests still waiting for one."""
    lang, _ = ctx.lang, ctx.lang.gettext
    as_of = ctx.as_of
    rows = feedback_service.list_requests(ctx.db, today=as_of)
    answered = [
        row
        for row in rows
        if row.status in (FeedbackStatus.RECEIVED, FeedbackStatus.DECLINED)
        and row.answered_on is not None
        and row.answered_on in ctx.period
        and row.answered_on <= as_of
    ]
    pending = [
        (row, status)
        for row in rows
        if (status := _status_on(row, as_of)) in (FeedbackStatus.PLANNED, FeedbackStatus.SENT)
    ]
    flow: list[Flowable] = [
        heading(_("Feedback, reviews and recommendations")),
        heading(_("Answers in the period"), 2),
    ]
    if answered:
        flow += more_in_app(min(len(answered), LIST_LIMIT), len(answered), lang)
        flow.append(
            data_table(
                [_("Client"), _("Asked for"), _("On"), _("Stars"), _("What came back")],
                [
                    [
                        row.client_name,
                        lang.label(row.kind),
                        lang.date(row.answered_on),
                        "★" * row.rating if row.rating else "",
                        (
                            lang.label(row.status) + ": "
                            if row.status is FeedbackStatus.DECLINED
                            else ""
                        )
                        + _shorten(row.response),
                    ]
                    for row in answered[:LIST_LIMIT]
                ],
                [33 * mm, 40 * mm, 24 * mm, 19 * mm, TEXT_WIDTH - 116 * mm],
            )
        )
    else:
        flow.append(para(_("No answers in this period.")))
    flow.append(heading(_("Still pending"), 2))
    if pending:
        flow += more_in_app(min(len(pending), LIST_LIMIT), len(pending), lang)
        flow.append(
            data_table(
                [
                    _("Client"),
                    _("Asked for"),
                    _("Status"),
                    _("Channel"),
                    _("Sent on"),
                    _("Next step on"),
                ],
                [
                    [
                        row.client_name,
                        lang.label(row.kind),
                        lang.label(status),
                        lang.label(row.channel),
                        lang.date(row.sent_on if status is FeedbackStatus.SENT else None),
                        _("blocked")
                        if row.blocked is not None
                        else lang.date(row.follow_up_on or row.planned_on),
                    ]
                    for row, status in pending[:LIST_LIMIT]
                ],
                [TEXT_WIDTH - 128 * mm, 39 * mm, 20 * mm, 18 * mm, 24 * mm, 27 * mm],
            )
        )
        blocked = [
            (row.client_name, row.blocked)
            for row, _status in pending[:LIST_LIMIT]
            if row.blocked is not None
        ]
        if blocked:
            reasons = "; ".join(
                f"{name}: {permission.reason_in(lang.code)}" for name, permission in blocked
            )
            flow.append(
                para(_("Blocked by the contact rules: {reasons}").format(reasons=reasons), "small")
            )
    else:
        flow.append(para(_("No requests are waiting for an answer.")))
    return flow


def reminders_section(ctx: ReviewContext) -> list[Flowable]:
    """Open reminders that are overdue ("overdue" in bold under the day) or due in the next
    ``REMINDER_DAYS`` days."""
    lang, _ = ctx.lang, ctx.lang.gettext
    as_of = ctx.as_of
    until = as_of + dt.timedelta(days=REMINDER_DAYS)
    rows = [  # a reminder the contact rules block is not on the list (DOMAIN.md §5)
        row
        for row in reminders_service.list_reminders(
            ctx.db, due_by=until, open_on=as_of, today=as_of
        )
        if row.blocked is None
    ]
    flow: list[Flowable] = [
        heading(_("Reminders ahead")),
        para(
            _("Open reminders due by {day}, overdue ones first.").format(day=lang.date(until)),
            "small",
        ),
    ]
    if not rows:
        return [*flow, para(_("No reminders are due."))]
    shown = rows[:LIST_LIMIT]
    flow += more_in_app(len(shown), len(rows), lang)
    flow.append(
        data_table(
            [_("Due"), _("Client"), _("Purpose"), _("Note")],
            [
                [
                    due_cell(lang.date(row.due_on), _("overdue") if row.due_on < as_of else None),
                    row.client_name or "—",
                    lang.label(row.purpose),
                    _shorten(row.note),
                ]
                for row in shown
            ],
            [26 * mm, 50 * mm, 44 * mm, TEXT_WIDTH - 120 * mm],
        )
    )
    return flow
