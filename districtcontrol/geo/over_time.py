"""The summary on every date of a series: districts, km² and people per group and status, date by date.

For each distinct date of the region's rows (the dates of ``timeline.csv``), the rows that
``summary --as-of DATE`` gives: per province of the region, the region and the country, each
group's districts by status, their km² and their population, with their shares. Each date
uses the population estimates ``summary --as-of`` would use on it: the solar year containing
the date's last day, or the nearest earlier year with estimates; a ``population_year`` given
to :func:`~districtcontrol.geo.load_control` holds for every date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from districtcontrol.geo.summary import COLUMNS

OVER_TIME_COLUMNS = ["as_of", *COLUMNS, "population_year"]


def summarise_over_time(data):
    """The summary of a loaded region (what :func:`districtcontrol.load_control` returns) on each of its dates.

    A DataFrame with :data:`OVER_TIME_COLUMNS`: ``as_of`` (the date, as the table writes it),
    then the columns of :func:`~districtcontrol.summarise`, then ``population_year`` (the
    estimate year used on that date; empty without population). A date on which no district
    has a status has no rows, as in ``summary``. ``attrs``: ``dates`` (every date, in order),
    ``population_years`` (the year of each, None without population) and ``population_sources``
    (each year's credit line). Raises
    :class:`~districtcontrol.DistrictControlError` for a region without a timeline (fewer than
    two distinct dates, or undated rows).
    """
    import pandas as pd

    from districtcontrol import DistrictControlError
    from districtcontrol.geo._time import no_timeline_reason, statuses_at, time_steps
    from districtcontrol.geo.summary import district_areas, region_name, summary_table

    steps = time_steps(data, max_steps=None)
    if steps is None:
        raise DistrictControlError(f"there is no summary over time: {no_timeline_reason(data)}")
    country, groups = data.country, data.legend.group_keys
    rows = [r for r in data.records if not r.record.is_province_note]  # every province: the country's shares
    statuses = statuses_at(rows, steps.days)
    people = population_on(data, steps.days)
    area, pcodes = district_areas(country), list(country["pcode"])
    frames, sources = [], {}
    for p, now, (population, use) in zip(steps.periods, statuses, people):
        at = country.assign(**{g: [now.get((pc, g)) for pc in pcodes] for g in groups})
        summary = summary_table(
            at,
            groups=groups,
            statuses=data.legend.status_keys,
            population=population,
            region_pcodes=data.provinces,
            region_name=region_name(data),
            area_km2=area,
        )
        summary.insert(0, "as_of", p.text)
        summary["population_year"] = pd.array([use.year if use else pd.NA] * len(summary), dtype="Int64")
        frames.append(summary)
        if use:
            sources[use.year] = use.attribution
    out = pd.concat(frames, ignore_index=True)[OVER_TIME_COLUMNS]
    out.attrs["population_sources"] = dict(sorted(sources.items()))
    out.attrs["dates"] = [p.text for p in steps.periods]
    out.attrs["population_years"] = [use.year if use else None for _, use in people]
    return out


def population_on(data, days: Sequence[dt.date]) -> list:
    """Per day: (people per P-code as a pandas Series, or None; the PopulationUse of that day, or None).

    The year is chosen as :func:`~districtcontrol.geo.load_control` chooses it for ``as_of``
    that day; the loaded region's own figures are reused wherever the year is the same.
    """
    from districtcontrol.geo.pipeline import PopulationUse, population_year_for

    use = data.population
    if use is None:
        return [(None, None)] * len(days)
    own = data.country["population"].set_axis(data.country["pcode"])
    estimates = use.estimates
    if estimates is None:  # figures given without their estimates: the one year for every date
        return [(own, use)] * len(days)
    chosen: dict[int, tuple] = {use.year: (own, use)}
    out = []
    for day in days:
        year, why = population_year_for(estimates.years, use.year if use.asked else None, day)
        if year not in chosen:
            series = estimates.by_pcode(year).reindex(data.country["pcode"])
            chosen[year] = (series, PopulationUse(year, estimates.attribution(year), why, use.asked, estimates))
        out.append(chosen[year])
    return out


def format_over_time(frame) -> str:
    """The summary over time as CSV (``timeline_summary.csv``), with ``population_source``: each row's
    estimates credit. Unknown figures stay empty, never 0; text cells a spreadsheet would run as a
    formula get a leading apostrophe."""
    from districtcontrol._csv import spreadsheet_safe

    credits = frame.attrs.get("population_sources", {})
    frame = frame.assign(
        population_source=frame["population_year"].map(lambda y: credits.get(y, ""), na_action="ignore")
    )
    text = [c for c in frame.columns if frame[c].map(lambda v: isinstance(v, str)).any()]
    shown = frame.assign(**{c: frame[c].map(spreadsheet_safe) for c in text})
    return shown.to_csv(index=False, lineterminator="\n")
