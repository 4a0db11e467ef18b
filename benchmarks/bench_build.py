"""Benchmark: districtcontrol build against a plain geopandas.explore() pipeline, whole processes, cold start.

Run from the repository root, with the boundary file available:

    DISTRICTCONTROL_BOUNDARIES=../shared/boundaries/afg_admbnda_adm2_agcho_20180522.zip \
        python benchmarks/bench_build.py --repeat 3

It alternates the sides (the baseline; districtcontrol's HTML-only and full builds, the full
build also with --jobs 1; the HTML build of region all), every run a new process, and prints
the first run and the median of each, their ratio to the baseline, region all vs north, the
file sizes, the Hausdorff distance between the simplified and the original outlines, the time
of `districtcontrol --help` and the time to resolve a 100,000-row table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASELINE = r"""
import sys, geopandas as gpd, pandas as pd
from districtcontrol.data import read_table
districts = gpd.read_file(sys.argv[1])
north = ["Hirat", "Badghis", "Faryab", "Jawzjan", "Balkh", "Kunduz", "Takhar", "Badakhshan", "Ghor", "Sar-e-Pul"]
districts = districts[districts["ADM1_EN"].isin(north)]
table = pd.DataFrame([r.__dict__ for r in read_table()])
for group in ["taliban", "is", "imu", None]:
    rows = table if group is None else table[table["group"] == group]
    rows = rows.drop_duplicates("district")
    merged = districts.merge(rows, left_on="ADM2_EN", right_on="district", how="left")
    m = merged[["ADM2_EN", "ADM1_EN", "status", "geometry"]].explore(column="status")
    m.save(f"{sys.argv[2]}/{group or 'combined'}.html")
"""


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def sizes(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_size for p in sorted(folder.glob("*.html")) if p.name != "index.html"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    boundaries = os.environ.get("DISTRICTCONTROL_BOUNDARIES")
    if not boundaries:
        sys.exit("set DISTRICTCONTROL_BOUNDARIES to the COD-AB district file")
    exe = [sys.executable, "-m", "districtcontrol"]
    tmp = Path(tempfile.mkdtemp(prefix="dc-bench-"))
    sides = {
        "baseline": lambda out: [sys.executable, "-c", BASELINE, boundaries, str(out)],
        "build html": lambda out: [*exe, "build", "--out", str(out), "--format", "html"],
        "build all": lambda out: [*exe, "build", "--out", str(out)],
        "build all --jobs 1": lambda out: [*exe, "build", "--out", str(out), "--jobs", "1"],
        "html, region all": lambda out: [*exe, "build", "--out", str(out), "--format", "html", "--region", "all"],
    }
    runs: dict[str, list[float]] = {name: [] for name in sides}
    for i in range(args.repeat):  # alternating the sides, every run a new process
        for name, command in sides.items():
            out = tmp / f"{name.replace(' ', '_')}{i}"
            out.mkdir()
            runs[name].append(timed(command(out)))
    print(f"cores: {os.cpu_count()}, repeats: {args.repeat} (first run / median of all)")
    medians = {k: statistics.median(v) for k, v in runs.items()}
    for name, value in medians.items():
        print(
            f"{name:>20}: {runs[name][0]:6.2f} s / {value:6.2f} s  (median ratio to baseline {value / medians['baseline']:.2f})"
        )
    print(f"region all vs north (HTML build): {medians['html, region all'] / medians['build html']:.2f}x")
    print("file sizes (KB): ours vs baseline")
    ours, theirs = sizes(tmp / "build_html0"), sizes(tmp / "baseline0")
    for name in ours:
        print(f"  {name:>14}: {ours[name] / 1024:7.0f} vs {theirs.get(name, 0) / 1024:7.0f}")
    report_geometry(boundaries)
    print(f"districtcontrol --help: {statistics.median(timed([*exe, '--help']) for _ in range(5)):.2f} s")
    report_resolution(boundaries)


def report_geometry(boundaries: str) -> None:
    import shapely

    from districtcontrol.geo import load_control
    from districtcontrol.geo.export import EQUAL_AREA_CRS
    from districtcontrol.maps import prepare_region

    for region in ("north", "all"):
        data = load_control(boundaries=boundaries, region=region)
        original = data.districts.to_crs(EQUAL_AREA_CRS).geometry.values
        simplified = prepare_region(data).simplified.to_crs(EQUAL_AREA_CRS).geometry.values
        distances = shapely.hausdorff_distance(original, simplified, densify=0.25)
        print(
            f"Hausdorff distance, simplified vs original, region {region}: "
            f"max {distances.max():.0f} m, median {statistics.median(distances):.0f} m"
        )


def report_resolution(boundaries: str) -> None:
    from districtcontrol.geo import Resolver, read_boundaries
    from districtcontrol.geo.names import match_rows

    resolver = Resolver.from_frame(read_boundaries(boundaries))
    names = [("Kunduz", "Khanabad"), ("Faryab", "Pushtun Kot"), ("Jowzjan", "Qush Teppa"), ("Faryab", "Qaramol")]
    rows = [
        {"province": p, "district": d + ("" if i % 50 else f" {i % 7}")}
        for i in range(100_000)
        for p, d in [names[i % 4]]
    ]
    start = time.perf_counter()
    match_rows(rows, resolver)
    print(f"resolve 100,000 rows: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
