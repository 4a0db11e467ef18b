"""Where the population file comes from: argument, environment, cache or a pinned download."""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from districtcontrol import DistrictControlError
from districtcontrol.geo._fetch import ENV_CACHE, _download_timeout, cache_dir, file_sha256

log = logging.getLogger("districtcontrol.geo.population")


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

HOW_TO_SUPPLY = (
    "the district population estimates (file {file}) are not available. Download the file on a "
    f"machine with network from\n  {URL}\nthen pass it with --population PATH, or set {ENV_PATH}=PATH, "
    "or copy it into the cache folder {cache}. Its sha256 must be {sha}."
)
COLUMNS = ("solar_year", "province_name_eng", "district_code", "district_name_eng", "total_population")


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
    timeout = _download_timeout()
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
