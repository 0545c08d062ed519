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
import itertools
import os
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from freelancer_desk import formatting
from freelancer_desk.csv_cells import original
from freelancer_desk.errors import DeskError
from freelancer_desk.i18n import N_, _

#: Biggest file accepted by default (about 2 million invoice lines); ``--max-size`` changes it.
MAX_FILE_BYTES = 200 * 1024 * 1024
MEGABYTE = 1024 * 1024
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


@dataclass(frozen=True, slots=True)
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


def read_file(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of ``path``; folders, pipes, devices and files over ``limit`` are refused.

    The kind and size are checked with ``os.stat`` before opening, so that a pipe (FIFO) or
    ``/dev/zero`` is refused at once instead of blocking or filling the memory; the file is
    then opened without blocking and checked again, and never more than ``limit`` bytes are
    read, so that a file swapped or growing in between is refused too.
    """
    try:
        _check_kind_and_size(path, os.stat(path), limit)
        handle = os.open(
            path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        )
        with os.fdopen(handle, "rb") as file:
            info = os.fstat(file.fileno())
            _check_kind_and_size(path, info, limit)
            data = _read_up_to(file, info.st_size, limit)
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
    if len(data) > limit:
        raise _too_big(path, len(data), limit)
    return data


def _read_up_to(file: io.BufferedReader, size: int, limit: int) -> bytes:
    """The file's bytes, at most ``limit + 1`` of them (one more tells a file over the limit).

    Asking for its size plus one first spares a buffer of ``limit`` bytes per file (a folder
    of a thousand invoices); a file that grew since ``fstat`` is read on, up to the limit.
    """
    data = file.read(min(size, limit) + 1)
    if len(data) > size:
        data += file.read(limit + 1 - len(data))
    return data


#: What a path is when it is no regular file, by ``stat`` file type.
_NOT_A_FILE = (
    (stat.S_ISFIFO, N_("{path} is a pipe (FIFO), not a file. Save the data to a file first.")),
    (stat.S_ISCHR, N_("{path} is a device, not a file.")),
    (stat.S_ISBLK, N_("{path} is a device, not a file.")),
    (stat.S_ISSOCK, N_("{path} is a socket, not a file.")),
)


def _check_kind_and_size(path: Path, info: os.stat_result, limit: int) -> None:
    """Refuse anything but a regular file, and a file over ``limit`` bytes."""
    if stat.S_ISDIR(info.st_mode):
        raise ImportFileError(_("{path} is a folder, not a file.").format(path=path))
    for test, message in _NOT_A_FILE:
        if test(info.st_mode):
            raise ImportFileError(_(message).format(path=path))
    if not stat.S_ISREG(info.st_mode):
        raise ImportFileError(_("{path} is not a regular file.").format(path=path))
    if info.st_size > limit:
        raise _too_big(path, info.st_size, limit)


def _too_big(path: Path, size: int, limit: int) -> ImportFileError:
    return ImportFileError(
        _("{path} is too big to import ({size} MB; at most {limit} MB).").format(
            path=path.name,
            size=f"{size / MEGABYTE:.1f}",
            limit=f"{limit / MEGABYTE:g}",
        )
    )


def decode(data: bytes) -> Decoded:
    """The file's text: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252.

    A file that mixes UTF-8 lines with lines in another encoding is refused naming the first
    line that differs: read either way, some of its umlauts would come out wrong.
    """
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if data.startswith(codecs.BOM_UTF8):
        try:
            return Decoded(_not_empty(data[3:].decode("utf-8")), _("UTF-8 with BOM"))
        except UnicodeDecodeError as exc:
            raise _mixed(data, exc.start + 3, 1) from exc
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return Decoded(_not_empty(data.decode("utf-16")), "UTF-16")
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                _("The file claims to be UTF-16 text but is not; it looks like a binary file.")
            ) from exc
    _refuse_binary(data)
    try:
        return Decoded(data.decode("utf-8"), "UTF-8")
    except UnicodeDecodeError as exc:
        _refuse_mixed(data, exc.start)
    # Windows-1252 leaves five bytes undefined; Latin-1 reads them rather than failing.
    try:
        return Decoded(data.decode("cp1252"), "Windows-1252")
    except UnicodeDecodeError:
        return Decoded(data.decode("latin-1"), "Windows-1252")


def _not_empty(text: str) -> str:
    if not text.strip():
        raise ImportFileError(_("The file is empty."))
    return text


#: A UTF-8 sequence of two to four bytes (the non-ASCII letters of a UTF-8 file).
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_LINE_BREAK = re.compile(rb"\r\n|\r|\n")


def _refuse_mixed(data: bytes, bad: int) -> None:
    """Refuse a file that is partly UTF-8 and partly another encoding (``bad``: first non-UTF-8).

    Before ``bad`` everything is UTF-8; if that part has UTF-8 letters, ``bad`` breaks the
    pattern. Otherwise the file is Windows-1252 from ``bad`` on, and a UTF-8 letter after it
    breaks the pattern.
    """
    earlier = re.search(rb"[\x80-\xff]", data[:bad])
    if earlier is not None:
        raise _mixed(data, bad, _line_at(data, earlier.start()))
    later = _first_utf8_sequence(data, bad)
    if later is not None:
        raise _mixed(data, later, _line_at(data, bad))


#: Where a UTF-8 sequence may start: a lead byte and a continuation byte.
_UTF8_PAIR = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")


def _first_utf8_sequence(data: bytes, start: int) -> int | None:
    """Where the first UTF-8 letter at or after ``start`` begins, or None.

    A simple pattern finds the few places where one can begin (in a Windows-1252 file they
    are rare), and only there the full one checks: five times quicker over a whole file.
    """
    for candidate in _UTF8_PAIR.finditer(data, start):
        if _UTF8_SEQUENCE.match(data, candidate.start()):
            return candidate.start()
    return None


def _mixed(data: bytes, position: int, first: int) -> ImportFileError:
    return ImportFileError(
        _(
            "Line {line} is written in another encoding than line {first} (the file mixes "
            "UTF-8 and Windows encoding), so its umlauts would be read wrong. Save the file "
            "again in one encoding, e.g. UTF-8."
        ).format(line=_line_at(data, position), first=first)
    )


def _line_at(data: bytes, position: int) -> int:
    """The line (from 1) that holds byte ``position``."""
    return len(_LINE_BREAK.findall(data, 0, max(position, 0))) + 1


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


def lines_fit(text: str, limit: int) -> bool:
    """True when no line of ``text`` (split at "\n" only) is longer than ``limit``.

    Jumps from the last line end within ``limit`` characters to the next, so a large file is
    looked at in a few calls; splitting it into lines held the interpreter for a twentieth of
    a second while the window waited.
    """
    start = 0
    while len(text) - start > limit:
        end = text.rfind("\n", start, start + limit + 1)
        if end < 0:
            return False
        start = end + 1
    return True


def check_line_lengths(text: str) -> None:
    """Refuse a file with a giant line before the CSV parser tries to hold it as one cell."""
    if lines_fit(text, MAX_LINE_CHARS):
        return  # (split at "\n" only, lines are as long as they are or longer)
    lengths = [len(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    if max(lengths) <= MAX_LINE_CHARS:
        return
    line, length = next((n, size) for n, size in enumerate(lengths, 1) if size > MAX_LINE_CHARS)
    raise ImportFileError(
        _(
            "Line {line} is {size} MB long; a table line is at most {limit} MB. "
            "This does not look like a CSV table."
        ).format(
            line=line,
            size=formatting.number(length / (1024 * 1024), digits=1),
            limit=MAX_LINE_CHARS // (1024 * 1024),
        )
    )


#: How much of a large text ``split_rows`` reads for its first rows: the header search needs a
#: few dozen, and copying all of a large file for each delimiter it tries cost more than
#: reading them.
HEAD_CHARS = 256 * 1024


def split_rows(text: str, delimiter: str, limit: int | None = None) -> list[SourceRow]:
    """The non-blank records of ``text`` (at most ``limit``), each with its first line number.

    A quote that opens a cell and is never closed would make the rest of the file one cell;
    such a file is refused naming the line of the quote. With a ``limit``, only the head of
    a large text is read when it holds the records asked for.
    """
    if limit is not None and len(text) > HEAD_CHARS:
        head = text[: text.rfind("\n", 0, HEAD_CHARS) + 1]
        # One record more than asked: the last one asked then ended inside the head.
        rows = list(itertools.islice(_records(head, delimiter, whole=False), limit + 1))
        if len(rows) > limit:
            return rows[:limit]
    return list(itertools.islice(_records(text, delimiter), limit))


def _records(text: str, delimiter: str, whole: bool = True) -> Iterator[SourceRow]:
    """The non-blank records of ``text`` (``whole``: all of the file, so that a quote still
    open at its end is refused)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    start = last_start = 1
    formulas = "=" in text  # most files have none: then no record needs looking at for them
    try:
        for record in reader:
            if formulas and "\x00=" in "\x00" + "\x00".join(record):  # a cell starts with "="
                cells = tuple(
                    [_clean_cell(cell) if cell[:1] == "=" else cell.strip() for cell in record]
                )
            else:  # the usual row, trimmed at C speed
                cells = tuple(map(str.strip, record))
            if any(cells):
                yield SourceRow(start, cells)
            last_start, start = start, reader.line_num + 1
    except csv.Error as exc:
        raise ImportFileError(
            _("Line {line}: the CSV cannot be read ({reason}).").format(line=start, reason=exc)
        ) from exc
    if whole and reader.line_num > last_start and _ends_inside_quotes(text, last_start, delimiter):
        raise ImportFileError(
            _(
                'Line {line}: a quote (") opens a cell here and is never closed, so the rest of '
                "the file would be read as one cell. Check the quotes in this line."
            ).format(line=last_start)
        )


def exported_cells(rows: Sequence[SourceRow]) -> list[SourceRow]:
    """The rows of a file our own export wrote, each cell as it was before the export put a
    ``'`` before text a spreadsheet would run as a formula (``csv_cells``).

    Only for a file recognised as our export by its header: in anybody else's file a leading
    ``'`` is part of the text.
    """
    return [
        SourceRow(row.line, tuple([original(cell) for cell in row.cells]))
        if any(cell[:1] == "'" for cell in row.cells)
        else row
        for row in rows
    ]


def _ends_inside_quotes(text: str, line: int, delimiter: str) -> bool:
    """Whether the record starting at ``line`` runs to the end of ``text`` in an open quote."""
    breaks = re.finditer(r"\r\n|\r|\n", text)
    offset = 0
    for _number, found in zip(range(line - 1), breaks, strict=False):
        offset = found.end()
    try:
        tail = io.StringIO(text[offset:], newline="")
        for _record in csv.reader(tail, delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _clean_cell(cell: str) -> str:
    """Excel's ``="00123"`` (a formula that forces text) as ``00123``; other cells trimmed."""
    cell = cell.strip()
    match = _EXCEL_TEXT.match(cell)
    return match.group(1).strip() if match else cell
