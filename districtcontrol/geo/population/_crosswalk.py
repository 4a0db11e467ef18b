"""The reviewed assignments: CSO districts spelled otherwise or absent from the boundary file, and where they count."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from districtcontrol import DistrictControlError
from districtcontrol.geo.names._editions import EditionDistrict, load_editions


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
    file: str = ""

    @property
    def where(self) -> str:
        """The reviewed file and line this assignment was read from."""
        return f"{self.file or assignments_path().name} line {self.line}"


KINDS = ("same", "part-of")


def assignments_path() -> Path:
    """The reviewed assignments shipped with the package."""
    return Path(str(resources.files("districtcontrol.data").joinpath("population_districts.csv")))


def load_assignments(path: str | Path | None = None, editions: str | Path | bool | None = None) -> list[Assignment]:
    """Read the reviewed assignments (``editions``: another crosswalk, or False for none), checking every row has a known kind, a P-code and a reason.

    ``path`` holds the ``same`` rows (default: ``population_districts.csv``); the ``part-of`` rows
    are the crosswalk's districts inside one parent (``districts_not_in_boundaries.csv``, read by
    name resolution too), one per spelling.
    """
    rows = _same_rows(Path(path or assignments_path()))
    if editions is False:
        return rows
    crosswalk = load_editions(None if editions is True else editions)
    return rows + [a for row in crosswalk for a in _part_of(row)]


def _part_of(row: EditionDistrict) -> list[Assignment]:
    if row.kind != "part-of" or len(row.parents) != 1:
        return []
    return [
        Assignment(row.province, name, "", "", row.parents[0], "part-of", row.evidence, row.line, row.source)
        for name in row.names
    ]


def _same_rows(path: Path) -> list[Assignment]:
    rows = []
    with open(path, encoding="utf-8", newline="") as fh:
        for line, raw in enumerate(csv.DictReader(fh), start=2):
            row = Assignment(
                **{k: (raw.get(k) or "").strip() for k in Assignment.__annotations__ if k not in ("line", "file")},
                line=line,
            )
            if row.kind not in KINDS or not row.pcode or not row.reason or not row.district:
                raise DistrictControlError(
                    f"each row needs province, district, pcode, kind ({' or '.join(KINDS)}) and reason", str(path), line
                )
            rows.append(row)
    return rows
