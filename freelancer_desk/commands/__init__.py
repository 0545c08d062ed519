"""Subcommands, one module per area; each has ``register(subparsers)``.

A handler receives the parsed arguments and returns the exit code. Handlers raise DeskError
for anything the user can fix; ``cli.main`` prints it as one line on stderr.
"""

from __future__ import annotations

from freelancer_desk.commands import (
    clients,
    demo,
    dependency,
    importing,
    reminders,
    reports,
    safety,
    status,
    steps,
)

COMMAND_MODULES = [status, steps, dependency, demo, reminders, safety, reports, importing, clients]
