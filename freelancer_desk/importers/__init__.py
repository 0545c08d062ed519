"""Importing CSV files from invoicing tools, spreadsheets, DATEV and our own export.

The pipeline, each step plain data in and out, no database access:

1. ``reading``: bytes → text (encoding) → records with line numbers, refusing what is no table;
2. ``table``: the header row among info lines, the delimiter, footer lines skipped;
3. ``fields``: which column feeds which field, recognised in German and English (and by the
   header sets of known tools' exports), overridable;
4. ``revenue`` / ``clients`` / ``datev``: the plan — new records, duplicates, errors by line
   and column, and every decision taken (``documents`` holds the rule for signs and
   cancellations).

``freelancer_desk.services.importing`` reads the database snapshot, and writes a plan in one
transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from freelancer_desk.i18n import N_, _
from freelancer_desk.importers.clients import CLIENT_DATES, CLIENT_REQUIRED, plan_clients
from freelancer_desk.importers.datev import (
    BOOKING_FIELDS,
    BOOKING_REQUIRED,
    BOOKING_SET,
    DEBTOR_FIELDS,
    DEBTOR_SET,
    plan_bookings,
    plan_debtors,
)
from freelancer_desk.importers.extf import BOOKINGS, DEBTORS, ExtfHeader
from freelancer_desk.importers.fields import (
    CLIENT_FIELDS,
    CLIENT_HEADER_SETS,
    REVENUE_FIELDS,
    REVENUE_HEADER_SETS,
    FieldSpec,
    HeaderSet,
)
from freelancer_desk.importers.plan import (
    Cancelled,
    Existing,
    ImportPlan,
    MarkedRow,
    PlanOptions,
    Progress,
)
from freelancer_desk.importers.reading import ImportFileError
from freelancer_desk.importers.revenue import (
    REVENUE_DATES,
    REVENUE_REQUIRED,
    marked_rows,
    plan_revenue,
)
from freelancer_desk.importers.table import Table
from freelancer_desk.importers.values import visible

Planner = Callable[[Table, Existing, PlanOptions, Progress | None, Cancelled | None], ImportPlan]


def _none_marked(_table: Table) -> list[MarkedRow]:
    return []


@dataclass(frozen=True)
class Importer:
    """One kind of import: its fields, the key field of a row, and its planner."""

    kind: str
    label: str
    specs: tuple[FieldSpec, ...]
    key_field: str
    #: The date whose absence (with an empty key field) marks a trailing totals line.
    date_field: str | None
    #: Every date field, read with one day/month order.
    date_fields: tuple[str, ...]
    #: Fields the file needs a column for (one field of each group).
    required: tuple[tuple[str, ...], ...]
    plan: Planner
    #: The header sets of known tools' exports.
    header_sets: tuple[HeaderSet, ...] = ()
    #: Rows whose sign is the user's choice (positive amounts marked Gutschrift …).
    marked_rows: Callable[[Table], list[MarkedRow]] = _none_marked


IMPORTERS: dict[str, Importer] = {
    "revenue": Importer(
        "revenue",
        N_("Revenue entries"),
        REVENUE_FIELDS,
        "client",
        "invoice_date",
        REVENUE_DATES,
        REVENUE_REQUIRED,
        plan_revenue,
        REVENUE_HEADER_SETS,
        marked_rows,
    ),
    "clients": Importer(
        "clients",
        N_("Clients"),
        CLIENT_FIELDS,
        "name",
        None,
        CLIENT_DATES,
        CLIENT_REQUIRED,
        plan_clients,
        CLIENT_HEADER_SETS,
    ),
}

#: Importers of DATEV-Format files, by import kind and format category.
DATEV_IMPORTERS: dict[tuple[str, int], Importer] = {
    ("revenue", BOOKINGS): Importer(
        "revenue",
        N_("DATEV Buchungsstapel"),
        BOOKING_FIELDS,
        "amount",
        "document_date",
        (),
        BOOKING_REQUIRED,
        plan_bookings,
        (BOOKING_SET,),
    ),
    ("clients", DEBTORS): Importer(
        "clients",
        N_("DATEV debtors"),
        DEBTOR_FIELDS,
        "account",
        None,
        (),
        (("account",),),
        plan_debtors,
        (DEBTOR_SET,),
    ),
}


def importer_for(kind: str, datev: ExtfHeader | None) -> Importer:
    """The importer of ``kind`` for a file (``datev``: its DATEV format header, if any).

    A DATEV file given as the other kind is refused with what to do instead.
    """
    if datev is None:
        return IMPORTERS[kind]
    found = DATEV_IMPORTERS.get((kind, datev.category))
    if found is not None:
        return found
    if datev.category == BOOKINGS:
        raise ImportFileError(
            _("This is a DATEV Buchungsstapel (bookings): import it as revenue entries.")
        )
    if datev.category == DEBTORS:
        raise ImportFileError(
            _(
                "This is a DATEV file of debtors and creditors: import it as clients, before "
                "the Buchungsstapel, so that its bookings are named by their clients."
            )
        )
    raise ImportFileError(
        _(
            'This DATEV file holds "{name}" (format category {category}); only the '
            "Buchungsstapel (21) and the debtors and creditors (16) can be imported."
        ).format(name=visible(datev.format_name), category=datev.category)
    )
