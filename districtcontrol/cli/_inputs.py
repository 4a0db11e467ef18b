"""Commands that read and check inputs: ``boundaries``, ``match``, ``validate`` and ``import``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from districtcontrol.cli._common import (
    _report_names,
    aliases_option,
    boundary_options,
    date_format_option,
    handle_errors,
    legend_option,
    main,
    source_options,
)


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
@source_options
@handle_errors
def match(table, aliases, boundaries, name_field, province_field, pcode_field, **source) -> None:
    """Resolve the province and district names of any CSV to districts of the boundary file.

    TABLE needs a 'district' column and usually a 'province' column (any case and spacing).
    Writes CSV to stdout: the input columns plus pcode, matched_district, matched_province,
    method, score, warning (how a name was read, when not exactly), suggestions; one row per
    input row, in order. Exits 1 if any row is unresolved.
    """
    from districtcontrol._match_csv import match_csv
    from districtcontrol.geo._source_shapes import source_boundaries

    shapes = source_boundaries(
        *(source[f"source_{k}"] for k in ("boundaries", "name_field", "province_field", "layer"))
    )
    notes: list[str] = []
    unresolved = match_csv(
        table, sys.stdout, boundaries, name_field, province_field, pcode_field, aliases, notes, shapes
    )
    for line in notes:
        click.echo(f"  note: {line}", err=True)
    if unresolved:
        click.echo(f"{unresolved} row(s) unresolved: see the 'suggestions' column.", err=True)
        sys.exit(1)


@main.command()
@click.argument("table", type=click.Path(dir_okay=False, path_type=Path), required=False)
@legend_option
@boundary_options
@source_options
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
    from districtcontrol.data import TableError, default_table_path
    from districtcontrol.data.legend import read_legend
    from districtcontrol.data.table import check_table
    from districtcontrol.geo.pipeline import check_names

    date_format = click.get_current_context().meta.get("date_format")
    records, problems = check_table(table, date_format=date_format, legend=read_legend(legend))
    if names and records:
        label = str(table) if table else f"shipped {default_table_path().name}"
        try:
            decisions, warnings = check_names(records, label, aliases=aliases, **files)
        except TableError as exc:  # the names of the good rows, reported with the other rows' problems
            problems = [*problems, *exc.problems]
        else:
            _report_names(decisions, warnings)
    if problems:
        raise TableError(sorted(problems, key=lambda p: p.line or 0))
    click.echo(f"{table or 'shipped table'}: {len(records)} rows, no problems.")


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
@source_options
@handle_errors
def import_command(source, output, legend, aliases, **options) -> None:
    """Turn a long table from elsewhere into a control table: each district's first observation and every change.

    SOURCE.csv has one row per district, or per district and date (e.g. a 0/1 'control'
    column). Every name is resolved as by validate and build; names read other than exactly
    are shown with their evidence. Each district's first observation (none too: reported, not
    held) and the rows where its status changes are kept, with the boundary file's names and
    P-code. Names left out are listed with their candidates and written to
    TABLE.unplaced.csv beside the table, which build and summary read. Exits 1 if some names
    were left out (the rest is written), 2 on bad input (nothing written).
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
    kept = f"{len(result.rows)} rows (first observations and changes)"
    click.echo(f"Wrote {output}: {kept} from {result.read} source rows.", err=True)
    if not result.complete:
        from districtcontrol.geo._unplaced import sidecar_path

        click.echo(
            f"{len(result.left_out)} name(s) left out ({result.left_out_rows} rows), listed in {sidecar_path(output)} "
            "for build and summary: see above; correct them or add them to an alias table (--aliases), "
            "and import again.",
            err=True,
        )
        sys.exit(1)
