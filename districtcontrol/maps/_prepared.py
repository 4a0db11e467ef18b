"""A region made ready to draw: what every map of a region shares, computed once and passed explicitly.

:class:`districtcontrol.geo.ControlData` is the domain result (districts, records, notes);
:class:`PreparedRegion` adds what display needs: simplified outlines, province outlines,
the topology the HTML writes, one dict per district, and the label layout of the static maps.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass


@dataclass(frozen=True)
class PreparedRegion:
    """The display state of one region; build it with :func:`prepare_region`."""

    data: object  # ControlData
    simplified: object  # GeoDataFrame, districts simplified as a coverage
    provinces: object  # GeoDataFrame, province outlines dissolved from ``simplified``
    topology: dict  # the simplified districts as a topology, arcs thinned for the HTML maps; ids are P-codes
    rows: list[dict]  # each district's attributes, in the order of ``data.districts``
    labels: tuple | None = None  # static label layout, placed once per region (see static.label_layout)

    @property
    def legend(self):
        return self.data.legend

    @functools.cached_property
    def shapes(self) -> dict:
        """The districts' shapes as every HTML map of the region writes them (``_encoding.shape_payload``)."""
        from districtcontrol.maps._encoding import shape_payload

        return shape_payload(self.topology)

    def text(self, name: str, captions=None):
        """Title, subtitle, attribution and caveats of map ``name`` (a ``_view.MapText``)."""
        from districtcontrol.maps import _view

        data = self.data
        credit = data.population.attribution if data.population else ""
        boundaries = data.boundaries.attribution
        unplaced = _view.unplaced_note(data)
        return _view.map_text(name, self.legend, data.table, captions, boundaries, credit, data.when, unplaced)

    def with_labels(self, labels) -> PreparedRegion:
        """The same region with the static maps' label layout."""
        return dataclasses.replace(self, labels=tuple(labels))


def prepare_region(data) -> PreparedRegion:
    """Simplify, dissolve and encode a loaded region once, for any number of maps.

    ``data`` is what :func:`districtcontrol.geo.load_control` returns; a
    :class:`PreparedRegion` is returned as it is.
    """
    if isinstance(data, PreparedRegion):
        return data
    if not all(hasattr(data, a) for a in ("districts", "legend", "notes")):
        from districtcontrol import DistrictControlError

        raise DistrictControlError(
            f"maps are drawn from what load_control returns, not from a {type(data).__name__}: "
            "pass your table to load_control(table=...) (a path, a DataFrame or a list of dicts) and map its result"
        )
    shapes = _prepared_shapes(data.districts)
    districts = data.districts
    return PreparedRegion(
        data=data,
        simplified=shapes.simplified,
        provinces=shapes.provinces,
        topology=shapes.topology,
        rows=_with_ambiguous_names(districts.drop(columns=districts.geometry.name).to_dict("records"), data),
    )


@dataclass(frozen=True)
class _Shapes:
    simplified: object
    provinces: object
    topology: dict


def _prepared_shapes(districts) -> _Shapes:
    """Simplified outlines, province outlines and topology of ``districts``, from the user cache when there.

    The key is the districts' geometry (a sha256 of its WKB), their P-codes and provinces, the
    simplification's parameters and the code (see :mod:`districtcontrol._cache`).
    """
    from districtcontrol import _cache
    from districtcontrol.maps._simplify import COORDINATE_DECIMALS, DEFAULT_TOLERANCE_DEG

    key = {
        "geometry": _cache.geometry_digest(districts.geometry.values),
        "pcodes": list(districts["pcode"]),
        "provinces": list(districts["province_pcode"]),
        "names": list(districts["province"]),
        "tolerance": DEFAULT_TOLERANCE_DEG,
        "decimals": COORDINATE_DECIMALS,
    }
    return _cache.cached(
        "region",
        key,
        lambda: _compute_shapes(districts),
        _encode_shapes,
        lambda payload: _decode_shapes(payload, districts),
    )


def _compute_shapes(districts) -> _Shapes:
    from districtcontrol.geo._regions import dissolve_provinces
    from districtcontrol.geo._topology import topology
    from districtcontrol.maps._simplify import COORDINATE_DECIMALS, simplify_districts, thin_arcs

    simplified = simplify_districts(districts)
    return _Shapes(
        simplified,
        dissolve_provinces(simplified),
        thin_arcs(topology(simplified.geometry.values, list(simplified["pcode"]), decimals=COORDINATE_DECIMALS)),
    )


def _encode_shapes(shapes: _Shapes) -> dict:
    from districtcontrol._cache import geometries_to_text

    provinces = shapes.provinces
    return {
        "simplified": geometries_to_text(shapes.simplified.geometry.values),
        "provinces": {
            "province_pcode": list(provinces["province_pcode"]),
            "province": list(provinces["province"]),
            "geometry": geometries_to_text(provinces.geometry.values),
        },
        "topology": {**shapes.topology, "arcs": [arc.tolist() for arc in shapes.topology["arcs"]]},
    }


def _decode_shapes(payload: dict, districts) -> _Shapes:
    import geopandas as gpd
    import numpy as np

    from districtcontrol._cache import geometries_from_text

    geoms = geometries_from_text(payload["simplified"])
    if len(geoms) != len(districts):
        raise ValueError("the entry has another number of districts")
    provinces = payload["provinces"]
    topology = payload["topology"]
    topology["arcs"] = [np.asarray(arc, dtype=np.int64).reshape(-1, 2) for arc in topology["arcs"]]
    return _Shapes(
        districts.set_geometry(geoms, crs=districts.crs),
        gpd.GeoDataFrame(
            {"province_pcode": provinces["province_pcode"], "province": provinces["province"]},
            geometry=geometries_from_text(provinces["geometry"]),
            crs=districts.crs,
        ),
        topology,
    )


def _with_ambiguous_names(rows: list[dict], data) -> list[dict]:
    """Each row with the source's ambiguous names it is a candidate of (``_view.AMBIGUOUS``; empty: none)."""
    from districtcontrol.geo._unplaced import by_candidate
    from districtcontrol.maps._view import AMBIGUOUS

    named = by_candidate(getattr(data, "unplaced", ()))
    return [{**row, AMBIGUOUS: tuple(named.get(row["pcode"], ()))} for row in rows]
