"""A row of widgets that wraps onto further lines when the window is too narrow for it.

Button bars hold long German labels ("Kunden als verloren markieren…"); in a plain
``QHBoxLayout`` they are squeezed and cut at the minimum window size. Here each widget keeps
its natural width, a line wraps when the next one does not fit, and the widgets that grow
(a search field, a stretch, anything added with a stretch factor) share each line's spare room.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QSpacerItem, QWidget, QWidgetItem


@dataclass
class _Entry:
    item: QLayoutItem
    stretch: int


class FlowLayout(QLayout):
    """Left to right, wrapping; the growing items of a line share what is left of it.

    Offers the calls pages make on a ``QHBoxLayout`` bar: ``addWidget(widget, stretch)``,
    ``insertWidget(index, widget, stretch)`` and ``addStretch(stretch)``.
    """

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._entries: list[_Entry] = []
        self._gap = spacing
        #: Heights for widths measured since the last change (Qt asks for them many times
        #: while it lays out a page, as it does of ``QBoxLayout``, which keeps them likewise).
        self._heights: dict[int, int] = {}
        self.setContentsMargins(0, 0, 0, 0)

    # ---- filling -------------------------------------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:
        self._entries.append(_Entry(item, 0))
        self.invalidate()

    def addWidget(self, widget: QWidget, stretch: int = 0) -> None:
        self.insertWidget(len(self._entries), widget, stretch)

    def insertWidget(self, index: int, widget: QWidget, stretch: int = 0) -> None:
        """Put ``widget`` at ``index``; a stretch above 0 lets it take spare room."""
        self.addChildWidget(widget)
        self._entries.insert(index, _Entry(QWidgetItem(widget), stretch))
        self.invalidate()

    def addStretch(self, stretch: int = 1) -> None:
        """Empty room that pushes the following widgets to the end of their line."""
        spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self._entries.append(_Entry(spacer, stretch))
        self.invalidate()

    def count(self) -> int:
        return len(self._entries)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._entries[index].item if 0 <= index < len(self._entries) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        if not 0 <= index < len(self._entries):
            return None
        item = self._entries.pop(index).item
        self.invalidate()
        return item

    # ---- sizes ---------------------------------------------------------------------------

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation.Horizontal

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        height = self._heights.get(width)
        if height is None:
            height = self._heights[width] = self._arrange(QRect(0, 0, width, 0), place=False)
        return height

    def invalidate(self) -> None:
        """A widget changed (or was added, shown, hidden): measure again."""
        self._heights.clear()
        super().invalidate()

    def sizeHint(self) -> QSize:
        """Everything on one line."""
        visible = self._visible()
        width = sum(e.item.sizeHint().width() for e in visible) + self._gap * max(
            len(visible) - 1, 0
        )
        height = max((e.item.sizeHint().height() for e in visible), default=0)
        return self._with_margins(QSize(width, height))

    def minimumSize(self) -> QSize:
        """The widest single widget: every other one can move to a line of its own."""
        visible = self._visible()
        width = max((e.item.minimumSize().width() for e in visible), default=0)
        height = max((e.item.minimumSize().height() for e in visible), default=0)
        return self._with_margins(QSize(width, height))

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, place=True)

    # ---- arranging -----------------------------------------------------------------------

    def _visible(self) -> list[_Entry]:
        return [e for e in self._entries if not e.item.isEmpty() or isinstance(e.item, QSpacerItem)]

    def _with_margins(self, size: QSize) -> QSize:
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    @staticmethod
    def _grows(entry: _Entry) -> bool:
        return entry.stretch > 0 or bool(
            entry.item.expandingDirections() & Qt.Orientation.Horizontal
        )

    def _lines(self, width: int) -> list[list[tuple[_Entry, int]]]:
        """The entries of each line with their natural widths (never wider than a line)."""
        lines: list[list[tuple[_Entry, int]]] = [[]]
        used = 0
        for entry in self._visible():
            natural = min(entry.item.sizeHint().width(), width)
            if lines[-1] and used + self._gap + natural > width:
                lines.append([])
                used = 0
            used += (self._gap if lines[-1] else 0) + natural
            lines[-1].append((entry, natural))
        return [line for line in lines if line]

    def _arrange(self, rect: QRect, place: bool) -> int:
        """Lay out (or only measure) within ``rect``; returns the height used."""
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        lines = self._lines(max(area.width(), 1))
        if not lines:
            return margins.top() + margins.bottom()
        y = area.y()
        for line in lines:
            spare = area.width() - sum(w for _e, w in line) - self._gap * (len(line) - 1)
            growers = [entry for entry, _w in line if self._grows(entry)]
            weights = {id(e): max(e.stretch, 1) for e in growers}
            total = sum(weights.values())
            widths = [
                w + (spare * weights[id(e)] // total if id(e) in weights and spare > 0 else 0)
                for e, w in line
            ]
            heights = [
                e.item.heightForWidth(w)
                if e.item.hasHeightForWidth()
                else e.item.sizeHint().height()
                for (e, _n), w in zip(line, widths, strict=True)
            ]
            line_height = max(heights)
            if place:
                x = area.x()
                for (entry, _natural), w, h in zip(line, widths, heights, strict=True):
                    entry.item.setGeometry(QRect(x, y + (line_height - h) // 2, w, h))
                    x += w + self._gap
            y += line_height + self._gap
        return y - self._gap - area.y() + margins.top() + margins.bottom()
