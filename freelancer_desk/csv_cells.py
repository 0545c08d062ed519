"""Text cells of exported CSV files that no spreadsheet runs as a formula (CSV injection).

Excel, LibreOffice Calc and Google Sheets read a cell that starts with ``=``, ``+``, ``-`` or
``@`` as a formula, and tab or carriage return before them too; a client name such as
``=HYPERLINK("http://…")`` would run when the export is opened. As OWASP recommends, such a
text cell gets a single quote in front: spreadsheets show the text, and the quote says where it
came from. Numbers (amounts, ids) are written as numbers, so a credit note stays ``-500.00``.
``original`` is the way back for a program reading the file again.
"""

from __future__ import annotations

#: How a text cell starts that a spreadsheet would take for a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _quoted(text: str) -> bool:
    """True for a formula start, also behind quotes (so that a text's own quote survives)."""
    return text.lstrip("'").startswith(FORMULA_STARTS)


def neutralise(text: str) -> str:
    """``text`` as a cell a spreadsheet shows as text: a formula start gets a ``'`` before it."""
    return "'" + text if _quoted(text) else text


def original(cell: str) -> str:
    """The text ``neutralise`` was given: the quote before a formula start is taken off again."""
    return cell[1:] if cell.startswith("'") and _quoted(cell) else cell
