"""Import a long table from elsewhere (one row per district, or per district and date) as a control table.

The source names its own columns (``--district``, ``--status``, ``--date`` …) and its own values
(a 0/1 ``control`` column, "yes"/"no", …), which ``values`` maps to statuses of the legend. Every
name is resolved by the same :class:`~districtcontrol.geo.names.Resolver` and rules as any table;
names read other than exactly are reported with their evidence, names that cannot be resolved
are left out and listed (and kept beside the table, :mod:`districtcontrol.geo._unplaced`). Of
the rest, each district's first observation and the rows where its status changes are kept
(per district and group, in date order; a value mapped to ``none`` is kept as reported), written
with the boundary file's district and province names and the P-code.
"""

from __future__ import annotations

import csv
import io
import logging
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from districtcontrol import DistrictControlError
from districtcontrol._files import write_text
from districtcontrol.data._dates import _check_date_format
from districtcontrol.data.legend import NONE_STATUS, Legend, read_legend
from districtcontrol.data.table import (
    Record,
    TableError,
    _no_garbage_collection,
    did_you_mean,
    validate_table,
)
from districtcontrol.geo._import_read import _Columns, _Row, _SourceReader
from districtcontrol.geo._join import ResolvedRecord, _as_written, _resolution_problem, _same_place_problems
from districtcontrol.geo._source_shapes import shaped
from districtcontrol.geo._source_shapes import source_boundaries as source_boundaries_of
from districtcontrol.geo._unplaced import Unplaced, sidecar_path, unplaced_entries, unplaced_text
from districtcontrol.geo.boundaries import load_boundaries
from districtcontrol.geo.names import District, Resolution, Resolver, one_district_spellings
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
    resolved (line, reason, candidates), whose ``left_out_rows`` rows are not in the table;
    ``unplaced`` the same names with what the source said last, as written to
    ``TABLE.unplaced.csv`` beside the output (see :mod:`districtcontrol.geo._unplaced`).
    """

    output: Path | None
    rows: tuple[dict[str, str], ...]
    read: int
    decisions: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    left_out: tuple[str, ...] = ()
    left_out_rows: int = 0
    unplaced: tuple[Unplaced, ...] = ()  # the names left out, as written beside the table

    @property
    def complete(self) -> bool:
        """True when every row's names resolved."""
        return not self.left_out


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
    source_boundaries: str | Path | None = None,
    source_layer: str | None = None,
    source_name_field: str | None = None,
    source_province_field: str | None = None,
) -> ImportResult:
    """Turn a long CSV table from elsewhere into a control table of ``group``, written to ``output``.

    The ``*_column`` arguments name the source's columns (matched whatever their case and
    spacing); ``date_format`` (strftime, e.g. ``%m/%d/%Y``) reads its dates, ISO 8601 by default.
    ``values`` maps the status column's raw text (whitespace-trimmed, exactly as written) to
    status keys of ``legend``: a mapping or ``"1=controlled,0=none"``; a value that is already a
    status key needs no mapping. ``source_text`` fills the ``source`` column (default: the source
    file's name). ``aliases``, ``boundaries`` and the ``*_field`` arguments are those of
    :func:`~districtcontrol.load_control`, and so are the ``source_*`` arguments (the source's own shapes).

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
    with _no_garbage_collection():  # a million small rows, no cycles among them
        rows = reader.read()
        shapes = source_boundaries_of(source_boundaries, source_name_field, source_province_field, source_layer)
        resolver = _resolver(aliases, (boundaries, name_field, province_field, pcode_field), shapes)
        resolutions = _resolve({row.place for row in rows}, resolver)
        timelines = _timelines(rows, resolutions)
    recorder = _Recorder(group, source_text if source_text is not None else Path(source).name, reader)
    _check_conflicts(label, timelines, resolutions, recorder)
    kept = [ResolvedRecord(recorder(row), resolutions[row.place]) for row in _changes(timelines)]
    table = tuple(_table_row(r) for r in sorted(kept, key=_output_order))
    names = _names(label, rows, resolutions, resolver, recorder)
    if not table:
        raise DistrictControlError(
            "no row's names resolved, so there is nothing to write:\n" + "\n".join(names.left_out), label
        )
    _check_written(table, legend)
    unplaced = unplaced_entries(rows, resolutions)
    if output is not None:
        _write(Path(output), table, unplaced)
    log.info("imported %s: %d rows read, %d written, %d left out", label, len(rows), len(table), names.left_out_rows)
    path = None if output is None else Path(output)
    found = (names.decisions, names.warnings, names.left_out, names.left_out_rows)
    return ImportResult(path, table, len(rows), *found, unplaced)


def _write(output: Path, table: tuple[dict[str, str], ...], unplaced: tuple[Unplaced, ...]) -> None:
    """The table, and beside it the names left out (an older list of them is removed when every name resolved)."""
    beside = sidecar_path(output)
    if unplaced:
        write_text(beside, unplaced_text(unplaced))
    elif beside.is_file():
        beside.unlink()
        log.warning("every name resolved: removed the list of names not placed of an earlier import, %s", beside)
    write_text(output, _csv_text(table))


def _resolver(aliases, files: tuple, source) -> Resolver:
    """The resolver of the boundary file in use, with the user's aliases first (and the source's shapes)."""
    boundaries, name_field, province_field, pcode_field = files
    _, frame = load_boundaries(
        boundaries, name_field=name_field, province_field=province_field, pcode_field=pcode_field
    )
    return shaped(Resolver.from_frame(frame, alias_files=[aliases] if aliases else []), frame, source)


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
                f"{did_you_mean(status, allowed)}use one of {', '.join(allowed)} (declare new ones in a legend file, --legend)"
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
            f"--group '{group}' is not a group of {where}; {did_you_mean(group, legend.group_keys)}"
            f"use one of {', '.join(legend.group_keys)} "
            "or declare it in a legend file (--legend)"
        )


def _check_paths(source: str | Path, output: str | Path | None) -> None:
    if output is not None and Path(output).resolve() == Path(source).resolve():
        raise DistrictControlError(
            "the output is the source file itself; write the control table elsewhere", str(output)
        )


# -- records of the kept rows --------------------------------------------------------------------


@dataclass(frozen=True)
class _Recorder:
    """Makes a control table record of a source row (only for the rows that are kept or reported)."""

    group: str
    source_text: str
    reader: _SourceReader

    def __call__(self, row: _Row) -> Record:
        province, district, pcode = row.place
        note = f"{self.reader.headers['status']}={row.raw} in {Path(self.reader.name).name} line {row.line}"
        return Record(row.line, self.group, province, district, row.status, row.date, self.source_text, note, pcode)


def _resolve(places: set[tuple[str, str, str]], resolver: Resolver) -> dict[tuple[str, str, str], Resolution]:
    """Each distinct (province, district, P-code) as written, resolved once."""
    by_pcode = {d.pcode: d for p in resolver.provinces.values() for d in p.districts}
    return {
        place: _pinned(resolver, by_pcode, place) if place[2] else resolver.resolve(*place[:2])
        for place in sorted(places)
    }


def _pinned(resolver: Resolver, by_pcode: dict[str, District], place: tuple[str, str, str]) -> Resolution:
    """A row with a P-code: the code decides, checked against the boundary file and against the name."""
    province, district, pcode = place
    named = resolver.resolve(province, district) if district else None
    found = by_pcode.get(pcode)
    if found is None:
        candidates = named.suggestions if named and not named.resolved else ()
        candidates = (named.district.label,) if named and named.district else candidates
        problem = f"P-code '{pcode}' is not a district of the boundary file"
        return Resolution(province, district, "unresolved", 0.0, suggestions=candidates, problem=problem)
    if named is None or (named.resolved and named.pcode == found.pcode):
        return named or Resolution(province, district, "pcode", 100.0, found, found.province, found.province_pcode)
    if named.resolved:
        problem = f"P-code {found.pcode} is {found.label}, but '{district}' reads as {named.district.label}: correct one of them"
        labels = (found.label, named.district.label)
        return Resolution(province, district, "unresolved", 0.0, suggestions=labels, problem=problem)
    warning = f"'{district}' taken as {found.name} by its P-code {found.pcode} (by name alone: {named.problem})"
    return Resolution(province, district, "pcode", 100.0, found, found.province, found.province_pcode, warning=warning)


def _timelines(rows: list[_Row], resolutions: dict) -> dict[str, list[_Row]]:
    """The rows of every resolved district (by P-code, whatever the spelling), in date order."""
    timelines: dict[str, list[_Row]] = {}
    for row in rows:
        res = resolutions[row.place]
        if res.resolved:
            timelines.setdefault(res.pcode, []).append(row)
    for timeline in timelines.values():
        timeline.sort()
    return timelines


def _check_conflicts(label: str, timelines: dict[str, list[_Row]], resolutions: dict, recorder: _Recorder) -> None:
    """Two rows giving one district different statuses on one date: the import cannot choose."""
    problems = []
    for timeline in timelines.values():
        first = timeline[0]
        for row in timeline[1:]:
            if row.date != first.date:
                first = row
            elif row.status != first.status:
                pair = [ResolvedRecord(recorder(r), resolutions[r.place]) for r in (first, row)]
                problems += [p for p in _same_place_problems(label, pair) if p.column == "status"]
    if problems:
        raise TableError(sorted(problems, key=lambda p: p.line or 0))


def _changes(timelines: dict[str, list[_Row]]) -> list[_Row]:
    """Each district's first observation (``none`` too: the source reports it as not held), then
    every row where its status changes, in date order."""
    kept = []
    for timeline in timelines.values():
        held = None
        for row in timeline:
            if row.status != held:
                kept.append(row)
                held = row.status
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


@dataclass(frozen=True)
class _NameReport:
    decisions: tuple[str, ...]
    warnings: tuple[str, ...]
    left_out: tuple[str, ...]
    left_out_rows: int


def _names(label: str, rows: list[_Row], resolutions: dict, resolver: Resolver, recorder: _Recorder) -> _NameReport:
    """One line per distinct name read other than exactly, and per name left out: its first line, evidence, rows."""
    counts = Counter(row.place for row in rows)
    first: dict[tuple[str, str, str], _Row] = {}
    for row in rows:
        first.setdefault(row.place, row)
    decisions, warnings, left_out, left_out_rows = [], [], [], 0
    for place, row in sorted(first.items(), key=lambda item: item[1].line):
        found, count = ResolvedRecord(recorder(row), resolutions[place]), counts[place]
        if not found.resolution.resolved:
            problem = _resolution_problem(label, found.record, found.resolution)
            left_out.append(f"{problem}; {count} row(s) left out")
            left_out_rows += count
            continue
        rows_note = f" [{count} rows]" if count > 1 else ""
        decisions += [line + rows_note for line in _name_decisions([found], resolver, label)]
        warnings += [line + rows_note for line in _moved_districts([found], resolver)]
    firsts = sorted(first.values(), key=lambda row: row.line)
    warnings += getattr(resolver, "notes", [])
    warnings += one_district_spellings((row.place[1], row.line, resolutions[row.place]) for row in firsts)
    return _NameReport(tuple(decisions), tuple(warnings), tuple(left_out), left_out_rows)
