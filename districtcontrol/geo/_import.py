"""Import a long table from elsewhere (one row per district, or per district and date) as a control table.

The source names its own columns (``--district``, ``--status``, ``--date`` …) and its own values
(a 0/1 ``control`` column, "yes"/"no", …), which ``values`` maps to statuses of the legend. Every
name is resolved by the same :class:`~districtcontrol.geo.names.Resolver` and rules as any table;
names read other than exactly are reported with their evidence, names that cannot be resolved
are left out and listed. Of the rest, only the rows where a district's status changes are kept
(per district and group, in date order; a value mapped to ``none`` clears a status), written
with the boundary file's district and province names and the P-code.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from districtcontrol import DistrictControlError
from districtcontrol._csv import RowReader, column_key, decode_utf8, duplicate_columns, read_limited
from districtcontrol._files import write_text
from districtcontrol.data.legend import NONE_STATUS, Legend, read_legend
from districtcontrol.data.table import (
    Problem,
    Record,
    TableError,
    _check_date_format,
    date_problem,
    normalise_date,
    validate_table,
)
from districtcontrol.geo._join import ResolvedRecord, _as_written, _resolution_problem, _same_place_problems
from districtcontrol.geo.boundaries import load_boundaries
from districtcontrol.geo.names import District, Resolution, Resolver
from districtcontrol.geo.pipeline import _moved_districts, _name_decisions

log = logging.getLogger(__name__)

OUTPUT_COLUMNS = ("group", "province", "district", "pcode", "status", "date", "source", "note")


@dataclass(frozen=True)
class ImportResult:
    """What :func:`import_table` made of a source table.

    ``rows`` are the control table's rows (dicts with :data:`OUTPUT_COLUMNS`), as written to
    ``output`` (None when nothing was written); ``read`` counts the source's rows. ``decisions``
    has one line per distinct name read other than exactly (first line, evidence, how many rows),
    ``warnings`` what else the user should know, ``left_out`` one line per name that could not be
    resolved (line, reason, candidates), whose ``left_out_rows`` rows are not in the table.
    """

    output: Path | None
    rows: tuple[dict[str, str], ...]
    read: int
    decisions: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    left_out: tuple[str, ...] = ()
    left_out_rows: int = 0

    @property
    def complete(self) -> bool:
        """True when every row's names resolved."""
        return not self.left_out


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


def import_table(
    source: str | Path,
    output: str | Path | None = None,
    *,
    group: str,
    district_column: str,
    status_column: str,
    province_column: str | None = None,
    pcode_column: str | None = None,
    date_column: str | None = None,
    date_format: str | None = None,
    values: str | Mapping[str, str] | None = None,
    source_text: str | None = None,
    legend: Legend | str | Path | None = None,
    aliases: str | Path | None = None,
    boundaries: str | Path | None = None,
    name_field: str | None = None,
    province_field: str | None = None,
    pcode_field: str | None = None,
) -> ImportResult:
    """Turn a long CSV table from elsewhere into a control table of ``group``, written to ``output``.

    The ``*_column`` arguments name the source's columns (matched whatever their case and
    spacing); ``date_format`` (strftime, e.g. ``%m/%d/%Y``) reads its dates, ISO 8601 by default.
    ``values`` maps the status column's raw text (whitespace-trimmed, exactly as written) to
    status keys of ``legend``: a mapping or ``"1=controlled,0=none"``; a value that is already a
    status key needs no mapping. ``source_text`` fills the ``source`` column (default: the source
    file's name). ``aliases``, ``boundaries`` and the ``*_field`` arguments are those of
    :func:`~districtcontrol.load_control`.

    Raises :class:`~districtcontrol.data.TableError` (or :class:`~districtcontrol.DistrictControlError`)
    on bad input before anything is written: a missing column, an unmapped value (named with its
    first line), a bad date, two rows giving one district different statuses on one date, or no
    row resolving at all. Names that cannot be resolved are left out and listed in the result;
    the rest is written atomically.
    """
    legend = legend if isinstance(legend, Legend) else read_legend(legend)
    _check_group(group, legend)
    _check_date_format(date_format)
    mapping = parse_values(values, legend)
    columns = _Columns(district_column, status_column, province_column, pcode_column, date_column)
    _check_paths(source, output)
    label = str(source)
    reader = _SourceReader(label, columns, mapping, legend, date_format)
    records = reader.read(group, source_text if source_text is not None else Path(source).name)
    _, frame = load_boundaries(
        boundaries, name_field=name_field, province_field=province_field, pcode_field=pcode_field
    )
    resolver = Resolver.from_frame(frame, alias_files=[aliases] if aliases else [])
    places = _resolve(records, resolver)
    resolved = [r for rs in places.values() for r in rs if r.resolution.resolved]
    _check_conflicts(label, resolved)
    if not resolved:
        raise DistrictControlError("no row's names resolved, so there is nothing to write (see above)", label)
    rows = tuple(_table_row(r) for r in sorted(_changes(resolved), key=_output_order))
    _check_written(rows, legend)
    if output is not None:
        write_text(output, _csv_text(rows))
    return _result(output, rows, len(records), places, resolver, label)


def parse_values(values: str | Mapping[str, str] | None, legend: Legend) -> dict[str, str]:
    """The raw-value → status mapping of ``values`` (``"1=controlled,0=none"`` or a mapping), checked.

    Raw values are whitespace-trimmed; statuses must be keys of ``legend`` or ``none``.
    """
    if values is None:
        return {}
    pairs = values.items() if isinstance(values, Mapping) else _pairs(values)
    mapping: dict[str, str] = {}
    allowed = (*legend.status_keys, NONE_STATUS)
    for raw, status in pairs:
        raw, status = str(raw).strip(), str(status).strip().lower()
        if status not in allowed:
            raise DistrictControlError(
                f"--values maps '{raw}' to '{status}', which is not a status of the legend; "
                f"use one of {', '.join(allowed)} (declare new ones in a legend file, --legend)"
            )
        if mapping.get(raw, status) != status:
            raise DistrictControlError(f"--values maps '{raw}' twice, to '{mapping[raw]}' and to '{status}'; keep one")
        mapping[raw] = status
    return mapping


def _pairs(text: str) -> list[tuple[str, str]]:
    pairs = []
    for item in text.split(","):
        raw, equals, status = item.rpartition("=")
        if not equals or not status.strip():
            raise DistrictControlError(
                f"--values: '{item.strip()}' is not RAW=status; write e.g. --values '1=controlled,0=none'"
            )
        pairs.append((raw, status))
    return pairs


def _check_group(group: str, legend: Legend) -> None:
    if group not in legend.group_keys:
        where = legend.path.name if legend.path else "the legend"
        raise DistrictControlError(
            f"--group '{group}' is not a group of {where}; use one of {', '.join(legend.group_keys)} "
            "or declare it in a legend file (--legend)"
        )


def _check_paths(source: str | Path, output: str | Path | None) -> None:
    if output is not None and Path(output).resolve() == Path(source).resolve():
        raise DistrictControlError(
            "the output is the source file itself; write the control table elsewhere", str(output)
        )


# -- reading the source -------------------------------------------------------------------------


@dataclass
class _SourceReader:
    """Reads the source's rows into records of one group; collects every problem before raising them."""

    name: str
    columns: _Columns
    mapping: dict[str, str]
    legend: Legend
    date_format: str | None
    problems: list[Problem] = field(default_factory=list)
    unmapped: dict[str, int] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)  # each column's name as the header writes it
    _dates: dict[str, tuple[str, str | None]] = field(default_factory=dict)

    def read(self, group: str, source_text: str) -> list[Record]:
        text = decode_utf8(read_limited(self.name), self.name)
        reader = RowReader(text)
        numbered = iter(reader)
        header = next(numbered, (1, []))[1]
        positions = self._positions(header)
        if self.problems:
            raise TableError(self.problems)
        file_name = Path(self.name).name
        records = []
        for line, cells in numbered:
            record = self._record(line, cells, len(header), positions, group, source_text, file_name)
            if record is not None:
                records.append(record)
        self.problems += [Problem(self.name, p.line, None, p.message, p.suggestion) for p in reader.problems]
        self.problems += [self._unmapped_problem(raw, line) for raw, line in self.unmapped.items()]
        if not records and not self.problems:
            self.problems.append(Problem(self.name, 1, None, "the table has a header but no rows", "add rows"))
        if self.problems:
            raise TableError(sorted(self.problems, key=lambda p: p.line or 0))
        return records

    def _positions(self, header: list[str]) -> dict[str, int]:
        """Where each named column is; a column that is missing or named twice is a problem."""
        keys = [column_key(h) for h in header]
        twice = duplicate_columns(header)
        positions = {}
        for role, wanted in self.columns.named().items():
            key = column_key(wanted)
            if key not in keys:
                msg = f"no column '{wanted}' (given with --{role}); the header is: {','.join(header)}"
                self.problems.append(Problem(self.name, 1, wanted, msg, f"give --{role} one of the header's names"))
            elif key in twice:
                where = " and ".join(map(str, twice[key]))
                msg = f"column '{wanted}' appears {len(twice[key])} times (columns {where})"
                self.problems.append(Problem(self.name, 1, wanted, msg, "give every column its own name"))
            else:
                positions[role] = keys.index(key)
                self.headers[role] = header[positions[role]].strip()
        return positions

    def _record(self, line, cells, width, positions, group, source_text, file_name) -> Record | None:
        if not any(cell.strip() for cell in cells):
            return None
        if len(cells) != width:
            msg = f"has {len(cells)} fields, the header has {width}"
            self.problems.append(Problem(self.name, line, None, msg, "quote fields that contain commas"))
            return None
        value = {role: cells[i].strip() for role, i in positions.items()}
        status, date = self._status(line, value["status"]), self._date(line, value.get("date", ""))
        if not value["district"] and not value.get("pcode"):
            msg = f"no district in column '{self.headers['district']}'"
            self.problems.append(
                Problem(self.name, line, self.headers["district"], msg, "fill it in or delete the row")
            )
            return None
        if status is None or date is None:
            return None
        note = f"{self.headers['status']}={value['status']} in {file_name} line {line}"
        province, district, pcode = value.get("province", ""), value["district"], value.get("pcode", "").upper()
        return Record(line, group, province, district, status, date, source_text, note, pcode)

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
        hint = f"add {raw}=<status> to --values; statuses: {statuses}"
        return Problem(self.name, line, self.headers["status"], msg, hint)

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


def _resolve(records: list[Record], resolver: Resolver) -> dict[tuple[str, str, str], list[ResolvedRecord]]:
    """The records by the names they give (province, district, pcode), each distinct name resolved once."""
    by_pcode = {d.pcode: d for p in resolver.provinces.values() for d in p.districts}
    places: dict[tuple[str, str, str], list[ResolvedRecord]] = {}
    known: dict[tuple[str, str, str], Resolution] = {}
    for rec in records:
        key = (rec.province, rec.district, rec.pcode)
        res = known.get(key)
        if res is None:
            res = known[key] = _pinned(resolver, by_pcode, rec) if rec.pcode else resolver.resolve(*key[:2])
        places.setdefault(key, []).append(ResolvedRecord(rec, res))
    return places


def _pinned(resolver: Resolver, by_pcode: dict[str, District], rec: Record) -> Resolution:
    """A row with a P-code: the code decides, checked against the boundary file and against the name."""
    named = resolver.resolve(rec.province, rec.district) if rec.district else None
    found = by_pcode.get(rec.pcode)
    if found is None:
        candidates = named.suggestions if named and not named.resolved else ()
        candidates = (named.district.label,) if named and named.district else candidates
        problem = f"P-code '{rec.pcode}' is not a district of the boundary file"
        return Resolution(rec.province, rec.district, "unresolved", 0.0, suggestions=candidates, problem=problem)
    if named is None or (named.resolved and named.pcode == found.pcode):
        return named or Resolution(
            rec.province, rec.district, "pcode", 100.0, found, found.province, found.province_pcode
        )
    if named.resolved:
        problem = f"P-code {found.pcode} is {found.label}, but '{rec.district}' reads as {named.district.label}: correct one of them"
        labels = (found.label, named.district.label)
        return Resolution(rec.province, rec.district, "unresolved", 0.0, suggestions=labels, problem=problem)
    warning = f"'{rec.district}' taken as {found.name} by its P-code {found.pcode} (by name alone: {named.problem})"
    return Resolution(
        rec.province, rec.district, "pcode", 100.0, found, found.province, found.province_pcode, warning=warning
    )


def _check_conflicts(label: str, resolved: list[ResolvedRecord]) -> None:
    """Two rows giving one district different statuses on one date: the import cannot choose."""
    conflicts = [p for p in _same_place_problems(label, resolved) if p.column == "status"]
    if conflicts:
        raise TableError(conflicts)


def _changes(resolved: list[ResolvedRecord]) -> list[ResolvedRecord]:
    """The rows where a district's status changes (per group, in date order; it starts with no status)."""
    held: dict[tuple[str, str], str] = {}
    kept = []
    for r in sorted(resolved, key=lambda r: (r.record.group, r.pcode, r.record.date, r.record.line)):
        place = (r.record.group, r.pcode)
        if r.record.status != held.get(place, NONE_STATUS):
            kept.append(r)
            held[place] = r.record.status
    return kept


def _output_order(r: ResolvedRecord) -> tuple:
    return (r.resolution.province, r.resolution.district.name, r.record.date, r.record.line)


def _table_row(r: ResolvedRecord) -> dict[str, str]:
    rec, res = r.record, r.resolution
    note = rec.note
    if rec.district and (rec.district != res.district.name or (rec.province and rec.province != res.province)):
        note += f"; as written: {_as_written(r)}"
    return {
        "group": rec.group,
        "province": res.province,
        "district": res.district.name,
        "pcode": res.pcode,
        "status": rec.status,
        "date": rec.date,
        "source": rec.source,
        "note": note,
    }


def _check_written(rows: tuple[dict[str, str], ...], legend: Legend) -> None:
    """The table about to be written reads as a control table (else nothing is written)."""
    problems = validate_table(list(rows), legend=legend)
    if problems:
        raise TableError(problems)


def _csv_text(rows: tuple[dict[str, str], ...]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=OUTPUT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _result(output, rows, read: int, places, resolver: Resolver, label: str) -> ImportResult:
    """The result with one line per distinct name: decisions, warnings and names left out."""
    decisions, warnings, left_out, left_out_rows = [], [], [], 0
    for found in places.values():
        first, count = found[0], len(found)
        rows_note = f" [{count} rows]" if count > 1 else ""
        if not first.resolution.resolved:
            problem = _resolution_problem(label, first.record, first.resolution)
            left_out.append(f"{problem}; {count} row(s) left out")
            left_out_rows += count
            continue
        decisions += [line + rows_note for line in _name_decisions([first], resolver, label)]
        warnings += [line + rows_note for line in _moved_districts([first], resolver)]
    log.info("imported %s: %d rows read, %d written, %d left out", label, read, len(rows), left_out_rows)
    path = Path(output) if output is not None else None
    return ImportResult(path, rows, read, tuple(decisions), tuple(warnings), tuple(left_out), left_out_rows)
