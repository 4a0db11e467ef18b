"""Decode the districts' topology back to GeoJSON geometries: the test-side inverse of ``topology()``."""

from __future__ import annotations

import numpy as np


def decode(topo: dict) -> list[dict]:
    """The GeoJSON geometries of a topology's ``districts`` (absolute grid arcs, ``decimals`` digits)."""
    decimals = topo["decimals"]
    arcs = [np.asarray(arc, dtype=np.int64) for arc in topo["arcs"]]

    def ring(refs: list[int]) -> list[list[float]]:
        parts = [arcs[ref] if ref >= 0 else arcs[~ref][::-1] for ref in refs]
        points = np.concatenate([parts[0]] + [part[1:] for part in parts[1:]])
        return np.round(points * 10.0**-decimals, decimals + 1).tolist()

    out = []
    for geom in topo["objects"]["districts"]["geometries"]:
        if geom["type"] == "Polygon":
            out.append({"type": "Polygon", "coordinates": [ring(r) for r in geom["arcs"]]})
        else:
            out.append({"type": "MultiPolygon", "coordinates": [[ring(r) for r in p] for p in geom["arcs"]]})
    return out
