"""districtcontrol: map which districts armed groups have captured, contest or operate in.

The public API, importable from here (the CLI is a thin layer over the same functions)::

    from districtcontrol import load_control, interactive_map, static_map, build

* reading: :func:`read_table`, :func:`validate_table`, :func:`read_legend`;
* resolving and joining: :func:`load_control` (read → resolve names → join),
  :class:`Resolver`, :func:`load_boundaries`; :func:`import_table` (a long table from
  elsewhere → a control table); :func:`events_table` (geolocated events → a control table
  and its legend, by the rules of :func:`read_rules`); :func:`compare_tables` and
  :func:`write_comparison` (two control tables, district by district);
* rendering: :func:`prepare_region`, :func:`interactive_map`, :func:`map_html`,
  :func:`static_map`, :func:`save_figure`, :func:`save_map`, :func:`build`;
* data out: :func:`write_geojson`, :func:`summarise`, :func:`format_summary`,
  :func:`summarise_over_time`.

Modules and names with a leading underscore are private. Importing the package is cheap:
geopandas, folium and matplotlib load only when used.
"""

from __future__ import annotations

from districtcontrol._lazy import lazy_exports


class DistrictControlError(Exception):
    """An error in the user's input or environment, with a message that says how to fix it.

    ``path`` and ``line`` name where the problem is, when it is in a file.
    """

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        self.path = path
        self.line = line
        self.message = message
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(f"{where}{message}")

    def __reduce__(self):
        # Whole, when it crosses from a worker process of ``build`` to the caller.
        return (type(self), (self.message, self.path, self.line))


_PUBLIC = {
    "read_table": "districtcontrol.data.table",
    "validate_table": "districtcontrol.data.table",
    "TableError": "districtcontrol.data.table",
    "read_legend": "districtcontrol.data.legend",
    "Legend": "districtcontrol.data.legend",
    "load_control": "districtcontrol.geo.pipeline",
    "ControlData": "districtcontrol.geo.pipeline",
    "load_boundaries": "districtcontrol.geo.boundaries",
    "Resolver": "districtcontrol.geo.names",
    "Resolution": "districtcontrol.geo.names",
    "import_table": "districtcontrol.geo._import",
    "ImportResult": "districtcontrol.geo._import",
    "events_table": "districtcontrol.geo.events._table",
    "EventsResult": "districtcontrol.geo.events._table",
    "read_rules": "districtcontrol.geo.events._rules",
    "compare_tables": "districtcontrol.geo.events.compare",
    "Comparison": "districtcontrol.geo.events.compare",
    "write_comparison": "districtcontrol.maps._comparison",
    "write_geojson": "districtcontrol.geo.export",
    "write_districts": "districtcontrol.geo.export",
    "summarise": "districtcontrol.geo.summary",
    "format_summary": "districtcontrol.geo.summary",
    "summarise_over_time": "districtcontrol.geo.over_time",
    "prepare_region": "districtcontrol.maps._prepared",
    "interactive_map": "districtcontrol.maps.interactive",
    "map_html": "districtcontrol.maps.interactive",
    "static_map": "districtcontrol.maps.static",
    "save_figure": "districtcontrol.maps.static",
    "save_map": "districtcontrol.maps._build",
    "build": "districtcontrol.maps._build",
}

__all__ = ["DistrictControlError", "__version__", *_PUBLIC]


__getattr__ = lazy_exports(__name__, _PUBLIC, version_of="districtcontrol")
