"""The pipeline up to rendering: read the table → resolve names → join to the boundaries (and population)."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from dataclasses import dataclass, field
from pathlib import Path

from districtcontrol.data.legend import Legend, read_legend
from districtcontrol.data.table import Record, default_table_path, read_table
from districtcontrol.geo._join import ProvinceNote, ResolvedRecord, join_control, province_notes, resolve_records
from districtcontrol.geo._regions import region_name, region_provinces
from districtcontrol.geo._source_shapes import shaped
from districtcontrol.geo._source_shapes import source_boundaries as source_boundaries_of
from districtcontrol.geo._time import holds, period, resolve_as_of, when_words
from districtcontrol.geo._unplaced import find_unplaced
from districtcontrol.geo.boundaries import BoundarySource, load_boundaries
from districtcontrol.geo.names import Resolver, one_district_spellings

log = logging.getLogger(__name__)
NO_POPULATION = "Population: not available (no estimates file); figures are districts and km² only."


@dataclass(frozen=True)
class PopulationUse:
    """Which population estimates a result carries: the solar year, why that year, and the credit line.

    ``asked``: the year was given (``population_year``), so every date uses it; ``estimates``: the
    joined :class:`~districtcontrol.geo.population.Population`, with every year the table's dates need.
    """

    year: int
    attribution: str
    why: str = ""
    asked: bool = False
    estimates: object = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ControlData:
    """A control table joined to the districts of a region, with its evidence.

    ``districts`` is a GeoDataFrame of the region with pcode, district, district_dari,
    province, province_pcode, one column per group of the legend (its status; ``none``
    when the deciding row says none; None when no row names the district),
    sources, history and, when estimates are available, population and population_year.
    ``country`` is the same for every district of the boundary file (for national shares),
    ``provinces`` the region's province P-codes and ``region_name`` what it is in words
    ("Afghanistan", "Region north", "Kunduz province", "32 provinces"). ``records`` are the table's rows with how
    each name was resolved, ``notes`` the province-level statements, ``legend`` the table's
    groups and statuses, ``boundaries`` the boundary file in use, ``population`` the
    estimates used (None when absent), ``warnings`` what the user should know about how the
    table was read (names placed in another province than the table gives),
    ``name_decisions`` one line per name read other than exactly, with its evidence (file
    and line, method, score, runner-up or alias). ``as_of`` is the date the statuses are as
    of (ISO text: the date asked for, else the table's latest; None for a table without
    dates) and ``when`` how every output says it ("as of 16 August 2021", "events of 2015 to
    April 2017"; see :mod:`districtcontrol.geo._time`). ``unplaced``: the source's names an
    import could not place on a district (:class:`~districtcontrol.geo._unplaced.Unplaced`,
    read from ``TABLE.unplaced.csv`` beside the table). Drawing state lives in
    :func:`districtcontrol.maps.prepare_region`.
    """

    districts: object
    records: list[ResolvedRecord]
    notes: list[ProvinceNote]
    region: str
    table: Path | None
    boundaries: BoundarySource
    legend: Legend = field(default_factory=read_legend)
    country: object = None
    provinces: tuple[str, ...] = ()
    population: PopulationUse | None = None
    warnings: tuple[str, ...] = ()
    name_decisions: tuple[str, ...] = ()
    as_of: str | None = None
    when: str = ""
    unplaced: tuple = ()
    region_name: str = ""

    @property
    def population_credit(self) -> str:
        """The population line every output shows: the estimates' year and source, or that there are none."""
        return self.population.attribution if self.population else NO_POPULATION


def load_control(
    table=None,
    boundaries: str | Path | None = None,
    region: str = "north",
    *,
    name_field: str | None = None,
    province_field: str | None = None,
    pcode_field: str | None = None,
    records: list[Record] | None = None,
    date_format: str | None = None,
    legend: Legend | str | Path | None = None,
    aliases: str | Path | list[str | Path] | None = None,
    population: str | Path | bool | None = None,
    population_year: int | None = None,
    as_of: str | None = None,
    source_boundaries: str | Path | None = None,
    source_layer: str | None = None,
    source_name_field: str | None = None,
    source_province_field: str | None = None,
    unplaced: str | Path | bool | None = None,
) -> ControlData:
    """Read a control table and the boundaries, resolve every name and join them for a region.

    ``table`` is a path (default: the shipped table), a pandas DataFrame or a list of dicts
    with the table's columns; ``date_format`` (strftime, e.g. ``%m/%d/%Y``) reads dates that
    are not ISO 8601.
    ``legend`` is a :class:`~districtcontrol.data.legend.Legend` or the path of a legend
    file (default: the shipped table's). ``aliases``: your alias file(s), same columns as the
    shipped ``aliases.csv``, tried before it. ``population``: the path of the statistics office's
    estimates, ``False`` for none, or None to use them when they can be found (environment
    variable, cache or download). ``population_year`` (a solar year such as 1395) overrides
    the default, the estimate year containing the table's latest date (or ``as_of``).
    ``as_of`` (``2021-08-16``, ``2021-08`` or ``2021``): each group's status in a district is
    that of its latest row dated on or before the end of that day, month or year; undated rows
    always hold (default: the table's latest date, which counts every row).
    ``source_boundaries``: the source's own district file (any format GDAL reads; layer
    ``source_layer``), whose ``source_name_field`` names and ``source_province_field`` provinces
    give each name of the table its province, and whose shapes are the evidence of each match
    (see :mod:`districtcontrol.geo._source_shapes`). ``unplaced``: the file of names an import
    left out (default: ``TABLE.unplaced.csv`` beside a table given by path, when there is one;
    ``False``: none). Raises
    :class:`districtcontrol.data.TableError` listing every bad or unresolvable row, and
    :class:`districtcontrol.DistrictControlError` for an ``as_of`` the table cannot show,
    before anything is written.
    """
    legend = legend if isinstance(legend, Legend) else read_legend(legend)
    table_path, table_label = _table_names(table)
    if records is None:
        records = read_table(table if table_path is None else table_path, date_format=date_format, legend=legend)
    source, all_districts = load_boundaries(
        boundaries, name_field=name_field, province_field=province_field, pcode_field=pcode_field
    )
    dates = [r.date for r in records]
    asked = resolve_as_of(as_of, dates) if as_of is not None else None
    alias_files = [aliases] if isinstance(aliases, str | Path) else list(aliases or [])
    shapes = source_boundaries_of(source_boundaries, source_name_field, source_province_field, source_layer)
    resolver = shaped(Resolver.from_frame(all_districts, alias_files=alias_files), all_districts, shapes)
    resolved = resolve_records(records, resolver, table_label)
    recorded = {r.resolution.province_pcode for r in resolved}
    provinces = tuple(region_provinces(region, resolver, recorded))
    day = asked.end if asked else None
    country = join_control(all_districts, resolved, legend.group_keys, day)
    people, population_notes = _population(population, population_year, all_districts, records, day)
    if people is not None:
        series, use = people
        country["population"] = series.reindex(country["pcode"]).to_numpy()
        country["population_year"] = use.year
    in_region = country[country["province_pcode"].isin(provinces)].reset_index(drop=True)
    notes = [n for n in province_notes(resolved) if n.province_pcode in provinces and holds(n.date, day)]
    warnings = (
        *getattr(resolver, "notes", ()),
        *_moved_districts(resolved, resolver),
        *_spellings(resolved),
        *population_notes,
    )
    decisions = tuple(_name_decisions(resolved, resolver, table_label))
    shown, when = when_words(dates, asked)
    left_out = find_unplaced(table_path, unplaced)
    return ControlData(
        in_region,
        resolved,
        notes,
        region,
        table_path,
        source,
        legend,
        country,
        provinces,
        people and people[1],
        warnings,
        decisions,
        as_of=shown,
        when=when,
        unplaced=left_out,
        region_name=region_name(provinces, resolver),
    )


def check_names(
    records: list[Record],
    label: str,
    boundaries: str | Path | None = None,
    *,
    aliases: str | Path | None = None,
    name_field: str | None = None,
    province_field: str | None = None,
    pcode_field: str | None = None,
    source_boundaries: str | Path | None = None,
    source_layer: str | None = None,
    source_name_field: str | None = None,
    source_province_field: str | None = None,
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Resolve a table's names without joining (what ``validate`` does): (name decisions, warnings).

    ``source_*`` are those of :func:`load_control`. Raises :class:`districtcontrol.data.TableError`
    naming every row that does not resolve.
    """
    _, frame = load_boundaries(
        boundaries, name_field=name_field, province_field=province_field, pcode_field=pcode_field
    )
    source = source_boundaries_of(source_boundaries, source_name_field, source_province_field, source_layer)
    resolver = shaped(Resolver.from_frame(frame, alias_files=[aliases] if aliases else []), frame, source)
    resolved = resolve_records(records, resolver, label)
    warnings = (*getattr(resolver, "notes", ()), *_moved_districts(resolved, resolver), *_spellings(resolved))
    return tuple(_name_decisions(resolved, resolver, label)), warnings


def _spellings(resolved: list[ResolvedRecord]) -> list[str]:
    """Different spellings of the table that resolve to one district, one line each."""
    return one_district_spellings((r.record.district, r.record.line, r.resolution) for r in resolved)


def _name_decisions(resolved: list[ResolvedRecord], resolver: Resolver, where: str):
    """One line per row whose names were read other than exactly: what was written, what it became, and why."""
    provinces = functools.lru_cache(maxsize=None)(lambda name: resolver.resolve_province(name)[:2])
    for r in resolved:
        rec, res = r.record, r.resolution
        notes = []
        if res.warning:
            notes.append(res.warning)
        named = provinces(rec.province) if rec.province else (None, "")
        if named[0] is not None and named[1] != "exact":
            notes.append(f"province '{rec.province}' read as {named[0].name} ({named[1]})")
        if notes:
            yield f"{where}:{rec.line}: " + "; ".join(notes)


def _moved_districts(resolved: list[ResolvedRecord], resolver: Resolver):
    """A warning for every row whose district the boundary file places in another province than the row names."""
    provinces = functools.lru_cache(maxsize=None)(lambda name: resolver.resolve_province(name)[0])
    for r in resolved:
        rec, res = r.record, r.resolution
        if not rec.district or not rec.province or not res.resolved:
            continue
        named = provinces(rec.province)
        if named is not None and named.pcode != res.province_pcode:
            yield (
                f"line {rec.line}: the table places {rec.district} in {rec.province}; the boundary file has it in "
                f"{res.province} ({res.pcode}), where it is counted."
            )


def _table_names(table) -> tuple[Path | None, str]:
    """(path of the table, how messages name it); rows given in code have no path."""
    if table is None:
        return default_table_path(), f"shipped {default_table_path().name}"
    if isinstance(table, str | Path):
        return Path(table), str(table)
    return None, "DataFrame" if hasattr(table, "columns") else "rows"


def latest_date(records: list[Record]) -> dt.date | None:
    """The latest date of a table's rows (a partial date counts as its first day), or None if undated."""
    dates = [_first_day(r.date) for r in records if r.date]
    return max(dates) if dates else None


def _first_day(text: str) -> dt.date:
    parts = [int(p) for p in text.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def _population(population, year: int | None, all_districts, records, as_of: dt.date | None = None):
    """((people per P-code, PopulationUse) or None when population is off or unavailable, warnings).

    Estimates asked for by path must join; found by themselves (environment, cache, download)
    they are left out, with a warning, when they cannot be joined to this boundary file. The
    warnings (``ControlData.warnings``; the CLI shows them) say so, or that the year wanted has no
    estimates and which year is used.
    """
    from districtcontrol import DistrictControlError
    from districtcontrol.geo.population import find_population

    if population is False:
        return None, ()
    asked = population not in (None, True)
    found = find_population(population if asked else None)
    if found is None:
        return None, ()
    try:
        estimates = _estimates(found.path, all_districts, year, _dates_needed(records, as_of))
    except DistrictControlError as exc:
        if asked:
            raise
        warning = f"population figures are left out: they do not join to this boundary file ({exc})"
        log.info(warning)
        return None, (warning,)
    chosen, why, warning = _choose_year(estimates, year, as_of or latest_date(records))
    notes = (warning,) if warning else ()
    for note in notes:
        log.info(note)
    use = PopulationUse(chosen, estimates.attribution(chosen), why, year is not None, estimates)
    return (estimates.by_pcode(chosen), use), notes


def _dates_needed(records: list[Record], as_of: dt.date | None) -> list[dt.date]:
    """The days whose estimate year a table may need: the date shown, its latest date and the last day of each date."""
    shown = [d for d in (as_of, latest_date(records)) if d]
    return shown + [period(d).end for d in {r.date for r in records if r.date}]


def _estimates(path, all_districts, asked: int | None, dates: list[dt.date]):
    """The estimates joined for the years the table needs only (one year joins in a fraction of all sixteen)."""
    from districtcontrol.geo.population import load_population, read_population_years, solar_year

    years = read_population_years(path)
    wanted = {asked} if asked is not None else {solar_year(d) for d in dates}
    one = wanted.pop() if len(wanted) == 1 and wanted <= set(years) else None
    return load_population(path, boundaries_frame=all_districts, year=one)


def _choose_year(estimates, asked: int | None, date: dt.date | None) -> tuple[int, str, str]:
    """(the year to use, why, a warning when the year wanted has no estimates)."""
    from districtcontrol.geo.population import solar_year

    if asked is not None:
        estimates.by_pcode(asked)  # an error naming the years there are, if there is none for it
    chosen, why = population_year_for(estimates.years, asked, date)
    if date is None or asked is not None or chosen == solar_year(date):
        return chosen, why, ""
    return chosen, why, f"no population estimate for solar year {solar_year(date)} ({date:%B %Y}); using {chosen}"


def population_year_for(years: tuple[int, ...], asked: int | None, date: dt.date | None) -> tuple[int, str]:
    """(the estimate year a date uses, why): the year asked for; else the solar year containing the date,
    or the nearest earlier one with estimates (the earliest when there is none before); the latest without a date."""
    from districtcontrol.geo.population import solar_year

    if asked is not None:
        return asked, "as asked"
    if date is None:
        return years[-1], "the latest estimates (the table has no dates)"
    wanted = solar_year(date)
    if wanted in years:
        return wanted, f"the estimate year containing {date:%B %Y}"
    chosen = max((y for y in years if y <= wanted), default=years[0])
    return chosen, f"the estimates nearest to {date:%B %Y} (none for solar year {wanted})"
