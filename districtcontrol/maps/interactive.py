"""Interactive maps with folium: :func:`interactive_map` returns a ``folium.Map``; :func:`map_html` renders it.

The HTML loads only Leaflet, topojson-client and polyline (from a CDN, or inlined with
``self_contained=True``), writes the district shapes once as TopoJSON, has stable element ids so identical input gives identical bytes, and puts every text from a
table or a boundary file in escaped form.
"""

from __future__ import annotations

import base64
import contextlib
import re
from importlib import resources

from districtcontrol.data.table import GROUP_LABELS, GROUPS
from districtcontrol.maps import style
from districtcontrol.maps.style import esc

LEAFLET_CDN_JS = ("leaflet", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js")
LEAFLET_CDN_CSS = ("leaflet_css", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css")
HATCH_ID = "dc-hatch"
PAGE_CSS = """
<style>
.leaflet-container { background: #ffffff; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.dc-box { position: absolute; z-index: 1000; background: rgba(255,255,255,0.92); padding: 6px 10px;
  border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,0.3); max-width: 44%; }
.dc-title { top: 10px; left: 50%; transform: translateX(-50%); text-align: center; max-width: 70%; }
.dc-title h1 { font-size: 17px; margin: 0 0 2px 0; }
.dc-title p { font-size: 12px; margin: 0; color: #333; }
.dc-legend { bottom: 48px; left: 10px; font-size: 12px; }
.dc-legend b { display: block; margin-bottom: 3px; }
.dc-legend i { display: inline-block; width: 14px; height: 14px; margin-right: 6px; vertical-align: -2px;
  border: 1px solid #777; }
.dc-attribution { bottom: 22px; right: 4px; font-size: 11px; padding: 2px 6px; color: #333; }
.dc-label { pointer-events: none; white-space: nowrap; font-size: 11px; color: #111;
  text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff; transform: translate(-50%, -50%); }
.dc-label.dc-province { font-size: 11px; letter-spacing: 0.08em; text-transform: uppercase; color: #444; font-weight: 600; }
.dc-label.dc-country { font-size: 14px; font-style: italic; letter-spacing: 0.15em; color: #777; }
.dc-label.dc-note-label { transform: translate(0, -50%); font-weight: 600; font-size: 11px; }
.geojsondetail td { padding: 0; }
</style>
"""
NO_DEFAULT_ICON_JS = 'L.Marker.prototype.options.icon = L.divIcon({className: "dc-label-icon", iconSize: [0, 0]});'
HATCH_SVG = (
    '<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>'
    f'<pattern id="{HATCH_ID}" patternUnits="userSpaceOnUse" width="7" height="7" patternTransform="rotate(45)">'
    f'<line x1="0" y1="0" x2="0" y2="7" stroke="{style.MULTI_GROUP_HATCH}" stroke-width="2"/></pattern>'
    "</defs></svg>"
)


def interactive_map(data, name: str = "combined", *, tiles: str | None = None, source: str | None = None):
    """A ``folium.Map`` of map ``name`` (``combined``, ``taliban``, ``is`` or ``imu``) for a region.

    ``data`` is a :class:`districtcontrol.geo.ControlData`. ``tiles`` is an xyzservices
    provider name (e.g. ``OpenStreetMap.Mapnik``); by default there are no tiles. District
    shapes and texts are written once, as TopoJSON, and shared by every layer
    (:mod:`districtcontrol.maps.elements`).
    """
    import folium

    _check_name(name)
    districts = data.simplified
    m = folium.Map(tiles=None, zoom_control=True, control_scale=True, prefer_canvas=False)
    if tiles:
        _add_tiles(m, tiles)
    shared = _shared_districts(data, name)
    shared.add_to(m)
    if name == "combined":
        _add_combined_layers(m, data.rows, shared)
    else:
        status_of = lambda row: style.map_status(row, name)  # noqa: E731
        _district_layer(data.rows, shared, name, f"{GROUP_LABELS[name]} status", status_of).add_to(m)
    _province_layer(shared).add_to(m)
    _labels(m, data, name)
    _province_notes(m, data, name)
    _decorations(m, data, name, source)
    if name == "combined" or tiles:
        folium.LayerControl(collapsed=False).add_to(m)
    minx, miny, maxx, maxy = districts.total_bounds
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    return m


def _check_name(name: str) -> None:
    from districtcontrol import DistrictControlError

    if name not in style.MAP_NAMES:
        raise DistrictControlError(f"unknown map '{name}': choose one of {', '.join(style.MAP_NAMES)}")


def _add_tiles(m, tiles: str) -> None:
    import folium
    import xyzservices

    from districtcontrol import DistrictControlError

    try:
        provider = xyzservices.providers.query_name(tiles)
    except ValueError as exc:
        raise DistrictControlError(
            f"unknown tile provider '{tiles}'; use an xyzservices name such as OpenStreetMap.Mapnik or Esri.WorldGrayCanvas"
        ) from exc
    folium.TileLayer(tiles=provider.build_url(), attr=provider.html_attribution, name=provider.name).add_to(m)


def _shared_districts(data, name: str):
    """The region's topology with map ``name``'s hover and popup texts (escaped) on each district."""
    from districtcontrol.geo.simplify import COORDINATE_DECIMALS
    from districtcontrol.maps.elements import SharedDistricts

    topology = data.topology
    geometries = [
        {
            **geometry,
            "id": esc(row["pcode"]),
            "properties": {
                **style.tooltip_properties(row, name),
                "popup": style.popup_html(row, name),
                "p": esc(row["province_pcode"]),
            },
        }
        for geometry, row in zip(topology["objects"]["districts"]["geometries"], data.rows)
    ]
    objects = {"districts": {"type": "GeometryCollection", "geometries": geometries}}
    return SharedDistricts({**topology, "objects": objects}, COORDINATE_DECIMALS)


def _district_layer(rows, shared, name: str, layer_name: str, status_of, keep=None, fill=None):
    """A layer of map ``name``: the districts ``keep`` selects, coloured by ``status_of`` (or one ``fill``)."""
    import folium

    from districtcontrol.maps.elements import DistrictLayer

    rows = [row for row in rows if keep is None or keep(row)]
    if not rows:
        return None
    fills = {esc(row["pcode"]): style.STATUS_COLOURS.get(status_of(row), style.NO_RECORD_COLOUR) for row in rows}
    properties = {
        f["id"]: f["properties"] for f in shared.topology["objects"]["districts"]["geometries"] if f["id"] in fills
    }
    features = [{"type": "Feature", "id": pcode, "properties": properties[pcode], "geometry": None} for pcode in fills]

    def style_function(feature):
        return {
            "fillColor": fill or fills[feature["id"]],
            "fillOpacity": 1.0,
            "color": style.DISTRICT_EDGE,
            "weight": 0.6,
        }

    fields, aliases = style.tooltip_fields(name)
    return DistrictLayer(
        {"type": "FeatureCollection", "features": features},
        shared,
        name=layer_name,
        style_function=style_function,
        highlight_function=lambda _: {"weight": 2.5, "color": "#000000"},
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases, sticky=True),
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False, max_width=360),
    )


def _add_combined_layers(m, rows, shared) -> None:
    """Base layer of every district, one toggleable layer per group, and hatching where groups overlap."""
    no_record = lambda row: None  # noqa: E731
    base = _district_layer(rows, shared, "combined", "All districts", no_record, fill=style.NO_RECORD_COLOUR)
    base.add_to(m)
    # Drawn bottom to top so the visible colour is the first group in the order Taliban, IS, IMU.
    for group in reversed(GROUPS):
        layer = _district_layer(
            rows,
            shared,
            "combined",
            GROUP_LABELS[group],
            lambda row, g=group: row[g],
            keep=lambda row, g=group: style.map_status(row, g) is not None,
        )
        if layer is not None:
            layer.add_to(m)
    multi = lambda row: len(style.groups_present(row)) > 1  # noqa: E731
    hatch = f"url(#{HATCH_ID})"
    hatched = _district_layer(rows, shared, "combined", style.MULTI_GROUP_LABEL, no_record, keep=multi, fill=hatch)
    if hatched is not None:
        hatched.add_to(m)


def _province_layer(shared):
    """Province boundaries: the mesh of the shared topology where provinces meet, and the outline."""
    from districtcontrol.maps.elements import DistrictLayer

    feature = {"type": "Feature", "id": "provinces", "properties": {}, "geometry": None}
    return DistrictLayer(
        {"type": "FeatureCollection", "features": [feature]},
        shared,
        mesh=True,
        name="Province boundaries",
        style_function=lambda _: {"fill": False, "color": style.PROVINCE_EDGE, "weight": 2.2},
        interactive=False,
        control=False,
    )


def _labels(m, data, name: str) -> None:
    """Names of the affected districts, the provinces, the neighbouring countries and the notes, in one element."""
    from districtcontrol.maps.elements import Labels

    districts, provinces = data.simplified, data.provinces
    labels = []
    for row, pt in zip(data.rows, districts.geometry.representative_point()):
        if style.labelled(row, name):
            labels.append((pt.y, pt.x, esc(row["district"]), ""))
    for prov_name, pt in zip(provinces["province"], provinces.geometry.representative_point()):
        labels.append((pt.y, pt.x, esc(prov_name), "dc-province"))
    for country, lat, lon in style.neighbours():
        labels.append((lat, lon, esc(country), "dc-country"))
    labels += [(lat, lon + 0.12, esc(text), "dc-note-label") for lat, lon, text, _ in style.note_points(data, name)]
    Labels(labels).add_to(m)


def _province_notes(m, data, name: str) -> None:
    """Province-level statements: a marker per note with its text on hover and click."""
    import folium

    features = [
        {
            "type": "Feature",
            "properties": {"label": esc(text), "popup": style.note_html(note)},
            "geometry": {"type": "Point", "coordinates": [round(lon, 4), round(lat, 4)]},
        }
        for lat, lon, text, note in style.note_points(data, name)
    ]
    if not features:
        return
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name="Province-level notes",
        marker=folium.CircleMarker(
            radius=7, color="#111111", weight=2, fill=True, fill_color="#ffffff", fill_opacity=1
        ),
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False, max_width=360),
    ).add_to(m)


def _decorations(m, data, name: str, source: str | None) -> None:
    """Title with the source line, legend with counts, attribution and the hatch pattern."""
    import folium

    text = style.map_text(name, data.table, source)
    rows = []
    for colour, label, count in style.legend_entries(data.rows, name):
        swatch = (
            f"background: url(#{HATCH_ID}); background: repeating-linear-gradient(45deg, #fff 0 3px, {style.MULTI_GROUP_HATCH} 3px 5px);"
            if colour == "hatch"
            else f"background:{colour};"
        )
        rows.append(f'<div><i style="{swatch}"></i>{esc(label)} ({count})</div>')
    if any(name in ("combined", n.group) for n in data.notes):
        rows.append(
            '<div><i style="border-radius:50%;border:2px solid #111;background:#fff;width:9px;height:9px"></i>Province-level note (click it)</div>'
        )
    group = "All groups" if name == "combined" else GROUP_LABELS[name]
    html = (
        f'{HATCH_SVG}<div class="dc-box dc-title"><h1>{esc(text.title)}</h1><p>{esc(text.source)}</p></div>'
        f'<div class="dc-box dc-legend" role="region" aria-label="Legend"><b>{esc(group)}: districts by status</b>{"".join(rows)}</div>'
        f'<div class="dc-box dc-attribution">{esc(text.attribution)}</div>'
    )
    m.get_root().header.add_child(folium.Element(PAGE_CSS), name="dc_css")
    # Labels are markers with text icons: never let Leaflet fetch its default marker image.
    m.get_root().script.add_child(folium.Element(NO_DEFAULT_ICON_JS), name="dc_no_default_icon")
    m.get_root().html.add_child(folium.Element(html), name="dc_decorations")


def map_html(m, *, self_contained: bool = False) -> str:
    """Render a map to a complete HTML document.

    Only Leaflet, topojson-client and polyline are loaded (no jQuery, Bootstrap or icon fonts).
    With ``self_contained``, Leaflet's JS and CSS (from the django-js-lib-leaflet package) and
    the two small libraries (vendored) are inlined so the file opens with no network. Element ids are numbered in order, so output is reproducible.
    """
    from districtcontrol.maps.elements import cdn_scripts

    _strip_resources(m)
    if self_contained:
        _inline_scripts(m)
    else:
        m.default_js = [LEAFLET_CDN_JS, *cdn_scripts()]
        m.default_css = [LEAFLET_CDN_CSS]
    _stable_ids(m.get_root())
    with _compact_json(m):
        html = m.get_root().render()
    return _stable_ids_in_text(html)


@contextlib.contextmanager
def _compact_json(m):
    """Render embedded JSON without spaces and with UTF-8 text (Dari names as written, not as \\u escapes).

    folium's templates share one environment.
    """
    import folium

    env = folium.GeoJson._template.environment
    saved = env.policies["json.dumps_kwargs"]
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "separators": (",", ":"), "ensure_ascii": False}
    try:
        yield
    finally:
        env.policies["json.dumps_kwargs"] = saved


def _strip_resources(m) -> None:
    """Drop every CDN script and stylesheet folium adds, from the map and all its children."""

    def walk(element):
        for attr in ("default_js", "default_css"):
            if getattr(element, attr, None):
                setattr(element, attr, [])
        for child in element._children.values():
            walk(child)

    walk(m)


def _inline_scripts(m) -> None:
    """Leaflet (JS, CSS with its images as data URIs), topojson-client and polyline, inlined in the page's head."""
    import folium

    from districtcontrol.maps.elements import vendored_scripts

    files = resources.files("js_lib_leaflet").joinpath("static", "js_lib_leaflet")
    js = files.joinpath("leaflet.js").read_text(encoding="utf-8").replace("</", "<\\/")
    css = files.joinpath("leaflet.css").read_text(encoding="utf-8")

    def data_uri(match):
        png = files.joinpath("images", match.group(1)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(png).decode()})"

    css = re.sub(r"url\(images/([\w\-]+\.png)\)", data_uri, css)
    libraries = vendored_scripts().replace("</", "<\\/")
    m.default_js = []
    m.default_css = []
    m.get_root().header.add_child(
        folium.Element(f"<style>{css}</style>\n<script>{js}</script>\n<script>{libraries}</script>"),
        name="scripts_inline",
        index=0,
    )


def _stable_ids(element, counter=None) -> None:
    counter = counter if counter is not None else [0]
    counter[0] += 1
    element._id = f"{counter[0]:04d}"
    for child in list(element._children.values()):
        _stable_ids(child, counter)


def _stable_ids_in_text(html: str) -> str:
    """Replace any random 32-hex id that rendering created on the fly by a stable number."""
    seen: dict[str, str] = {}

    def number(match):
        return seen.setdefault(match.group(0), f"r{len(seen) + 1:04d}")

    return re.sub(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])", number, html)
