"""The match columns: how a table's names resolved, one row per input row (the ``match`` command)."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
