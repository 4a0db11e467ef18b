"""Benchmark: ``districtcontrol validate`` of a large table, time and peak memory, whole processes.

Run from the repository root, with the boundary file available:

    DISTRICTCONTROL_BOUNDARIES=../shared/boundaries/afg_admbnda_adm2_agcho_20180522.zip \
        python benchmarks/bench_validate.py --rows 1000000

It writes a table of ``--rows`` rows over every district of the boundary file (three groups,
one row per group, district and day, 2,000 distinct sources, some districts spelled in lower
case or by their alternative names), then runs ``validate --no-names`` (the table alone) and
``validate`` (every name resolved and joined), each in a new process, and prints the wall time
and the peak resident memory of each. The goal: 1,000,000 rows in at most 10 s and 1 GB.

Measured on 2 shared cores, 1,000,000 rows (56 MB): before, 15.1 s and 1,595 MB without names,
66.1 s and 2,185 MB with them (sources merged by a quadratic list search, every row kept as
lists of strings, five sorts per district); now 5.5 s and 488 MB, and 7.9 s and 631 MB.
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import boundaries, measure, parser  # noqa: E402

GOAL_SECONDS = 10.0
GOAL_BYTES = 1 << 30
GROUPS = ("taliban", "is", "imu")
STATUSES = ("captured", "retaken", "contested", "present")


def district_names(boundaries: str) -> list[tuple[str, str]]:
    """(province, district) as the table will spell them: mostly exact, some lower case or alternative."""
    import pyogrio

    frame = pyogrio.read_dataframe(boundaries, read_geometry=False, columns=["ADM1_EN", "ADM2_EN", "ADM2ALT1EN"])
    names = []
    rows = zip(frame["ADM1_EN"], frame["ADM2_EN"], frame["ADM2ALT1EN"].fillna(""))
    for i, (province, district, alt) in enumerate(rows):
        spelled = district.lower() if i % 5 == 1 else district
        names.append((province, alt if (i % 7 == 3 and alt) else spelled))
    return names


def write_table(path: Path, rows: int, names: list[tuple[str, str]]) -> None:
    start = dt.date(1990, 1, 1)
    places = [(g, p, d) for g in GROUPS for p, d in names]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["group", "province", "district", "status", "date", "source", "note"])
        for i in range(rows):
            group, province, district = places[i % len(places)]
            day = start + dt.timedelta(days=i // len(places))
            note = "reported twice" if i % 11 == 0 else ""
            writer.writerow([group, province, district, STATUSES[i % 4], day.isoformat(), f"report {i % 2000}", note])


def main() -> None:
    args_parser = parser(__doc__)
    args_parser.add_argument("--rows", type=int, default=1_000_000)
    args = args_parser.parse_args()
    boundary_file = boundaries()
    table = Path(tempfile.mkdtemp(prefix="dc-bench-")) / "large.csv"
    write_table(table, args.rows, district_names(boundary_file))
    print(f"table: {args.rows:,} rows, {table.stat().st_size / 1e6:.0f} MB")
    exe = [sys.executable, "-m", "districtcontrol", "validate", str(table)]
    failed = False
    for label, cmd in (("validate --no-names", exe + ["--no-names"]), ("validate", exe)):
        run = measure(cmd, check=False)
        seconds, peak, code = run.seconds, run.peak, run.code
        met = seconds <= GOAL_SECONDS and peak <= GOAL_BYTES and code == 0
        failed |= not met
        print(f"{label:<20} {seconds:6.1f} s  {peak / 2**20:6.0f} MB  exit {code}  {'ok' if met else 'GOAL MISSED'}")
    table.unlink()
    table.parent.rmdir()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
