"""The chart of change: per group, districts and people under each status on every date of the table.

Drawn from the summary over time (:func:`districtcontrol.geo.over_time.summarise_over_time`), at
the region's level, so the chart, ``timeline_summary.csv`` and ``summary --as-of`` give the same
numbers. People are in millions, with their share of the region's people on the right-hand axis;
each date uses the estimate year containing it, and the chart says which year that is.
"""

from __future__ import annotations

from districtcontrol.maps import _view

PLAIN = {"parse_math": False}
TICK_FORMATS = ["%Y", "%b", "%d %b", "%H:%M", "%H:%M", "%S.%f"]  # years, months, days…: "Jun", "15 Jun"
TICK_ZERO_FORMATS = ["", "%Y", "%b", "%d %b", "%H:%M", "%H:%M"]  # a month's first day reads as the month
TICK_OFFSET_FORMATS = ["", "%Y", "%Y", "%d %b %Y", "%d %b %Y", "%d %b %Y %H:%M"]  # the year once, at the end


def changes_figure(region, captions=None, over_time=None):
    """Districts per status per group over time, and the people living in them when estimates are known.

    One row of panels per group with a status in the region: districts (step lines, one per
    status) and, with population, people in millions and their share of the region's people.
    ``over_time`` is the region's summary over time (computed when not given).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from districtcontrol.geo.over_time import summarise_over_time
    from districtcontrol.geo.summary import region_name

    over_time = summarise_over_time(region.data) if over_time is None else over_time
    rows = over_time[over_time["level"] == "region"]
    dates = over_time.attrs.get("dates") or list(dict.fromkeys(over_time["as_of"]))
    groups = [g for g in region.legend.group_keys if (rows["group"] == g).any()]
    people = bool(over_time["population_year"].notna().any())
    fig = Figure(figsize=(12 if people else 10, 2.9 * len(groups) + 2.0))
    FigureCanvasAgg(fig)
    height = fig.get_figheight()
    fig.subplots_adjust(left=0.07, right=0.93 if people else 0.97, top=1 - 1.15 / height, bottom=0.85 / height)
    fig.subplots_adjust(hspace=0.45, wspace=0.3)
    axes = fig.subplots(len(groups), 2 if people else 1, sharex=True, squeeze=False)
    for line, group in zip(axes, groups):
        mine = rows[rows["group"] == group]
        _district_lines(line[0], mine, dates, group, region.legend)
        if people:
            _people_lines(line[1], mine, rows, dates, group, region.legend, region_name(region.data))
        for ax in line:
            concise_dates(ax)
    text = region.text(_view.COMBINED, captions)
    title = "Districts and people by status over time" if people else "Districts by status over time"
    fig.suptitle(title, fontsize=13, fontweight="bold", y=1 - 0.2 / height, **PLAIN)
    below = " · ".join(x for x in (_region_words(region), text.subtitle) if x)
    fig.text(0.5, 1 - 0.55 / height, below, ha="center", va="top", fontsize=8.5, color="#333333", **PLAIN)
    words = population_words(over_time, region.data)
    fig.text(0.5, 1 - 0.8 / height, words, ha="center", va="top", fontsize=8.5, color="#333333", **PLAIN)
    fig.text(0.99, 0.12 / height, text.attribution, ha="right", fontsize=6.5, color="#444444", **PLAIN)
    return fig


def concise_dates(ax) -> None:
    """Date ticks that read as people write dates: "May", "15 Jun", the year once beside the axis."""
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    formatter = mdates.ConciseDateFormatter(
        locator, formats=TICK_FORMATS, zero_formats=TICK_ZERO_FORMATS, offset_formats=TICK_OFFSET_FORMATS
    )
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(formatter)


def _series(rows, dates: list[str], status: str, column: str) -> list:
    """A status's figure on every date (0 where no district has it), from the summary's rows of one group."""
    mine = rows[rows["status"] == status].set_index("as_of")[column]
    return [0 if d not in mine.index or mine[d] != mine[d] else mine[d] for d in dates]


def _days(dates: list[str]) -> list:
    from districtcontrol.geo._time import period

    return [period(d).end for d in dates]


def _statuses(rows, legend) -> list[str]:
    """The statuses held somewhere on some date; "reported: no status" is not a line (it is the rest)."""
    from districtcontrol.data.legend import NONE_STATUS

    present = set(rows["status"]) - {NONE_STATUS}
    return [s for s in legend.status_keys if s in present] + sorted(present - set(legend.status_keys))


def _district_lines(ax, rows, dates: list[str], group: str, legend) -> None:
    days, last = _days(dates), _words(dates[-1])
    for status in _statuses(rows, legend):
        counts = [int(c) for c in _series(rows, dates, status, "districts")]
        label = f"{legend.status_label(status)} ({counts[-1]} on {last})"
        ax.step(days, counts, where="post", color=legend.status_color(status), linewidth=2, label=label)
    _panel(ax, f"{legend.group_label(group)}: districts", "Districts")


def _people_lines(ax, rows, region_rows, dates: list[str], group: str, legend, unit: str) -> None:
    days, last = _days(dates), _words(dates[-1])
    totals = region_rows.drop_duplicates("as_of").set_index("as_of")["unit_population"]
    known = [d for d in dates if d in totals.index]
    for status in _statuses(rows, legend):
        people = [float(p) / 1e6 for p in _series(rows, dates, status, "population")]
        share = _series(rows, dates, status, "population_pct")
        label = f"{legend.status_label(status)} ({people[-1]:.1f} M, {share[-1]:.1f} % on {last})"
        ax.step(days, people, where="post", color=legend.status_color(status), linewidth=2, label=label)
    _panel(ax, f"{legend.group_label(group)}: people in those districts", "People (millions)")
    total = {float(totals[d]) for d in known if totals[d] == totals[d]}
    if len(total) == 1:  # one estimate year: a share is a fixed multiple of the people
        whole = total.pop() / 1e6
        right = ax.secondary_yaxis("right", functions=(lambda m: 100 * m / whole, lambda p: p * whole / 100))
        right.set_ylabel(f"% of the people of {unit}", fontsize=8)


def _panel(ax, title: str, ylabel: str) -> None:
    ax.set_title(title, fontsize=10, loc="left", fontweight="bold", **PLAIN)
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper left", fontsize=8, frameon=False)


def _words(date: str) -> str:
    from districtcontrol.geo._time import period

    return period(date).words


def population_words(over_time, data) -> str:
    """Which estimates the chart's people come from, date by date, in one line."""
    from districtcontrol.geo._time import period
    from districtcontrol.geo.population import solar_year, solar_year_span

    dates = over_time.attrs.get("dates") or list(dict.fromkeys(over_time["as_of"]))
    used = over_time.attrs.get("population_years") or list(over_time.drop_duplicates("as_of")["population_year"])
    years = sorted({int(y) for y in used if y is not None and y == y})
    if not years:
        return "No population estimates: districts only."

    def span(y: int) -> str:
        start, end = solar_year_span(y)
        return f"solar year {y}, {start.year}-{str(end.year)[-2:]}"

    if data.population is not None and data.population.asked:
        return f"People: the estimates of {span(years[0])} on every date, as asked."
    if len(years) > 1:
        return f"People: each date uses the estimates of the solar year containing it ({years[0]} to {years[-1]})."
    wanted = sorted({solar_year(period(d).end) for d in dates})
    if wanted == years:
        return f"People: the estimates of {span(years[0])}, the year containing every date."
    return f"People: the estimates of {span(years[0])} on every date, the latest there are (none for {', '.join(map(str, wanted))})."


def _region_words(region) -> str:
    data = region.data
    named = {"north": "Region north", "all": "Afghanistan"}
    count = len(region.rows)
    listed = ", ".join(part.strip() for part in data.region.split(",") if part.strip())
    return f"{named.get(data.region.strip().lower(), listed)} ({count} districts)"
