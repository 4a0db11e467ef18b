"""Benchmark: ``districtcontrol events`` on a million invented events, time and peak memory, one process.

Run from the repository root, with the boundary file available:

    DISTRICTCONTROL_BOUNDARIES=../shared/boundaries/afg_admbnda_adm2_agcho_20180522.zip \
        python benchmarks/bench_events.py --events 250000,500000,1000000

For each size it writes an event file in ACLED's columns (invented events: ACLED's terms
forbid redistributing its data): every event at its own point (the worst case: no two events
share a location, so each point is looked up), near a random district's representative point,
on a random day of 2017–2021, with a mix of takeovers, battles and attacks by the Taliban, the
government, IS, IMU and unnamed actors, and a source admin2 that is wrong for one event in ten.
It then runs ``events`` in a new process, without and with ``--points``, and prints wall time,
peak resident memory and the rows written. The goal: 1,000,000 events in at most 30 s and 2 GB,
the cost growing linearly.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_SECONDS = 30.0
GOAL_BYTES = 2 << 30
ACTORS = (
    "Taliban",
    "Military Forces of Afghanistan (2004-2021)",
    "Police Forces of Afghanistan (2004-2021)",
    "Islamic State Khorasan Province",
    "IMU: Islamic Movement of Uzbekistan",
    "Unidentified Armed Group (Afghanistan)",
    "Civilians (Afghanistan)",
)
TYPES = (  # event type, sub-event type, share
    ("Strategic developments", "Non-state actor overtakes territory", 0.1),
    ("Battles", "Government regains territory", 0.05),
    ("Battles", "Armed clash", 0.5),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", 0.2),
    ("Violence against civilians", "Attack", 0.15),
)


def write_events(path: Path, n: int, boundaries: str) -> None:
    import numpy as np
    import pandas as pd

    from districtcontrol.geo.boundaries import load_boundaries

    _, frame = load_boundaries(boundaries)
    points = frame.geometry.representative_point()
    rng = np.random.default_rng(2021)
    district = rng.integers(0, len(frame), n)
    kind = rng.choice(len(TYPES), n, p=[t[2] for t in TYPES])
    days = np.datetime64("2017-01-01") + rng.integers(0, 5 * 365, n).astype("timedelta64[D]")
    names = frame["district"].to_numpy()
    wrong = rng.random(n) < 0.1
    pd.DataFrame(
        {
            "event_id_cnty": [f"AFG{i}" for i in range(1, n + 1)],
            "event_date": days.astype(str),
            "event_type": np.array([t[0] for t in TYPES])[kind],
            "sub_event_type": np.array([t[1] for t in TYPES])[kind],
            "actor1": np.array(ACTORS)[rng.integers(0, 5, n)],
            "actor2": np.array(ACTORS)[rng.integers(0, len(ACTORS), n)],
            "admin1": frame["province"].to_numpy()[district],
            "admin2": np.where(wrong, names[(district + 1) % len(names)], names[district]),
            "latitude": points.y.to_numpy()[district] + rng.normal(0, 0.01, n),
            "longitude": points.x.to_numpy()[district] + rng.normal(0, 0.01, n),
            "geo_precision": rng.choice([1, 2, 3], n, p=[0.7, 0.25, 0.05]),
        }
    ).to_csv(path, index=False)


def measure(cmd: list[str]) -> tuple[float, int, int, str]:
    """Wall seconds, peak resident bytes, exit status and stderr of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss * 1024, os.waitstatus_to_exitcode(status), err


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", default="1000000", help="comma-separated sizes (default 1000000)")
    parser.add_argument("--period", default="month")
    args = parser.parse_args()
    boundaries = os.environ.get("DISTRICTCONTROL_BOUNDARIES")
    if not boundaries:
        sys.exit("set DISTRICTCONTROL_BOUNDARIES to the boundary file")
    command = [str(Path(sys.executable).with_name("districtcontrol"))]
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(s) for s in args.events.split(",")):
            source = Path(tmp) / f"events-{n}.csv"
            write_events(source, n, boundaries)
            size = source.stat().st_size / 2**20
            for points in (False, True):
                cmd = [*command, "events", str(source), "-o", f"{tmp}/table.csv", "--period", args.period]
                cmd += ["--points", f"{tmp}/points.csv"] if points else []
                seconds, peak, status, err = measure(cmd)
                if status != 0:
                    print(err, file=sys.stderr)
                    return 1
                rows = sum(1 for _ in open(f"{tmp}/table.csv", encoding="utf-8")) - 1
                label = "with --points" if points else "table only"
                print(
                    f"{n:>9,} events ({size:.0f} MB), {label:>13}: {seconds:6.2f} s, peak {peak / 2**20:6.0f} MB, {rows:,} rows"
                )
                if n >= 1_000_000:
                    ok &= seconds <= GOAL_SECONDS and peak <= GOAL_BYTES
    print(f"goal (1,000,000 events ≤ {GOAL_SECONDS:.0f} s and ≤ {GOAL_BYTES >> 30} GB): {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
