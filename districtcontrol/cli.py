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
    return date_format_option(
        click.option(
            "--table",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help="Control table CSV (group,province,district,status,date,source,note). Default: the shipped table.",
        )(func)
    )


def date_format_option(func):
    """``--date-format``, kept on the click context so every command's ``_load`` reads the table with it."""

    def remember(ctx, _param, value):
        ctx.meta["date_format"] = value
        return value

    return click.option(
        "--date-format",
        default=None,
        expose_value=False,
        callback=remember,
        help="How the table writes dates, in strftime codes such as %m/%d/%Y (default: ISO 8601, YYYY-MM-DD).",
    )(func)


def legend_option(func):
    func = aliases_option(func)
    return click.option(
        "--legend",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Legend file (TOML) declaring the table's groups and statuses. Default: the shipped table's.",
    )(func)


def aliases_option(func):
    return click.option(
        "--aliases",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Your alias table (CSV, the columns of the shipped aliases.csv), tried before the shipped one.",
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


def as_of_option(func):
    return click.option(
        "--as-of",
        "as_of",
        default=None,
        metavar="DATE",
        help="Show each group's status as of DATE (YYYY-MM-DD, YYYY-MM or YYYY: the end of that day, month or "
        "year): its latest row dated on or before it; undated rows always count. Default: the table's latest date.",
    )(func)


def _load(
    table=None,
    legend=None,
    aliases=None,
    region="all",
    population=None,
    no_population=False,
    population_year=None,
    as_of=None,
    **files,
):
    """Load a region with the options every loading command shares (table, legend, aliases, boundaries, population, date)."""
    from districtcontrol.data import read_table
    from districtcontrol.data.legend import read_legend
    from districtcontrol.geo import load_control

    legend = read_legend(legend)
    # The table is read once: it may be a pipe such as /dev/stdin.
    records = read_table(table, date_format=click.get_current_context().meta.get("date_format"), legend=legend)
    population = False if no_population else population
    return load_control(
        table,
        files.pop("boundaries"),
        region,
        records=records,
        legend=legend,
        aliases=aliases,
        population=population,
        population_year=population_year,
        as_of=as_of,
        **files,
    )


def _report_names(decisions, warnings, counted: str = "row(s) with names") -> None:
    """Every name read other than exactly, one line each with its evidence, then the count."""
    for line in decisions:
        click.echo(f"  {line}", err=True)
    for line in warnings:
        click.echo(f"  note: {line}", err=True)
    count = len(decisions)
    if count:
        click.echo(f"{count} {counted} read other than exactly (shown above with their evidence).", err=True)


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
      districtcontrol import SRC.csv -o T.csv  a table from elsewhere, as a control table
    """


@main.command()
@boundary_options
@handle_errors
def boundaries(boundaries, name_field, province_field, pcode_field) -> None:
    """Show the boundary file in use: path, checksum, counts and attribution."""
    from districtcontrol.geo.boundaries import load_boundaries

    source, frame = load_boundaries(
        boundaries, name_field=name_field, province_field=province_field, pcode_field=pcode_field
    )
    click.echo(f"file:        {source.path}")
    click.echo(f"found by:    {source.origin}")
    click.echo(f"sha256:      {source.sha256}")
    click.echo(f"districts:   {len(frame)}")
    click.echo(f"provinces:   {frame['province_pcode'].nunique()}")
    click.echo(f"attribution: {source.attribution}")


@main.command()
@click.argument("table", type=click.Path(dir_okay=False, path_type=Path))
@aliases_option
@boundary_options
@handle_errors
def match(table, aliases, boundaries, name_field, province_field, pcode_field) -> None:
    """Resolve the province and district names of any CSV to districts of the boundary file.

    TABLE needs a 'district' column and usually a 'province' column (any case and spacing).
    Writes CSV to stdout: the input columns plus pcode, matched_district, matched_province,
    method, score, warning (how a name was read, when not exactly), suggestions; one row per
    input row, in order. Exits 1 if any row is unresolved.
    """
    from districtcontrol._match_csv import match_csv

    unresolved = match_csv(table, sys.stdout, boundaries, name_field, province_field, pcode_field, aliases)
    if unresolved:
        click.echo(f"{unresolved} row(s) unresolved: see the 'suggestions' column.", err=True)
        sys.exit(1)


@main.command()
@click.argument("table", type=click.Path(dir_okay=False, path_type=Path), required=False)
@legend_option
@boundary_options
@date_format_option
@click.option(
    "--names/--no-names",
    default=True,
    show_default=True,
    help="Also check that every name resolves (needs the boundaries).",
)
@handle_errors
def validate(table, legend, aliases, names, **files) -> None:
    """Check a control table and report every problem at once (file, line, column, fix).

    TABLE defaults to the shipped table. Exits 2 if there is any problem.
    """
    from districtcontrol.data import default_table_path, read_table
    from districtcontrol.data.legend import read_legend
    from districtcontrol.geo.pipeline import check_names

    date_format = click.get_current_context().meta.get("date_format")
    records = read_table(table, date_format=date_format, legend=read_legend(legend))
    if names:
        label = str(table) if table else f"shipped {default_table_path().name}"
        decisions, warnings = check_names(records, label, aliases=aliases, **files)
        _report_names(decisions, warnings)
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
    from districtcontrol.geo._time import no_timeline_reason
    from districtcontrol.maps._build import build as build_outputs
    from districtcontrol.maps._build import planned_outputs
    from districtcontrol.maps._formats import parse_formats
    from districtcontrol.maps._reader_embed import check_base_url
    from districtcontrol.maps._view import groups_without_records

    chosen = parse_formats(formats)
    check_base_url(base_url)
    _exit_cleanly_on_sigterm()
    data = _load(**load)
    _report_names(data.name_decisions, data.warnings)
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
        timeline_map=timeline_map,
        dates=_parse_dates(dates),
        base_url=base_url,
    )
    click.echo(f"Done: open {out / 'index.html' if 'html' in chosen else out}", err=True)


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


@main.command(name="import")
@click.argument("source", metavar="SOURCE.csv", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Control table to write (CSV: group,province,district,pcode,status,date,source,note).",
)
@click.option("--group", required=True, help="The legend's key of the group the source is about, e.g. taliban.")
@click.option("--district", "district_column", required=True, metavar="COL", help="Column with district names.")
@click.option("--province", "province_column", metavar="COL", help="Column with province names, if the source has one.")
@click.option("--pcode", "pcode_column", metavar="COL", help="Column with district P-codes, if the source has one.")
@click.option("--date", "date_column", metavar="COL", help="Column with dates (one row per district and date).")
@date_format_option
@click.option("--status", "status_column", required=True, metavar="COL", help="Column whose values give the status.")
@click.option(
    "--values",
    default=None,
    help="How the status column's values read, RAW=status separated by commas, e.g. '1=controlled,0=none' "
    "(none clears a status). Values that are statuses of the legend need no mapping.",
)
@click.option("--source", "source_text", default=None, help="Text of the source column (default: SOURCE.csv's name).")
@legend_option
@boundary_options
@handle_errors
def import_command(source, output, legend, aliases, **options) -> None:
    """Turn a long table from elsewhere into a control table: one row per status change.

    SOURCE.csv has one row per district, or per district and date (e.g. a 0/1 'control'
    column). Every name is resolved as by validate and build; names read other than exactly
    are shown with their evidence. Only the rows where a district's status changes are kept,
    with the boundary file's names and P-code. Exits 1 if some names were left out (listed
    with their candidates; the rest is written), 2 on bad input (nothing written).
    """
    from districtcontrol.geo._import import import_table

    date_format = click.get_current_context().meta.get("date_format")
    boundaries = options.pop("boundaries")
    result = import_table(
        source, output, legend=legend, aliases=aliases, boundaries=boundaries, date_format=date_format, **options
    )
    _report_names(result.decisions, result.warnings, counted="name(s)")
    for line in result.left_out:
        click.echo(f"  left out: {line}", err=True)
    click.echo(f"Wrote {output}: {len(result.rows)} rows (status changes) from {result.read} source rows.", err=True)
    if not result.complete:
        click.echo(
            f"{len(result.left_out)} name(s) left out ({result.left_out_rows} rows): see above; "
            "correct them or add them to an alias table (--aliases), and import again.",
            err=True,
        )
        sys.exit(1)


def run() -> None:
    """Entry point used by the console script."""
    main()


if __name__ == "__main__":
    main()
