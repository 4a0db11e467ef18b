"""Interactive maps with folium: :func:`interactive_map` returns a ``folium.Map``; :func:`map_html` renders it.

The HTML loads only Leaflet, topojson-client and polyline (from a CDN, or inlined with
``self_contained=True``), writes the district shapes once as TopoJSON, has stable element ids so identical input gives identical bytes, and puts every text from a
table or a boundary file in escaped form. What a reader meets (the fit to any frame, labels
without overlaps, the neighbouring countries, search, download, keyboard access) is added by
:mod:`districtcontrol.maps._reader`.
"""

from __future__ import annotations

from dataclasses import dataclass

from districtcontrol import _style
from districtcontrol.maps import _view, _web
from districtcontrol.maps._hatch import HATCH_ID, HATCH_SVG, swatch_css
from districtcontrol.maps._popups import ambiguous_html, esc, note_html, popup_html, tooltip_fields, tooltip_properties
from districtcontrol.maps._prepared import PreparedRegion, prepare_region
from districtcontrol.maps._reader import add_reader, add_surroundings
from districtcontrol.maps._surroundings import credit_line


def interactive_map(
    data,
    name: str = "combined",
    *,
    tiles: str | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    credit: str | None = None,
):
    """A ``folium.Map`` of map ``name`` (``combined`` or a group key of the legend) for a region.

    ``data`` is what :func:`districtcontrol.geo.load_control` returns, or a region prepared
    once for several maps (:func:`districtcontrol.maps.prepare_region`). ``tiles`` is an
    xyzservices provider name (e.g. ``OpenStreetMap.Mapnik``); by default there are no tiles.
    ``title``, ``subtitle`` and ``credit`` replace the defaults (the legend's title; for your
    own table, "Data: <file name>"). District shapes and texts are written once, as a
    topology, and shared by every layer.
    """
    from districtcontrol.maps._folium import compiled_once

    region = prepare_region(data)
    _check_name(name, region)
    with compiled_once():
        return _new_map(region, name, tiles, _view.Captions(title, subtitle, credit))


def _new_map(region: PreparedRegion, name: str, tiles: str | None, captions: _view.Captions):
    import folium

    from districtcontrol.maps._timeline import add_timeline

    m = folium.Map(
        tiles=None, zoom_control=True, control_scale=True, prefer_canvas=False, zoom_snap=0.1, zoom_delta=0.5
    )
    if tiles:
        _add_tiles(m, tiles)
    shared = _shared_districts(region, name)
    shared.add_to(m)
    add_surroundings(m, region, shared, tiles=bool(tiles))
    look = _Look.over_tiles() if tiles else _Look()
    if name == _view.COMBINED:
        layers = _add_combined_layers(m, region, shared, look)
    else:
        layer_name = f"{region.legend.group_label(name)} status"
        fill = lambda row: _view.fill_colour(row, name, region.legend)  # noqa: E731
        layers = [_district_layer(region, shared, name, layer_name, fill, look=look).add_to(m)]
    _ambiguous_layer(m, region, shared)
    _province_layer(shared).add_to(m)
    labels = _labels(m, region, name)
    _province_notes(m, region, name)
    text = _decorations(m, region, name, captions)
    add_timeline(m, region, name, captions)
    if name == _view.COMBINED or tiles:
        folium.LayerControl(collapsed=False, position="topleft").add_to(m)
    minx, miny, maxx, maxy = region.simplified.total_bounds
    m.fit_bounds([[miny, minx], [maxy, maxx]])  # the reader's script then fits the frame (fractional zoom)
    add_reader(m, region, name, layers=layers, labels=labels, title=text.title)
    return m


@dataclass(frozen=True)
class _Look:
    """How district layers are drawn: opaque on white; over tiles, translucent with darker edges."""

    fill_opacity: float = 1.0
    no_record_opacity: float = 1.0
    edge: str = _style.DISTRICT_EDGE
    edge_weight: float = 0.6

    @classmethod
    def over_tiles(cls) -> _Look:
        return cls(fill_opacity=0.62, no_record_opacity=0.3, edge="#555555", edge_weight=0.8)


def _check_name(name: str, region: PreparedRegion) -> None:
    from districtcontrol import DistrictControlError

    names = _view.all_map_names(region.legend)
    if name not in names:
        raise DistrictControlError(f"unknown map '{name}': choose one of {', '.join(names)}")


def tile_provider(tiles: str):
    """The xyzservices provider named ``tiles``; an unknown name is an error that says what to use."""
    import xyzservices

    from districtcontrol import DistrictControlError

    try:
        return xyzservices.providers.query_name(tiles)
    except ValueError as exc:
        raise DistrictControlError(
            f"unknown tile provider '{tiles}'; use an xyzservices name such as OpenStreetMap.Mapnik or Esri.WorldGrayCanvas"
        ) from exc


def _add_tiles(m, tiles: str) -> None:
    import folium

    provider = tile_provider(tiles)
    folium.TileLayer(tiles=provider.build_url(), attr=provider.html_attribution, name=provider.name).add_to(m)


def _shared_districts(region: PreparedRegion, name: str):
    """The region's topology with map ``name``'s hover and popup texts (escaped) on each district."""
    from districtcontrol.maps._elements import SharedDistricts

    legend = region.legend
    geometries = [
        {
            **geometry,
            "id": esc(row["pcode"]),
            "properties": {
                **tooltip_properties(row, name, legend),
                "popup": popup_html(row, name, legend) + ambiguous_html(row, legend),
                "p": esc(row["province_pcode"]),
            },
        }
        for geometry, row in zip(region.topology["objects"]["districts"]["geometries"], region.rows)
    ]
    objects = {"districts": {"type": "GeometryCollection", "geometries": geometries}}
    return SharedDistricts({**region.topology, "objects": objects}, region.shapes)


def _district_layer(
    region: PreparedRegion, shared, name: str, layer_name: str, fill_of, keep=None, show=True, look: _Look = _Look()
):
    """A layer of map ``name``: the districts ``keep`` selects, filled with ``fill_of(row)``, drawn as ``look`` says."""
    import folium

    from districtcontrol.maps._folium import DistrictLayer

    rows = [row for row in region.rows if keep is None or keep(row)]
    if not rows:
        return None
    fills = {esc(row["pcode"]): fill_of(row) for row in rows}
    parts = {esc(row["pcode"]) for row in rows if _view.part_of(row)}
    properties = {
        f["id"]: f["properties"] for f in shared.topology["objects"]["districts"]["geometries"] if f["id"] in fills
    }
    features = [{"type": "Feature", "id": pcode, "properties": properties[pcode], "geometry": None} for pcode in fills]

    def style_function(feature):
        fill = fills[feature["id"]]
        return {
            "fillColor": fill,
            "fillOpacity": look.no_record_opacity if fill == _style.NO_RECORD_COLOUR else look.fill_opacity,
            "color": look.edge,
            "weight": look.edge_weight,
            **({"dashArray": _view.PART_OF_DASH, "weight": 2, "color": "#222222"} if feature["id"] in parts else {}),
        }

    population = region.data.population
    fields, aliases = tooltip_fields(name, region.legend, population.year if population else None)
    layer = DistrictLayer(
        {"type": "FeatureCollection", "features": features},
        shared,
        name=layer_name,
        show=show,
        style_function=style_function,
        highlight_function=lambda _: {"weight": 2.5, "color": "#000000"},
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases, sticky=True),
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False, max_width=360),
    )
    layer.fill_of, layer.keep = fill_of, keep  # what a timeline recomputes at each date (maps/_timeline.py)
    return layer


def _add_combined_layers(m, region: PreparedRegion, shared, look: _Look) -> list:
    """Every district in grey, the districts with a record by the strongest status any group holds,
    one layer per group to switch on (off at first), and hatching where groups overlap; returns the layers."""
    legend = region.legend
    combined = _view.COMBINED
    base = _district_layer(region, shared, combined, "All districts", lambda row: _style.NO_RECORD_COLOUR, look=look)
    layers = [base.add_to(m)]
    strongest = _district_layer(
        region,
        shared,
        combined,
        "All groups (strongest status)",
        lambda row: _view.fill_colour(row, combined, legend),
        keep=lambda row: _view.map_status(row, combined, legend) is not None,
        look=look,
    )
    if strongest is not None:
        layers.append(strongest.add_to(m))
    for group in legend.group_keys:
        layer = _district_layer(
            region,
            shared,
            combined,
            f"{legend.group_label(group)} only",
            lambda row, g=group: _view.fill_colour(row, g, legend),
            keep=lambda row, g=group: _view.map_status(row, g, legend) is not None,
            show=False,
            look=look,
        )
        if layer is not None:
            layers.append(layer.add_to(m))
    multi = lambda row: len(_view.groups_present(row, legend)) > 1  # noqa: E731
    hatch = lambda row: f"url(#{HATCH_ID})"  # noqa: E731
    hatched = _district_layer(region, shared, combined, _view.MULTI_GROUP_LABEL, hatch, keep=multi, look=look)
    if hatched is not None:
        layers.append(hatched.add_to(m))
    return layers


def _ambiguous_layer(m, region: PreparedRegion, shared) -> None:
    """A dashed outline around each district the source may mean by a name it gives ambiguously."""
    from districtcontrol.maps._folium import DistrictLayer

    pcodes = [esc(row["pcode"]) for row in region.rows if row.get(_view.AMBIGUOUS)]
    if not pcodes:
        return
    features = [{"type": "Feature", "id": pc, "properties": {}, "geometry": None} for pc in pcodes]
    DistrictLayer(
        {"type": "FeatureCollection", "features": features},
        shared,
        name=_view.AMBIGUOUS_LABEL,
        style_function=lambda _: {"fill": False, "color": _style.AMBIGUOUS_EDGE, "weight": 2.4, "dashArray": "5 4"},
        interactive=False,
    ).add_to(m)


def _province_layer(shared):
    """Province boundaries: the mesh of the shared topology where provinces meet, and the outline."""
    from districtcontrol.maps._folium import DistrictLayer

    feature = {"type": "Feature", "id": "provinces", "properties": {}, "geometry": None}
    return DistrictLayer(
        {"type": "FeatureCollection", "features": [feature]},
        shared,
        mesh=True,
        name="Province boundaries",
        style_function=lambda _: {"fill": False, "color": _style.PROVINCE_EDGE, "weight": 2.2},
        interactive=False,
        control=False,
    )


def _labels(m, region: PreparedRegion, name: str):
    """Names of the districts, provinces and neighbouring countries, in one element, most important first:
    districts with a record (largest first), provinces, countries, then the other districts."""
    import shapely

    from districtcontrol.geo._regions import neighbours
    from districtcontrol.maps import _reader
    from districtcontrol.maps._elements import Labels

    labels = []
    points = region.simplified.geometry.representative_point()
    areas = shapely.area(region.simplified.geometry.values)
    for row, pt, area in zip(region.rows, points, areas):
        recorded = _view.labelled(row, name, region.legend)
        priority = _reader.RECORDED if recorded else _reader.OTHER_DISTRICT
        labels.append((priority, -area, (pt.y, pt.x, esc(row["district"]), "" if recorded else "dc-other", priority)))
    for prov_name, pt in zip(region.provinces["province"], region.provinces.geometry.representative_point()):
        labels.append((_reader.PROVINCE, 0, (pt.y, pt.x, esc(prov_name), "dc-province", _reader.PROVINCE)))
    for country, lat, lon in neighbours():
        labels.append((_reader.COUNTRY, 0, (lat, lon, esc(country), "dc-country", _reader.COUNTRY)))
    ordered = [label for *_, label in sorted(labels, key=lambda item: item[:2])]
    element = Labels(ordered)
    element.add_to(m)
    return element


def _province_notes(m, region: PreparedRegion, name: str) -> None:
    """Province-level statements: a marker per note with its text on hover and click."""
    import folium

    features = [
        {
            "type": "Feature",
            "properties": {"label": esc(text), "popup": note_html(note, region.legend)},
            "geometry": {"type": "Point", "coordinates": [round(lon, 4), round(lat, 4)]},
        }
        for lat, lon, text, note in _view.note_points(region, name)
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


def _legend_rows(region: PreparedRegion, name: str) -> list[str]:
    rows = []
    for colour, label, count in _view.legend_entries(region.rows, name, region.legend):
        rows.append(f'<div><i style="{swatch_css(colour)}"></i>{esc(label)} — {esc(count)}</div>')
    if any(_view.shows_note(n, name) for n in region.data.notes):
        rows.append(
            '<div><i style="border-radius:50%;border:2px solid #111;background:#fff;width:9px;height:9px"></i>Province-level note (click it)</div>'
        )
    return rows


def _decorations(m, region: PreparedRegion, name: str, captions: _view.Captions) -> _view.MapText:
    """Title with the subtitle, legend with counts and caveats, attribution and the hatch pattern; returns the texts."""
    import folium

    text = map_text(region, name, captions)
    rows = _legend_rows(region, name) + [f'<p class="dc-note">{esc(note)}</p>' for note in text.notes]
    subtitle = f"<p>{esc(text.subtitle)}</p>" if text.subtitle else ""
    about = (
        f'<p class="dc-note dc-about">{esc(text.subtitle)}</p>' if text.subtitle else ""
    )  # phones: no subtitle under the title
    html = (
        f'{HATCH_SVG}<div class="dc-box dc-title" id="dc-title"><h1>{esc(text.title)}</h1>{subtitle}</div>'
        f'<div class="dc-box dc-legend" id="dc-legend" role="region" aria-label="Legend"><div>'
        f"<b>{esc(_view.legend_title(name, region.legend))}</b>{''.join(rows)}{about}</div></div>"
        f'<div class="dc-box dc-attribution" id="dc-attribution"><span>{esc(credit_line(text.attribution))}</span></div>'
    )
    m.get_root().header.add_child(folium.Element(_web.style("map.css")), name="dc_css")
    # Labels are markers with text icons: never let Leaflet fetch its default marker image.
    m.get_root().script.add_child(
        folium.Element(_web.text("no-default-icon.js").rstrip("\n")), name="dc_no_default_icon"
    )
    m.get_root().html.add_child(folium.Element(html), name="dc_decorations")
    return text


def map_text(region: PreparedRegion, name: str, captions: _view.Captions | None = None) -> _view.MapText:
    """Title, subtitle, attribution and caveats of map ``name`` of a region."""
    return region.text(name, captions)


def map_html(m, *, self_contained: bool = False) -> str:
    """Render a map to a complete HTML document.

    Only Leaflet, topojson-client and polyline are loaded (no jQuery, Bootstrap or icon fonts):
    from jsDelivr with Subresource Integrity, or, with ``self_contained``, inlined with their
    licences so the file opens with no network (:mod:`districtcontrol.maps._libraries`).
    Element ids are numbered in order, so output is reproducible; no text of the map is rewritten.
    """
    import folium

    from districtcontrol.maps._folium import compact_json, compiled_once, counted_ids, stable_ids, strip_resources
    from districtcontrol.maps._libraries import cdn_tags, inline_tags

    strip_resources(m)
    m.default_js, m.default_css = [], []
    with compiled_once():
        m.get_root().header.add_child(folium.Element(LIBRARIES_PLACE), name="dc_libraries", index=0)
        stable_ids(m.get_root())
        with compact_json(), counted_ids():
            page = m.get_root().render()
    libraries = inline_tags() if self_contained else cdn_tags()
    return _without_indentation(page).replace(LIBRARIES_PLACE, libraries, 1)


LIBRARIES_PLACE = "<!-- districtcontrol: libraries -->"


def _without_indentation(page: str) -> str:
    """The page without indentation and blank lines (a tenth of folium's output); no text of the map is in them.

    Texts from tables sit on one line each (JSON and escaped HTML), so no line break in them is lost.
    """
    return "\n".join(line.strip() for line in page.splitlines() if line.strip()) + "\n"
