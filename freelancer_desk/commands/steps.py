"""``next``: the step plan (what to do next, for whom, why, how, by when), and deciding steps.

``next`` lists the plan as of a day (``--json`` for scripts); ``next accept ID`` turns a step
into a reminder or a planned feedback request (accepting twice changes nothing), ``next dismiss
ID`` keeps it away for good and ``next snooze ID --until D`` until a day.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

from freelancer_desk import clock
from freelancer_desk.commands.common import iso_date, open_for
from freelancer_desk.i18n import _


def register(subparsers: argparse._SubParsersAction) -> None:
    from freelancer_desk.cli import db_option

    parser = subparsers.add_parser(
        "next", help=_("the next steps: whom to contact, why, how and by when")
    )
    db_option(parser)
    _as_of_option(parser, None)
    parser.add_argument("--json", action="store_true", help=_("print the plan as JSON"))
    parser.set_defaults(handler=list_steps)
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    for name, help_text, handler in (
        ("accept", _("turn a step into a reminder or a planned request"), accept),
        ("dismiss", _("never show a step again"), dismiss),
        ("snooze", _("keep a step away until a day"), snooze),
    ):
        action = actions.add_parser(name, help=help_text)
        action.add_argument("step_id", metavar="ID", help=_("the step's id, as the list shows it"))
        db_option(action)
        _as_of_option(action, argparse.SUPPRESS)
        if name == "snooze":
            action.add_argument(
                "--until",
                type=iso_date,
                required=True,
                metavar="YYYY-MM-DD",
                help=_("the day the step comes back"),
            )
        action.set_defaults(handler=handler)


def _as_of_option(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument(
        "--as-of",
        type=iso_date,
        default=default,
        metavar="YYYY-MM-DD",
        help=_("the day to look from (default: today)"),
    )


def _day(args: argparse.Namespace) -> dt.date:
    return getattr(args, "as_of", None) or clock.today()


def list_steps(args: argparse.Namespace) -> int:
    from freelancer_desk import formatting
    from freelancer_desk.services.steps import plan, to_json

    day = _day(args)
    with open_for(args, writable=False) as db:
        steps = plan(db, day)
    if args.json:
        json.dump(to_json(steps, day), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    print(_("Next steps as of {day}").format(day=formatting.date(day)))
    if not steps:
        print(_("Nothing to do right now."))
    for number, step in enumerate(steps, start=1):
        channel = _("no contact") if step.channel is None else _label(step.channel)
        facts = [step.kind_label(), step.subject_in(), channel]
        facts.append(_("due {date}").format(date=formatting.date(step.due)))
        if step.stake is not None:
            facts.append(step.stake_in())
        print(f"{number}. " + " · ".join(facts))
        print("   " + _("Why: {text}").format(text=step.why_in()))
        print("   " + _("What: {text}").format(text=step.what_in()))
        print("   " + _("ID: {id}").format(id=step.id))
    return 0


def _label(value: str) -> str:
    from freelancer_desk.models import label

    return label(value)


def accept(args: argparse.Namespace) -> int:
    from freelancer_desk.services import steps

    with open_for(args, writable=True) as db:
        print(steps.accept(db, args.step_id, _day(args)).message)
    return 0


def dismiss(args: argparse.Namespace) -> int:
    from freelancer_desk.services import steps

    with open_for(args, writable=True) as db:
        print(steps.dismiss(db, args.step_id, _day(args)).message)
    return 0


def snooze(args: argparse.Namespace) -> int:
    from freelancer_desk.services import steps

    with open_for(args, writable=True) as db:
        print(steps.snooze(db, args.step_id, args.until, _day(args)).message)
    return 0
