"""Commands that write maps and data: ``build``, ``map``, ``export`` and ``summary``."""

from __future__ import annotations

from pathlib import Path

import click

from districtcontrol import DistrictControlError
from districtcontrol.cli._common import (
    _default_formats,
    _exit_cleanly_on_sigterm,
    _formats_help,
    _load,
    _report_names,
    as_of_option,
    boundary_options,
    caption_options,
    handle_errors,
    main,
    population_options,
    region_option,
    source_options,
    table_option,
)


@main.command()
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="File to write; its suffix picks the format: .geojson, .gpkg (GeoPackage, styled for QGIS), "
    ".parquet (GeoParquet) or .csv (attributes only).",
)
@click.option(
    "--precision",
    type=click.IntRange(0, 10),
    default=6,
    show_default=True,
    help="Decimals of longitude and latitude (6: about 10 cm); polygons stay valid at any precision.",
)
@region_option
@table_option
@boundary_options
@population_options
@as_of_option
@handle_errors
def export(output, precision, **load) -> None:
    """Write the region's districts with each group's status, for GIS and data tools.

    Fields: pcode, district, district_dari, province, province_pcode, combined (the
    highest-ranked status of any group), per group of the legend <group>, <group>_date,
    <group>_note, <group>_source (the row that decides the status), sources and history
    (every table row for the district; JSON text except in GeoJSON). A GeoJSON file also says
    which date its statuses are as of (top-level members as_of and when).
    """
    from districtcontrol.geo.export import check_export_path, write_districts

    check_export_path(output)
    data = _load(**load)
    write_districts(data.districts, output, legend=data.legend, precision=precision, as_of=data.as_of, when=data.when)
    recorded = int(data.districts[list(data.legend.group_keys)].notna().any(axis=1).sum())
    click.echo(f"Wrote {output}: {len(data.districts)} districts, {recorded} with a record.", err=True)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@region_option
@table_option
@boundary_options
@population_options
@as_of_option
@handle_errors
def summary(fmt, **load) -> None:
    """Per province, region and country, per group and status: districts, km² and population, and their shares."""
    from districtcontrol.geo.summary import format_summary, summarise

    data = _load(**load)
    labels = {g.key: g.label for g in data.legend.groups}
    click.echo(format_summary(summarise(data), fmt, labels=labels), nl=False)


@main.command()
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("districtcontrol-maps"),
    show_default=True,
    help="Folder to write into (created if missing).",
)
@region_option
@table_option
@boundary_options
@source_options
@population_options
@click.option("--format", "formats", default=_default_formats(), show_default=True, help=_formats_help())
@click.option("--self-contained", is_flag=True, help="Inline Leaflet so the HTML opens with no network at all.")
@click.option(
    "--tiles",
    default=None,
    help="Basemap tiles, an xyzservices provider name such as OpenStreetMap.Mapnik (default: none).",
)
@click.option("--embed", is_flag=True, help="Also write NAME.embed.html beside each map: a ready <iframe> snippet.")
@click.option(
    "--base-url",
    default=None,
    metavar="URL",
    help="With --embed: where the maps will be published (https://…/), so the snippets' src is absolute.",
)
@caption_options
@click.option(
    "--jobs",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Processes rendering maps at once: 0 = one per CPU core (at most 4), 1 = no extra processes.",
)
@as_of_option
@click.option(
    "--dates",
    default=None,
    metavar="N|DATE,DATE,...",
    help="Dates of the small multiples timeline.png/.svg: how many, evenly spread over the table's dates "
    "(default 6), or which (comma-separated). Only for a table whose rows carry two or more dates.",
)
@click.option(
    "--group",
    "timeline_map",
    default="combined",
    show_default=True,
    help="The map the small multiples show: combined or a group of the legend.",
)
@handle_errors
def build(
    out, formats, self_contained, tiles, embed, base_url, title, subtitle, credit, jobs, dates, timeline_map, **load
) -> None:
    """Write every map as HTML and images, plus GeoJSON with its QGIS style, summary and index.html.

    One map for all groups together and one per group with a record in the region.
    When the region's rows carry two or more dates (every row dated), every HTML map gets a
    timeline and the build writes timeline.csv (every change), timeline.png/.svg (small
    multiples) and changes.png/.svg (districts per status over time).
    Everything is checked before the first file is written; the files are rendered into a
    staging folder inside OUT and moved into place together, so OUT holds the complete
    previous build or the complete new one.
    """
    from districtcontrol.maps._embed import check_base_url
    from districtcontrol.maps._formats import parse_formats
    from districtcontrol.maps._workers import RenderWorkers

    chosen = parse_formats(formats)
    check_base_url(base_url)
    options = {
        "self_contained": self_contained,
        "tiles": tiles,
        "title": title,
        "subtitle": subtitle,
        "credit": credit,
        "timeline_map": timeline_map,
        "base_url": base_url,
    }
    _exit_cleanly_on_sigterm()
    with RenderWorkers(jobs, chosen) as workers:  # started now: their imports overlap the loading
        _load_and_build(workers, out, chosen, load, embed=embed, dates=_parse_dates(dates), **options)
    click.echo(f"Done: open {out / 'index.html' if 'html' in chosen else out}", err=True)


def _load_and_build(workers, out: Path, chosen, load: dict, *, embed: bool, **options) -> None:
    from districtcontrol.geo._time import no_timeline_reason
    from districtcontrol.maps._build import build as build_outputs
    from districtcontrol.maps._build import planned_outputs
    from districtcontrol.maps._view import groups_without_records

    data = _load(**load)
    _report_names(data.name_decisions, ())  # the warnings are shown by _load
    for group in groups_without_records(data):
        click.echo(f"No map for {data.legend.group_label(group)} ({group}): it has no record in this region.", err=True)
    why = no_timeline_reason(data)
    if why:
        click.echo(f"No timeline, timeline.csv or change chart: {why}.", err=True)
    total = len(planned_outputs(data, chosen, embed))
    count = [0]

    def progress(path: Path) -> None:
        count[0] += 1
        click.echo(f"[{count[0]:>2}/{total}] {path}", err=True)

    build_outputs(data, out, chosen, embed=embed, progress=progress, workers=workers, **options)


def _parse_dates(value: str | None) -> int | list[str] | None:
    """``--dates``: a number of dates, or the dates themselves (checked when the table is known)."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return int(value)
    return [d.strip() for d in value.split(",") if d.strip()]


@main.command(name="map")
@click.argument("group")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write: .html, .png, .svg or .pdf.",
)
@region_option
@table_option
@boundary_options
@population_options
@click.option("--self-contained", is_flag=True, help="HTML only: inline Leaflet so the file opens offline.")
@click.option("--tiles", default=None, help="HTML only: xyzservices provider name for basemap tiles.")
@caption_options
@as_of_option
@handle_errors
def map_command(group, output, self_contained, tiles, title, subtitle, credit, **load) -> None:
    """Write one map. GROUP is 'combined' or a group of the legend (taliban, is, imu for the shipped
    table); the format follows the suffix of -o."""
    from districtcontrol.maps._build import save_map
    from districtcontrol.maps._formats import map_format
    from districtcontrol.maps._view import all_map_names, map_names

    map_format(output)
    data = _load(**load)
    if group not in all_map_names(data.legend):
        raise click.BadParameter(f"'{group}' is not one of {', '.join(all_map_names(data.legend))}", param_hint="GROUP")
    if group not in map_names(data):
        raise DistrictControlError(f"{data.legend.group_label(group)} has no record in this region: no map to draw")
    texts = {"title": title, "subtitle": subtitle, "credit": credit}
    save_map(data, group, output, self_contained=self_contained, tiles=tiles, **texts)
    click.echo(f"Wrote {output}", err=True)
