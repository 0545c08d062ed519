"""Turning the bytes of a real-world CSV file into rows, with a clear message when it can't.

Files come from Excel on Windows (Windows-1252, ``;``), web apps (UTF-8, ``,``), spreadsheets
saved as "Unicode text" (UTF-16, tab) and from tools that write a few info lines above the
header and a totals row below the data. The stdlib ``csv`` module does the parsing; this
module only decides the encoding, refuses what is not a table, and keeps line numbers so that
every message can say where a problem is.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from freelancer_desk.errors import DeskError
from freelancer_desk.i18n import _

#: Biggest file accepted (about 2 million invoice lines).
MAX_FILE_BYTES = 200 * 1024 * 1024
#: Longest physical line accepted; real table lines are far shorter.
MAX_LINE_CHARS = 1024 * 1024
#: Delimiters tried, in order of preference when two fit equally well.
DELIMITERS = (";", ",", "\t", "|")

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "workbook"),
    (b"\xd0\xcf\x11\xe0", "workbook"),
    (b"%PDF", "pdf"),
    (b"SQLite format 3\x00", "database"),
)
_EXCEL_TEXT = re.compile(r'^="(.*)"$', re.DOTALL)


class ImportFileError(DeskError):
    """The file as a whole cannot be imported (empty, binary, no header, giant line ...)."""


@dataclass(frozen=True)
class SourceRow:
    """One record of the file: where it starts and its cells (trimmed)."""

    line: int
    cells: tuple[str, ...]

    def cell(self, index: int) -> str:
        """The cell at ``index``, or "" when the row is shorter."""
        return self.cells[index] if index < len(self.cells) else ""


@dataclass(frozen=True)
class Decoded:
    """The text of a file and the encoding it was read with (for the summary)."""

    text: str
    encoding: str


def read_file(path: Path) -> bytes:
    """The bytes of ``path``, refusing folders, unreadable and oversized files with a message."""
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise ImportFileError(_("{path} is a folder, not a file.").format(path=path))
        if size > MAX_FILE_BYTES:
            raise ImportFileError(
                _("{path} is too big to import ({size} MB; at most {limit} MB).").format(
                    path=path.name,
                    size=size // (1024 * 1024),
                    limit=MAX_FILE_BYTES // (1024 * 1024),
                )
            )
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise ImportFileError(_("There is no file {path}.").format(path=path)) from exc
    except PermissionError as exc:
        raise ImportFileError(
            _("You have no permission to read {path}.").format(path=path)
        ) from exc
    except OSError as exc:  # the system's own words: rare enough not to translate each
        raise ImportFileError(
            _("Cannot read {path}: {reason}").format(path=path, reason=exc.strerror or exc)
        ) from exc


def decode(data: bytes) -> Decoded:
    """The file's text: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if data.startswith(codecs.BOM_UTF8):
        return Decoded(_decode_or_binary(data[3:], "utf-8"), _("UTF-8 with BOM"))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Decoded(_decode_or_binary(data, "utf-16"), "UTF-16")
    _refuse_binary(data)
    try:
        return Decoded(data.decode("utf-8"), "UTF-8")
    except UnicodeDecodeError:
        # Windows-1252 leaves five bytes undefined; Latin-1 reads them rather than failing.
        try:
            return Decoded(data.decode("cp1252"), "Windows-1252")
        except UnicodeDecodeError:
            return Decoded(data.decode("latin-1"), "Windows-1252")


def _decode_or_binary(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _(
                "The file claims to be {encoding} text but is not; it looks like a binary file."
            ).format(encoding=encoding.upper())
        ) from exc
    if not text.strip():
        raise ImportFileError(_("The file is empty."))
    return text


def _refuse_binary(data: bytes) -> None:
    """Refuse workbooks, PDFs, databases and other binary files with a message that helps."""
    for magic, kind in _SIGNATURES:
        if data.startswith(magic):
            if kind == "workbook":
                raise ImportFileError(
                    _(
                        "This is a spreadsheet workbook (Excel or similar), not a CSV file. "
                        "Open it and save the sheet as CSV first."
                    )
                )
            raise ImportFileError(_("This is a PDF or database file, not a CSV table."))
    head = data[:65536]
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13))
    if b"\x00" in head or controls > len(head) // 100:
        raise ImportFileError(_("This is a binary file, not a CSV table."))


def check_line_lengths(text: str) -> None:
    """Refuse a file with a giant line before the CSV parser tries to hold it as one cell."""
    position, line = 0, 1
    for match in re.finditer(r"\r\n|\r|\n", text):
        if match.start() - position > MAX_LINE_CHARS:
            break
        position, line = match.end(), line + 1
    else:
        if len(text) - position <= MAX_LINE_CHARS:
            return
    end = text.find("\n", position)
    length = (len(text) if end < 0 else end) - position
    raise ImportFileError(
        _(
            "Line {line} is {size} MB long; a table line is at most {limit} MB. "
            "This does not look like a CSV table."
        ).format(
            line=line, size=f"{length / (1024 * 1024):.1f}", limit=MAX_LINE_CHARS // (1024 * 1024)
        )
    )


def split_rows(text: str, delimiter: str, limit: int | None = None) -> list[SourceRow]:
    """The non-blank records of ``text`` (at most ``limit``), each with its first line number."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    rows: list[SourceRow] = []
    start = 1
    try:
        for record in reader:
            cells = tuple(
                [_clean_cell(cell) if cell[:1] == "=" else cell.strip() for cell in record]
            )
            if any(cells):
                rows.append(SourceRow(start, cells))
                if limit is not None and len(rows) >= limit:
                    break
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFileError(
            _("Line {line}: the CSV cannot be read ({reason}).").format(line=start, reason=exc)
        ) from exc
    return rows


def _clean_cell(cell: str) -> str:
    """Excel's ``="00123"`` (a formula that forces text) as ``00123``; other cells trimmed."""
    cell = cell.strip()
    match = _EXCEL_TEXT.match(cell)
    return match.group(1).strip() if match else cell
