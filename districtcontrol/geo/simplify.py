"""Topology-preserving simplification: neighbouring districts keep sharing their edges exactly."""

from __future__ import annotations

# Visvalingam-Whyatt tolerance (square root of the smallest triangle area kept), in degrees.
# At the zoom a region map opens at, one pixel is about 1 km: the simplified outline stays
# within about two pixels of the original.
DEFAULT_TOLERANCE_DEG = 0.01
COORDINATE_DECIMALS = 3


def simplify_districts(districts, tolerance: float = DEFAULT_TOLERANCE_DEG):
    """Simplify the districts as one coverage (``shapely.coverage_simplify``) and round coordinates.

    Shared edges are simplified once, so the result has no gaps and no slivers between
    neighbours. Coordinates are rounded to 3 decimals (about 100 m) on a grid all districts
    share, which keeps shared vertices identical.
    """
    import shapely

    geoms = shapely.coverage_simplify(districts.geometry.values, tolerance, simplify_boundary=True)
    geoms = shapely.set_precision(geoms, 10**-COORDINATE_DECIMALS, mode="pointwise")
    return districts.set_geometry(geoms, crs=districts.crs)


def province_lines(provinces):
    """Province boundaries as lines, each shared edge once (half the data of drawing every outline)."""
    import shapely

    merged = shapely.line_merge(shapely.union_all(provinces.boundary.values))
    return shapely.set_precision(merged, 10**-COORDINATE_DECIMALS, mode="pointwise")
