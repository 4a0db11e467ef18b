"""Geolocated events (ACLED, UCDP GED or any) to district statuses, and control tables compared.

``_read`` (files and their columns), ``_place`` (points to districts, the edge rule, the
source's own district names), ``_rules`` (the rules file), ``_derive`` (evidence, statuses,
changes, notes), ``_table`` (:func:`events_table`), ``compare`` (:func:`compare_tables`).
"""

from __future__ import annotations

from districtcontrol._lazy import lazy_exports

_PUBLIC = {
    "events_table": "districtcontrol.geo.events._table",
    "EventsResult": "districtcontrol.geo.events._table",
    "legend_path": "districtcontrol.geo.events._table",
    "read_events": "districtcontrol.geo.events._read",
    "EventSource": "districtcontrol.geo.events._read",
    "read_rules": "districtcontrol.geo.events._rules",
    "default_rules_path": "districtcontrol.geo.events._rules",
    "Rules": "districtcontrol.geo.events._rules",
    "compare_tables": "districtcontrol.geo.events.compare",
    "Comparison": "districtcontrol.geo.events.compare",
}

__all__ = list(_PUBLIC)


__getattr__ = lazy_exports(__name__, _PUBLIC)
