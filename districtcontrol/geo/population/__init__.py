"""District population: the statistics office's settled-population estimates, joined to the boundaries.

Afghanistan's Central Statistics Organization (CSO, later NSIA) publishes an estimate of the
settled population of every district each solar year. The tool reads a compiled CSV of the years
1383–1398 (2004-05 to 2019-20) and joins each year's rows to the districts of the boundary file.

Where the file comes from, in order: an explicit path (``--population``), the environment
variable ``DISTRICTCONTROL_POPULATION``, the user cache, then a download from the pinned public
address, verified by its sha256 on every fetch (a wrong file in the cache is never used).

How a row finds its district, in order, every decision recorded in a :class:`JoinReport`:

1. the reviewed files: ``data/population_districts.csv`` (spellings the resolver does not know)
   and the crosswalk ``data/districts_not_in_boundaries.csv``, shared with name resolution
   (districts absent from the 2018 boundaries, "temporary districts", with the district they lie
   in), so that national and provincial totals are kept;
2. a provincial centre ("province Center (Maimana)") is the district the boundary file marks as
   the province's centre;
3. otherwise the name through :class:`~districtcontrol.geo.names.Resolver` (province + district;
   also the parts outside and inside brackets, "Yamgan(Girwan)").

Where a year's district codes are the digits of the P-codes (1395: 398 of 399), every pair is
checked against the name and disagreements are reported. A row that finds no district is listed
with the reason; a boundary district without an estimate is unknown (NA), never zero.

Modules: ``_source`` (finding and downloading the file), ``_calendar`` (solar years),
``_crosswalk`` (the reviewed assignments), ``_join`` (rows to districts), ``_estimates``
(:class:`Population`, :func:`load_population`).
"""

from __future__ import annotations

from districtcontrol.geo.population._calendar import solar_year, solar_year_span, solar_year_start
from districtcontrol.geo.population._crosswalk import KINDS, Assignment, assignments_path, load_assignments
from districtcontrol.geo.population._estimates import (
    Population,
    load_population,
    read_population,
    read_population_years,
)
from districtcontrol.geo.population._join import Correction, JoinReport, RowOutcome, join_population
from districtcontrol.geo.population._source import (
    ATTRIBUTION,
    BASE_URL,
    ENV_PATH,
    ENV_URL,
    FILENAME,
    SHA256,
    SOURCE,
    URL,
    PopulationSource,
    cache_dir,
    download_population,
    file_sha256,
    find_population,
    locate_population,
)

__all__ = [
    "ATTRIBUTION",
    "BASE_URL",
    "ENV_PATH",
    "ENV_URL",
    "FILENAME",
    "KINDS",
    "SHA256",
    "SOURCE",
    "URL",
    "Assignment",
    "Correction",
    "JoinReport",
    "Population",
    "PopulationSource",
    "RowOutcome",
    "assignments_path",
    "cache_dir",
    "download_population",
    "file_sha256",
    "find_population",
    "join_population",
    "load_assignments",
    "load_population",
    "locate_population",
    "read_population",
    "read_population_years",
    "solar_year",
    "solar_year_span",
    "solar_year_start",
]
