"""Shared fixtures: tiny synthetic districts for unit tests, the real boundary file for integration tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_COPY = REPO.parent / "shared" / "boundaries" / "afg_admbnda_adm2_agcho_20180522.zip"
SHARED_POPULATION = REPO.parent / "shared" / "population" / "cso_district_population_estimates_2004-2020.csv"
ARTIFACTS = REPO / "test-artifacts"
if not os.environ.get("DISTRICTCONTROL_POPULATION") and SHARED_POPULATION.is_file():
    # Module- and session-scoped fixtures load regions too: set before any fixture runs.
    os.environ["DISTRICTCONTROL_POPULATION"] = str(SHARED_POPULATION)


def _real_boundaries() -> Path | None:
    env = os.environ.get("DISTRICTCONTROL_BOUNDARIES")
    if env and Path(env).is_file():
        return Path(env)
    return SHARED_COPY if SHARED_COPY.is_file() else None


@pytest.fixture(scope="session")
def real_boundaries() -> Path:
    path = _real_boundaries()
    if path is None:
        pytest.skip("the COD-AB boundary file is not available: set DISTRICTCONTROL_BOUNDARIES")
    return path


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """Never read or write the user's real cache; every test starts with an empty one (beside its tmp_path, not in it).

    Population estimates come from ``DISTRICTCONTROL_POPULATION`` or the shared copy; without
    either, the download address is one that refuses at once, so no test waits on a network.
    """
    monkeypatch.setenv("DISTRICTCONTROL_CACHE", str(tmp_path_factory.mktemp("cache") / "districtcontrol"))
    if not os.environ.get("DISTRICTCONTROL_POPULATION"):
        if SHARED_POPULATION.is_file():
            monkeypatch.setenv("DISTRICTCONTROL_POPULATION", str(SHARED_POPULATION))
        else:
            monkeypatch.setenv("DISTRICTCONTROL_POPULATION_URL", "http://127.0.0.1:9/population.csv")


@pytest.fixture(scope="session")
def control_data(real_boundaries):
    from districtcontrol.geo import load_control

    return load_control(boundaries=real_boundaries)


@pytest.fixture(scope="session")
def region(control_data):
    """The shipped table's region north, prepared once for drawing."""
    from districtcontrol.maps import prepare_region

    return prepare_region(control_data)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def square(x: float, y: float, size: float = 1.0):
    from shapely.geometry import box

    return box(x, y, x + size, y + size)


def make_tiny_districts():
    """Two provinces of three and two square districts, in the standard frame."""
    import geopandas as gpd

    rows = [
        ("XX0101", "Khan Abad", "خان آباد", "Northland", "XX01", "", square(0, 0)),
        ("XX0102", "Chahar Darah", "", "Northland", "XX01", "", square(1, 0)),
        ("XX0103", "Baharak", "", "Northland", "XX01", "Girwan", square(2, 0)),
        ("XX0201", "Baharak", "", "Southland", "XX02", "", square(0, -1)),
        ("XX0202", "Qush Tepa", "", "Southland", "XX02", "", square(1, -1)),
    ]
    columns = ["pcode", "district", "district_dari", "province", "province_pcode", "alt_names", "geometry"]
    frame = gpd.GeoDataFrame([dict(zip(columns, r)) for r in rows], geometry="geometry", crs=4326)
    frame["province_dari"] = ""
    return frame


@pytest.fixture(scope="session")
def tiny_districts_session():
    """The tiny districts, shared by hypothesis tests (function fixtures are not reset between examples)."""
    return make_tiny_districts()


@pytest.fixture
def tiny_districts():
    return make_tiny_districts()
