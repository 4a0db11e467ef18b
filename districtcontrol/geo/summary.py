"""Summaries per province, region and country: districts, km² and people per group and status.

For every unit (each province of the region, the region, the country), group and status the
summary counts the districts, their area (in an equal-area projection) and their population,
and gives each as a share of the unit's total. Districts without a population estimate are
counted apart (``population_unknown``), never as zero people.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence

from districtcontrol.geo.export import EQUAL_AREA_CRS

LEVELS = ("province", "region", "country")
COLUMNS = [
    "level",
    "unit",
    "unit_pcode",
    "group",
    "status",
    "districts",
    "districts_pct",
    "area_km2",
    "area_pct",
    "population",
    "population_pct",
    "population_unknown",
    "unit_districts",
    "unit_area_km2",
    "unit_population",
    "country_districts_pct",
    "country_area_pct",
    "country_population_pct",
]
# The date the statuses are as of and its wording, on every row of a summary of a dated table.
DATE_COLUMNS = ("as_of", "when")
CAVEAT = (
    "Population counts everyone living in a district with a record, not the people under a group's control; "
    "km² likewise counts whole districts."
)


def summarise(data):
    """The summary of a loaded region (what :func:`districtcontrol.load_control` returns).

    Rows per province of the region, the region and the country, per group and status of the
    legend: districts, km² and population with their shares (see :func:`summary_table`),
    plus ``attrs["notes"]``: every row of the table counted in another province than it names.
    When the table has dates, the columns ``as_of`` and ``when`` (also ``attrs["as_of"]``,
    ``attrs["when"]``) give the date the statuses are as of and its wording, as in the CSV.
    ``attrs["unplaced"]``: the count of the source's names an import could not place ("" for none).
    The region row is named by what the region is (``data.region_name``: "Afghanistan",
    "Region north", "32 provinces").
    """
    from districtcontrol.geo._unplaced import counted

    population = data.country["population"] if data.population else None
    if population is not None:
        population = population.set_axis(data.country["pcode"])
    summary = summary_table(
        data.country,
        groups=data.legend.group_keys,
        statuses=data.legend.status_keys,
        population=population,
        region_pcodes=data.provinces,
        region_name=region_name(data),
        population_source=data.population_credit if data.population else "",
    )
    summary.attrs["notes"] = [w for w in data.warnings if "boundary file has it in" in w] + _part_of_notes(data)
    as_of, when = getattr(data, "as_of", None), getattr(data, "when", "")
    summary.attrs["as_of"], summary.attrs["when"] = as_of, when
    summary.attrs["unplaced"] = counted(data.unplaced, [r.record.date for r in data.records])
    return summary.assign(**{DATE_COLUMNS[0]: as_of, DATE_COLUMNS[1]: when}) if when else summary


def _part_of_notes(data) -> list[str]:
    """A caveat for every district counted whole for a record of a district inside it (the crosswalk's part-of)."""
    if "part_of" not in data.country:
        return []
    rows = data.country[data.country["part_of"].fillna("").astype(bool)]
    return [
        f"{r.district} ({r.province}, {r.pcode}) is counted whole for a record of {r.part_of}, "
        "a district that lies inside it and is not in the boundary file: part of this district only."
        for r in rows.itertuples(index=False)
    ]


def region_name(data) -> str:
    """How the summary names a loaded region's row: what it covers ("Afghanistan", "Region north", "N provinces")."""
    return getattr(data, "region_name", "") or "Region"


def summary_table(
    districts,
    *,
    groups: Sequence[str],
    statuses: Sequence[str],
    population=None,
    region_pcodes: Iterable[str] | None = None,
    region_name: str = "Region",
    population_source: str = "",
    area_km2=None,
):
    """Per province of the region, the region and the country: each group's districts by status.

    ``districts`` is the joined frame of the whole country (columns pcode, province,
    province_pcode, geometry and one status column per key of ``groups``). ``population`` is a
    Series of people per P-code (NA where unknown), e.g. ``Population.by_pcode(year)``, or None.
    ``region_pcodes`` are the region's province P-codes (default: every province), the region row is
    named ``region_name``. Returns a
    DataFrame with :data:`COLUMNS`; shares are percentages of the unit's districts, km² and
    (known) population, and (``country_*_pct``) of the country's. ``population_source`` is kept in ``attrs`` for :func:`format_summary`.
    ``area_km2`` (:func:`district_areas`, aligned with ``districts``) saves computing the areas again.
    """
    import pandas as pd

    frame = _district_table(districts, population, area_km2)
    region = set(region_pcodes) if region_pcodes is not None else set(frame["province_pcode"])
    positions = {pc: [] for pc in region}
    for i, pc in enumerate(frame["province_pcode"]):
        if pc in positions:
            positions[pc].append(i)
    units = [("province", name, pcode, positions[pcode]) for pcode, name in _provinces(frame, region)]
    units += [
        ("region", region_name, "", sorted(i for members in positions.values() for i in members)),
        ("country", "Country", "", list(range(len(frame)))),
    ]
    table = _Districts(frame, districts, groups)
    country = _totals(table, list(range(len(frame))))
    rows = [row for unit in units for row in _unit_rows(*unit, table, groups, statuses, country)]
    summary = pd.DataFrame(rows, columns=COLUMNS)
    for col in ("population", "population_unknown", "unit_population", "districts", "unit_districts"):
        summary[col] = summary[col].astype("Int64")
    summary.attrs["population_source"] = population_source if population is not None else ""
    return summary


def district_areas(districts):
    """Each district's area in km², in an equal-area projection (a numpy array in the frame's order)."""
    return districts.geometry.to_crs(EQUAL_AREA_CRS).area.to_numpy() / 1e6


def _district_table(districts, population, area=None):
    import pandas as pd

    area = district_areas(districts) if area is None else area
    people = (
        pd.Series(population).reindex(districts["pcode"]).astype("Int64").to_numpy()
        if population is not None
        else pd.array([pd.NA] * len(districts), dtype="Int64")
    )
    return pd.DataFrame(
        {
            "pcode": districts["pcode"].to_numpy(),
            "province": districts["province"].to_numpy(),
            "province_pcode": districts["province_pcode"].to_numpy(),
            "area": area,
            "people": pd.array(people, dtype="Int64"),
        },
        index=districts.index,
    )


class _Districts:
    """The district table as plain arrays (a summary of every date adds up thousands of units)."""

    def __init__(self, frame, districts, groups: Sequence[str]):
        import numpy as np
        import pandas as pd

        self.area = np.asarray(frame["area"], dtype=float)
        self.people = [None if pd.isna(v) else int(v) for v in frame["people"]]
        self.status = {g: [v if isinstance(v, str) else None for v in districts[g]] for g in groups}


def _provinces(frame, region: set[str]) -> list[tuple[str, str]]:
    names = frame.drop_duplicates("province_pcode").set_index("province_pcode")["province"]
    return sorted(((pc, names[pc]) for pc in region if pc in names.index), key=lambda item: item[1])


def _unit_rows(
    level, name, pcode, members: list[int], table: _Districts, groups, statuses, country: dict
) -> list[dict]:
    from districtcontrol.data.legend import NONE_STATUS

    totals = _totals(table, members)
    statuses = [*statuses, NONE_STATUS]
    rows = []
    for group in groups:
        column = table.status[group]
        values = [column[i] for i in members]
        seen = {v for v in values if v is not None}
        present = [s for s in statuses if s in seen] + sorted(seen - set(statuses))
        for value in present:
            part = _totals(table, [i for i, v in zip(members, values) if v == value])
            of_country = _shares(part, country)
            rows.append(
                {
                    "level": level,
                    "unit": name,
                    "unit_pcode": pcode,
                    "group": group,
                    "status": value,
                    **_shares(part, totals),
                    "unit_districts": totals["districts"],
                    "unit_area_km2": round(totals["area"], 1),
                    "unit_population": totals["people"],
                    **{f"country_{k}": of_country[k] for k in ("districts_pct", "area_pct", "population_pct")},
                }
            )
    return rows


def _totals(table: _Districts, members: list[int]) -> dict:
    import pandas as pd

    known = [table.people[i] for i in members if table.people[i] is not None]
    return {
        "districts": len(members),
        "area": float(table.area[members].sum()) if members else 0.0,
        "people": sum(known) if known else pd.NA,
        "unknown": len(members) - len(known),
    }


def _shares(part: dict, totals: dict) -> dict:
    import pandas as pd

    def pct(a, b):
        return pd.NA if a is pd.NA or b is pd.NA or not b else round(100 * a / b, 1)

    return {
        "districts": part["districts"],
        "districts_pct": pct(part["districts"], totals["districts"]),
        "area_km2": round(part["area"], 1),
        "area_pct": pct(part["area"], totals["area"]),
        "population": part["people"],
        "population_pct": pct(part["people"], totals["people"]),
        "population_unknown": part["unknown"],
    }


def format_summary(summary, fmt: str = "table", *, labels: Mapping[str, str] | None = None) -> str:
    """Render a summary as an aligned text table, CSV or JSON; unknown figures stay empty (null), never 0.

    In CSV, a text cell a spreadsheet would run as a formula (starting with = + - @) gets a
    leading apostrophe.

    ``labels`` maps group keys to display names for the table. The table and JSON name the
    population source; without population they say so. All three state the date the statuses
    are as of (CSV: columns ``as_of`` and ``when``), when the table has dates; the table and
    JSON count the source's names not placed (``attrs["unplaced"]``).
    """
    source = summary.attrs.get("population_source", "")
    as_of, when = summary.attrs.get("as_of"), summary.attrs.get("when", "")
    if fmt == "csv":
        from districtcontrol._csv import spreadsheet_safe

        dated = [c for c in DATE_COLUMNS if c in summary]
        shown = summary.drop(columns=dated)
        shown = shown.assign(population_source=source) if source else shown
        text = [c for c in shown.columns if shown[c].map(lambda v: isinstance(v, str)).any()]
        shown = shown.assign(**{c: shown[c].map(spreadsheet_safe) for c in text})
        shown = shown.join(summary[dated].map(spreadsheet_safe))
        return shown.to_csv(index=False, lineterminator="\n")
    summary = summary.drop(columns=[c for c in DATE_COLUMNS if c in summary])
    if fmt == "json":
        records = json.loads(summary.to_json(orient="records", force_ascii=False))
        notes = summary.attrs.get("notes", [])
        unplaced = summary.attrs.get("unplaced") or None
        body = {"population_source": source or None, "notes": notes, "unplaced": unplaced, "rows": records}
        body = {"as_of": as_of, "when": when or None, **body}
        return json.dumps(body, ensure_ascii=False, indent=2) + "\n"
    heading = when[0].upper() + when[1:] + "\n" if when else ""
    unplaced = summary.attrs.get("unplaced", "")
    if summary.empty:
        return heading + "No district in this region has a record.\n" + (unplaced + ".\n" if unplaced else "")
    return heading + _table(summary, labels or {}) + "\n" + _footer(summary, source)


def _table(summary, labels: Mapping[str, str]) -> str:
    import pandas as pd

    shown = summary.assign(
        group=summary["group"].map(lambda g: labels.get(g, g)),
        unit=[u if lvl == "province" else u.upper() for u, lvl in zip(summary["unit"], summary["level"])],
        population=summary["population"].map(lambda v: "" if pd.isna(v) else f"{int(v):,}"),
        area_km2=summary["area_km2"].map(lambda v: f"{v:,.1f}"),
    )
    country = summary["level"] == "country"  # its own shares are the country's
    shown["country_districts_pct"] = shown["country_districts_pct"].mask(country)
    drop = ["level", "unit_pcode", "unit_districts", "unit_area_km2", "unit_population"]
    shown = shown.drop(columns=[*drop, "country_area_pct", "country_population_pct"])
    shown = shown.astype(object).where(shown.notna(), "")
    renamed = {
        "districts_pct": "districts %",
        "area_pct": "km² %",
        "area_km2": "km²",
        "population_pct": "population %",
        "population_unknown": "no estimate",
        "country_districts_pct": "of country %",
    }
    return shown.rename(columns=renamed).to_string(index=False) + "\n"


def _footer(summary, source: str) -> str:
    lines = [*summary.attrs.get("notes", [])]
    if summary.attrs.get("unplaced"):
        lines.append(summary.attrs["unplaced"] + "; their rows are not in the figures above.")
    lines.append(source if source else "Population: not available (no estimates file); districts and km² only.")
    unknown = int(summary["population_unknown"].fillna(0).max()) if source else 0
    if unknown:
        lines.append(
            "'no estimate' counts districts without a population estimate; their people are not in the figures."
        )
    lines.append(CAVEAT)
    return "\n".join(lines) + "\n"
