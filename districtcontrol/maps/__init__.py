"""Rendering: interactive folium maps, static matplotlib figures and the ``build`` of every output.

Importing this package is cheap; folium and matplotlib load when a map is made.
"""

from __future__ import annotations

from districtcontrol._lazy import lazy_exports

_PUBLIC = {
    "prepare_region": "districtcontrol.maps._prepared",
    "PreparedRegion": "districtcontrol.maps._prepared",
    "build": "districtcontrol.maps._build",
    "RenderWorkers": "districtcontrol.maps._workers",
    "planned_outputs": "districtcontrol.maps._build",
    "save_map": "districtcontrol.maps._build",
    "interactive_map": "districtcontrol.maps.interactive",
    "map_html": "districtcontrol.maps.interactive",
    "save_figure": "districtcontrol.maps.static",
    "static_map": "districtcontrol.maps.static",
}

__all__ = list(_PUBLIC)


__getattr__ = lazy_exports(__name__, _PUBLIC)
