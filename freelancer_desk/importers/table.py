"""Finding the table in a file: delimiter, header row, data rows, and the lines around them.

Tools write info lines above the header ("Export vom 01.01.2026", "Zeitraum: 2025") and a
totals row below the data. The header row is the one among the first lines that names the most
fields; the delimiter is the one under which such a header is found (ties go to the one that
keeps the rows most even). Footer lines at the end (totals, "Summe", empty key cell) are
skipped and reported, never imported.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from freelancer_desk.i18n import N_, _
from freelancer_desk.importers.extf import ExtfHeader
from freelancer_desk.importers.fields import (
    ColumnMap,
    FieldSpec,
    HeaderSet,
    header_key,
    recognise,
    score_header,
)
from freelancer_desk.importers.reading import (
    DELIMITERS,
    ImportFileError,
    SourceRow,
    check_line_lengths,
    decode,
    exported_cells,
    split_rows,
)
from freelancer_desk.names import fold

#: How many records from the top may stand above the header row.
HEADER_SEARCH_ROWS = 30

_TOTALS_WORDS = r"(summe|summen|gesamt|gesamtsumme|endsumme|insgesamt|total|totals|sum)\b"
_TOTALS = re.compile(rf"^{_TOTALS_WORDS}[\s:.\d]*(netto|brutto|net|gross)?[\s:.]*$")
#: ``Summe (3 Rechnungen)``, ``Total EUR``: a totals word first, then anything.
_TOTALS_START = re.compile(rf"^{_TOTALS_WORDS}")

#: Why a line of the file was not read as data (shown in the summary).
INFO_LINE = N_("info line above the header")
FOOTER_LINE = N_("totals or footer line")
DATEV_HEADER_LINE = N_("DATEV format header")


@dataclass(frozen=True)
class Table:
    """The located table of one file, with its recognised (or overridden) mapping."""

    encoding: str
    delimiter: str
    header_line: int
    mapping: ColumnMap
    rows: tuple[SourceRow, ...]
    #: (line, untranslated reason) of every non-blank line that is not a data row.
    skipped: tuple[tuple[int, str], ...]
    #: The format header of a DATEV-Format file (None for other files).
    datev: ExtfHeader | None = None
    _distinct: dict[int, frozenset[str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def distinct(self, index: int) -> frozenset[str]:
        """The distinct cells of column ``index`` ("" for a row without it), worked out once
        per table: the date order is checked before planning and again by the planner."""
        found = self._distinct.get(index)
        if found is None:
            found = self._distinct[index] = frozenset(
                [row.cells[index] if index < len(row.cells) else "" for row in self.rows]
            )
        return found

    @property
    def signature(self) -> str:
        """Identity of the file's shape (its header), for remembering the mapping."""
        text = "\x1f".join(header_key(cell) for cell in self.mapping.header)
        return hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]

    def remap(
        self,
        specs: Sequence[FieldSpec],
        overrides: Mapping[str, str],
        sets: Sequence[HeaderSet] = (),
    ) -> Table:
        """The same table with the mapping recognised again under other overrides (its rows'
        distinct cells, worked out once, go with them)."""
        table = replace(self, mapping=recognise(self.mapping.header, specs, overrides, sets))
        object.__setattr__(table, "_distinct", self._distinct)  # the same rows, the same cells
        return table


def delimiter_name(delimiter: str) -> str:
    """How the summary names a delimiter."""
    names = {";": N_("semicolon"), ",": N_("comma"), "\t": N_("tab"), "|": N_("vertical bar")}
    return _(names[delimiter])


def locate(
    data: bytes,
    specs: Sequence[FieldSpec],
    overrides: Mapping[str, str],
    *,
    key_field: str,
    date_field: str | None = None,
    guess_header: bool = False,
    sets: Sequence[HeaderSet] = (),
    datev: ExtfHeader | None = None,
    advice: str | None = None,
) -> Table:
    """Decode ``data`` and find its header row, data rows and skipped lines.

    ``key_field`` is the field without which a trailing row is a footer (the client or name);
    a trailing row that has it empty, and no ``date_field`` value either, is a totals line.
    ``guess_header``: see ``_best_delimiter`` (the wizard lets the user map such a file).
    ``sets``: the header sets of known tools' exports. A DATEV-Format file (``datev``, its
    format header) has its column names on line 2 and semicolons. ``advice``: what to do
    when no header row is found (by default: add one, or map the columns).
    """
    decoded = decode(data)
    check_line_lengths(decoded.text)
    if datev is not None:
        delimiter, header_index = ";", 1
    else:
        delimiter, header_index = _best_delimiter(
            decoded.text, specs, overrides, guess_header, advice
        )
    rows = split_rows(decoded.text, delimiter)
    if header_index >= len(rows):
        raise ImportFileError(_("Line 2 should name the columns, but the file ends before it."))
    header = rows[header_index]
    mapping = recognise(header.cells, specs, overrides, sets)
    reason = DATEV_HEADER_LINE if datev is not None else INFO_LINE
    skipped = [(row.line, reason) for row in rows[:header_index]]
    body = list(rows[header_index + 1 :])
    if mapping.neutralised:
        body = exported_cells(body)
    key_column = mapping.index(key_field)
    date_column = mapping.index(date_field) if date_field else None
    while body and _is_footer(body[-1], key_column, date_column, len(header.cells)):
        skipped.append((body.pop().line, FOOTER_LINE))
    if not body:
        raise ImportFileError(
            _("Line {line} is the header row, but no data rows follow it.").format(line=header.line)
        )
    return Table(
        encoding=decoded.encoding,
        delimiter=delimiter,
        header_line=header.line,
        mapping=mapping,
        rows=tuple(body),
        skipped=tuple(sorted(skipped)),
        datev=datev,
    )


#: How many column names the message about a missing header row gives as examples.
EXAMPLE_COLUMNS = 4


def header_row(data: bytes, specs: Sequence[FieldSpec]) -> tuple[str, ...]:
    """The header row ``locate`` finds, read from the first lines only: enough to tell what a
    file holds without reading all of it."""
    text = decode(data).text
    delimiter, index = _best_delimiter(text, specs, {}, guess=False)
    return split_rows(text, delimiter, limit=index + 1)[index].cells


def _best_delimiter(
    text: str,
    specs: Sequence[FieldSpec],
    overrides: Mapping[str, str],
    guess: bool,
    advice: str | None = None,
) -> tuple[str, int]:
    """The delimiter under which a header row is found, and that row's index among the records.

    With ``guess``, a file whose header names no known field still yields a table: its header
    is the first row as wide as most rows, for the user to map by hand.
    """
    best: tuple[int, int, int] | None = None  # (score, evenness, -preference)
    choice = (DELIMITERS[0], 0)
    for preference, delimiter in enumerate(DELIMITERS):
        sample = split_rows(text, delimiter, limit=HEADER_SEARCH_ROWS + 20)
        scores = [score_header(row.cells, specs, overrides) for row in sample[:HEADER_SEARCH_ROWS]]
        if not scores or (max(scores) == 0 and not guess):
            continue
        if max(scores):
            index = scores.index(max(scores))
        else:
            widths = Counter(len(row.cells) for row in sample)
            index = next(
                i for i, row in enumerate(sample) if len(row.cells) == widths.most_common(1)[0][0]
            )
        width = len(sample[index].cells)
        evenness = sum(1 for row in sample[index + 1 :] if len(row.cells) == width)
        rank = (max(scores), evenness if width > 1 else -1, -preference)
        if best is None or rank > best:
            best, choice = rank, (delimiter, index)
    if best is None:
        named = [spec for spec in specs if spec.required] or list(specs[:EXAMPLE_COLUMNS])
        examples = ", ".join(spec.aliases[0] for spec in named)
        raise ImportFileError(
            _(
                "No header row found: none of the first {count} lines names a column such as "
                "{examples}. {advice}"
            ).format(
                count=HEADER_SEARCH_ROWS,
                examples=examples,
                advice=advice or _("Add a header row, or name the columns with a mapping."),
            )
        )
    return choice


def _is_footer(row: SourceRow, key_column: int | None, date_column: int | None, width: int) -> bool:
    """A trailing totals or footer line.

    It is one when it is only a totals word (``Summe netto:``), starts with one and has no
    date (``Summe (3 Rechnungen)``, ``Total EUR``), has neither key nor date, or is a line of
    text narrower than the table, such as ``Erstellt am 05.01.2026`` below the totals.
    """
    filled = [cell for cell in row.cells if cell]
    first = fold(filled[0]) if filled else ""
    no_date = date_column is None or not row.cell(date_column)
    if _TOTALS.match(first) or (no_date and _TOTALS_START.match(first)):
        return True
    if len(filled) == 1 and len(row.cells) < width and no_date:
        return True
    if key_column is None or row.cell(key_column):
        return False
    return no_date
