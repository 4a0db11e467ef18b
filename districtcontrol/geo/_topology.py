"""TopoJSON: district polygons as shared arcs, each edge between two districts stored once.

Input is a coverage whose shared vertices are identical (what
:func:`districtcontrol.maps._simplify.simplify_districts` returns). Coordinates sit on the
simplification's grid (``10**-decimals`` degrees), so quantising to that grid is exact. Arcs
are absolute integer points on that grid (x, y in units of ``10**-decimals`` degrees), ready
for the polyline encoding the maps write; the topology carries ``decimals`` to say so.

Arcs are cut where the set of rings sharing an edge changes (where three districts meet,
or a shared border meets the region's outline). A ring that shares its whole length with
one other ring (an enclave) is one closed arc, stored once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import shapely

Ring = list[int]  # point keys of a closed ring, first point not repeated


def topology(
    geometries: Sequence, ids: Sequence[str], properties: Sequence[dict] | None = None, decimals: int = 3
) -> dict:
    """A TopoJSON-shaped Topology with one object, ``districts``: a GeometryCollection of (Multi)Polygons.

    ``ids`` and ``properties`` go on each geometry as ``id`` and ``properties``. Polygons are
    read on a grid of ``10**-decimals`` degrees; each arc is an ``(n, 2)`` integer array of
    absolute grid points, so ``arc * 10**-decimals`` gives longitude, latitude exactly.
    """
    geometries = np.asarray(geometries, dtype=object)
    scale = 10**-decimals
    grid = np.rint(shapely.get_coordinates(geometries) / scale).astype(np.int64)
    origin = grid.min(axis=0) if len(grid) else np.zeros(2, dtype=np.int64)
    shapes = [_rings(geom, origin, scale) for geom in geometries]
    arcs = _ArcTable(Counter(key for polygons in shapes for rings in polygons for ring in rings for key in ring))
    for polygons in shapes:
        for rings in polygons:
            for ring in rings:
                arcs.register(ring)
    properties = properties if properties is not None else [{} for _ in shapes]
    objects = [
        _geometry(arcs, polygons, ident, props) for polygons, ident, props in zip(shapes, ids, properties, strict=True)
    ]
    return {
        "type": "Topology",
        "decimals": decimals,
        "objects": {"districts": {"type": "GeometryCollection", "geometries": objects}},
        "arcs": [_grid_points(arc, origin) for arc in arcs.arcs],
    }


def _rings(geom, origin: np.ndarray, scale: float) -> list[list[Ring]]:
    """Each polygon of ``geom`` as its rings of integer point keys (exterior first)."""
    polygons = shapely.get_parts(geom)
    out = []
    for polygon in polygons:
        rings = [polygon.exterior, *polygon.interiors]
        out.append([_ring_keys(np.asarray(r.coords), origin, scale) for r in rings])
    return out


def _ring_keys(coords: np.ndarray, origin: np.ndarray, scale: float) -> Ring:
    grid = np.rint(coords / scale).astype(np.int64) - origin
    keys = (grid[:, 0] << 32) | grid[:, 1]
    keep = np.concatenate([[True], keys[1:] != keys[:-1]])  # drop repeated points
    keys = keys[keep]
    return keys[:-1].tolist() if len(keys) > 1 and keys[0] == keys[-1] else keys.tolist()


class _ArcTable:
    """Arcs cut from rings and stored once; a ring becomes a list of arc references."""

    def __init__(self, visits: Counter):
        self.visits = visits
        self.owners: dict[tuple[int, int], int] = Counter()
        self.arcs: list[list[int]] = []
        self.index: dict[tuple[int, ...], int] = {}
        self.refs: dict[int, list[int]] = {}

    def register(self, ring: Ring) -> None:
        for a, b in _segments(ring):
            self.owners[(a, b) if a < b else (b, a)] += 1

    def ring_refs(self, ring: Ring) -> list[int]:
        """The arc references of a ring: cut at junctions, each arc looked up or added."""
        if len(ring) < 3:
            return []
        cuts = self._cuts(ring)
        if not cuts:
            return [self._ref(_canonical_loop(ring))]
        start = ring[cuts[0] :] + ring[: cuts[0]]
        offsets = [c - cuts[0] for c in cuts] + [len(ring)]
        closed = start + [start[0]]
        return [self._ref(tuple(closed[i : j + 1])) for i, j in zip(offsets, offsets[1:])]

    def _cuts(self, ring: Ring) -> list[int]:
        """Indices where the ring's edges change the set of rings sharing them, or that are visited ≥3 times."""
        shared = [self.owners[(a, b) if a < b else (b, a)] for a, b in _segments(ring)]
        return [i for i in range(len(ring)) if shared[i - 1] != shared[i] or self.visits[ring[i]] > 2]

    def _ref(self, chain: tuple[int, ...]) -> int:
        if chain in self.index:
            return self.index[chain]
        reverse = chain[::-1]
        if reverse in self.index:
            return ~self.index[reverse]
        self.index[chain] = len(self.arcs)
        self.arcs.append(list(chain))
        return self.index[chain]


def _segments(ring: Ring):
    return zip(ring, ring[1:] + ring[:1])


def _canonical_loop(ring: Ring) -> tuple[int, ...]:
    """A closed ring with no junction, started at its smallest point so both its users find it."""
    i = ring.index(min(ring))
    rotated = ring[i:] + ring[:i]
    return tuple(rotated + rotated[:1])


def _geometry(arcs: _ArcTable, polygons: list[list[Ring]], ident: str, props: dict) -> dict:
    encoded = [[arcs.ring_refs(ring) for ring in rings] for rings in polygons]
    encoded = [[r for r in rings if r] for rings in encoded if rings and rings[0]]
    if len(encoded) == 1:
        return {"type": "Polygon", "arcs": encoded[0], "id": ident, "properties": props}
    return {"type": "MultiPolygon", "arcs": encoded, "id": ident, "properties": props}


def shapes(topology: dict, arcs: Sequence[np.ndarray] | None = None) -> list:
    """The districts of ``topology`` as shapely (Multi)Polygons in degrees, built from its arcs
    (or from ``arcs``, another set of arcs with the same references)."""
    arcs = topology["arcs"] if arcs is None else arcs
    scale = 10.0 ** topology["decimals"]

    def ring(refs: list[int]) -> np.ndarray:
        parts = [arcs[ref] if ref >= 0 else arcs[~ref][::-1] for ref in refs]
        return np.concatenate([parts[0]] + [part[1:] for part in parts[1:]]) / scale

    out = []
    for geometry in topology["objects"]["districts"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        parts = [shapely.Polygon(ring(rings[0]), [ring(r) for r in rings[1:]]) for rings in polygons]
        out.append(parts[0] if geometry["type"] == "Polygon" else shapely.MultiPolygon(parts))
    return out


def _grid_points(arc: list[int], origin: np.ndarray) -> np.ndarray:
    keys = np.asarray(arc, dtype=np.int64)
    return np.stack([keys >> 32, keys & 0xFFFFFFFF], axis=1) + origin
