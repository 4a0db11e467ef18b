"""Regenerate ``districtcontrol/data/neighbours.geojson``: the countries around Afghanistan, from Natural Earth.

Source: Natural Earth 1:10m admin-0 countries, version 4.1.0, as TopoJSON in the npm package
``world-atlas`` (2.0.2, ISC; the data are Natural Earth's, public domain). Get it with::

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python tools/neighbours_from_natural_earth.py package/countries-10m.json

Every country meeting a cross around Afghanistan except Afghanistan itself is clipped to the
cross, simplified as one coverage (shared borders stay shared) and written with 3 decimals; a
country the rounding leaves invalid is repaired. The cross holds every
HTML map's opening view (``_surroundings.html_box`` of any region; a browser test checks it).
Afghanistan's own outline is not taken from here: the maps fit these shapes to the district
boundary file's border when they draw them (:mod:`districtcontrol.maps._reader_surroundings`).
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

import numpy as np
import shapely

log = logging.getLogger("neighbours_from_natural_earth")
# lon/lat: what any opening view of an Afghan region can show, a cross: the widest frames see
# far to the sides (WIDE), the tallest far above and below (TALL); see _surroundings.html_box.
WIDE = (44.5, 27.0, 91.0, 41.0)
TALL = (57.5, 15.5, 78.0, 51.0)
TOLERANCE_DEG = 0.01  # Visvalingam-Whyatt, as the districts' simplification: about 1 km at this scale
DECIMALS = 3
OUT = Path(__file__).resolve().parents[1] / "districtcontrol" / "data" / "neighbours.geojson"
ATTRIBUTION = "Made with Natural Earth (public domain), 1:10m admin-0 countries v4.1.0"


def decode_arcs(topology: dict) -> list[np.ndarray]:
    """Absolute lon/lat arcs of a quantised, delta-encoded TopoJSON topology."""
    scale = np.asarray(topology["transform"]["scale"])
    translate = np.asarray(topology["transform"]["translate"])
    return [np.cumsum(np.asarray(arc, dtype=np.int64), axis=0) * scale + translate for arc in topology["arcs"]]


def _ring(arcs: list[np.ndarray], refs: list[int]) -> np.ndarray:
    parts = [arcs[r] if r >= 0 else arcs[~r][::-1] for r in refs]
    return np.concatenate([parts[0]] + [p[1:] for p in parts[1:]])


def country_shapes(topology: dict) -> dict[str, object]:
    """Each country of the topology as a shapely (Multi)Polygon, by Natural Earth's name."""
    arcs = decode_arcs(topology)
    shapes = {}
    for geom in topology["objects"]["countries"]["geometries"]:
        polygons = (
            geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]] if geom["type"] == "Polygon" else []
        )
        rings = [[_ring(arcs, refs) for refs in p] for p in polygons]
        parts = [shapely.Polygon(r[0], [h for h in r[1:] if len(h) >= 4]) for r in rings if len(r[0]) >= 4]
        if parts:
            shapes[geom["properties"]["name"]] = shapely.make_valid(shapely.MultiPolygon(parts))
    return shapes


def _polygonal(geom):
    """The polygons of a clipped country (a clip along a border can leave lines and points too)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    return shapely.MultiPolygon([p for p in shapely.get_parts(geom) if p.geom_type == "Polygon"])


def neighbours(shapes: dict[str, object]) -> list[tuple[str, object]]:
    """The countries meeting the box, clipped to it and simplified together, west to east."""
    box = shapely.union(shapely.box(*WIDE), shapely.box(*TALL))
    kept = [
        (name, _polygonal(shapely.intersection(geom, box))) for name, geom in shapes.items() if name != "Afghanistan"
    ]
    kept = [(name, geom) for name, geom in kept if not geom.is_empty and geom.area > 1e-6]
    geoms = shapely.coverage_simplify(np.array([g for _, g in kept], dtype=object), TOLERANCE_DEG)
    geoms = shapely.set_precision(geoms, 10**-DECIMALS, mode="pointwise")
    geoms = np.array([g if g.is_valid else _polygonal(shapely.make_valid(g)) for g in geoms], dtype=object)
    out = [(name, geom) for (name, _), geom in zip(kept, geoms, strict=True) if not geom.is_empty]
    return sorted(out, key=lambda item: item[1].centroid.x)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("countries", type=Path, help="countries-10m.json of the world-atlas npm package")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    shapes = country_shapes(json.loads(args.countries.read_text(encoding="utf-8")))
    features = [
        {"type": "Feature", "properties": {"name": name}, "geometry": shapely.geometry.mapping(geom)}
        for name, geom in neighbours(shapes)
    ]
    collection = {
        "type": "FeatureCollection",
        "attribution": ATTRIBUTION,
        "note": "Borders as Natural Earth draws them (de facto control); shown, not endorsed.",
        "bbox": [min(WIDE[0], TALL[0]), min(WIDE[1], TALL[1]), max(WIDE[2], TALL[2]), max(WIDE[3], TALL[3])],
        "frame": [list(WIDE), list(TALL)],
        "features": features,
    }
    text = json.dumps(collection, separators=(",", ":"), ensure_ascii=False)
    args.out.write_text(text + "\n", encoding="utf-8")
    log.info("%s: %d countries, %d bytes", args.out, len(features), len(text))


if __name__ == "__main__":
    main()
