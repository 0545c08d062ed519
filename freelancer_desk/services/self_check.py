"""Storing the ticks of the false self-employment self-check in the ``setting`` table.

The ticks are one JSON list under one key, beside the declared settings (which ignore unknown
keys), so that the CLI, the dashboard and the PDF read the same ticks.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlmodel import Session

from freelancer_desk.db import Database
from freelancer_desk.errors import InputError
from freelancer_desk.i18n import _
from freelancer_desk.models import Setting
from freelancer_desk.self_check import INDICATOR_KEYS

SETTING_KEY = "dependency.self_check"


def _read(session: Session) -> frozenset[str]:
    row = session.get(Setting, SETTING_KEY)
    try:
        keys = json.loads(row.value) if row is not None else []
    except ValueError:
        return frozenset()
    if not isinstance(keys, list):
        return frozenset()
    return frozenset(key for key in keys if isinstance(key, str) and key in INDICATOR_KEYS)


def ticked(db: Database) -> frozenset[str]:
    """The keys of the indicators the user ticked (a damaged stored value counts as none)."""
    with db.session() as session:
        return _read(session)


def change(db: Database, tick: Iterable[str] = (), untick: Iterable[str] = ()) -> frozenset[str]:
    """Tick and untick indicators in one go (all or nothing); returns the ticks now stored."""
    on, off = frozenset(tick), frozenset(untick)
    unknown = sorted((on | off) - INDICATOR_KEYS)
    if unknown:
        raise InputError(
            "indicator",
            _("{key!r} is not one of: {keys}").format(
                key=unknown[0], keys=", ".join(sorted(INDICATOR_KEYS))
            ),
        )
    with db.session() as session:
        keys = (_read(session) | on) - off
        session.merge(Setting(key=SETTING_KEY, value=json.dumps(sorted(keys))))
    return keys
