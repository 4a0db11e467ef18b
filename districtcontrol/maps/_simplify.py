"""Topology-preserving simplification: neighbouring districts keep sharing their edges exactly."""

from __future__ import annotations

# Visvalingam-Whyatt tolerance (square root of the smallest triangle area kept), in degrees.
# Chosen so every district's outline stays within 500 m of the original (Hausdorff distance,
# measured by benchmarks/bench_build.py: at most about 420 m over all 399 districts).
DEFAULT_TOLERANCE_DEG = 0.00225
COORDINATE_DECIMALS = 3
# Douglas-Peucker tolerance of the HTML maps' arcs, in grid units (10**-COORDINATE_DECIMALS
# degrees, about 200 m): it drops the points Visvalingam-Whyatt keeps on gentle wiggles, 43%
# of them, and leaves the largest distance to the original outlines where it was (about 420 m,
# measured by benchmarks/bench_build.py).
ARC_TOLERANCE = 2


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


def thin_arcs(topology: dict, tolerance: float = ARC_TOLERANCE) -> dict:
    """The topology with each arc simplified once (Douglas-Peucker, ``tolerance`` grid units; ends kept).

    Each arc is thinned once for every district that uses it, so neighbours still share their
    edges exactly. Where a thinned outline would be invalid or overlap another, the districts
    there (and those they touch) get their arcs back as they were, until none does: the result
    is a valid coverage when the input is one.
    """
    import numpy as np
    import shapely

    original = topology["arcs"]
    points = np.concatenate(original) if original else np.zeros((0, 2))
    indices = np.repeat(np.arange(len(original)), [len(arc) for arc in original])
    lines = shapely.simplify(shapely.linestrings(points, indices=indices), tolerance, preserve_topology=False)
    arcs = [
        np.rint(shapely.get_coordinates(line)).astype(np.int64) if _still_an_arc(arc, line) else arc
        for arc, line in zip(original, lines, strict=True)
    ]
    uses = [_arc_indices(g["arcs"]) for g in topology["objects"]["districts"]["geometries"]]
    while True:
        broken = _broken(topology, arcs)
        restore = {i for d in broken for i in uses[d] if arcs[i] is not original[i]}
        if not restore:
            return {**topology, "arcs": arcs}
        for i in restore:
            arcs[i] = original[i]


def _still_an_arc(arc, line) -> bool:
    """A thinned arc is kept if it still is one: a closed arc needs four points to stay a ring."""
    import shapely

    return shapely.get_num_coordinates(line) >= (4 if (arc[0] == arc[-1]).all() else 2)


def _arc_indices(refs) -> set[int]:
    if isinstance(refs, int):
        return {refs if refs >= 0 else ~refs}
    return set().union(*(_arc_indices(r) for r in refs)) if refs else set()


def _broken(topology: dict, arcs: list) -> set[int]:
    """The districts whose outline is invalid or overlaps another's, and the districts they touch."""
    import numpy as np
    import shapely

    from districtcontrol.geo._topology import shapes

    geoms = np.asarray(shapes(topology, arcs), dtype=object)
    bad = np.flatnonzero(~shapely.is_valid(geoms) | ~shapely.is_empty(shapely.coverage_invalid_edges(geoms)))
    if not len(bad):
        return set()
    _, touched = shapely.STRtree(geoms).query(geoms[bad], predicate="intersects")
    return {*bad.tolist(), *touched.tolist()}


def province_lines(provinces):
    """Province boundaries as lines, each shared edge once (half the data of drawing every outline)."""
    import shapely

    merged = shapely.line_merge(shapely.union_all(provinces.boundary.values))
    return shapely.set_precision(merged, 10**-COORDINATE_DECIMALS, mode="pointwise")
