"""Compact forms of what an HTML map carries: numbers and points as text, texts once each.

The page's scripts (``web/shared-districts.js``, ``web/labels.js``) undo each of them; the
tests decode them in Python too (``tests/page_decode.py``) and compare with what was meant.

* Numbers and points use Google's polyline algorithm: each number written as its step from
  the one before, zigzag-signed, five bits to a printable character (``?`` to ``~``), so a
  JSON string holds them with no escape. @mapbox/polyline decodes the points.
* The districts' texts are columns; a column whose texts repeat is written as its distinct
  pieces and, per district, the numbers of the pieces it is made of.
"""

from __future__ import annotations

import json
import re

SMALLEST = "?"  # the character of 0 (63): the encoding uses "?" to "~", none of which JSON escapes


def script_json(value) -> str:
    """JSON to write inside a ``<script>``: UTF-8 text, and no ``</`` or ``<!`` that could end the script."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return re.sub(r"<(?=[/!])", r"\\u003c", text)


def encode_polylines(lines: list) -> list[str]:
    """Encoded polylines of integer (x, y) point arrays (coordinates already times 10**precision).

    Latitude (y) first, as the algorithm has it, vectorised with numpy: the ``polyline``
    package does the same one point at a time, 40 times slower; the tests check both give the
    same strings.
    """
    import numpy as np

    if not lines:
        return []
    starts = np.zeros((1, 2), dtype=np.int64)
    steps = [np.diff(np.asarray(line, dtype=np.int64)[:, ::-1], axis=0, prepend=starts).ravel() for line in lines]
    return _characters(steps)


def encode_numbers(sequences: list) -> list[str]:
    """Each sequence of integers as a string of its steps (the first from 0), as polylines write one coordinate."""
    import numpy as np

    return _characters([np.diff(np.asarray(s, dtype=np.int64), prepend=0) for s in sequences])


def _characters(steps: list) -> list[str]:
    """Each integer array of steps as its characters: zigzag sign, then five bits a character, lowest first."""
    import numpy as np

    if not steps:
        return []
    values = np.concatenate([np.asarray(s, dtype=np.int64) for s in steps])
    values = np.where(values < 0, ~(values << 1), values << 1)
    shifted = values[:, None] >> (5 * np.arange(13))
    present = shifted > 0
    present[:, 0] = True
    follows = np.zeros_like(present)
    follows[:, :-1] = present[:, 1:]
    chars = ((shifted & 31) + ord(SMALLEST) + 32 * follows)[present].astype(np.uint8).tobytes().decode("ascii")
    counts = np.cumsum([0, *(len(s) for s in steps)])
    ends = np.concatenate([[0], np.cumsum(present.sum(axis=1))])[counts]
    return [chars[a:b] for a, b in zip(ends[:-1], ends[1:])]


def district_payload(topology: dict, shapes: dict | None = None) -> dict:
    """The districts of ``topology`` as the page carries them, decoded by ``web/shared-districts.js``.

    ``arcs``, ``sizes`` and ``shapes`` are :func:`shape_payload`'s (``shapes``, when given, is
    that of this topology: every map of a region has the same). ``properties``: one column per
    property (every district has the same ones), in the districts' order (see :func:`column`).
    ``ids``: the districts' ids, or the name of the property that holds them.
    """
    geometries = topology["objects"]["districts"]["geometries"]
    keys = sorted(geometries[0]["properties"]) if geometries else []
    if any(sorted(g["properties"]) != keys for g in geometries):
        raise ValueError("every district of a map has the same properties")
    ids = [g["id"] for g in geometries]
    properties = {key: [g["properties"][key] for g in geometries] for key in keys}
    return {
        **(shapes if shapes is not None else shape_payload(topology)),
        "ids": next((key for key, values in properties.items() if values == ids), ids),
        "properties": {key: column(values) for key, values in properties.items()},
    }


def shape_payload(topology: dict) -> dict:
    """The shapes of ``topology``'s districts as the page carries them (part of :func:`district_payload`).

    ``arcs``: the points of every arc, one after the other, as one encoded polyline (the first
    point of an arc is a step from the last of the one before), and ``sizes``, each arc's
    number of points. ``shapes``: each district's arc references, every ring one string of
    numbers (:func:`encode_numbers`), as rings of a Polygon or polygons of a MultiPolygon.
    """
    import numpy as np

    arcs = topology["arcs"]
    return {
        "arcs": encode_polylines([np.concatenate(arcs)])[0] if arcs else "",
        "sizes": [len(arc) for arc in arcs],
        "shapes": [_rings(g["arcs"]) for g in topology["objects"]["districts"]["geometries"]],
    }


def _rings(refs: list) -> list:
    """Arc references with each ring (a list of numbers) as one string."""
    if refs and isinstance(refs[0], int):
        return encode_numbers([refs])[0]
    return [_rings(r) for r in refs]


def column(values: list) -> list | dict:
    """One property of every district, as the list of values or, when that is shorter, as pieces.

    Pieces: ``{"v": distinct pieces, "i": one entry per district}``, an entry the number of
    its one piece or the list of the pieces it is joined from. A text is cut into pieces
    before each paragraph (``<p>`` or ``<p class=...>``), so a paragraph many popups share
    ("No record in the table.") is written once. Texts are kept whole inside a piece: no
    user's text holds a ``<`` (it is escaped), so every one still appears exactly as escaped.
    """
    if not all(isinstance(v, str | int | float | bool | None) for v in values):
        return values  # lists or objects: written as they are
    pieces: dict = {}
    entries = []
    for value in values:
        numbers = [pieces.setdefault(part, len(pieces)) for part in _pieces(value)]
        entries.append(numbers[0] if len(numbers) == 1 else numbers)
    indexed = {"v": list(pieces), "i": entries}
    return indexed if len(script_json(indexed)) < len(script_json(values)) else values


def _pieces(value) -> list:
    if not isinstance(value, str):
        return [value]
    return [part for part in re.split(r"(?=<p[ >])", value) if part] or [value]


LABEL_DECIMALS = 4


def label_payload(labels: list[tuple[float, float, str, str, int]]) -> dict:
    """Labels ``(lat, lon, html, css class, priority)`` as the page carries them (``web/labels.js``).

    ``points``: every label's place as one encoded polyline (``LABEL_DECIMALS`` digits);
    ``texts``: the html of each; ``kinds``: the distinct (css class, priority) pairs, and
    ``kind``: each label's number in them.
    """
    scale = 10**LABEL_DECIMALS
    kinds: dict = {}
    points = [
        [round(round(lon, LABEL_DECIMALS) * scale), round(round(lat, LABEL_DECIMALS) * scale)]
        for lat, lon, *_ in labels
    ]
    return {
        "points": encode_polylines([points])[0] if labels else "",
        "texts": [text for _, _, text, _, _ in labels],
        "kind": [kinds.setdefault((css, priority), len(kinds)) for *_, css, priority in labels],
        "kinds": [list(kind) for kind in kinds],
    }
