"""The page frame every PDF shares: fonts, A4 layout, header, footer, styles and tables.

Choices made for paper:
- DejaVu Sans from ``resources/fonts`` is embedded (subset) so that every name prints
  (Ł, ø, ğ …) and the text stays selectable and searchable; Helvetica could not draw them.
- Margins of 18–22 mm survive office printers, which cannot print the outer 5 mm or so.
- The footer says "Page 2 of 7" and the period; the total is only known after layout, so the
  canvas keeps each page and draws header and footer when the document is saved.
- Tables repeat their header row on every page they split onto and shade rows in grey, which
  reads the same on a black-and-white printer.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from freelancer_desk import APP_NAME, formatting
from freelancer_desk.comparison import MINUS
from freelancer_desk.errors import InputError
from freelancer_desk.i18n import LANGUAGES, N_, _, gettext_for
from freelancer_desk.models import LABELS
from freelancer_desk.names import SPACED_LEGAL_FORMS
from freelancer_desk.paths import resource

#: Choice labels that print says more formally than the app ("Had to chase an order").
PRINT_LABELS: dict[str, str] = {
    "chasing": N_("Order required follow-up"),
}

#: Called with (steps done, steps in all) while a document is made, e.g. for a progress bar.
Progress = Callable[[int, int], None]

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
FONT_BOLD_ITALIC = "DejaVuSans-BoldOblique"

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_LEFT = 20 * mm
MARGIN_RIGHT = 18 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 20 * mm
#: Width of the text block between the margins.
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
TEXT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM

#: Greys that stay apart on a black-and-white printer (darkest first).
INK = colors.HexColor("#1A1A1A")
GREYS = (
    colors.HexColor("#303030"),
    colors.HexColor("#6E6E6E"),
    colors.HexColor("#A6A6A6"),
    colors.HexColor("#D4D4D4"),
)
RULE = colors.HexColor("#8C8C8C")
HEADER_FILL = colors.HexColor("#D9D9D9")
ZEBRA_FILL = colors.HexColor("#F2F2F2")
MUTED = colors.HexColor("#595959")


@lru_cache(maxsize=1)
def register_fonts() -> str:
    """Register the DejaVu Sans family once; returns the family name for styles and charts."""
    for name, filename in (
        (FONT, "DejaVuSans.ttf"),
        (FONT_BOLD, "DejaVuSans-Bold.ttf"),
        (FONT_ITALIC, "DejaVuSans-Oblique.ttf"),
        (FONT_BOLD_ITALIC, "DejaVuSans-BoldOblique.ttf"),
    ):
        pdfmetrics.registerFont(TTFont(name, str(resource("fonts", filename))))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
    )
    return FONT


# --------------------------------------------------------------------------------------------
# Language of one document (it may differ from the GUI's)
# --------------------------------------------------------------------------------------------


def signed(number: str) -> str:
    """A formatted number as print writes it: a negative one with the real minus sign, not the
    hyphen of the app's formats (which a line could also break after)."""
    return number.replace("-", MINUS)


@dataclass(frozen=True)
class Language:
    """Words and number formats of one PDF, independent of the language the app runs in."""

    code: str

    def __post_init__(self) -> None:
        if self.code not in LANGUAGES:
            raise InputError(
                "lang",
                _("must be one of {choices}").format(choices=", ".join(LANGUAGES)),
                label="--lang",
            )

    def gettext(self, message: str) -> str:
        """``message`` translated into this document's language."""
        return gettext_for(self.code)(message)

    def label(self, value: object) -> str:
        """The display name of a choice value (loss type, channel …) in this language, in the
        formal words of print where the app's label is an everyday one (``PRINT_LABELS``)."""
        if value is None:
            return ""
        text = str(getattr(value, "value", value))
        return self.gettext(PRINT_LABELS.get(text) or LABELS.get(text, text))

    def money(self, amount: Decimal | float) -> str:
        """``1.234,56 €`` or ``€1,234.56``; ``−2,95 €`` below zero (``signed``)."""
        return signed(formatting.money(Decimal(str(amount)), self.code))

    def percent(self, fraction: float | Decimal | Fraction, digits: int = 1) -> str:
        """``83,3 %`` or ``83.3%``; exact shares (``Fraction``) are rounded only here."""
        if isinstance(fraction, Fraction):
            fraction = Decimal(fraction.numerator) / Decimal(fraction.denominator)
        return signed(formatting.percent(fraction, self.code, digits))

    def number(self, value: Decimal | float, digits: int = 0) -> str:
        """``10.000`` or ``10,000``; ``−2`` below zero (``signed``)."""
        return signed(formatting.number(value, self.code, digits))

    def date(self, value: Any) -> str:
        """``31.12.2025`` or ``31 Dec 2025`` (with no-break spaces: a date is never split)."""
        return formatting.date(value, self.code).replace(" ", NBSP)

    def span(self, first: Any, last: Any) -> str:
        """A period from its first to its last day, both printed; a line may break only after
        the dash."""
        return f"{self.date(first)}{NBSP}– {self.date(last)}"


# --------------------------------------------------------------------------------------------
# Paragraph styles and small building blocks
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def styles() -> dict[str, ParagraphStyle]:
    """The few paragraph styles all documents use, by name."""
    register_fonts()
    body = ParagraphStyle(
        "body",
        fontName=FONT,
        fontSize=9.5,
        leading=12.5,
        textColor=INK,
        alignment=TA_LEFT,
        spaceAfter=4,
    )
    return {
        "body": body,
        "title": ParagraphStyle(
            "title", parent=body, fontName=FONT_BOLD, fontSize=24, leading=30, spaceAfter=10
        ),
        "name": ParagraphStyle(
            "name", parent=body, fontName=FONT_BOLD, fontSize=19, leading=23, spaceAfter=2
        ),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=13, leading=17, spaceAfter=6),
        "h1": ParagraphStyle(
            "h1",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=15,
            leading=19,
            spaceBefore=6,
            spaceAfter=8,
            keepWithNext=1,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=11,
            leading=14,
            spaceBefore=10,
            spaceAfter=4,
            keepWithNext=1,
        ),
        # A cell's text wraps at spaces and after hyphens ("Nordlicht-|Gruppe"); its column is
        # made as wide as its longest word (``cell_width``), so no word is split inside.
        "cell": ParagraphStyle(
            "cell", parent=body, fontSize=8.5, leading=10.5, spaceAfter=0, embeddedHyphenation=1
        ),
        "cell_bold": ParagraphStyle(
            "cell_bold",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=8.5,
            leading=10.5,
            spaceAfter=0,
            embeddedHyphenation=1,
        ),
        "cell_bold_right": ParagraphStyle(
            "cell_bold_right",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=8.5,
            leading=10.5,
            spaceAfter=0,
            alignment=TA_RIGHT,
        ),
        "check": ParagraphStyle("check", parent=body, spaceAfter=0),
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=MUTED),
        "note": ParagraphStyle(
            "note",
            parent=body,
            fontName=FONT_ITALIC,
            fontSize=8.5,
            leading=11,
            textColor=MUTED,
            borderColor=RULE,
            borderWidth=0.5,
            borderPadding=5,
            spaceBefore=8,
            spaceAfter=10,
        ),
    }


#: The no-break space: what it joins stays on one line.
NBSP = "\xa0"

#: Spaces in print that must not break a line: after "§" and the abbreviations of a legal
#: reference ("§ 2 Satz 1 Nr. 9 SGB VI", "§ 7a SGB IV"), between a number and its unit
#: ("83,3 %", "5 €"), inside a law's name ("SGB VI") and after the arrow of a change.
_TIES = (
    re.compile(r"(§§?|Abs\.|Satz|Nr\.|S\.|sentence|no\.|para\.) (?=\w)"),
    re.compile(r"(?<=\d) (?=%|€|Pkt\.|pts\b)"),
    re.compile(r"(?<=[▲▼=]) (?=[+−±])"),
    re.compile(r"(?<=\b[A-Z]{2}[A-Z]) (?=[IVX]+\b|\d)"),
    re.compile(r"(?<=\d) (?=\(\d+[a-z]?\))|(?<=\)) (?=[A-Z]{2,}\b)"),  # "§ 6 (1a) SGB VI"
)


#: A legal form after a name ("Sp. z o.o.", "GmbH & Co. KG"): one piece on paper.
_LEGAL_FORM = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(form) for form in SPACED_LEGAL_FORMS) + r")(?!\w)"
)

#: An English date in a sentence ("28 Nov 2026"), written with plain spaces by the texts.
_DATE = re.compile(r"\b\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b")


def tie(text: str) -> str:
    """``text`` with no-break spaces where print must not break: legal references, units,
    dates, legal forms."""
    for pattern in _TIES:
        text = pattern.sub(lambda match: match.group(0)[:-1] + NBSP, text)
    for whole in (_DATE, _LEGAL_FORM):
        text = whole.sub(lambda match: match.group(0).replace(" ", NBSP), text)
    return text


def no_widow(text: str, room: float, style: ParagraphStyle) -> str:
    """``text`` with its last two words tied when together they fit in ``room`` (points) in
    ``style``: a label that wraps never leaves one word ("5/6", "darüber") alone on its last
    line, and a long word is never cut to keep two together."""
    head, space, last = text.rpartition(" ")
    if not space or " " not in head:
        return text
    pair = head.rpartition(" ")[2] + " " + last
    fits = stringWidth(pair, style.fontName, style.fontSize) <= room
    return f"{head}{NBSP}{last}" if fits else text


def para(text: str, style: str = "body") -> Paragraph:
    """A paragraph of plain text (escaped: names may contain ``&`` or ``<``); legal
    references and units are tied (``tie``)."""
    return Paragraph(escape(tie(text)).replace("\n", "<br/>"), styles()[style])


def rich(markup: str, style: str = "body") -> Paragraph:
    """A paragraph of reportlab markup (``<b>``, ``<i>``); the caller escapes what it inserts."""
    return Paragraph(tie(markup), styles()[style])


def due_cell(day: str, overdue: str | None) -> str | Paragraph:
    """A table cell with a due day and, for what is overdue, the word ``overdue`` in bold
    below it: the emphasis stays on what is late without a whole row in bold."""
    if overdue is None:
        return day
    return Paragraph(f"{escape(day)}<br/><b>{escape(overdue)}</b>", styles()["cell"])


def heading(text: str, level: int = 1) -> Paragraph:
    """A section (level 1) or sub-section (level 2) heading; also a PDF bookmark."""
    return para(text, f"h{level}")


#: reportlab's default left and right padding of a table cell.
CELL_PADDING = 6
#: The font size of table cells.
CELL_SIZE = 8.5

#: Where a line may break: after a run of spaces, or after a hyphen inside a word.
_BREAKS = re.compile(r"(?<=[ \-])(?=[^ ])")


#: What a shortened text does not end with before its "…" ("Hanse GmbH &…").
_LOOSE_ENDS = " ,;:-–&/("

#: The end of a sentence: a stop after a word of three or more characters, a number or a
#: bracket (not "Sp." or "e." inside a name; "10.02.2025" has no space after its dots).
_SENTENCE_END = re.compile(r"(?<=[^\s.]{3}[.!?])(?= )")
#: The end of an item in a list of reasons ("Mehr Reklamationen; Oft nicht erreichbar").
_ITEM_END = re.compile(r"(?=; )")


def shorten(text: str, room: float, measure: Callable[[str], float] = len) -> str:
    """``text`` whole when it measures at most ``room``, else cut where a reader loses least:
    after its last whole sentence that fits (its own full stop ends it, no "…"), else after
    the last whole item of a list ("; "), else after the last whole word (a hyphen ends a word
    too); the last two end with "…". A reader never gets half a word.

    ``measure`` is ``len`` for a count of characters, or a text width in points. Only a first
    word that is longer than the room by itself is cut inside, as the last resort.
    """
    if measure(text) <= room:
        return text
    for boundary, tail in ((_SENTENCE_END, ""), (_ITEM_END, "…")):
        fitting = [
            text[: end.start()]
            for end in boundary.finditer(text)
            if measure(text[: end.start()] + tail) <= room
        ]
        if fitting:
            return fitting[-1] + tail
    kept = ""
    for word in _BREAKS.split(text):
        if measure((kept + word).rstrip(_LOOSE_ENDS) + "…") > room:
            break
        kept += word
    if not kept:
        kept = text
        while kept and measure(kept + "…") > room:
            kept = kept[:-1]
    return kept.rstrip(_LOOSE_ENDS) + "…"


def cell_width(texts: Iterable[str], bold: bool = False, whole: bool = True) -> float:
    """The width a table column needs for ``texts``, padding included.

    ``whole``: each line of each text stays on one line (a date, an amount, a header). Else
    only each word must fit (a name that may wrap at a space or after a hyphen).
    """
    font = FONT_BOLD if bold else FONT
    pieces = [
        piece
        for text in texts
        for line in text.split("\n")
        for piece in ([line] if whole else _BREAKS.split(line))
    ]
    widest = max((stringWidth(piece.strip(), font, CELL_SIZE) for piece in pieces), default=0)
    return widest + 2 * CELL_PADDING + 1  # a point to spare: rounding must not wrap a line


#: Every table sets its font: reportlab's default cell font is Helvetica, which is not embedded.
#: Line height of table text, and the padding above and below each row of a data table.
CELL_LEADING = 10.5
ROW_PADDING = 2.5
#: The height of a data table's row of one-line plain strings: given to the table, so that
#: reportlab does not measure every row again each time the table is split across pages.
PLAIN_ROW_HEIGHT = CELL_LEADING + 2 * ROW_PADDING
_TABLE_BASE: tuple[tuple[Any, ...], ...] = (
    ("FONT", (0, 0), (-1, -1), FONT, 8.5, CELL_LEADING),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
)


#: Rows a table keeps together at either side of a page break: no page holds a lone row.
MIN_SPLIT_ROWS = 3


class _Rows(Table):
    """A table that leaves at least ``MIN_SPLIT_ROWS`` rows besides its ``header_rows`` on
    each side of a page break (a shorter one moves on whole): data tables, check lists and
    label/value lines alike.

    reportlab's split range holds for one split only (it shifts or drops it on the parts), so
    every part gets the rule again.
    """

    def __init__(self, *args: Any, header_rows: int = 1, **kwargs: Any) -> None:
        self.rule = (header_rows + MIN_SPLIT_ROWS, -MIN_SPLIT_ROWS)
        kwargs.setdefault("rowSplitRange", self.rule)
        super().__init__(*args, **kwargs)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = super().split(availWidth, availHeight)
        for part in parts:
            part._rowSplitRange = part.rule = self.rule
        return parts


def key_values(
    pairs: Sequence[tuple[str, str]], label_width: float = 60 * mm, width: float = TEXT_WIDTH
) -> Table:
    """Label/value lines without a grid, e.g. the key figures or a client's contact data."""
    cell, bold = styles()["cell"], styles()["cell_bold"]
    rows = [
        [
            Paragraph(escape(no_widow(tie(label), label_width - CELL_PADDING, bold)), bold),
            Paragraph(escape(tie(value)).replace("\n", "<br/>"), cell),
        ]
        for label, value in pairs
    ]
    table = _Rows(rows, colWidths=[label_width, width - label_width], hAlign="LEFT", header_rows=0)
    table.setStyle(
        TableStyle(
            [
                *_TABLE_BASE,
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return table


def _whole_words(
    widths: Sequence[float],
    header: Sequence[str],
    rows: Sequence[Sequence[str | Flowable]],
    numeric: set[int],
    bold_rows: set[int],
) -> list[float]:
    """``widths`` changed so that each column holds its longest word (a numeric column its
    widest figure, a header its longest word in bold); the room comes from the columns with
    the most to spare, so the table keeps its width."""
    needs = []
    for index, text in enumerate(header):
        need = cell_width([text], bold=True, whole=False)
        for bold in (False, True):
            texts = [
                row[index]
                for number, row in enumerate(rows)
                if isinstance(row[index], str) and (number in bold_rows) == bold
            ]
            need = max(need, cell_width(texts, bold=bold, whole=index in numeric))
        needs.append(need)
    lacking = [max(need - width, 0.0) for need, width in zip(needs, widths, strict=True)]
    spare = [max(width - need, 0.0) for need, width in zip(needs, widths, strict=True)]
    short, free = sum(lacking), sum(spare)
    if not short or not free:
        return list(widths)
    moved = min(short, free)
    return [
        width + lack * moved / short - room * moved / free
        for width, lack, room in zip(widths, lacking, spare, strict=True)
    ]


def data_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str | Flowable]],
    widths: Sequence[float],
    numeric: Sequence[int] = (),
    bold_rows: Sequence[int] = (),
) -> Table:
    """A table that splits across pages and repeats its header row on each.

    Text that is too wide for its column wraps (a long client name takes two lines instead of
    running into the next column); everything else stays a plain string, which lays out many
    times faster than a paragraph and keeps a 2,000-client table quick. ``numeric`` columns are
    right-aligned; ``bold_rows`` (indexes into ``rows``) are printed bold, e.g. what is overdue
    or a total. A cell may also be a flowable made by the caller, e.g. a paragraph with one
    word in bold. A page break leaves at least ``MIN_SPLIT_ROWS`` rows on each side; a shorter
    table moves to the next page whole. A column narrower than its longest word is widened at
    the cost of the others (``_whole_words``), so no word is split inside.
    """
    cell, bold = styles()["cell"], styles()["cell_bold"]
    numeric_set = set(numeric)
    widths = _whole_words(widths, header, rows, numeric_set, set(bold_rows))
    bold_right = styles()["cell_bold_right"]
    head = [
        Paragraph(escape(tie(text)), bold_right if index in numeric_set else bold)
        for index, text in enumerate(header)
    ]
    room = [width - 2 * CELL_PADDING for width in widths]
    bold_set = set(bold_rows)

    def fitted(index: int, value: str | Flowable, font: str) -> str | Flowable:
        if not isinstance(value, str):
            return value
        if index in numeric_set or (
            "\n" not in value and stringWidth(value, font, CELL_SIZE) <= room[index]
        ):
            return value
        style = bold if font == FONT_BOLD else cell
        return Paragraph(escape(tie(value)).replace("\n", "<br/>"), style)

    body = [
        [
            fitted(index, value, FONT_BOLD if number in bold_set else FONT)
            for index, value in enumerate(row)
        ]
        for number, row in enumerate(rows)
    ]
    heights = [
        None if any(isinstance(value, Paragraph) for value in row) else PLAIN_ROW_HEIGHT
        for row in body
    ]
    table = _Rows(
        [head, *body],
        colWidths=list(widths),
        rowHeights=[None, *heights],
        repeatRows=1,
        hAlign="LEFT",
    )
    commands: list[tuple[Any, ...]] = [
        *_TABLE_BASE,
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, -1), (-1, -1), 0.5, RULE),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA_FILL]),
        ("TOPPADDING", (0, 0), (-1, -1), ROW_PADDING),
        ("BOTTOMPADDING", (0, 0), (-1, -1), ROW_PADDING),
    ]
    for index in numeric_set:
        commands.append(("ALIGN", (index, 0), (index, -1), "RIGHT"))
    for number in bold_set:
        commands.append(("FONT", (0, number + 1), (-1, number + 1), FONT_BOLD, 8.5, 10.5))
    table.setStyle(TableStyle(commands))
    return table


def checklist(items: Sequence[tuple[bool, str, str]], width: float = TEXT_WIDTH) -> Table:
    """Ticked (☒) or open (☐) boxes, each with a line of text and a smaller hint below it."""
    line, small = styles()["check"], styles()["small"]
    rows = [
        [
            Paragraph("☒" if done else "☐", line),
            [Paragraph(escape(text), line), Paragraph(escape(hint), small)],
        ]
        for done, text, hint in items
    ]
    table = _Rows(rows, colWidths=[7 * mm, width - 7 * mm], hAlign="LEFT", header_rows=0)
    table.setStyle(
        TableStyle(
            [
                *_TABLE_BASE,
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table


def side_by_side(left: list[Flowable], right: list[Flowable], gap: float = 8 * mm) -> Table:
    """Two columns of flowables, each half the text width less half the gap."""
    half = (TEXT_WIDTH - gap) / 2
    table = Table([[left, right]], colWidths=[half + gap, half], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                *_TABLE_BASE,
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, -1), gap),
                ("RIGHTPADDING", (1, 0), (1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


#: Width of one column of ``side_by_side`` with the default gap.
HALF_WIDTH = (TEXT_WIDTH - 8 * mm) / 2


def note(text: str) -> Paragraph:
    """A framed, muted remark, e.g. "not legal advice"."""
    return para(text, "note")


# --------------------------------------------------------------------------------------------
# Pages: header, footer with "Page x of y", bookmarks; writing the file
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageFrame:
    """What every page prints around the text: header title, owner, footer note, page numbers."""

    title: str
    owner: str
    #: Left in the footer: the period of a review, the day of a dossier.
    footer: str
    #: Translated "Page {page} of {pages}".
    page_label: str
    lang: str
    #: PDF metadata: what the document is about, and words to find it by.
    subject: str = ""
    keywords: tuple[str, ...] = ()
    #: The running head on the first page too (a dossier has no cover).
    head_on_first: bool = False


def _numbered_canvas(frame: PageFrame) -> type[Canvas]:
    """A canvas class that draws header and footer once the page count is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            #: The page each level-1 heading stands on, by its text (for the contents).
            self.heading_pages: dict[str, int] = {}
            #: Drawings that wait for the whole document, by page (``draw_late``).
            self.late: dict[int, list[Callable[[Canvas], None]]] = {}

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                _draw_page_frame(self, frame, self._pageNumber, total)
                for drawing in self.late.get(self._pageNumber, ()):
                    drawing(self)
                super().showPage()
            super().save()

    return NumberedCanvas


def _draw_page_frame(canvas: Canvas, frame: PageFrame, page: int, pages: int) -> None:
    canvas.saveState()
    canvas.setFillColor(MUTED)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    top = PAGE_HEIGHT - MARGIN_TOP + 6 * mm
    if page > 1 or frame.head_on_first:  # a cover needs no running head
        canvas.setFont(FONT, 8)
        canvas.drawString(MARGIN_LEFT, top + 1.5 * mm, frame.title)
        canvas.drawRightString(PAGE_WIDTH - MARGIN_RIGHT, top + 1.5 * mm, frame.owner)
        canvas.line(MARGIN_LEFT, top, PAGE_WIDTH - MARGIN_RIGHT, top)
    bottom = MARGIN_BOTTOM - 8 * mm
    canvas.line(MARGIN_LEFT, bottom + 4 * mm, PAGE_WIDTH - MARGIN_RIGHT, bottom + 4 * mm)
    canvas.setFont(FONT, 8)
    canvas.drawString(MARGIN_LEFT, bottom, frame.footer)
    canvas.drawRightString(
        PAGE_WIDTH - MARGIN_RIGHT, bottom, frame.page_label.format(page=page, pages=pages)
    )
    canvas.restoreState()


class Contents(Flowable):
    """The sections with the page each starts on, joined by a dotted leader.

    The pages are known only when everything is laid out. The entries take their place now and
    their page numbers are drawn when the document is saved (its canvas keeps every page until
    then), so a document is laid out once, not twice as reportlab's own table of contents needs.
    """

    LINE = 15.0

    def __init__(self, titles: Sequence[str]) -> None:
        super().__init__()
        self.titles = [tie(title) for title in titles]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = availWidth, self.LINE * len(self.titles)
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFont(FONT, 9.5)
        canvas.setFillColor(INK)
        for number, title in enumerate(self.titles, start=1):
            y = self.height - number * self.LINE + 4
            text = f"{number}.{NBSP}{title}"
            canvas.drawString(0, y, text)
            start = canvas.absolutePosition(stringWidth(text, FONT, 9.5) + 4, y)
            end = canvas.absolutePosition(self.width, y)
            canvas.late.setdefault(canvas.getPageNumber(), []).append(
                lambda late, title=title, start=start, end=end: _page_number(
                    late, title, start, end
                )
            )


def _page_number(
    canvas: Canvas, title: str, start: tuple[float, float], end: tuple[float, float]
) -> None:
    """The page of the section ``title`` at ``end``, with dots back to ``start``."""
    page = canvas.heading_pages.get(title)
    if page is None:
        return
    label = str(page)
    right = end[0] - stringWidth(label, FONT, 9.5) - 4
    canvas.saveState()
    canvas.setFont(FONT, 9.5)
    canvas.setFillColor(INK)
    canvas.drawRightString(end[0], end[1], label)
    canvas.setFillColor(MUTED)
    dots = int((right - start[0]) // stringWidth(". ", FONT, 9.5))
    canvas.drawRightString(right, end[1], ". " * dots)  # right-aligned: every line's dots align
    canvas.restoreState()


class SectionStart(CondPageBreak):
    """Where a section begins: on a new page unless ``room`` is left, or the whole section if
    it is shorter (a short section, "No reminders are due.", follows on the same page rather
    than standing alone on a page of its own)."""

    def __init__(self, room: float, section: Sequence[Flowable]) -> None:
        super().__init__(room)
        self.room = room
        self.section = list(section)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        needed = 0.0
        for flowable in self.section:
            if needed >= self.room:
                break
            needed += (
                flowable.wrapOn(self.canv, availWidth, PAGE_HEIGHT)[1]
                + flowable.getSpaceBefore()
                + flowable.getSpaceAfter()
            )
        self.height = min(self.room, needed)
        return super().wrap(availWidth, availHeight)


def keep_intro_with_content(flow: list[Flowable]) -> list[Flowable]:
    """Mark the small print right below a heading ("Open reminders due by …") to stay with
    what follows it, so a heading never stands at the foot of a page with only that line
    under it (the heading itself is kept with its next flowable by its style)."""
    for before, line, after in zip(flow, flow[1:], flow[2:], strict=False):
        if (
            isinstance(before, Paragraph)
            and before.style.name in ("h1", "h2")
            and isinstance(line, Paragraph)
            and line.style.name == "small"
            and not (isinstance(after, Paragraph) and after.style.name in ("h1", "h2"))
        ):
            line.keepWithNext = 1
    return flow


class _HeadingWithItsStart(KeepTogether):
    """What ``keepWithNext`` makes of a heading and the table below it.

    reportlab's KeepTogether starts a new page whenever heading and table together do not fit
    in the room left, so a heading over a long table left most of a page empty. Here the heading
    stays when the table can begin below it (its header and first row fit) and splits on.
    """

    def split(self, aW: float, aH: float) -> list[Flowable]:
        *heads, last = self._content
        if isinstance(last, Table) and heads:
            room = aH - sum(
                head.wrapOn(self.canv, aW, aH)[1] + head.getSpaceBefore() + head.getSpaceAfter()
                for head in heads
            )
            if room > 0 and last.wrapOn(self.canv, aW, room)[1] > room and last.split(aW, room):
                return list(self._content)
        return super().split(aW, aH)


class _Document(BaseDocTemplate):
    """A4 with one text frame; level-1 and level-2 headings become PDF bookmarks."""

    def __init__(self, filename: str, frame: PageFrame) -> None:
        super().__init__(
            filename,
            pagesize=A4,
            leftMargin=MARGIN_LEFT,
            rightMargin=MARGIN_RIGHT,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=frame.title,
            author=frame.owner,
            subject=frame.subject,
            keywords=list(frame.keywords),
            creator=APP_NAME,
            lang=frame.lang,
            initialFontName=FONT,  # else every page references Helvetica, which is not embedded
            initialFontSize=9.5,
            keepTogetherClass=_HeadingWithItsStart,
        )
        text = Frame(
            MARGIN_LEFT,
            MARGIN_BOTTOM,
            TEXT_WIDTH,
            TEXT_HEIGHT,
            id="text",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[text])])
        self._bookmarks = 0

    def afterFlowable(self, flowable: Flowable) -> None:
        if not isinstance(flowable, Paragraph) or flowable.style.name not in ("h1", "h2"):
            return
        level = 0 if flowable.style.name == "h1" else 1
        if level == 0:
            self.canv.heading_pages.setdefault(flowable.getPlainText(), self.page)
        if level > 0 and not self._bookmarks:
            return  # a sub-heading before any section (the cover's contents) has no parent
        self._bookmarks += 1
        key = f"h{self._bookmarks}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level, closed=True)


def write_pdf(
    out: Path,
    flowables: list[Flowable],
    frame: PageFrame,
    progress: Progress | None = None,
    done_before: int = 0,
    steps: int = 1,
) -> Path:
    """Lay out ``flowables`` on A4 pages and write the PDF to ``out`` (replaced atomically).

    Layout reports progress from ``done_before`` up to ``steps`` as flowables are placed.
    A file the user cannot write raises InputError naming the output file.
    """
    register_fonts()
    out = Path(out).expanduser()
    if not out.parent.is_dir():
        raise InputError(
            "out",
            _("the folder {folder} does not exist").format(folder=out.parent),
            label=_("PDF file"),
        )
    partial: str | None = None
    try:
        handle, partial = tempfile.mkstemp(
            prefix=f".{out.name}.", suffix=".partial", dir=out.parent
        )
        os.close(handle)
        document = _Document(partial, frame)
        if progress is not None:
            document.setProgressCallBack(_layout_progress(progress, done_before, steps))
        document.build(flowables, canvasmaker=_numbered_canvas(frame))
        os.replace(partial, out)
    except OSError as exc:
        raise InputError("out", _write_problem(out, exc), label=_("PDF file")) from exc
    finally:
        if partial is not None and os.path.exists(partial):
            os.unlink(partial)
    return out


def _write_problem(out: Path, exc: OSError) -> str:
    """Why ``out`` could not be written, in words that say what to do."""
    if out.is_dir():
        return _("{path} is a folder; choose a file name").format(path=out)
    if isinstance(exc, PermissionError):
        return _(
            "{path} cannot be written: the folder is read-only, or the file is open in "
            "another program (close it and try again)"
        ).format(path=out)
    return _("{path} cannot be written: {reason}").format(path=out, reason=exc.strerror or exc)


def _layout_progress(
    progress: Progress, done_before: int, steps: int
) -> Callable[[str, int], None]:
    """Turn reportlab's (kind, value) layout callbacks into (done, steps) calls.

    reportlab counts placed flowables, and a table split across pages puts its rest back in
    the queue, so its count can step back; the progress reported only ever climbs.
    """
    size, last = 1, done_before

    def report(kind: str, value: int) -> None:
        nonlocal size, last
        if kind == "SIZE_EST":
            size = max(value, 1)
        elif kind == "PROGRESS":
            done = done_before + (steps - done_before - 1) * min(value, size) // size
            if done > last:
                last = done
                progress(done, steps)
        elif kind == "FINISHED":
            progress(steps, steps)

    return report
