"""Boundaries, regions, name resolution and the join of control tables to districts."""

from districtcontrol.geo.boundaries import (
    ATTRIBUTION,
    BoundarySource,
    download_boundaries,
    file_sha256,
    locate_boundaries,
    read_boundaries,
)
from districtcontrol.geo.export import format_summary, summarise, write_geojson
from districtcontrol.geo.join import join_control, resolve_records
from districtcontrol.geo.names import Resolution, Resolver, normalise
from districtcontrol.geo.pipeline import ControlData, load_control
from districtcontrol.geo.regions import NORTH_BORDER_PROVINCES, region_provinces

__all__ = [
    "ATTRIBUTION",
    "NORTH_BORDER_PROVINCES",
    "BoundarySource",
    "ControlData",
    "Resolution",
    "Resolver",
    "download_boundaries",
    "file_sha256",
    "format_summary",
    "join_control",
    "load_control",
    "locate_boundaries",
    "normalise",
    "read_boundaries",
    "region_provinces",
    "resolve_records",
    "summarise",
    "write_geojson",
]
