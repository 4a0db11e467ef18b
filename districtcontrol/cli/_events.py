"""Commands for events and comparisons: ``events`` (geolocated events → a control table) and ``compare``."""

from __future__ import annotations

from pathlib import Path

import click

from districtcontrol.cli._common import aliases_option, as_of_option, boundary_options, handle_errors, main

_COLUMN_OPTIONS = (
    ("--id", "id", "Column with each event's id (default: the schema's; else the row number)."),
    ("--date", "date", "Column with each event's date (ISO 8601, or e.g. '15 August 2021')."),
    ("--lon", "lon", "Column with longitudes (WGS 84); without --lon/--lat, a point geometry is used."),
    ("--lat", "lat", "Column with latitudes (WGS 84)."),
    ("--event-type", "event_type", "Column with the event type the rules' [evidence] reads."),
    ("--sub-event-type", "sub_event_type", "Column with the sub-event type (ACLED's sub_event_type)."),
    ("--admin1", "admin1", "Column with the source's province name."),
    ("--admin2", "admin2", "Column with the source's district name, compared with the district of the point."),
)


def _column_options(func):
    for flag, role, text in reversed(_COLUMN_OPTIONS):
        func = click.option(flag, f"{role}_column", metavar="COL", default=None, help=text)(func)
    return func


@main.command()
@click.argument("source", metavar="SOURCE", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Control table to write (CSV); its legend is written beside it as TABLE.legend.toml.",
)
@click.option(
    "--rules",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Rules file (TOML): actors → groups, event types → evidence, statuses. Default: the shipped event_rules.toml.",
)
@click.option(
    "--period",
    type=click.Choice(["month", "quarter", "year"]),
    default="month",
    show_default=True,
    help="The period a status is derived for.",
)
@click.option(
    "--points",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write one row per event (CSV): its id, district, period, groups, and why.",
)
@click.option(
    "--schema",
    type=click.Choice(["auto", "acled", "ucdp"]),
    default="auto",
    show_default=True,
    help="The source's columns: ACLED's, UCDP GED's, or detected.",
)
@_column_options
@click.option(
    "--actor",
    "actor_columns",
    metavar="COL",
    multiple=True,
    help="Column with an event's actor; give it twice for the two sides (first: the side a takeover credits).",
)
@aliases_option
@boundary_options
@handle_errors
def events(source, output, rules, period, points, schema, actor_columns, aliases, **options) -> None:
    """Derive district statuses from geolocated events (ACLED, UCDP GED or any) as a control table.

    SOURCE is a CSV, GeoJSON, GeoPackage or Parquet file. Every event is placed in the district
    containing its point; events outside every district, without coordinates or a date, or
    located only roughly are listed in --points with the reason. The rules give each actor a
    group and each period a status; the table has one row per change of a group's status in a
    district, with the evidence in its note. Then: build --table TABLE.csv --legend TABLE.legend.toml.
    """
    from districtcontrol.geo.events import events_table, legend_path

    if len(actor_columns) > 2:
        raise click.UsageError("--actor is given at most twice: the two sides of an event")
    columns = {key[: -len("_column")]: options.pop(key) for key in list(options) if key.endswith("_column")}
    columns.update(dict(zip(("actor1", "actor2"), actor_columns)))
    result = events_table(
        source,
        output,
        rules=rules,
        period=period,
        points=points,
        schema=schema,
        columns=columns,
        aliases=aliases,
        **options,
    )
    _report(result, output, legend_path(output), points)


_LAYOUTS = {"acled": "ACLED's columns", "ucdp": "UCDP GED's columns", "custom": "the columns named"}


def _report(result, output: Path, legend: Path, points: Path | None) -> None:
    counts = result.counts
    click.echo(
        f"Read {counts['events']:,} events ({_LAYOUTS[result.schema]}): {counts['placed']:,} placed in a district",
        err=True,
    )
    for kind in ("edge", "outside", "no coordinates", "not on the globe", "imprecise location", "no date"):
        if counts[kind]:
            verb = "placed by the edge rule" if kind == "edge" else "not placed"
            click.echo(f"  {counts[kind]:,} {kind}: {verb}", err=True)
    for kind in ("admin2 differs", "admin2 does not resolve"):
        if counts[kind]:
            click.echo(f"  {counts[kind]:,} with {kind} (the point decides)", err=True)
    if result.unassigned:
        top = ", ".join(f"'{name}' ({n:,})" for name, n in result.unassigned)
        click.echo(f"  actors without a group (most frequent first): {top}", err=True)
    if points is not None:
        click.echo(f"Wrote {points}: one row per event, with where it went and why.", err=True)
    click.echo(f"Wrote {output}: {len(result.rows):,} rows (status changes), and its legend {legend}.", err=True)


@main.command()
@click.argument("table_a", metavar="A.csv", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("table_b", metavar="B.csv", type=click.Path(dir_okay=False, path_type=Path))
@as_of_option
@click.option(
    "--legend-a",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Legend of A (default: A.legend.toml beside it, else the shipped legend).",
)
@click.option(
    "--legend-b",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Legend of B (default: B.legend.toml beside it, else the shipped legend).",
)
@click.option(
    "--same",
    default=None,
    help="Statuses of A and B that mean the same, A=B separated by commas, e.g. 'held=captured'.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("compare"),
    show_default=True,
    help="Folder for districts.csv, confusion.csv and the map of agreement.",
)
@click.option(
    "--format",
    "formats",
    default="html,png",
    show_default=True,
    help="Formats of the map: html, png, svg, pdf (comma-separated).",
)
@aliases_option
@boundary_options
@handle_errors
def compare(table_a, table_b, as_of, legend_a, legend_b, same, out, formats, aliases, **fields) -> None:
    """Compare two control tables district by district: agreement, a confusion table and a map.

    Per district, each table's strongest status (as the combined map shows it) and its group;
    they agree when the groups are the same and the statuses the same (or declared the same
    with --same). Prints the counts and the confusion table; writes them into --out with a map.
    """
    from districtcontrol.geo.events import compare_tables
    from districtcontrol.maps._comparison import write_comparison

    boundaries = fields.pop("boundaries")
    comparison = compare_tables(
        table_a,
        table_b,
        as_of=as_of,
        legend_a=legend_a,
        legend_b=legend_b,
        same=same,
        boundaries=boundaries,
        aliases=aliases,
        **fields,
    )
    chosen = tuple(f.strip() for f in formats.split(",") if f.strip())
    written = write_comparison(comparison, out, chosen, boundaries=boundaries, **fields)
    counts = comparison.counts
    judged = sum(v for k, v in counts.items() if k != "none")
    click.echo(
        f"{judged} districts with a status in either table; {counts['same']} agree ({comparison.agreeing_share:.1%})."
    )
    for key, n in counts.items():
        click.echo(f"  {key}: {n}")
    click.echo(comparison.confusion.to_string())
    click.echo(f"Wrote {', '.join(str(p) for p in written)}", err=True)
