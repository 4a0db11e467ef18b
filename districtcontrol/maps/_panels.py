"""The panels of the small multiples: one outline of the region coarse enough for a panel, turned into paths once.

A panel of ``timeline.<fmt>`` is 3–6 inches wide. The print maps' outlines (within 500 m of the
boundary file) carry detail no panel can show, and drawn in full on every panel they made an
SVG of 14 MB for six panels of the whole country. The panels share one geometry instead:

- the districts simplified once more as a coverage (``shapely.coverage_simplify``: neighbours
  keep sharing their edges, no district is lost) to half a pixel at 300 dpi at the panel's
  scale, and the province lines dissolved from them, each edge once; kept in the user cache
  (:mod:`districtcontrol._cache`), keyed by the print outlines and the tolerance;
- the neighbouring countries, the rest of Afghanistan and the border, clipped to the panel's
  frame and simplified to the same tolerance;
- all of it turned once into matplotlib paths in a panel's own inches, on a grid of 0.1 pt
  (0.4 pixel at 300 dpi), so SVG and PDF write short numbers.

Every panel draws the same paths, moved to its corner, one collection per layer; only the fills,
the hatching and the dashed outlines change from panel to panel. The scale bar and the locator,
the same for every panel, are drawn once, on the first.
"""

from __future__ import annotations

from dataclasses import dataclass

from districtcontrol import _style
from districtcontrol.maps import _surroundings as around_
from districtcontrol.maps import _view

TOLERANCE_PX = 1.0  # the coverage simplification: one pixel at 300 dpi at the panel scale (85 µm, below what the eye resolves at reading distance)
PANEL_DPI = 300
GRID_IN = 1 / 720  # every vertex on a grid of 0.1 pt
FRAME_MARGIN = 0.02  # the surroundings are clipped to the frame and this much (of its size) around it


@dataclass(frozen=True)
class PanelBase:
    """What every panel draws alike: paths in inches from a panel's lower left corner, and its tolerance."""

    districts: list  # one Path per district, in the order of the region's rows
    province_lines: list  # (n, 2) arrays, each edge between provinces (and along the region's outline) once
    border: list  # (n, 2) arrays of the international border along the region
    countries: list  # one Path per neighbouring country
    country_borders: list  # (n, 2) arrays where two neighbours meet
    rest: list  # the rest of Afghanistan (a Path, or none)
    tolerance: float  # degrees


def draw_panels(axes: list, region, name: str, panels: list[list[dict]]) -> PanelBase:
    """Map ``name`` on each of ``axes`` with its rows in ``panels``: framed alike, one base of paths for all.

    The axes must be the same size (a grid of subplots); the first gets the scale bar and, for a
    region smaller than the country, the locator.
    """
    from districtcontrol.maps import _static_surroundings
    from districtcontrol.maps.static import _frame

    for ax in axes:
        _frame(ax, region)
        ax.apply_aspect()
    base = panel_base(region, axes[0])
    for ax, rows in zip(axes, panels):
        draw_panel(ax, base, rows, name, region)
    _static_surroundings.scale_bar(axes[0])
    _static_surroundings.locator(axes[0], region, around_.surroundings(region, around_.static_box(region)))
    return base


def panel_base(region, ax) -> PanelBase:
    """The shared paths of panels framed like ``ax`` (limits and aspect applied)."""
    import shapely

    to_inches, frame = _inches_transform(ax)
    tolerance = panel_tolerance(ax)
    districts, province_lines = coarse_shapes(region, tolerance)
    around = around_.surroundings(region, around_.static_box(region))
    width, height = frame[2] - frame[0], frame[3] - frame[1]
    clip = shapely.box(
        frame[0] - FRAME_MARGIN * width,
        frame[1] - FRAME_MARGIN * height,
        frame[2] + FRAME_MARGIN * width,
        frame[3] + FRAME_MARGIN * height,
    )

    def context(geom):
        return shapely.simplify(shapely.intersection(geom, clip), tolerance)

    countries = [context(geom) for _, geom in around.countries]
    return PanelBase(
        districts=polygon_paths(districts, to_inches),
        province_lines=line_arrays(province_lines, to_inches),
        border=line_arrays(context(around.border), to_inches),
        countries=polygon_paths([g for g in countries if not g.is_empty], to_inches),
        country_borders=line_arrays(context(around.country_borders), to_inches),
        rest=[] if around.rest.is_empty else polygon_paths([context(around.rest)], to_inches),
        tolerance=tolerance,
    )


def _inches_transform(ax):
    """Lon/lat to inches from the axes' lower left corner, and the frame (x0, y0, x1, y1) in lon/lat."""
    from matplotlib.transforms import Affine2D

    box = ax.get_position()
    width_in, height_in = ax.figure.get_size_inches()
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    scale = (box.width * width_in / (x1 - x0), box.height * height_in / (y1 - y0))
    return Affine2D().translate(-x0, -y0).scale(*scale), (x0, y0, x1, y1)


def panel_tolerance(ax) -> float:
    """:data:`TOLERANCE_PX` pixels at 300 dpi, in degrees of latitude at the scale of ``ax``, to two figures.

    Rounded so panels of about the same scale share one entry in the cache.
    """
    box = ax.get_position()
    (y0, y1) = ax.get_ylim()
    inches_per_degree = box.height * ax.figure.get_figheight() / (y1 - y0)
    return float(f"{TOLERANCE_PX / (inches_per_degree * PANEL_DPI):.2g}")


def coarse_shapes(region, tolerance: float) -> tuple[object, object]:
    """The region's districts simplified as a coverage to ``tolerance`` degrees, and their province lines.

    From the user cache when there; the key is the print outlines (a sha256 of their WKB), the
    P-codes, the provinces and the tolerance.
    """
    from districtcontrol import _cache

    simplified = region.simplified
    key = {
        "geometry": _cache.geometry_digest(simplified.geometry.values),
        "pcodes": list(simplified["pcode"]),
        "provinces": list(simplified["province_pcode"]),
        "tolerance": tolerance,
    }
    return _cache.cached(
        "panels",
        key,
        lambda: _compute_coarse(simplified, tolerance),
        _encode_coarse,
        lambda payload: _decode_coarse(payload, len(simplified)),
    )


def _compute_coarse(simplified, tolerance: float) -> tuple[object, object]:
    import shapely

    from districtcontrol.geo._regions import dissolve_provinces
    from districtcontrol.maps._simplify import province_lines

    geoms = shapely.coverage_simplify(simplified.geometry.values, tolerance, simplify_boundary=True)
    coarse = simplified.set_geometry(geoms, crs=simplified.crs)
    return geoms, province_lines(dissolve_provinces(coarse))


def _encode_coarse(shapes: tuple[object, object]) -> dict:
    from districtcontrol._cache import geometries_to_text

    districts, lines = shapes
    return {"districts": geometries_to_text(districts), "province_lines": geometries_to_text([lines])}


def _decode_coarse(payload: dict, count: int) -> tuple[object, object]:
    from districtcontrol._cache import geometries_from_text

    districts = geometries_from_text(payload["districts"])
    if len(districts) != count:
        raise ValueError("the entry has another number of districts")
    (lines,) = geometries_from_text(payload["province_lines"])
    return districts, lines


def polygon_paths(geoms, to_inches) -> list:
    """One compound ``Path`` per (multi)polygon, in inches on the grid: exteriors counter-clockwise, holes clockwise."""
    import numpy as np
    import shapely
    from matplotlib.path import Path

    parts, owner = shapely.get_parts(shapely.orient_polygons(np.asarray(geoms, dtype=object)), return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    points, starts = _on_grid(rings, to_inches)
    codes = np.full(len(points), Path.LINETO, dtype=np.uint8)
    codes[starts[:-1]] = Path.MOVETO
    codes[starts[1:] - 1] = Path.CLOSEPOLY
    ring_owner = owner[ring_part]
    paths = []
    for i in range(len(geoms)):
        mine = np.flatnonzero(ring_owner == i)
        span = slice(starts[mine[0]], starts[mine[-1] + 1]) if len(mine) else slice(0, 0)
        paths.append(Path(points[span], codes[span]))
    return paths


def line_arrays(geom, to_inches) -> list:
    """The lines of ``geom`` (any lines or polygons' outlines) as (n, 2) arrays in inches on the grid."""
    import shapely

    if geom is None or geom.is_empty:
        return []
    lines = shapely.get_parts(
        shapely.line_merge(shapely.boundary(geom)) if geom.geom_type.endswith("Polygon") else geom
    )
    lines = lines[shapely.get_type_id(lines) <= 2]  # LineStrings and LinearRings
    points, starts = _on_grid(lines, to_inches)
    return [points[a:b] for a, b in zip(starts[:-1], starts[1:]) if b - a >= 2]


def _on_grid(lines, to_inches):
    """The vertices of ``lines`` in inches on the grid without repeats in a row (each line keeps its ends),
    and where each line starts (one more entry: the end)."""
    import numpy as np
    import shapely

    coords, index = shapely.get_coordinates(lines, return_index=True)
    grid = np.round(to_inches.transform(coords) / GRID_IN) if len(coords) else np.empty((0, 2))
    first = np.r_[True, index[1:] != index[:-1]] if len(index) else np.empty(0, dtype=bool)
    last = np.r_[first[1:], True] if len(index) else first
    repeat = np.r_[False, np.all(grid[1:] == grid[:-1], axis=1)] if len(index) else first
    keep = first | last | ~repeat
    kept = index[keep]
    starts = np.searchsorted(kept, np.arange(len(lines) + 1))
    return grid[keep] * GRID_IN, starts


def draw_panel(ax, base: PanelBase, rows: list[dict], name: str, region) -> None:
    """One panel: the surroundings, the districts filled by their status in map ``name``, provinces, border, notes."""
    from matplotlib.collections import LineCollection, PathCollection
    from matplotlib.transforms import Affine2D

    box = ax.get_position()
    width_in, height_in = ax.figure.get_size_inches()
    corner = (round(box.x0 * width_in / GRID_IN) * GRID_IN, round(box.y0 * height_in / GRID_IN) * GRID_IN)
    transform = Affine2D().translate(*corner) + ax.figure.dpi_scale_trans

    def add(collection) -> None:
        collection.set_transform(transform)
        ax.add_collection(collection, autolim=False)

    if base.countries:
        add(PathCollection(base.countries, facecolors=around_.NEIGHBOUR_FILL, linewidths=0, zorder=0))
    if base.country_borders:
        add(LineCollection(base.country_borders, colors=around_.NEIGHBOUR_EDGE, linewidths=0.8, zorder=0.2))
    if base.rest:
        add(PathCollection(base.rest, facecolors=around_.REST_FILL, edgecolors=around_.REST_EDGE, linewidths=0.5,
                           zorder=0.4))  # fmt: skip
    for collection in _district_layers(base, rows, name, region.legend):
        add(collection)
    round_ends = {"capstyle": "round", "joinstyle": "round"}
    add(LineCollection(base.province_lines, colors=_style.PROVINCE_EDGE, linewidths=1.1, zorder=2, **round_ends))
    if base.border:
        add(LineCollection(base.border, colors=around_.BORDER_COLOUR, linewidths=1.9, zorder=2.5, **round_ends))
    _note_marks(ax, region, name)


def _district_layers(base: PanelBase, rows: list[dict], name: str, legend) -> list:
    """The districts' fills and outlines, hatching where several groups are, dashed outlines as on the print maps."""
    from matplotlib.collections import PathCollection

    edge = {"edgecolors": _style.DISTRICT_EDGE, "linewidths": 0.3}
    fills = [_view.fill_colour(row, name, legend) for row in rows]
    layers = [PathCollection(base.districts, facecolors=fills, zorder=1, **edge)]

    def some(keep) -> list:
        return [path for path, row in zip(base.districts, rows) if keep(row)]

    if name == _view.COMBINED and (multi := some(lambda row: len(_view.groups_present(row, legend)) > 1)):
        layers.append(PathCollection(multi, facecolors="none", edgecolors=_style.MULTI_GROUP_HATCH, hatch="////",
                                     linewidths=0, zorder=1))  # fmt: skip
        layers.append(PathCollection(multi, facecolors="none", zorder=1, **edge))
    if partly := some(lambda row: bool(_view.part_of(row))):  # a record of a district inside this one
        layers.append(PathCollection(partly, facecolors="none", edgecolors="#222222", linewidths=1.0,
                                     linestyles="--", zorder=2))  # fmt: skip
    if named := some(lambda row: bool(row.get(_view.AMBIGUOUS))):  # the districts an ambiguous name may mean
        layers.append(PathCollection(named, facecolors="none", edgecolors=_style.AMBIGUOUS_EDGE, linewidths=1.4,
                                     linestyles=[(0, (3, 2))], zorder=2))  # fmt: skip
    return layers


def _note_marks(ax, region, name: str) -> None:
    """The province-level notes' points, as on the print maps (their words are in the print maps' legends)."""
    for lat, lon, _, _ in _view.note_points(region, name):
        ax.plot(lon, lat, marker="o", markersize=6, markerfacecolor="white", markeredgecolor="#111111",
                markeredgewidth=1.5, zorder=7)  # fmt: skip
