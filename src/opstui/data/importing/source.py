"""Reading an export file: UTF-8 text (with or without a BOM) as CSV rows or JSON items,
each with the line it starts on, streamed so a file of any size is never held as rows.

A file that is not UTF-8 text (another encoding, UTF-16, a spreadsheet, an image) is refused
with one line naming what it is and where; so is CSV or JSON that cannot be parsed.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO

from opstui.domain.text import clean_line

NOTHING_IMPORTED = "nothing was imported"

_FIELD_LIMIT = 1 << 24
"""The longest cell read (16 MB): Jira descriptions and comment columns can be long."""
_SNIFF_BYTES = 8192
_UTF16_32 = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_BINARY = {
    b"PK\x03\x04": "a ZIP archive (an .xlsx spreadsheet?)",
    b"\xd0\xcf\x11\xe0": "an Office document (an .xls spreadsheet?)",
    b"%PDF": "a PDF document",
    b"SQLite format 3\x00": "a SQLite database",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"\x1f\x8b": "a gzip archive",
}


class SourceError(Exception):
    """The file cannot be read as an export; the message is one line for the user."""


def fold(name: str) -> str:
    """A column name as matched: case and spacing aside (`Issue key` = `issue  KEY`)."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True, slots=True)
class Header:
    """A CSV file's first row. Jira repeats names (several `Labels`, `Sprint`, `Comment`
    columns), so each name maps to every position it has."""

    names: tuple[str, ...]
    positions: dict[str, tuple[int, ...]]

    @classmethod
    def of(cls, cells: list[str]) -> Header:
        names = tuple(clean_line(cell) for cell in cells)
        positions: dict[str, list[int]] = {}
        for index, name in enumerate(names):
            if name:
                positions.setdefault(fold(name), []).append(index)
        return cls(names, {name: tuple(found) for name, found in positions.items()})

    def has(self, *names: str) -> bool:
        return all(fold(name) in self.positions for name in names)

    def picker(self, *names: str) -> Callable[[Row], tuple[str, ...]]:
        """A reader of the first cell of each named column (folded names) from a row, in one
        step: '' for a column the file does not have or a row too short to reach it."""
        width = len(self.names)
        indices = [self.positions.get(name, (width,))[0] for name in names]
        pick = itemgetter(*indices)

        def read(row: Row) -> tuple[str, ...]:
            cells = row.cells
            if len(cells) <= width:
                cells = cells + [""] * (width + 1 - len(cells))
            found = pick(cells)
            return found if isinstance(found, tuple) else (found,)

        return read

    def label(self, name: str) -> str:
        """The column's name as the file spells it (for messages)."""
        found = self.positions.get(fold(name))
        return self.names[found[0]] if found else name


class Row:
    """One CSV record: its cells, by column name, and the line it starts on."""

    __slots__ = ("cells", "header", "line")

    def __init__(self, line: int, cells: list[str], header: Header) -> None:
        self.line = line
        self.cells = cells
        self.header = header

    def get(self, name: str) -> str:
        """The cell of the first column called `name`, trimmed ('' when there is none)."""
        found = self.header.positions.get(name)
        if not found or found[0] >= len(self.cells):
            return ""
        return self.cells[found[0]].strip()

    def every(self, name: str) -> list[str]:
        """The non-empty cells of every column called `name`, in the file's order."""
        cells = self.cells
        return [
            cells[index].strip()
            for index in self.header.positions.get(name, ())
            if index < len(cells) and cells[index].strip()
        ]


class SourceFile:
    """An export file opened for reading: `with SourceFile(path) as source: ...`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._raw: BinaryIO | None = None
        self._wrapper: io.TextIOWrapper | None = None
        self._json_position = 0
        self.size = 0

    def __enter__(self) -> SourceFile:
        path = self.path
        try:
            if path.is_dir():
                raise SourceError(f"{path}: is a directory, not an export file")
            raw = path.open("rb")
        except FileNotFoundError:
            raise SourceError(f"{path}: no such file") from None
        except OSError as error:
            raise SourceError(f"{path}: cannot read ({error.strerror or error})") from None
        self._raw = raw
        try:
            self.size = path.stat().st_size
            self._refuse_non_text(raw.read(_SNIFF_BYTES))
            raw.seek(0)
        except BaseException:
            raw.close()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._wrapper is not None:
            self._wrapper.close()
        elif self._raw is not None:
            self._raw.close()

    def _refuse_non_text(self, head: bytes) -> None:
        path = self.path
        if not head.strip(b" \t\r\n\xef\xbb\xbf"):
            raise SourceError(f"{path}: empty file, {NOTHING_IMPORTED}")
        if head.startswith(_UTF16_32):
            raise SourceError(
                f"{path}: UTF-16 or UTF-32 text, not UTF-8; save it as UTF-8 (CSV UTF-8 in a "
                f"spreadsheet) and import again; {NOTHING_IMPORTED}"
            )
        for magic, what in _BINARY.items():
            if head.startswith(magic):
                raise SourceError(f"{path}: {what}, not CSV or JSON text; {NOTHING_IMPORTED}")
        if b"\x00" in head:
            raise SourceError(f"{path}: a binary file, not CSV or JSON text; {NOTHING_IMPORTED}")

    @property
    def raw(self) -> BinaryIO:
        assert self._raw is not None, "open the file with `with` first"
        return self._raw

    def position(self) -> int:
        """About how many bytes have been read (for progress)."""
        if self._json_position:
            return self._json_position
        try:
            return self.raw.tell()
        except (OSError, ValueError):
            return 0

    def is_json(self) -> bool:
        """Whether the file holds JSON (its first character opens an array or object)."""
        head = self.raw.read(_SNIFF_BYTES).lstrip(b"\xef\xbb\xbf \t\r\n")
        self.raw.seek(0)
        return head[:1] in (b"[", b"{")

    def _text(self) -> io.TextIOWrapper:
        """The file as text, from its start: the csv module wants `newline=''`."""
        self.raw.seek(0)
        if self._wrapper is not None:
            self._wrapper.detach()
        # Kept, so that dropping it cannot close the file under us; closed on exit.
        self._wrapper = io.TextIOWrapper(
            self.raw, encoding="utf-8-sig", errors="strict", newline=""
        )
        return self._wrapper

    # -- CSV ---------------------------------------------------------------------------------

    def csv_rows(self) -> tuple[Header, Iterator[Row]]:
        """The header and an iterator of the rows after it; blank lines are skipped."""
        sample = self._first_line()
        text = self._text()
        delimiter = max((",", ";", "\t"), key=sample.count)
        csv.field_size_limit(_FIELD_LIMIT)
        reader = csv.reader(text, delimiter=delimiter)
        try:
            cells = next(reader)
        except StopIteration:
            raise SourceError(f"{self.path}: empty file, {NOTHING_IMPORTED}") from None
        except (UnicodeDecodeError, csv.Error) as error:
            raise self._failure(error, reader.line_num) from None
        header = Header.of(cells)
        return header, self._records(reader, header)

    def _first_line(self) -> str:
        self.raw.seek(0)
        line = self.raw.readline(_SNIFF_BYTES).decode("utf-8-sig", "replace")
        self.raw.seek(0)
        return line

    def _records(self, reader: Any, header: Header) -> Iterator[Row]:
        previous = reader.line_num
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except (UnicodeDecodeError, csv.Error) as error:
                raise self._failure(error, previous + 1) from None
            start = previous + 1
            previous = reader.line_num
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue
            yield Row(start, cells, header)

    def _failure(self, error: Exception, line: int) -> SourceError:
        if isinstance(error, UnicodeDecodeError):
            return self._not_utf8()
        return SourceError(f"{self.path}: line {line}: not valid CSV ({error}); {NOTHING_IMPORTED}")

    def _not_utf8(self) -> SourceError:
        """Where the file stops being UTF-8: the first line that cannot be decoded."""
        self.raw.seek(0)
        for number, line in enumerate(self.raw, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as error:
                byte = line[error.start]
                return SourceError(
                    f"{self.path}: line {number} is not UTF-8 text (byte 0x{byte:02x}); save "
                    f"the file as UTF-8 (with or without BOM) and import again; "
                    f"{NOTHING_IMPORTED}"
                )
        return SourceError(f"{self.path}: not UTF-8 text; {NOTHING_IMPORTED}")

    # -- JSON --------------------------------------------------------------------------------

    def json_items(self) -> Iterator[tuple[int, Any]]:
        """Each item of a JSON array (or each object of JSON Lines), with its line."""
        try:
            text = self._text().read()
        except UnicodeDecodeError:
            raise self._not_utf8() from None
        decoder = json.JSONDecoder()
        lines = _LineCounter(text)
        index = _skip(text, 0)
        in_array = text.startswith("[", index)
        if in_array:
            index = _skip(text, index + 1)
            if text.startswith("]", index):
                return
        while index < len(text):
            try:
                value, end = decoder.raw_decode(text, index)
            except json.JSONDecodeError as error:
                raise SourceError(
                    f"{self.path}: line {error.lineno}: not valid JSON ({error.msg}); "
                    f"{NOTHING_IMPORTED}"
                ) from None
            self._json_position = end
            yield lines.at(index), value
            index = _skip(text, end)
            if not in_array:
                continue
            if text.startswith(",", index):
                index = _skip(text, index + 1)
            elif text.startswith("]", index):
                index = _skip(text, index + 1)
                if index < len(text):
                    break
                return
            else:
                break
        if in_array or index < len(text):
            raise SourceError(
                f"{self.path}: line {lines.at(min(index, len(text)))}: not valid JSON "
                f"(the list is not closed with ]); {NOTHING_IMPORTED}"
            )


_SPACE = re.compile(r"[ \t\r\n]*")


def _skip(text: str, index: int) -> int:
    match = _SPACE.match(text, index)
    return match.end() if match else index


class _LineCounter:
    """Line numbers of positions met in increasing order, counted once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0
        self.line = 1

    def at(self, index: int) -> int:
        self.line += self.text.count("\n", self.position, index)
        self.position = index
        return self.line
