"""QGIS styles for exported districts: categorized QML, and the ``layer_styles`` table of a GeoPackage.

The QML colours districts by a status field (one group's, or ``combined``) in the legend's
colours and labels, like the maps. Symbol layers carry their properties twice, as an
``Option`` map (QGIS 3.20 and later) and as ``prop`` elements (older versions), as QGIS
3.20-3.24 itself wrote them. The ``layer_styles`` table has the columns QGIS creates when it
saves a style to a GeoPackage, and QGIS opens the layer with the row marked ``useAsDefault``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from districtcontrol._style import COMBINED, DISTRICT_EDGE, NO_RECORD_COLOUR, NO_RECORD_LABEL
from districtcontrol.data.legend import Legend

STYLES_TABLE = "layer_styles"
EDGE_WIDTH_MM = "0.2"
QGIS_VERSION = "3.22.0"
_POLYGON_GEOMETRY_TYPE = "2"


def qml_style(legend: Legend, map_name: str = COMBINED) -> str:
    """A QGIS style (QML) colouring districts by one group's status or by ``combined``.

    ``map_name`` is a group key of ``legend`` (categorises the field of that name) or
    ``"combined"`` (categorises the ``combined`` field: the highest-ranked status any group
    holds). One category per status of the legend, in its order, with its label and colour,
    then ``none`` (the legend's "Reported: no status") and "No record" for districts no row names.
    """
    if map_name != COMBINED and map_name not in legend.group_keys:
        raise ValueError(
            f"{map_name!r} is neither 'combined' nor a group of the legend ({', '.join(legend.group_keys)})"
        )
    root = ET.Element("qgis", {"version": QGIS_VERSION, "styleCategories": "Symbology"})
    renderer = ET.SubElement(
        root,
        "renderer-v2",
        {
            "type": "categorizedSymbol",
            "attr": map_name,
            "symbollevels": "0",
            "forceraster": "0",
            "enableorderby": "0",
            "referencescale": "-1",
        },
    )
    shown = (*legend.statuses, legend.none)
    classes = [(s.key, s.label, s.color) for s in shown] + [("", NO_RECORD_LABEL, NO_RECORD_COLOUR)]
    categories = ET.SubElement(renderer, "categories")
    symbols = ET.SubElement(renderer, "symbols")
    for index, (value, label, colour) in enumerate(classes):
        attrs = {"value": value, "symbol": str(index), "label": label, "render": "true", "type": "string"}
        ET.SubElement(categories, "category", attrs)
        symbols.append(_fill_symbol(str(index), colour))
    ET.SubElement(renderer, "source-symbol").append(_fill_symbol("0", NO_RECORD_COLOUR))
    ET.SubElement(root, "layerGeometryType").text = _POLYGON_GEOMETRY_TYPE
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + body + "\n"


def style_names(legend: Legend) -> dict[str, str]:
    """The name of each style in QGIS's style list: ``combined`` first, then one per group."""
    return {COMBINED: "All groups (highest status)", **{g.key: g.label for g in legend.groups}}


def _description(key: str, name: str) -> str:
    if key == COMBINED:
        return "Each district in the colour of the highest-ranked status any group holds there"
    return f"Status of {name} in each district"


def _fill_symbol(name: str, colour: str) -> ET.Element:
    symbol = ET.Element("symbol", {"type": "fill", "name": name, "alpha": "1", "clip_to_extent": "1", "force_rhr": "0"})
    layer = ET.SubElement(symbol, "layer", {"class": "SimpleFill", "enabled": "1", "locked": "0", "pass": "0"})
    props = {
        "color": _qgis_colour(colour),
        "style": "solid",
        "outline_color": _qgis_colour(DISTRICT_EDGE),
        "outline_style": "solid",
        "outline_width": EDGE_WIDTH_MM,
        "outline_width_unit": "MM",
        "joinstyle": "bevel",
    }
    options = ET.SubElement(layer, "Option", {"type": "Map"})
    for key, value in props.items():
        ET.SubElement(options, "Option", {"name": key, "type": "QString", "value": value})
    for key, value in props.items():
        ET.SubElement(layer, "prop", {"k": key, "v": value})
    return symbol


def _qgis_colour(hex_colour: str) -> str:
    """``#RRGGBB`` as QGIS writes colours: ``r,g,b,alpha``."""
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"{r},{g},{b},255"


def store_styles(gpkg: Path, layer: str, legend: Legend) -> None:
    """Add the styles of ``layer`` to the GeoPackage's ``layer_styles`` table (created as QGIS creates it).

    One row per style of :func:`style_names`; the combined style is the default QGIS opens
    the layer with, the per-group ones are listed under Layer Properties → Style.
    """
    import pandas as pd
    import pyogrio

    geometry_column = pyogrio.read_info(gpkg, layer=layer)["geometry_name"]
    now = pd.Timestamp.now(tz="UTC").floor("s")
    rows = [
        {
            "f_table_catalog": "",
            "f_table_schema": "",
            "f_table_name": layer,
            "f_geometry_column": geometry_column,
            "styleName": name,
            "styleQML": qml_style(legend, key),
            "styleSLD": "",
            "useAsDefault": key == COMBINED,
            "description": _description(key, name),
            "owner": "",
            "ui": None,
            "update_time": now,
        }
        for key, name in style_names(legend).items()
    ]
    frame = pd.DataFrame(rows).astype({"ui": object})
    pyogrio.write_dataframe(frame, gpkg, layer=STYLES_TABLE, driver="GPKG", layer_options={"FID": "id"})
