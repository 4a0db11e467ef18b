"""The reviewed assignments: CSO districts spelled otherwise or absent from the boundary file, and where they count."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from districtcontrol import DistrictControlError


@dataclass(frozen=True)
class Assignment:
    """A reviewed row of ``population_districts.csv``: a CSO district and the boundary district it counts in.

    ``kind`` is ``same`` (the boundary district under another spelling or an earlier name) or
    ``part-of`` (a district absent from the boundaries that lies inside ``pcode``; its people are
    added to it). ``year`` and ``code``, when given, restrict the row to that year's row with that code
    (for a row the file mislabels).
    """

    province: str
    district: str
    year: str
    code: str
    pcode: str
    kind: str
    reason: str
    line: int


KINDS = ("same", "part-of")


def assignments_path() -> Path:
    """The reviewed assignments shipped with the package."""
    return Path(str(resources.files("districtcontrol.data").joinpath("population_districts.csv")))


def load_assignments(path: str | Path | None = None) -> list[Assignment]:
    """Read the reviewed assignments, checking every row has a known kind, a P-code and a reason."""
    path = Path(path or assignments_path())
    rows = []
    with open(path, encoding="utf-8", newline="") as fh:
        for line, raw in enumerate(csv.DictReader(fh), start=2):
            row = Assignment(
                **{k: (raw.get(k) or "").strip() for k in Assignment.__annotations__ if k != "line"}, line=line
            )
            if row.kind not in KINDS or not row.pcode or not row.reason or not row.district:
                raise DistrictControlError(
                    f"each row needs province, district, pcode, kind ({' or '.join(KINDS)}) and reason", str(path), line
                )
            rows.append(row)
    return rows
