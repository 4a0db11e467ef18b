"""Reading an import's source: its rows as small tuples, checked line by line before anything is written."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from operator import itemgetter
from typing import NamedTuple

from districtcontrol._csv import RowReader, column_key, decode_utf8, duplicate_columns, read_limited
from districtcontrol.data._dates import date_problem, normalise_date
from districtcontrol.data.legend import NONE_STATUS, Legend
from districtcontrol.data.table import (
    Problem,
    TableError,
    closest_choice,
    did_you_mean,
)

log = logging.getLogger(__name__)
_ROLES = ("district", "status", "province", "pcode", "date")


@dataclass(frozen=True)
class _Columns:
    """The source's columns the import reads, as the user names them (None: the source has none)."""

    district: str
    status: str
    province: str | None = None
    pcode: str | None = None
    date: str | None = None

    def named(self) -> dict[str, str]:
        return {k: v for k, v in vars(self).items() if v is not None}


class _Row(NamedTuple):
    """One source row, as little of it as the import needs; rows sort by date, then line."""

    date: str  # ISO, or empty
    line: int
    status: str  # a key of the legend, or none
    raw: str  # the status cell as written (trimmed)
    place: tuple[str, str, str]  # province, district and P-code as written


@dataclass
class _SourceReader:
    """Reads the source's rows; collects every problem before raising them."""

    name: str
    columns: _Columns
    mapping: dict[str, str]
    legend: Legend
    date_format: str | None
    problems: list[Problem] = field(default_factory=list)
    unmapped: dict[str, int] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)  # each column's name as the header writes it
    _dates: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    _shared: dict = field(default_factory=dict)  # places and raw values, stored once

    def read(self) -> list[_Row]:
        text = decode_utf8(read_limited(self.name), self.name)
        reader = RowReader(text)
        numbered = iter(reader)
        header = next(numbered, (1, []))[1]
        positions = self._positions(header)
        if self.problems:
            raise TableError(self.problems)
        pick = itemgetter(*(positions.get(role, -1) for role in _ROLES))
        rows = []
        for line, cells in numbered:
            row = self._row(line, cells, len(header), pick)
            if row is not None:
                rows.append(row)
        self.problems += [Problem(self.name, p.line, None, p.message, p.suggestion) for p in reader.problems]
        self.problems += [self._unmapped_problem(raw, line) for raw, line in self.unmapped.items()]
        if not rows and not self.problems:
            self.problems.append(Problem(self.name, 1, None, "the table has a header but no rows", "add rows"))
        if self.problems:
            raise TableError(sorted(self.problems, key=lambda p: p.line or 0))
        return rows

    def _positions(self, header: list[str]) -> dict[str, int]:
        """Where each named column is; a column that is missing or named twice is a problem."""
        keys = [column_key(h) for h in header]
        twice = duplicate_columns(header)
        positions = {}
        for role, wanted in self.columns.named().items():
            key = column_key(wanted)
            if key not in keys:
                msg = f"no column '{wanted}' (given with --{role}); the header is: {','.join(header)}"
                hint = f"{did_you_mean(wanted, header)}give --{role} one of the header's names"
                self.problems.append(Problem(self.name, 1, wanted, msg, hint))
            elif key in twice:
                where = " and ".join(map(str, twice[key]))
                msg = f"column '{wanted}' appears {len(twice[key])} times (columns {where})"
                self.problems.append(Problem(self.name, 1, wanted, msg, "give every column its own name"))
            else:
                positions[role] = keys.index(key)
                self.headers[role] = header[positions[role]].strip()
        return positions

    def _row(self, line: int, cells: list[str], width: int, pick: itemgetter) -> _Row | None:
        if not "".join(cells).strip():
            return None
        if len(cells) != width:
            msg = f"has {len(cells)} fields, the header has {width}"
            self.problems.append(Problem(self.name, line, None, msg, "quote fields that contain commas"))
            return None
        cells.append("")  # what a column the source does not have reads as
        district, raw, province, pcode, date = (cell.strip() for cell in pick(cells))
        status, date = self._status(line, raw), self._date(line, date)
        if not district and not pcode:
            msg = f"no district in column '{self.headers['district']}'"
            hint = "fill it in or delete the row"
            self.problems.append(Problem(self.name, line, self.headers["district"], msg, hint))
            return None
        if status is None or date is None:
            return None
        share = self._shared.setdefault
        place = (province, district, pcode.upper())
        return _Row(date, line, status, share(raw, raw), share(place, place))

    def _status(self, line: int, raw: str) -> str | None:
        """The status a raw value stands for; an unknown value is remembered with its first line."""
        if raw in self.mapping:
            return self.mapping[raw]
        if raw.lower() in (*self.legend.status_keys, NONE_STATUS):
            return raw.lower()
        self.unmapped.setdefault(raw, line)
        return None

    def _unmapped_problem(self, raw: str, line: int) -> Problem:
        shown = f"value '{raw}'" if raw else "an empty cell"
        statuses = ", ".join((*self.legend.status_keys, NONE_STATUS))
        msg = f"{shown} in column '{self.headers['status']}' (first on this line) is not mapped by --values and is not a status of the legend"
        hint = f"{self._close_to(raw)}add {raw}=<status> to --values; statuses: {statuses}"
        return Problem(self.name, line, self.headers["status"], msg, hint)

    def _close_to(self, raw: str) -> str:
        """What an unmapped value may be a typo of: a key of --values (matched as written), or a status."""
        if not raw:
            return ""
        key = closest_choice(raw, self.mapping) if self.mapping else None
        if key is not None:
            return f"--values maps '{key}', not '{raw}' (values are matched as written); "
        return did_you_mean(raw, (*self.legend.status_keys, NONE_STATUS))

    def _date(self, line: int, raw: str) -> str | None:
        """The ISO date of a raw date ('' when the row has none); None, with a problem, when it is no date."""
        if not raw:
            return ""
        known = self._dates.get(raw)
        if known is None:
            problem = date_problem(raw, self.date_format)
            known = self._dates[raw] = ("", problem) if problem else (normalise_date(raw, self.date_format), None)
        if known[1]:
            hint = f"write dates as '{self.date_format}'" if self.date_format else "give the format with --date-format"
            self.problems.append(Problem(self.name, line, self.headers["date"], known[1], hint))
            return None
        return known[0]


# -- resolving, changes, output -----------------------------------------------------------------
