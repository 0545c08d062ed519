"""The first page of a report as plain drawing data, so that the GUI can show a thumbnail.

The report is written as usual (first page only where that is quicker), then its first page
is read back with pypdf: the lines and filled areas of its content stream, and its texts with
their places and sizes. Only what our own PDFs use is read (paths, colours, text); at
thumbnail size that is the page as it prints. No Qt here: ``ui`` paints the result.
"""

from __future__ import annotations

import datetime as dt
import math
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from freelancer_desk.db import Database
    from freelancer_desk.reports.review import ReviewRequest

Point = tuple[float, float]
Colour = tuple[float, float, float]
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
BLACK: Colour = (0.0, 0.0, 0.0)


@dataclass(frozen=True)
class Shape:
    """A painted path in page points (origin bottom left): its parts, fill and outline."""

    parts: tuple[tuple[Point, ...], ...]
    fill: Colour | None
    stroke: Colour | None
    width: float


@dataclass(frozen=True)
class TextRun:
    """A piece of text: where its baseline starts, its size in points, bold or not."""

    x: float
    y: float
    size: float
    text: str
    bold: bool


@dataclass
class PageDrawing:
    """What a page shows, in page points."""

    width: float
    height: float
    shapes: list[Shape] = field(default_factory=list)
    texts: list[TextRun] = field(default_factory=list)


def _matrix(values: Sequence[float]) -> Matrix:
    """Six numbers read from a page as a matrix."""
    a, b, c, d, e, f = values
    return (a, b, c, d, e, f)


def _multiply(a: Matrix, b: Matrix) -> Matrix:
    """``a`` then ``b`` (PDF order: a point is transformed by ``a`` first)."""
    return (
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    )


def _apply(m: Matrix, x: float, y: float) -> Point:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


@dataclass
class _State:
    ctm: Matrix = IDENTITY
    fill: Colour = BLACK
    stroke: Colour = BLACK
    width: float = 1.0


def _grey(value: float) -> Colour:
    return (value, value, value)


def _from_cmyk(c: float, m: float, y: float, k: float) -> Colour:
    return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))


def _shapes(page: Any) -> list[Shape]:
    """The painted paths of a page's content stream (curves as straight lines to their end:
    enough at thumbnail size)."""
    from pypdf.generic import ContentStream

    stack: list[_State] = []
    state = _State()
    parts: list[list[Point]] = []
    shapes: list[Shape] = []

    def paint(fill: bool, stroke: bool) -> None:
        if parts and (fill or stroke):
            scale = math.sqrt(abs(state.ctm[0] * state.ctm[3] - state.ctm[1] * state.ctm[2]))
            shapes.append(
                Shape(
                    tuple(tuple(part) for part in parts if part),
                    state.fill if fill else None,
                    state.stroke if stroke else None,
                    state.width * scale,
                )
            )
        parts.clear()

    content = ContentStream(page.get_contents(), page.pdf)
    for operands, operator in content.operations:
        op = operator.decode("latin-1") if isinstance(operator, bytes) else str(operator)
        values = [float(v) for v in operands if isinstance(v, (int, float))]
        if op == "q":
            stack.append(_State(state.ctm, state.fill, state.stroke, state.width))
        elif op == "Q" and stack:
            state = stack.pop()
        elif op == "cm" and len(values) == 6:
            state.ctm = _multiply(_matrix(values), state.ctm)
        elif op == "w" and values:
            state.width = values[0]
        elif op in ("rg", "RG") and len(values) == 3:
            colour: Colour = (values[0], values[1], values[2])
            state.fill, state.stroke = (
                (colour, state.stroke) if op == "rg" else (state.fill, colour)
            )
        elif op in ("g", "G") and values:
            if op == "g":
                state.fill = _grey(values[0])
            else:
                state.stroke = _grey(values[0])
        elif op in ("k", "K") and len(values) == 4:
            if op == "k":
                state.fill = _from_cmyk(*values)
            else:
                state.stroke = _from_cmyk(*values)
        elif op == "re" and len(values) == 4:
            x, y, w, h = values
            corners = ((x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y))
            parts.append([_apply(state.ctm, *corner) for corner in corners])
        elif op == "m" and len(values) == 2:
            parts.append([_apply(state.ctm, *values)])
        elif op in ("l", "c", "v", "y") and len(values) >= 2 and parts:
            parts[-1].append(_apply(state.ctm, values[-2], values[-1]))
        elif op in ("h", "s", "b", "b*") and parts and parts[-1]:
            parts[-1].append(parts[-1][0])
            if op != "h":
                paint(fill=op.startswith("b"), stroke=True)
        elif op == "S":
            paint(fill=False, stroke=True)
        elif op in ("f", "F", "f*"):
            paint(fill=True, stroke=False)
        elif op in ("B", "B*"):
            paint(fill=True, stroke=True)
        elif op == "n":
            parts.clear()
    return shapes


def _texts(page: Any) -> list[TextRun]:
    """The page's texts with their baseline origin and size, decoded by pypdf."""
    runs: list[TextRun] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if not text.strip():
            return
        matrix = _multiply(_matrix(tm), _matrix(cm))
        x, y = _apply(matrix, 0, 0)
        scale = math.hypot(matrix[2], matrix[3]) or 1.0
        name = str(font.get("/BaseFont", "")) if font is not None else ""
        runs.append(TextRun(x, y, size * scale, text.replace("\n", " "), "Bold" in name))

    page.extract_text(visitor_text=visit)
    return runs


def first_page(pdf: Path) -> PageDrawing:
    """The first page of ``pdf`` as drawing data."""
    from pypdf import PdfReader

    page = PdfReader(str(pdf)).pages[0]
    box = page.mediabox
    drawing = PageDrawing(float(box.width), float(box.height))
    drawing.shapes = _shapes(page)
    drawing.texts = _texts(page)
    return drawing


def review_preview(db: Database, request: ReviewRequest) -> PageDrawing:
    """The first page of the review ``request`` asks for."""
    from freelancer_desk.reports.review import build_review

    with tempfile.TemporaryDirectory() as folder:
        path = build_review(db, request, Path(folder) / "preview.pdf", first_page_only=True)
        return first_page(path)


def dossier_preview(db: Database, client_id: int, lang: str, as_of: dt.date) -> PageDrawing:
    """The client's dossier: the call brief and the client's file."""
    from freelancer_desk.reports.dossier import build_dossier

    with tempfile.TemporaryDirectory() as folder:
        return first_page(build_dossier(db, client_id, Path(folder) / "preview.pdf", lang, as_of))
