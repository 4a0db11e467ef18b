"""The HTML map as a reader meets it: fitted to any frame, labels that never pile up, tools, access.

:func:`add_reader` adds to a map, after its layers: the page's title and language, the
stylesheet (collapsible boxes below 700 px, a compact title on phones, print), a line that
tells an offline reader why a CDN map is empty, a visually hidden table of the districts
with a record for screen readers, and :class:`ReaderTools`, the script of
``districtcontrol/maps/web/reader.js``. :func:`add_surroundings` draws the neighbouring
countries and the emphasised border (:mod:`districtcontrol.maps._surroundings`).
Every text from a table or a boundary file is escaped (:func:`esc`).
"""

from __future__ import annotations

import functools

from branca.element import MacroElement

from districtcontrol.maps import _surroundings as around_
from districtcontrol.maps import _view, _web
from districtcontrol.maps._popups import esc, tooltip_fields

NARROW_PX = 700  # below this width (or LOW_PX height) the boxes start folded
LOW_PX = 560
LANGUAGE = "en"
OFFLINE_MESSAGE = "This map loads its scripts from the internet; build with --self-contained to open it offline."
# Label priorities: lower is placed first and wins where two would overlap.
RECORDED, PROVINCE, COUNTRY, OTHER_DISTRICT = 0, 1, 2, 3


class ReaderTools(MacroElement):
    """Runs the reader's script once the map, its layers and its controls exist (add it last)."""

    def __init__(self, config: dict, layers: list, labels):
        super().__init__()
        self._name = "ReaderTools"
        self.config, self.layers, self.labels = config, layers, labels

    def render(self, **kwargs):
        from districtcontrol.maps._elements import Raw, script_json

        root = self.get_root()
        root.script.add_child(Raw(_web.compact(_web.text("reader.js"))), name="dc_reader_js")
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

        values = {
            "SHARED": self.shared.get_name(),
            "MAP": self._parent.get_name(),
            "STYLE": script_json(self.style),
            "DATA": script_json(self.data),
        }
        script = _web.fill(_web.compact(_web.text("surroundings.js")), values)
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
    """What the surroundings layer writes, once per region and kind of map (never changed after).

    Kept in the user cache, keyed by the neighbours' fit and the region's shared arcs.
    """
    from districtcontrol import _cache

    region = key.region
    cache_key = {
        **around_.surroundings_key(region, around_.rounded_box(around_.html_box(region))),
        "arcs": _cache.arrays_digest(region.topology["arcs"]),
        "decimals": region.topology["decimals"],
        "tiles": tiles,
    }
    return _cache.cached("surroundings_html", cache_key, lambda: _layer_data(region, tiles), _same, _same)


def _same(data: dict) -> dict:
    return data


def _layer_data(region, tiles: bool) -> dict:
    import shapely

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

    from districtcontrol.maps._encoding import encode_polylines

    scale = 10**around_.DECIMALS
    return encode_polylines([_grid(shapely.get_coordinates(line), scale) for line in lines if not line.is_empty])


def _encode_polygons(geom) -> list[list[str]]:
    """Each polygon of ``geom`` as its encoded rings (exterior first)."""
    import shapely

    from districtcontrol.maps._encoding import encode_polylines

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


def add_reader(m, region, name: str, *, layers: list, labels, title: str) -> None:
    """The page's title, language, stylesheet, offline line, hidden table and the reader's script."""
    import folium

    from districtcontrol.maps._folium import page_language

    root = m.get_root()
    root.title = esc(title)
    page_language(root, LANGUAGE)
    root.header.add_child(folium.Element(_web.compact(_web.style("reader.css"))), name="dc_reader_css")
    root.header.add_child(folium.Element(f"<script>\n{_web.text('check.js')}</script>"), name="dc_check")
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
