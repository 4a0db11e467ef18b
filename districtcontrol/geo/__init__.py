"""Boundaries, name resolution and the join of control tables to districts (public API, loaded lazily)."""

from __future__ import annotations

from districtcontrol._lazy import lazy_exports

_PUBLIC = {
    "ATTRIBUTION": "districtcontrol.geo.boundaries",
    "BoundarySource": "districtcontrol.geo.boundaries",
    "download_boundaries": "districtcontrol.geo.boundaries",
    "file_sha256": "districtcontrol.geo.boundaries",
    "load_boundaries": "districtcontrol.geo.boundaries",
    "locate_boundaries": "districtcontrol.geo.boundaries",
    "read_boundaries": "districtcontrol.geo.boundaries",
    "format_summary": "districtcontrol.geo.summary",
    "summarise": "districtcontrol.geo.summary",
    "write_districts": "districtcontrol.geo.export",
    "write_geojson": "districtcontrol.geo.export",
    "write_qml": "districtcontrol.geo.export",
    "Resolution": "districtcontrol.geo.names",
    "Resolver": "districtcontrol.geo.names",
    "normalise": "districtcontrol.geo.names",
    "ControlData": "districtcontrol.geo.pipeline",
    "load_control": "districtcontrol.geo.pipeline",
}

__all__ = list(_PUBLIC)


__getattr__ = lazy_exports(__name__, _PUBLIC)
