"""Charts on screen: a matplotlib ``Figure`` drawn on the runner's worker, shown as an image.

Drawing a chart takes matplotlib a fifth of a second or more (its layout and the Agg
renderer), far too long for the GUI thread. So a page hands ``ChartView.plot`` a function that
fills a fresh ``Figure``; the worker draws it with the Agg canvas into an image the size of the
widget (at the screen's device pixel ratio, so charts stay sharp on high-DPI screens), and the
widget paints that image. A resized chart is drawn again after a short pause. Never pyplot:
its global state is not for threads. Texts on charts are translated like every other string;
numbers use the language's separators.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from freelancer_desk import formatting
from freelancer_desk.i18n import BABEL_LOCALES, current_language
from freelancer_desk.paths import keep_matplotlib_cache
from ui.runner import Loader, TaskRunner

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Draws one chart on an empty figure (runs on the worker: it touches no widget).
Drawing = Callable[["Figure"], None]

#: matplotlib's dots per inch at a device pixel ratio of 1 (its default, as on Qt's canvas).
DPI = 100
#: How long a chart waits after the last resize before it is drawn again at the new size.
RESIZE_PAUSE_MS = 150

#: Colours of the app's charts (the same hues as the level words on the cards).
INK = "#222222"
MUTED = "#777777"
BAR = "#4a6fa5"
WARNING = "#b35900"
CRITICAL = "#b00020"


def month_label(day: dt.date) -> str:
    """A short month for an axis: ``Jan. 25`` in German, ``Jan 25`` in English."""
    from babel.dates import format_date

    return format_date(day, "MMM yy", locale=BABEL_LOCALES[current_language()])


def percent_axis(axes: Axes, axis: str = "y") -> None:
    """Show 0..1 on an axis as whole percentages in the language's format."""
    from matplotlib.ticker import FuncFormatter

    formatter = FuncFormatter(lambda value, _pos: formatting.percent(value, digits=0))
    (axes.yaxis if axis == "y" else axes.xaxis).set_major_formatter(formatter)


def load_matplotlib() -> None:
    """Import matplotlib with its Agg canvas and font list, for the runner's worker.

    The first chart would otherwise wait for it (the font list is read from its cache, or
    built on a first start).
    """
    keep_matplotlib_cache()
    import matplotlib.backends.backend_agg  # loaded for the first chart
    import matplotlib.figure  # noqa: F401  # loaded for the first chart


def render(draw: Drawing, width: int, height: int, ratio: float) -> tuple[Figure, QImage]:
    """The figure ``draw`` makes at ``width`` × ``height`` pixels, and its image (worker).

    Sized and scaled as Qt's matplotlib canvas would show it, so the charts look the same.
    """
    load_matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width / DPI, height / DPI), dpi=DPI * ratio, layout="constrained")
    canvas = FigureCanvasAgg(figure)
    draw(figure)
    canvas.draw()
    pixels_wide, pixels_high = canvas.get_width_height(physical=True)
    image = QImage(
        bytes(canvas.buffer_rgba()), pixels_wide, pixels_high, QImage.Format.Format_RGBA8888
    ).copy()  # its own pixels, not the bytes object's
    image.setDevicePixelRatio(ratio)
    return figure, image


class ChartView(QWidget):
    """A widget showing one chart, drawn in the background (see the module's docstring)."""

    def __init__(
        self, runner: TaskRunner, height: int = 220, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setFixedHeight(height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._loader: Loader[tuple[Figure, QImage]] = Loader(self, runner, self._show)
        #: The chart asked for last, and whether it still has to be drawn at the current size.
        self._drawing: Drawing | None = None
        self._stale = False
        #: The size (width, height) the chart was last drawn at.
        self._drawn_at = (0, 0)
        self._figure: Figure | None = None
        self._image: QImage | None = None
        self._resized = QTimer(self)
        self._resized.setSingleShot(True)
        self._resized.setInterval(RESIZE_PAUSE_MS)
        self._resized.timeout.connect(self._draw_if_shown)

    def plot(self, draw: Drawing) -> None:
        """Show the chart ``draw`` makes on an empty figure; ``draw`` runs on the worker.

        It is drawn once the window has painted the page around it (a chart on a hidden page
        once the page is shown): drawn while the window lays out and paints a page, the worker
        took the processor from the window half of the time.
        """
        self._drawing, self._stale = draw, True
        self.update()

    def clear(self) -> None:
        """Show no chart until the next ``plot`` is drawn (the page shows another subject)."""
        self._loader.cancel()
        self._drawing, self._stale = None, False
        self._figure = self._image = None
        self.update()

    def _draw_if_shown(self) -> None:
        """Start drawing the chart asked for on the worker, if it is on screen to be seen."""
        draw = self._drawing
        if draw is None or not self._stale or not self.isVisible() or self.width() <= 0:
            return
        self._stale = False
        width, height = self._drawn_at = (self.width(), self.height())
        ratio = self.devicePixelRatioF()
        self._loader.load(lambda: render(draw, width, height, ratio))

    def _show(self, drawn: tuple[Figure, QImage]) -> None:
        self._figure, self._image = drawn
        self.update()

    def draw_now(self) -> None:
        """Draw the chart here and now (``--smoke`` checks that matplotlib works in the built
        app, for every chart of the window)."""
        if self._drawing is not None:
            self._loader.cancel()
            self._stale = False
            self._show(
                render(self._drawing, max(self.width(), 1), self.height(), self.devicePixelRatioF())
            )

    @property
    def drawn(self) -> Figure | None:
        """The figure shown (None before the first drawing arrived), for checks and export."""
        return self._figure

    def paintEvent(self, event: QPaintEvent) -> None:
        """The image of the chart; while a new or resized chart is drawn, the last one."""
        if self._image is not None:
            QPainter(self).drawImage(0, 0, self._image)
        if self._stale and not self._resized.isActive():  # once the window is painted
            QTimer.singleShot(0, self, self._draw_if_shown)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Drawn again at the new size once the user stops resizing."""
        super().resizeEvent(event)
        if self._drawing is not None and (self.width(), self.height()) != self._drawn_at:
            self._stale = True
            self._resized.start()


def apply_style(axes: Axes, grid: Literal["both", "x", "y"] = "y") -> None:
    """The app's quiet chart style: no top/right frame, small ticks, a light ``grid``."""
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color(MUTED)
    axes.tick_params(colors=INK, labelsize=8, length=3)
    axes.grid(axis=grid, color="#e4e4e4", linewidth=0.6)
    axes.set_axisbelow(True)
