"""What the static maps draw around the region: neighbouring countries, the border, a scale bar, a locator.

Shapes come from :mod:`districtcontrol.maps._surroundings`; everything is drawn on a
plain matplotlib Axes in lon/lat, like the districts.
"""

from __future__ import annotations

import functools
import math

from districtcontrol.maps import _draw
from districtcontrol.maps import _surroundings as around_
from districtcontrol.maps._surroundings import Surroundings

NICE_KM = (10, 20, 25, 50, 100, 150, 200, 250, 500, 1000)
LOCATOR_SIZE = 0.13  # of the axes' width
PLAIN = {"parse_math": False}


def draw_surroundings(ax, region) -> Surroundings:
    """Neighbouring countries (fill, and their borders with each other) and the rest of Afghanistan, under the districts."""

    around = around_.surroundings(region, around_.static_box(region))
    if around.countries:
        _draw.polygons(ax, [geom for _, geom in around.countries], color=around_.NEIGHBOUR_FILL, linewidth=0, zorder=0)
    if not around.country_borders.is_empty:
        _draw.lines(ax, [around.country_borders], color=around_.NEIGHBOUR_EDGE, linewidth=0.8, zorder=0.2)
    if not around.rest.is_empty:
        rest = {"color": around_.REST_FILL, "edgecolor": around_.REST_EDGE, "linewidth": 0.5}
        _draw.polygons(ax, [around.rest], **rest, zorder=0.4)
    return around


def draw_border(ax, around: Surroundings) -> None:
    """The international border along the region, over the province boundaries."""

    if not around.border.is_empty:
        _draw.lines(ax, [around.border], color=around_.BORDER_COLOUR, linewidth=1.9, zorder=2.5)


def scale_bar(ax) -> list:
    """A bar of a round number of km below the map's lower left corner, true at the map's middle latitude.

    Returns its artists (the bar's halves and its numbers).
    """
    from matplotlib.patches import Rectangle

    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    km_per_deg = 111.32 * math.cos(math.radians((y0 + y1) / 2))
    width_km = (x1 - x0) * km_per_deg
    km = min(NICE_KM, key=lambda k: abs(k - width_km / 7))
    length = km / width_km  # in axes fractions
    y, h = -0.018, 0.008
    artists = []
    for i, colour in enumerate(("#222222", "#FFFFFF")):
        artists.append(ax.add_patch(
            Rectangle((0.01 + i * length / 2, y), length / 2, h, transform=ax.transAxes, clip_on=False,
                      facecolor=colour, edgecolor="#222222", linewidth=0.6, zorder=8)
        ))  # fmt: skip
    for fraction, text in ((0, "0"), (0.5, f"{km // 2:g}" if km % 2 == 0 else f"{km / 2:g}"), (1, f"{km} km")):
        artists.append(ax.text(0.01 + fraction * length, y - 0.004, text, transform=ax.transAxes, ha="center",
                               va="top", fontsize=6.5, color="#222222", **PLAIN))  # fmt: skip
    return artists


def locator(ax, region, around: Surroundings) -> None:
    """A small map of Afghanistan with the region dark, in the corner of the map the region leaves emptiest."""

    if around.rest.is_empty:
        return  # the region is the whole country
    inside, country = _locator_shapes(around_._RegionKey(region), around.rest)
    minx, miny, maxx, maxy = country.bounds
    aspect = 1 / math.cos(math.radians((miny + maxy) / 2))
    width = LOCATOR_SIZE
    height = width * (maxy - miny) * aspect / (maxx - minx) * _axes_ratio(ax)
    corner = _emptiest_corner(ax, inside, width, height)
    inset = ax.inset_axes([*corner, width, height])
    _draw.polygons(inset, [country], color="#DDDDDD", edgecolor="#777777", linewidth=0.4)
    _draw.polygons(inset, [inside], color="#444444", linewidth=0)
    pad = 0.4
    inset.set_xlim(minx - pad, maxx + pad)
    inset.set_ylim(miny - pad, maxy + pad)
    inset.set_aspect(aspect)
    inset.set_xticks([])
    inset.set_yticks([])
    inset.set_xlabel("")
    inset.set_ylabel("")
    inset.set_facecolor("white")
    for spine in inset.spines.values():
        spine.set_edgecolor("#888888")
        spine.set_linewidth(0.6)
    inset.text(0.5, 0.02, "Afghanistan", transform=inset.transAxes, ha="center", va="bottom", fontsize=6,
               color="#333333", **PLAIN)  # fmt: skip


@functools.lru_cache(maxsize=4)
def _locator_shapes(key, rest) -> tuple[object, object]:
    """The region as one shape and the whole country simplified for the locator, once per region."""
    import shapely

    inside = shapely.coverage_union_all(key.region.simplified.geometry.values)
    return inside, shapely.simplify(shapely.union(inside, rest), 0.03)


def _axes_ratio(ax) -> float:
    """Width over height of the axes on the figure (after the map's fixed aspect is applied)."""
    ax.apply_aspect()
    box = ax.get_position()
    fig_w, fig_h = ax.figure.get_size_inches()
    return (box.width * fig_w) / (box.height * fig_h)


def _emptiest_corner(ax, region_shape, width: float, height: float) -> tuple[float, float]:
    """Lower-left corner (axes fractions) of the top-left, top-right or bottom-left box covering least of the region."""
    import shapely

    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    margin = 0.01
    corners = [(margin, 1 - margin - height), (1 - margin - width, 1 - margin - height), (margin, margin)]

    def covered(corner):
        cx, cy = corner
        box = shapely.box(x0 + cx * (x1 - x0), y0 + cy * (y1 - y0), x0 + (cx + width) * (x1 - x0),
                          y0 + (cy + height) * (y1 - y0))  # fmt: skip
        return shapely.area(shapely.intersection(box, region_shape))

    return min(corners, key=covered)
