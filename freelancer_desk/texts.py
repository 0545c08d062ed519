"""Explanations that are decided once and translated whenever they are shown.

A verdict or a warning sign is computed in the core, but the GUI may switch language and a PDF
may print in another one. So the core keeps the untranslated message and its values; dates and
money are formatted in the language asked for, at the moment the text is shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from freelancer_desk import formatting
from freelancer_desk.i18n import current_language, translations


@dataclass(frozen=True)
class Text:
    """An ``N_`` message with ``{placeholders}`` and their values.

    Dates are shown as dates and ``Decimal`` values as money; numbers that must look like
    numbers are passed as ``Rate`` (one decimal) so that each language writes its own comma.
    """

    message: str
    params: Mapping[str, Any] = field(default_factory=dict)
    #: The plural form of ``message`` (from ``N_plural``), chosen by the parameter ``count``.
    plural: str | None = None
    count: str = "count"

    @classmethod
    def counted(
        cls, forms: tuple[str, str], params: Mapping[str, Any], count: str = "count"
    ) -> Text:
        """A text with a singular and a plural form, ``forms`` from ``N_plural``; the number
        in ``params[count]`` chooses between them in each language."""
        return cls(forms[0], params, plural=forms[1], count=count)

    def render(self, lang: str | None = None) -> str:
        """The text in ``lang`` (None: the current language)."""
        catalogue = translations(lang or current_language())
        if self.plural is None:
            template = catalogue.gettext(self.message)
        else:
            template = catalogue.ngettext(self.message, self.plural, self.params[self.count])
        values = {key: _format(value, lang) for key, value in self.params.items()}
        return template.format(**values)

    def __str__(self) -> str:
        return self.render()


@dataclass(frozen=True)
class Rate:
    """A number shown with one decimal (``1.5`` / ``1,5``): orders a month and the like."""

    value: float


def _format(value: Any, lang: str | None) -> Any:
    if isinstance(value, Text):
        return value.render(lang)
    if isinstance(value, dt.date):
        return formatting.date(value, lang)
    if isinstance(value, Decimal):
        return formatting.money(value, lang)
    if isinstance(value, Rate):
        return formatting.number(value.value, lang, digits=1)
    return value
