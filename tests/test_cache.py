"""The user cache of prepared regions: a returning user's build is the same, byte for byte, and computes less."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from districtcontrol import _cache

pytestmark = pytest.mark.integration
FORMATS = ("html", "png", "svg", "pdf", "geojson")


def _build(boundaries: Path, out: Path, region: str = "Kunduz,Baghlan") -> dict[str, bytes]:
    from districtcontrol.geo import load_control
    from districtcontrol.maps import build

    data = load_control(boundaries=boundaries, region=region)
    build(data, out, FORMATS, jobs=1)
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if not p.name.startswith(".")}


def _entries() -> dict[str, Path]:
    return {p.name.split("-")[0]: p for p in sorted(_cache.folder().glob("*.json"))}


def _forbid(monkeypatch, *targets: str) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("computed again although the cache holds it")

    for target in targets:
        monkeypatch.setattr(target, refuse)


COMPUTED = (
    "districtcontrol.geo.boundaries.read_boundaries",
    "districtcontrol.maps._simplify.simplify_districts",
    "districtcontrol.maps.static._place_labels",
    "districtcontrol.maps._surroundings._fit",
    "districtcontrol.maps._reader._layer_data",
    "districtcontrol.geo.population._estimates.join_population",
)


def test_a_warm_build_reads_the_cache_and_writes_the_same_bytes_as_a_cold_one(tmp_path, real_boundaries, monkeypatch):
    cold = _build(real_boundaries, tmp_path / "cold")
    assert set(_entries()) == {"boundaries", "population", "region", "labels", "surroundings", "surroundings_html"}
    _forbid(monkeypatch, *COMPUTED)
    warm = _build(real_boundaries, tmp_path / "warm")
    assert warm.keys() == cold.keys() and len(cold) > 10
    assert [name for name in cold if cold[name] != warm[name]] == []


def test_a_corrupt_or_mismatched_entry_is_ignored_and_written_again(tmp_path, real_boundaries):
    cold = _build(real_boundaries, tmp_path / "cold")
    entries = _entries()
    region = json.loads(entries["region"].read_text())
    region["payload"] = region["payload"].replace("0", "1", 1)  # still JSON, no longer its sha256
    entries["region"].write_text(json.dumps(region))
    entries["labels"].write_bytes(entries["labels"].read_bytes()[:100])  # cut short, as by a full disk
    entries["boundaries"].write_text(json.dumps({"format": 1}))  # no key, no payload
    again = _build(real_boundaries, tmp_path / "again")
    assert [name for name in cold if cold[name] != again[name]] == []
    for path in _entries().values():  # rewritten, and valid
        entry = json.loads(path.read_text())
        assert _cache._read(path, entry["key"]) is not None


def test_an_entry_is_only_read_for_its_own_key(tmp_path):
    calls = []

    def compute(value):
        calls.append(value)
        return value

    same = {"a": 1}
    assert _cache.cached("t", same, lambda: compute("first"), lambda v: v, lambda p: p) == "first"
    assert _cache.cached("t", same, lambda: compute("second"), lambda v: v, lambda p: p) == "first"
    path, _ = _cache._path("t", same)
    entry = json.loads(path.read_text())
    entry["key"] = entry["key"].replace('"a": 1', '"a": 2')  # an entry for another key under this name
    entry_text = json.dumps(entry)
    path.write_text(entry_text)
    assert _cache.cached("t", same, lambda: compute("third"), lambda v: v, lambda p: p) == "third"
    assert calls == ["first", "third"]


def test_a_value_encoded_as_none_is_not_stored_and_no_cache_switches_it_off(monkeypatch):
    assert _cache.cached("t", {"k": 1}, lambda: 5, lambda v: None, lambda p: p) == 5
    assert not _cache.folder().exists() or not list(_cache.folder().glob("*.json"))
    monkeypatch.setenv(_cache.ENV_OFF, "1")
    assert _cache.cached("t", {"k": 2}, lambda: 6, lambda v: v, lambda p: p) == 6
    assert not _cache.folder().exists() or not list(_cache.folder().glob("*.json"))


def test_a_cache_folder_that_cannot_be_written_only_costs_time(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("DISTRICTCONTROL_CACHE", str(blocked))
    assert _cache.cached("t", {"k": 1}, lambda: 7, lambda v: v, lambda p: p) == 7


def test_a_boundary_file_read_with_a_warning_warns_every_time(tmp_path, tiny_districts):
    """Not cached: a returning user sees the same warning (here, a file without a coordinate system)."""
    from districtcontrol.geo.boundaries import load_boundaries

    path = tmp_path / "no_crs.shp"
    frame = tiny_districts.rename(columns={"pcode": "ADM2_PCODE", "district": "ADM2_EN", "province": "ADM1_EN"})
    frame[["ADM2_PCODE", "ADM2_EN", "ADM1_EN", "geometry"]].to_file(path)
    path.with_suffix(".prj").unlink()
    for _ in range(2):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            load_boundaries(path)
        assert any("no coordinate reference system" in str(w.message) for w in caught)
    assert "boundaries" not in _entries()


def test_the_population_join_kept_is_the_join_computed_and_only_for_its_own_year_and_assignments(
    real_boundaries, monkeypatch
):
    """A returning user gets the same figures and the same account of every row; other inputs join afresh."""
    from districtcontrol.geo import read_boundaries
    from districtcontrol.geo.population import load_assignments, load_population

    frame = read_boundaries(real_boundaries)
    first = load_population(boundaries_frame=frame, year=1395)
    _forbid(monkeypatch, "districtcontrol.geo.population._estimates.join_population")
    kept = load_population(boundaries_frame=frame, year=1395)
    assert kept.by_pcode(1395).equals(first.by_pcode(1395)) and kept.total(1395) == first.total(1395) == 27_657_145
    assert kept.report.lines() == first.report.lines() and kept.report.outcomes == first.report.outcomes
    for other in ({"year": 1394}, {"year": 1395, "assignments": load_assignments()[1:]}):
        with pytest.raises(AssertionError, match="computed again"):
            load_population(boundaries_frame=frame, **other)
