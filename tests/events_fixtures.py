"""Event files in ACLED's and UCDP GED's column layouts, made at test time from the boundary file.

ACLED's terms forbid redistributing its data, so no real export is used: every event here is
invented, placed at a district's representative point (always inside it) or at a point chosen
by the test, with the boundary file's own names.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
)
UCDP_COLUMNS = (
    "id",
    "year",
    "type_of_violence",
    "side_a",
    "side_b",
    "country",
    "adm_1",
    "adm_2",
    "where_prec",
    "latitude",
    "longitude",
    "date_start",
    "date_end",
    "best",
)


@dataclass(frozen=True)
class Place:
    """A district of the boundary file and a point inside it."""

    pcode: str
    district: str
    province: str
    lon: float
    lat: float


def places(districts) -> dict[str, Place]:
    """Every district by P-code, with its representative point (inside the district by construction)."""
    points = districts.geometry.representative_point()
    return {
        row.pcode: Place(row.pcode, row.district, row.province, point.x, point.y)
        for row, point in zip(districts.itertuples(), points)
    }


def acled_row(
    number: int,
    place: Place | None,
    date: str,
    actor1: str,
    actor2: str = "",
    *,
    event_type="Battles",
    sub_event_type="Armed clash",
    admin2: str | None = None,
    lon=None,
    lat=None,
    precision=1,
) -> dict:
    """One event in ACLED's columns; ``admin2`` defaults to the place's district name."""
    return {
        "event_id_cnty": f"AFG{number}",
        "event_date": date,
        "year": date[:4],
        "event_type": event_type,
        "sub_event_type": sub_event_type,
        "actor1": actor1,
        "actor2": actor2,
        "country": "Afghanistan",
        "admin1": place.province if place else "",
        "admin2": (place.district if place else "") if admin2 is None else admin2,
        "location": "",
        "latitude": "" if (place is None and lat is None) else (lat if lat is not None else place.lat),
        "longitude": "" if (place is None and lon is None) else (lon if lon is not None else place.lon),
        "geo_precision": precision,
        "fatalities": 0,
    }


def takeover(number, place, date, actor, **kw) -> dict:
    sub = "Government regains territory" if "Forces of Afghanistan" in actor else "Non-state actor overtakes territory"
    event_type = "Battles" if sub == "Government regains territory" else "Strategic developments"
    return acled_row(number, place, date, actor, "", event_type=event_type, sub_event_type=sub, **kw)


def ucdp_row(
    number: int, place: Place, date: str, side_a: str, side_b: str, violence: int = 1, where_prec: int = 1
) -> dict:
    return {
        "id": number,
        "year": date[:4],
        "type_of_violence": violence,
        "side_a": side_a,
        "side_b": side_b,
        "country": "Afghanistan",
        "adm_1": f"{place.province} province",
        "adm_2": f"{place.district} district",
        "where_prec": where_prec,
        "latitude": place.lat,
        "longitude": place.lon,
        "date_start": f"{date} 00:00:00.000",
        "date_end": f"{date} 00:00:00.000",
        "best": 1,
    }


def write_csv(path: Path, rows: list[dict], columns) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path
