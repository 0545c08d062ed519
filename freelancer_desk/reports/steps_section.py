"""The review's "Next steps": the first steps of the plan, as of the review's day.

The same steps as the dashboard and ``next`` show first for that day (``services.steps.plan``,
DOMAIN.md §8), listed by date as a printed to-do list reads (``Step.date_order``): who, what to
do and why, by which allowed channel, by when, and what is at stake. Printed on page 1 below
the findings, so it stands within the first two pages whatever their length.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from freelancer_desk.i18n import N_
from freelancer_desk.money import from_cents
from freelancer_desk.reports.document import (
    TEXT_WIDTH,
    cell_width,
    data_table,
    due_cell,
    heading,
    para,
    shorten,
    tie,
)
from freelancer_desk.services import steps as steps_service

if TYPE_CHECKING:
    from freelancer_desk.reports.review import ReviewContext

#: The section's heading, also named in the contents.
TITLE = N_("Next steps")
#: Steps printed, as many as the dashboard card shows; ``next`` and the app list the rest.
STEPS_SHOWN = 6
#: Characters of a step's reasons printed under what to do (the app keeps them whole).
WHY_CHARS = 90
#: The client column grows with the names up to this width; longer names wrap between words.
CLIENT_WIDTH = 34 * mm


def next_steps(ctx: ReviewContext) -> list[Flowable]:
    """The first ``STEPS_SHOWN`` steps of the plan on the review's day, by date; an overdue
    one says so in bold under its day (whole rows in bold would drown what they say)."""
    lang, _ = ctx.lang, ctx.lang.gettext
    # The plan still lists clients added after the day; nothing dated later counts on paper
    # (DOMAIN.md §7), so a closed year reads the same whenever it is printed.
    steps = [step for step in steps_service.plan(ctx.db, ctx.as_of) if step.since <= ctx.as_of]
    flow: list[Flowable] = [heading(_(TITLE))]
    if not steps:
        return [*flow, para(_("No step is due on {day}.").format(day=lang.date(ctx.as_of)))]
    # The plan's priority picks the steps; the page lists them by date.
    shown = sorted(steps[:STEPS_SHOWN], key=lambda step: step.date_order)
    if len(steps) > len(shown):  # said above the table, so it cannot stray onto the next page
        count = para(
            _("{shown} of {count} steps; the dashboard and the Reminders page list all.").format(
                shown=len(shown), count=lang.number(len(steps))
            ),
            "small",
        )
        count.keepWithNext = 1  # with the heading above and the table below
        flow.append(count)
    header = [_("Due"), _("Client"), _("What and why"), _("Channel"), _("At stake")]
    overdue = _("overdue")
    days = [lang.date(step.due) for step in shown]
    clients = [step.subject_in(lang.code) for step in shown]
    channels = [lang.label(step.channel) if step.channel is not None else "—" for step in shown]
    stakes = [
        lang.money(from_cents(step.value_cents)) if step.value_cents else "—" for step in shown
    ]
    rows = [
        [
            due_cell(day, overdue if step.due < ctx.as_of else None),
            client,
            # the first thing to do; the dossier and the app hold the measures and goals
            step.what[0].render(lang.code) + "\n" + shorten(tie(step.why_in(lang.code)), WHY_CHARS),
            channel,
            stake,
        ]
        for step, day, client, channel, stake in zip(
            shown, days, clients, channels, stakes, strict=True
        )
    ]
    widths = [
        max(cell_width([header[0]], bold=True), cell_width([*days, overdue], bold=True)),
        max(
            cell_width([header[1]], bold=True, whole=False),
            cell_width(clients, whole=False),
            min(cell_width(clients), CLIENT_WIDTH),
        ),
        0.0,  # what and why: the rest
        max(cell_width([header[3]], bold=True), cell_width(channels)),
        max(cell_width([header[4]], bold=True), cell_width(stakes)),
    ]
    widths[2] = TEXT_WIDTH - sum(widths)
    flow.append(data_table(header, rows, widths, numeric=(4,)))
    return flow
