"""Names a source gives that could not be placed on a district, carried beside the table they were left out of.

``import`` leaves out the rows whose names do not resolve (ambiguous, like ``Baharak``, in
Badakhshan and in Takhar; or unknown) and writes one line per such name to
``TABLE.unplaced.csv`` beside the table (:func:`sidecar_path`): the name as written, how many
rows, the first and last line, why it was not placed, the candidates (with P-codes), and what
the source said last (its latest row's date, status and value as written). ``load_control``
reads that file when it is there, so that ``build`` and ``summary`` count these rows and the
maps mark every candidate district of an ambiguous name.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from districtcontrol import DistrictControlError
from districtcontrol.data.legend import NONE_STATUS

COLUMNS = (
    "district",
    "province",
    "rows",
    "first_line",
    "last_line",
    "kind",
    "reason",
    "candidates",
    "candidate_pcodes",
    "last_date",
    "last_status",
    "last_value",
)
SUFFIX = ".unplaced.csv"
AMBIGUOUS = "ambiguous"  # the name fits several districts: each candidate is marked on the maps
UNKNOWN = "unknown"  # no district fits with confidence: the candidates are guesses, not marked
_PCODE = re.compile(r", ([A-Z]{2}[0-9]+)\)$")


@dataclass(frozen=True)
class Unplaced:
    """One name of a source that no district was found for, and what its rows said."""

    district: str
    province: str
    rows: int
    first_line: int
    last_line: int
    kind: str  # AMBIGUOUS or UNKNOWN
    reason: str
    candidates: tuple[str, ...]  # "Baharak (Takhar, AF1803)"
    candidate_pcodes: tuple[str, ...]
    last_date: str  # ISO, or empty
    last_status: str  # a status of the legend, or none
    last_value: str  # as the source wrote it

    @property
    def name(self) -> str:
        """The name as written, with its province when the source gives one."""
        return (
            f"{self.district} ({self.province})" if self.province and self.district else self.district or self.province
        )

    @property
    def held_last(self) -> bool:
        """True when the source's last row for this name says a group holds a status there."""
        return bool(self.last_status) and self.last_status != NONE_STATUS


def unplaced_entries(rows: list, resolutions: dict) -> tuple[Unplaced, ...]:
    """One entry per name that did not resolve, in the order of its first line (``rows``: the import's
    source rows, each with ``line``, ``date``, ``status``, ``raw`` and ``place``, the name as written)."""
    left: dict[tuple, list] = {}
    for row in rows:
        if not resolutions[row.place].resolved:
            left.setdefault(row.place, []).append(row)
    entries = [_entry(mine, resolutions[place]) for place, mine in left.items()]
    return tuple(sorted(entries, key=lambda e: e.first_line))


def _entry(rows: list, resolution) -> Unplaced:
    province, district, pcode = rows[0].place
    last = max(rows, key=lambda r: (r.date, r.line))
    lines = [r.line for r in rows]
    kind = AMBIGUOUS if "ambiguous" in resolution.problem else UNKNOWN
    pcodes = tuple(m.group(1) for c in resolution.suggestions if (m := _PCODE.search(c)))
    return Unplaced(
        district or pcode,
        province,
        len(rows),
        min(lines),
        max(lines),
        kind,
        resolution.problem,
        tuple(resolution.suggestions),
        pcodes,
        last.date,
        last.status,
        last.raw,
    )


def sidecar_path(table: str | Path) -> Path:
    """Where the names a table's import could not place are kept: ``taliban-2021.csv`` → ``taliban-2021.unplaced.csv``."""
    table = Path(table)
    return table.with_name(table.stem + SUFFIX)


def unplaced_text(entries: list[Unplaced] | tuple[Unplaced, ...]) -> str:
    """The sidecar file's CSV text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for e in entries:
        writer.writerow(
            [
                e.district,
                e.province,
                e.rows,
                e.first_line,
                e.last_line,
                e.kind,
                e.reason,
                "; ".join(e.candidates),
                ";".join(e.candidate_pcodes),
                e.last_date,
                e.last_status,
                e.last_value,
            ]
        )
    return buffer.getvalue()


def read_unplaced(path: str | Path) -> tuple[Unplaced, ...]:
    """The entries of a sidecar file; a file of another shape is an error naming it and its line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DistrictControlError(f"cannot read the names not placed: {exc}", str(path)) from exc
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise DistrictControlError(
            f"not a file of names not placed (no column {', '.join(missing)}); write it again with import", str(path)
        )
    out = []
    for line, row in enumerate(reader, start=2):
        try:
            counts = int(row["rows"]), int(row["first_line"]), int(row["last_line"])
        except ValueError as exc:
            raise DistrictControlError(f"line {line}: rows and lines must be whole numbers", str(path)) from exc
        out.append(
            Unplaced(
                row["district"],
                row["province"],
                *counts,
                row["kind"],
                row["reason"],
                tuple(c for c in row["candidates"].split("; ") if c),
                tuple(c for c in row["candidate_pcodes"].split(";") if c),
                row["last_date"],
                row["last_status"],
                row["last_value"],
            )
        )
    return tuple(out)


def find_unplaced(table, unplaced) -> tuple[Unplaced, ...]:
    """The names not placed that go with a table: ``unplaced`` (a path; False: none), else the
    sidecar beside a table given by path, when there is one."""
    if unplaced is False:
        return ()
    if unplaced not in (None, True):
        return read_unplaced(unplaced)
    if isinstance(table, str | Path) and sidecar_path(table).is_file():
        return read_unplaced(sidecar_path(table))
    return ()


def last_date(entries, dates) -> str:
    """The source's last date: the latest of the table's dates and of the names not placed."""
    return max([d for d in dates if d] + [e.last_date for e in entries if e.last_date], default="")


def counted(entries, dates) -> str:
    """ "21 source names not placed, 814 rows, 11 of them held on the last date (2021-08-16)" ("" for none)."""
    if not entries:
        return ""
    rows = sum(e.rows for e in entries)
    end = last_date(entries, dates)
    held = sum(1 for e in entries if e.held_last and e.last_date == end)
    names = f"{len(entries)} source name{'s' * (len(entries) != 1)} not placed"
    when = f" ({end})" if end else ""
    return f"{names}, {rows:,} row{'s' * (rows != 1)}, {held} of them held on the last date{when}"


def by_candidate(entries) -> dict[str, list[Unplaced]]:
    """The ambiguous names naming each candidate district (by P-code)."""
    out: dict[str, list[Unplaced]] = {}
    for e in entries:
        if e.kind == AMBIGUOUS:
            for pcode in e.candidate_pcodes:
                out.setdefault(pcode, []).append(e)
    return out


def candidate_line(entries: list[Unplaced], said) -> str:
    """The popup's line of a candidate district: "Named ambiguously by the source: 'Baharak' (40 rows, last …)"."""
    parts = [f"'{e.name}' ({e.rows} rows; last: {said(e)})" for e in entries]
    return "Named ambiguously by the source: " + "; ".join(parts) + ". The source's rows for it are not on the map."
