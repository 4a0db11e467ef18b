"""Topology-preserving simplification: neighbouring districts keep sharing their edges exactly."""

from __future__ import annotations

# Visvalingam-Whyatt tolerance (square root of the smallest triangle area kept), in degrees.
# Chosen so every district's outline stays within 500 m of the original (Hausdorff distance,
# measured by benchmarks/bench_build.py: at most about 420 m over all 399 districts).
DEFAULT_TOLERANCE_DEG = 0.00225
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
