"""The review's "Next steps": the first steps of the plan, as of the review's day.

The same steps, in the same order, as the dashboard and ``next`` show for that day
(``services.steps.plan``, DOMAIN.md §8): who, what to do and why, by which allowed channel, by
when, and what is at stake. Printed on page 1 below the findings, so it stands within the first
two pages whatever their length.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from freelancer_desk.money import from_cents
from freelancer_desk.reports.document import TEXT_WIDTH, data_table, heading, para
from freelancer_desk.services import steps as steps_service

if TYPE_CHECKING:
    from freelancer_desk.reports.review import ReviewContext

#: Steps printed; the dashboard and ``next`` list the rest.
STEPS_SHOWN = 5
#: Characters of a step's reasons printed under what to do (the app keeps them whole).
WHY_CHARS = 90


def _short(text: str) -> str:
    return text if len(text) <= WHY_CHARS else text[: WHY_CHARS - 1].rstrip() + "…"


def next_steps(ctx: ReviewContext) -> list[Flowable]:
    """The first ``STEPS_SHOWN`` steps of the plan on the review's day; an overdue one says so
    under its day (whole rows in bold would drown what they say)."""
    lang, _ = ctx.lang, ctx.lang.gettext
    # The plan still lists clients added after the day; nothing dated later counts on paper
    # (DOMAIN.md §7), so a closed year reads the same whenever it is printed.
    steps = [step for step in steps_service.plan(ctx.db, ctx.as_of) if step.since <= ctx.as_of]
    flow: list[Flowable] = [heading(_("Next steps"), 2)]
    if not steps:
        return [*flow, para(_("No step is due on {day}.").format(day=lang.date(ctx.as_of)))]
    shown = steps[:STEPS_SHOWN]
    if len(steps) > len(shown):  # said above the table, so it cannot stray onto the next page
        count = para(
            _("{shown} of {count} steps; the dashboard and the Reminders page list all.").format(
                shown=len(shown), count=lang.number(len(steps))
            ),
            "small",
        )
        count.keepWithNext = 1  # with the heading above and the table below
        flow.append(count)
    rows = [
        [
            lang.date(step.due) + ("\n" + _("overdue") if step.due < ctx.as_of else ""),
            step.client or "—",
            # the first thing to do; the dossier and the app hold the measures and goals
            step.what[0].render(lang.code) + "\n" + _short(step.why_in(lang.code)),
            lang.label(step.channel) if step.channel is not None else "—",
            lang.money(from_cents(step.value_cents)) if step.value_cents else "—",
        ]
        for step in shown
    ]
    widths = [24 * mm, 28 * mm, 19 * mm, 21 * mm]
    flow.append(
        data_table(
            [_("Due"), _("Client"), _("What and why"), _("Channel"), _("At stake")],
            rows,
            [widths[0], widths[1], TEXT_WIDTH - sum(widths), *widths[2:]],
            numeric=(4,),
        )
    )
    return flow
