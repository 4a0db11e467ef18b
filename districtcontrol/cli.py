"""The ``districtcontrol`` command: a thin layer over :mod:`districtcontrol.geo` and :mod:`districtcontrol.maps`.

Every command reads the table and the boundaries, resolves names and checks everything
before it writes anything. Bad input exits with status 2 and a message on stderr.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from districtcontrol import DistrictControlError, __version__

EXIT_BAD_INPUT = 2


def _fail(exc: Exception) -> None:
    click.echo(f"Error: {exc}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def handle_errors(func):
    """Turn the tool's own errors into a message on stderr and exit status 2."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except DistrictControlError as exc:
            _fail(exc)

    return wrapper


def table_option(func):
    func = legend_option(func)
    return click.option(
        "--table",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Control table CSV (group,province,district,status,date,source,note). Default: the shipped table.",
    )(func)


def legend_option(func):
    return click.option(
        "--legend",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Legend file (TOML) declaring the table's groups and statuses. Default: the shipped table's.",
    )(func)


def caption_options(func):
    options = [
        click.option("--title", default=None, help="Title of the maps (a group map puts the group's name first)."),
        click.option(
            "--subtitle",
            "--source",
            "subtitle",
            default=None,
            help="Line under the title (default: the report for the shipped table, none for yours).",
        ),
        click.option("--credit", default=None, help="Data credit at the bottom (default: 'Data: <table file name>')."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def boundary_options(func):
    options = [
        click.option(
            "--boundaries",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help="District boundary file (zipped shapefile, .shp, GeoJSON, GeoPackage). "
            "Default: $DISTRICTCONTROL_BOUNDARIES, else the cached or downloaded COD-AB file.",
        ),
        click.option(
            "--name-field",
            default=None,
            help="Column with district names, for files that are not COD-AB or geoBoundaries.",
        ),
        click.option("--province-field", default=None, help="Column with province names."),
        click.option("--pcode-field", default=None, help="Column with district codes (P-codes)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def region_option(func):
    from districtcontrol.geo._regions import REGION_HELP

    return click.option("--region", default="north", show_default=True, help=f"Region to cover: {REGION_HELP}.")(func)


def population_options(func):
    options = [
        click.option(
            "--population",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help="District population estimates (CSV). Default: $DISTRICTCONTROL_POPULATION, else the cached or "
            "downloaded file; without it, outputs say population is not available.",
        ),
        click.option("--no-population", is_flag=True, help="Leave population out (no file is looked for)."),
        click.option(
            "--population-year",
            type=int,
            default=None,
            help="Solar year of the estimates, e.g. 1395 (2016-17). Default: the year containing the table's latest date.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _load(table=None, legend=None, region="all", population=None, no_population=False, population_year=None, **files):
    """Load a region with the options every loading command shares (table, legend, boundaries, population)."""
    from districtcontrol.geo import load_control

    population = False if no_population else population
    return load_control(
        table,
        files.pop("boundaries"),
        region,
        legend=legend,
        population=population,
        population_year=population_year,
        **files,
    )


def _exit_cleanly_on_sigterm() -> None:
    """SIGTERM ends the command like Ctrl-C does: staging files are removed, the previous build stays."""
    import signal

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)


def _formats_help() -> str:
    from districtcontrol.maps._formats import BUILD_FORMATS

    return f"Comma-separated outputs: {', '.join(BUILD_FORMATS)}."


def _default_formats() -> str:
    from districtcontrol.maps._formats import DEFAULT_BUILD_FORMATS

    return ",".join(DEFAULT_BUILD_FORMATS)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="districtcontrol")
def main() -> None:
    """Map which districts of Afghanistan armed groups have captured, contest or operate in.

    Joins a control table (by default the one transcribed from the 2017 report's table
    "Captured Districts by the Militants": Taliban, IS, IMU) to the UN OCHA COD-AB district
    boundaries, and writes maps, GeoJSON and summaries.

    \b
    Typical use:
      districtcontrol build --out maps/        every map, GeoJSON and summary
      districtcontrol match my_table.csv       check how names resolve
      districtcontrol validate my_table.csv    check a table before using it
    """


@main.command()
@boundary_options
@handle_errors
def boundaries(boundaries, name_field, province_field, pcode_field) -> None:
    """Show the boundary file in use: path, checksum, counts and attribution."""
    from districtcontrol.geo.boundaries import ATTRIBUTION, file_sha256, load_boundaries

    source, frame = load_boundaries(
        boundaries, name_field=name_field, province_field=province_field, pcode_field=pcode_field
    )
    click.echo(f"file:        {source.path}")
    click.echo(f"found by:    {source.origin}")
    click.echo(f"sha256:      {file_sha256(source.path)}")
    click.echo(f"districts:   {len(frame)}")
    click.echo(f"provinces:   {frame['province_pcode'].nunique()}")
    click.echo(f"attribution: {ATTRIBUTION}")


@main.command()
@click.argument("table", type=click.Path(dir_okay=False, path_type=Path))
@boundary_options
@handle_errors
def match(table, boundaries, name_field, province_field, pcode_field) -> None:
    """Resolve the province and district names of any CSV to districts of the boundary file.

    TABLE needs 'province' and 'district' columns. Writes CSV to stdout: the input columns
    plus pcode, matched_district, matched_province, method, score, suggestions; one row per
    input row, in order. Exits 1 if any row is unresolved.
    """
    from districtcontrol.geo.matching import match_csv

    unresolved = match_csv(table, sys.stdout, boundaries, name_field, province_field, pcode_field)
    if unresolved:
        click.echo(f"{unresolved} row(s) unresolved: see the 'suggestions' column.", err=True)
        sys.exit(1)


@main.command()
@click.argument("table", type=click.Path(dir_okay=False, path_type=Path), required=False)
@legend_option
@boundary_options
@click.option(
    "--names/--no-names",
    default=True,
    show_default=True,
    help="Also check that every name resolves (needs the boundaries).",
)
@handle_errors
def validate(table, legend, names, **files) -> None:
    """Check a control table and report every problem at once (file, line, column, fix).

    TABLE defaults to the shipped table. Exits 2 if there is any problem.
    """
    from districtcontrol.data import read_table
    from districtcontrol.data.legend import read_legend

    records = read_table(table, read_legend(legend))
    if names:
        _load(table, legend, no_population=True, **files)
    click.echo(f"{table or 'shipped table'}: {len(records)} rows, no problems.")


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
@handle_errors
def export(output, precision, **load) -> None:
    """Write the region's districts with each group's status, for GIS and data tools.

    Fields: pcode, district, district_dari, province, province_pcode, combined (the
    highest-ranked status of any group), per group of the legend <group>, <group>_date,
    <group>_note, <group>_source (the row that decides the status), sources and history
    (every table row for the district; JSON text except in GeoJSON).
    """
    from districtcontrol.geo.export import check_export_path, write_districts

    check_export_path(output)
    data = _load(**load)
    write_districts(data.districts, output, legend=data.legend, precision=precision)
    recorded = int(data.districts[list(data.legend.group_keys)].notna().any(axis=1).sum())
    click.echo(f"Wrote {output}: {len(data.districts)} districts, {recorded} with a record.", err=True)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@region_option
@table_option
@boundary_options
@population_options
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
@handle_errors
def build(out, formats, self_contained, tiles, embed, base_url, title, subtitle, credit, jobs, **load) -> None:
    """Write every map as HTML and images, plus GeoJSON with its QGIS style, summary and index.html.

    One map for all groups together and one per group with a record in the region.
    Everything is checked before the first file is written; the files are rendered into a
    staging folder inside OUT and moved into place together, so OUT holds the complete
    previous build or the complete new one.
    """
    from districtcontrol.maps._build import build as build_outputs
    from districtcontrol.maps._build import planned_outputs
    from districtcontrol.maps._formats import parse_formats
    from districtcontrol.maps._reader_embed import check_base_url
    from districtcontrol.maps._view import groups_without_records

    chosen = parse_formats(formats)
    check_base_url(base_url)
    _exit_cleanly_on_sigterm()
    data = _load(**load)
    for group in groups_without_records(data):
        click.echo(f"No map for {data.legend.group_label(group)} ({group}): it has no record in this region.", err=True)
    total = len(planned_outputs(data, chosen, embed))
    count = [0]

    def progress(path: Path) -> None:
        count[0] += 1
        click.echo(f"[{count[0]:>2}/{total}] {path}", err=True)

    build_outputs(
        data,
        out,
        chosen,
        self_contained=self_contained,
        tiles=tiles,
        embed=embed,
        title=title,
        subtitle=subtitle,
        credit=credit,
        progress=progress,
        jobs=jobs,
        base_url=base_url,
    )
    click.echo(f"Done: open {out / 'index.html' if 'html' in chosen else out}", err=True)


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


def run() -> None:
    """Entry point used by the console script."""
    main()


if __name__ == "__main__":
    main()
