"""A synthetic district×date series of the 2021 takeover kind, made from the boundary file's own names.

Nothing here is third-party data: districts are drawn at random (seeded) from the boundary
file's names (names found once in the file, since the series names no province), and each
gets a made-up fall date on an S-curve, some a retaking and a recapture, some none. The raw
series is what trackers publish: one row per district and date, US-style dates, a 0/1
control column. :func:`control_table` turns it into a control table as an import would:
district names without provinces, the dates as written (read with ``date_format``), 1 as
``captured`` and 0 as ``none``, the first observation and every change.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

US_DATES = "%m/%d/%Y"  # the series' date format, for read_table and load_control
FIRST_DAY = dt.date(2021, 5, 1)
LAST_DAY = dt.date(2021, 8, 16)


@dataclass(frozen=True)
class Observation:
    district: str
    province: str
    pcode: str
    date: str  # US style, 8/16/2021
    control: int  # 1: held by the group


def us_date(day: dt.date) -> str:
    return f"{day.month}/{day.day}/{day.year}"


def iso_date(us: str) -> str:
    month, day, year = (int(x) for x in us.split("/"))
    return dt.date(year, month, day).isoformat()


def series_days(n_dates: int) -> list[dt.date]:
    span = (LAST_DAY - FIRST_DAY).days
    return [FIRST_DAY + dt.timedelta(days=round(i * span / (n_dates - 1))) for i in range(n_dates)]


def takeover_series(boundaries: Path, n_districts: int = 300, n_dates: int = 40, seed: int = 2021) -> list[Observation]:
    """Every chosen district on every date: 0 before it falls, 1 after; some are retaken and fall again."""
    from districtcontrol.geo.boundaries import load_boundaries
    from districtcontrol.geo.names import Resolver

    frame = load_boundaries(boundaries)[1].sort_values("pcode")
    resolver = Resolver.from_frame(frame)
    alone = [resolver.resolve("", name).pcode == pcode for name, pcode in zip(frame["district"], frame["pcode"])]
    unique = frame[alone]  # names that say which district they are without a province
    rng = random.Random(seed)
    chosen = rng.sample(list(unique[["district", "province", "pcode"]].itertuples(index=False)), n_districts)
    days = series_days(n_dates)
    out = []
    for district, province, pcode in chosen:
        held = _held_on(rng, n_dates)
        out += [Observation(district, province, pcode, us_date(day), int(i in held)) for i, day in enumerate(days)]
    return out


def _held_on(rng: random.Random, n_dates: int) -> set[int]:
    draw = rng.random()
    if draw < 0.12:
        return set()  # never falls
    falls = 0 if draw < 0.3 else min(n_dates - 1, int(rng.betavariate(5, 1.6) * n_dates))
    held = set(range(falls, n_dates))
    if rng.random() < 0.15 and falls < n_dates - 6:
        back = rng.randrange(falls + 1, n_dates - 3)
        held -= set(range(back, back + rng.randrange(1, 4)))  # retaken for a while, then falls again
    return held


def control_table(series: list[Observation], path: Path, group: str = "taliban", every_date: bool = False) -> Path:
    """The series as a control table: each district's first observation and every change after it
    (``every_date``: every observation, so the table has every date of the series)."""
    rows, before = [], {}
    for obs in sorted(series, key=lambda o: (o.pcode, iso_date(o.date))):
        if before.get(obs.pcode) == obs.control and not every_date:
            continue
        before[obs.pcode] = obs.control
        status = "captured" if obs.control else "none"
        rows.append([group, obs.district, status, obs.date, "tracker"])
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["group", "district", "status", "date", "source"])
        writer.writerows(rows)
    return path


def held_per_date(series: list[Observation], provinces: tuple[str, ...] | None = None) -> dict[str, int]:
    """The source's count: districts held on each date (ISO), in ``provinces`` (default: all)."""
    counts: dict[str, int] = {}
    for obs in series:
        if provinces is not None and obs.province not in provinces:
            continue
        counts[iso_date(obs.date)] = counts.get(iso_date(obs.date), 0) + obs.control
    return dict(sorted(counts.items()))
