"""``groups`` and ``self-check``: client groups (one payer each) and the self-check ticks."""

from __future__ import annotations

import argparse

from freelancer_desk import clock, formatting
from freelancer_desk.analytics.periods import rolling_12_months
from freelancer_desk.commands.common import open_for
from freelancer_desk.db import Database
from freelancer_desk.errors import NotFoundError
from freelancer_desk.i18n import _
from freelancer_desk.models import ClientGroup
from freelancer_desk.self_check import FOUNDERS_NOTE, INDICATORS, NOT_LEGAL_ADVICE
from freelancer_desk.services import clients as clients_service
from freelancer_desk.services import dependency as dependency_service
from freelancer_desk.services import groups as groups_service
from freelancer_desk.services import self_check as self_check_service


def register(subparsers: argparse._SubParsersAction) -> None:
    from freelancer_desk.cli import db_option

    groups = subparsers.add_parser(
        "groups", help=_("client groups: companies of one group count as one client")
    )
    db_option(groups)
    actions = groups.add_subparsers(dest="action", metavar="ACTION")
    groups.set_defaults(handler=list_groups)
    listing = actions.add_parser(
        "list", help=_("every group with its clients and 12-month revenue")
    )
    listing.set_defaults(handler=list_groups)
    add = actions.add_parser("add", help=_("create a group"))
    add.add_argument("name")
    add.set_defaults(handler=add_group)
    rename = actions.add_parser("rename", help=_("rename a group"))
    rename.add_argument("name")
    rename.add_argument("new_name")
    rename.set_defaults(handler=rename_group)
    delete = actions.add_parser(
        "delete", help=_("delete a group; its clients stay, without a group")
    )
    delete.add_argument("name")
    delete.set_defaults(handler=delete_group)
    assign = actions.add_parser("assign", help=_("put a client into a group"))
    assign.add_argument("client")
    assign.add_argument("group")
    assign.set_defaults(handler=assign_client)
    release = actions.add_parser("release", help=_("take a client out of its group"))
    release.add_argument("client")
    release.set_defaults(handler=release_client)
    for parser in (listing, add, rename, delete, assign, release):
        db_option(parser)

    check = subparsers.add_parser(
        "self-check", help=_("the false self-employment self-check: show or tick indicators")
    )
    db_option(check)
    check.add_argument(
        "--tick",
        action="append",
        default=[],
        metavar="KEY",
        help=_("tick an indicator (repeatable)"),
    )
    check.add_argument(
        "--untick",
        action="append",
        default=[],
        metavar="KEY",
        help=_("untick an indicator (repeatable)"),
    )
    check.set_defaults(handler=self_check)


def _group(db: Database, name: str) -> ClientGroup:
    """The group of that name (ignoring case); NotFoundError if none."""
    for group in groups_service.list_groups(db):
        if group.name.casefold() == name.strip().casefold():
            return group
    raise NotFoundError(_("There is no group named {name}.").format(name=name))


def list_groups(args: argparse.Namespace) -> int:
    with open_for(args, writable=False) as db:
        rows = dependency_service.group_rows(db, rolling_12_months(clock.today()))
    if not rows:
        print(_("No groups yet."))
    for row in rows:
        clients = ", ".join(row.clients) or _("no clients")
        print(f"{row.name}\t{formatting.money(row.net)}\t{clients}")
    return 0


def add_group(args: argparse.Namespace) -> int:
    with open_for(args, writable=True) as db:
        group = groups_service.create_group(db, {"name": args.name})
    print(_("Group {name} created.").format(name=group.name))
    return 0


def rename_group(args: argparse.Namespace) -> int:
    with open_for(args, writable=True) as db:
        group = groups_service.update_group(db, _group(db, args.name).id, {"name": args.new_name})  # type: ignore[arg-type]  # read from the table: the id is set
    print(_("Group renamed to {name}.").format(name=group.name))
    return 0


def delete_group(args: argparse.Namespace) -> int:
    with open_for(args, writable=True) as db:
        group = _group(db, args.name)
        groups_service.delete_group(db, group.id)  # type: ignore[arg-type]  # read from the table: the id is set
    print(_("Group {name} deleted.").format(name=group.name))
    return 0


def assign_client(args: argparse.Namespace) -> int:
    with open_for(args, writable=True) as db:
        group = _group(db, args.group)
        client = clients_service.find_client(db, args.client)
        groups_service.assign_client(db, client.id, group.id)  # type: ignore[arg-type]  # read from the table: the id is set
    print(_("{client} now belongs to {group}.").format(client=client.name, group=group.name))
    return 0


def release_client(args: argparse.Namespace) -> int:
    with open_for(args, writable=True) as db:
        client = clients_service.find_client(db, args.client)
        groups_service.assign_client(db, client.id, None)  # type: ignore[arg-type]  # read from the table: the id is set
    print(_("{client} no longer belongs to a group.").format(client=client.name))
    return 0


def self_check(args: argparse.Namespace) -> int:
    with open_for(args, writable=bool(args.tick or args.untick)) as db:
        if args.tick or args.untick:
            ticked = self_check_service.change(db, tick=args.tick, untick=args.untick)
        else:
            ticked = self_check_service.ticked(db)
    for indicator in INDICATORS:
        mark = "x" if indicator.key in ticked else " "
        print(f"[{mark}] {indicator.key:<17} {_(indicator.label)}")
    print()
    print(
        _("{count} of {total} indicators ticked.").format(count=len(ticked), total=len(INDICATORS))
    )
    print(_(NOT_LEGAL_ADVICE))
    print(_(FOUNDERS_NOTE))
    return 0
