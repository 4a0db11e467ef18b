"""The ``match`` command's CSV in and out: read any table with district (and province) columns,
write it back with the match columns, safe for spreadsheets."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TextIO

from districtcontrol._csv import RowReader, column_key, decode_utf8, duplicate_columns, read_limited, spreadsheet_safe
from districtcontrol.data.table import Problem, TableError
from districtcontrol.geo._source_shapes import shaped
from districtcontrol.geo.boundaries import load_boundaries
from districtcontrol.geo.names import MATCH_COLUMNS, Resolver, match_rows, one_district_spellings

MAX_NAME_CHARS = 500


def read_name_table(path: str | Path) -> tuple[list[str], list[dict[str, str]], list[int]]:
    """Read a CSV that has a 'district' column and, usually, a 'province' column.

    Column names are matched whatever their case and spacing (``Province``, `` District``). The
    whole file is checked before anything is returned: a ragged row, a column named twice, an
    over-long field or a quote left open raise :class:`~districtcontrol.data.TableError` listing
    every such problem with its line. Returns the fields, the rows and each row's line.
    """
    name = str(path)
    text = decode_utf8(read_limited(path), name)
    reader = RowReader(text)
    numbered = iter(reader)
    fields = next(numbered, (1, []))[1]
    problems = _header_problems(name, fields)
    rows, lines = [], []
    for line, cells in numbered:
        if not cells:
            continue
        if len(cells) != len(fields):
            msg = f"has {len(cells)} fields, the header has {len(fields)}"
            problems.append(Problem(name, line, None, msg, "quote fields that contain commas"))
            continue
        problems.extend(_name_problems(name, line, fields, cells))
        rows.append(dict(zip(fields, cells)))
        lines.append(line)
    problems += [Problem(name, p.line, None, p.message, p.suggestion) for p in reader.problems]
    if problems:
        raise TableError(sorted(problems, key=lambda p: p.line or 0))
    return fields, rows, lines


def _header_problems(name: str, fields: list[str]) -> list[Problem]:
    keys = [column_key(f) for f in fields]
    problems = []
    if "district" not in keys:
        msg = f"missing column 'district'; the header is: {','.join(fields)}"
        problems.append(Problem(name, 1, "district", msg, "name the columns province and district"))
    for key, positions in duplicate_columns(fields).items():
        msg = f"column '{key}' appears {len(positions)} times (columns {' and '.join(map(str, positions))})"
        problems.append(Problem(name, 1, key or "(empty)", msg, "give every column its own name"))
    return problems


def _name_problems(name: str, line: int, fields: list[str], cells: list[str]) -> list[Problem]:
    return [
        Problem(name, line, field, f"a name of {len(cell):,} characters", "is this the right column?")
        for field, cell in zip(fields, cells)
        if column_key(field) in ("province", "district") and len(cell) > MAX_NAME_CHARS
    ]


def _name_columns(fields: list[str]) -> tuple[str | None, str]:
    """The file's own names of its province (None when it has none) and district columns."""
    by_key = {column_key(f): f for f in fields}
    return by_key.get("province"), by_key["district"]


def match_csv(
    table,
    stream: TextIO,
    boundaries=None,
    name_field=None,
    province_field=None,
    pcode_field=None,
    aliases=None,
    notes: list[str] | None = None,
    source=None,
) -> int:
    """Write the match of every row of ``table`` as CSV to ``stream``; return the number unresolved.

    ``notes``, when given, receives one line per district that several of the table's spellings
    resolve to. ``source`` (a :class:`~districtcontrol.geo._source_shapes.SourceBoundaries`) gives
    the names their province and evidence from the source's own shapes.

    Nothing is written unless the whole table reads. Cells that a spreadsheet would run as a
    formula (starting with = + - @) are written with a leading apostrophe.
    """
    fields, rows, lines = read_name_table(table)
    _, frame = load_boundaries(
        boundaries, name_field=name_field, province_field=province_field, pcode_field=pcode_field
    )
    resolver = shaped(Resolver.from_frame(frame, alias_files=[aliases] if aliases else []), frame, source)
    province_column, district_column = _name_columns(fields)
    matched = match_rows(rows, resolver, province_column, district_column)
    if notes is not None:
        notes += getattr(resolver, "notes", [])
        notes += one_district_spellings(
            (
                row.get(district_column) or "",
                line,
                resolver.resolve(_cell(row, province_column), _cell(row, district_column)),
            )
            for row, line in zip(rows, lines)
        )
    columns = fields + [c for c in MATCH_COLUMNS if c not in fields]
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow([spreadsheet_safe(c) for c in columns])
    writer.writerows([spreadsheet_safe(row.get(c, "")) for c in columns] for row in matched)
    return sum(1 for row in matched if row["method"] == "unresolved")


def _cell(row: dict[str, str], column: str | None) -> str:
    return (row.get(column) or "") if column is not None else ""
