"""Realistic, reproducible demo data for every part of the app.

The data tells the stories the app is built for: one dominant client (about 55–70 % of the last
twelve months' revenue), a group of companies that counts as one payer, steady clients, clients
ordering less and smaller, late payers with overdue invoices, complaints and chasing with the
emotional notes that go with them, sleeping clients, lost clients with reasons from the
catalogue and win-back cases (one won back), a client who objected to contact, feedback
requests in every state and reminders, some overdue and some recurring.

Every date is relative to ``as_of`` (default today) so the demo always looks current, and every
choice comes from ``random.Random(seed)``: the same seed, day and language give the same data.
Rows are written with bulk Core inserts in one transaction, so that benchmark sizes (2,000
clients, 100,000 revenue entries) take seconds.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, inspect, select
from sqlmodel import Session, SQLModel

from freelancer_desk import clock
from freelancer_desk import demo_texts as texts
from freelancer_desk.analytics.periods import rolling_12_months
from freelancer_desk.catalog import BUILTIN_REASONS, NO_WINBACK_REASONS, ensure_reason_catalogue
from freelancer_desk.db import Database
from freelancer_desk.errors import DeskError, InputError
from freelancer_desk.i18n import _, current_language
from freelancer_desk.models import (
    Client,
    ClientGroup,
    FeedbackRequest,
    Interaction,
    Loss,
    Reminder,
    RevenueEntry,
    Setting,
    WinbackAttempt,
    WinbackCase,
)

DEFAULT_CLIENTS = 40
DEFAULT_ENTRIES = 300
DEFAULT_INTERACTIONS = 240
DEFAULT_SEED = 2024
#: How far back the invoices go.
HISTORY_DAYS = 730
#: Days without orders after which a declining client's orders count as "lately".
RECENT_DAYS = 180
LIMITS = {"clients": (1, 100_000), "entries": (0, 5_000_000), "interactions": (0, 1_000_000)}

#: Roles of extra (generated) clients and how often each occurs.
EXTRA_ROLES = (
    ("steady", 40),
    ("declining", 10),
    ("late", 10),
    ("sleeping", 15),
    ("lost", 14),
    ("new", 6),
    ("won_back", 2),
    ("archived", 3),
)
#: Orders per day of activity, relative to a steady client.
ENTRY_WEIGHT = {"dominant": 4.0, "new": 1.3, "sleeping": 0.7, "lost": 0.8, "archived": 0.6}
INTERACTION_WEIGHT = {"dominant": 3.0, "declining": 2.5, "late": 1.5, "lost": 1.5}
#: Days between due date and payment (min, max) by role.
PAYMENT_DELAY = {
    "dominant": (-3, 5),
    "steady": (-5, 8),
    "group": (0, 14),
    "late": (0, 12),
    "declining": (0, 25),
    "new": (-2, 10),
}
#: A late payer's delay in the recent months: later than it used to be.
LATE_LATELY = (20, 75)
KINDS = ("contact", "complaint", "praise", "unreachable", "chasing", "feedback")
KIND_WEIGHTS = {
    "dominant": (60, 5, 20, 0, 5, 10),
    "late": (55, 10, 5, 20, 0, 10),
    "declining": (35, 20, 5, 20, 20, 0),
    "sleeping": (50, 0, 10, 35, 0, 5),
    "lost": (40, 30, 0, 15, 15, 0),
    "won_back": (50, 15, 25, 0, 0, 10),
    "archived": (80, 0, 20, 0, 0, 0),
}
DEFAULT_KIND_WEIGHTS = (60, 5, 20, 3, 0, 12)
NEGATIVE_KINDS = frozenset({"complaint", "unreachable", "chasing"})
#: Roles whose rhythm, order size and mood stay the same lately (no warning sign).
STEADY_ROLES = frozenset({"dominant", "steady", "group", "new"})
MOODS = {
    "contact": (-1, 0, 1, 1, 2),
    "complaint": (-2, -2, -1),
    "praise": (1, 2, 2),
    "chasing": (-1, 0),
    "feedback": (0, 1, 2),
    "unreachable": (None,),
}
PHONE_PREFIX = {
    "de": "+49",
    "pl": "+48",
    "dk": "+45",
    "fr": "+33",
    "no": "+47",
    "se": "+46",
    "cz": "+420",
    "com.tr": "+90",
}
FOREIGN_ADDRESSES = {
    "pl": "ul. Piotrkowska 104\n90-004 Łódź",
    "dk": "Søndergade 12\n8000 Aarhus C",
    "fr": "12 rue de Rivoli\n75004 Paris",
    "no": "Karl Johans gate 5\n0154 Oslo",
    "se": "Kungsportsavenyen 21\n411 36 Göteborg",
    "cz": "Vodičkova 30\n110 00 Praha",
    "com.tr": "İstiklal Caddesi 88\n34433 İstanbul",
}


class DemoRefusedError(DeskError):
    """Demo data goes only into an empty database: existing records are never touched."""


@dataclass(frozen=True)
class DemoSummary:
    """How many records of each kind were written, and the day they are relative to."""

    as_of: dt.date
    clients: int
    groups: int
    entries: int
    interactions: int
    losses: int
    winback_cases: int
    winback_attempts: int
    feedback_requests: int
    reminders: int


@dataclass
class _Plan:
    """One client as planned: its role in the story and when it bought (day ordinals)."""

    id: int
    name: str
    kind: str
    role: str
    tld: str
    #: Inclusive (first, last) day ranges in which the client ordered.
    windows: list[tuple[int, int]]
    loss: tuple[str, str, str, bool] | None = None
    lost_on: int | None = None
    won_back_on: int | None = None
    rate: int = 85
    #: Usual hours of one order.
    hours: float = 5.0
    person: str = ""
    phone_consent: bool = False
    entries: list[dict[str, Any]] = field(default_factory=list)


def generate(
    db: Database,
    clients: int = DEFAULT_CLIENTS,
    entries: int = DEFAULT_ENTRIES,
    interactions: int = DEFAULT_INTERACTIONS,
    seed: int = DEFAULT_SEED,
    as_of: dt.date | None = None,
    lang: str | None = None,
) -> DemoSummary:
    """Fill an empty database with demo data; refuse (DemoRefusedError) if it holds clients.

    Args:
        db: a database opened for writing.
        clients, entries, interactions: how many clients, revenue entries and logged contacts.
        seed: the same seed (with the same ``as_of`` and ``lang``) gives the same data.
        as_of: the day the data looks current from (default today).
        lang: language of notes and texts ("de" or "en"; default the app's language).
    """
    check_sizes(clients, entries, interactions)
    builder = _Builder(random.Random(seed), as_of or clock.today(), lang or current_language())
    with db.session() as session:
        connection = session.connection()
        held = connection.execute(select(func.count()).select_from(Client)).scalar_one()
        groups_held = connection.execute(select(func.count()).select_from(ClientGroup)).scalar_one()
        if held or groups_held:
            raise DemoRefusedError(
                _(
                    "{path} already holds clients; demo data goes only into a new, empty database. "
                    "Nothing was changed."
                ).format(path=db.path)
            )
        ensure_reason_catalogue(session)
        builder.start_ids({table: _max_id(session, table) for table in _TABLES})
        tables = builder.build(clients, entries, interactions)
        for table in _TABLES:
            if tables[table]:
                connection.execute(insert(inspect(table).local_table), tables[table])
        if session.get(Setting, "owner_name") is None:
            session.add(Setting(key="owner_name", value=builder.pick(texts.OWNER_NAME)))
            session.add(Setting(key="owner_address", value=texts.OWNER_ADDRESS))
    return DemoSummary(
        as_of=builder.as_of_date,
        clients=len(tables[Client]),
        groups=len(tables[ClientGroup]),
        entries=len(tables[RevenueEntry]),
        interactions=len(tables[Interaction]),
        losses=len(tables[Loss]),
        winback_cases=len(tables[WinbackCase]),
        winback_attempts=len(tables[WinbackAttempt]),
        feedback_requests=len(tables[FeedbackRequest]),
        reminders=len(tables[Reminder]),
    )


def check_sizes(clients: int, entries: int, interactions: int) -> None:
    """Refuse sizes outside ``LIMITS`` before anything is opened or written."""
    for name, value in (("clients", clients), ("entries", entries), ("interactions", interactions)):
        low, high = LIMITS[name]
        if not low <= value <= high:
            raise InputError(
                name,
                _("must be between {low} and {high}").format(low=low, high=high),
                label=_LABELS[name](),
            )


_LABELS = {
    "clients": lambda: _("Clients"),
    "entries": lambda: _("Revenue entries"),
    "interactions": lambda: _("Interactions"),
}
#: Tables in the order their rows must be written (references first).
_TABLES: tuple[type[SQLModel], ...] = (
    ClientGroup,
    Client,
    RevenueEntry,
    Interaction,
    Loss,
    WinbackCase,
    WinbackAttempt,
    FeedbackRequest,
    Reminder,
)


def _max_id(session: Session, table: type[SQLModel]) -> int:
    return int(
        session.connection().execute(select(func.max(inspect(table).local_table.c.id))).scalar()
        or 0
    )


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` into whole parts proportional to ``weights`` (largest remainder)."""
    weight_sum = sum(weights)
    if total <= 0 or weight_sum <= 0:
        return [0] * len(weights)
    exact = [total * w / weight_sum for w in weights]
    parts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (parts[i] - exact[i], i))
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def slug(text: str) -> str:
    """ASCII letters, digits and hyphens for e-mail addresses: ``Müller & Söhne`` →
    ``mueller-soehne``."""
    text = text.lower()
    for letter, plain in (
        ("ä", "ae"),
        ("ö", "oe"),
        ("ü", "ue"),
        ("ß", "ss"),
        ("ł", "l"),
        ("ø", "o"),
        ("æ", "ae"),
        ("å", "a"),
        ("ı", "i"),
    ):
        text = text.replace(letter, plain)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:40] or "client"


class _Builder:
    """Plans the clients and turns the plans into rows for every table."""

    def __init__(self, rng: random.Random, as_of: dt.date, lang: str) -> None:
        self.rng = rng
        self.as_of_date = as_of
        self.today = as_of.toordinal()
        self.start = self.today - HISTORY_DAYS
        self.lang_index = 0 if lang == "de" else 1
        self.next_id: dict[type, int] = {}
        self.rows: dict[type, list[dict[str, Any]]] = {table: [] for table in _TABLES}

    # -- helpers -----------------------------------------------------------------------------

    def start_ids(self, highest: dict[type, int]) -> None:
        """Continue after the highest id each table already holds."""
        self.next_id = {table: top + 1 for table, top in highest.items()}

    def add(self, table: type, row: dict[str, Any]) -> int:
        """Append a row with the next id of its table; returns the id."""
        row_id = self.next_id[table]
        self.next_id[table] += 1
        row["id"] = row_id
        self.rows[table].append(row)
        return row_id

    def pick(self, text: texts.Text) -> str:
        """The text in the demo's language."""
        return text[self.lang_index]

    def choice_text(self, options: Sequence[texts.Text]) -> str:
        return self.pick(self.rng.choice(options))

    def day(self, ordinal: int) -> dt.date:
        return dt.date.fromordinal(ordinal)

    def between(self, first: int, last: int) -> int:
        """A random day ordinal in ``[first, last]`` (``first`` when the range is empty)."""
        return self.rng.randint(first, last) if last > first else first

    # -- the whole build -----------------------------------------------------------------

    def build(
        self, clients: int, entries: int, interactions: int
    ) -> dict[type, list[dict[str, Any]]]:
        """Rows for every table, in write order."""
        group_id = self.add(
            ClientGroup, {"name": texts.GROUP_NAME, "note": self.pick(texts.GROUP_NOTE)}
        )
        plans = self.plan_clients(clients)
        for plan in plans:
            self.add_client(plan, group_id)
        self.add_revenue(plans, entries)
        self.add_interactions(plans, interactions)
        self.add_losses(plans)
        self.add_feedback_requests(plans)
        self.add_reminders(plans)
        if not any(row["group_id"] == group_id for row in self.rows[Client]):
            self.rows[ClientGroup].clear()
        return self.rows

    # -- clients -------------------------------------------------------------------------

    def plan_clients(self, count: int) -> list[_Plan]:
        """The hand-written personas first, then generated clients with weighted roles."""
        personas = list(texts.PERSONAS[:count])
        taken = {persona.name for persona in personas}
        roles, weights = zip(*EXTRA_ROLES, strict=True)
        for _index in range(count - len(personas)):
            role = self.rng.choices(roles, weights)[0]
            kind = "private" if self.rng.random() < 0.25 else "business"
            name = self.unique_name(kind, taken)
            personas.append(texts.Persona(name, kind, role, loss=self.extra_loss(role)))
        return [self.plan(persona) for persona in personas]

    def unique_name(self, kind: str, taken: set[str]) -> str:
        """A new client name not used yet (with a town, then a number, if needed)."""
        last = self.rng.choice(texts.LAST_NAMES)
        if kind == "private":
            base = f"{self.rng.choice(texts.FIRST_NAMES)} {last}"
        else:
            prefix, suffix = self.rng.choice(texts.TRADES)
            base = f"{prefix}{last}{suffix}"
        name = base
        if name in taken:
            name = f"{base} {self.rng.choice(texts.CITIES)[1]}"
        number = 2
        while name in taken:
            name = f"{base} {number}"
            number += 1
        taken.add(name)
        return name

    def extra_loss(self, role: str) -> tuple[str, str, str, bool] | None:
        """Loss type, catalogue reason, win-back outcome and objection for a generated client."""
        if role not in ("lost", "won_back"):
            return None
        reasons = [
            r
            for r in BUILTIN_REASONS
            if r.loss_type is not None and (role == "lost" or r.code not in NO_WINBACK_REASONS)
        ]
        reason = self.rng.choice(reasons)
        if role == "won_back":
            return (str(reason.loss_type), reason.code, "won_back", False)
        outcome = (
            ""
            if reason.code in NO_WINBACK_REASONS
            else self.rng.choices(("", "open", "not_now", "given_up"), (35, 30, 15, 20))[0]
        )
        objected = outcome == "given_up" and self.rng.random() < 0.3
        return (str(reason.loss_type), reason.code, outcome, objected)

    def plan(self, persona: texts.Persona) -> _Plan:
        """When the client bought, lost and came back, and at what rate."""
        rng, today, start = self.rng, self.today, self.start
        role = persona.role
        lost_on = won_back_on = None
        if role == "dominant":
            windows = [(start, today - rng.randint(0, 6))]
        elif role == "sleeping":
            windows = [(start + rng.randint(0, 200), today - rng.randint(200, 420))]
        elif role == "lost":
            lost_on = today - rng.randint(45, 420)
            windows = [(start + rng.randint(0, 150), lost_on - rng.randint(7, 45))]
        elif role == "won_back":
            lost_on = today - rng.randint(260, 330)
            won_back_on = lost_on + rng.randint(40, 90)
            windows = [
                (start + rng.randint(0, 60), lost_on - 20),
                (won_back_on + 7, today - rng.randint(3, 30)),
            ]
        elif role == "new":
            windows = [(today - rng.randint(60, 300), today - rng.randint(0, 10))]
        elif role == "archived":
            windows = [(start, today - rng.randint(300, 600))]
        else:
            windows = [(start + rng.randint(0, 200), today - rng.randint(0, 30))]
        windows = [(first, max(first, last)) for first, last in windows]
        first_name, last_name = rng.choice(texts.FIRST_NAMES), rng.choice(texts.LAST_NAMES)
        private = persona.kind == "private"
        return _Plan(
            id=0,
            name=persona.name,
            kind=persona.kind,
            role=role,
            tld=persona.tld,
            windows=windows,
            loss=persona.loss,
            lost_on=lost_on,
            won_back_on=won_back_on,
            rate=rng.choice((55, 60, 70) if private else (65, 75, 85, 95, 110, 120)),
            hours=rng.randint(4, 18) / (4 if private else 2),
            person=persona.name if private else f"{first_name} {last_name}",
            phone_consent=rng.random() < (0.3 if private else 0.4),
        )

    def add_client(self, plan: _Plan, group_id: int) -> None:
        """The client row: contact details, loyalty, consents and objection."""
        rng = self.rng
        created = self.day(plan.windows[0][0] - rng.randint(0, 30))
        objected = plan.loss is not None and plan.loss[3]
        email_consent = rng.random() < (0.5 if plan.kind == "private" else 0.6)
        plan.id = self.add(
            Client,
            {
                "name": plan.name,
                "kind": plan.kind,
                "group_id": group_id if plan.role == "group" else None,
                "contact_person": None if plan.kind == "private" else plan.person,
                "email": self.email(plan),
                "phone": (
                    f"{PHONE_PREFIX.get(plan.tld, '+49')} "
                    f"{rng.randint(30, 99)} {rng.randint(100000, 9999999)}"
                ),
                "address": self.address(plan),
                "notes": self.choice_text(texts.CLIENT_NOTES[plan.role])
                if plan.role in texts.CLIENT_NOTES
                else None,
                "tags": ", ".join(
                    self.pick(tag) for tag in rng.sample(texts.TAGS, rng.randint(0, 2))
                )
                or None,
                "loyalty": self.loyalty(plan),
                "payment_term_days": rng.choice((14, 14, 30, None)),
                "email_consent_on": created + dt.timedelta(days=rng.randint(0, 30))
                if email_consent
                else None,
                "phone_consent_on": created + dt.timedelta(days=rng.randint(0, 30))
                if plan.phone_consent
                else None,
                "objection_on": self.day(min(self.today, plan.lost_on + rng.randint(1, 10)))
                if objected and plan.lost_on
                else None,
                "archived": plan.role == "archived",
                "created_on": created,
                "erased": False,
            },
        )

    def email(self, plan: _Plan) -> str:
        if plan.kind == "private":
            return f"{slug(plan.person).replace('-', '.')}@{self.rng.choice(texts.MAIL_PROVIDERS)}"
        local = self.rng.choice(("info", "kontakt", "buero", slug(plan.person.split()[0])))
        return f"{local}@{slug(plan.name)}.{plan.tld}"

    def address(self, plan: _Plan) -> str:
        if plan.tld in FOREIGN_ADDRESSES:
            return FOREIGN_ADDRESSES[plan.tld]
        zip_code, city = self.rng.choice(texts.CITIES)
        return f"{self.rng.choice(texts.STREETS)} {self.rng.randint(1, 120)}\n{zip_code} {city}"

    def loyalty(self, plan: _Plan) -> str | None:
        options = {
            "dominant": ("loyal",),
            "steady": ("loyal", "loyal", "conditional", None),
            "group": ("conditional",),
            "late": ("conditional", "disloyal"),
            "declining": ("conditional", "disloyal"),
            "sleeping": ("conditional", None),
            "won_back": ("conditional",),
        }
        if plan.role == "lost" and plan.loss:
            return {"pulled": "disloyal", "pushed": "conditional"}.get(plan.loss[0], "loyal")
        return self.rng.choice(options.get(plan.role, (None,)))

    # -- revenue -------------------------------------------------------------------------

    def add_revenue(self, plans: list[_Plan], count: int) -> None:
        """Invoices and a few credit notes; then the dominant client's share; then numbers."""
        weights = [ENTRY_WEIGHT.get(p.role, 1.0) * self.active_days(p.windows) for p in plans]
        for plan, k in zip(plans, apportion(count, weights), strict=True):
            for day in self.order_days(plan, k):
                plan.entries.append(self.entry(plan, day))
        self.scale_dominant(plans)
        self.number_entries(plans)

    @staticmethod
    def active_days(windows: list[tuple[int, int]]) -> int:
        return sum(last - first + 1 for first, last in windows)

    @staticmethod
    def day_at(windows: list[tuple[int, int]], offset: int) -> int:
        """The day ``offset`` active days into the windows."""
        for first, last in windows:
            if offset <= last - first:
                return first + offset
            offset -= last - first + 1
        return windows[-1][1]

    def sample_days(self, windows: list[tuple[int, int]], k: int) -> list[int]:
        """``k`` days at random in the windows, sorted (contacts come when they come)."""
        total = self.active_days(windows)
        return sorted(self.day_at(windows, self.rng.randrange(total)) for _index in range(k))

    def rhythm_days(self, windows: list[tuple[int, int]], k: int) -> list[int]:
        """``k`` days in a regular rhythm over the windows, each moved by up to a third of a
        step."""
        total = self.active_days(windows)
        step = total / k if k else 0
        return [
            self.day_at(
                windows,
                min(total - 1, max(0, int((i + 0.5 + self.rng.uniform(-0.33, 0.33)) * step))),
            )
            for i in range(k)
        ]

    def order_days(self, plan: _Plan, k: int) -> list[int]:
        """Order days in the client's rhythm; a declining client's slows to a quarter lately."""
        recent = self.today - RECENT_DAYS
        first, last = plan.windows[0]
        if plan.role != "declining" or first >= recent or last < recent:
            return self.rhythm_days(plan.windows, k)
        older, newer = apportion(k, [recent - first, (last - recent + 1) / 4])
        return self.rhythm_days([(first, recent - 1)], older) + self.rhythm_days(
            [(recent, last)], newer
        )

    def entry(self, plan: _Plan, day: int) -> dict[str, Any]:
        """One invoice (or, rarely, a credit note after a complaint) on ``day``."""
        rng = self.rng
        euros = max(1, int(plan.hours * rng.uniform(0.75, 1.3) * plan.rate))
        if plan.role == "declining" and day >= self.today - RECENT_DAYS:
            euros = max(1, euros * 45 // 100)
        if plan.role in ("declining", "lost", "won_back") and rng.random() < 0.03:
            return {
                "client_id": plan.id,
                "day": day,
                "net_cents": -euros * rng.choice((10, 20, 30)),
                "due": None,
                "paid": day,
                "note": self.pick(texts.CREDIT_NOTE),
            }
        term = rng.choice((14, 14, 30))
        low, high = PAYMENT_DELAY.get(plan.role, (-3, 15))
        if plan.role == "late" and day >= self.today - RECENT_DAYS:
            low, high = LATE_LATELY
        paid = max(day, day + term + rng.randint(low, high))
        return {
            "client_id": plan.id,
            "day": day,
            "net_cents": euros * 100,
            "due": day + term,
            "paid": paid if paid <= self.today else None,
            "note": self.choice_text(texts.ENTRY_NOTES) if rng.random() < 0.2 else None,
        }

    def scale_dominant(self, plans: list[_Plan]) -> None:
        """Give the dominant client 58–66 % of the last twelve months (invoice basis, exact)."""
        dominant = next((p for p in plans if p.role == "dominant"), None)
        if dominant is None:
            return
        period = rolling_12_months(self.as_of_date)
        first, end = period.start.toordinal(), period.end.toordinal()
        others = sum(
            e["net_cents"]
            for p in plans
            if p is not dominant
            for e in p.entries
            if first <= e["day"] < end
        )
        recent = [e for e in dominant.entries if first <= e["day"] < end]
        current = sum(e["net_cents"] for e in recent)
        if others <= 0 or current <= 0:
            return
        share = self.rng.uniform(0.58, 0.66)
        target = round(others * share / (1 - share))
        for entry in dominant.entries:
            if not first <= entry["day"] < end:  # earlier years grow alike, in whole euros
                entry["net_cents"] = max(100, entry["net_cents"] * target // current // 100 * 100)
        parts = apportion(target, [e["net_cents"] for e in recent])
        for entry, cents in zip(recent, parts, strict=True):
            entry["net_cents"] = cents

    def number_entries(self, plans: list[_Plan]) -> None:
        """Rows in date order with invoice numbers per year (``RE-2025-0042``, credit notes
        ``GS-``)."""
        ordered = sorted(
            (entry for plan in plans for entry in plan.entries),
            key=lambda e: (e["day"], e["client_id"]),
        )
        counters: dict[tuple[str, int], int] = {}
        for entry in ordered:
            date = self.day(entry["day"])
            prefix = "GS" if entry["net_cents"] < 0 else "RE"
            number = counters[prefix, date.year] = counters.get((prefix, date.year), 0) + 1
            net = entry["net_cents"]
            self.add(
                RevenueEntry,
                {
                    "client_id": entry["client_id"],
                    "invoice_number": f"{prefix}-{date.year}-{number:04d}",
                    "invoice_date": date,
                    "net_cents": net,
                    "gross_cents": (abs(net) * 119 + 50) // 100 * (1 if net >= 0 else -1),
                    "due_date": None if entry["due"] is None else self.day(entry["due"]),
                    "paid_date": None if entry["paid"] is None else self.day(entry["paid"]),
                    "note": entry["note"],
                },
            )

    # -- interactions --------------------------------------------------------------------

    def add_interactions(self, plans: list[_Plan], count: int) -> None:
        """Logged contacts; declining clients' complaints and chasing pile up lately."""
        rng, today = self.rng, self.today
        spans = [self.contact_windows(plan) for plan in plans]
        weights = [
            INTERACTION_WEIGHT.get(p.role, 1.0) * self.active_days(s)
            for p, s in zip(plans, spans, strict=True)
        ]
        for plan, windows, k in zip(plans, spans, apportion(count, weights), strict=True):
            kind_weights = KIND_WEIGHTS.get(plan.role, DEFAULT_KIND_WEIGHTS)
            for day in self.sample_days(windows, k):
                kind = rng.choices(KINDS, kind_weights)[0]
                if plan.role == "declining" and kind in NEGATIVE_KINDS:
                    day = max(windows[0][0], today - rng.randint(1, RECENT_DAYS))
                elif plan.role in STEADY_ROLES and kind in NEGATIVE_KINDS:
                    day = self.between(windows[0][0], min(day, today - RECENT_DAYS - 1))
                elif plan.role == "sleeping" and kind == "unreachable":
                    day = self.between(windows[-1][0], today)
                self.add(
                    Interaction,
                    {
                        "client_id": plan.id,
                        "date": self.day(day),
                        "channel": rng.choice(("phone", "phone", "email", "meeting"))
                        if kind != "unreachable"
                        else rng.choice(("phone", "email")),
                        "kind": kind,
                        "mood": rng.choice(MOODS[kind]),
                        "notes": self.interaction_note(kind, plan.person),
                    },
                )

    def contact_windows(self, plan: _Plan) -> list[tuple[int, int]]:
        """Days with contact: the ordering windows and up to two months after, never after a
        loss."""
        cap = plan.lost_on if plan.lost_on and not plan.won_back_on else self.today
        return [(first, max(first, min(cap, last + 60))) for first, last in plan.windows]

    def interaction_note(self, kind: str, person: str) -> str | None:
        if kind in ("contact", "feedback") and self.rng.random() < 0.4:
            return None
        return self.choice_text(texts.INTERACTION_NOTES[kind]).format(person=person)

    # -- losses and win-back ---------------------------------------------------------------

    def add_losses(self, plans: list[_Plan]) -> None:
        """A loss for every lost or returned client; win-back cases with their attempts."""
        for plan in plans:
            if plan.loss is None or plan.lost_on is None:
                continue
            loss_type, reason, outcome, objected = plan.loss
            loss_id = self.add(
                Loss,
                {
                    "client_id": plan.id,
                    "lost_on": self.day(plan.lost_on),
                    "loss_type": loss_type,
                    "reason_code": reason,
                    "reason_text": self.choice_text(texts.LOSS_TEXTS[loss_type]),
                    "objected": objected,
                    "notes": None,
                },
            )
            if outcome:
                self.add_case(plan, loss_id, reason, outcome)

    def add_case(self, plan: _Plan, loss_id: int, reason_code: str, outcome: str) -> None:
        """A win-back case with worthiness inputs, measures, incentive and 1–3 attempts."""
        rng = self.rng
        lost_on = plan.lost_on or self.today
        before = sum(e["net_cents"] for e in plan.entries if lost_on - 365 <= e["day"] < lost_on)
        reason = next(r for r in BUILTIN_REASONS if r.code == reason_code)
        measures = (reason.measures_de, reason.measures_en)[self.lang_index][:2]
        last_attempt = min(self.today, (plan.won_back_on or self.today) - 1)
        attempt_days = sorted(
            {self.between(lost_on + 3, last_attempt) for _i in range(rng.randint(1, 3))}
        )
        ended = outcome in ("won_back", "given_up", "not_now")
        case_id = self.add(
            WinbackCase,
            {
                "loss_id": loss_id,
                "potential_12m_cents": max(0, before * rng.randint(70, 110) // 100 // 100 * 100),
                "discount_ppm": rng.choice((0, 50_000, 100_000, 150_000)),
                "winback_cost_cents": rng.randint(150, 600) * 100,
                "care_cost_12m_cents": rng.randint(200, 1200) * 100,
                "measures": "\n".join(measures) or None,
                "incentive": self.choice_text(texts.INCENTIVES),
                "goal_reason_learned": outcome != "open" or rng.random() < 0.5,
                "goal_door_open": outcome in ("won_back", "not_now"),
                "goal_no_bad_word": outcome != "given_up",
                "outcome": outcome,
                "outcome_on": self.day(plan.won_back_on or attempt_days[-1]) if ended else None,
                "revisit_on": self.day(self.today + rng.randint(30, 120))
                if outcome == "not_now"
                else None,
                "returner_checklist": None,
            },
        )
        final = {
            "won_back": "friendly",
            "given_up": "rude" if plan.loss and plan.loss[3] else "no_answer",
            "not_now": "reserved",
        }.get(outcome)
        for index, day in enumerate(attempt_days):
            is_last = index == len(attempt_days) - 1
            reaction = (
                final if is_last and final else rng.choice(("no_answer", "reserved", "friendly"))
            )
            self.add(
                WinbackAttempt,
                {
                    "case_id": case_id,
                    "date": self.day(day),
                    "channel": rng.choice(("phone", "phone", "email", "letter")),
                    "reaction": reaction,
                    "cost_cents": rng.choice((0, 0, 1500, 4000)),
                    "notes": self.pick(texts.ATTEMPT_NOTES[reaction]),
                },
            )

    # -- feedback requests and reminders -----------------------------------------------------

    def add_feedback_requests(self, plans: list[_Plan]) -> None:
        """Requests for feedback, reviews, letters and referrals in every state."""
        rng, today = self.rng, self.today
        candidates = [
            p
            for p in plans
            if p.role in ("dominant", "steady", "group", "new", "won_back", "late")
            or (p.loss is not None and p.loss[0] == "broken" and not p.loss[3])
        ]
        chosen = rng.sample(candidates, min(len(candidates), max(1, round(len(plans) * 0.3))))
        states = ("received", "sent", "planned", "declined")
        statuses = [
            *states[: len(chosen)],
            *rng.choices(states, (35, 30, 20, 15), k=len(chosen) - len(states)),
        ]
        rng.shuffle(statuses)
        for plan, status in zip(chosen, statuses, strict=True):
            kind = rng.choices(
                ("feedback", "review", "recommendation", "referral"), (40, 25, 20, 15)
            )[0]
            row: dict[str, Any] = {
                "client_id": plan.id,
                "kind": kind,
                "status": status,
                "channel": "phone" if plan.phone_consent and rng.random() < 0.3 else "email",
                "planned_on": None,
                "sent_on": None,
                "follow_up_on": None,
                "answered_on": None,
                "response": None,
                "rating": None,
            }
            if status == "planned":
                row["planned_on"] = self.day(today + rng.randint(1, 30))
            else:
                sent = today - (rng.randint(2, 45) if status == "sent" else rng.randint(30, 400))
                row["sent_on"] = self.day(sent)
                row["follow_up_on"] = self.day(sent + 14)
                if status != "sent":
                    row["answered_on"] = self.day(min(today, sent + rng.randint(2, 25)))
                    row["response"] = self.choice_text(texts.FEEDBACK_RESPONSES[status])
                    if status == "received" and kind in ("feedback", "review"):
                        row["rating"] = rng.randint(3, 5)
            self.add(FeedbackRequest, row)

    def add_reminders(self, plans: list[_Plan]) -> None:
        """Wiedervorlagen: reactivation, win-back and feedback follow-ups, news; some overdue."""
        rng, today = self.rng, self.today
        cases = {row["loss_id"]: row for row in self.rows[WinbackCase]}
        case_of = {row["client_id"]: cases.get(row["id"]) for row in self.rows[Loss]}
        for plan in plans:
            if plan.loss and plan.loss[3]:
                continue  # objected: no contact may be suggested
            if plan.role == "sleeping":
                recurring = rng.random() < 0.35
                self.reminder(
                    plan.id,
                    "reactivate",
                    today + rng.randint(-30, 30),
                    ("months", 3) if recurring else None,
                )
            case = case_of.get(plan.id)
            if case is not None and case["outcome"] in ("open", "not_now"):
                assert plan.lost_on is not None  # a case belongs to a lost client
                self.reminder(plan.id, "winback_followup", plan.lost_on + 7, None, done=True)
                due = (
                    case["revisit_on"].toordinal()
                    if case["revisit_on"]
                    else today + rng.randint(-10, 20)
                )
                self.reminder(plan.id, "winback_followup", due, None)
            if plan.role == "steady" and rng.random() < 0.2:
                self.reminder(plan.id, "new_offers", today + rng.randint(-5, 90), ("months", 6))
        for request in self.rows[FeedbackRequest]:
            if request["status"] == "sent":
                self.reminder(
                    request["client_id"],
                    "feedback_followup",
                    request["follow_up_on"].toordinal(),
                    None,
                )
        self.reminder(None, "custom", today - 2, ("weeks", 1))

    def reminder(
        self,
        client_id: int | None,
        purpose: str,
        due: int,
        recurrence: tuple[str, int] | None,
        done: bool = False,
    ) -> None:
        due_on = self.day(due)
        self.add(
            Reminder,
            {
                "client_id": client_id,
                "due_on": due_on,
                "purpose": purpose,
                "note": self.pick(texts.REMINDER_NOTES[purpose]),
                "recurrence_unit": recurrence[0] if recurrence else None,
                "recurrence_every": recurrence[1] if recurrence else None,
                "done_on": self.day(min(self.today, due + 1)) if done else None,
                "anchor_day": due_on.day if recurrence else None,
                "uid": str(uuid.UUID(int=self.rng.getrandbits(128), version=4)),
            },
        )
