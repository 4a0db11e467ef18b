"""Rendering: interactive folium maps, static matplotlib figures and the ``build`` of every output.

Importing this package is cheap; folium and matplotlib load when a map is made.
"""

from districtcontrol.maps.build import FORMATS, build, planned_outputs
from districtcontrol.maps.interactive import interactive_map, map_html
from districtcontrol.maps.static import save_figure, static_map

__all__ = ["FORMATS", "build", "interactive_map", "map_html", "planned_outputs", "save_figure", "static_map"]
