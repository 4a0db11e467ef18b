"""Folium elements that keep the HTML lean: one shared TopoJSON of the districts, layers that
take their shapes and texts from it, and all labels in one list.

A map's district geometry and its hover and click texts are written once, in
:class:`SharedDistricts`, however many layers show them (the combined map has five). The
topology's arcs are written as encoded polylines (Google's polyline algorithm), about half
the size of TopoJSON's integer arrays; in the browser
@mapbox/polyline decodes them and topojson-client turns the topology into features.
Layers (:class:`districtcontrol.maps._folium.DistrictLayer`) carry only the P-codes of their districts. Province
boundaries are the topology's mesh where provinces meet, plus the region's outline.
"""

from __future__ import annotations

import json
import re

from branca.element import Element, MacroElement
from folium.template import Template

from districtcontrol.maps import _web
from districtcontrol.maps._libraries import DISTRICT_LIBRARIES, LIBRARIES, cdn_tags


class SharedDistricts(MacroElement):
    """The districts of a map as one TopoJSON topology, decoded once in the browser.

    ``topology`` is a TopoJSON dict (as :func:`districtcontrol.geo._topology.topology` makes)
    whose ``districts`` carry each district's ``id`` (P-code) and ``properties`` (hover and
    popup texts, and ``p``, the province P-code that province boundaries follow). Every text
    in it must already be HTML-escaped.
    """

    def __init__(self, topology: dict):
        super().__init__()
        self._name = "SharedDistricts"
        self.topology = topology
        # The libraries it needs, loaded however the map is rendered (folium's save, a notebook);
        # map_html strips this and writes every library itself.
        self.default_js = [(lib.name, lib.url) for lib in LIBRARIES if lib.name in DISTRICT_LIBRARIES]

    def render(self, **kwargs):
        """Write the script as it is: it never passes through a template, so its text stays text."""
        if self.default_js:
            names = tuple(name for name, _ in self.default_js)
            self.get_root().header.add_child(Raw(cdn_tags(names)), name="dc_district_libraries")
        values = {
            "NAME": self.get_name(),
            "PRECISION": str(self.topology["decimals"]),
            "TOPOLOGY": script_json(polyline_arcs(self.topology)),
        }
        script = "\n" + _web.fill(_web.text("shared-districts.js"), values)
        self.get_root().script.add_child(Raw(script), name=self.get_name())


class Raw(Element):
    """Text written into the page as it is (never through a template)."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


def polyline_arcs(topology: dict) -> dict:
    """The topology with each arc (absolute grid points) as an encoded polyline string.

    The encoding is Google's polyline algorithm (latitude first), vectorised with numpy: the
    ``polyline`` package does the same one point at a time, 40 times slower; the tests check
    both give the same strings.
    """
    return {"type": "Topology", "objects": topology["objects"], "arcs": encode_polylines(topology["arcs"])}


def encode_polylines(lines: list) -> list[str]:
    """Encoded polylines of integer (x, y) point arrays (coordinates already times 10**precision)."""
    import numpy as np

    if not lines:
        return []
    starts = np.zeros((1, 2), dtype=np.int64)
    deltas = np.concatenate([np.diff(line[:, ::-1], axis=0, prepend=starts) for line in lines]).ravel()
    values = np.where(deltas < 0, ~(deltas << 1), deltas << 1)
    shifted = values[:, None] >> (5 * np.arange(8))
    present = shifted > 0
    present[:, 0] = True
    follows = np.zeros_like(present)
    follows[:, :-1] = present[:, 1:]
    chars = ((shifted & 31) + 63 + 32 * follows)[present].astype(np.uint8).tobytes().decode("ascii")
    ends = np.cumsum(present.sum(axis=1))[np.cumsum([2 * len(line) for line in lines]) - 1]
    return [chars[a:b] for a, b in zip([0, *ends[:-1]], ends)]


def script_json(value) -> str:
    """JSON to write inside a ``<script>``: UTF-8 text, and no ``</`` or ``<!`` that could end the script."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return re.sub(r"<(?=[/!])", r"\\u003c", text)


class AddShapes(MacroElement):
    """Fills its parent layer from the shared topology: the districts ``ids``, or the province mesh."""

    _template = Template(_web.text("add-shapes.js.j2"))

    def __init__(self, shared: SharedDistricts, ids: list[str] | None):
        super().__init__()
        self._name = "AddShapes"
        self.shared, self.ids = shared, ids


class Labels(MacroElement):
    """Text labels as one list: ``(lat, lon, html, css class, priority)``, drawn as non-interactive markers.

    ``html`` must already be escaped. The markers are kept, in the list's order, in a variable
    named after the element, with their ``priority`` as the marker option ``dcPriority``: the
    reader's script shows, after each zoom, only labels clear of those placed before them.
    """

    _template = Template(_web.text("labels.js.j2"))

    def __init__(self, labels: list[tuple[float, float, str, str, int]]):
        super().__init__()
        self._name = "Labels"
        self.labels = [[round(lat, 4), round(lon, 4), text, css, priority] for lat, lon, text, css, priority in labels]
