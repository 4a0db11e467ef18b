"""A comparison of two control tables, written out: per-district CSV, confusion table and a map of disagreements.

The map is an ordinary map of the project: the comparison becomes a control table of one
group, ``agreement``, whose statuses are the classes of agreement, and is drawn like any table.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from districtcontrol._csv import spreadsheet_safe
from districtcontrol._files import StagedBuild
from districtcontrol.geo.events.compare import AGREEMENT_GROUP, Comparison, agreement_legend, agreement_rows

MAP_FORMATS = ("html", "png", "svg", "pdf")


def comparison_files(formats: tuple[str, ...]) -> list[str]:
    """The names :func:`write_comparison` writes, in order."""
    return ["districts.csv", "confusion.csv", "agreement.csv", *(f"agreement.{f}" for f in formats)]


def write_comparison(
    comparison: Comparison,
    out: str | Path,
    formats: tuple[str, ...] = ("html", "png"),
    *,
    boundaries: str | Path | None = None,
    **fields,
) -> list[Path]:
    """Write ``districts.csv`` (one row per district), ``confusion.csv`` and the map ``agreement.<format>`` into ``out``.

    All or nothing, like a build. ``agreement.csv`` is the control table the map is drawn from.
    """
    from districtcontrol.geo.pipeline import load_control
    from districtcontrol.maps._build import save_map

    unknown = [f for f in formats if f not in MAP_FORMATS]
    if unknown:
        from districtcontrol import DistrictControlError

        raise DistrictControlError(f"--format {','.join(unknown)}: the map is written as {', '.join(MAP_FORMATS)}")
    rows = agreement_rows(comparison)
    legend = agreement_legend(comparison)
    with StagedBuild(out, comparison_files(formats)) as staged:
        _write_csv(staged.path("districts.csv"), comparison.districts)
        _write_csv(staged.path("confusion.csv"), comparison.confusion.reset_index())
        _write_csv(staged.path("agreement.csv"), _frame(rows), safe=False)  # a control table: text as it is
        if rows:
            data = load_control(rows, boundaries, "all", legend=legend, population=False, **fields)
            a, b = comparison.labels
            texts = {"subtitle": _subtitle(comparison), "credit": f"Data: {a}, {b}"}
            for fmt in formats:
                save_map(data, AGREEMENT_GROUP, staged.path(f"agreement.{fmt}"), **texts)
        return staged.commit()


def _subtitle(comparison: Comparison) -> str:
    share = f"{comparison.agreeing_share:.0%} of the districts with a status agree"
    return share + (f", as of {comparison.as_of}" if comparison.as_of else "")


def _frame(rows):
    import pandas as pd

    return pd.DataFrame(rows, columns=["group", "province", "district", "pcode", "status", "date", "source", "note"])


def _write_csv(path: Path, frame, safe: bool = True) -> None:
    """CSV; with ``safe``, cells a spreadsheet would run as formulas get a leading apostrophe."""
    cell = spreadsheet_safe if safe else str
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([cell(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        writer.writerow([cell(v) for v in row])
    path.write_text(buffer.getvalue(), encoding="utf-8")
