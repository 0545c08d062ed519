"""Charts on screen: a matplotlib ``Figure`` on the Qt Agg canvas, never pyplot.

matplotlib costs start-up time, so it is imported the first time a chart is drawn. The canvas
renders at the screen's device pixel ratio, so charts stay sharp on high-DPI screens. Texts on
charts are translated like every other string; numbers use the language's separators.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QTimer
from PySide6.QtGui import QPaintEvent, QShowEvent, QWheelEvent
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from freelancer_desk import formatting
from freelancer_desk.i18n import BABEL_LOCALES, current_language
from freelancer_desk.paths import keep_matplotlib_cache

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

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
    """Import matplotlib with its Qt canvas and font list, for the runner's worker.

    On the GUI thread the first chart would wait seconds for it (the font list is read from
    its cache, or built on a first start); once loaded, ``ChartView.figure`` finds it ready. A
    chart asked for meanwhile waits only for the rest of the import.
    """
    keep_matplotlib_cache()
    import matplotlib.backends.backend_qtagg  # loaded for the first chart
    import matplotlib.figure  # noqa: F401  # loaded for the first chart


class ChartView(QWidget):
    """A widget holding one matplotlib figure; the canvas is made on first use."""

    def __init__(self, height: int = 220, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedHeight(height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._figure: Figure | None = None
        self._canvas: QWidget | None = None
        #: A drawing asked for while the chart was not on screen (see ``plot``).
        self._pending: Callable[[], None] | None = None

    def figure(self) -> Figure:
        """The figure, emptied, ready to draw on."""
        if self._figure is None:
            keep_matplotlib_cache()
            from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
            from matplotlib.figure import Figure

            class Canvas(FigureCanvasQTAgg):
                """The charts are not zoomable: the mouse wheel scrolls the page around them."""

                def wheelEvent(self, event: QWheelEvent) -> None:
                    event.ignore()  # handed on to the parents, up to the scroll area

            self._figure = Figure(layout="constrained")
            self._canvas = Canvas(self._figure)
            self._canvas.setParent(self)
            self._layout.addWidget(self._canvas)
        self._figure.clear()
        return self._figure

    def plot(self, draw: Callable[[], None]) -> None:
        """Run ``draw`` (which fills ``figure()`` and calls ``draw()``) now if the chart is shown.

        Otherwise it runs once the chart is on screen, and the first drawing always right after
        a paint: loading matplotlib (half a second) must not delay the figures around it, also
        when they arrive after the window is shown; a chart on a hidden page is drawn when the
        page is shown.
        """
        self._pending = draw
        if self.isVisible() and self._canvas is not None:
            self._draw_pending()
        elif self.isVisible():
            self.update()  # its paint schedules the drawing

    def _draw_pending(self) -> None:
        draw, self._pending = self._pending, None
        if draw is not None:
            draw()

    def draw_now(self) -> None:
        """Draw a chart still waiting to be scrolled into view (``--smoke`` checks that
        matplotlib works in the built app, whatever fits on its first screen)."""
        self._draw_pending()

    def paintEvent(self, event: QPaintEvent) -> None:
        """Before the first drawing the chart is empty: its first paint schedules the drawing."""
        super().paintEvent(event)
        if self._pending is not None:
            QTimer.singleShot(0, self._draw_pending)

    def showEvent(self, event: QShowEvent) -> None:
        """A chart asked for while its page was hidden is drawn when the page comes back."""
        super().showEvent(event)
        if self._pending is not None and self._canvas is not None:
            QTimer.singleShot(0, self._draw_pending)

    @property
    def drawn(self) -> Figure | None:
        """The figure as last drawn (None before the first drawing), for checks and export."""
        return self._figure

    def draw(self) -> None:
        """Redraw when Qt next paints (cheap to call after every change)."""
        if self._canvas is not None:
            self._canvas.draw_idle()  # type: ignore[attr-defined]  # matplotlib's canvas, imported on first draw

    def apply_style(self, axes: Axes, grid: Literal["both", "x", "y"] = "y") -> None:
        """The app's quiet chart style: no top/right frame, small ticks, a light ``grid``."""
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        for side in ("left", "bottom"):
            axes.spines[side].set_color(MUTED)
        axes.tick_params(colors=INK, labelsize=8, length=3)
        axes.grid(axis=grid, color="#e4e4e4", linewidth=0.6)
        axes.set_axisbelow(True)
