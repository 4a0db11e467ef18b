"""Shapes added to a matplotlib Axes as collections, leaving the drawing to the save.

These add the collections geopandas' ``plot`` adds (rings normalised so holes stay holes, one
compound path per polygon, one line collection for lines), but geopandas ends every ``plot``
with ``canvas.draw_idle()``, which on an Agg canvas draws the whole figure at once: a print map
of ten layers drew itself ten times, labels and all, before it was saved, and a sheet of small
multiples far more. Here nothing is drawn until the figure is saved.
"""

from __future__ import annotations

import numpy as np
import shapely


def polygons(ax, geoms, *, color=None, **style):
    """(Multi)polygons as one PatchCollection; ``color`` (one, or one per shape) is the fill, as in geopandas."""
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    shapes, kept = _drawable(geoms)
    if color is not None:
        style["facecolor"] = color if isinstance(color, str) else [color[i] for i in kept]
    patches = []
    for shape in shapes:
        rings = [ring for part in shapely.get_parts(shape) for ring in (part.exterior, *part.interiors)]
        path = Path.make_compound_path(*(Path(np.asarray(r.coords)[:, :2], closed=True) for r in rings))
        patches.append(PathPatch(path))
    return _add(ax, PatchCollection(patches, **style))


def lines(ax, geoms, *, color=None, **style):
    """(Multi)lines as one LineCollection in ``color``."""
    from matplotlib.collections import LineCollection

    shapes, _ = _drawable(geoms)
    parts = shapely.get_parts(shapes)
    if color is not None:
        style["color"] = color
    return _add(ax, LineCollection([np.asarray(p.coords)[:, :2] for p in parts], **style))


def _drawable(geoms) -> tuple[np.ndarray, np.ndarray]:
    """The shapes that can be drawn (normalised, none missing or empty) and where each was in ``geoms``."""
    values = np.asarray(getattr(geoms, "values", geoms), dtype=object)
    present = np.array([g is not None and not g.is_empty for g in values], dtype=bool)
    return shapely.normalize(values[present]), np.flatnonzero(present)


def _add(ax, collection):
    ax.add_collection(collection, autolim=True)
    ax.autoscale_view()
    return collection
