"""Importing e-invoices (XRechnung, ZUGFeRD / Factur-X) as revenue: read, plan, write at once.

The same steps as the CSV import (``services.importing``): the files are read first (nothing is
written), ``plan_einvoice_import`` is the dry run, and ``run_einvoice_import`` plans again inside
ONE write transaction and writes all of it or nothing. An invoice already present (same client
and number) is skipped, so importing a folder twice adds nothing the second time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from freelancer_desk import backups
from freelancer_desk.collector import many_records
from freelancer_desk.db import Database
from freelancer_desk.errors import DeskError, InputError
from freelancer_desk.i18n import _, ngettext
from freelancer_desk.importers.einvoice import (
    EInvoice,
    EInvoiceOptions,
    EInvoicePlan,
    FileProblem,
    NewClient,
    OwnBusiness,
    plan_einvoices,
    read_all,
)
from freelancer_desk.importers.plan import Cancelled, Existing, Progress
from freelancer_desk.models import ClientCreate, Setting, validate
from freelancer_desk.services import settings as settings_service
from freelancer_desk.services.importing import add_clients, add_entries, matched_against
from freelancer_desk.settings import DeskSettings, encode


class EInvoicesRefused(DeskError):
    """Files are refused and only-good-files was not asked for: nothing was written."""

    def __init__(self, plan: EInvoicePlan) -> None:
        self.plan = plan
        count = len(plan.errors)
        super().__init__(
            ngettext(
                "Nothing was imported: {count} file cannot be imported. "
                "Remove it, or import only the good files.",
                "Nothing was imported: {count} files cannot be imported. "
                "Remove them, or import only the good files.",
                count,
            ).format(count=count)
        )


@dataclass(frozen=True)
class EInvoiceFiles:
    """The e-invoices read from the files, and the files that are none (read before planning)."""

    documents: tuple[EInvoice, ...]
    problems: tuple[FileProblem, ...]


@dataclass(frozen=True)
class EInvoiceResult:
    """What an e-invoice import wrote, with the plan it followed."""

    plan: EInvoicePlan
    added: int
    clients_added: int


@many_records()
def read_einvoices(
    paths: Sequence[Path], progress: Progress | None = None, cancelled: Cancelled | None = None
) -> EInvoiceFiles:
    """Read every file (no database needed): the slow part, done once for plan and import."""
    documents, problems = read_all(paths, progress, cancelled)
    return EInvoiceFiles(tuple(documents), tuple(problems))


def own_business(settings: DeskSettings) -> OwnBusiness | None:
    """The user's own business as the settings know it: the business name on invoices, the
    VAT ID, and the general "your name or business" (None when none of them is set yet)."""
    held = [(key, getattr(settings, key)) for key in ("seller_name", "owner_name", "seller_vat_id")]
    held = [(key, value.strip()) for key, value in held if value.strip()]
    if not held:
        return None
    labels = {key: label for key, _type, _default, label, _doc in DeskSettings.declared()}
    return OwnBusiness(
        names=tuple(value for key, value in held if key != "seller_vat_id"),
        vat_id=settings.seller_vat_id.strip(),
        fields=tuple(_(labels[key]) for key, _value in held),
    )


@many_records()
def plan_einvoice_import(
    db: Database | None, files: EInvoiceFiles, seller_check: bool = True
) -> EInvoicePlan:
    """What importing ``files`` would do (the dry run); ``db`` None plans for an empty database."""
    if db is None:
        return _plan(Existing(), DeskSettings(), files, seller_check)
    settings = settings_service.load(db)
    with db.session() as session, matched_against(session, "revenue") as existing:
        return _plan(existing, settings, files, seller_check)


@many_records()
def run_einvoice_import(
    db: Database,
    files: EInvoiceFiles,
    *,
    as_of: dt.date,
    seller_check: bool = True,
    good_files_only: bool = False,
    cancelled: Cancelled | None = None,
) -> EInvoiceResult:
    """Plan and write in one transaction: all of it, or (on refusal or cancel) nothing.

    Raises ``EInvoicesRefused`` when files are refused and ``good_files_only`` is False. The
    first e-invoice's seller becomes the user's own business when none is set yet.
    """
    settings = settings_service.load(db)
    with db.session() as session, matched_against(session, "revenue") as existing:
        plan = _plan(existing, settings, files, seller_check)
        if plan.errors and not good_files_only:
            raise EInvoicesRefused(plan)
        if existing.clients and plan.entries:
            backups.safety_backup(db, backups.BEFORE_IMPORT)
        ids = add_new_clients(session, plan.new_clients, as_of)
        add_entries(session, plan.entries, ids, len(plan.entries), None, cancelled)
        if plan.own_business is not None:
            session.merge(Setting(key="seller_name", value=encode(plan.own_business.name)))
            session.merge(Setting(key="seller_vat_id", value=encode(plan.own_business.vat_id)))
    return EInvoiceResult(plan=plan, added=plan.additions, clients_added=len(plan.new_clients))


def _plan(
    existing: Existing, settings: DeskSettings, files: EInvoiceFiles, seller_check: bool
) -> EInvoicePlan:
    options = EInvoiceOptions(own_business=own_business(settings), seller_check=seller_check)
    return plan_einvoices(files.documents, files.problems, existing, options)


def add_new_clients(session: Session, clients: list[NewClient], as_of: dt.date) -> dict[str, int]:
    """Create the buyers met for the first time, with e-mail and address; ids by name key."""
    checked = []
    for new in clients:
        values = {"name": new.name, "email": new.email, "address": new.address}
        try:
            data = validate(ClientCreate, values)
        except InputError:  # an address the client form would refuse is left out, not fatal
            data = validate(ClientCreate, {"name": new.name, "address": new.address})
        checked.append({"name": data.name, "email": data.email, "address": data.address})
    return add_clients(session, checked, as_of)
