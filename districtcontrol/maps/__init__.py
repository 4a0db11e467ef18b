"""Rendering: interactive folium maps, static matplotlib figures and the ``build`` of every output."""

from districtcontrol.maps.interactive import interactive_map, map_html

__all__ = ["interactive_map", "map_html"]
