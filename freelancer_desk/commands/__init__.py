"""Subcommands, one module per area; each has ``register(subparsers)``.

A handler receives the parsed arguments and returns the exit code. Handlers raise DeskError
for anything the user can fix; ``cli.main`` prints it as one line on stderr.

Modules are imported by name when the parser is built, and a command line that names one
command loads only that command's module (``modules_for``): ``status`` then starts without the
importers, the reports and the ORM models the other commands need.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from types import ModuleType

#: The modules, in the order ``--help`` lists their commands.
COMMAND_MODULES = (
    "status",
    "steps",
    "dependency",
    "demo",
    "reminders",
    "safety",
    "reports",
    "importing",
    "clients",
)
#: Each command word and the module that registers it (``tests/cli/test_cli_foundation.py``
#: keeps the two in step).
COMMANDS = {
    "status": "status",
    "next": "steps",
    "groups": "dependency",
    "self-check": "dependency",
    "demo": "demo",
    "remind": "reminders",
    "check": "safety",
    "backup": "safety",
    "restore": "safety",
    "report": "reports",
    "dossier": "reports",
    "import": "importing",
    "export": "importing",
    "client": "clients",
}


def modules_for(command: str | None) -> list[ModuleType]:
    """The module of ``command``, or every module (no command, ``--help``, a typo)."""
    names: Sequence[str] = [COMMANDS[command]] if command in COMMANDS else COMMAND_MODULES
    return [importlib.import_module(f"{__name__}.{name}") for name in names]
