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

REGION_HELP = (
    "Region to cover: 'north' (the provinces on the border with Turkmenistan, Uzbekistan and "
    "Tajikistan plus every province with a record), 'all', or a comma-separated list of provinces."
)
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
    return click.option("--region", default="north", show_default=True, help=REGION_HELP)(func)


def _load(table, boundaries, region, name_field, province_field, pcode_field, records=None):
    from districtcontrol.data import read_table
    from districtcontrol.geo import load_control

    if records is None:  # the table is read once: it may be a pipe such as /dev/stdin
        records = read_table(table, date_format=click.get_current_context().meta.get("date_format"))
    return load_control(
        table,
        boundaries,
        region,
        name_field=name_field,
        province_field=province_field,
        pcode_field=pcode_field,
        records=records,
    )


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
    from districtcontrol.geo import ATTRIBUTION, file_sha256, locate_boundaries, read_boundaries

    source = locate_boundaries(boundaries)
    frame = read_boundaries(source.path, name_field=name_field, province_field=province_field, pcode_field=pcode_field)
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
@boundary_options
@date_format_option
@click.option(
    "--names/--no-names",
    default=True,
    show_default=True,
    help="Also check that every name resolves (needs the boundaries).",
)
@handle_errors
def validate(table, boundaries, name_field, province_field, pcode_field, names) -> None:
    """Check a control table and report every problem at once (file, line, column, fix).

    TABLE defaults to the shipped table. Exits 2 if there is any problem.
    """
    from districtcontrol.data import default_table_path, read_table
    from districtcontrol.geo.join import resolve_names

    records = read_table(table, date_format=click.get_current_context().meta.get("date_format"))
    if names:
        resolve_names(
            records,
            str(table or default_table_path()),
            boundaries,
            name_field=name_field,
            province_field=province_field,
            pcode_field=pcode_field,
        )
    click.echo(f"{table or 'shipped table'}: {len(records)} rows, no problems.")


@main.command()
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="GeoJSON file to write."
)
@region_option
@table_option
@boundary_options
@handle_errors
def export(output, region, table, boundaries, name_field, province_field, pcode_field) -> None:
    """Write the region's districts with each group's status as GeoJSON (RFC 7946).

    Properties: pcode, district, district_dari, province, province_pcode, taliban, is, imu
    (each group's status or null), sources and history (every table row for the district).
    """
    from districtcontrol.geo import write_geojson

    data = _load(table, boundaries, region, name_field, province_field, pcode_field)
    write_geojson(data.districts, output)
    recorded = int(data.districts[["taliban", "is", "imu"]].notna().any(axis=1).sum())
    click.echo(f"Wrote {output}: {len(data.districts)} districts, {recorded} with a record.", err=True)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@region_option
@table_option
@boundary_options
@handle_errors
def summary(fmt, region, table, boundaries, name_field, province_field, pcode_field) -> None:
    """Per province and group: districts by status, their area (km²) and share of the province."""
    from districtcontrol.geo import format_summary, summarise

    data = _load(table, boundaries, region, name_field, province_field, pcode_field)
    click.echo(format_summary(summarise(data.districts), fmt), nl=False)


def _formats(value: str) -> tuple[str, ...]:
    from districtcontrol.maps.build import FORMATS

    chosen = tuple(f.strip().lower() for f in value.split(",") if f.strip())
    unknown = [f for f in chosen if f not in FORMATS + ("pdf",)]
    if unknown or not chosen:
        raise click.BadParameter(
            f"unknown format {', '.join(unknown) or '(none)'}; choose from html, png, svg, pdf, geojson"
        )
    return chosen


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
@click.option(
    "--format",
    "formats",
    default="html,png,svg,geojson",
    show_default=True,
    help="Comma-separated outputs: html, png, svg, pdf, geojson.",
)
@click.option("--self-contained", is_flag=True, help="Inline Leaflet so the HTML opens with no network at all.")
@click.option(
    "--tiles",
    default=None,
    help="Basemap tiles, an xyzservices provider name such as OpenStreetMap.Mapnik (default: none).",
)
@click.option("--embed", is_flag=True, help="Also write NAME.embed.html beside each map: a ready <iframe> snippet.")
@click.option(
    "--source", default=None, help="Source line under the title (default: the report, or the table's file name)."
)
@click.option(
    "--jobs",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Processes rendering maps at once: 0 = one per CPU core (at most 4), 1 = no extra processes.",
)
@handle_errors
def build(
    out,
    region,
    table,
    boundaries,
    name_field,
    province_field,
    pcode_field,
    formats,
    self_contained,
    tiles,
    embed,
    source,
    jobs,
) -> None:
    """Write every map (combined, taliban, is, imu) as HTML and images, plus GeoJSON, summary and index.html.

    Everything is checked before the first file is written; each file is written to a
    temporary name and renamed into place.
    """
    from districtcontrol.maps.build import build as build_outputs
    from districtcontrol.maps.build import planned_outputs

    chosen = _formats(formats)
    data = _load(table, boundaries, region, name_field, province_field, pcode_field)
    total = len(planned_outputs(chosen, embed))
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
        source=source,
        progress=progress,
        jobs=jobs,
    )
    click.echo(f"Done: open {out / 'index.html' if 'html' in chosen else out}", err=True)


@main.command(name="map")
@click.argument("group", type=click.Choice(["combined", "taliban", "is", "imu"]))
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
@click.option("--self-contained", is_flag=True, help="HTML only: inline Leaflet so the file opens offline.")
@click.option("--tiles", default=None, help="HTML only: xyzservices provider name for basemap tiles.")
@click.option("--source", default=None, help="Source line under the title.")
@handle_errors
def map_command(
    group, output, region, table, boundaries, name_field, province_field, pcode_field, self_contained, tiles, source
) -> None:
    """Write one map. GROUP is combined, taliban, is or imu; the format follows the suffix of -o."""
    suffix = output.suffix.lower()
    if suffix not in (".html", ".png", ".svg", ".pdf"):
        raise DistrictControlError(f"cannot tell the format of '{output.name}': use .html, .png, .svg or .pdf")
    data = _load(table, boundaries, region, name_field, province_field, pcode_field)
    if suffix == ".html":
        from districtcontrol.geo.files import write_text
        from districtcontrol.maps import interactive_map, map_html

        write_text(
            output, map_html(interactive_map(data, group, tiles=tiles, source=source), self_contained=self_contained)
        )
    else:
        from districtcontrol.maps.static import save_figure, static_map

        save_figure(static_map(data, group, source=source), output)
    click.echo(f"Wrote {output}", err=True)


def run() -> None:
    """Entry point used by the console script."""
    main()


if __name__ == "__main__":
    main()
