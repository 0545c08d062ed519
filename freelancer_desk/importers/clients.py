"""Planning a clients import: a client list from a spreadsheet, CRM or our own export.

A client already present (same name ignoring case, spacing and umlaut spelling) is never
overwritten: the import only fills its empty fields (so an objection, Widerspruch, in the file
is taken over whenever the client has none yet). Consent or objection given as "yes" without a
date is recorded as of the import day, and the client's notes say so, because consent must be
documented.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from freelancer_desk.errors import InputError
from freelancer_desk.formatting import date as format_date
from freelancer_desk.i18n import _
from freelancer_desk.importers.fields import CLIENT_FIELDS
from freelancer_desk.importers.plan import (
    Cancelled,
    ClientDraft,
    Duplicate,
    Existing,
    ImportPlan,
    PlanOptions,
    Progress,
    RowReader,
    likely_duplicates,
    require_columns,
    resolve_date_order,
    tick,
)
from freelancer_desk.importers.table import Table
from freelancer_desk.importers.values import DateOrder
from freelancer_desk.models import MAX_NAME, ClientCreate, validate
from freelancer_desk.names import name_key

LABELS = {spec.key: spec.label for spec in CLIENT_FIELDS}

KIND_WORDS = {
    **dict.fromkeys(
        (
            "business",
            "unternehmen",
            "firma",
            "company",
            "geschaeftskunde",
            "firmenkunde",
            "gewerblich",
            "gewerbe",
            "b2b",
            "unternehmer",
        ),
        "business",
    ),
    **dict.fromkeys(
        (
            "private",
            "privat",
            "privatperson",
            "privatkunde",
            "private person",
            "verbraucher",
            "person",
            "consumer",
            "individual",
            "b2c",
        ),
        "private",
    ),
}
LOYALTY_WORDS = {
    **dict.fromkeys(("loyal", "treu"), "loyal"),
    **dict.fromkeys(
        ("conditional", "bedingt loyal", "conditionally loyal", "bedingt", "teilweise loyal"),
        "conditional",
    ),
    **dict.fromkeys(("disloyal", "illoyal", "untreu", "nicht loyal", "not loyal"), "disloyal"),
}
#: How the contact person is addressed: "Frau Schmidt" / "Herr Schmidt".
SALUTATION_WORDS = {
    **dict.fromkeys(("ms", "mrs", "miss", "frau", "fr"), "ms"),
    **dict.fromkeys(("mr", "herr", "hr"), "mr"),
}
#: Sie or Du in messages.
ADDRESS_FORM_WORDS = {
    **dict.fromkeys(("formal", "sie", "siezen", "foermlich", "formell"), "formal"),
    **dict.fromkeys(
        ("informal", "du", "duzen", "per du", "informell", "first name", "first name terms"),
        "informal",
    ),
}
YES_NO_WORDS = {
    **dict.fromkeys(("yes", "ja", "j", "y", "x", "1", "true", "wahr"), "1"),
    **dict.fromkeys(("no", "nein", "n", "0", "false", "falsch"), "0"),
}
#: Text fields and their length limits.
TEXT_FIELDS = {
    "contact_person": MAX_NAME,
    "email": MAX_NAME,
    "phone": MAX_NAME,
    "address": None,
    "notes": None,
    "tags": None,
}
#: Text fields that name someone or something: no control characters allowed.
NAME_FIELDS = frozenset({"contact_person", "email", "phone"})
#: Date fields that also accept yes/no.
PERMISSION_FIELDS = ("email_consent_on", "phone_consent_on", "objection_on")
CLIENT_DATES = (*PERMISSION_FIELDS, "created_on")
#: Fields an existing client always has a value for: an import never changes them.
ALWAYS_SET = frozenset({"kind", "address_form", "archived", "created_on"})
#: Fields a clients file needs a column for.
CLIENT_REQUIRED = (("name",),)


def plan_clients(
    table: Table,
    existing: Existing,
    options: PlanOptions,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportPlan:
    """What importing ``table`` as clients would add, complete, skip and refuse."""
    require_columns(table.mapping, table.header_line, LABELS, CLIENT_REQUIRED)
    order = resolve_date_order(table, CLIENT_DATES, options.date_order)
    plan = ImportPlan(kind="clients", table=table, rows_read=len(table.rows), date_order=order)
    collected = ClientList(plan, existing)
    total = len(table.rows)
    for index, row in enumerate(table.rows):
        tick(index, total, progress, cancelled)
        reader = RowReader(row, table, LABELS)
        read = _read_row(reader, options, order)
        if read is None:
            plan.errors.extend(reader.problems)
            continue
        name, values, group, notices = read
        collected.add(row.line, name, values, group, notices)
    collected.finish()
    return plan


class ClientList:
    """Collects the clients of a plan: new ones, gaps of existing ones to fill, duplicates.

    Shared by the client-list and the DATEV debtor importer.
    """

    def __init__(self, plan: ImportPlan, existing: Existing) -> None:
        self.plan = plan
        self.existing = existing
        self.seen: dict[str, int] = {}
        self.new_groups: dict[str, str] = {}

    def add(
        self,
        line: int,
        name: str,
        values: dict[str, Any],
        group: str | None = None,
        notices: Sequence[str] = (),
    ) -> None:
        """Add a client (or the empty fields of one that exists), or note a duplicate."""
        plan, existing = self.plan, self.existing
        key = name_key(name)
        if key in self.seen:
            plan.duplicates.append(Duplicate(line, name, _("client"), self.seen[key]))
            return
        self.seen[key] = line
        known = existing.clients.get(key)
        if known is not None:
            values = _gaps(known.values, values)
            if group and known.values.get("group_id") is not None:
                group = None
            if not values and not group:
                plan.duplicates.append(Duplicate(line, known.name, _("client")))
                return
        plan.notices.extend(notices)
        plan.clients.append(ClientDraft(line, known.id if known else None, name, values, group))
        if group and name_key(group) not in existing.groups:
            self.new_groups.setdefault(name_key(group), group)

    def finish(self) -> None:
        """Name the new clients and groups and the likely duplicates among them."""
        plan = self.plan
        plan.new_clients = [draft.name for draft in plan.clients if draft.client_id is None]
        plan.new_groups = list(self.new_groups.values())
        plan.likely_duplicates = likely_duplicates(
            plan.new_clients, [client.name for client in self.existing.clients.values()]
        )


def _read_row(
    reader: RowReader, options: PlanOptions, order: DateOrder | None
) -> tuple[str, dict[str, Any], str | None, list[str]] | None:
    """Name, validated field values, group name and notices of a row; None when it is bad."""
    name = reader.text("name", limit=MAX_NAME, required=True, name=True)
    values: dict[str, Any] = {
        "kind": reader.choice("kind", KIND_WORDS),
        "loyalty": reader.choice("loyalty", LOYALTY_WORDS),
        "salutation": reader.choice("salutation", SALUTATION_WORDS),
        "address_form": reader.choice("address_form", ADDRESS_FORM_WORDS),
        "payment_term_days": reader.whole_number("payment_term_days", 0, 365),
    }
    archived = reader.choice("archived", YES_NO_WORDS)
    values["archived"] = None if archived is None else archived == "1"
    for key, limit in TEXT_FIELDS.items():
        values[key] = (
            reader.text(key, limit=limit, name=key in NAME_FIELDS) if limit else reader.text(key)
        )
    group = reader.text("group", limit=MAX_NAME, name=True)
    created_on = reader.date("created_on", order)
    notices: list[str] = []
    for key in PERMISSION_FIELDS:
        given = reader.yes_no_or_date(key, order)
        if given is True:
            given = options.as_of
            notice = _('{field} given as "yes" without a date; recorded as of {date}').format(
                field=_(LABELS[key]), date=format_date(options.as_of)
            )
            notices.append(_("Line {line}: {notice}").format(line=reader.row.line, notice=notice))
            values["notes"] = f"{values['notes']}\n{notice}" if values["notes"] else notice
        values[key] = given or None
    if not reader.ok or name is None:
        return None
    values = {key: value for key, value in values.items() if value is not None}
    try:
        validate(ClientCreate, {"name": name, **values})
    except InputError as exc:
        reader.input_error(exc)
        return None
    if created_on is not None:
        values["created_on"] = created_on
    return name, values, group, notices


def _gaps(current: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """The values that fill an existing client's empty fields (kind, form of address, archived,
    since: never so; each always has a value)."""
    return {
        key: value
        for key, value in values.items()
        if current.get(key) in (None, "") and key not in ALWAYS_SET
    }
