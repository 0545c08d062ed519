"""``report`` and ``dossier``: the printed review of a period and the client dossier (a call
brief and the client's file)."""

from __future__ import annotations

import argparse
from pathlib import Path

from freelancer_desk import clock
from freelancer_desk.analytics.periods import rolling_12_months
from freelancer_desk.commands.common import add_period_options, open_for, period_from_args
from freelancer_desk.errors import InputError
from freelancer_desk.i18n import LANGUAGES, _, current_language
from freelancer_desk.services import clients as clients_service


class _SectionsHelp(argparse.HelpFormatter):
    """Lists the review's sections only when help is shown.

    The sections live with their PDF code, which needs reportlab; every other command would
    load it for nothing at start.
    """

    def _expand_help(self, action: argparse.Action) -> str:
        if action.dest != "sections":
            return super()._expand_help(action)
        from freelancer_desk.reports.review import available_sections

        return (
            super()
            ._expand_help(action)
            .format(keys=", ".join(key for key, _title in available_sections()))
        )


def register(subparsers: argparse._SubParsersAction) -> None:
    from freelancer_desk.cli import db_option

    report = subparsers.add_parser(
        "report",
        help=_("write the review of a year, quarter or 12 months as PDF"),
        formatter_class=_SectionsHelp,
    )
    db_option(report)
    add_period_options(report)
    report.add_argument("--sections", metavar="KEY,KEY", help=_("only these sections: {keys}"))
    _output_options(report)
    report.set_defaults(handler=run_report)

    about = _("write a client's dossier as PDF: a call brief and the client's file")
    dossier = subparsers.add_parser("dossier", help=about, description=about)
    db_option(dossier)
    dossier.add_argument("--client", required=True, metavar="NAME", help=_("the client's name"))
    add_period_options(dossier)
    _output_options(dossier)
    dossier.set_defaults(handler=run_dossier)


def _output_options(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS keeps a --lang given before the command (the app's language) as the default.
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=argparse.SUPPRESS,
        help=_("language of the PDF (default: the app's)"),
    )
    parser.add_argument(
        "--out", type=Path, required=True, metavar="FILE.pdf", help=_("where to write the PDF")
    )


def _sections(text: str | None) -> frozenset[str] | None:
    if text is None:
        return None
    from freelancer_desk.reports.review import available_sections

    known = [key for key, _title in available_sections()]
    chosen = frozenset(part.strip() for part in text.split(",") if part.strip())
    unknown = sorted(chosen - set(known))
    if unknown or not chosen:
        raise InputError("--sections", _("choose from {keys}").format(keys=", ".join(known)))
    return chosen


def run_report(args: argparse.Namespace) -> int:
    from freelancer_desk.reports.review import ReviewRequest, build_review

    today = clock.today()
    request = ReviewRequest(
        period=period_from_args(args, today) or rolling_12_months(args.as_of or today),
        as_of=args.as_of,
        lang=getattr(args, "lang", None) or current_language(),
        sections=_sections(args.sections),
        made_on=today,
    )
    with open_for(args, writable=False) as db:
        out = build_review(db, request, args.out)
    print(out)
    return 0


def run_dossier(args: argparse.Namespace) -> int:
    from freelancer_desk.reports.dossier import build_dossier

    today = clock.today()
    period = period_from_args(args, today)
    with open_for(args, writable=False) as db:
        client = clients_service.find_client(db, args.client)
        assert client.id is not None
        out = build_dossier(
            db,
            client.id,
            args.out,
            getattr(args, "lang", None) or current_language(),
            args.as_of,
            period=period,
            today=today,
        )
    print(out)
    return 0
