"""The index page of a build: every map, the summary table, the table's rows with their sources, attribution."""

from __future__ import annotations

from districtcontrol.data.table import GROUP_LABELS
from districtcontrol.geo.boundaries import ATTRIBUTION
from districtcontrol.maps import style
from districtcontrol.maps.style import esc

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 1200px; padding: 16px; color: #111; }}
h1 {{ font-size: 24px; margin-bottom: 4px; }}
iframe {{ width: 100%; height: 620px; border: 1px solid #ccc; }}
table {{ border-collapse: collapse; width: 100%; font-size: 13px; margin-bottom: 24px; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 4px 6px; text-align: left; vertical-align: top; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
.source {{ color: #333; }}
footer {{ margin-top: 24px; font-size: 13px; color: #444; }}
</style>
</head>
<body>
<h1>{title}</h1>
<p class="source">{source}</p>
{maps}
<h2>Summary by province and group</h2>
<p>Districts by status, their area in km² (equal-area projection) and share of the province's area.</p>
{summary}
<h2>Rows of the table</h2>
{rows}
<footer><p>{attribution}</p></footer>
</body>
</html>
"""


def index_page(data, summary, source: str | None = None) -> str:
    """The HTML of ``index.html``; every text from the table or the boundaries is escaped."""
    text = style.map_text("combined", data.table, source)
    maps = "\n".join(
        f"<h2>{esc(style.map_text(name, data.table, source).title)}</h2>\n"
        f'<iframe src="{name}.html" title="{esc(style.map_text(name, data.table, source).title)}" loading="lazy"></iframe>\n'
        f'<p><a href="{name}.html">Open the map on its own page</a></p>'
        for name in style.MAP_NAMES
    )
    return PAGE.format(
        title=esc(text.title),
        source=esc(text.source),
        maps=maps,
        summary=_summary_table(summary),
        rows=_records_table(data),
        attribution=esc(text.attribution),
    )


def _summary_table(summary) -> str:
    if summary.empty:
        return "<p>No district in this region has a record.</p>"
    head = "<tr><th>Province</th><th>Group</th><th>Status</th><th>Districts</th><th>Area (km²)</th><th>Share of province</th></tr>"
    rows = [
        f"<tr><td>{esc(r.province)}</td><td>{esc(GROUP_LABELS[r.group])}</td><td>{esc(style.STATUS_LABELS[r.status])}</td>"
        f'<td class="num">{r.districts}</td><td class="num">{r.area_km2:,.0f}</td><td class="num">{r.share_pct:.1f} %</td></tr>'
        for r in summary.itertuples()
    ]
    return f"<table>{head}{''.join(rows)}</table>"


def _records_table(data) -> str:
    head = "<tr><th>Line</th><th>Group</th><th>As written</th><th>Mapped to</th><th>Status</th><th>Date</th><th>Endnote</th><th>Note</th></tr>"
    rows = []
    for r in data.records:
        rec, res = r.record, r.resolution
        written = f"{rec.district} ({rec.province})" if rec.district else f"{rec.province} province"
        mapped = f"{res.district.name}, {res.province} ({res.pcode})" if res.district else f"{res.province} province"
        rows.append(
            f"<tr><td>{rec.line}</td><td>{esc(GROUP_LABELS[rec.group])}</td><td>{esc(written)}</td><td>{esc(mapped)}</td>"
            f"<td>{esc(style.STATUS_LABELS[rec.status])}</td><td>{esc(rec.date)}</td><td>{esc(rec.source)}</td><td>{esc(rec.note)}</td></tr>"
        )
    return f"<table>{head}{''.join(rows)}</table>\n<p>{esc(ATTRIBUTION)}</p>"
