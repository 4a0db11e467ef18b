"""What lies around a region on a map: the neighbouring countries, the rest of Afghanistan, the border.

The neighbours' shapes are Natural Earth's (1:10m admin-0 countries, public domain), clipped
and simplified once into ``districtcontrol/data/neighbours.geojson`` by
``tools/neighbours_from_natural_earth.py``. Natural Earth draws Afghanistan's border up to
about 10 km away from the district boundary file's; the maps fit the neighbours to the
boundary file at drawing time: every gap between the file's border and a neighbour is given
to the neighbour it touches most, and the neighbours are drawn *under* Afghanistan, so where
Natural Earth reaches into Afghanistan the districts cover it. The result meets the district
boundaries with no gap and no overlap at any zoom. The border the maps emphasise is the
boundary file's own.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from importlib import resources

NEIGHBOURS_FILE = "neighbours.geojson"
GAP_REACH_DEG = 0.15  # Natural Earth's border lies at most about 0.09 degrees from the boundary file's
BORDER_SNAP_DEG = 0.006  # the region's outline closer than this to the rest of Afghanistan is no border
REST_TOLERANCE_DEG = 0.003  # the rest of Afghanistan is context: simplified a little more than the districts
NATURAL_EARTH_CREDIT = "Countries: Made with Natural Earth"
BORDER_NOTE = "International borders are shown as the sources draw them (Natural Earth, OCHA COD-AB), not endorsed."
DECIMALS = 3
# The widest and the tallest frames a map opens in (a 1280x400 banner, a 390x844 phone): the
# neighbours an HTML map carries cover the region's surroundings in both. The opening view, fitted
# with its padding and under the title, shows up to 1.25 times the region's span it fits (measured
# in the browser at 390x844, 1280x400 and 1280x800): each box reaches 0.65 of its span from the centre.
WIDEST, TALLEST = 3.2, 844 / 390
VIEW_REACH = 0.65


@dataclass(frozen=True)
class Surroundings:
    """The shapes drawn around a region (lon/lat, EPSG:4326)."""

    countries: tuple[tuple[str, object], ...]  # (name, polygon) of each neighbour, reaching the border
    country_borders: object  # lines where two neighbours meet
    rest: object  # Afghanistan outside the region (a polygon, or empty)
    border: object  # the international border along the region, as the boundary file draws it
    attribution: str


@functools.cache
def neighbour_shapes() -> tuple[tuple[tuple[str, object], ...], str]:
    """The shipped neighbour shapes (name, polygon) and their attribution."""
    import shapely.geometry

    text = resources.files("districtcontrol.data").joinpath(NEIGHBOURS_FILE).read_text(encoding="utf-8")
    collection = json.loads(text)
    shapes = tuple((f["properties"]["name"], shapely.geometry.shape(f["geometry"])) for f in collection["features"])
    return shapes, collection["attribution"]


def html_box(region) -> tuple[tuple[float, float, float, float], tuple[float, float, float, float]]:
    """The lon/lat boxes an HTML map's opening view can show around the region, at any frame shape.

    The widest frame fits the region's height and shows more on either side; the tallest fits
    its width and shows more above and below. Every frame in between shows part of one of
    the two boxes, so the neighbours an HTML map carries are clipped to their union, a cross.
    """
    minx, miny, maxx, maxy = region.simplified.total_bounds
    y0, y1 = _mercator(miny), _mercator(maxy)
    width, height = maxx - minx, y1 - y0
    cx, cy = (minx + maxx) / 2, (y0 + y1) / 2
    wide = (max(width, height * WIDEST) * VIEW_REACH, height * VIEW_REACH)
    tall = (width * VIEW_REACH, max(height, width * TALLEST) * VIEW_REACH)
    return tuple((cx - w, _latitude(cy - h), cx + w, _latitude(cy + h)) for w, h in (wide, tall))


def static_box(region, pad: float = 1.0) -> tuple[float, float, float, float]:
    """Lon/lat box around the region with ``pad`` degrees on every side."""
    minx, miny, maxx, maxy = region.simplified.total_bounds
    return (minx - pad, miny - pad, maxx + pad, maxy + pad)


def _mercator(lat: float) -> float:
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def _latitude(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(math.radians(y))) - math.pi / 2)


def surroundings(region, box: tuple) -> Surroundings:
    """The neighbours within ``box`` (or a tuple of boxes) fitted to the region's border, the rest of Afghanistan, the border line."""
    return _surroundings(_RegionKey(region), rounded_box(box))


def rounded_box(box) -> tuple:
    """``box`` (or each of a tuple of boxes) to 0.001°, as the fit and its cache key take it."""
    if isinstance(box[0], tuple):
        return tuple(rounded_box(part) for part in box)
    return tuple(round(float(v), 3) for v in box)


def _frame(box):
    """The area a box, or the union of a tuple of boxes, covers."""
    import shapely

    if isinstance(box[0], tuple):
        return shapely.union_all([shapely.box(*part) for part in box])
    return shapely.box(*box)


class _RegionKey:
    """A region known by its loaded data's identity (every preparation of it draws the same), for the cache."""

    def __init__(self, region):
        self.region = region

    def __hash__(self) -> int:
        return id(self.region.data)

    def __eq__(self, other) -> bool:
        return isinstance(other, _RegionKey) and other.region.data is self.region.data


@functools.lru_cache(maxsize=4)
def _surroundings(key: _RegionKey, box: tuple) -> Surroundings:
    """The fit, from the user cache when it was made before for the same shapes and box."""
    from districtcontrol import _cache

    region = key.region
    return _cache.cached("surroundings", surroundings_key(region, box), lambda: _fit(region, box), _encode, _decode)


def surroundings_key(region, box: tuple) -> dict:
    """What the neighbours' fit around ``region`` in ``box`` depends on, as a cache key."""
    from districtcontrol import _cache

    country = region.data.country
    return {
        "region": _cache.geometry_digest(region.simplified.geometry.values),
        "pcodes": list(region.simplified["pcode"]),
        "country": None if country is None else _cache.geometry_digest(country.geometry.values),
        "country_pcodes": None if country is None else list(country["pcode"]),
        "box": list(box),
    }


def _encode(around: Surroundings) -> dict:
    from districtcontrol._cache import geometries_to_text

    return {
        "names": [name for name, _ in around.countries],
        "countries": geometries_to_text([geom for _, geom in around.countries]),
        "lines": geometries_to_text([around.country_borders, around.rest, around.border]),
        "attribution": around.attribution,
    }


def _decode(payload: dict) -> Surroundings:
    from districtcontrol._cache import geometries_from_text

    countries = geometries_from_text(payload["countries"])
    if len(countries) != len(payload["names"]):
        raise ValueError("names and shapes do not match")
    country_borders, rest, border = geometries_from_text(payload["lines"])
    return Surroundings(tuple(zip(payload["names"], countries)), country_borders, rest, border, payload["attribution"])


def _fit(region, box: tuple) -> Surroundings:
    import shapely

    inside, rest = _afghanistan(region)
    afghanistan = shapely.union(inside, rest)
    frame = _frame(box)
    shapes, attribution = neighbour_shapes()
    clipped = [(name, shapely.intersection(geom, frame)) for name, geom in shapes]
    clipped = [(name, geom) for name, geom in clipped if not geom.is_empty and geom.area > 1e-6]
    countries = _fill_gaps(clipped, afghanistan, frame)
    return Surroundings(
        countries=countries,
        country_borders=_shared_borders([geom for _, geom in countries], frame),
        rest=rest,
        border=shapely.difference(shapely.boundary(inside), shapely.buffer(rest, BORDER_SNAP_DEG)),
        attribution=attribution,
    )


def _afghanistan(region) -> tuple[object, object]:
    """The region as drawn (its simplified districts) and the rest of the country (simplified as one shape)."""
    import shapely

    inside = shapely.coverage_union_all(region.simplified.geometry.values)
    country = region.data.country
    if country is None or len(country) == len(region.simplified):
        return inside, shapely.Polygon()
    others = country[~country["pcode"].isin(set(region.simplified["pcode"]))]
    rest = shapely.coverage_union_all(others.geometry.values)
    return inside, shapely.set_precision(shapely.simplify(rest, REST_TOLERANCE_DEG), 10**-DECIMALS)


def _fill_gaps(countries: list[tuple[str, object]], afghanistan, frame) -> tuple[tuple[str, object], ...]:
    """Each neighbour grown over the gaps between it and Afghanistan's border (the ones it touches most)."""
    import shapely

    if not countries:
        return ()
    geoms = [geom for _, geom in countries]
    band = shapely.intersection(shapely.buffer(shapely.simplify(afghanistan, 0.01), GAP_REACH_DEG), frame)
    gaps = shapely.get_parts(shapely.difference(band, shapely.union_all([afghanistan, *geoms])))
    grown = [[geom] for geom in geoms]
    for gap in gaps:
        edge = shapely.buffer(shapely.boundary(gap), 1e-4)
        touching = [shapely.length(shapely.intersection(shapely.boundary(geom), edge)) for geom in geoms]
        best = max(range(len(geoms)), key=touching.__getitem__)
        if touching[best] > 0:
            grown[best].append(gap)
    merged = [shapely.set_precision(shapely.union_all(parts), 10**-DECIMALS) for parts in grown]
    return tuple((name, geom) for (name, _), geom in zip(countries, merged, strict=True))


def _shared_borders(geoms: list, frame):
    """Lines where two neighbours meet (the frame's edge is no border)."""
    import shapely

    lines = [
        shapely.intersection(shapely.boundary(a), shapely.boundary(b))
        for i, a in enumerate(geoms)
        for b in geoms[i + 1 :]
        if shapely.intersects(a, b)
    ]
    lines = [
        shapely.line_merge(shapely.union_all(shapely.get_parts(g)[shapely.get_dimensions(shapely.get_parts(g)) == 1]))
        for g in lines
    ]
    merged = shapely.union_all(lines) if lines else shapely.MultiLineString()
    return shapely.difference(merged, shapely.buffer(shapely.boundary(frame), 1e-6))


# Colours of the surroundings (HTML and static maps): lighter than any district, warm so a
# neighbour never reads as a district without a record; the border dark and wide.
NEIGHBOUR_FILL = "#E9E6DF"
NEIGHBOUR_EDGE = "#B9B4AA"
REST_FILL = "#FAFAF8"
REST_EDGE = "#B0B0B0"
BORDER_COLOUR = "#1F1F1F"


def credit_line(attribution: str) -> str:
    """A map's attribution with the neighbours' source and the note on borders."""
    return " · ".join(x for x in (attribution, NATURAL_EARTH_CREDIT, BORDER_NOTE) if x)
