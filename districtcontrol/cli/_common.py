"""Shared by every command: the main group, the option decorators, loading and error handling."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from districtcontrol import DistrictControlError

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


def file_option(flag: str, help: str):
    """An option naming an input file: optional, never a folder, given to the command as a Path."""
    return click.option(flag, type=click.Path(dir_okay=False, path_type=Path), default=None, help=help)


def stack(func, options):
    """Apply click options to ``func`` so that ``--help`` lists them in the order given."""
    for option in reversed(options):
        func = option(func)
    return func


def table_option(func):
    func = legend_option(func)
    return date_format_option(
        file_option(
            "--table",
            "Control table CSV (group,province,district,status,date,source,note). Default: the shipped table.",
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
    return file_option(
        "--legend",
        "Legend file (TOML) declaring the table's groups and statuses. Default: the shipped table's.",
    )(func)


def aliases_option(func):
    return file_option(
        "--aliases",
        "Your alias table (CSV, the columns of the shipped aliases.csv), tried before the shipped one.",
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
    return stack(func, options)


def boundary_options(func):
    options = [
        file_option(
            "--boundaries",
            "District boundary file (zipped shapefile, .shp, GeoJSON, GeoPackage). "
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
    return stack(func, options)


def source_options(func):
    """--source-boundaries and its fields: the source's own district file gives each name its province and evidence."""
    options = [
        file_option(
            "--source-boundaries",
            "The source's own district file (any format GDAL reads; TopoJSON is read as WGS 84): each name "
            "of the table takes its province from the feature of that name, and the overlap of the resolved "
            "district with its shape is the evidence. Names not in the file resolve as without it.",
        ),
        click.option("--source-layer", default=None, metavar="NAME", help="Layer of --source-boundaries to read."),
        click.option(
            "--source-name-field", default=None, metavar="FIELD", help="Field of --source-boundaries with the names."
        ),
        click.option(
            "--source-province-field",
            default=None,
            metavar="FIELD",
            help="Field of --source-boundaries with each name's province.",
        ),
    ]
    return stack(func, options)


def region_option(func):
    from districtcontrol.geo._regions import REGION_HELP

    return click.option("--region", default="north", show_default=True, help=f"Region to cover: {REGION_HELP}.")(func)


def population_options(func):
    options = [
        file_option(
            "--population",
            "District population estimates (CSV). Default: $DISTRICTCONTROL_POPULATION, else the cached or "
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
    return stack(func, options)


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
    """Load a region with the options every loading command shares (table, legend, aliases, boundaries, population, date).

    Its warnings (districts counted in another province, population estimates of another year) go to stderr.
    """
    from districtcontrol.data import read_table
    from districtcontrol.data.legend import read_legend
    from districtcontrol.geo import load_control

    legend = read_legend(legend)
    # The table is read once: it may be a pipe such as /dev/stdin.
    records = read_table(table, date_format=click.get_current_context().meta.get("date_format"), legend=legend)
    population = False if no_population else population
    data = load_control(
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
    for line in data.warnings:
        click.echo(f"  note: {line}", err=True)
    return data


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
@click.version_option(package_name="districtcontrol", prog_name="districtcontrol")
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
      districtcontrol events ACLED.csv -o T.csv  statuses derived from geolocated events
    """
