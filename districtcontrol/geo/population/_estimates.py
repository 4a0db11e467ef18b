"""The estimates of every year, read and joined: :class:`Population` and :func:`load_population`."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from pathlib import Path

from districtcontrol import DistrictControlError
from districtcontrol.geo.names import Resolver
from districtcontrol.geo.population._cached import cached_join
from districtcontrol.geo.population._calendar import solar_year, solar_year_span
from districtcontrol.geo.population._crosswalk import Assignment, load_assignments
from districtcontrol.geo.population._join import JoinReport, join_population
from districtcontrol.geo.population._source import ATTRIBUTION, COLUMNS, PopulationSource, locate_population

log = logging.getLogger("districtcontrol.geo.population")


class Population:
    """The estimates of every year, joined to the boundary districts.

    :meth:`by_pcode` gives one year's figure per district; :attr:`report` says how every row was
    joined or why it was not.
    """

    def __init__(self, table, source: PopulationSource, report: JoinReport, totals: dict[int, int]):
        self._table = table  # DataFrame: index pcode, one Int64 column per year
        self.source = source
        self.report = report
        self._totals = totals

    @property
    def years(self) -> tuple[int, ...]:
        """The solar years with estimates, oldest first."""
        return tuple(int(y) for y in self._table.columns)

    def by_pcode(self, year: int):
        """One year's population per boundary district: a pandas Series (Int64, NA where unknown) indexed by P-code."""
        self._check_year(year)
        return self._table[year].rename(f"population_{year}")

    def total(self, year: int) -> int:
        """The national total of a year: the sum of all its rows, joined or not (totals corrected, see :class:`Correction`)."""
        self._check_year(year)
        return self._totals[year]

    def attribution(self, year: int) -> str:
        """The text to show wherever a year's figures are used."""
        start, end = solar_year_span(year)
        return ATTRIBUTION.format(year=f"{year}, {start.year}-{str(end.year)[-2:]}")

    def year_for_date(self, date: dt.date) -> int:
        """The estimate year containing a date (solar year 1395 is 2016-03-20 to 2017-03-20).

        Raises :class:`DistrictControlError` when there is no estimate for that year.
        """
        year = solar_year(date)
        if year not in self.years:
            start, end = solar_year_span(year)
            raise DistrictControlError(
                f"there is no population estimate for {date} (solar year {year}, {start} to {end}); estimates "
                f"cover {self.years[0]}–{self.years[-1]}. Choose one with --population-year."
            )
        return year

    def _check_year(self, year: int) -> None:
        if year not in self.years:
            raise DistrictControlError(
                f"there is no population estimate for the year {year}; the years are {self.years[0]}–{self.years[-1]} "
                "(solar years: 1395 is 2016-17)."
            )


def load_population(
    path: str | Path | None = None,
    *,
    year: int | None = None,
    boundaries_frame,
    download: bool = True,
    assignments: Iterable[Assignment] | None = None,
) -> Population:
    """Locate, read and join the population estimates to the districts of ``boundaries_frame``.

    ``boundaries_frame`` is the standard frame of :func:`~districtcontrol.geo.boundaries.read_boundaries`.
    ``year`` joins that year only (faster); by default every year is joined. Raises
    :class:`DistrictControlError` when the file is unavailable or has no such year.
    """
    source = locate_population(path, download=download)
    chosen = list(assignments) if assignments is not None else load_assignments()

    def join():
        rows = _rows_of_year(source.path, year)
        return join_population(rows, boundaries_frame, Resolver.from_frame(boundaries_frame), chosen)

    table, report, totals = cached_join(source.sha256, year, boundaries_frame, chosen, join)
    log.info("population: %s rows joined, %s listed", len(report.joined), len(report.listed))
    return Population(table, source, report, totals)


def _rows_of_year(path: Path, year: int | None):
    """The file's rows, of ``year`` only when one is given (an error naming the years there are if it has none)."""
    rows = read_population(path)
    if year is None:
        return rows
    years = sorted(rows["solar_year"].unique().tolist())
    if year not in years:
        raise DistrictControlError(
            f"the population file has no year {year}; its years are {years[0]}–{years[-1]}", str(path)
        )
    return rows[rows["solar_year"] == year]


def read_population(path: str | Path):
    """Read the population CSV: one row per district and year, with ``line`` (the file line) and ``population``.

    ``population`` is ``total_population``, unless it disagrees with both the rural+urban and the
    female+male sums while those agree: then it is their sum (see :class:`Correction`).
    """
    import pandas as pd

    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DistrictControlError(f"cannot read the population file ({exc})", str(path)) from exc
    absent = [c for c in COLUMNS if c not in raw.columns]
    if absent:
        raise DistrictControlError(f"not the CSO district population file: no column {', '.join(absent)}", str(path))
    frame = raw.assign(line=range(2, len(raw) + 2))
    frame["solar_year"] = pd.to_numeric(frame["solar_year"], errors="coerce")
    bad = frame["solar_year"].isna()
    if bad.any():
        raise DistrictControlError("solar_year is not a number", str(path), int(frame.loc[bad, "line"].iloc[0]))
    frame["solar_year"] = frame["solar_year"].astype(int)
    for col in ("rural_total", "urban_total", "fem_population", "male_population", "total_population"):
        frame[col] = pd.to_numeric(frame.get(col, ""), errors="coerce").astype("Int64")
    frame["district_name_eng"] = frame["district_name_eng"].str.split().str.join(" ")
    return frame


def read_population_years(path: str | Path) -> tuple[int, ...]:
    """The solar years a population file has estimates for (read from its first column only)."""
    import pandas as pd

    try:
        years = pd.read_csv(path, usecols=["solar_year"], dtype=str, encoding="utf-8")["solar_year"]
    except (OSError, UnicodeDecodeError, ValueError, pd.errors.ParserError) as exc:
        raise DistrictControlError(f"cannot read the population file ({exc})", str(path)) from exc
    return tuple(sorted({int(y) for y in years if str(y).strip().isdigit()}))
