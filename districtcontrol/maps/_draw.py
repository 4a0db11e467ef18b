"""Shapes added to a matplotlib Axes as collections, leaving the drawing to the save.

These draw what geopandas' ``plot`` draws (rings normalised so holes stay holes, one compound
path per polygon, one line collection for lines), but geopandas ends every ``plot``
with ``canvas.draw_idle()``, which on an Agg canvas draws the whole figure at once: a print map
of ten layers drew itself ten times, labels and all, before it was saved, and a sheet of small
multiples far more. Here nothing is drawn until the figure is saved, and polygons go straight
into a PathCollection, without the PathPatch per shape that geopandas makes and its
PatchCollection reads back.
"""

from __future__ import annotations

import numpy as np
import shapely

_RECENT = 8  # lists of shapes whose paths are kept
_recent_paths: dict[tuple[int, ...], tuple[tuple, list, np.ndarray]] = {}


def polygons(ax, geoms, *, color=None, **style):
    """(Multi)polygons as one PathCollection; ``color`` (one, or one per shape) is the fill, as in geopandas."""
    from matplotlib.collections import PathCollection

    values = _values(geoms)
    paths, kept = _polygon_paths(values)
    if color is not None:
        style["facecolor"] = color if isinstance(color, str) else [color[i] for i in kept]
    return _add(ax, PathCollection(list(paths), **style))  # a list of its own; the paths are read-only


def lines(ax, geoms, *, color=None, **style):
    """(Multi)lines as one LineCollection in ``color``."""
    from matplotlib.collections import LineCollection

    shapes, _ = _drawable(geoms)
    parts = shapely.get_parts(shapes)
    if color is not None:
        style["color"] = color
    return _add(ax, LineCollection([np.asarray(p.coords)[:, :2] for p in parts], **style))


def _values(geoms) -> np.ndarray:
    return np.asarray(getattr(geoms, "values", geoms), dtype=object)


def _drawable(geoms) -> tuple[np.ndarray, np.ndarray]:
    """The shapes that can be drawn (normalised, none missing or empty) and where each was in ``geoms``."""
    values = _values(geoms)
    present = np.array([g is not None and not g.is_empty for g in values], dtype=bool)
    return shapely.normalize(values[present]), np.flatnonzero(present)


def _polygon_paths(values: np.ndarray) -> tuple[list, np.ndarray]:
    """One read-only compound path per drawable (multi)polygon of ``values``, and where each was.

    The print maps of a build draw the same districts, provinces and locator again and again
    in other colours, so the paths of the last few lists of shapes are kept, keyed by the
    shapes' identities. The shapes are kept with them (in a tuple of their own, whatever
    happens to the caller's array), so no other shape can take one of their identities while
    their paths are kept.
    """
    key = tuple(map(id, values))
    if (hit := _recent_paths.get(key)) is None:
        from matplotlib.path import Path

        shapes, kept = _drawable(values)
        paths = []
        for shape in shapes:
            rings = [ring for part in shapely.get_parts(shape) for ring in (part.exterior, *part.interiors)]
            path = Path.make_compound_path(*(Path(np.asarray(r.coords)[:, :2], closed=True) for r in rings))
            paths.append(Path(path.vertices, path.codes, readonly=True))
        hit = _recent_paths[key] = (tuple(values), paths, kept)
        while len(_recent_paths) > _RECENT:
            _recent_paths.pop(next(iter(_recent_paths)), None)
    return hit[1], hit[2]


def _add(ax, collection):
    ax.add_collection(collection, autolim=True)
    ax.autoscale_view()
    return collection
