"""Reading and writing CSV files that users bring: bounded reads, physical line numbers, quote
mistakes found and located, column names matched loosely, cells made safe for spreadsheets and
terminals.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from districtcontrol import DistrictControlError

MAX_FILE_BYTES = 256 * 2**20
FIELD_LIMIT = csv.field_size_limit()
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?%?")
_UNPRINTABLE = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})
_JOINERS = frozenset("\u200c\u200d")


@dataclass(frozen=True)
class SyntaxProblem:
    """A mistake in the CSV syntax itself, at a physical line of the file."""

    line: int
    message: str
    suggestion: str


def read_limited(path: str | Path, max_bytes: int | None = None) -> bytes:
    """Read a file once (it may be a pipe such as /dev/stdin), refusing one larger than ``max_bytes``
    (default :data:`MAX_FILE_BYTES`) without reading further: /dev/zero is refused, not a memory error."""
    max_bytes = max_bytes or MAX_FILE_BYTES
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except FileNotFoundError as exc:
        raise DistrictControlError("no such file; check the path", str(path)) from exc
    except IsADirectoryError as exc:
        raise DistrictControlError("this is a folder, not a CSV file", str(path)) from exc
    except OSError as exc:
        raise DistrictControlError(f"cannot read the file: {exc.strerror or exc}", str(path)) from exc
    if len(data) > max_bytes:
        raise DistrictControlError(f"the file is larger than {max_bytes // 2**20} MB; is it the right file?", str(path))
    return data


def decode_utf8(data: bytes, path: str | Path) -> str:
    """Decode UTF-8 (a byte-order mark is dropped); a wrong encoding names the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DistrictControlError(
            f"byte 0x{data[exc.start]:02x} is not UTF-8; save the file as UTF-8 (in a spreadsheet: 'CSV UTF-8')",
            str(path),
            line,
        ) from exc


class RowReader:
    """The rows of CSV text, each with the physical line it starts on.

    Iterating yields ``(line, cells)`` for every row, blank rows included (as ``[]``). Syntax
    mistakes are not raised but collected in ``problems``, and the rows they spoil are left
    out: a quote that is never closed (with the line where it opened), a quoted field that
    runs over lines that look like rows of their own, text after a closing quote
    (``"note"junk``), a field longer than the csv module's limit.
    """

    def __init__(self, text: str):
        self._text = text
        self._raw: list[str] = []
        self.problems: list[SyntaxProblem] = []
        self._width = 0

    def _feed(self) -> Iterator[str]:
        for line in io.StringIO(self._text, newline=""):
            self._raw.append(line)
            yield line

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        reader = csv.reader(self._feed(), strict=True)
        end = 0
        while True:
            self._raw = []
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                start, end = end + 1, reader.line_num
                if not self._syntax_error(start, end, str(exc)):
                    return
                continue
            start, end = end + 1, reader.line_num
            if not self._width:
                self._width = len(row)
            elif len(self._raw) > 1 and self._runaway_quote(start):
                continue
            yield start, row

    def _syntax_error(self, start: int, line: int, error: str) -> bool:
        """Record a csv module error; return whether reading can go on after it."""
        if "unexpected end of data" in error:
            opened = _unclosed_quote_line(self._raw, start)
            self.problems.append(
                SyntaxProblem(
                    opened,
                    "a quote opened on this line is never closed, so every line after it is read as one field",
                    'close the quote, or write a quote inside a field as two quotes ("")',
                )
            )
            return False
        if "expected after" in error:
            self.problems.append(self._text_after_quote(start, line))
            return True
        if "field limit" in error:
            self.problems.append(
                SyntaxProblem(line, f"a field is longer than {FIELD_LIMIT:,} characters", "shorten it")
            )
            return False
        self.problems.append(SyntaxProblem(line, f"not readable as CSV: {error}", "save the file as CSV"))
        return False

    def _text_after_quote(self, start: int, line: int) -> SyntaxProblem:
        across = [(opened, closed) for opened, closed in _quoted_spans(self._raw) if closed > opened]
        if across:
            opened = start + across[-1][0]
            message = f"a quote opened on this line closes only on line {line}, where text follows it"
            return SyntaxProblem(opened, message, 'close the quote on this line, or double a quote inside a field ("")')
        message = "text follows a closing quote in the same field"
        return SyntaxProblem(line, message, 'quote the whole field and double every quote inside it: "He said ""no"""')

    def _runaway_quote(self, start: int) -> bool:
        """A quoted field whose inner lines look like rows: report where its quote opened."""
        for opened, closed in _quoted_spans(self._raw):
            inner = self._raw[opened + 1 : closed]
            if self._width > 1 and closed > opened and any(line.count(",") >= self._width - 1 for line in inner):
                self.problems.append(
                    SyntaxProblem(
                        start + opened,
                        f"a quote opened on this line closes only on line {start + closed}, so the lines "
                        "between, which look like rows, are read as one field",
                        'close the quote on this line, or write a quote inside a field as two quotes ("")',
                    )
                )
                return True
        return False


def _quoted_spans(lines: list[str]) -> list[tuple[int, int]]:
    """(line index where a quoted field opens, line index where it closes or -1) for each quoted field."""
    spans = []
    field_start, inside, opened = True, False, 0
    for index, line in enumerate(lines):
        i = 0
        while i < len(line):
            char = line[i]
            if inside:
                if char == '"' and line.startswith('""', i):
                    i += 2
                    continue
                if char == '"':
                    inside = False
                    spans.append((opened, index))
            elif char == '"' and field_start:
                inside, opened = True, index
            field_start = not inside and char in ",\r\n"
            i += 1
    if inside:
        spans.append((opened, -1))
    return spans


def _unclosed_quote_line(lines: list[str], start: int) -> int:
    spans = [opened for opened, closed in _quoted_spans(lines) if closed == -1]
    return start + (spans[0] if spans else 0)


def column_key(name: object) -> str:
    """A column name as it is matched: case, spaces and a byte-order mark ignored (``Province `` is ``province``)."""
    return "".join(str(name).replace("\ufeff", "").split()).casefold()


def duplicate_columns(header: list[str]) -> dict[str, list[int]]:
    """Column keys that appear more than once, with their 1-based positions."""
    positions: dict[str, list[int]] = {}
    for i, name in enumerate(header, start=1):
        positions.setdefault(column_key(name), []).append(i)
    return {key: where for key, where in positions.items() if len(where) > 1}


def printable(text: object) -> str:
    """Text safe to echo on a terminal: control, format and bidirectional-override characters shown escaped.

    The zero-width (non-)joiners of Persian script are kept.
    """
    text = str(text)
    if text.isprintable():
        return text
    return "".join(_escape(char) for char in text)


def _escape(char: str) -> str:
    if char.isprintable() or char in _JOINERS or unicodedata.category(char) not in _UNPRINTABLE:
        return char
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def spreadsheet_safe(cell: object) -> str:
    """A cell a spreadsheet shows as text: one starting with = + - @ (a formula) gets a leading apostrophe.

    Plain numbers such as ``-3`` or ``+4.5`` are left as they are.
    """
    text = "" if cell is None else str(cell)
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text
