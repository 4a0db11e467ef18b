"""Read and validate control tables: ``group,province,district,status,date,source,note``.

Every problem in a table is collected, with its file, line and column, before anything is
raised, so a user fixes a table in one pass. Names are checked here only for being present;
whether they exist on the map is :mod:`districtcontrol.geo.names`' job.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from districtcontrol import DistrictControlError

COLUMNS = ("group", "province", "district", "status", "date", "source", "note")
REQUIRED = ("group", "province", "status")
MAX_FIELD_CHARS = 20_000
DATE_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class Record:
    """One row of a control table; ``line`` is its line number in the file (header is 1)."""

    line: int
    group: str
    province: str
    district: str
    status: str
    date: str
    source: str
    note: str

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
        return f"{where}{col}: {self.message}{hint}"


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


def read_table(path: str | Path | None = None, legend=None) -> list[Record]:
    """Read a control table and return its records; raise :class:`TableError` listing every problem.

    ``path`` defaults to the shipped table. A UTF-8 byte-order mark and Windows line
    endings are accepted.
    """
    records, problems = _parse(Path(path) if path else default_table_path())
    problems += vocabulary_problems(str(path or default_table_path()), records, legend)
    if problems:
        raise TableError(problems=problems)
    return records


def validate_table(path: str | Path | None = None, legend=None) -> list[Problem]:
    """Return every problem in a control table (an empty list when it is fine)."""
    records, problems = _parse(Path(path) if path else default_table_path())
    return problems + vocabulary_problems(str(path or default_table_path()), records, legend)


def vocabulary_problems(name: str, records: list[Record], legend=None) -> list[Problem]:
    """Rows whose group or status the legend does not declare (``none`` is always a status: it clears one)."""
    from districtcontrol.data.legend import NONE_STATUS, read_legend

    legend = legend or read_legend()
    groups, statuses = legend.group_keys, (*legend.status_keys, NONE_STATUS)
    where = f"declared in {legend.path.name if legend.path else 'the legend'}"
    problems = []
    for rec in records:
        if rec.group not in groups:
            hint = f"{_closest(rec.group, groups)} ({where}; add a [groups.{rec.group}] table to your legend file)"
            problems.append(Problem(name, rec.line, "group", f"unknown group '{rec.group}'", hint))
        if rec.status not in statuses:
            hint = f"{_closest(rec.status, statuses)} ({where})"
            problems.append(Problem(name, rec.line, "status", f"unknown status '{rec.status}'", hint))
    return problems


def _parse(path: Path) -> tuple[list[Record], list[Problem]]:
    name = str(path)
    text, problem = _read_text(path)
    if problem:
        return [], [problem]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error as exc:
        return [], [Problem(name, reader.line_num, None, f"not a readable CSV file: {exc}")]
    if not rows:
        return [], [Problem(name, None, None, "the file is empty", f"start with the header {','.join(COLUMNS)}")]
    header = [h.strip().lower() for h in rows[0]]
    problems = _check_header(name, header)
    if problems:
        return [], problems
    if len(rows) == 1:
        return [], [Problem(name, 1, None, "the table has a header but no rows", "add at least one row")]
    records: list[Record] = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        record, row_problems = _check_row(name, line, header, row)
        problems.extend(row_problems)
        if record:
            records.append(record)
    problems.extend(_check_consistency(name, records))
    return records, problems


def _read_text(path: Path) -> tuple[str, Problem | None]:
    name = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return "", Problem(name, None, None, "no such file", "check the path passed with --table")
    except OSError as exc:
        return "", Problem(name, None, None, f"cannot read the file: {exc.strerror}")
    if not data.strip():
        return "", Problem(name, None, None, "the file is empty", f"start with the header {','.join(COLUMNS)}")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return "", Problem(
            name,
            line,
            None,
            f"byte 0x{data[exc.start]:02x} is not UTF-8",
            "save the file as UTF-8 (in a spreadsheet: 'CSV UTF-8')",
        )


def _check_header(name: str, header: list[str]) -> list[Problem]:
    problems = []
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    for col in missing:
        problems.append(Problem(name, 1, col, f"missing column '{col}'", f"the header must be {','.join(COLUMNS)}"))
    for col in unknown:
        hint = _closest(col, COLUMNS)
        problems.append(Problem(name, 1, col or "(empty)", f"unknown column '{col}'", hint))
    if len(set(header)) != len(header):
        problems.append(Problem(name, 1, None, "a column name appears twice", "keep one of each"))
    return problems


def _check_row(name: str, line: int, header: list[str], row: list[str]) -> tuple[Record | None, list[Problem]]:
    if len(row) != len(header):
        msg = f"has {len(row)} fields, the header has {len(header)}"
        return None, [Problem(name, line, None, msg, "quote fields that contain commas")]
    values = {h: cell.strip() for h, cell in zip(header, row)}
    problems = [p for col in COLUMNS for p in _check_field(name, line, col, values[col])]
    if problems:
        return None, problems
    values["group"] = values["group"].lower()
    values["status"] = values["status"].lower()
    return Record(line=line, **values), []


def _check_field(name: str, line: int, column: str, value: str) -> list[Problem]:
    if len(value) > MAX_FIELD_CHARS:
        msg = f"field is {len(value):,} characters long, more than {MAX_FIELD_CHARS:,}"
        return [Problem(name, line, column, msg, "shorten it")]
    if column in REQUIRED and not value:
        return [Problem(name, line, column, f"'{column}' is empty", _allowed(column))]
    if column == "date" and value:
        problem = date_problem(value)
        if problem:
            return [Problem(name, line, column, problem, "write YYYY, YYYY-MM or YYYY-MM-DD")]
    return []


def date_problem(value: str) -> str | None:
    """Why ``value`` is not a valid ISO 8601 (partial) date, or None if it is."""
    match = DATE_PATTERN.match(value)
    if not match:
        return f"malformed date '{value}'"
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        return f"impossible date '{value}'"
    if year < 1900 or dt.date(year, month or 1, day or 1) > dt.date.today():
        return f"date '{value}' is out of range"
    return None


def _check_consistency(name: str, records: list[Record]) -> list[Problem]:
    problems = []
    seen: dict[tuple, Record] = {}
    status_at: dict[tuple, Record] = {}
    for rec in records:
        key = _row_key(rec)
        if key in seen:
            msg = f"duplicate of line {seen[key].line}"
            problems.append(Problem(name, rec.line, None, msg, "delete one of the two rows"))
            continue
        seen[key] = rec
        place = (rec.group, _norm(rec.province), _norm(rec.district), rec.date)
        earlier = status_at.setdefault(place, rec)
        if earlier is not rec and earlier.status != rec.status:
            msg = (
                f"status '{rec.status}' conflicts with '{earlier.status}' on line {earlier.line} "
                f"for the same group, district and date"
            )
            problems.append(Problem(name, rec.line, "status", msg, "give the rows different dates or keep one"))
    return problems


def _row_key(rec: Record) -> tuple:
    return (rec.group, _norm(rec.province), _norm(rec.district), rec.status, rec.date)


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _allowed(column: str) -> str:
    if column in ("group", "status"):
        return "one of the keys of the legend file"
    return "fill it in"


def _closest(value: str, choices: tuple[str, ...]) -> str:
    from rapidfuzz import fuzz, process

    best = process.extractOne(value, choices, scorer=fuzz.ratio)
    options = "one of " + ", ".join(choices)
    if best and best[1] >= 50:
        return f"did you mean '{best[0]}'? {options}"
    return options
