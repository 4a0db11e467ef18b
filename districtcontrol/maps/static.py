"""Print-ready maps with matplotlib: :func:`static_map` returns a Figure; :func:`save_figure` writes PNG/SVG/PDF.

Same content as the HTML maps: the same palette, legend with counts, labels of the affected
districts and the provinces, the neighbouring countries drawn and named with the border
emphasised, province notes, title, source line and attribution, a scale bar and a locator
map (:mod:`districtcontrol.maps._static_surroundings`). Files carry no timestamps, so identical input gives identical bytes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from districtcontrol import _style
from districtcontrol._files import atomic_path
from districtcontrol.maps import _draw, _static_surroundings, _view
from districtcontrol.maps._formats import STATIC_FORMATS
from districtcontrol.maps._prepared import PreparedRegion, prepare_region
from districtcontrol.maps._surroundings import BORDER_NOTE, NATURAL_EARTH_CREDIT

PNG_DPI = 300
FIGURE_WIDTH_IN = 12.0
# Text from tables and boundary files is drawn as it is: "$" never starts mathtext.
PLAIN = {"parse_math": False}
ARROW = {"arrowstyle": "-", "color": "#555555", "lw": 0.4}
MIN_ARROW_PX = 5
LAYOUT_ITERATIONS = 100
# The credit under a caller's Axes: the sizes tried (points), and its distance below the scale bar.
CREDIT_SIZES = (6, 5.5, 5, 4.5, 4)
CREDIT_GAP_PX = 2


def static_map(
    data,
    name: str = "combined",
    *,
    title: str | None = None,
    subtitle: str | None = None,
    credit: str | None = None,
    ax=None,
):
    """A matplotlib Figure of map ``name`` (``combined`` or a group key of the legend).

    ``data`` is what :func:`districtcontrol.geo.load_control` returns, or a prepared region
    (:func:`districtcontrol.maps.prepare_region`), whose label layout is reused when it has
    one. The figure is a plain ``matplotlib.figure.Figure``: pyplot and the caller's backend
    are never touched. With ``ax``, the map is drawn on that Axes (title and subtitle above
    it, attribution below) and its figure is returned. ``title``, ``subtitle`` and
    ``credit`` replace the defaults, as for :func:`districtcontrol.interactive_map`.
    """
    region = prepare_region(data)
    captions = _view.Captions(title, subtitle, credit)
    labels = region.labels if region.labels is not None else label_layout(region)
    own_figure = ax is None
    if own_figure:
        _, ax = _figure(region)
    else:
        _frame(ax, region)
    around = _static_surroundings.draw_surroundings(ax, region)
    _draw_districts(ax, region, name)
    _draw.lines(ax, region.provinces.boundary, color=_style.PROVINCE_EDGE, linewidth=1.1, zorder=2)
    _static_surroundings.draw_border(ax, around)
    _labels(ax, region, name, labels)
    _notes(ax, region, name)
    _legend(ax, region, name)
    bar = _static_surroundings.scale_bar(ax)
    _static_surroundings.locator(ax, region, around)
    if own_figure:
        _titles(ax.figure, region, name, captions)
    else:
        _axes_titles(ax, region, name, captions, bar)
    return ax.figure


@dataclass(frozen=True)
class PlacedLabel:
    """A district or province name where the label layout put it; ``arrow`` joins it to ``anchor``."""

    text: str
    pcode: str | None  # the district's P-code; None for a province
    anchor: tuple[float, float]
    position: tuple[float, float]
    arrow: bool


def label_layout(data) -> tuple[PlacedLabel, ...]:
    """Positions of every district name any map of the region shows, and the province names.

    adjustText moves them apart once per region (the slowest step of a static map); keep
    the result with :meth:`PreparedRegion.with_labels` so each map draws the subset it labels.
    The layout is kept in the user cache, keyed by the labels, their anchors, the region's extent
    and the versions of matplotlib and adjustText (:mod:`districtcontrol._cache`).
    """
    region = prepare_region(data)
    wanted = []
    for row, pt in zip(region.rows, region.simplified.geometry.representative_point()):
        if _view.labelled(row, _view.COMBINED, region.legend):
            wanted.append((row["district"], row["pcode"], (pt.x, pt.y)))
    for prov, pt in zip(region.provinces["province"], region.provinces.geometry.representative_point()):
        wanted.append((prov.upper(), None, (pt.x, pt.y)))
    from importlib import metadata

    from districtcontrol import _cache

    key = {
        "labels": [[text, pcode, list(anchor)] for text, pcode, anchor in wanted],
        "bounds": [float(v) for v in region.simplified.total_bounds],
        "matplotlib": metadata.version("matplotlib"),
        "adjustText": metadata.version("adjustText"),
    }
    return _cache.cached("labels", key, lambda: _place_labels(region, wanted), _encode_labels, _decode_labels)


def _encode_labels(labels) -> list:
    return [
        [x.text, x.pcode, [float(v) for v in x.anchor], [float(v) for v in x.position], bool(x.arrow)] for x in labels
    ]


def _decode_labels(rows: list) -> tuple[PlacedLabel, ...]:
    return tuple(PlacedLabel(t, p, tuple(a), tuple(xy), bool(arrow)) for t, p, a, xy, arrow in rows)


def _place_labels(region: PreparedRegion, wanted: list) -> tuple[PlacedLabel, ...]:
    fig, ax = _figure(region)
    texts = [_label_text(ax, text, anchor, pcode is None) for text, pcode, anchor in wanted]
    # A fixed number of iterations, not adjustText's default one-second budget: the same
    # layout on any machine, and no overlap left on the real data. Leader lines: see _labels.
    from adjustText import adjust_text

    adjust_text(texts, ax=ax, expand=(1.05, 1.25), iter_lim=LAYOUT_ITERATIONS)
    renderer = fig.canvas.get_renderer()
    return tuple(
        PlacedLabel(text, pcode, anchor, tuple(t.get_position()), _needs_arrow(ax, t, anchor, renderer))
        for (text, pcode, anchor), t in zip(wanted, texts)
    )


def _needs_arrow(ax, text, anchor: tuple[float, float], renderer) -> bool:
    """Whether a label moved so far that its point lies more than 5 px outside it (adjustText's rule)."""
    box = text.get_window_extent(renderer)
    x, y = ax.transData.transform(anchor)
    return max(box.x0 - x, x - box.x1, box.y0 - y, y - box.y1) >= MIN_ARROW_PX


def _figure(region: PreparedRegion):
    """A figure sized to the region's extent at its latitude, with the axes framed on it.

    A plain ``Figure`` with an Agg canvas: no pyplot, no global state, any backend left as it is.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    minx, miny, maxx, maxy = region.simplified.total_bounds
    aspect = 1 / math.cos(math.radians((miny + maxy) / 2))
    height = FIGURE_WIDTH_IN * (maxy - miny) * aspect / (maxx - minx) + 1.75
    fig = Figure(figsize=(FIGURE_WIDTH_IN, height))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    fig.subplots_adjust(left=0.01, right=0.99, top=1 - 0.9 / height, bottom=0.65 / height)
    _frame(ax, region)
    return fig, ax


def _frame(ax, region: PreparedRegion) -> None:
    """Limits, aspect (true at the region's latitude) and no axis lines."""
    minx, miny, maxx, maxy = region.simplified.total_bounds
    pad = 0.25
    ax.set_xlim(minx - pad, maxx + pad)
    ax.set_ylim(miny - pad, maxy + pad)
    ax.set_aspect(1 / math.cos(math.radians((miny + maxy) / 2)))
    ax.set_axis_off()


def _draw_districts(ax, region: PreparedRegion, name: str) -> None:
    districts, legend = region.simplified, region.legend
    fills = [_view.fill_colour(row, name, legend) for row in region.rows]
    _draw.polygons(ax, districts.geometry, color=fills, edgecolor=_style.DISTRICT_EDGE, linewidth=0.3, zorder=1)
    partly = districts[[bool(_view.part_of(row)) for row in region.rows]]
    if len(partly):  # a record of a district inside this one: dashed outline, never as if all of it
        _draw.polygons(
            ax, partly.geometry, facecolor="none", edgecolor="#222222", linewidth=1.0, linestyle="--", zorder=2
        )
    if name == _view.COMBINED:
        multi = districts[[len(_view.groups_present(row, legend)) > 1 for row in region.rows]]
        if len(multi):
            hatch = {"facecolor": "none", "edgecolor": _style.MULTI_GROUP_HATCH, "hatch": "////", "linewidth": 0}
            _draw.polygons(ax, multi.geometry, **hatch, zorder=1)
            _draw.polygons(
                ax, multi.geometry, facecolor="none", edgecolor=_style.DISTRICT_EDGE, linewidth=0.3, zorder=1
            )
    named = districts[[bool(row.get(_view.AMBIGUOUS)) for row in region.rows]]
    if len(named):  # districts the source may mean by a name it gives ambiguously
        _draw.polygons(ax, named.geometry, facecolor="none", edgecolor=_style.AMBIGUOUS_EDGE, linewidth=1.4,
                       linestyle=(0, (3, 2)), zorder=2)  # fmt: skip


def _halo(width: float = 2.0):
    import matplotlib.patheffects as pe

    return [pe.withStroke(linewidth=width, foreground="white")]


def _label_text(ax, text: str, xy: tuple[float, float], province: bool):
    if province:
        return ax.text(*xy, text, fontsize=7.5, ha="center", va="center", color="#444444", fontweight="bold",
                       path_effects=_halo(2.5), zorder=5, **PLAIN)  # fmt: skip
    return ax.text(*xy, text, fontsize=6.5, ha="center", va="center", path_effects=_halo(), zorder=6, **PLAIN)


def _labels(ax, region: PreparedRegion, name: str, layout) -> None:
    """The district names this map shows and the province names, as laid out once; countries stay put."""
    from matplotlib.patches import FancyArrowPatch

    from districtcontrol.geo._regions import neighbours

    shown = {row["pcode"] for row in region.rows if _view.labelled(row, name, region.legend)}
    for label in layout:
        if label.pcode is not None and label.pcode not in shown:
            continue
        text = _label_text(ax, label.text, label.position, label.pcode is None)
        if label.arrow:
            ax.add_patch(FancyArrowPatch(posA=label.position, posB=label.anchor, patchA=text, **ARROW))
    for country, lat, lon in neighbours():
        ax.text(lon, lat, country, fontsize=10, ha="center", va="center", color="#777777", style="italic", zorder=5,
                clip_on=True)  # fmt: skip


def _notes(ax, region: PreparedRegion, name: str) -> None:
    legend = region.legend
    for lat, lon, _, note in _view.note_points(region, name):
        ax.plot(
            lon,
            lat,
            marker="o",
            markersize=6,
            markerfacecolor="white",
            markeredgecolor="#111111",
            markeredgewidth=1.5,
            zorder=7,
        )
        status = legend.status_label(note.status).lower()
        text = f"{legend.group_label(note.group)}: {status}\n({note.province} province, no district named)"
        ax.text(
            lon + 0.12, lat, text, fontsize=6, va="center", fontweight="bold", path_effects=_halo(), zorder=7, **PLAIN
        )


def _legend(ax, region: PreparedRegion, name: str) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = []
    for colour, label, count in _view.legend_entries(region.rows, name, region.legend):
        if colour == "hatch":
            handles.append(
                Patch(facecolor="white", edgecolor=_style.MULTI_GROUP_HATCH, hatch="////", label=f"{label} — {count}")
            )
        elif colour == _view.DASHED:
            dashed = {"edgecolor": _style.AMBIGUOUS_EDGE, "linestyle": (0, (3, 2)), "linewidth": 1.1}
            handles.append(Patch(facecolor="white", **dashed, label=f"{label} — {count}"))
        else:
            handles.append(Patch(facecolor=colour, edgecolor="#777777", label=f"{label} — {count}"))
    if any(_view.shows_note(n, name) for n in region.data.notes):
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="none",
                markerfacecolor="white",
                markeredgecolor="#111111",
                label="Province-level note",
            )
        )
    legend = ax.legend(
        handles=handles,
        title=_view.legend_title(name, region.legend),
        loc="lower right",
        fontsize=7.5,
        title_fontsize=8,
        frameon=True,
    )
    legend.get_frame().set_alpha(0.92)
    legend._legend_box.align = "left"


def _titles(fig, region: PreparedRegion, name: str, captions) -> None:

    text = region.text(name, captions)
    height = fig.get_figheight()
    fig.suptitle(text.title, fontsize=13, fontweight="bold", y=0.985, **PLAIN)
    below = "\n".join(x for x in (text.subtitle, *text.notes) if x)
    fig.text(0.5, 1 - 0.5 / height, below, ha="center", va="top", fontsize=8.5, color="#333333", **PLAIN)
    credit = f"{text.attribution}\n{NATURAL_EARTH_CREDIT} · {BORDER_NOTE}"
    fig.text(0.99, 0.08 / height, credit, ha="right", va="bottom", fontsize=7, color="#444444", **PLAIN)


def _axes_titles(ax, region: PreparedRegion, name: str, captions, below) -> None:
    """Title and subtitle above a caller's Axes, and the credit below the scale bar, wrapped to the axes' width.

    ``below`` are the artists already under the axes (the scale bar): the credit goes under them,
    wrapped to the axes' width, in the largest size that stays inside the figure; where no size
    fits, it goes inside the axes along their bottom edge, on a white ground.
    """

    text = region.text(name, captions)
    ax.apply_aspect()
    axes_box = ax.get_window_extent()
    title = ax.set_title("", fontsize=9, **PLAIN)
    lines = [_wrapped(title, [line], axes_box.width) for line in (text.title, text.subtitle, *text.notes) if line]
    title.set_text("\n".join(lines))
    parts = [*text.attribution.split(" · "), NATURAL_EARTH_CREDIT, BORDER_NOTE]
    top = min(artist.get_window_extent().y0 for artist in below) - CREDIT_GAP_PX
    credit = ax.text(0, 0, "", transform=ax.transAxes, ha="left", va="top", color="#444444", **PLAIN)
    for size in CREDIT_SIZES:
        credit.set_fontsize(size)
        credit.set_text(_wrapped(credit, parts, axes_box.width))
        credit.set_position((0, ax.transAxes.inverted().transform((axes_box.x0, top))[1]))
        if credit.get_window_extent().y0 >= ax.figure.bbox.y0:
            return
    credit.set_position((0.005, 0.005))
    credit.set_verticalalignment("bottom")
    credit.set_bbox({"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1})
    credit.set_zorder(9)


def _wrapped(text, parts: list[str], width: float) -> str:
    """``parts`` joined by " · " into lines no wider than ``width`` pixels at ``text``'s size; long parts break at spaces."""
    lines: list[str] = []
    for part in parts:
        for i, word in enumerate(part.split(" ")):
            candidate = f"{lines[-1]}{' ' if i else ' · '}{word}" if lines else word
            text.set_text(candidate)
            if lines and text.get_window_extent().width <= width:
                lines[-1] = candidate
            else:
                lines.append(word)
    return "\n".join(lines)


def save_figure(fig, path: str | Path) -> Path:
    """Write a figure as PNG (300 dpi), SVG or PDF, by suffix, atomically and without timestamps."""
    import matplotlib

    path = Path(path)
    fmt = path.suffix.lstrip(".").lower()
    if fmt not in STATIC_FORMATS:
        from districtcontrol import DistrictControlError

        raise DistrictControlError(
            f"cannot write '{path.name}': use {', '.join('.' + f for f in STATIC_FORMATS)} for a static map, or .html"
        )
    if fmt == "png":
        with atomic_path(path) as tmp:
            _write_png(fig, tmp)
        return path
    metadata = {
        "svg": {"Date": None, "Creator": None},
        "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
    }
    with matplotlib.rc_context({"svg.hashsalt": "districtcontrol", "svg.fonttype": "path"}), atomic_path(path) as tmp:
        fig.savefig(tmp, format=fmt, dpi=PNG_DPI, metadata=metadata[fmt], facecolor="white")
    return path


def _write_png(fig, path: Path) -> None:
    """An opaque RGB PNG at 300 dpi with no metadata (:mod:`districtcontrol.maps._png`)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from districtcontrol.maps._png import write_rgb_png

    dpi = fig.dpi
    fig.set_dpi(PNG_DPI)
    try:
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        write_rgb_png(path, canvas.buffer_rgba(), PNG_DPI)
    finally:
        fig.set_dpi(dpi)
