"""Boundary files read once: the standard frame of a file kept in the user cache, keyed by its sha256."""

from __future__ import annotations

import logging
import warnings

from districtcontrol.geo import boundaries


def read_cached(source: boundaries.BoundarySource, fields: dict):
    """:func:`read_boundaries` of the source, from the user cache when it was read before (keyed by its sha256).

    Only a file read without a warning or log message is cached, so a returning user sees the
    same messages (:mod:`districtcontrol._cache`).
    """
    from districtcontrol import _cache

    quiet = []

    def read():
        with warnings.catch_warnings(record=True) as caught, _Heard(boundaries.logger) as heard:
            warnings.simplefilter("always")
            frame = boundaries.read_boundaries(source.path, **fields)
        for warning in caught:
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
        for record in heard.records:
            boundaries.logger.handle(record)
        shown = [w for w in caught if not issubclass(w.category, DeprecationWarning | PendingDeprecationWarning)]
        quiet.append(not shown and not heard.records)
        return frame

    key = {"sha256": source.sha256, **fields}
    return _cache.cached("boundaries", key, read, lambda f: _encode_frame(f) if quiet[0] else None, _decode_frame)


class _Heard:
    """Log records of a logger while in the block, kept instead of shown (replayed by the caller)."""

    def __init__(self, log: logging.Logger):
        self.log, self.records = log, []

    def __enter__(self):
        self.handler = logging.Handler()
        self.handler.emit = self.records.append
        self.propagate = self.log.propagate
        self.log.addHandler(self.handler)
        self.log.propagate = False
        return self

    def __exit__(self, *exc) -> None:
        self.log.removeHandler(self.handler)
        self.log.propagate = self.propagate


def _encode_frame(frame) -> dict:
    from districtcontrol._cache import geometries_to_text

    columns = {c: [str(v) for v in frame[c]] for c in boundaries.STANDARD_COLUMNS}
    return {"columns": columns, "geometry": geometries_to_text(frame.geometry.values), "crs": frame.crs.srs}


def _decode_frame(payload: dict):
    import geopandas as gpd
    import numpy as np
    from pyproj import CRS

    from districtcontrol._cache import geometries_from_text

    columns = payload["columns"]
    data = {c: np.array(columns[c], dtype=object) for c in boundaries.STANDARD_COLUMNS if c != "alt_names"}
    frame = gpd.GeoDataFrame(
        data, geometry=geometries_from_text(payload["geometry"]), crs=CRS.from_user_input(payload["crs"])
    )
    frame["alt_names"] = columns["alt_names"]
    return frame[boundaries.STANDARD_COLUMNS + ["geometry"]]
