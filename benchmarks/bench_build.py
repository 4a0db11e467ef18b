"""Benchmark: districtcontrol build against a plain geopandas.explore() pipeline, whole processes, alternating.

Run from the repository root, with the boundary file available:

    DISTRICTCONTROL_BOUNDARIES=../shared/boundaries/afg_admbnda_adm2_agcho_20180522.zip \
    DISTRICTCONTROL_POPULATION=../shared/population/cso_district_population_estimates_2004-2020.csv \
        python benchmarks/bench_build.py --repeat 3

Every run is a new process. One round runs every side once, in order (the baseline; the HTML
and full builds of region north with a warm cache, as a returning user has it, and with an
empty one, as a first run has it; the full build with --jobs 1; the HTML build of region all;
the whole-country build of a 35-date series in every format), and the rounds repeat, so the
noise of a shared machine falls on every side alike. The warm cache is filled once before the
first round. Then it prints one table: the first run and the median of each side, its ratio to
the baseline's median, the goal and whether it is met; then file sizes, peak memory, the
Hausdorff distance between the simplified and the original outlines, `--help` and the time to
resolve a 100,000-row table. Exit status 1 when a goal is missed.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from _common import DISTRICTCONTROL, alternate, boundaries, measure, median, parser, print_table, stack, verdict

BASELINE = r"""
import sys, geopandas as gpd, pandas as pd
from districtcontrol.data import read_table
districts = gpd.read_file(sys.argv[1])
north = ["Hirat", "Badghis", "Faryab", "Jawzjan", "Balkh", "Kunduz", "Takhar", "Badakhshan", "Ghor", "Sar-e-Pul"]
districts = districts[districts["ADM1_EN"].isin(north)]
table = pd.DataFrame([{k: getattr(r, k) for k in ("group", "district", "status")} for r in read_table()])
for group in ["taliban", "is", "imu", None]:
    rows = table if group is None else table[table["group"] == group]
    rows = rows.drop_duplicates("district")
    merged = districts.merge(rows, left_on="ADM2_EN", right_on="district", how="left")
    m = merged[["ADM2_EN", "ADM1_EN", "status", "geometry"]].explore(column="status")
    m.save(f"{sys.argv[2]}/{group or 'combined'}.html")
"""
EVERY_FORMAT = "html,png,svg,pdf,geojson"
MB = 2**20


def main() -> None:
    args = _arguments()
    path = boundaries()
    tmp = Path(tempfile.mkdtemp(prefix="dc-bench-"))
    series = _series_table(Path(path), tmp / "series.csv")
    warm = {**os.environ, "DISTRICTCONTROL_CACHE": str(tmp / "cache")}

    def build(*options: str):
        return lambda i: ([*DISTRICTCONTROL, "build", "--out", str(_fresh(tmp, "out")), *options], warm)

    def cold(*options: str):
        return lambda i: (
            [*DISTRICTCONTROL, "build", "--out", str(_fresh(tmp, "out")), *options],
            {**os.environ, "DISTRICTCONTROL_CACHE": str(_fresh(tmp, "cold"))},
        )

    series_options = ("--region", "all", "--table", str(series), "--date-format", "%m/%d/%Y", "--format", EVERY_FORMAT)
    sides = {
        "baseline": lambda i: [sys.executable, "-c", BASELINE, path, str(_keep(tmp, f"baseline{i}"))],
        "html, warm": lambda i: (
            [*DISTRICTCONTROL, "build", "--out", str(_keep(tmp, f"html{i}")), "--format", "html"],
            warm,
        ),
        "full, warm": build(),
        "full, warm, --jobs 1": build("--jobs", "1"),
        "html, cold": cold("--format", "html"),
        "full, cold": cold(),
        "html, region all, warm": lambda i: (
            [*DISTRICTCONTROL, "build", "--out", str(_keep(tmp, f"all{i}")), "--format", "html", "--region", "all"],
            warm,
        ),
        "series, all, every format, warm": lambda i: (
            [*DISTRICTCONTROL, "build", "--out", str(_keep(tmp, f"series{i}")), *series_options],
            warm,
        ),
    }
    for name in ("html, warm", "full, warm", "html, region all, warm", "series, all, every format, warm"):
        measure(sides[name](-1)[0], warm)  # fills the warm cache
    runs = alternate(sides, args.repeat)
    memory = measure(
        [*DISTRICTCONTROL, "build", "--out", str(_fresh(tmp, "out")), "--jobs", "1", *series_options], warm
    )
    help_s = statistics.median(measure([*DISTRICTCONTROL, "--help"]).seconds for _ in range(5))
    ok = _report(runs, tmp, memory, help_s, args.repeat)
    shutil.rmtree(tmp, ignore_errors=True)
    _report_geometry(path)
    _report_resolution(path)
    sys.exit(0 if ok else 1)


def _arguments():
    p = parser(__doc__)
    p.add_argument("--repeat", type=int, default=3, help="rounds of alternating runs (default 3)")
    return p.parse_args()


def _fresh(tmp: Path, stem: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=stem, dir=tmp))


def _keep(tmp: Path, name: str) -> Path:
    folder = tmp / name
    folder.mkdir(exist_ok=True)
    return folder


def _series_table(boundary_file: Path, path: Path) -> Path:
    """The tests' synthetic 2021-kind series (tests/takeover.py): 300 districts, 35 dates, no third-party data."""
    from takeover import control_table, takeover_series

    return control_table(takeover_series(boundary_file, n_districts=300, n_dates=35), path)


GOALS = {  # side: (largest ratio to the baseline's median, or None for none)
    "html, warm": 0.25,
    "full, warm": 0.5,
    "series, all, every format, warm": 2.0,
}


def _report(runs, tmp: Path, memory, help_s: float, repeat: int) -> bool:
    print(f"\n{stack()}; {repeat} alternating rounds, every run a new process\n")
    base = median(runs["baseline"])
    rows, ok = [], True
    for name, side in runs.items():
        ratio = median(side) / base
        goal = GOALS.get(name)
        met = goal is None or ratio <= goal
        ok &= met
        rows.append([name, f"{side[0].seconds:.2f} s", f"{median(side):.2f} s", f"{ratio:.2f}x",
                     f"<= {goal}x" if goal else "", verdict(met) if goal else ""])  # fmt: skip
    ok &= help_s <= 0.1
    rows.append(["districtcontrol --help", "", f"{help_s:.2f} s", "", "<= 0.1 s", verdict(help_s <= 0.1)])
    peak = memory.peak / MB
    rows.append(["peak memory, series build, --jobs 1", "", f"{peak:.0f} MB", "", "<= 1024 MB", verdict(peak <= 1024)])
    ok &= peak <= 1024
    for label, folder, pattern, limit in (
        ("HTML maps, region north (CDN)", tmp / "html0", "*.html", 200),
        ("HTML maps, region all (CDN)", tmp / "all0", "*.html", 200),
        ("timeline.svg, series", tmp / "series0", "timeline.svg", 3 * 1024),
    ):
        sizes = [
            p.stat().st_size / 1024 for p in folder.glob(pattern) if p.name != "index.html" and ".embed." not in p.name
        ]
        biggest = max(sizes, default=0)
        ok &= biggest <= limit
        rows.append([label, "", f"{min(sizes, default=0):,.0f}–{biggest:,.0f} KB", "", f"<= {limit:,} KB", verdict(biggest <= limit)])  # fmt: skip
    baseline_kb = max(p.stat().st_size for p in (tmp / "baseline0").glob("*.html")) / 1024
    rows.append(["HTML maps, plain explore()", "", f"{baseline_kb:,.0f} KB", "", "", ""])
    print_table(["measure", "first run", "median", "vs baseline", "goal", "met"], rows)
    return ok


def _report_geometry(boundary_file: str) -> None:
    """The Hausdorff distance to the original outlines: of the simplified ones (print maps) and of
    the HTML maps' (the topology's thinned arcs, as the page decodes them)."""
    import geopandas as gpd
    import shapely

    from districtcontrol.geo import load_control
    from districtcontrol.geo._topology import shapes
    from districtcontrol.geo.export import EQUAL_AREA_CRS
    from districtcontrol.maps import prepare_region

    print()
    for region in ("north", "all"):
        data = load_control(boundaries=boundary_file, region=region, population=False)
        original = data.districts.to_crs(EQUAL_AREA_CRS).geometry.values
        prepared = prepare_region(data)
        drawn = gpd.GeoSeries(shapes(prepared.topology), crs=prepared.simplified.crs)
        for what, outlines in (("simplified", prepared.simplified.geometry), ("HTML outlines", drawn)):
            distances = shapely.hausdorff_distance(original, outlines.to_crs(EQUAL_AREA_CRS).values, densify=0.25)
            print(
                f"Hausdorff distance, {what} vs original, region {region}: "
                f"max {distances.max():.0f} m, median {statistics.median(distances):.0f} m (goal: at most 500 m)"
            )


def _report_resolution(boundary_file: str) -> None:
    from districtcontrol.geo import Resolver, read_boundaries
    from districtcontrol.geo.names import match_rows

    resolver = Resolver.from_frame(read_boundaries(boundary_file))
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
