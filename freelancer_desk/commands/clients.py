"""``client``: work with one client from scripts (``client interaction add`` logs a contact,
``client erase`` erases a client's personal data on request)."""

from __future__ import annotations

import argparse
import sys

from freelancer_desk.commands.common import iso_date, open_for
from freelancer_desk.i18n import _
from freelancer_desk.models import Channel, InteractionKind, label
from freelancer_desk.services import clients as clients_service
from freelancer_desk.services import interactions as interactions_service
from freelancer_desk.services import privacy as privacy_service

#: Kinds a script may log; "feedback" comes in through feedback requests instead.
KINDS = ("complaint", "unreachable", "chasing", "contact", "praise")


def register(subparsers: argparse._SubParsersAction) -> None:
    from freelancer_desk.cli import db_option

    client = subparsers.add_parser("client", help=_("work with one client"))
    db_option(client)
    topics = client.add_subparsers(dest="topic", metavar="TOPIC", required=True)
    interaction = topics.add_parser("interaction", help=_("the interaction log of a client"))
    db_option(interaction)
    actions = interaction.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add", help=_("log a contact, complaint, praise, unreachable try or chased order")
    )
    db_option(add)
    add.add_argument("--client", required=True, metavar="NAME", help=_("the client's name"))
    add.add_argument(
        "--date", required=True, type=iso_date, metavar="YYYY-MM-DD", help=_("when it happened")
    )
    add.add_argument("--kind", required=True, choices=KINDS, help=_("what happened"))
    add.add_argument(
        "--channel",
        choices=[c.value for c in Channel],
        default=Channel.PHONE.value,
        help=_("how (default: phone)"),
    )
    add.add_argument(
        "--note", default=None, metavar="TEXT", help=_("what was said, and how the client felt")
    )
    add.set_defaults(handler=add_interaction)
    erase = topics.add_parser(
        "erase", help=_("erase a client's personal data on request (GDPR); revenue stays")
    )
    db_option(erase)
    erase.add_argument("--client", required=True, metavar="NAME", help=_("the client's name"))
    erase.add_argument(
        "--yes", action="store_true", help=_("really erase (without it, only say what happens)")
    )
    erase.set_defaults(handler=erase_client)


def add_interaction(args: argparse.Namespace) -> int:
    with open_for(args, writable=True) as db:
        client = clients_service.find_client(db, args.client)
        interactions_service.create_interaction(
            db,
            {
                "client_id": client.id,
                "date": args.date,
                "kind": args.kind,
                "channel": args.channel,
                "notes": args.note,
            },
        )
    print(
        _("Logged for {client} on {date}: {kind}").format(
            client=client.name, date=args.date.isoformat(), kind=label(InteractionKind(args.kind))
        )
    )
    return 0


def erase_client(args: argparse.Namespace) -> int:
    with open_for(args, writable=True) as db:
        client = clients_service.find_client(db, args.client)
        if not args.yes:
            print(_("Erase the personal data of {name}?").format(name=client.name))
            print(_(privacy_service.WHAT_ERASE_DOES))
            print(_(privacy_service.OUTSIDE_REACH))
            print(_("Nothing was erased. Add --yes to erase."), file=sys.stderr)
            return 1
        assert client.id is not None  # found in the database: it has its id
        result = privacy_service.erase_client(db, client.id)
    for line in privacy_service.report(result):
        print(line)
    return 0
