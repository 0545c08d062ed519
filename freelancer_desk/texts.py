"""Explanations that are decided once and translated whenever they are shown.

A verdict or a warning sign is computed in the core, but the GUI may switch language and a PDF
may print in another one. So the core keeps the untranslated message and its values; dates and
money are formatted in the language asked for, at the moment the text is shown.

A text can also be kept in the database (a lost client's look back at the signs that showed
before the loss): ``Text.to_data`` and ``Text.from_data`` turn it into plain JSON values and
back, with each value's kind.
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
    A choice value (loss type, channel …) passed as ``Label`` is shown by its translated name,
    text the user keeps in both languages (the reason catalogue) as ``InLanguages``, and a list
    of phrases (a checklist's open points) as ``Phrases``.
    A text made by ``Text.counted`` has a plural form, picked by the whole number named
    ``count``; a parameter may itself be a ``Text`` (rendered in the same language).
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

    def to_data(self) -> dict[str, Any]:
        """The text as plain JSON values (each parameter tagged with its kind)."""
        data: dict[str, Any] = {
            "message": self.message,
            "params": {key: _tagged(value) for key, value in self.params.items()},
        }
        if self.plural is not None:
            data["plural"], data["count"] = self.plural, self.count
        return data

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Text:
        """The text ``to_data`` made; ValueError or KeyError when the data are damaged."""
        return cls(
            str(data["message"]),
            {key: _untagged(value) for key, value in dict(data.get("params", {})).items()},
            data.get("plural"),
            data.get("count", "count"),
        )


@dataclass(frozen=True)
class Rate:
    """A number shown with one decimal (``1.5`` / ``1,5``): orders a month and the like."""

    value: float


@dataclass(frozen=True)
class Label:
    """A choice value (``pushed``, ``phone`` …), shown by its translated name."""

    value: str


@dataclass(frozen=True)
class Phrases:
    """Several ``N_`` phrases, each translated and joined with "; " (a checklist's points)."""

    messages: tuple[str, ...]


@dataclass(frozen=True)
class InLanguages:
    """A text the user keeps in German and English (the reason catalogue's labels, measures)."""

    de: str
    en: str

    def pick(self, lang: str | None) -> str:
        """The text in ``lang`` (None: the current language)."""
        return self.de if (lang or current_language()) == "de" else self.en


def _format(value: Any, lang: str | None) -> Any:
    if isinstance(value, Text):
        return value.render(lang)
    if isinstance(value, dt.date):
        return formatting.date(value, lang)
    if isinstance(value, Decimal):
        return formatting.money(value, lang)
    if isinstance(value, Rate):
        return formatting.number(value.value, lang, digits=1)
    if isinstance(value, Label):
        from freelancer_desk.choices import LABELS

        return translations(lang or current_language()).gettext(
            LABELS.get(value.value, value.value)
        )
    if isinstance(value, InLanguages):
        return value.pick(lang)
    if isinstance(value, Phrases):
        catalogue = translations(lang or current_language())
        return "; ".join(catalogue.gettext(message) for message in value.messages)
    return value


def _tagged(value: Any) -> Any:
    """A parameter as a JSON value that says what it was."""
    if isinstance(value, Text):
        return {"text": value.to_data()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"money": str(value)}
    if isinstance(value, Rate):
        return {"rate": value.value}
    if isinstance(value, Label):
        return {"label": value.value}
    if isinstance(value, InLanguages):
        return {"de": value.de, "en": value.en}
    if isinstance(value, Phrases):
        return {"phrases": list(value.messages)}
    return value


def _untagged(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    if "text" in value:
        return Text.from_data(value["text"])
    if "date" in value:
        return dt.date.fromisoformat(value["date"])
    if "money" in value:
        return Decimal(value["money"])
    if "rate" in value:
        return Rate(float(value["rate"]))
    if "label" in value:
        return Label(str(value["label"]))
    if "phrases" in value:
        return Phrases(tuple(str(message) for message in value["phrases"]))
    return InLanguages(str(value["de"]), str(value["en"]))
