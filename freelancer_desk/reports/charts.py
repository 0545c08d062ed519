"""Vector charts for the PDFs (``reportlab.graphics``): sharp on paper, no matplotlib start-up.

Every chart carries its numbers as text labels and tells series apart by grey level, dash
pattern and marker shape, so that it reads the same from a black-and-white printer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from decimal import Decimal

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, PolyLine, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from freelancer_desk.reports.document import (
    FONT,
    GREYS,
    INK,
    MUTED,
    Language,
    register_fonts,
    shorten,
)

LABEL_SIZE = 7.5


def euros(value: float, lang: Language) -> str:
    """An axis value in whole euros with its unit: ``20.000 €`` or ``€20,000``."""
    text = lang.money(Decimal(round(value)))
    return re.sub(r"[.,]00(?=\D*$)", "", text)


def nice_scale(low: float, high: float, steps: int = 4) -> tuple[float, float, float]:
    """Axis bounds and step on round numbers (1, 2, 2.5 or 5 × 10ⁿ) around ``low``..``high``.

    The value axis always holds 0, and a negative bar ends inside the axes, not below them.
    """
    low, high = min(low, 0.0), max(high, 0.0)
    span = (high - low) or 1.0
    raw = span / steps
    power = 10 ** math.floor(math.log10(raw))
    step = next(f * power for f in (1, 2, 2.5, 5, 10) if f * power >= raw)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def fit(text: str, width: float) -> str:
    """``text`` at most ``width`` points wide as a label, cut after a whole word with "…"."""
    return shorten(text, width, lambda part: stringWidth(part, FONT, LABEL_SIZE))


def _drawing(width: float, height: float) -> Drawing:
    """An empty drawing whose text state starts in DejaVu Sans (else Helvetica, not embedded)."""
    register_fonts()
    drawing = Drawing(width, height)
    drawing.initialFontName = FONT
    return drawing


def _style_axis_labels(axis: object, anchor: str, dx: float = 0, dy: float = 0) -> None:
    labels = axis.labels  # type: ignore[attr-defined]  # reportlab sets axis attributes at run time
    labels.fontName = FONT
    labels.fontSize = LABEL_SIZE
    labels.fillColor = INK
    labels.boxAnchor = anchor
    labels.dx, labels.dy = dx, dy
    axis.strokeColor = MUTED  # type: ignore[attr-defined]  # reportlab sets axis attributes at run time
    axis.strokeWidth = 0.5  # type: ignore[attr-defined]  # reportlab sets axis attributes at run time


def _fill_bars(
    chart: HorizontalBarChart | VerticalBarChart,
    categories: list[str],
    values: list[float],
    lang: Language,
    horizontal: bool,
    room_below: float = 0.0,
) -> None:
    """Data, axes and grey bars shared by both bar charts.

    The value axis holds 0 and every bar on round steps, with euros as its unit;
    ``room_below`` (in points of the value axis) is kept free left of the lowest bar for the
    figure of a negative bar.
    """
    chart.data = [values]
    chart.categoryAxis.categoryNames = categories
    chart.categoryAxis.visibleTicks = False
    # The names stay at the edge of the plot, not on the zero line a negative bar crosses.
    chart.categoryAxis.joinAxisMode = "left" if horizontal else "bottom"
    low, high = min(values, default=0.0), max(values, default=0.0)
    length = chart.width if horizontal else chart.height
    if horizontal:
        _style_axis_labels(chart.categoryAxis, "e", dx=-4)
        _style_axis_labels(chart.valueAxis, "n", dy=-2)
        # Tick labels stand side by side: as many steps as labels fit (a round tick may have
        # one digit more than the largest value).
        widest = stringWidth(euros(max(abs(low), abs(high)) * 10, lang), FONT, LABEL_SIZE) + 6
        steps = max(1, min(5, int(length // widest) - 1))
    else:
        _style_axis_labels(chart.categoryAxis, "n", dy=-2)
        _style_axis_labels(chart.valueAxis, "e", dx=-3)
        steps = 4
    if low < 0 and room_below:
        low -= (high - low) * room_below / max(length - room_below, 1.0)
    bottom, top, step = nice_scale(low, high, steps)
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = bottom, top
    chart.valueAxis.valueStep = step
    chart.valueAxis.labelTextFormat = lambda value: euros(value, lang)
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = GREYS[3]
    chart.valueAxis.gridStrokeWidth = 0.4
    chart.bars[0].fillColor = GREYS[1]
    chart.bars[0].strokeColor = None


def ranked_bars(
    names: Sequence[str],
    values: Sequence[float],
    value_texts: Sequence[str],
    lang: Language,
    width: float,
) -> Drawing:
    """Horizontal bars, largest on top, each with its name on the left and its figure at the end.

    Used for revenue by client: a ranking reads better as bars than as pie slices, and needs
    no legend. A negative bar (credit notes above revenue) points left from 0 with its figure
    before its end, inside the axes.
    """
    bar_height = 13.0
    name_width = 52 * mm
    plot_height = bar_height * len(values)
    drawing = _drawing(width, plot_height + 22)
    text_widths = [stringWidth(text, FONT, LABEL_SIZE) + 8 for text in value_texts]
    text_room = max(
        (w for w, value in zip(text_widths, values, strict=True) if value >= 0), default=0
    )
    negative_room = max(
        (w for w, value in zip(text_widths, values, strict=True) if value < 0), default=0
    )
    chart = HorizontalBarChart()
    chart.x, chart.y = name_width, 16
    chart.width, chart.height = width - name_width - text_room, plot_height
    shown = list(reversed(values))
    _fill_bars(
        chart,
        [fit(name, name_width - 8) for name in reversed(names)],
        shown,
        lang,
        horizontal=True,
        room_below=negative_room,
    )
    chart.barWidth = bar_height * 0.7
    chart.groupSpacing = bar_height * 0.3
    texts = list(reversed(value_texts))
    chart.barLabelFormat = "values"
    # reportlab puts the figure of a negative bar over the bar; it is drawn below instead.
    chart.barLabelArray = [
        [text if value >= 0 else "" for text, value in zip(texts, shown, strict=True)]
    ]
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = LABEL_SIZE
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    chart.barLabels.boxFillColor = colors.white  # keeps grid lines from crossing the figures
    drawing.add(chart)
    axis = chart.valueAxis
    for index, (text, value) in enumerate(zip(texts, shown, strict=True)):
        if value < 0:  # the figure left of the bar's end, in the room kept free for it
            end = chart.x + chart.width * (value - axis.valueMin) / (axis.valueMax - axis.valueMin)
            middle = chart.y + bar_height * (index + 0.5)
            drawing.add(
                String(
                    end - 3,
                    middle - LABEL_SIZE / 3,
                    text,
                    fontName=FONT,
                    fontSize=LABEL_SIZE,
                    fillColor=INK,
                    textAnchor="end",
                )
            )
    return drawing


def monthly_bars(
    labels: Sequence[str],
    values: Sequence[float],
    previous: Sequence[float],
    lang: Language,
    width: float,
    height: float,
    running: int | None = None,
) -> Drawing:
    """Revenue per month as columns, the same months a year before as a dashed line with
    square markers (told apart by shape, not colour); the month still ``running`` (an index)
    is drawn light with a dashed outline.
    """
    drawing = _drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 18 * mm, LABEL_SIZE + 10
    chart.width, chart.height = width - 20 * mm, height - chart.y - 8
    everything = [*values, *previous]
    _fill_bars(chart, list(labels), list(values), lang, horizontal=False)
    bottom, top, step = nice_scale(min(everything, default=0.0), max(everything, default=0.0))
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = bottom, top
    chart.valueAxis.valueStep = step
    chart.barSpacing, chart.groupSpacing = 0, 4
    _mark_running(chart, running, len(values))
    drawing.add(chart)
    if previous:
        slot = chart.width / max(len(labels), 1)
        points: list[float] = []
        for index, value in enumerate(previous):
            points += [
                chart.x + slot * (index + 0.5),
                chart.y + chart.height * (value - bottom) / ((top - bottom) or 1.0),
            ]
        drawing.add(PolyLine(points, strokeColor=INK, strokeWidth=1.1, strokeDashArray=[3, 2]))
        for x, y in zip(points[::2], points[1::2], strict=True):
            marker = makeMarker("Square", size=3.5, fillColor=colors.white, strokeColor=INK)
            marker.x, marker.y = x, y
            drawing.add(marker)
    return drawing


#: Share of the value axis a running bar is drawn at least, so that a month counted for a
#: few days only (or not yet at all) still shows its light, dashed bar the caption names.
RUNNING_STUB = 0.03


def _mark_running(chart: VerticalBarChart, running: int | None, count: int) -> None:
    """Draw the bar of the period still ``running`` (an index) light with a dashed outline:
    it is counted only up to the day seen from and must not read as a drop. Call it once
    the value axis is set: a bar too low to see is raised to a stub of ``RUNNING_STUB``."""
    if running is not None and 0 <= running < count:
        stub = (chart.valueAxis.valueMax - chart.valueAxis.valueMin) * RUNNING_STUB
        values = list(chart.data[0])
        if 0 <= values[running] < stub:
            values[running] = stub
            chart.data = [values]
        chart.bars[(0, running)].fillColor = GREYS[3]
        chart.bars[(0, running)].strokeColor = INK
        chart.bars[(0, running)].strokeWidth = 0.6
        chart.bars[(0, running)].strokeDashArray = [2, 1.5]


def columns(
    labels: Sequence[str],
    values: Sequence[float],
    lang: Language,
    width: float,
    height: float,
    running: int | None = None,
) -> Drawing:
    """Vertical columns over time (a client's revenue per quarter), period names below; the
    period still ``running`` (an index) drawn as in ``monthly_bars``.

    Labels may hold a line break ("Q3\n2025") so that eight of them fit in half a page.
    """
    drawing = _drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 16 * mm, 2 * LABEL_SIZE + 8
    chart.width, chart.height = width - 18 * mm, height - chart.y - 8
    _fill_bars(chart, list(labels), list(values), lang, horizontal=False)
    _mark_running(chart, running, len(values))
    drawing.add(chart)
    return drawing


def share_trend(
    labels: Sequence[str],
    shares: Sequence[float],
    thresholds: Sequence[tuple[str, float]],
    lang: Language,
    width: float,
    height: float,
) -> Drawing:
    """A share (0..1) over time as a solid line with round markers; thresholds as dashed lines.

    Each threshold line is named at its right end, so no legend or colour is needed.
    """
    drawing = _drawing(width, height)
    names_room = max((stringWidth(name, FONT, LABEL_SIZE) for name, _ in thresholds), default=0) + 6
    plot = LinePlot()
    plot.x, plot.y = 14 * mm, 20
    plot.width, plot.height = width - 14 * mm - names_room, height - 28
    last = max(len(shares) - 1, 1)
    plot.data = [[(index, share) for index, share in enumerate(shares)]] + [
        [(0, level), (last, level)] for _, level in thresholds
    ]
    plot.lines[0].strokeColor = INK
    plot.lines[0].strokeWidth = 1.4
    plot.lines[0].symbol = makeMarker("FilledCircle", size=3.5, fillColor=INK, strokeColor=INK)
    for index in range(1, len(thresholds) + 1):
        plot.lines[index].strokeColor = GREYS[1]
        plot.lines[index].strokeWidth = 0.8
        plot.lines[index].strokeDashArray = [4, 2] if index % 2 else [1, 2]
    x_axis, y_axis = plot.xValueAxis, plot.yValueAxis
    x_axis.valueMin, x_axis.valueMax = 0, last
    step = max(1, (len(labels) + 11) // 12)
    x_axis.valueSteps = list(range(0, len(labels), step))
    x_axis.labelTextFormat = lambda value: (
        labels[round(value)] if 0 <= round(value) < len(labels) else ""
    )
    _style_axis_labels(x_axis, "n", dy=-4)
    y_axis.valueMin, y_axis.valueMax = 0, 1
    y_axis.valueSteps = [0, 0.25, 0.5, 0.75, 1]
    y_axis.labelTextFormat = lambda value: lang.percent(value, 0)
    y_axis.visibleGrid = True
    y_axis.gridStrokeColor = GREYS[3]
    y_axis.gridStrokeWidth = 0.4
    _style_axis_labels(y_axis, "e", dx=-5)
    drawing.add(plot)
    for name, level in thresholds:
        y = plot.y + plot.height * level
        drawing.add(
            String(
                plot.x + plot.width + 4,
                y - LABEL_SIZE / 3,
                name,
                fontName=FONT,
                fontSize=LABEL_SIZE,
                fillColor=MUTED,
            )
        )
    return drawing
