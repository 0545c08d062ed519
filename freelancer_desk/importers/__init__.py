"""Importing CSV files from invoicing tools, spreadsheets and our own export.

The pipeline, each step plain data in and out, no database access:

1. ``reading``: bytes → text (encoding) → records with line numbers, refusing what is no table;
2. ``table``: the header row among info lines, the delimiter, footer lines skipped;
3. ``fields``: which column feeds which field, recognised in German and English, overridable;
4. ``revenue`` / ``clients``: the plan — new records, duplicates, errors by line and column.

``freelancer_desk.services.importing`` reads the database snapshot, and writes a plan in one
transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from freelancer_desk.i18n import N_
from freelancer_desk.importers.clients import CLIENT_DATES, CLIENT_REQUIRED, plan_clients
from freelancer_desk.importers.fields import CLIENT_FIELDS, REVENUE_FIELDS, FieldSpec
from freelancer_desk.importers.plan import (
    Cancelled,
    Existing,
    ImportPlan,
    PlanOptions,
    Progress,
)
from freelancer_desk.importers.revenue import REVENUE_DATES, REVENUE_REQUIRED, plan_revenue
from freelancer_desk.importers.table import Table

Planner = Callable[[Table, Existing, PlanOptions, Progress | None, Cancelled | None], ImportPlan]


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
    ),
}
