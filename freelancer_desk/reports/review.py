"""The printed review of a calendar year, a quarter or the 12 months ending on a day.

The review is a list of sections. Each takes the review's context (the status document of
``services.status.build_status`` and the other areas' service functions) and returns
flowables; the user picks which sections to print. Figures are only laid out here, never
computed, so the PDF shows the same numbers as the dashboard and ``status --json``. Every
figure is seen from one day (DOMAIN.md §7): the review of a closed period reads the same
whenever it is printed, one of a running period says it is provisional.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer
from reportlab.platypus.flowables import DocIf

from freelancer_desk import clock, comparison
from freelancer_desk.analytics.dependency import LEVEL_LABELS
from freelancer_desk.analytics.periods import Period, previous
from freelancer_desk.collector import many_records
from freelancer_desk.comparison import Change
from freelancer_desk.db import Database
from freelancer_desk.i18n import N_
from freelancer_desk.money import from_cents
from freelancer_desk.reports import glance_section, steps_section
from freelancer_desk.reports.clients_section import (
    loyalty_section,
    warning_signs_section,
    winback_section,
)
from freelancer_desk.reports.dependency_section import dependency_section
from freelancer_desk.reports.document import (
    TEXT_WIDTH,
    Contents,
    Language,
    PageFrame,
    Progress,
    SectionStart,
    data_table,
    heading,
    keep_intro_with_content,
    para,
    write_pdf,
)
from freelancer_desk.reports.followup_section import feedback_section, reminders_section
from freelancer_desk.reports.glance_section import at_a_glance, letterhead
from freelancer_desk.reports.revenue_section import (
    all_clients_section,
    payments_section,
    revenue_section,
)
from freelancer_desk.reports.steps_section import next_steps
from freelancer_desk.services import revenue as revenue_service
from freelancer_desk.services import settings as settings_service
from freelancer_desk.services.status import PeriodFigures, Status, StatusRequest, build_status
from freelancer_desk.settings import DeskSettings

#: Height a section needs left on a page to start there; else it starts on the next page.
SECTION_ROOM = 90 * mm


@dataclass(frozen=True)
class ReviewRequest:
    """What to print: the period, the day it is looked at from, language and sections.

    ``as_of`` is the day D every figure is seen from, exactly as ``status --json --as-of``:
    nothing dated later counts. Left out, it is the earlier of ``made_on`` and the period's
    last day, so the review of a closed period reads the same whenever it is printed.
    ``sections`` None means all of them.
    """

    period: Period
    as_of: dt.date | None = None
    lang: str = "de"
    sections: frozenset[str] | None = None
    made_on: dt.date = field(default_factory=clock.today)


@dataclass(frozen=True)
class ReviewContext:
    """Everything a section may print, fetched once per review."""

    db: Database
    request: ReviewRequest
    lang: Language
    settings: DeskSettings
    status: Status
    #: The date of the first invoice on file, None while there is none.
    first_invoice: dt.date | None = None

    @property
    def period(self) -> Period:
        """The period the review is about."""
        return self.status.period

    @property
    def as_of(self) -> dt.date:
        """The day every figure is seen from."""
        return self.status.as_of


@dataclass(frozen=True)
class Section:
    """One selectable part of the review."""

    key: str
    #: Untranslated title (``N_``), translated into the document's language when printed.
    title: str
    build: Callable[[ReviewContext], list[Flowable]]
    #: Printed unless the user chooses otherwise; full lists are printed only on request.
    default: bool = True
    #: What the section needs to say more than "nothing": "revenue" in the period, revenue in
    #: the period or the one before ("compared"), or any "invoice" dated up to the review's
    #: day; "" for a section printed always.
    needs: str = ""

    def has_content(self, ctx: ReviewContext) -> bool:
        """False when the section could only repeat that there is nothing (a period without
        revenue, or a file without invoices yet), so the review leaves it out."""
        status = ctx.status
        if self.needs == "revenue":
            return status.has_revenue
        if self.needs == "compared":
            return status.has_revenue or status.previous.has_revenue
        if self.needs == "invoice":
            return ctx.first_invoice is not None and ctx.first_invoice <= ctx.as_of
        return True


def review_title(period: Period, lang: Language) -> str:
    """ "Annual review 2025", "Quarterly review Q3 2025" or "Review of the 12 months to …"."""
    _ = lang.gettext
    if period.kind == "year":
        return _("Annual review {year}").format(year=period.start.year)
    if period.kind == "quarter":
        return _("Quarterly review Q{quarter} {year}").format(
            quarter=(period.start.month - 1) // 3 + 1, year=period.start.year
        )
    if period.kind == "rolling":
        return _("Review of the 12 months to {day}").format(day=lang.date(period.last_day))
    return _("Review {span}").format(span=lang.span(period.start, period.last_day))


def _basis_text(basis: str, lang: Language) -> str:
    _ = lang.gettext
    if basis == "paid":
        return _("by payment date (net amounts on the day paid)")
    return _("by invoice date")


def as_of_text(status: Status, lang: Language) -> str:
    """ "as of 31.12.2025", or "provisional, as of 15.03.2026" while the period is running."""
    _ = lang.gettext
    if status.provisional:
        return _("provisional, as of {day}").format(day=lang.date(status.as_of))
    return _("as of {day}").format(day=lang.date(status.as_of))


# --------------------------------------------------------------------------------------------
# Sections
# --------------------------------------------------------------------------------------------


def _first_page(ctx: ReviewContext) -> list[Flowable]:
    """The letterhead, the title with period and day, "At a glance" and the next steps (which
    run onto page 2 when page 1 is full)."""
    lang, _ = ctx.lang, ctx.lang.gettext
    period = ctx.period
    facts = [
        _("Period {span}").format(span=lang.span(period.start, period.last_day)),
        as_of_text(ctx.status, lang),
        _("revenue counted {basis}").format(basis=_basis_text(ctx.status.basis, lang)),
        _("made on {day}").format(day=lang.date(ctx.request.made_on)),
    ]
    flow: list[Flowable] = [
        *letterhead(ctx.settings),
        Spacer(1, 6 * mm),
        para(review_title(period, lang), "title"),
        para(" · ".join(facts), "small"),
    ]
    if ctx.status.provisional:
        flow.append(
            para(
                _(
                    "The period is not over yet: the figures are provisional and count only "
                    "what is dated up to {day}."
                ).format(day=lang.date(ctx.as_of)),
                "small",
            )
        )
    return [*flow, Spacer(1, 3 * mm), *at_a_glance(ctx), *next_steps(ctx)]


def _contents(titles: list[str], lang: Language) -> list[Flowable]:
    """Every section with the page it starts on, the first page's two included."""
    return [heading(lang.gettext("Contents"), 2), Contents(titles)]


def _key_figures(ctx: ReviewContext) -> list[Flowable]:
    """The few numbers to look at first, each beside the same figure of the previous period."""
    lang, _ = ctx.lang, ctx.lang.gettext
    status, before = ctx.status, ctx.status.previous
    period = ctx.period

    def payer(figures: PeriodFigures) -> str:
        top = figures.top_payer
        if top is None:
            return "—"
        return f"{top.name} ({lang.percent(top.share)})"

    def optional(value: Fraction | None, digits: int) -> str:
        return "—" if value is None else lang.number(float(value), digits)

    def short(change: Change | None) -> str:
        return "" if change is None else change.short

    compared = before.period
    total = comparison.money_change(
        status.total_net_cents, before.total_net_cents, period, lang.code, compared=compared
    )
    rows = [
        [
            _("Net revenue"),
            lang.money(from_cents(status.total_net_cents)),
            lang.money(from_cents(before.total_net_cents)),
            total.short,
        ],
        [
            _("Clients with revenue"),
            lang.number(len(status.clients)),
            lang.number(len(before.clients)),
            short(
                comparison.number_change(
                    Fraction(len(status.clients)),
                    Fraction(len(before.clients)),
                    period,
                    lang.code,
                    compared=compared,
                )
            ),
        ],
        [
            _("Largest payer"),
            payer(status),
            payer(before),
            short(
                comparison.share_change(
                    status.top_payer.share if status.top_payer else None,
                    before.top_payer.share if before.top_payer else None,
                    period,
                    lang.code,
                    compared=compared,
                )
            ),
        ],
        [
            _("Dependency level"),
            _(LEVEL_LABELS[status.level]),
            _(LEVEL_LABELS[before.level]),
            "",
        ],
        [
            _("HHI (0–10,000)"),
            optional(status.hhi, 0),
            optional(before.hhi, 0),
            short(
                comparison.number_change(
                    status.hhi, before.hhi, period, lang.code, compared=compared
                )
            ),
        ],
        [
            _("Effective number of clients"),
            optional(status.effective_clients, 1),
            optional(before.effective_clients, 1),
            short(
                comparison.number_change(
                    status.effective_clients,
                    before.effective_clients,
                    period,
                    lang.code,
                    1,
                    compared=compared,
                )
            ),
        ],
    ]
    widths = [38 * mm, 38 * mm, 30 * mm]
    flow: list[Flowable] = [heading(_("Key figures"))]
    if status.provisional:
        flow.append(
            para(_("Provisional, as of {day}").format(day=lang.date(status.as_of)), "small")
        )
    flow += [
        data_table(
            [
                _("Figure"),
                comparison.period_name(period, lang.code),
                comparison.period_name(before.period, lang.code),
                _("Change"),
            ],
            rows,
            [TEXT_WIDTH - sum(widths), *widths],
            numeric=(3,),
            bold_rows=(3,),  # the dependency level
        ),
        para(_beside_text(period, compared, lang), "small"),
    ]
    return flow


def _beside_text(period: Period, compared: Period, lang: Language) -> str:
    """What the key figures stand beside: the previous period with its days, or the same span
    of it while the period is still running (whose name gives the days already)."""
    _ = lang.gettext
    before_period = comparison.previous_name(period, lang.code, compared)
    if compared != previous(period):
        return _("Each figure beside the same figure {before_period}.").format(
            before_period=before_period
        )
    return _("Each figure beside the same figure {before_period} ({span}).").format(
        before_period=before_period, span=lang.span(compared.start, compared.last_day)
    )


#: Every section in print order. An area's section is added here once its data exists.
SECTIONS: tuple[Section, ...] = (
    Section("key_figures", N_("Key figures"), _key_figures, needs="compared"),
    Section("dependency", N_("Dependency on clients"), dependency_section, needs="revenue"),
    Section("revenue", N_("Revenue by client"), revenue_section, needs="revenue"),
    Section("payments", N_("Payments"), payments_section, needs="invoice"),
    Section(
        "watch", N_("Warning signs and sleeping clients"), warning_signs_section, needs="invoice"
    ),
    Section("winback", N_("Lost clients and win-back"), winback_section, needs="invoice"),
    Section("loyalty", N_("Loyalty types"), loyalty_section, needs="revenue"),
    Section("feedback", N_("Feedback, reviews and recommendations"), feedback_section),
    Section("reminders", N_("Reminders ahead"), reminders_section),
    Section(
        "all_clients",
        N_("Every client (full list)"),
        all_clients_section,
        default=False,
        needs="invoice",
    ),
)


def available_sections() -> list[tuple[str, str]]:
    """(key, untranslated title) of every section, for the GUI's choice of sections."""
    return [(section.key, section.title) for section in SECTIONS]


def default_sections() -> frozenset[str]:
    """Keys of the sections printed when none are chosen (full lists only on request)."""
    return frozenset(section.key for section in SECTIONS if section.default)


@many_records()  # tables and paragraphs of thousands of clients, none in a cycle
def build_review(
    db: Database,
    request: ReviewRequest,
    out: Path,
    progress: Progress | None = None,
    first_page_only: bool = False,
) -> Path:
    """Write the review PDF to ``out``; ``progress`` hears (done, 100) along the way.

    ``first_page_only`` writes the cover alone, quickly, for a preview of the review.
    """
    steps = 100
    lang = Language(request.lang)
    _ = lang.gettext
    keys = default_sections() if request.sections is None else request.sections
    report = progress or (lambda done, total: None)
    status = build_status(
        db, StatusRequest(as_of=request.as_of, period=request.period, today=request.made_on)
    )
    report(10, steps)
    bounds = revenue_service.revenue_bounds(db)
    ctx = ReviewContext(
        db,
        request,
        lang,
        settings_service.load(db),
        status,
        first_invoice=None if bounds is None else bounds[0],
    )
    chosen = [s for s in SECTIONS if s.key in keys and s.has_content(ctx)]
    flow = _first_page(ctx)
    if not first_page_only:
        titles = [glance_section.TITLE, steps_section.TITLE, *(s.title for s in chosen)]
        # The contents open page 2, below the next steps that ran on to it (not a page of
        # its own after three rows).
        flow += [
            DocIf("doc.page == 1", PageBreak(), Spacer(1, 8 * mm)),
            *_contents([_(title) for title in titles], lang),
        ]
    for number, section in enumerate([] if first_page_only else chosen, start=1):
        # a section starts on a new page rather than with a stranded heading
        body = section.build(ctx)
        flow += [Spacer(1, 8 * mm), SectionStart(SECTION_ROOM, body), *body]
        report(10 + 40 * number // max(len(chosen), 1), steps)
    footer = _("Period {span}").format(span=lang.span(status.period.start, status.period.last_day))
    if status.provisional:
        footer += " · " + as_of_text(status, lang)
    frame = PageFrame(
        title=review_title(status.period, lang),
        owner=ctx.settings.owner_name,
        footer=footer,
        page_label=_("Page {page} of {pages}"),
        lang=lang.code,
        subject=_("Revenue, dependency on clients and client relations {span}").format(
            span=lang.span(status.period.start, status.period.last_day)
        ),
        keywords=tuple(
            word
            for word in (
                review_title(status.period, lang),
                _("revenue"),
                _("dependency on clients"),
                _("5/6 rule"),
                _("previous period"),
                ctx.settings.owner_name,
            )
            if word
        ),
    )
    return write_pdf(
        out, keep_intro_with_content(flow), frame, progress, done_before=50, steps=steps
    )
