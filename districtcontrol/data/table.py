"""Read and validate control tables: ``group,province,district,status,date,source,note`` (and ``pcode``).

Every problem in a table is collected, with its file, line and column, before anything is
raised, so a user fixes a table in one pass. Names are checked here only for being present;
whether they exist on the map is :mod:`districtcontrol.geo.names`' job.

Column names are matched whatever their case and spacing (``Province``, `` District ``).
``group``, ``district`` and ``status`` must be there; ``province``, ``date``, ``source``,
``note`` and ``pcode`` may be left out. Dates are ISO 8601 (``YYYY``, ``YYYY-MM`` or
``YYYY-MM-DD``) unless a ``date_format`` is given, and are kept as ISO text with ASCII digits,
so they sort as dates.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from operator import itemgetter
from pathlib import Path
from typing import Any

from districtcontrol import DistrictControlError
from districtcontrol._csv import (
    RowReader,
    SyntaxProblem,
    column_key,
    decode_utf8,
    duplicate_columns,
    printable,
    read_limited,
)
from districtcontrol.data._dates import (  # noqa: F401 (public here)
    DATE_PATTERN,
    _check_date_format,
    _date_hint,
    _read_date,
    date_problem,
    normalise_date,
)

COLUMNS = ("group", "province", "district", "status", "date", "source", "note")
OPTIONAL_COLUMNS = ("pcode",)
REQUIRED_COLUMNS = ("group", "district", "status")
REQUIRED = ("group", "status")
MAX_FIELD_CHARS = 20_000
# How close (rapidfuzz ratio, case aside) a mistyped key, value or column must be to be offered as "did you mean".
DID_YOU_MEAN_SCORE = 50
_KNOWN = COLUMNS + OPTIONAL_COLUMNS

TableInput = Any  # a path, a pandas DataFrame, a list of dicts, or None for the shipped table


@dataclass(frozen=True)
class Record:
    """One row of a control table; ``line`` is its line number in the file (header is 1).

    For a DataFrame or a list of dicts, ``line`` is the row's position counting from 1.
    ``date`` is ISO 8601 text (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) or empty; ``pcode``
    is the district code the row gives, if any, still to be checked against the boundaries.
    """

    line: int
    group: str
    province: str
    district: str
    status: str
    date: str
    source: str
    note: str
    pcode: str = ""

    @property
    def is_province_note(self) -> bool:
        """True for a province-level statement (empty district)."""
        return not self.district


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a table: where it is, what it is, and how to fix it."""

    path: str
    line: int | None
    column: str | None
    message: str
    suggestion: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        col = f" [{self.column}]" if self.column else ""
        hint = f" ({self.suggestion})" if self.suggestion else ""
        return printable(f"{where}{col}: {self.message}{hint}")


class TableError(DistrictControlError):
    """A control table with one or more problems; ``problems`` lists them all."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        first = self.problems[0] if self.problems else None
        Exception.__init__(self, "\n".join(str(p) for p in self.problems))
        self.path = first.path if first else None
        self.line = first.line if first else None
        self.message = str(self)

    def __reduce__(self):
        return (type(self), (self.problems,))


def default_table_path() -> Path:
    """The control table shipped with the package, transcribed from the 2017 report."""
    return Path(str(resources.files("districtcontrol.data").joinpath("control.csv")))


def aliases_path() -> Path:
    """The curated alias table shipped with the package."""
    return Path(str(resources.files("districtcontrol.data").joinpath("aliases.csv")))


def read_table(table: TableInput = None, *, date_format: str | None = None, legend=None) -> list[Record]:
    """Read a control table and return its records; raise :class:`TableError` listing every problem.

    ``table`` is a path (default: the shipped table), a pandas DataFrame or a list of dicts
    (one per row, column name to value). A UTF-8 byte-order mark and Windows line endings are
    accepted. ``date_format`` (strftime, e.g. ``%m/%d/%Y``) reads dates that are not ISO 8601.
    """
    records, problems = _parse(table, date_format, legend)
    if problems:
        raise TableError(problems=problems)
    return records


def validate_table(table: TableInput = None, *, date_format: str | None = None, legend=None) -> list[Problem]:
    """Return every problem in a control table (an empty list when it is fine); see :func:`read_table`."""
    return _parse(table, date_format, legend)[1]


def check_table(
    table: TableInput = None, *, date_format: str | None = None, legend=None
) -> tuple[list[Record], list[Problem]]:
    """The records of a table's good rows and every problem of the others, without raising.

    What ``validate`` needs to go on to the names of the good rows when some rows are bad.
    """
    return _parse(table, date_format, legend)


def _parse(table: TableInput, date_format: str | None, legend=None) -> tuple[list[Record], list[Problem]]:
    _check_date_format(date_format)
    source = _open(table)
    if source.refused:
        return [], source.refused
    problems = _check_header(source.name, source.header)
    if problems:
        return [], problems
    check = _RowChecker(source.name, source.header, date_format, _Vocabulary.of(legend))
    records: list[Record] = []
    with _no_garbage_collection():
        for line, row in source.rows:
            record = check(line, row)
            if record:
                records.append(record)
    problems = check.problems + [Problem(source.name, p.line, None, p.message, p.suggestion) for p in source.syntax]
    problems.sort(key=lambda p: p.line or 0)
    if not check.rows and not problems:
        return [], [Problem(source.name, 1, None, "the table has a header but no rows", "add at least one row")]
    problems.extend(_check_consistency(source.name, records))
    return records, problems


@contextmanager
def _no_garbage_collection() -> Iterator[None]:
    """Pause the cycle collector while a large table becomes records: they form no cycles, and its
    passes over millions of new objects would take longer than the reading itself."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class _Source:
    """A table being read: its name in messages, header, numbered rows (read lazily), the CSV syntax
    problems found while reading them, and the problems that stopped reading before any row."""

    name: str
    header: list[str] = field(default_factory=list)
    rows: Iterable[tuple[int, list[str]]] = ()
    syntax: list[SyntaxProblem] = field(default_factory=list)
    refused: list[Problem] = field(default_factory=list)


def _open(table: TableInput) -> _Source:
    if table is None or isinstance(table, str | os.PathLike):
        return _open_csv(Path(table) if table else default_table_path())
    if hasattr(table, "columns") and hasattr(table, "itertuples"):
        header = [str(c) for c in table.columns]
        rows = ([_cell(v) for v in values] for values in table.itertuples(index=False, name=None))
        return _Source("DataFrame", header, enumerate(rows, start=1))
    if isinstance(table, list | tuple) and all(isinstance(row, Mapping) for row in table):
        header = list(dict.fromkeys(str(k) for row in table for k in row))
        rows = ([_cell(row.get(h, "")) for h in header] for row in table)
        return _Source("rows", header, enumerate(rows, start=1))
    kind = type(table).__name__
    raise DistrictControlError(f"a table is a path, a pandas DataFrame or a list of dicts, not a {kind}")


def _open_csv(path: Path) -> _Source:
    name = str(path)
    empty = Problem(name, None, None, "the file is empty", f"start with the header {','.join(COLUMNS)}")
    try:
        text = decode_utf8(read_limited(path), name)
    except DistrictControlError as exc:
        return _Source(name, refused=[Problem(name, exc.line, None, exc.message)])
    if not text.strip():
        return _Source(name, refused=[empty])
    reader = RowReader(text)
    rows = iter(reader)
    first = next(rows, None)
    if first is None:
        syntax = [Problem(name, p.line, None, p.message, p.suggestion) for p in reader.problems]
        return _Source(name, refused=syntax or [empty])
    return _Source(name, first[1], rows, reader.problems)


def _cell(value: object) -> str:
    """A DataFrame or dict value as table text: missing values empty, whole floats without '.0', dates ISO."""
    if _missing(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _missing(value: object) -> bool:
    """None, NaN, NaT or pandas' NA."""
    if value is None:
        return True
    try:
        return bool(value != value)
    except (TypeError, ValueError):  # pandas.NA refuses to be a bool
        return True


def _check_header(name: str, header: list[str]) -> list[Problem]:
    problems = []
    keys = [column_key(h) for h in header]
    for col in REQUIRED_COLUMNS:
        if col not in keys:
            problems.append(Problem(name, 1, col, f"missing column '{col}'", _header_hint()))
    for raw, key in zip(header, keys):
        if key not in _KNOWN:
            problems.append(Problem(name, 1, raw or "(empty)", f"unknown column '{raw}'", _closest(key, _KNOWN)))
    for key, positions in duplicate_columns(header).items():
        where = " and ".join(str(p) for p in positions)
        msg = f"column '{key}' appears {len(positions)} times (columns {where})"
        problems.append(Problem(name, 1, key or "(empty)", msg, "keep one of each"))
    return problems


def _header_hint() -> str:
    return f"the header needs {', '.join(REQUIRED_COLUMNS)}; it may also have {', '.join(c for c in _KNOWN if c not in REQUIRED_COLUMNS)}"


class _RowChecker:
    """Checks rows of one table and turns good ones into records; collects the problems of bad ones.

    A row that passes every check takes a fast path; only a bad row is examined field by field.
    Values repeated from row to row (groups, names, dates, sources) are stored once.
    """

    def __init__(self, name: str, header: list[str], date_format: str | None, vocabulary: _Vocabulary):
        keys = [column_key(h) for h in header]
        self.name, self.width, self.date_format = name, len(keys), date_format
        self.vocabulary = vocabulary
        self._fields = itemgetter(*(keys.index(c) if c in keys else -1 for c in _KNOWN))
        self._shared: dict[str, str] = {}
        self._groups, self._statuses = frozenset(vocabulary.groups), frozenset(vocabulary.statuses)
        self.problems: list[Problem] = []
        self.rows = 0
        self._dates: dict[str, tuple[str, str | None]] = {}

    def _date(self, value: str) -> tuple[str, str | None]:
        """The date read once per distinct value."""
        known = self._dates.get(value)
        if known is None:
            if len(self._dates) > 100_000:
                self._dates.clear()
            known = self._dates[value] = _read_date(value, self.date_format)
        return known

    def __call__(self, line: int, row: list[str]) -> Record | None:
        """The row as a record, or None when it is blank (skipped) or bad (its problems collected)."""
        cells = [cell.strip() for cell in row]
        if not any(cells):
            return None
        self.rows += 1
        if len(cells) != self.width:
            msg = f"has {len(cells)} fields, the header has {self.width}"
            self.problems.append(Problem(self.name, line, None, msg, "quote fields that contain commas"))
            return None
        cells.append("")  # what a column the table does not have reads as
        group, province, district, status, date, source, note, pcode = self._fields(cells)
        group, status = group.lower(), status.lower()
        date_error = None
        if date:
            date, date_error = self._date(date)
        if (
            date_error
            or group not in self._groups
            or status not in self._statuses
            or not (district or province)
            or max(map(len, cells)) > MAX_FIELD_CHARS
        ):
            self.problems.extend(self._row_problems(line, cells))
            return None
        share = self._shared.setdefault
        return Record(
            line,
            share(group, group),
            share(province, province),
            share(district, district),
            share(status, status),
            share(date, date),
            share(source, source),
            note,
            share(pcode, pcode),
        )

    def _row_problems(self, line: int, cells: list[str]) -> list[Problem]:
        values = dict(zip(_KNOWN, self._fields(cells)))
        problems = [p for col in _KNOWN for p in _check_field(self.name, line, col, values[col], self.vocabulary)]
        if values["date"] and not problems:
            problem = _read_date(values["date"], self.date_format)[1]
            if problem:
                problems.append(Problem(self.name, line, "date", problem, _date_hint(self.date_format)))
        if not values["district"] and not values["province"]:
            msg, hint = "no district and no province", "give a district, its province or both"
            problems.append(Problem(self.name, line, "district", msg, hint))
        return problems


def _check_field(name: str, line: int, column: str, value: str, vocabulary: _Vocabulary) -> list[Problem]:
    if len(value) > MAX_FIELD_CHARS:
        msg = f"field is {len(value):,} characters long, more than {MAX_FIELD_CHARS:,}"
        return [Problem(name, line, column, msg, "shorten it")]
    if column in REQUIRED and not value:
        return [Problem(name, line, column, f"'{column}' is empty", _allowed(column, vocabulary))]
    if column in ("group", "status"):
        unknown = _vocabulary_problem(column, value, vocabulary)
        if unknown:
            return [Problem(name, line, column, *unknown)]
    return []


@dataclass(frozen=True)
class _Vocabulary:
    """The groups and statuses a table may use: the keys of its legend, and ``none`` (clears a status)."""

    groups: tuple[str, ...]
    statuses: tuple[str, ...]
    where: str

    @classmethod
    def of(cls, legend=None) -> _Vocabulary:
        from districtcontrol.data.legend import NONE_STATUS, read_legend

        legend = legend or read_legend()
        where = f"the keys of {legend.path.name if legend.path else 'the legend'}"
        return cls(legend.group_keys, (*legend.status_keys, NONE_STATUS), where)

    def allowed(self, column: str) -> tuple[str, ...]:
        return self.groups if column == "group" else self.statuses


@lru_cache(maxsize=1024)
def _vocabulary_problem(column: str, value: str, vocabulary: _Vocabulary) -> tuple[str, str] | None:
    """(message, suggestion) when ``value`` is not a group or status of the legend: the one place they are checked."""
    allowed = vocabulary.allowed(column)
    if value.lower() in allowed:
        return None
    hint = _closest(value.lower(), allowed) + f" ({vocabulary.where}; declare new ones in a legend file, --legend)"
    return f"unknown {column} '{value}'", hint


def _check_consistency(name: str, records: list[Record]) -> list[Problem]:
    problems = []
    first_at: dict[tuple, Record] = {}
    places: dict[tuple[str, str], tuple[str, str]] = {}
    for rec in records:
        place = places.get((rec.province, rec.district))
        if place is None:
            place = places[rec.province, rec.district] = (_norm(rec.province), _norm(rec.district))
        earlier = first_at.setdefault((rec.group, place, rec.date), rec)
        if earlier is rec:
            continue
        if earlier.status == rec.status:
            problems.append(
                Problem(name, rec.line, None, f"duplicate of line {earlier.line}", "delete one of the two rows")
            )
        else:
            msg = (
                f"status '{rec.status}' conflicts with '{earlier.status}' on line {earlier.line} "
                f"for the same group, district and date"
            )
            problems.append(Problem(name, rec.line, "status", msg, "give the rows different dates or keep one"))
    return problems


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _allowed(column: str, vocabulary: _Vocabulary) -> str:
    if column in ("group", "status"):
        return "one of " + ", ".join(vocabulary.allowed(column))
    return "fill it in"


def _closest(value: str, choices: tuple[str, ...]) -> str:
    return did_you_mean(value, choices) + "one of " + ", ".join(choices)


def did_you_mean(value: str, choices) -> str:
    """``"did you mean 'X'? "`` for the choice closest to a mistyped value (case aside), or ``""`` if none is close."""
    best = closest_choice(value, choices)
    return f"did you mean '{best}'? " if best is not None else ""


def closest_choice(value: str, choices) -> str | None:
    """The choice closest to ``value`` (rapidfuzz ratio, case aside) if it is close enough, else None."""
    from rapidfuzz import fuzz, process

    choices = list(choices)
    best = process.extractOne(value.casefold(), [c.casefold() for c in choices], scorer=fuzz.ratio)
    return choices[best[2]] if best and best[1] >= DID_YOU_MEAN_SCORE else None
