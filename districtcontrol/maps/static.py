"""Print-ready maps with matplotlib: :func:`static_map` returns a Figure; :func:`save_figure` writes PNG/SVG/PDF.

Same content as the HTML maps: the same palette, legend with counts, labels of the affected
districts and the provinces, neighbouring countries named, province notes, title, source
line and attribution. Files carry no timestamps, so identical input gives identical bytes.
"""

from __future__ import annotations

import math
from pathlib import Path

from districtcontrol.data.table import GROUP_LABELS
from districtcontrol.geo.files import atomic_path
from districtcontrol.maps import style

PNG_DPI = 300
FIGURE_WIDTH_IN = 12.0
STATIC_FORMATS = ("png", "svg", "pdf")
# Text from tables and boundary files is drawn as it is: "$" never starts mathtext.
PLAIN = {"parse_math": False}


def static_map(data, name: str = "combined", *, source: str | None = None):
    """A matplotlib Figure of map ``name`` (``combined``, ``taliban``, ``is`` or ``imu``)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    districts = data.simplified
    minx, miny, maxx, maxy = districts.total_bounds
    aspect = 1 / math.cos(math.radians((miny + maxy) / 2))
    height = FIGURE_WIDTH_IN * (maxy - miny) * aspect / (maxx - minx) + 1.6
    fig, ax = plt.subplots(figsize=(FIGURE_WIDTH_IN, height))
    fig.subplots_adjust(left=0.01, right=0.99, top=1 - 0.9 / height, bottom=0.5 / height)
    _draw_districts(ax, districts, name)
    data.provinces.boundary.plot(ax=ax, color=style.PROVINCE_EDGE, linewidth=1.1)
    _labels(ax, districts, data.provinces, name)
    _notes(ax, data, name)
    _frame(ax, minx, miny, maxx, maxy, aspect)
    _legend(ax, data, name)
    _titles(fig, data, name, source)
    return fig


def _draw_districts(ax, districts, name: str) -> None:
    fills = [
        style.STATUS_COLOURS.get(style.map_status(row, name), style.NO_RECORD_COLOUR) for _, row in districts.iterrows()
    ]
    districts.plot(ax=ax, color=fills, edgecolor=style.DISTRICT_EDGE, linewidth=0.3)
    if name == "combined":
        multi = districts[[len(style.groups_present(row)) > 1 for _, row in districts.iterrows()]]
        if len(multi):
            multi.plot(ax=ax, facecolor="none", edgecolor=style.MULTI_GROUP_HATCH, hatch="////", linewidth=0)
            multi.plot(ax=ax, facecolor="none", edgecolor=style.DISTRICT_EDGE, linewidth=0.3)


def _halo(width: float = 2.0):
    import matplotlib.patheffects as pe

    return [pe.withStroke(linewidth=width, foreground="white")]


def _labels(ax, districts, provinces, name: str) -> None:
    """District and province labels, moved apart by adjustText so none overlap; countries stay put."""
    from adjustText import adjust_text

    texts = []
    for (_, row), pt in zip(districts.iterrows(), districts.geometry.representative_point()):
        if style.labelled(row, name):
            texts.append(
                ax.text(
                    pt.x,
                    pt.y,
                    row["district"],
                    fontsize=6.5,
                    ha="center",
                    va="center",
                    path_effects=_halo(),
                    zorder=6,
                    **PLAIN,
                )
            )
    for prov, pt in zip(provinces["province"], provinces.geometry.representative_point()):
        texts.append(
            ax.text(
                pt.x,
                pt.y,
                prov.upper(),
                fontsize=7.5,
                ha="center",
                va="center",
                color="#444444",
                fontweight="bold",
                path_effects=_halo(2.5),
                zorder=5,
                **PLAIN,
            )
        )
    adjust_text(texts, ax=ax, expand=(1.05, 1.25), arrowprops={"arrowstyle": "-", "color": "#555555", "lw": 0.4})
    for country, lat, lon in style.neighbours():
        ax.text(
            lon,
            lat,
            country,
            fontsize=10,
            ha="center",
            va="center",
            color="#777777",
            style="italic",
            zorder=5,
            clip_on=True,
        )


def _notes(ax, data, name: str) -> None:
    points = dict(zip(data.provinces["province_pcode"], data.provinces.geometry.representative_point()))
    for i, note in enumerate(n for n in data.notes if name in ("combined", n.group)):
        pt = points[note.province_pcode]
        lat, lon = pt.y - 0.3 - 0.25 * i, pt.x
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
        text = f"{GROUP_LABELS[note.group]}: {style.STATUS_LABELS[note.status].lower()}\n({note.province} province, no district named)"
        ax.text(
            lon + 0.12, lat, text, fontsize=6, va="center", fontweight="bold", path_effects=_halo(), zorder=7, **PLAIN
        )


def _frame(ax, minx, miny, maxx, maxy, aspect) -> None:
    pad = 0.25
    ax.set_xlim(minx - pad, maxx + pad)
    ax.set_ylim(miny - pad, maxy + pad)
    ax.set_aspect(aspect)
    ax.set_axis_off()


def _legend(ax, data, name: str) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = []
    for colour, label, count in style.legend_entries(data.rows, name):
        if colour == "hatch":
            handles.append(
                Patch(facecolor="white", edgecolor=style.MULTI_GROUP_HATCH, hatch="////", label=f"{label} ({count})")
            )
        else:
            handles.append(Patch(facecolor=colour, edgecolor="#777777", label=f"{label} ({count})"))
    if any(name in ("combined", n.group) for n in data.notes):
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
    title = "All groups" if name == "combined" else GROUP_LABELS[name]
    legend = ax.legend(
        handles=handles,
        title=f"{title}: districts by status",
        loc="lower right",
        fontsize=7.5,
        title_fontsize=8,
        frameon=True,
    )
    legend.get_frame().set_alpha(0.92)
    legend._legend_box.align = "left"


def _titles(fig, data, name: str, source: str | None) -> None:
    text = style.map_text(name, data.table, source)
    fig.suptitle(text.title, fontsize=13, fontweight="bold", y=0.985, **PLAIN)
    fig.text(0.5, 1 - 0.62 / fig.get_figheight(), text.source, ha="center", fontsize=8.5, color="#333333", **PLAIN)
    fig.text(0.99, 0.15 / fig.get_figheight(), text.attribution, ha="right", fontsize=7, color="#444444", **PLAIN)


def save_figure(fig, path: str | Path) -> Path:
    """Write a figure as PNG (300 dpi), SVG or PDF, by suffix, atomically and without timestamps."""
    import matplotlib

    path = Path(path)
    fmt = path.suffix.lstrip(".").lower()
    if fmt not in STATIC_FORMATS:
        from districtcontrol import DistrictControlError

        raise DistrictControlError(f"cannot write '{path.name}': use .png, .svg or .pdf for a static map, or .html")
    metadata = {
        "png": {"Software": None},
        "svg": {"Date": None, "Creator": None},
        "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
    }[fmt]
    with matplotlib.rc_context({"svg.hashsalt": "districtcontrol", "svg.fonttype": "path"}), atomic_path(path) as tmp:
        fig.savefig(tmp, format=fmt, dpi=PNG_DPI, metadata=metadata, facecolor="white")
    return path
