"""The HTML map as a reader meets it: fitted to any frame, labels that never pile up, tools, access.

:func:`add_reader` adds to a map, after its layers: the page's title and language, the
stylesheet (collapsible boxes below 700 px, a compact title on phones, print), a line that
tells an offline reader why a CDN map is empty, a visually hidden table of the districts
with a record for screen readers, and :class:`ReaderTools`, the script of
:mod:`districtcontrol.maps._reader_script`. :func:`add_surroundings` draws the neighbouring
countries and the emphasised border (:mod:`districtcontrol.maps._reader_surroundings`).
Every text from a table or a boundary file is escaped (:func:`esc`).
"""

from __future__ import annotations

import functools

from branca.element import MacroElement

from districtcontrol.maps import _reader_surroundings as around_
from districtcontrol.maps import _view
from districtcontrol.maps._popups import esc, tooltip_fields
from districtcontrol.maps._reader_script import CHECK_JS, READER_JS, SURROUNDINGS_JS

NARROW_PX = 700  # below this width (or LOW_PX height) the boxes start folded
LOW_PX = 560
LANGUAGE = "en"
OFFLINE_MESSAGE = "This map loads its scripts from the internet; build with --self-contained to open it offline."
# Label priorities: lower is placed first and wins where two would overlap.
RECORDED, PROVINCE, COUNTRY, OTHER_DISTRICT = 0, 1, 2, 3

READER_CSS = """
<style>
.dc-box { position: absolute; z-index: 1000; background: rgba(255,255,255,0.94); padding: 6px 10px;
  border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,0.3); font: 12px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.leaflet-control.dc-box, .leaflet-control .dc-box { position: relative; max-width: 330px; }
.dc-toggle { display: none; font: 600 12px system-ui, sans-serif; border: 0; background: none; padding: 2px 0; cursor: pointer; color: #111; }
.dc-toggle::after { content: " \\25B4"; }
.dc-collapsed > .dc-toggle::after { content: " \\25BE"; }
.dc-legend > .dc-toggle, .leaflet-control-layers > .dc-toggle { display: block; }
.dc-collapsed > :not(.dc-toggle) { display: none !important; }
.dc-collapsed { padding: 4px 8px; }
.leaflet-control-layers.dc-collapsed { padding: 4px 8px; }
.leaflet-control-layers { font: 12px/1.3 system-ui, sans-serif; }
.dc-tools { display: flex; gap: 0; background: #fff; align-items: flex-start; flex-wrap: wrap; max-width: 220px; justify-content: flex-end; }
.dc-tools .dc-tool { width: 30px; height: 30px; border: 0; border-left: 1px solid #ccc; background: #fff; font: 16px/30px system-ui, sans-serif; cursor: pointer; padding: 0; }
.dc-tools .dc-wide { width: auto; padding: 0 8px; font-size: 12px; border: 0; border-top: 1px solid #ccc; }
.dc-tools [hidden] { display: none !important; }
.dc-tools svg { width: 16px; height: 16px; vertical-align: -3px; }
.dc-menu { flex-basis: 100%; display: flex; justify-content: flex-end; }
.dc-search { position: relative; }
.dc-search input { width: 120px; height: 30px; box-sizing: border-box; border: 0; padding: 0 6px; font: 13px system-ui, sans-serif; }
.dc-results { position: absolute; right: 0; top: 30px; margin: 0; padding: 0; list-style: none; background: #fff; min-width: 220px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.3); font: 13px system-ui, sans-serif; }
.dc-results li { padding: 5px 8px; cursor: pointer; border-top: 1px solid #eee; }
.dc-results li:hover { background: #eef; }
.dc-title { top: 8px; left: 50%; transform: translateX(-50%); text-align: center; max-width: 62%; }
.dc-title h1 { font-size: 16px; margin: 0 0 2px 0; line-height: 1.25; }
.dc-title p { font-size: 11px; margin: 0; color: #333; }
.dc-attribution { font-size: 10px; padding: 2px 6px; color: #333; box-shadow: none; background: rgba(255,255,255,0.85); }
.leaflet-control.dc-attribution { max-width: 560px; margin-bottom: 4px; }
.dc-attribution > .dc-toggle { display: block; font-size: 11px; font-weight: 400; }
.leaflet-tooltip { max-width: min(320px, 80vw); white-space: normal; }
.leaflet-container path.leaflet-interactive:focus { outline: none; stroke: #000; stroke-width: 3px; }
.dc-about { display: none; }
.dc-sr { position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
#dc-offline { position: fixed; z-index: 3000; top: 40%; left: 8px; right: 8px; text-align: center;
  font: 15px/1.4 system-ui, sans-serif; background: #fff3cd; color: #111; padding: 10px; border: 1px solid #c9a227; }
.dc-no-scripts .dc-box:not(.dc-title) { display: none; }
@media (max-width: 699px), (max-height: 559px) {
  .dc-title { left: 6px; right: 6px; top: 6px; transform: none; max-width: none; padding: 4px 8px; }
  .dc-title h1 { font-size: 13px; margin: 0; }
  .dc-title p { display: none; }
  .dc-legend .dc-about { display: block; }
  .dc-label { font-size: 10px; }
  .dc-label.dc-country { font-size: 12px; }
  .leaflet-control.dc-attribution { max-width: 70vw; font-size: 9px; }
  .dc-search input { width: 100px; }
  .leaflet-control-scale { display: none; }
}
@media print {
  .leaflet-control-zoom, .dc-tools, .leaflet-control-layers, .dc-toggle { display: none !important; }
  .dc-collapsed > :not(.dc-toggle) { display: block !important; }
  .dc-box { box-shadow: none; border: 1px solid #999; }
}
</style>
"""


class ReaderTools(MacroElement):
    """Runs the reader's script once the map, its layers and its controls exist (add it last)."""

    def __init__(self, config: dict, layers: list, labels):
        super().__init__()
        self._name = "ReaderTools"
        self.config, self.layers, self.labels = config, layers, labels

    def render(self, **kwargs):
        from districtcontrol.maps._elements import Raw, script_json

        root = self.get_root()
        root.script.add_child(Raw(compact(READER_JS)), name="dc_reader_js")
        # Element names are final only now (ids are numbered just before rendering).
        names = {"layers": [layer.get_name() for layer in self.layers], "labels": self.labels.get_name()}
        config = script_json({**self.config, **names})
        call = f"dcReader(Object.assign({config}, {{map: {self._parent.get_name()}}}));"
        root.script.add_child(Raw(call), name=self.get_name())


class SurroundingsLayer(MacroElement):
    """Neighbouring countries (under the districts) and the international border (over them).

    The border is made of the shared topology's own arcs (``borderArcs``, indices) and, where
    an arc runs on along the rest of the country, of the part of it that is border (``borderLines``).
    """

    def __init__(self, data: dict, shared, style: dict):
        super().__init__()
        self._name = "SurroundingsLayer"
        self.data, self.shared, self.style = data, shared, style

    def render(self, **kwargs):
        from districtcontrol.maps._elements import Raw, script_json

        script = (
            compact(SURROUNDINGS_JS)
            .replace("SHARED", self.shared.get_name())
            .replace("MAP", self._parent.get_name())
            .replace("STYLE", script_json(self.style))
            .replace("DATA", script_json(self.data))
        )
        self.get_root().script.add_child(Raw(script), name=self.get_name())


FILL_GROW_DEG = 0.012  # neighbours' fills overlap a little under their borders: no hairline between two
FILL_TOLERANCE_DEG = 0.02  # about a pixel at the zoom a region opens at


def add_surroundings(m, region, shared, tiles: bool) -> None:
    """The neighbours fitted to the region's border and the border itself; over tiles, the border only.

    Add it after ``shared`` (the border is made of its arcs); panes keep the neighbours under
    the districts and the border over them.
    """
    SurroundingsLayer(_surroundings_data(around_._RegionKey(region), tiles), shared, _surroundings_style()).add_to(m)


@functools.lru_cache(maxsize=4)
def _surroundings_data(key, tiles: bool) -> dict:
    """What the surroundings layer writes, computed once per region and kind of map (never changed after)."""
    import shapely

    region = key.region
    around = around_.surroundings(region, around_.html_box(region))
    arcs, lines = _border_arcs(region, around)
    data = {"decimals": around_.DECIMALS, "countries": [], "countryBorders": [], "rest": [], "borderArcs": arcs}
    data["borderLines"] = _encode_lines(lines)
    if not tiles:
        fills = [shapely.simplify(shapely.buffer(g, FILL_GROW_DEG), FILL_TOLERANCE_DEG) for _, g in around.countries]
        data["countries"] = [_encode_polygons(g) for g in fills]
        afghanistan = shapely.union(shapely.coverage_union_all(region.simplified.geometry.values), around.rest)
        borders = shapely.simplify(shapely.difference(around.country_borders, afghanistan), FILL_TOLERANCE_DEG)
        data["countryBorders"] = _encode_lines(shapely.get_parts(borders))
        data["rest"] = (
            [_encode_polygons(shapely.simplify(around.rest, FILL_TOLERANCE_DEG))] if not around.rest.is_empty else []
        )
    return data


def _border_arcs(region, around) -> tuple[list[int], list]:
    """The shared topology's arcs on the international border (indices) and the border parts of arcs that leave it."""
    import numpy as np
    import shapely

    near_rest = shapely.buffer(around.rest, around_.BORDER_SNAP_DEG)
    scale = 10.0 ** -region.topology["decimals"]
    indices, lines = [], []
    for index in _outline_arcs(region.topology):
        points = np.asarray(region.topology["arcs"][index]) * scale
        inland = (
            shapely.contains_xy(near_rest, points[:, 0], points[:, 1])
            if not around.rest.is_empty
            else np.zeros(len(points), bool)
        )
        if not inland.any():
            indices.append(index)
            continue
        for run in np.split(np.arange(len(points)), np.flatnonzero(np.diff(inland.astype(int))) + 1):
            if not inland[run[0]] and len(run) > 1:
                lines.append(shapely.LineString(points[run]))
    return indices, lines


def _outline_arcs(topology: dict) -> list[int]:
    """Arcs that only one district uses: the region's outline."""
    from collections import Counter

    uses: Counter = Counter()

    def walk(refs) -> None:
        for ref in refs:
            if isinstance(ref, int):
                uses[ref if ref >= 0 else ~ref] += 1
            else:
                walk(ref)

    for geometry in topology["objects"]["districts"]["geometries"]:
        walk(geometry["arcs"])
    return sorted(index for index, count in uses.items() if count == 1)


def _encode_lines(lines) -> list[str]:
    import shapely

    from districtcontrol.maps._elements import encode_polylines

    scale = 10**around_.DECIMALS
    return encode_polylines([_grid(shapely.get_coordinates(line), scale) for line in lines if not line.is_empty])


def _encode_polygons(geom) -> list[list[str]]:
    """Each polygon of ``geom`` as its encoded rings (exterior first)."""
    import shapely

    from districtcontrol.maps._elements import encode_polylines

    scale = 10**around_.DECIMALS
    out = []
    for polygon in shapely.get_parts(geom):
        rings = [polygon.exterior, *polygon.interiors]
        out.append(encode_polylines([_grid(shapely.get_coordinates(ring), scale) for ring in rings]))
    return out


def _grid(coords, scale: int):
    import numpy as np

    return np.rint(coords * scale).astype(np.int64)


def _surroundings_style() -> dict:
    return {
        "countries": {"stroke": False, "fillColor": around_.NEIGHBOUR_FILL, "fillOpacity": 1},
        "countryBorders": {"color": around_.NEIGHBOUR_EDGE, "weight": 1, "fill": False},
        "rest": {"color": around_.REST_EDGE, "weight": 0.8, "fillColor": around_.REST_FILL, "fillOpacity": 1},
        "border": {"color": around_.BORDER_COLOUR, "weight": 3, "fill": False, "lineJoin": "round"},
    }


def compact(code: str) -> str:
    """Script or stylesheet text without indentation and whole-line ``//`` comments (a tenth smaller)."""
    lines = (line.strip() for line in code.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//"))


def add_reader(m, region, name: str, *, layers: list, labels, title: str) -> None:
    """The page's title, language, stylesheet, offline line, hidden table and the reader's script."""
    import folium

    from districtcontrol.maps._folium import page_language

    root = m.get_root()
    root.title = esc(title)
    page_language(root, LANGUAGE)
    root.header.add_child(folium.Element(compact(READER_CSS)), name="dc_reader_css")
    root.header.add_child(folium.Element(f"<script>{CHECK_JS}</script>"), name="dc_check")
    offline = f'<p id="dc-offline" role="alert" hidden>{esc(OFFLINE_MESSAGE)}</p>'
    root.html.add_child(folium.Element(offline + hidden_table(region, name)), name="dc_reader_html")
    population = region.data.population
    fields, aliases = tooltip_fields(name, region.legend, population.year if population else None)
    groups = _view.map_groups(name, region.legend)
    config = {
        "bounds": _bounds(region),
        "recorded": [esc(row["pcode"]) for row in region.rows if _view.labelled(row, name, region.legend)],
        "groups": [[g, region.legend.group_label(g)] for g in groups],
        "fields": [[f, _column(f, a)] for f, a in zip(fields, aliases) if f != "pcode"],
        "file": f"{name}-districts",
        "narrow": NARROW_PX,
        "low": LOW_PX,
    }
    ReaderTools(config, layers, labels).add_to(m)


def _column(field: str, alias: str) -> str:
    """Column names of the downloaded data: the hover labels as snake case (district_dari, population_2020…)."""
    names = {"district": "district", "dari": "district_dari", "province": "province"}
    return names.get(field, alias.lower().replace(" (", "_").replace(")", "").replace(" ", "_"))


def _bounds(region) -> list[list[float]]:
    minx, miny, maxx, maxy = region.simplified.total_bounds
    return [[round(miny, 4), round(minx, 4)], [round(maxy, 4), round(maxx, 4)]]


def hidden_table(region, name: str) -> str:
    """The districts with a record as a table only screen readers see (escaped)."""
    from districtcontrol.geo._join import latest_record

    legend = region.legend
    groups = _view.map_groups(name, legend)
    head = "".join(f"<th>{esc(legend.group_label(g))}</th>" for g in groups)
    rows = []
    for row in region.rows:
        if not _view.labelled(row, name, legend):
            continue
        cells = []
        for g in groups:
            entry = latest_record(row["history"], g)
            cells.append(
                "<td>no record</td>"
                if entry is None
                else f"<td>{esc(legend.status_label(entry['status']))} {esc(entry['date'] or '')}</td>"
            )
        rows.append(
            f"<tr><th>{esc(row['district'])}</th><td>{esc(row['district_dari'])}</td>"
            f"<td>{esc(row['province'])}</td>{''.join(cells)}</tr>"
        )
    caption = f"{esc(_view.legend_title(name, legend))}: districts with a record"
    return (
        f'<div class="dc-sr"><table><caption>{caption}</caption><tr><th>District</th><th>Dari</th>'
        f"<th>Province</th>{head}</tr>{''.join(rows)}</table></div>"
    )
