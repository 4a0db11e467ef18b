"""Curated spellings: the alias tables (the shipped ``data/aliases.csv`` and users' files)."""

from __future__ import annotations

import csv
from pathlib import Path

from districtcontrol import DistrictControlError
from districtcontrol.data.table import aliases_path
from districtcontrol.geo.names._records import Alias

ALIAS_COLUMNS = ("level", "alias", "alias_province", "name", "name_province", "reason")


def load_aliases(path: str | Path | None = None) -> list[Alias]:
    """Read an alias table (default: the one shipped in ``districtcontrol/data``).

    Columns: level (district or province), alias, alias_province, name, name_province, reason.
    Raises :class:`DistrictControlError` naming the file and line of a malformed row.
    """
    explicit = path is not None
    path = Path(path) if path else aliases_path()
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in ALIAS_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise DistrictControlError(
                    f"alias table lacks column(s) {', '.join(missing)}; its columns must be {','.join(ALIAS_COLUMNS)}",
                    str(path),
                    1,
                )
            source = str(path) if explicit else path.name
            return [_alias_row(row, path, source, reader.line_num) for row in reader]
    except FileNotFoundError as exc:
        raise DistrictControlError("no such alias table", str(path)) from exc
    except UnicodeDecodeError as exc:
        raise DistrictControlError(f"alias table is not UTF-8 ({exc.reason}); save it as UTF-8", str(path)) from exc


def _alias_row(row: dict, path: Path, source: str, line: int) -> Alias:
    values = {c: (row.get(c) or "").strip() for c in ALIAS_COLUMNS}
    if values["level"] not in ("district", "province"):
        raise DistrictControlError(f"level must be 'district' or 'province', not '{values['level']}'", str(path), line)
    if not values["alias"] or not values["name"]:
        raise DistrictControlError("an alias needs both 'alias' and 'name'", str(path), line)
    return Alias(**values, source=source, line=line)
