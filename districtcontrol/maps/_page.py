"""The index page of a build: every map, the summary table, the table's rows with their sources, attribution.

Rendered with Jinja2 and autoescaping: every value is escaped on output, by the same
function as the maps' texts (:func:`districtcontrol.maps._popups.esc`).
"""

from __future__ import annotations

from districtcontrol.geo.summary import CAVEAT
from districtcontrol.maps import _view
from districtcontrol.maps._popups import esc

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ text.title }}</title>
<style>
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 1200px; padding: 16px; color: #111; }
h1 { font-size: 24px; margin-bottom: 4px; }
.map { position: relative; width: 100%; aspect-ratio: {{ ratio }}; min-height: 380px; max-height: 90vh; }
.map iframe { position: absolute; inset: 0; width: 100%; height: 100%; border: 1px solid #ccc; box-sizing: border-box; }
.wide { overflow-x: auto; margin-bottom: 24px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
@media (max-width: 600px) { body { padding: 10px; font-size: 14px; } h1 { font-size: 20px; } table { font-size: 12px; } }
th, td { border-bottom: 1px solid #ddd; padding: 4px 6px; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.source { color: #333; }
.lead { font-size: 16px; margin: 4px 0; }
footer { margin-top: 24px; font-size: 13px; color: #444; }
</style>
</head>
<body>
<h1>{{ text.title }}</h1>
{% for line in lead %}<p class="lead">{{ line }}</p>
{% endfor %}{% if lead %}<p class="source">{{ caveat }}</p>
{% endif %}{% if text.subtitle %}<p class="source">{{ text.subtitle }}</p>
{% endif %}{% for note in text.notes %}<p class="source"><em>{{ note }}</em></p>
{% endfor %}
{% for m in maps %}<h2>{{ m.title }}</h2>
<div class="map"><iframe src="{{ m.name }}.html" title="{{ m.title }}" loading="lazy" allowfullscreen></iframe></div>
<p><a href="{{ m.name }}.html">Open the map on its own page</a></p>
{% endfor %}{% if changes %}<h2>Districts by status over time</h2>
<img src="{{ changes }}" alt="Chart: districts per status per group on each date of the table" style="max-width:100%">
<p>Every change is listed in <a href="timeline.csv">timeline.csv</a>; the map at several dates is <a href="{{ changes|replace("changes.", "timeline.") }}">{{ changes|replace("changes.", "timeline.") }}</a>.</p>
{% endif %}<h2>Summary by province, region and country</h2>
<p>Districts by status, their area in km² (equal-area projection) and their population, each with its share of the province, the region or the country. {{ caveat }}</p>
{% if summary %}<div class="wide"><table><tr><th>Province or area</th><th>Group</th><th>Status</th><th>Districts</th><th>%</th><th>Area (km²)</th><th>%</th><th>Population</th><th>%</th></tr>
{%- for r in summary %}<tr><td>{{ r.unit }}</td><td>{{ r.group }}</td><td>{{ r.status }}</td><td class="num">{{ r.districts }}</td><td class="num">{{ r.districts_pct }}</td><td class="num">{{ r.area }}</td><td class="num">{{ r.area_pct }}</td><td class="num">{{ r.population }}</td><td class="num">{{ r.population_pct }}</td></tr>{% endfor %}</table></div>
{%- else %}<p>No district in this region has a record.</p>{% endif %}
{% for note in summary_notes %}<p>{{ note }}</p>
{% endfor %}<p>{{ population_credit }}</p>
<h2>Rows of the table</h2>
<div class="wide"><table><tr><th>Line</th><th>Group</th><th>As written</th><th>Mapped to</th><th>Status</th><th>Date</th><th>{{ source_label }}</th><th>Note</th></tr>
{%- for r in records %}<tr><td>{{ r.line }}</td><td>{{ r.group }}</td><td>{{ r.written }}</td><td>{{ r.mapped }}</td><td>{{ r.status }}</td><td>{{ r.date }}</td><td>{{ r.source }}</td><td>{{ r.note }}</td></tr>{% endfor %}</table></div>
<p>{{ boundary_credit }}</p>
<h2>How names were matched</h2>
{% if decisions %}<p>Every name of the table read other than exactly, with its evidence ({{ decisions|length }}); every other name matched the boundary file exactly.</p>
<ul>{% for line in decisions %}<li>{{ line }}</li>{% endfor %}</ul>
{%- else %}<p>Every name of the table matched the boundary file exactly.</p>{% endif %}
{% for line in warnings %}<p>{{ line }}</p>
{% endfor %}
<footer><p>{{ text.attribution }}</p></footer>
</body>
</html>
"""


def _environment():
    import jinja2
    from markupsafe import Markup

    def escaped(value):
        return value if isinstance(value, Markup) else Markup(esc(value))

    return jinja2.Environment(autoescape=True, finalize=escaped, keep_trailing_newline=True)


def index_page(region, summary, captions=None, changes: str | None = None) -> str:
    """The HTML of ``index.html`` for a prepared region and its summary (and the file name of its chart of change)."""
    from districtcontrol.maps._reader_embed import embed_ratio
    from districtcontrol.maps.interactive import map_text

    maps = [{"name": name, "title": map_text(region, name, captions).title} for name in _view.map_names(region)]
    return (
        _environment()
        .from_string(PAGE)
        .render(
            text=map_text(region, "combined", captions),
            maps=maps,
            summary=_summary_rows(summary, region.legend),
            summary_notes=summary.attrs.get("notes", []),
            lead=lead_sentences(summary, region),
            caveat=CAVEAT,
            population_credit=region.data.population_credit,
            decisions=region.data.name_decisions,
            source_label=region.legend.source_label[:1].upper() + region.legend.source_label[1:],
            warnings=region.data.warnings,
            records=_record_rows(region.data.records, region.legend),
            boundary_credit=region.data.boundaries.attribution,
            changes=changes,
            ratio=embed_ratio(region),
        )
    )


def lead_sentences(summary, region) -> list[str]:
    """One sentence per group with a record: its districts by status and the people living in them."""
    legend = region.legend
    rows = summary[summary["level"] == "region"]
    lines = []
    for group in legend.group_keys:
        mine = rows[rows["group"] == group]
        if mine.empty:
            continue
        parts = ", ".join(f"{int(r.districts)} {legend.status_label(r.status).lower()}" for r in mine.itertuples())
        total = int(mine["districts"].sum())
        people = _people(mine["population"].sum(min_count=1), mine["population_pct"].sum(min_count=1), region.data)
        lines.append(
            f"{legend.group_label(group)}: {total} district{'s' * (total != 1)} with a record ({parts}){people}."
        )
    return lines


def _people(population, share, data) -> str:
    import pandas as pd

    if data.population is None or pd.isna(population):
        return ""
    return f", home to {_view.people_in_words(int(population))} people, {share:.1f} % of the region's population ({data.population.year} estimates)"


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
            "area": f"{r.area_km2:,.0f}",
            "area_pct": pct(r.area_pct),
            "population": "" if pd.isna(r.population) else f"{int(r.population):,}",
            "population_pct": pct(r.population_pct),
        }
        for r in summary.itertuples()
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
