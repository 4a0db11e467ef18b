"""The ``match`` command with CSV files as they come: headers in any case, ragged rows, columns named
twice, huge fields, open quotes (all refused before any output), and cells a spreadsheet would run."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner
from helpers import tiny_boundary_file

from districtcontrol.cli import main


@pytest.fixture
def bounds(tmp_path, tiny_districts):
    return tiny_boundary_file(tmp_path, tiny_districts)


def run_match(tmp_path, bounds, text: str):
    table = tmp_path / "names.csv"
    table.write_text(text, encoding="utf-8", newline="")
    return CliRunner().invoke(main, ["match", str(table), "--boundaries", str(bounds)])


def test_headers_in_any_case_and_spacing(tmp_path, bounds):
    result = run_match(tmp_path, bounds, "Province, District \nNorthland,Khanabad\n")
    assert result.exit_code == 0, result.output
    (row,) = csv.DictReader(io.StringIO(result.stdout))
    assert (row["Province"], row[" District "], row["pcode"]) == ("Northland", "Khanabad", "XX0101")


def test_a_district_column_alone_is_enough(tmp_path, bounds):
    result = run_match(tmp_path, bounds, "district\nQush Tepa\n")
    assert result.exit_code == 0, result.output
    assert "XX0202" in result.stdout


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        (
            "province,district\nNorthland,Khanabad\nNorthland,Baharak,extra\nSouthland,Baharak\n",
            "names.csv:3: has 3 fields",
        ),
        ("province,district,District\nNorthland,Khanabad,x\n", "column 'district' appears 2 times"),
        (
            "province,district,note\nNorthland,Khanabad," + "x" * 10_000_000 + "\n",
            "names.csv:2: a field is longer than",
        ),
        (
            'province,district\nNorthland,"Khanabad\nSouthland,Baharak\n',
            "names.csv:2: a quote opened on this line is never closed",
        ),
        ("province,district\nNorthland," + "K" * 1000 + "\n", "a name of 1,000 characters"),
    ],
)
def test_bad_tables_are_refused_before_any_output(tmp_path, bounds, text, needle):
    result = run_match(tmp_path, bounds, text)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert needle in result.stderr
    assert "Traceback" not in result.output


def test_cells_a_spreadsheet_would_run_are_neutralised(tmp_path, bounds):
    text = 'province,district,note\nNorthland,Khanabad,"=HYPERLINK(""http://x"",""y"")"\nNorthland,Baharak,@SUM(A1)\n'
    result = run_match(tmp_path, bounds, text)
    assert result.exit_code == 0, result.output
    notes = [row["note"] for row in csv.DictReader(io.StringIO(result.stdout))]
    assert notes == ['\'=HYPERLINK("http://x","y")', "'@SUM(A1)"]


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd", "'+cmd"),
        ("-2+3", "'-2+3"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("-3", "-3"),
        ("+4.5", "+4.5"),
        ("Kunduz", "Kunduz"),
        ("", ""),
    ],
)
def test_spreadsheet_safe(cell, written):
    from districtcontrol._csv import spreadsheet_safe

    assert spreadsheet_safe(cell) == written
