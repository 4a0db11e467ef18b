"""Benchmark: locating, reading and joining the population estimates, and the summary with population.

Run from the repository root, with the boundary and population files available:

    DISTRICTCONTROL_BOUNDARIES=../shared/boundaries/afg_admbnda_adm2_agcho_20180522.zip \\
    DISTRICTCONTROL_POPULATION=../shared/population/cso_district_population_estimates_2004-2020.csv \\
        python benchmarks/bench_population.py --repeat 5

It prints the median time of load+join for one year (what a build adds; target ≤ 0.3 s) and for
all 16 years, the time of the summary of region all, then what the join did with every row:
counts per year, rows listed (not joined), temporary districts moved to their parent, code
disagreements and corrected totals, and the national totals of the file and of the districts.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ENV_POPULATION, boundaries, parser  # noqa: E402


def timed(func, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    args_parser = parser(__doc__)
    args_parser.add_argument("--repeat", type=int, default=5)
    args_parser.add_argument("--year", type=int, default=1395)
    args = args_parser.parse_args()
    boundary_file = boundaries(ENV_POPULATION)

    from districtcontrol.geo import load_control
    from districtcontrol.geo.boundaries import read_boundaries
    from districtcontrol.geo.population import load_population
    from districtcontrol.geo.summary import summary_table

    frame = read_boundaries(boundary_file)
    one, pop = timed(lambda: load_population(boundaries_frame=frame, year=args.year), args.repeat)
    every, pop_all = timed(lambda: load_population(boundaries_frame=frame), args.repeat)
    data = load_control(region="all")
    people = pop.by_pcode(args.year)
    summary_s, _ = timed(
        lambda: summary_table(
            data.country, groups=data.legend.group_keys, statuses=data.legend.status_keys, population=people
        ),
        args.repeat,
    )
    print(f"load+join {args.year}: {one:.3f} s (median of {args.repeat}; target ≤ 0.3 s)")
    print(f"load+join all {len(pop_all.years)} years: {every:.3f} s")
    print(f"summarise region all with population: {summary_s:.3f} s")
    report = pop_all.report
    for year, counts in report.counts().items():
        print(f"  {year}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    print(f"rows: {len(report.outcomes)}, joined {len(report.joined)}, listed {len(report.listed)}")
    for o in report.listed:
        print(f"  listed: {o.year} '{o.district}' ({o.province}), line {o.line}: {o.detail}")
    moved = [o for o in report.transfers if o.year == args.year]
    print(f"temporary districts moved in {args.year}: {len(moved)}, {sum(o.population or 0 for o in moved):,} people")
    print(f"code years: {report.code_years}; code disagreements: {len(report.code_disagreements)}")
    print(f"totals corrected from their parts: {len(report.corrections)}")
    for year in pop_all.years:
        series = pop_all.by_pcode(year)
        print(
            f"  {year}: file {pop_all.total(year):,}, districts {int(series.sum()):,}, "
            f"unknown {int(series.isna().sum())}"
        )


if __name__ == "__main__":
    main()
