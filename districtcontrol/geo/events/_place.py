"""Placing events in districts by their points, and checking the source's own district names.

Each distinct point is looked up once in an STRtree of the districts (shapely 2) and tested
against the prepared polygons whose bounding box holds it, with ``intersects``: a point inside
a district, or on its outline, hits it.

**The edge rule.** A point on an edge two districts share (or a corner of several) hits each
of them; it is placed in the one whose P-code sorts first, and its row in ``--points`` says
``edge`` and names every district it touches. The rule depends on nothing but the boundary
file, so every run places it the same way.

Events without coordinates, with coordinates off the globe, with a location coarser than the
rules' [placement] allows, or outside every district are not placed; each keeps its reason
(for points outside: the nearest district and how far it is).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

INSIDE, EDGE, OUTSIDE, NO_COORDINATES, OFF_GLOBE, IMPRECISE, NO_DATE = (
    "inside",
    "edge",
    "outside",
    "no coordinates",
    "not on the globe",
    "imprecise location",
    "no date",
)
EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Placed:
    """Where each event went: ``index`` into the districts sorted by P-code (-1: not placed) and why."""

    index: np.ndarray  # int, one per event
    placed: np.ndarray  # one of INSIDE … NO_DATE
    note: np.ndarray  # object: why, in words ("" for a plain point inside a district)


def sorted_districts(districts):
    """The boundary frame sorted by P-code, as :func:`place_events` indexes it."""
    return districts.sort_values("pcode", kind="stable").reset_index(drop=True)


def place_events(frame, districts) -> Placed:
    """Place every event of the standard frame in the district of ``districts`` (sorted by P-code) containing its point."""

    lon, lat = frame["lon"].to_numpy(), frame["lat"].to_numpy()
    n = len(frame)
    index = np.full(n, -1, dtype=np.int64)
    placed = np.full(n, INSIDE, dtype=object)
    note = np.full(n, "", dtype=object)
    missing = ~(np.isfinite(lon) & np.isfinite(lat))
    off_globe = ~missing & ((np.abs(lon) > 180) | (np.abs(lat) > 90))
    imprecise = frame["imprecise"].to_numpy() & ~missing & ~off_globe
    placed[missing], placed[off_globe], placed[imprecise] = NO_COORDINATES, OFF_GLOBE, IMPRECISE
    note[off_globe] = "longitude must be within ±180 and latitude within ±90; are the columns swapped?"
    note[imprecise] = "the source locates it only to a province, region or country (its precision code)"
    ok = ~(missing | off_globe | imprecise)
    if ok.any():
        points, inverse = np.unique(lon[ok] + 1j * lat[ok], return_inverse=True)
        geometries = districts.geometry.values
        first, hits, touched = _lookup(geometries, points.real, points.imag)
        at = np.flatnonzero(ok)
        index[at] = first[inverse]
        codes = districts["pcode"].to_numpy()
        _mark_edges(at, inverse, hits, touched, codes, placed, note)
        _mark_outside(at, inverse, first, points, districts, placed, note)
    bad_day = np.isnat(frame["day"].to_numpy()) & (index >= 0)
    placed[bad_day], index[bad_day] = NO_DATE, -1
    note[bad_day] = [
        f"date {text!r} is not a date (ISO 8601, or e.g. '15 August 2021')"
        for text in frame["date_text"].to_numpy()[bad_day]
    ]
    return Placed(index, placed, note)


def _lookup(geometries, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, dict[int, list[int]]]:
    """Per point: the first district (lowest P-code) it intersects (-1: none), how many it hits, and for several, which.

    An STRtree of the districts gives, per point, the districts whose bounding box holds it; each
    district then tests all its candidates at once against its prepared polygon (an indexed
    point-in-polygon test), far faster than testing each pair against the bare polygon.
    """
    import shapely

    candidates = shapely.STRtree(geometries).query(shapely.points(x, y))
    shapely.prepare(geometries)
    order = np.argsort(candidates[1], kind="stable")
    bounds = np.searchsorted(candidates[1][order], np.arange(len(geometries) + 1))
    hit = np.zeros(candidates.shape[1], dtype=bool)
    for d in np.flatnonzero(np.diff(bounds)):
        pairs = order[bounds[d] : bounds[d + 1]]
        points = candidates[0][pairs]
        hit[pairs] = shapely.intersects_xy(geometries[d], x[points], y[points])
    pairs = candidates[:, hit]
    first = np.full(len(x), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, pairs[0], pairs[1])
    hits = np.bincount(pairs[0], minlength=len(x))
    first[hits == 0] = -1
    several = np.isin(pairs[0], np.flatnonzero(hits > 1))
    touched: dict[int, list[int]] = {}
    for point, district in zip(*pairs[:, several]):
        touched.setdefault(int(point), []).append(int(district))
    return first, hits, touched


def _mark_edges(at, inverse, hits, touched, codes, placed, note) -> None:
    on_edge = hits[inverse] > 1
    if not on_edge.any():
        return
    texts = {p: _edge_note(sorted(codes[d] for d in ds)) for p, ds in touched.items()}
    placed[at[on_edge]] = EDGE
    note[at[on_edge]] = [texts[p] for p in inverse[on_edge]]


def _edge_note(codes: list[str]) -> str:
    return f"on the edge of {', '.join(codes)}: placed in {codes[0]}, the first P-code (the edge rule)"


def _mark_outside(at, inverse, first, points, districts, placed, note) -> None:
    """Points in no district: the nearest district and the distance to it, in the note."""
    import shapely

    outside_points = np.flatnonzero(first == -1)
    if not len(outside_points):
        return
    query = shapely.points(points.real[outside_points], points.imag[outside_points])
    geometries = districts.geometry.values
    nearest = shapely.STRtree(geometries).query_nearest(query, all_matches=False)[1]
    lines = shapely.shortest_line(query, geometries[nearest])
    ends = shapely.get_coordinates(lines).reshape(-1, 2, 2)
    km = _haversine_km(ends[:, 0], ends[:, 1])
    names = districts["district"].to_numpy()[nearest]
    codes = districts["pcode"].to_numpy()[nearest]
    texts = {
        p: f"in no district of the boundary file; nearest: {n} ({c}), {d:.1f} km away"
        for p, n, c, d in zip(outside_points, names, codes, km)
    }
    mask = first[inverse] == -1
    placed[at[mask]] = OUTSIDE
    note[at[mask]] = [texts[p] for p in inverse[mask]]


def _haversine_km(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    lon1, lat1, lon2, lat2 = (np.radians(v) for v in (a[:, 0], a[:, 1], b[:, 0], b[:, 1]))
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(h))


# -- the source's own district names -----------------------------------------------------------------

AGREES, DIFFERS, UNRESOLVED = "agrees", "differs", "does not resolve"


def check_admin2(frame, index: np.ndarray, districts, resolver) -> tuple[np.ndarray, np.ndarray]:
    """Compare the source's admin2 (with its admin1) to the district each event was placed in.

    Each distinct (admin1, admin2) is resolved once, by the same resolver as any table. Returns
    per event the check (``agrees``, ``differs``, ``does not resolve``, or ``""`` when the event has
    no admin2 or was not placed) and a note for the two last.
    """
    import pandas as pd

    n = len(frame)
    check = np.full(n, "", dtype=object)
    note = np.full(n, "", dtype=object)
    admin1, admin2 = frame["admin1"].to_numpy(), frame["admin2"].to_numpy()
    todo = (index >= 0) & (admin2 != "")
    if not todo.any():
        return check, note
    codes, pairs = pd.factorize(pd.Series(admin1[todo] + "\x1f" + admin2[todo]), sort=False)
    found = [_resolved(resolver, *pair.split("\x1f")) for pair in pairs]
    pcodes = np.array([pcode for pcode, _ in found] + [""], dtype=object)[codes]
    placed_pcodes = districts["pcode"].to_numpy()[index[todo]]
    at = np.flatnonzero(todo)
    agrees, unresolved = pcodes == placed_pcodes, pcodes == ""
    check[at] = np.where(agrees, AGREES, np.where(unresolved, UNRESOLVED, DIFFERS))
    texts = np.array([text for _, text in found], dtype=object)[codes]
    note[at[~agrees]] = texts[~agrees]
    return check, note


def _resolved(resolver, admin1: str, admin2: str) -> tuple[str, str]:
    """(P-code, note) of the source's names: the note says what they name, for events placed elsewhere."""
    res = resolver.resolve(admin1, admin2)
    written = f"source admin2 '{admin2}'" + (f" ({admin1})" if admin1 else "")
    if res.resolved:
        return res.pcode, f"{written} is {res.district.label}, not the district of the point"
    return "", f"{written} does not resolve ({res.problem}); the point decides"
