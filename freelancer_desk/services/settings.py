"""Reading and changing the domain settings declared in ``freelancer_desk.settings``."""

from __future__ import annotations

from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from sqlmodel import select

from freelancer_desk.db import Database
from freelancer_desk.errors import InputError
from freelancer_desk.i18n import _
from freelancer_desk.models import Setting
from freelancer_desk.settings import VAT_SCHEMES, DeskSettings, encode, from_stored

_TYPES = {key: kind for key, kind, *_rest in DeskSettings.declared()}


def load(db: Database) -> DeskSettings:
    """The stored settings, with the declared default for anything not stored."""
    with db.session() as session:
        stored = {row.key: row.value for row in session.exec(select(Setting)).all()}
    return from_stored(stored)


def save(db: Database, **changes: Any) -> DeskSettings:
    """Store changed settings; unknown keys and wrong types are refused."""
    current = load(db)
    for key, value in changes.items():
        if key not in _TYPES:
            raise InputError(key, _("is not a setting"))
        if not isinstance(value, _TYPES[key]):
            raise InputError(key, _("has the wrong type"))
    updated = replace(current, **changes)
    _check(updated)
    with db.session() as session:
        for key, value in changes.items():
            session.merge(Setting(key=key, value=encode(value)))
    return updated


def reset(db: Database, keys: list[str] | None = None) -> DeskSettings:
    """Back to the declared defaults (all settings, or the given keys)."""
    names = keys or [f.name for f in fields(DeskSettings)]
    with db.session() as session:
        for key in names:
            row = session.get(Setting, key)
            if row is not None:
                session.delete(row)
    return load(db)


def _check(settings: DeskSettings) -> None:
    if not 0 < settings.warning_share < settings.critical_share <= 1:
        raise InputError(
            "warning_share", _("the warning share must be above 0 and below the critical share")
        )
    if settings.basis not in ("invoice", "paid"):
        raise InputError("basis", _("must be 'invoice' or 'paid'"))
    if settings.vat_scheme not in VAT_SCHEMES:
        raise InputError("vat_scheme", _("must be 'regular' or 'small_business'"))
    if not 0 <= settings.default_vat_rate < 1:
        raise InputError("default_vat_rate", _("must be at least 0 % and below 100 %"))
    if settings.sleeping_days < 1:
        raise InputError("sleeping_days", _("must be at least 1"))
    for key in (
        "warning_recent_months",
        "warning_usual_months",
        "warning_min_orders",
        "warning_late_days",
        "warning_rise_factor",
        "warning_min_events",
    ):
        if getattr(settings, key) < 1:
            raise InputError(key, _("must be at least 1"))
    if settings.backup_keep_daily < 1:
        raise InputError("backup_keep_daily", _("must be at least 1"))
    if not 0 <= settings.new_clients_every_weeks <= 52:
        raise InputError("new_clients_every_weeks", _("must be between 0 and 52"))
    for key in ("backup_keep_weekly", "backup_keep_monthly"):
        if getattr(settings, key) < 0:
            raise InputError(key, _("must not be negative"))
    if settings.backup_folder and not Path(settings.backup_folder).expanduser().is_absolute():
        raise InputError("backup_folder", _("give the full path of the folder"))
    for key in ("warning_fewer_orders", "warning_smaller_orders"):
        if not 0 < getattr(settings, key) < 1:
            raise InputError(key, _("must be above 0 and below 1"))
