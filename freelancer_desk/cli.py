"""The command line of Freelancer Desk; without a subcommand it opens the window.

``main.py`` hands in the function that starts the GUI, so that this module (like all of the
core) never imports Qt. Subcommands live in ``freelancer_desk.commands``, one module per area.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from freelancer_desk import APP_NAME, __version__, logs
from freelancer_desk.commands import COMMANDS, modules_for
from freelancer_desk.faults import explain
from freelancer_desk.i18n import LANGUAGES, _, set_language, system_language
from freelancer_desk.paths import DB_ENV_VAR, default_db_path

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GuiOptions:
    """What the GUI needs to start."""

    db_path: Path
    smoke: bool
    language: str | None


def db_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--db PATH`` to a parser (given after the subcommand it overrides the global one)."""
    parser.add_argument(
        "--db",
        type=Path,
        default=argparse.SUPPRESS,
        metavar="PATH",
        help=_("database file (default: ${var} or the user data folder)").replace(
            "${var}", DB_ENV_VAR
        ),
    )


class _Parser(argparse.ArgumentParser):
    """argparse that reports bad input in one line (subcommand parsers inherit the class)."""

    def error(self, message: str) -> NoReturn:
        self.exit(
            2, _("{prog}: {message} (see --help)").format(prog=self.prog, message=message) + "\n"
        )


def build_parser(command: str | None = None, *, commands: bool = True) -> argparse.ArgumentParser:
    """The command line with every area's subcommands, or with those of ``command``'s area
    only (then the other areas' modules are not imported), or without any (``commands=False``:
    the window's options alone)."""
    parser = _Parser(
        prog="freelancer-desk",
        description=_("{app}: keep your clients, stay independent of any single one.").format(
            app=APP_NAME
        ),
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    db_option(parser)
    parser.add_argument(
        "--lang", choices=LANGUAGES, help=_("language of the app (default: the system's)")
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help=_(
            "start the window, wait until the dashboard is painted, print the milliseconds, quit"
        ),
    )
    if not commands:
        parser.set_defaults(command=None)
        return parser
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in modules_for(command):
        module.register(subparsers)
    return parser


def resolve_db(args: argparse.Namespace) -> Path:
    """The database named by ``--db``, else ``FREELANCER_DESK_DB``, else the default."""
    return Path(args.db).expanduser() if getattr(args, "db", None) else default_db_path()


def main(
    argv: Sequence[str] | None = None,
    launch_gui: Callable[[GuiOptions], int] | None = None,
) -> int:
    """Run the command line; returns the process exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    logs.setup()
    set_language(_language_asked(argv) or system_language())
    command = _command_asked(argv)
    parser = build_parser(command, commands=command is not None or not _window_asked(argv))
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            if launch_gui is None:
                parser.error(_("no window available here; give a command"))
            return launch_gui(GuiOptions(resolve_db(args), args.smoke, args.lang))
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        log.info("%s: interrupted", _what(args))
        print(_("freelancer-desk: interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (``status --json | head``): not an error of ours. Point stdout
        # at devnull so that the interpreter's final flush does not complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:
        # A fault the user can act on (a DeskError, or the disk or the database file in words)
        # is said as such; a mistake of ours gets one line. Both go to the log with traceback.
        logs.caught(exc, _what(args))
        fault = explain(exc, getattr(args, "db", None))
        if fault is None:
            print(
                _("freelancer-desk: unexpected error: {error} (details in {log})").format(
                    error=exc, log=logs.log_file()
                ),
                file=sys.stderr,
            )
        else:
            print(f"freelancer-desk: {fault}", file=sys.stderr)
        return 1


def _what(args: argparse.Namespace) -> str:
    """The command, the files it was given and the database it worked on, for the log line of
    a failure (``import revenue of /home/ana/Umsätze.csv on /home/ana/desk.sqlite3``)."""
    command = " ".join(filter(None, (args.command or "window", getattr(args, "import_kind", None))))
    given = [getattr(args, name, None) for name in ("file", "source")]
    given += getattr(args, "paths", None) or []
    files = ", ".join(str(path) for path in given if isinstance(path, Path))
    try:
        database: Path | str = resolve_db(args)
    except OSError as exc:  # no user data folder: the log line is still worth writing
        database = f"? ({exc})"
    return f"{command} of {files} on {database}" if files else f"{command} on {database}"


def _command_asked(argv: Sequence[str]) -> str | None:
    """The command word of ``argv`` (the first word that names one), None without it or when
    help is asked for before it."""
    for word in argv:
        if word in ("-h", "--help"):
            return None
        if word in COMMANDS:
            return word
    return None


def _window_asked(argv: Sequence[str]) -> bool:
    """True when ``argv`` holds the window's options only: the window then starts without
    loading any command's module."""
    if any(word in ("-h", "--help") for word in argv):
        return False
    _known, rest = build_parser(commands=False).parse_known_args(argv)
    return not rest


def _language_asked(argv: Sequence[str]) -> str | None:
    """``--lang xx`` read before parsing, so that argparse's own messages are translated too."""
    for index, word in enumerate(argv):
        value = (
            word.partition("=")[2]
            if word.startswith("--lang=")
            else (argv[index + 1] if word == "--lang" and index + 1 < len(argv) else None)
        )
        if value in LANGUAGES:
            return value
    return None
