"""Benchmark: ``districtcontrol import`` of a long district×date series, time and peak memory, one process.

Run from the repository root, with the boundary file available:

    DISTRICTCONTROL_BOUNDARIES=../shared/boundaries/afg_admbnda_adm2_agcho_20180522.zip \
        python benchmarks/bench_import.py --rows 1000000

It writes a series of ``--rows`` rows: every district of the boundary file (with its province,
so that every name resolves) on consecutive days, US-style dates and a 0/1 ``control`` column
that changes for a district about once a month, then runs ``import`` in a new process and prints
its wall time, its peak resident memory and the rows it kept. The goal: 1,000,000 rows in at
most 15 s and 1 GB.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import boundaries, measure, parser  # noqa: E402

GOAL_SECONDS = 15.0
GOAL_BYTES = 1 << 30


def district_names(boundaries: str) -> list[tuple[str, str]]:
    import pyogrio

    frame = pyogrio.read_dataframe(boundaries, read_geometry=False, columns=["ADM1_EN", "ADM2_EN"])
    return list(zip(frame["ADM1_EN"], frame["ADM2_EN"]))


def write_series(path: Path, rows: int, names: list[tuple[str, str]]) -> None:
    rng = random.Random(2021)
    start = dt.date(2015, 1, 1)
    value = [0] * len(names)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["Date", "Province", "District", "control"])
        for i in range(rows):
            n = i % len(names)
            if rng.random() < 1 / 30:
                value[n] = 1 - value[n]
            day = start + dt.timedelta(days=i // len(names))
            writer.writerow([day.strftime("%m/%d/%Y"), *names[n], value[n]])


def main() -> None:
    args_parser = parser(__doc__)
    args_parser.add_argument("--rows", type=int, default=1_000_000)
    args = args_parser.parse_args()
    boundary_file = boundaries()
    folder = Path(tempfile.mkdtemp(prefix="dc-bench-"))
    source, output, legend = folder / "series.csv", folder / "table.csv", folder / "legend.toml"
    legend.write_text('[groups.taliban]\nlabel = "Taliban"\n\n[statuses.controlled]\nlabel = "Controlled"\nrank = 2\n')
    write_series(source, args.rows, district_names(boundary_file))
    print(f"series: {args.rows:,} rows, {source.stat().st_size / 1e6:.0f} MB")
    cmd = [sys.executable, "-m", "districtcontrol", "import", str(source), "-o", str(output), "--group", "taliban"]
    cmd += ["--province", "Province", "--district", "District", "--date", "Date", "--date-format", "%m/%d/%Y"]
    cmd += ["--status", "control", "--values", "1=controlled,0=none", "--legend", str(legend)]
    run = measure(cmd, check=False)
    seconds, peak, code = run.seconds, run.peak, run.code
    met = seconds <= GOAL_SECONDS and peak <= GOAL_BYTES and code == 0
    kept = sum(1 for _ in open(output, encoding="utf-8")) - 1 if output.exists() else 0
    print(
        f"import {seconds:6.1f} s  {peak / 2**20:6.0f} MB  exit {code}  {kept:,} rows kept  {'ok' if met else 'GOAL MISSED'}"
    )
    for path in (source, output, legend):
        path.unlink(missing_ok=True)
    folder.rmdir()
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
