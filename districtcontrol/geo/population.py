"""District population: the statistics office's settled-population estimates, joined to the boundaries.

Afghanistan's Central Statistics Organization (CSO, later NSIA) publishes an estimate of the
settled population of every district each solar year. The tool reads a compiled CSV of the years
1383–1398 (2004-05 to 2019-20) and joins each year's rows to the districts of the boundary file.

Where the file comes from, in order: an explicit path (``--population``), the environment
variable ``DISTRICTCONTROL_POPULATION``, the user cache, then a download from the pinned public
address, verified by its sha256 on every fetch (a wrong file in the cache is never used).

How a row finds its district, in order, every decision recorded in a :class:`JoinReport`:

1. the reviewed file ``data/population_districts.csv``: spellings the resolver does not know, and
   districts absent from the 2018 boundaries ("temporary districts") with the district they lie
   in, so that national and provincial totals are kept;
2. a provincial centre ("province Center (Maimana)") is the district the boundary file marks as
   the province's centre;
3. otherwise the name through :class:`~districtcontrol.geo.names.Resolver` (province + district;
   also the parts outside and inside brackets, "Yamgan(Girwan)").

Where a year's district codes are the digits of the P-codes (1395: 398 of 399), every pair is
checked against the name and disagreements are reported. A row that finds no district is listed
with the reason; a boundary district without an estimate is unknown (NA), never zero.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

from districtcontrol import DistrictControlError
from districtcontrol.geo.boundaries import ENV_CACHE, ENV_TIMEOUT, cache_dir, file_sha256
from districtcontrol.geo.names import Resolution, Resolver, normalise

log = logging.getLogger(__name__)

ENV_PATH = "DISTRICTCONTROL_POPULATION"
ENV_URL = "DISTRICTCONTROL_POPULATION_URL"
FILENAME = "cso_district_population_estimates_2004-2020.csv"
BASE_URL = (
    "https://github.com/colincookman/afghanistan_district_population_data/raw/c9a2ba31e8a0395d881ccd8d445c5c49d9eac556/"
)
URL = BASE_URL + FILENAME
SHA256 = "16e37a3d584216f72a938dbc67fb4f70c44ce488720e8155c465b766e7055d8d"
SOURCE = "Afghanistan CSO settled-population estimates"
ATTRIBUTION = "Population: Afghanistan CSO settled-population estimates ({year}), compiled by C. Cookman"
DOWNLOAD_TIMEOUT_S = 60
# Years whose district codes are the digits of the 2018 P-codes: every code is checked by name.
CODE_YEARS_MIN_AGREEMENT = 0.95

HOW_TO_SUPPLY = (
    "the district population estimates (file {file}) are not available. Download the file on a "
    f"machine with network from\n  {URL}\nthen pass it with --population PATH, or set {ENV_PATH}=PATH, "
    "or copy it into the cache folder {cache}. Its sha256 must be {sha}."
)
COLUMNS = ("solar_year", "province_name_eng", "district_code", "district_name_eng", "total_population")
_TEMPORARY = re.compile(r"\(?\s*temporary\s+(?:district|province)\s*[)(]?", re.IGNORECASE)
_CENTRE = re.compile(r"(?:center|centre|capital)\s*\((.*?)\)?\s*$", re.IGNORECASE)
_BRACKETS = re.compile(r"^(.*?)\s*\(\s*'?(.*?)\s*\)?\s*$")


# -- locating the file -------------------------------------------------------------------------


@dataclass(frozen=True)
class PopulationSource:
    """The population file in use, where it was found (argument, environment, cache, download) and its sha256."""

    path: Path
    origin: str
    sha256: str

    @property
    def pinned(self) -> bool:
        """True when the file is the pinned, reviewed one (the join overrides are reviewed for it)."""
        return self.sha256 == SHA256


def locate_population(
    path: str | Path | None = None, *, download: bool = True, progress: bool | None = None
) -> PopulationSource:
    """Find the population file: explicit path, environment variable, cache, then download.

    Raises :class:`DistrictControlError` saying how to supply the file when none is available.
    """
    if path:
        return _given(Path(path), "--population", "argument")
    if os.environ.get(ENV_PATH):
        return _given(Path(os.environ[ENV_PATH]), ENV_PATH, "environment")
    cached = cache_dir() / FILENAME
    if cached.is_file() and file_sha256(cached) == SHA256:
        return PopulationSource(cached, "cache", SHA256)
    if cached.is_file():
        log.warning("the cached population file %s does not have the sha256 %s; it is not used", cached, SHA256)
    if not download:
        raise DistrictControlError(_how_to_supply(cached))
    return PopulationSource(download_population(progress=progress), "download", SHA256)


def find_population(path: str | Path | None = None, *, download: bool = True) -> PopulationSource | None:
    """Like :func:`locate_population`, but None when the file is unavailable and was not asked for.

    A path given as argument or by ``DISTRICTCONTROL_POPULATION`` must exist (an error otherwise);
    without one, an unavailable file (no network, a wrong cached copy) is logged and gives None.
    """
    if path or os.environ.get(ENV_PATH):
        return locate_population(path, download=download)
    try:
        return locate_population(download=download, progress=False)
    except DistrictControlError as exc:
        log.warning("population figures are left out: %s", exc)
        return None


def download_population(url: str | None = None, *, progress: bool | None = None) -> Path:
    """Download the population file into the cache with pooch, verifying its sha256; return its path.

    ``url`` defaults to ``DISTRICTCONTROL_POPULATION_URL`` or the pinned public address. A download
    whose checksum does not match is never cached.
    """
    import pooch
    import requests

    url = url or os.environ.get(ENV_URL) or URL
    store = pooch.create(
        path=cache_dir(), base_url=BASE_URL, registry={FILENAME: f"sha256:{SHA256}"}, urls={FILENAME: url}
    )
    show = sys.stderr.isatty() if progress is None else progress
    timeout = float(os.environ.get(ENV_TIMEOUT) or DOWNLOAD_TIMEOUT_S)
    log.info("downloading district population estimates from %s", url)
    try:
        return Path(store.fetch(FILENAME, downloader=pooch.HTTPDownloader(progressbar=show, timeout=timeout)))
    except ValueError as exc:
        raise DistrictControlError(
            f"the downloaded population file is corrupt ({exc}). Nothing was cached; try again."
        ) from exc
    except (requests.RequestException, OSError) as exc:
        reason = f"could not download the population file: {exc}.\n"
        raise DistrictControlError(reason + _how_to_supply(cache_dir() / FILENAME)) from exc


def _given(path: Path, how: str, origin: str) -> PopulationSource:
    if not path.is_file():
        raise DistrictControlError(
            f"the population file given by {how} does not exist: {path}. Check the path, or unset {how} "
            "to use the cached or downloaded file."
        )
    sha = file_sha256(path)
    if sha != SHA256:
        log.warning("%s is not the reviewed population file (sha256 %s); rows may fail to join", path, sha)
    return PopulationSource(path, origin, sha)


def _how_to_supply(cached: Path) -> str:
    text = HOW_TO_SUPPLY.format(file=FILENAME, cache=cached.parent, sha=SHA256)
    if cached.is_file():
        text += f"\nThe cached copy {cached} has a different sha256 and is not used; delete or replace it."
    return text + f" ({ENV_CACHE} sets the cache folder.)"


# -- the solar calendar ------------------------------------------------------------------------

_JALALI_BREAKS = (-61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097, 2192, 2262, 2324, 2394)


def solar_year_start(year: int) -> dt.date:
    """The Gregorian date of 1 Farvardin (Nowruz) of a solar hijri year, e.g. 1395 → 2016-03-20.

    The arithmetic of the 2820-free, break-table calendar used by the Iranian and Afghan
    calendars, exact for the years 1 to 2393.
    """
    if not _JALALI_BREAKS[0] < year < _JALALI_BREAKS[-1]:
        raise ValueError(f"solar year {year} is out of range")
    leap_j, previous = -14, _JALALI_BREAKS[0]
    for brk in _JALALI_BREAKS[1:]:
        jump = brk - previous
        if year < brk:
            break
        leap_j += jump // 33 * 8 + (jump % 33) // 4
        previous = brk
    n = year - previous
    leap_j += n // 33 * 8 + (n % 33 + 3) // 4
    if jump % 33 == 4 and jump - n == 4:
        leap_j += 1
    gregorian = year + 621
    leap_g = gregorian // 4 - (gregorian // 100 + 1) * 3 // 4 - 150
    return dt.date(gregorian, 3, 20 + leap_j - leap_g)


def solar_year(date: dt.date) -> int:
    """The solar hijri year containing a date: 2016-03-20 to 2017-03-20 is 1395."""
    year = date.year - 621
    return year if date >= solar_year_start(year) else year - 1


def solar_year_span(year: int) -> tuple[dt.date, dt.date]:
    """The first and last Gregorian day of a solar year."""
    return solar_year_start(year), solar_year_start(year + 1) - dt.timedelta(days=1)


# -- the reviewed assignments ------------------------------------------------------------------


@dataclass(frozen=True)
class Assignment:
    """A reviewed row of ``population_districts.csv``: a CSO district and the boundary district it counts in.

    ``kind`` is ``same`` (the boundary district under another spelling or an earlier name) or
    ``part-of`` (a district absent from the boundaries that lies inside ``pcode``; its people are
    added to it). ``year`` and ``code``, when given, restrict the row to that year's row with that code
    (for a row the file mislabels).
    """

    province: str
    district: str
    year: str
    code: str
    pcode: str
    kind: str
    reason: str
    line: int


KINDS = ("same", "part-of")


def assignments_path() -> Path:
    """The reviewed assignments shipped with the package."""
    return Path(str(resources.files("districtcontrol.data").joinpath("population_districts.csv")))


def load_assignments(path: str | Path | None = None) -> list[Assignment]:
    """Read the reviewed assignments, checking every row has a known kind, a P-code and a reason."""
    path = Path(path or assignments_path())
    rows = []
    with open(path, encoding="utf-8", newline="") as fh:
        for line, raw in enumerate(csv.DictReader(fh), start=2):
            row = Assignment(
                **{k: (raw.get(k) or "").strip() for k in Assignment.__annotations__ if k != "line"}, line=line
            )
            if row.kind not in KINDS or not row.pcode or not row.reason or not row.district:
                raise DistrictControlError(
                    f"each row needs province, district, pcode, kind ({' or '.join(KINDS)}) and reason", str(path), line
                )
            rows.append(row)
    return rows


# -- joining -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowOutcome:
    """What became of one row of the population file.

    ``method`` says how it was joined (``code+name``, ``name``, ``provincial-centre``, ``same``,
    ``part-of``) or ``not-joined``; ``detail`` gives the evidence or the reason.
    """

    year: int
    line: int
    province: str
    district: str
    code: str
    population: int | None
    pcode: str
    method: str
    detail: str

    @property
    def joined(self) -> bool:
        return bool(self.pcode)


@dataclass(frozen=True)
class Correction:
    """A row whose ``total_population`` disagrees with both its rural+urban and female+male sums, which agree."""

    year: int
    line: int
    province: str
    district: str
    total_as_written: int
    total_used: int


@dataclass
class JoinReport:
    """Every row of every year joined or listed, with evidence; what was corrected; which districts have no estimate."""

    outcomes: list[RowOutcome] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)
    missing: dict[int, tuple[str, ...]] = field(default_factory=dict)
    code_years: tuple[int, ...] = ()

    @property
    def joined(self) -> list[RowOutcome]:
        return [o for o in self.outcomes if o.joined]

    @property
    def listed(self) -> list[RowOutcome]:
        """Rows not joined to any district, each with its reason."""
        return [o for o in self.outcomes if not o.joined]

    @property
    def transfers(self) -> list[RowOutcome]:
        """Rows of districts absent from the boundaries, counted in the district they lie in."""
        return [o for o in self.outcomes if o.method == "part-of"]

    @property
    def code_disagreements(self) -> list[RowOutcome]:
        """Rows of the code years whose code names another boundary district than their name."""
        return [o for o in self.outcomes if "code disagrees" in o.detail]

    def counts(self) -> dict[int, dict[str, int]]:
        """Per year: rows, and rows per method (``not-joined`` for the listed ones)."""
        out: dict[int, dict[str, int]] = {}
        for o in self.outcomes:
            year = out.setdefault(o.year, {"rows": 0})
            year["rows"] += 1
            year[o.method] = year.get(o.method, 0) + 1
        return dict(sorted(out.items()))

    def lines(self) -> list[str]:
        """A readable account: counts per year, then every listed row, transfer, disagreement and correction."""
        text = [f"{year}: " + ", ".join(f"{k} {v}" for k, v in c.items()) for year, c in self.counts().items()]
        text += [f"not joined: {_describe(o)}: {o.detail}" for o in self.listed]
        text += [f"code disagrees: {_describe(o)}: {o.detail}" for o in self.code_disagreements]
        text += [f"moved: {_describe(o)} → {o.pcode}: {o.detail}" for o in self.transfers]
        text += [
            f"corrected: {c.year} {c.district} ({c.province}), line {c.line}: total {c.total_as_written:,} → {c.total_used:,}"
            for c in self.corrections
        ]
        text += [f"{year}: no estimate for {', '.join(pcodes)}" for year, pcodes in self.missing.items() if pcodes]
        return text


def _describe(o: RowOutcome) -> str:
    return f"{o.year} '{o.district}' ({o.province}), line {o.line}"


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
    rows = read_population(source.path)
    years = sorted(rows["solar_year"].unique().tolist())
    if year is not None:
        if year not in years:
            raise DistrictControlError(
                f"the population file has no year {year}; its years are {years[0]}–{years[-1]}", str(source.path)
            )
        rows = rows[rows["solar_year"] == year]
    resolver = Resolver.from_frame(boundaries_frame)
    chosen = list(assignments) if assignments is not None else load_assignments()
    table, report, totals = join_population(rows, boundaries_frame, resolver, chosen)
    log.info("population: %s rows joined, %s listed", len(report.joined), len(report.listed))
    return Population(table, source, report, totals)


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


def join_population(rows, boundaries_frame, resolver: Resolver, assignments: list[Assignment]):
    """Join population rows to boundary districts: (table pcode × year, :class:`JoinReport`, national totals)."""
    import pandas as pd

    report = JoinReport()
    overrides = _override_index(assignments, resolver)
    centres = _centres(boundaries_frame)
    pcodes = list(boundaries_frame["pcode"])
    provinces = dict(zip(boundaries_frame["pcode"], boundaries_frame["province_pcode"]))
    columns, totals = {}, {}
    for year, group in rows.groupby("solar_year", sort=True):
        outcomes = [_join_row(r, resolver, overrides, centres, report) for r in group.itertuples(index=False)]
        outcomes = _check_codes(outcomes, provinces, report, int(year))
        outcomes = _refuse_orphans(_refuse_duplicates(outcomes))
        report.outcomes.extend(outcomes)
        columns[int(year)], report.missing[int(year)] = _year_column(outcomes, pcodes)
        totals[int(year)] = int(sum(o.population or 0 for o in outcomes))
    table = pd.DataFrame(columns, index=pd.Index(pcodes, name="pcode"), dtype="Int64")
    return table, report, totals


def _override_index(assignments: list[Assignment], resolver: Resolver) -> dict[tuple, Assignment]:
    """(province P-code, normalised name) → assignment; with ``, year, code`` for rows restricted to one year."""
    index: dict[tuple, Assignment] = {}
    for a in assignments:
        prov = resolver.resolve_province(a.province)[0]
        if prov is None:
            raise DistrictControlError(f"unknown province '{a.province}'", str(assignments_path()), a.line)
        key = (prov.pcode, normalise(a.district)) + ((int(a.year), a.code) if a.year else ())
        index[key] = a
    return index


def _centres(frame) -> dict:
    """Province P-code → (P-code, name) of the district the boundary file marks as the province's centre.

    Under the key ``known``: the set of all P-codes.
    """
    out: dict = {"known": set(frame["pcode"])}
    for pcode, name, province, alts in frame[["pcode", "district", "province_pcode", "alt_names"]].itertuples(
        index=False
    ):
        if "centre" in {a.strip().casefold() for a in (alts or "").split("|")}:
            out[province] = (pcode, name)
    return out


def _join_row(row, resolver: Resolver, overrides, centres, report: JoinReport) -> RowOutcome:
    population = _population(row, report)
    name = _TEMPORARY.sub("", row.district_name_eng).strip()
    base = (int(row.solar_year), int(row.line), row.province_name_eng, row.district_name_eng, row.district_code)
    prov = resolver.resolve_province(row.province_name_eng)[0]
    if prov is None:
        return RowOutcome(*base, population, "", "not-joined", f"unknown province '{row.province_name_eng}'")
    key = (prov.pcode, normalise(name))
    override = overrides.get(key + (int(row.solar_year), row.district_code)) or overrides.get(key)
    if override and override.pcode not in centres["known"]:
        why = f"{assignments_path().name} line {override.line} names {override.pcode}, not a boundary district"
        return RowOutcome(*base, population, "", "not-joined", why)
    if override:
        return RowOutcome(*base, population, override.pcode, override.kind, override.reason)
    centre = _CENTRE.search(name)
    if centre:
        return _join_centre(base, population, centre.group(1), prov, resolver, centres)
    return _join_name(base, population, name, resolver)


def _join_centre(base, population, named: str, prov, resolver: Resolver, centres) -> RowOutcome:
    marked = centres.get(prov.pcode)
    res = resolver.resolve(prov.name, named.strip()) if named.strip() else None
    if marked and res and res.resolved and res.pcode != marked[0]:
        why = f"the centre is {marked[1]} ({marked[0]}) in the boundary file but '{named}' is {res.district.label}"
        return RowOutcome(*base, population, "", "not-joined", why)
    if marked:
        return RowOutcome(
            *base,
            population,
            marked[0],
            "provincial-centre",
            f"the boundary file marks {marked[1]} as the centre of {prov.name}",
        )
    if res and res.resolved:
        return RowOutcome(
            *base, population, res.pcode, "provincial-centre", f"'{named}' is {res.district.label} ({res.method})"
        )
    return RowOutcome(
        *base, population, "", "not-joined", f"no district marked as the centre of {prov.name} and '{named}' is unknown"
    )


def _join_name(base, population, name: str, resolver: Resolver) -> RowOutcome:
    province = base[2]
    tries = [name]
    brackets = _BRACKETS.match(name) if "(" in name else None
    if brackets:
        tries += [part for part in brackets.groups() if part]
    found: list[tuple[str, Resolution]] = []
    for text in tries:
        res = resolver.resolve(province, text)
        if res.resolved:
            found.append((text, res))
    distinct = {res.pcode for _, res in found}
    if len(distinct) > 1:
        names = "; ".join(f"'{t}' is {r.district.label}" for t, r in found)
        return RowOutcome(*base, population, "", "not-joined", f"the name's parts name different districts: {names}")
    if found:
        text, res = found[0]
        evidence = f"'{text}' → {res.district.label}, {res.method}" + (
            f" {res.score:g}" if res.method == "fuzzy" else ""
        )
        return RowOutcome(*base, population, res.pcode, "name", evidence + (f"; {res.warning}" if res.warning else ""))
    res = resolver.resolve(province, tries[-1])
    hint = f"; candidates: {', '.join(res.suggestions)}" if res.suggestions else ""
    return RowOutcome(*base, population, "", "not-joined", f"{res.problem or 'no district matches'}{hint}")


def _population(row, report: JoinReport) -> int | None:
    total = _int(row.total_population)
    parts = [_sum(row.rural_total, row.urban_total), _sum(row.fem_population, row.male_population)]
    if total is not None and total not in parts and parts[0] is not None and parts[0] == parts[1]:
        report.corrections.append(
            Correction(
                int(row.solar_year), int(row.line), row.province_name_eng, row.district_name_eng, total, parts[0]
            )
        )
        return parts[0]
    return total


def _int(value) -> int | None:
    import pandas as pd

    return None if value is None or pd.isna(value) else int(value)


def _sum(a, b) -> int | None:
    a, b = _int(a), _int(b)
    return None if a is None and b is None else (a or 0) + (b or 0)


def _check_codes(
    outcomes: list[RowOutcome], provinces: dict[str, str], report: JoinReport, year: int
) -> list[RowOutcome]:
    """In a year whose codes are P-code digits, check every code against the name; note agreement or disagreement."""
    coded = [o for o in outcomes if o.joined and o.method != "part-of" and f"AF{o.code}" in provinces]
    agree = [o for o in coded if f"AF{o.code}" == o.pcode]
    if not coded or len(agree) < CODE_YEARS_MIN_AGREEMENT * len(coded):
        return outcomes
    report.code_years = (*report.code_years, year)
    checked = []
    for o in outcomes:
        code = f"AF{o.code}"
        if o.joined and o.method != "part-of" and code in provinces:
            if code == o.pcode:
                method = f"code+{o.method}" if o.method == "name" else o.method
                o = replace(o, method=method, detail=o.detail + f"; code {o.code} agrees")
            else:
                o = replace(o, detail=o.detail + f"; code disagrees: {code} is another district")
        checked.append(o)
    return checked


def _unjoined(o: RowOutcome, why: str) -> RowOutcome:
    return replace(o, pcode="", method="not-joined", detail=why)


def _refuse_duplicates(outcomes: list[RowOutcome]) -> list[RowOutcome]:
    """Two rows of one year claiming one district as theirs (not ``part-of``): neither is used, both are listed."""
    claims: dict[str, list[RowOutcome]] = {}
    for o in outcomes:
        if o.joined and o.method != "part-of":
            claims.setdefault(o.pcode, []).append(o)
    clashing = {pc for pc, rows in claims.items() if len(rows) > 1}
    out = []
    for o in outcomes:
        if o.pcode in clashing and o.method != "part-of":
            others = ", ".join(f"'{x.district}' line {x.line}" for x in claims[o.pcode] if x is not o)
            o = _unjoined(o, f"{o.pcode} is also claimed by {others} ({o.detail})")
        out.append(o)
    return out


def _refuse_orphans(outcomes: list[RowOutcome]) -> list[RowOutcome]:
    """A ``part-of`` row whose district has no estimate of its own is listed, not added to an unknown."""
    own = {o.pcode for o in outcomes if o.joined and o.method != "part-of"}
    out = []
    for o in outcomes:
        if o.method == "part-of" and o.pcode not in own:
            o = _unjoined(o, f"{o.pcode} has no estimate of its own this year ({o.detail})")
        out.append(o)
    return out


def _year_column(outcomes: list[RowOutcome], pcodes: list[str]) -> tuple[list, tuple[str, ...]]:
    """One year's population per P-code (None when unknown) and the P-codes without an estimate."""
    own = {o.pcode: o.population for o in outcomes if o.joined and o.method != "part-of"}
    parts: dict[str, int] = {}
    for o in outcomes:
        if o.method == "part-of":
            parts[o.pcode] = parts.get(o.pcode, 0) + (o.population or 0)
    values = []
    for pc in pcodes:
        value = own.get(pc)
        values.append(None if value is None else value + parts.get(pc, 0))
    missing = tuple(pc for pc, v in zip(pcodes, values) if v is None)
    return values, missing
