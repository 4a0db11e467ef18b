"""The match columns: how a table's names resolved, one row per input row (the ``match`` command)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from districtcontrol.geo.names._normalise import clean_typography
from districtcontrol.geo.names._records import Resolution

if TYPE_CHECKING:
    from districtcontrol.geo.names._resolver import Resolver


MATCH_COLUMNS = ["pcode", "matched_district", "matched_province", "method", "score", "warning", "suggestions"]


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
        "warning": res.warning or res.problem,
        "suggestions": "; ".join(res.suggestions),
    }


def one_district_spellings(rows: Iterable[tuple[str, int, Resolution]]) -> list[str]:
    """One line per district that several spellings of a table resolve to, naming each with its first line.

    ``rows`` are (the district as written, its line, its resolution), in the table's order.
    """
    by_pcode: dict[str, dict[str, tuple[str, int]]] = {}
    labels: dict[str, str] = {}
    for written, line, res in rows:
        if not res.resolved or not res.pcode or not written.strip():
            continue
        labels[res.pcode] = res.district.label
        by_pcode.setdefault(res.pcode, {}).setdefault(clean_typography(written).casefold(), (written.strip(), line))
    out = []
    for pcode, spellings in by_pcode.items():
        if len(spellings) > 1:
            named = " and ".join(f"'{w}' (first on line {n})" for w, n in spellings.values())
            out.append(f"{named} resolve to one district, {labels[pcode]}")
    return out
