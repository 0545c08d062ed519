"""Fitting a table's columns into its width: one rule for every list (``RecordList``) and the
import wizard's preview.

Each column has a natural width (its content, within reason) and a least width (its heading,
and content that must not be cut: amounts, short words). When the natural widths together are
wider than the table, the widest columns give room first, none below its least width; so no
heading is cut and the last column does not hide beyond the right edge ("Rückgew…"). Long
free text (names, reasons, notes) may be cut and is shown whole in its tooltip. The columns
are fitted again whenever the table's width changes, until the user drags a column: their
widths are kept from then on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QTableView

#: Text up to this width is never cut (a kind, a channel, a short status word, a date).
SHORT_TEXT = 110
#: The width the first (naming) column keeps while others can still give room.
NAME_ROOM = 230


def short_floor(width: int) -> int:
    """The least width of a text column whose content is ``width`` wide: all of it when short."""
    return width if width <= SHORT_TEXT else 0


def narrow_columns(widths: dict[int, int], floors: Mapping[int, int], excess: int) -> None:
    """Take ``excess`` pixels from the widest columns first, none below its floor."""
    while excess > 0:
        spare = {c: widths[c] - floors[c] for c in widths if widths[c] > floors[c]}
        if not spare:
            return  # the least widths together are wider than the table: it scrolls
        widest = max(widths[c] for c in spare)
        wide = [c for c in spare if widths[c] == widest]
        others = [widths[c] for c in spare if widths[c] < widest]
        step = max(
            min(
                min(spare[c] for c in wide),
                widest - max(others, default=0),
                -(-excess // len(wide)),
            ),
            1,
        )
        for c in wide:
            widths[c] -= step
        excess -= step * len(wide)


class ColumnFitter(QObject):
    """Keeps ``view``'s columns fitted into its width (see the module's docstring).

    ``keep_name``: the first shown column names the record ("Hanse Logistik Nord" vs "… Süd"):
    it keeps up to ``NAME_ROOM`` pixels until the other columns are down to their least widths,
    and keeps them when the table has to scroll anyway. ``by_hand`` is called when the user
    dragged a column (the fitting stops then).
    """

    def __init__(
        self,
        view: QTableView,
        keep_name: bool = False,
        by_hand: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(view)
        self._view = view
        self._keep_name = keep_name
        self._by_hand = by_hand
        #: Each column's width for its content, and the least it may be narrowed to (empty
        #: until ``fit`` and once the user sized a column).
        self.natural: dict[int, int] = {}
        self.floors: dict[int, int] = {}
        #: Whether the widths being set are ours (not the user's dragging).
        self.fitting = False
        view.horizontalHeader().sectionResized.connect(self._resized)
        view.viewport().installEventFilter(self)

    def fit(self, natural: Mapping[int, int], floors: Mapping[int, int]) -> None:
        """Fit the columns with these natural and least widths, now and on every resize."""
        self.natural, self.floors = dict(natural), dict(floors)
        self.fit_to_view()

    def stop(self) -> None:
        """Keep the widths as they are (the user chose them)."""
        self.natural = {}

    def fit_to_view(self) -> None:
        """Columns as wide as their content, narrowed when together they are wider than the
        table: the widest first, never below their least width."""
        if not self.natural:
            return
        view = self._view
        room = view.viewport().width()
        visible = [c for c in sorted(self.natural) if not view.isColumnHidden(c)]
        floors = self.floors
        widths = {c: max(self.natural[c], floors[c]) for c in visible}
        if self._keep_name and visible:
            first = visible[0]
            name_floors = {c: floors[c] for c in visible}
            name_floors[first] = max(floors[first], min(widths[first], NAME_ROOM))
            narrow_columns(widths, name_floors, sum(widths.values()) - room)
        # when the least widths do not fit either, it scrolls anyway: the name keeps its room
        if not self._keep_name or sum(floors[c] for c in visible) <= room:
            narrow_columns(widths, floors, sum(widths.values()) - room)
        self._apply(widths)

    def _apply(self, widths: dict[int, int]) -> None:
        self.fitting = True
        try:
            for column, width in widths.items():
                self._view.setColumnWidth(column, width)
        finally:
            self.fitting = False

    def _resized(self, *_args: object) -> None:
        """A column the user dragged keeps its width: stop fitting them to the table."""
        if not self.fitting and self._view.horizontalHeader().underMouse():
            self.stop()
            if self._by_hand is not None:
                self._by_hand()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The table's visible width changed: fit the columns into it again."""
        if event.type() == QEvent.Type.Resize and not self.fitting:
            self.fit_to_view()
        return super().eventFilter(watched, event)
