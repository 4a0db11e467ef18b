"""Resolve the names of any CSV with ``province`` and ``district`` columns (the ``match`` command)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TextIO

from districtcontrol import DistrictControlError
from districtcontrol.geo.boundaries import locate_boundaries, read_boundaries
from districtcontrol.geo.names import Resolution, Resolver

MATCH_COLUMNS = ["pcode", "matched_district", "matched_province", "method", "score", "warning", "suggestions"]


def match_rows(rows: list[dict[str, str]], resolver: Resolver) -> list[dict[str, str]]:
    """Add the match columns to each row; each distinct (province, district) pair is resolved once."""
    out = []
    for row in rows:
        res = resolver.resolve(row.get("province") or "", row.get("district") or "")
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
        "warning": res.warning or res.problem,
        "suggestions": "; ".join(res.suggestions),
    }


def read_name_table(path: str | Path) -> tuple[list[str], list[dict[str, str]]]:
    """Read a CSV that has at least 'province' and 'district' columns."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            rows = list(reader)
            fields = list(reader.fieldnames or [])
    except FileNotFoundError as exc:
        raise DistrictControlError("no such file", str(path)) from exc
    except UnicodeDecodeError as exc:
        raise DistrictControlError(f"not UTF-8 ({exc.reason}); save the file as UTF-8", str(path)) from exc
    missing = [c for c in ("province", "district") if c not in fields]
    if missing:
        raise DistrictControlError(
            f"missing column(s) {', '.join(missing)}; the header is: {','.join(fields)}", str(path), 1
        )
    return fields, rows


def match_csv(table, stream: TextIO, boundaries=None, name_field=None, province_field=None, pcode_field=None) -> int:
    """Write the match of every row of ``table`` as CSV to ``stream``; return the number unresolved."""
    fields, rows = read_name_table(table)
    source = locate_boundaries(boundaries)
    frame = read_boundaries(source.path, name_field=name_field, province_field=province_field, pcode_field=pcode_field)
    matched = match_rows(rows, Resolver.from_frame(frame))
    writer = csv.DictWriter(
        stream, fieldnames=fields + [c for c in MATCH_COLUMNS if c not in fields], lineterminator="\n"
    )
    writer.writeheader()
    writer.writerows(matched)
    return sum(1 for row in matched if row["method"] == "unresolved")
