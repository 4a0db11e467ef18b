"""Topology-preserving simplification: neighbouring districts keep sharing their edges exactly."""

from __future__ import annotations

# About 300 m at Afghanistan's latitudes: invisible at the zoom a province map opens at.
DEFAULT_TOLERANCE_DEG = 0.003
COORDINATE_DECIMALS = 4


def simplify_districts(districts, tolerance: float = DEFAULT_TOLERANCE_DEG):
    """Simplify the districts as one coverage (``shapely.coverage_simplify``) and round coordinates.

    Shared edges are simplified once, so the result has no gaps and no slivers between
    neighbours. Coordinates are rounded to 4 decimals (about 10 m) on a grid all districts
    share, which keeps shared vertices identical.
    """
    import shapely

    geoms = shapely.coverage_simplify(districts.geometry.values, tolerance, simplify_boundary=True)
    geoms = shapely.set_precision(geoms, 10**-COORDINATE_DECIMALS, mode="pointwise")
    return districts.set_geometry(geoms, crs=districts.crs)
