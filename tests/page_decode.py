"""Read back what an HTML map carries: the test-side inverse of ``districtcontrol.maps._encoding``."""

from __future__ import annotations

import json
import re

import numpy as np


def numbers(text: str) -> list[int]:
    """The polyline algorithm's numbers, each written as its step from the one before."""
    out, value, bits, shift = [], 0, 0, 0
    for char in text:
        b = ord(char) - 63
        bits |= (b & 31) << shift
        shift += 5
        if b < 32:
            value += ~(bits >> 1) if bits & 1 else bits >> 1
            out.append(value)
            bits = shift = 0
    return out


def points(text: str) -> np.ndarray:
    """An encoded polyline's integer points as (x, y) rows (the encoding writes y first)."""
    steps = np.diff(np.asarray([0, *numbers(text)], dtype=np.int64))
    return np.cumsum(steps.reshape(-1, 2), axis=0)[:, ::-1]


def _argument(page: str, opening: str) -> dict:
    """The JSON a script passes to its function: the first ``})(`` after ``opening``."""
    start = page.index("})(", re.search(opening, page).end()) + 3
    return json.JSONDecoder().raw_decode(page, start)[0]


def districts(page: str) -> dict:
    """The page's districts as a topology: ``arcs`` (integer points) and ``geometries`` with ids and properties."""
    return district_data(_argument(page, r"var shared_districts_\d+ = \(function \(data\) \{"))


def district_data(data: dict) -> dict:
    """What :func:`districtcontrol.maps._encoding.district_payload` wrote, read back."""
    every = points(data["arcs"])
    ends = np.cumsum(data["sizes"])
    arcs = [every[a:b] for a, b in zip([0, *ends[:-1]], ends)]
    columns = {key: _column(c) for key, c in data["properties"].items()}
    ids = columns[data["ids"]] if isinstance(data["ids"], str) else data["ids"]
    geometries = []
    for d, (ident, shape) in enumerate(zip(ids, data["shapes"], strict=True)):
        multi = bool(shape) and isinstance(shape[0], list)
        geometries.append(
            {
                "type": "MultiPolygon" if multi else "Polygon",
                "arcs": _refs(shape),
                "id": ident,
                "properties": {key: values[d] for key, values in columns.items()},
            }
        )
    return {"arcs": arcs, "geometries": geometries}


def _column(c) -> list:
    if isinstance(c, list):
        return c
    return [c["v"][i] if isinstance(i, int) else "".join(c["v"][j] for j in i) for i in c["i"]]


def _refs(shape):
    return numbers(shape) if isinstance(shape, str) else [_refs(s) for s in shape]


def popups(page: str) -> dict[str, str]:
    """Each district's popup HTML, as the page carries it, by id."""
    return {g["id"]: g["properties"]["popup"] for g in districts(page)["geometries"]}


def labels(page: str) -> list[tuple[float, float, str, str, int]]:
    """The page's labels as ``(lat, lon, html, css class, priority)``."""
    return label_data(_argument(page, r"var labels_\d+ = \(function \(d\) \{"))


def label_data(data: dict) -> list[tuple[float, float, str, str, int]]:
    """What :func:`districtcontrol.maps._encoding.label_payload` wrote, read back."""
    places = points(data["points"]) / 10**4 if data["points"] else np.zeros((0, 2))
    kinds = [data["kinds"][k] for k in data["kind"]]
    return [
        (lat, lon, text, css, priority)
        for (lon, lat), text, (css, priority) in zip(places.tolist(), data["texts"], kinds)
    ]
