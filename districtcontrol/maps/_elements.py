"""Folium elements that keep the HTML lean: one shared TopoJSON of the districts, layers that
take their shapes and texts from it, and all labels in one list.

A map's district geometry and its hover and click texts are written once, in
:class:`SharedDistricts`, however many layers show them (the combined map has five), and
compactly (:func:`districtcontrol.maps._encoding.district_payload`): every arc's points in
one encoded polyline (Google's polyline algorithm, about half the size of TopoJSON's integer
arrays), and the districts' texts as columns, each distinct text once. In the browser
@mapbox/polyline decodes the points, the script rebuilds the TopoJSON topology, and
topojson-client turns it into features.
Layers (:class:`districtcontrol.maps._folium.DistrictLayer`) carry only the P-codes of their districts. Province
boundaries are the topology's mesh where provinces meet, plus the region's outline.
"""

from __future__ import annotations

from branca.element import Element, MacroElement
from folium.template import Template

from districtcontrol.maps import _web
from districtcontrol.maps._encoding import district_payload, label_payload, script_json
from districtcontrol.maps._libraries import DISTRICT_LIBRARIES, LIBRARIES, cdn_tags


class SharedDistricts(MacroElement):
    """The districts of a map as one TopoJSON topology, decoded once in the browser.

    ``topology`` is a TopoJSON dict (as :func:`districtcontrol.geo._topology.topology` makes)
    whose ``districts`` carry each district's ``id`` (P-code) and ``properties`` (hover and
    popup texts, and ``p``, the province P-code that province boundaries follow). Every text
    in it must already be HTML-escaped. ``shapes``, when given, is
    :func:`~districtcontrol.maps._encoding.shape_payload` of ``topology``, computed once for
    every map of a region.
    """

    def __init__(self, topology: dict, shapes: dict | None = None):
        super().__init__()
        self._name = "SharedDistricts"
        self.topology, self.shapes = topology, shapes
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
            "DISTRICTS": script_json(district_payload(self.topology, self.shapes)),
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


class AddShapes(MacroElement):
    """Fills its parent layer from the shared topology: the districts ``ids``, or the province mesh."""

    _template = Template(_web.text("add-shapes.js.j2"))

    def __init__(self, shared: SharedDistricts, ids: list[str] | None):
        super().__init__()
        self._name = "AddShapes"
        self.shared, self.ids = shared, ids

    @property
    def every(self) -> bool:
        """Whether ``ids`` are all the shared districts in their order (the page then names none)."""
        return self.ids == [g["id"] for g in self.shared.topology["objects"]["districts"]["geometries"]]


class Labels(MacroElement):
    """Text labels as one list: ``(lat, lon, html, css class, priority)``, drawn as non-interactive markers.

    ``html`` must already be escaped. The markers are kept, in the list's order, in a variable
    named after the element, with their ``priority`` as the marker option ``dcPriority``: the
    reader's script shows, after each zoom, only labels clear of those placed before them.
    The page carries them compactly (:func:`districtcontrol.maps._encoding.label_payload`).
    """

    def __init__(self, labels: list[tuple[float, float, str, str, int]]):
        super().__init__()
        self._name = "Labels"
        self.payload = label_payload(labels)

    def render(self, **kwargs):
        """Write the script as it is: never through a template, where the encoded places could read as one."""
        values = {"NAME": self.get_name(), "MAP": self._parent.get_name(), "DATA": script_json(self.payload)}
        self.get_root().script.add_child(Raw("\n" + _web.fill(_web.text("labels.js"), values)), name=self.get_name())
