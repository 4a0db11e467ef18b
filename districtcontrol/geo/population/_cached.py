"""The population join kept in the user cache: the same file, districts, year and assignments join once.

The key holds the population file's sha256, a digest of the districts' names and codes (every
column but the geometry), the year, every assignment as read, and a digest of the code and the
shipped name files that decide the join (:func:`districtcontrol._cache.files_digest`). The value
is the joined table, every row's outcome and the national totals, so a returning user's report
is the one a first run gives.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable

from districtcontrol.geo.population._join import Correction, JoinReport, RowOutcome

# What decides a join besides its inputs: name matching, the join itself and the shipped name files.
DECIDED_BY = ("geo/names", "geo/population", "data")


def cached_join(sha256: str, year: int | None, boundaries_frame, assignments: list, join: Callable[[], tuple]):
    """``join()`` — (table, :class:`JoinReport`, totals) — or its result kept from an earlier run with the same key."""
    from districtcontrol import _cache

    key = {
        "population_sha256": sha256,
        "year": year,
        "districts": _districts_digest(boundaries_frame),
        "assignments": hashlib.sha256(repr(list(assignments)).encode()).hexdigest(),
        "decided_by": _cache.files_digest(DECIDED_BY),
    }
    return _cache.cached("population", key, join, _encode, _decode)


def _districts_digest(frame) -> str:
    columns = [c for c in frame.columns if c != frame.geometry.name] if hasattr(frame, "geometry") else list(frame)
    text = json.dumps({c: [str(v) for v in frame[c]] for c in columns}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _encode(joined: tuple) -> dict:
    import pandas as pd

    table, report, totals = joined
    return {
        "pcodes": [str(p) for p in table.index],
        "years": {str(y): [None if pd.isna(v) else int(v) for v in table[y]] for y in table},
        "outcomes": [dataclasses.astuple(o) for o in report.outcomes],
        "corrections": [dataclasses.astuple(c) for c in report.corrections],
        "missing": {str(y): list(p) for y, p in report.missing.items()},
        "code_years": list(report.code_years),
        "totals": {str(y): int(t) for y, t in totals.items()},
    }


def _decode(payload: dict) -> tuple:
    import pandas as pd

    columns = {int(y): payload["years"][y] for y in sorted(payload["years"], key=int)}
    table = pd.DataFrame(columns, index=pd.Index(payload["pcodes"], name="pcode"), dtype="Int64")
    report = JoinReport(
        outcomes=[RowOutcome(*o) for o in payload["outcomes"]],
        corrections=[Correction(*c) for c in payload["corrections"]],
        missing={int(y): tuple(p) for y, p in payload["missing"].items()},
        code_years=tuple(payload["code_years"]),
    )
    return table, report, {int(y): t for y, t in payload["totals"].items()}
