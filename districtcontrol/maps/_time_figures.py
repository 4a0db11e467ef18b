"""Time in print and data: the change table, small multiples of a map at several dates, the chart of change.

All three exist only for a region with a timeline (:func:`districtcontrol.geo._time.time_steps`:
two or more distinct dates, every district row dated); they use every distinct date, not the
thinned steps of the HTML control. Figures are plain matplotlib Figures (no pyplot).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from pathlib import Path

from districtcontrol import DistrictControlError, _style
from districtcontrol.data.legend import NONE_STATUS
from districtcontrol.maps import _view

DEFAULT_PANELS = 6
TIMELINE_CSV_COLUMNS = ("pcode", "district", "province", "group", "date", "status")
PLAIN = {"parse_math": False}
FIGURE_WIDTH_IN = 12.0


def all_steps(data):
    """Every distinct date of a region's rows with the statuses at each, or None when it has no timeline."""
    from districtcontrol.geo._time import time_steps

    return time_steps(getattr(data, "data", data), max_steps=None)


def timeline_csv(region) -> str:
    """``timeline.csv``: one row per change of a group's status in a district (``none``: cleared), by date."""
    from districtcontrol.geo._time import changes

    steps = all_steps(region)
    rows = {row["pcode"]: row for row in region.rows}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(TIMELINE_CSV_COLUMNS)
    for change in changes(steps):
        row = rows[change.pcode]
        writer.writerow([change.pcode, row["district"], row["province"], change.group, change.date, change.status])
    return out.getvalue()


def panel_dates(region, dates: int | Sequence[str] | None = None, option: str = "--dates") -> list:
    """The periods the small multiples show: ``dates`` of the region's dates, spaced evenly in time
    (default 6, first and last included; one: the last), or the dates given, each checked like
    ``--as-of``."""
    from districtcontrol.geo._time import period, resolve_as_of

    periods = list(all_steps(region).periods)
    if dates is None or isinstance(dates, int):
        count = DEFAULT_PANELS if dates is None else dates
        if count < 1:
            raise DistrictControlError(f"give at least one date, not {count}", option)
        return _spread(periods, count)
    chosen = [resolve_as_of(d, [p.text for p in periods], option) for d in dates]
    shown = period(region.data.as_of)
    late = [p.text for p in chosen if p.end > shown.end]
    if late:
        raise DistrictControlError(f"{', '.join(late)} is after the date the maps show ({shown.words})", option)
    return sorted(chosen, key=lambda p: p.end)


def _spread(periods: list, count: int) -> list:
    """``count`` of the periods, spaced evenly in time (the nearest date to each even step), the first
    and the last included."""
    if count >= len(periods):
        return periods
    if count == 1:
        return [periods[-1]]
    first, last = periods[0].end, periods[-1].end
    chosen = {0, len(periods) - 1}
    for i in range(1, count - 1):
        target = first + (last - first) * i / (count - 1)
        free = [k for k in range(len(periods)) if k not in chosen]
        chosen.add(min(free, key=lambda k: (abs(periods[k].end - target), k)))
    return [periods[k] for k in sorted(chosen)]


def rows_as_of(region, periods: list) -> list[list[dict]]:
    """The region's district rows as of each period's last day."""
    from districtcontrol.geo._time import series_rows, statuses_at

    data = region.data
    statuses = statuses_at(series_rows(data.records, data.provinces), [p.end for p in periods])
    groups = region.legend.group_keys
    return [[{**row, **{g: now.get((row["pcode"], g)) for g in groups}} for row in region.rows] for now in statuses]


def timeline_figure(region, name: str = _view.COMBINED, dates: int | Sequence[str] | None = None, captions=None):
    """Small multiples of map ``name`` at several dates (:func:`panel_dates`), sharing one legend."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from districtcontrol.maps._panels import GRID_IN, draw_panels

    periods = panel_dates(region, dates)
    panels = rows_as_of(region, periods)
    cols = 2 if len(periods) == 4 else min(len(periods), 3)
    lines = math.ceil(len(periods) / cols)
    panel_height = _panel_height(region, FIGURE_WIDTH_IN / cols)
    height_in = round((lines * (panel_height + 0.35) + 1.9) / GRID_IN) * GRID_IN  # SVG flips y by the height
    fig = Figure(figsize=(FIGURE_WIDTH_IN, height_in))
    FigureCanvasAgg(fig)
    height = fig.get_figheight()
    fig.subplots_adjust(left=0.01, right=0.99, top=1 - 1.0 / height, bottom=0.9 / height, wspace=0.02, hspace=0.12)
    axes = [fig.add_subplot(lines, cols, i + 1) for i in range(len(periods))]
    draw_panels(axes, region, name, panels)
    for ax, p, rows in zip(axes, periods, panels):
        ax.set_title(f"{p.words}: {_recorded(rows, name, region.legend)}", fontsize=9, **PLAIN)
    text = region.text(name, captions)
    fig.suptitle(text.title, fontsize=13, fontweight="bold", y=1 - 0.2 / height, **PLAIN)
    span = f"{_subject(name, region.legend)}, {len(periods)} dates from {periods[0].words} to {periods[-1].words}"
    fig.text(0.5, 1 - 0.6 / height, span, ha="center", va="top", fontsize=9, color="#333333", **PLAIN)
    _shared_legend(fig, region, name, [row for rows in panels for row in rows], height)
    fig.text(0.99, 0.12 / height, text.attribution, ha="right", fontsize=6.5, color="#444444", **PLAIN)
    return fig


def _panel_height(region, width: float) -> float:
    minx, miny, maxx, maxy = region.simplified.total_bounds
    return width * (maxy - miny) / math.cos(math.radians((miny + maxy) / 2)) / (maxx - minx)


def _recorded(rows, name: str, legend) -> str:
    """What a panel shows, in the legend's words: "266 districts held by the Taliban", "12 districts captured, 3 contested"."""
    counts = [(n, s) for s, n in _view.status_counts(rows, name, legend).items() if n]
    if not counts:
        return "no district with a record"
    words = [f"{n} {_lower_first(legend.status_label(s))}" for n, s in counts]
    first = counts[0][0]
    words[0] = f"{first} district{'s' * (first != 1)} {_lower_first(legend.status_label(counts[0][1]))}"
    return ", ".join(words)


def _lower_first(label: str) -> str:
    """A label inside a sentence: "Held by the Taliban" → "held by the Taliban"; "ISKP present" stays."""
    return label[0].lower() + label[1:] if len(label) > 1 and label[1].islower() else label


def _subject(name: str, legend) -> str:
    """What the map shows: the legend's heading, naming the group when the legend has only one."""
    if name == _view.COMBINED and len(legend.group_keys) == 1:
        return _view.legend_title(legend.group_keys[0], legend)
    return _view.legend_title(name, legend)


def _shared_legend(fig, region, name: str, every_row: list[dict], height: float) -> None:
    """One legend for all panels: every status any panel shows, hatching if any, and no record."""
    from matplotlib.patches import Patch

    legend = region.legend
    handles = [
        Patch(facecolor=legend.status_color(s), edgecolor="#777777", label=legend.status_label(s))
        for s in (*legend.status_keys, NONE_STATUS)
        if any(_view.map_status(row, name, legend) == s for row in every_row)
    ]
    if name == _view.COMBINED and any(len(_view.groups_present(row, legend)) > 1 for row in every_row):
        handles.append(
            Patch(facecolor="white", edgecolor=_style.MULTI_GROUP_HATCH, hatch="////", label=_view.MULTI_GROUP_LABEL)
        )
    handles.append(Patch(facecolor=_style.NO_RECORD_COLOUR, edgecolor="#777777", label=_style.NO_RECORD_LABEL))
    fig.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, 0.3 / height),
        ncol=min(len(handles), 4),
        fontsize=8,
        frameon=False,
    )


def write_time_outputs(region, out: Path, formats: Sequence[str], name: str, dates, captions=None) -> list[Path]:
    """timeline.<fmt> (small multiples of map ``name`` at ``dates``) and changes.<fmt>, for each format in ``formats``."""
    from districtcontrol._style import CHANGES, TIMELINE
    from districtcontrol.maps._change_chart import changes_figure
    from districtcontrol.maps.static import save_figure

    paths = []
    figures = (
        (TIMELINE, timeline_figure(region, name, dates, captions)),
        (CHANGES, changes_figure(region, captions)),
    )
    for stem, fig in figures:
        paths += [save_figure(fig, out / f"{stem}.{fmt}") for fmt in formats]
    return paths
