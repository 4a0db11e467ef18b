"""Regions: which provinces a map covers, and province outlines dissolved from the districts."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TYPE_CHECKING

from districtcontrol import DistrictControlError

if TYPE_CHECKING:  # names and rapidfuzz stay unimported for `--help`, which reads REGION_HELP
    from districtcontrol.geo.names import Resolver

# Provinces on the border with Turkmenistan, Uzbekistan and Tajikistan, west to east.
NORTH_BORDER_PROVINCES = ("Hirat", "Badghis", "Faryab", "Jawzjan", "Balkh", "Kunduz", "Takhar", "Badakhshan")
REGION_HELP = (
    "'north' (the provinces on the border with Turkmenistan, Uzbekistan and Tajikistan, plus every "
    "province with a record in the table), 'all' (the whole country), or a comma-separated list of provinces"
)


def region_provinces(region: str, resolver: Resolver, recorded: Iterable[str] = ()) -> list[str]:
    """The province P-codes of a region: ``north``, ``all`` or a comma-separated list of names.

    ``recorded`` holds the P-codes of provinces with a record in the table; region ``north``
    adds them to the border provinces.
    """
    name = region.strip()
    if not [p for p in name.split(",") if p.strip()]:
        raise DistrictControlError(f"--region {region!r} names no province. Use {REGION_HELP}.")
    if name.lower() == "all":
        return sorted(resolver.provinces)
    if name.lower() == "north":
        border = [_province_pcode(p, resolver, region) for p in NORTH_BORDER_PROVINCES]
        return sorted(set(border) | set(recorded))
    return sorted({_province_pcode(p, resolver, region) for p in name.split(",") if p.strip()})


COUNTRY = "Afghanistan"


def region_name(provinces: Iterable[str], resolver: Resolver) -> str:
    """What a region is, in words: the country when it covers every province, "Region north" when it
    is exactly the provinces on the northern border, a province by name, else "N provinces"."""
    chosen = set(provinces)
    if chosen == set(resolver.provinces):
        return COUNTRY
    if chosen == {resolver.resolve_province(p)[0].pcode for p in NORTH_BORDER_PROVINCES}:
        return "Region north"
    if len(chosen) == 1:
        return f"{resolver.provinces[next(iter(chosen))].name} province"
    return f"{len(chosen)} provinces"


def _province_pcode(name: str, resolver: Resolver, region: str) -> str:
    prov, _, _, suggestions = resolver.resolve_province(name)
    if prov is None:
        hint = f" Did you mean {', '.join(suggestions)}?" if suggestions else ""
        raise DistrictControlError(f"--region {region}: unknown province '{name.strip()}'.{hint} Use {REGION_HELP}.")
    return prov.pcode


def dissolve_provinces(districts):
    """Province polygons dissolved from their districts, with name and P-code.

    The districts are a coverage (they share edges and never overlap), so each province is a
    ``shapely.coverage_union_all`` of its districts: several times faster than a general union.
    """
    import geopandas as gpd
    import shapely

    groups = districts.groupby("province_pcode", sort=True)
    return gpd.GeoDataFrame(
        {
            "province_pcode": list(groups.groups),
            "province": [frame["province"].iloc[0] for _, frame in groups],
        },
        geometry=[shapely.coverage_union_all(frame.geometry.values) for _, frame in groups],
        crs=districts.crs,
    )


def neighbours() -> list[tuple[str, float, float]]:
    """Neighbouring countries to name beyond the border: (name, lat, lon), from ``data/neighbours.csv``."""
    from importlib import resources  # not on import: `--help` reads REGION_HELP from here

    path = resources.files("districtcontrol.data").joinpath("neighbours.csv")
    with path.open(encoding="utf-8") as fh:
        return [(r["name"], float(r["lat"]), float(r["lon"])) for r in csv.DictReader(fh)]
