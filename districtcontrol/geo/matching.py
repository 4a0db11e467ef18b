"""Resolve the names of any CSV with ``province`` and ``district`` columns (the ``match`` command)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TextIO

from districtcontrol._csv import RowReader, column_key, decode_utf8, duplicate_columns, read_limited, spreadsheet_safe
from districtcontrol.data.table import Problem, TableError
from districtcontrol.geo.boundaries import locate_boundaries, read_boundaries
from districtcontrol.geo.names import Resolution, Resolver

MAX_NAME_CHARS = 500
MATCH_COLUMNS = ["pcode", "matched_district", "matched_province", "method", "score", "suggestions"]


def match_rows(
    rows: list[dict[str, str]],
    resolver: Resolver,
    province_column: str | None = "province",
    district_column: str = "district",
) -> list[dict[str, str]]:
    """Add the match columns to each row; each distinct (province, district) pair is resolved once.

    ``province_column`` and ``district_column`` name the keys of ``rows`` that hold the names
    (``province_column`` None: no province, the district is looked for across the country).
    """
    out = []
    for row in rows:
        province = row.get(province_column) if province_column is not None else ""
        res = resolver.resolve(province or "", row.get(district_column) or "")
        out.append({**row, **match_columns(res)})
    return out


def match_columns(res: Resolution) -> dict[str, str]:
    """The match columns for one resolution."""
    return {
        "pcode": res.pcode,
        "matched_district": res.district.name if res.district else "",
        "matched_province": res.province,
        "method": res.method,
        "score": f"{res.score:g}",
        "suggestions": "; ".join(res.suggestions),
    }


def read_name_table(path: str | Path) -> tuple[list[str], list[dict[str, str]]]:
    """Read a CSV that has a 'district' column and, usually, a 'province' column.

    Column names are matched whatever their case and spacing (``Province``, `` District``). The
    whole file is checked before anything is returned: a ragged row, a column named twice, an
    over-long field or a quote left open raise :class:`~districtcontrol.data.TableError` listing
    every such problem with its line.
    """
    name = str(path)
    text = decode_utf8(read_limited(path), name)
    reader = RowReader(text)
    numbered = iter(reader)
    fields = next(numbered, (1, []))[1]
    problems = _header_problems(name, fields)
    rows = []
    for line, cells in numbered:
        if not cells:
            continue
        if len(cells) != len(fields):
            msg = f"has {len(cells)} fields, the header has {len(fields)}"
            problems.append(Problem(name, line, None, msg, "quote fields that contain commas"))
            continue
        problems.extend(_name_problems(name, line, fields, cells))
        rows.append(dict(zip(fields, cells)))
    problems += [Problem(name, p.line, None, p.message, p.suggestion) for p in reader.problems]
    if problems:
        raise TableError(sorted(problems, key=lambda p: p.line or 0))
    return fields, rows


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


def match_csv(table, stream: TextIO, boundaries=None, name_field=None, province_field=None, pcode_field=None) -> int:
    """Write the match of every row of ``table`` as CSV to ``stream``; return the number unresolved.

    Nothing is written unless the whole table reads. Cells that a spreadsheet would run as a
    formula (starting with = + - @) are written with a leading apostrophe.
    """
    fields, rows = read_name_table(table)
    source = locate_boundaries(boundaries)
    frame = read_boundaries(source.path, name_field=name_field, province_field=province_field, pcode_field=pcode_field)
    matched = match_rows(rows, Resolver.from_frame(frame), *_name_columns(fields))
    columns = fields + [c for c in MATCH_COLUMNS if c not in fields]
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow([spreadsheet_safe(c) for c in columns])
    writer.writerows([spreadsheet_safe(row.get(c, "")) for c in columns] for row in matched)
    return sum(1 for row in matched if row["method"] == "unresolved")
