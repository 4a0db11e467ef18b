"""The index page of a build: every map, the summary table, the table's rows with their sources, attribution.

Rendered with Jinja2 and autoescaping: every value is escaped on output, by the same
function as the maps' texts (:func:`districtcontrol.maps._popups.esc`).
"""

from __future__ import annotations

from districtcontrol.geo.summary import CAVEAT
from districtcontrol.maps import _view, _web
from districtcontrol.maps._popups import esc


def _environment():
    import jinja2
    from markupsafe import Markup

    def escaped(value):
        return value if isinstance(value, Markup) else Markup(esc(value))

    return jinja2.Environment(autoescape=True, finalize=escaped, keep_trailing_newline=True)


def index_page(region, summary, captions=None, changes: str | None = None, over_time=None) -> str:
    """The HTML of ``index.html`` for a prepared region and its summary (and the file name of its chart
    of change, and the summary over time of :func:`districtcontrol.summarise_over_time`)."""
    from districtcontrol.maps._embed import embed_ratio

    maps = [{"name": name, "title": region.text(name, captions).title} for name in _view.map_names(region)]
    return (
        _environment()
        .from_string(_web.text("index.html.j2"))
        .render(
            text=region.text("combined", captions),
            maps=maps,
            summary=_summary_rows(summary, region.legend),
            summary_notes=summary.attrs.get("notes", []),
            unplaced=_unplaced_rows(region.data, region.legend),
            unplaced_count=summary.attrs.get("unplaced", ""),
            lead=lead_sentences(summary, region),
            caveat=CAVEAT,
            population_credit=region.data.population_credit,
            decisions=region.data.name_decisions,
            source_label=region.legend.source_label[:1].upper() + region.legend.source_label[1:],
            warnings=region.data.warnings,
            records=_record_rows(region.data.records, region.legend),
            boundary_credit=region.data.boundaries.attribution,
            changes=changes,
            dated=_dated_rows(over_time, region.legend) if over_time is not None else [],
            ratio=embed_ratio(region),
        )
    )


def lead_sentences(summary, region) -> list[str]:
    """One sentence per group with a record: its districts by status, their share of the region and of the
    country, the people living in them, and how many districts the source reports as held by no one."""
    from districtcontrol.data.legend import NONE_STATUS

    legend, data = region.legend, region.data
    rows = summary[summary["level"] == "region"]
    lines = []
    for group in legend.group_keys:
        mine = rows[rows["group"] == group]
        held, reported = mine[mine["status"] != NONE_STATUS], mine[mine["status"] == NONE_STATUS]
        if mine.empty:
            continue
        parts = ", ".join(f"{int(r.districts)} {legend.status_label(r.status).lower()}" for r in held.itertuples())
        total = int(held["districts"].sum())
        line = f"{legend.group_label(group)}: {total} district{'s' * (total != 1)} with a status"
        if total:
            share, country = held["districts_pct"].sum(), held["country_districts_pct"].sum()
            line += f" ({parts}), {share:.1f} % of the districts of {_region_words(data)} ({country:.1f} % of the country's)"
            line += _people(held, data)
        if not reported.empty:
            more = int(reported["districts"].sum())
            line += f"; {more} more district{'s' * (more != 1)}: {legend.none.label}"
        lines.append(line + ".")
    return lines


def _region_words(data) -> str:
    name = data.region_name or "the region"
    return (
        name
        if name.endswith(("provinces", "province")) or name == "Afghanistan"
        else f"the {name[0].lower()}{name[1:]}"
    )


def _people(held, data) -> str:
    import pandas as pd

    population = held["population"].sum(min_count=1)
    if data.population is None or pd.isna(population):
        return ""
    share, country = held["population_pct"].sum(min_count=1), held["country_population_pct"].sum(min_count=1)
    return (
        f", home to {_view.people_in_words(int(population))} people, {share:.1f} % of the region's population "
        f"({country:.1f} % of the country's; {data.population.year} estimates)"
    )


def _summary_rows(summary, legend) -> list[dict]:
    import pandas as pd

    def pct(v):
        return "" if pd.isna(v) else f"{v:.1f}"

    return [
        {
            "unit": r.unit,
            "group": legend.group_label(r.group),
            "status": legend.status_label(r.status),
            "districts": r.districts,
            "districts_pct": pct(r.districts_pct),
            "country_districts_pct": pct(r.country_districts_pct),
            "area": f"{r.area_km2:,.0f}",
            "area_pct": pct(r.area_pct),
            "population": "" if pd.isna(r.population) else f"{int(r.population):,}",
            "population_pct": pct(r.population_pct),
        }
        for r in summary.itertuples()
    ]


def _dated_rows(over_time, legend) -> list[dict]:
    """The region's figures on every date: one row per date, group and status (timeline_summary.csv has them all)."""
    import pandas as pd

    from districtcontrol.data.legend import NONE_STATUS

    def pct(v):
        return "" if pd.isna(v) else f"{v:.1f}"

    rows = over_time[(over_time["level"] == "region") & (over_time["status"] != NONE_STATUS)]
    return [
        {
            "date": r.as_of,
            "group": legend.group_label(r.group),
            "status": legend.status_label(r.status),
            "districts": r.districts,
            "districts_pct": pct(r.districts_pct),
            "population": "" if pd.isna(r.population) else f"{int(r.population):,}",
            "population_pct": pct(r.population_pct),
            "year": "" if pd.isna(r.population_year) else int(r.population_year),
        }
        for r in rows.itertuples()
    ]


def _record_rows(records, legend) -> list[dict]:
    rows = []
    for r in records:
        rec, res = r.record, r.resolution
        rows.append(
            {
                "line": rec.line,
                "group": legend.group_label(rec.group),
                "written": f"{rec.district} ({rec.province})" if rec.district else f"{rec.province} province",
                "mapped": f"{res.district.name}, {res.province} ({res.pcode})"
                if res.district
                else f"{res.province} province",
                "status": legend.status_label(rec.status),
                "date": rec.date,
                "source": rec.source,
                "note": rec.note,
            }
        )
    return rows


def _unplaced_rows(data, legend) -> list[dict]:
    """The source's names not placed, one row each: name, rows, lines, why, candidates, what it said last."""
    return [
        {
            "name": e.name,
            "rows": f"{e.rows:,}",
            "lines": f"{e.first_line}–{e.last_line}" if e.last_line != e.first_line else str(e.first_line),
            "reason": e.reason,
            "candidates": "; ".join(e.candidates) if e.kind == "ambiguous" else "; ".join(e.candidates) + " (guesses)",
            "said": _view.ambiguous_said(e, legend),
        }
        for e in getattr(data, "unplaced", ())
    ]
