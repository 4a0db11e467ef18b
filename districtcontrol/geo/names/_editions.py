"""The crosswalk of districts that are not in the boundary file: newer districts inside one, older ones split since.

One reviewed table, ``data/districts_not_in_boundaries.csv``, read by name resolution and by the
population join alike. Columns: province, district (its usual spelling), spellings (other
spellings, separated by ``|``), kind, parents (P-codes of the boundary file, ``|``), since (the
solar year it is first listed, when known) and evidence.

* ``part-of``: a district created after the boundary file (Marja, carved from Nad-e-Ali) that lies
  inside its parent; a name of it resolves to the parent, marked "part of this district".
* ``split``: an older district (Darwaz) whose area is now several districts of the boundary file;
  a name of it is refused with every successor as a candidate, never one of them silently.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from districtcontrol import DistrictControlError

EDITION_COLUMNS = ("province", "district", "spellings", "kind", "parents", "since", "evidence")
EDITION_KINDS = ("part-of", "split")


@dataclass(frozen=True)
class EditionDistrict:
    """A reviewed row of the crosswalk: a district of another edition and the boundary districts it lies in."""

    province: str
    district: str
    spellings: tuple[str, ...]
    kind: str
    parents: tuple[str, ...]
    since: str
    evidence: str
    source: str = ""
    line: int = 0

    @property
    def names(self) -> tuple[str, ...]:
        """The usual spelling first, then the others."""
        return (self.district, *self.spellings)

    @property
    def where(self) -> str:
        return f"{self.source}, line {self.line}"


def editions_path() -> Path:
    """The crosswalk shipped with the package."""
    return Path(str(resources.files("districtcontrol.data").joinpath("districts_not_in_boundaries.csv")))


def load_editions(path: str | Path | None = None) -> list[EditionDistrict]:
    """Read the crosswalk (default: the shipped one); every row needs a kind, parent P-codes and evidence.

    Raises :class:`DistrictControlError` naming the file and line of a malformed row.
    """
    path = Path(path) if path else editions_path()
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in EDITION_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise DistrictControlError(
                    f"the crosswalk lacks column(s) {', '.join(missing)}; its columns must be {','.join(EDITION_COLUMNS)}",
                    str(path),
                    1,
                )
            return [_row(raw, path, reader.line_num) for raw in reader]
    except FileNotFoundError as exc:
        raise DistrictControlError("no such crosswalk", str(path)) from exc


def _row(raw: dict, path: Path, line: int) -> EditionDistrict:
    values = {c: (raw.get(c) or "").strip() for c in EDITION_COLUMNS}
    split = {k: tuple(p.strip() for p in values[k].split("|") if p.strip()) for k in ("spellings", "parents")}
    if values["kind"] not in EDITION_KINDS or not split["parents"] or not values["evidence"] or not values["district"]:
        raise DistrictControlError(
            f"each row needs province, district, kind ({' or '.join(EDITION_KINDS)}), parents and evidence",
            str(path),
            line,
        )
    if values["kind"] == "split" and len(split["parents"]) < 2:
        raise DistrictControlError("a split district needs at least two parents (its successors)", str(path), line)
    return EditionDistrict(**{**values, **split}, source=path.name, line=line)
