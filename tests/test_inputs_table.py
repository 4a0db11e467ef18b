"""Control tables as users have them, and as they go wrong: quotes, line numbers, digits, dates,
column names, optional columns, DataFrames, pipes, endless files and terminal escapes."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
from click.testing import CliRunner
from helpers import tiny_boundary_file

from districtcontrol import DistrictControlError
from districtcontrol.data import TableError, read_table, validate_table
from districtcontrol.geo._join import resolve_records
from districtcontrol.geo.names import Resolver

HEADER = "group,province,district,status,date,source,note"


def write(tmp_path, text: str, name: str = "t.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def problems(tmp_path, text: str, **kwargs):
    return validate_table(write(tmp_path, text), **kwargs)


def boundary_file(tmp_path, tiny_districts):
    return tiny_boundary_file(tmp_path, tiny_districts)


# -- quotes and line numbers ------------------------------------------------------------------


def test_unclosed_quote_is_reported_where_it_opened(tmp_path):
    text = (
        f"{HEADER}\n"
        "taliban,Kunduz,Khanabad,captured,2015,xlvi,ok\n"
        'taliban,Kunduz,Kunduz,captured,2015,xlvi,"the quote opens here\n'
        "taliban,Kunduz,Imam Sahib,contested,2015,xlvi,\n"
        "taliban,Kunduz,Dasht-e-Archi,contested,2015,xlvi,\n"
        "taliban,Kunduz,Chahar Darah,contested,2015,xlvi,\n"
    )
    (problem,) = problems(tmp_path, text)
    assert problem.line == 3
    assert "never closed" in problem.message


def test_quote_closed_rows_later_is_reported_where_it_opened(tmp_path):
    text = (
        f"{HEADER}\n"
        'taliban,Kunduz,Kunduz,captured,2015,xlvi,"opens here\n'
        "taliban,Kunduz,Imam Sahib,contested,2015,xlvi,\n"
        'taliban,Kunduz,Dasht-e-Archi,contested,2015,xlvi,closes here"\n'
        "taliban,Kunduz,Khanabad,captured,2015,xlvi,\n"
    )
    found = problems(tmp_path, text)
    assert [p.line for p in found] == [2]
    assert "closes only on line 4" in found[0].message


def test_text_after_a_closing_quote_is_an_error(tmp_path):
    (problem,) = problems(tmp_path, f'{HEADER}\ntaliban,Kunduz,Kunduz,captured,2015,xlvi,"note"junk\n')
    assert problem.line == 2 and "text follows a closing quote" in problem.message


def test_line_numbers_count_physical_lines_after_a_multiline_note(tmp_path):
    text = (
        f"{HEADER}\n"
        'taliban,Kunduz,Kunduz,captured,2015,xlvi,"a note\nover three\nlines"\n'
        "taliban,Kunduz,Khanabad,captured,2015,xlvi,\n"
        "taliban,Kunduz,Imam Sahib,captrued,2015,xlvi,\n"
    )
    (problem,) = problems(tmp_path, text)
    assert problem.line == 6
    records = read_table(write(tmp_path, text.replace("captrued", "captured")))
    assert [r.line for r in records] == [2, 5, 6]
    assert records[0].note == "a note\nover three\nlines"


# -- rows, header and columns -----------------------------------------------------------------


def test_a_table_of_empty_rows_is_an_error(tmp_path):
    (problem,) = problems(tmp_path, f"{HEADER}\n,,,,,,\n , ,,,,,\n\n")
    assert "no rows" in problem.message


def test_duplicate_columns_are_an_error_whatever_their_case(tmp_path):
    found = problems(tmp_path, "group,province,district,status,date,source,note, District \nx,y,z,w,,,,\n")
    assert any("'district' appears 2 times (columns 3 and 8)" in p.message for p in found)


def test_column_names_ignore_case_and_spaces(tmp_path):
    text = " Group ,PROVINCE,District,Status , Date,Source,NOTE\ntaliban,Kunduz,Khanabad,captured,2015,xlvi,n\n"
    (record,) = read_table(write(tmp_path, text))
    assert (record.group, record.province, record.district, record.date, record.note) == (
        "taliban",
        "Kunduz",
        "Khanabad",
        "2015",
        "n",
    )


def test_source_note_date_and_province_are_optional(tmp_path):
    (record,) = read_table(write(tmp_path, "group,district,status\ntaliban,Khanabad,captured\n"))
    assert (record.province, record.date, record.source, record.note) == ("", "", "", "")
    (record,) = read_table(write(tmp_path, f"{HEADER}\ntaliban,,Khanabad,captured,,,\n"))
    assert record.province == "" and record.district == "Khanabad"


def test_pcode_column_is_kept(tmp_path):
    (record,) = read_table(write(tmp_path, "group,district,status,P Code\ntaliban,Khanabad,captured,AF1904\n"))
    assert record.pcode == "AF1904"


def test_a_row_needs_a_district_or_a_province(tmp_path):
    (problem,) = problems(tmp_path, "group,province,district,status\ntaliban,,,captured\n")
    assert problem.line == 2 and "no district and no province" in problem.message


# -- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["٢٠١٥-١٠", "۲۰۱۵-۱۰", "２０１５－１０"])
def test_digits_of_other_scripts_are_read_as_dates(tmp_path, written):
    (record,) = read_table(write(tmp_path, f"{HEADER}\ntaliban,Kunduz,Khanabad,captured,{written},,\n"))
    assert record.date == "2015-10"


def test_dates_in_other_digits_are_compared_as_dates(tmp_path, tiny_districts):
    from districtcontrol.geo import load_control

    text = f"{HEADER}\ntaliban,Northland,Khan Abad,contested,2017-04,,\ntaliban,Northland,Khan Abad,captured,٢٠١٥,,\n"
    data = load_control(write(tmp_path, text), boundary_file(tmp_path, tiny_districts), "all")
    row = data.districts.set_index("pcode").loc["XX0101"]
    assert row["taliban"] == "contested"
    assert [h["date"] for h in row["history"]] == ["2015", "2017-04"]


def test_a_date_format_reads_other_dates(tmp_path):
    text = "group,district,status,date\ntaliban,Khanabad,captured,4/23/2015\nis,Khanabad,present,12/01/2016\n"
    assert [r.date for r in read_table(write(tmp_path, text), date_format="%m/%d/%Y")] == ["2015-04-23", "2016-12-01"]
    (record,) = read_table(write(tmp_path, "group,district,status,date\nis,X,present,04.2016\n"), date_format="%m.%Y")
    assert record.date == "2016-04"


def test_a_date_not_in_the_format_names_the_format(tmp_path):
    (problem,) = problems(
        tmp_path, "group,district,status,date\ntaliban,Khanabad,captured,23/04/2015\n", date_format="%m/%d/%Y"
    )
    assert problem.column == "date" and "'%m/%d/%Y'" in problem.message


def test_an_iso_table_hints_at_the_date_format_option(tmp_path):
    (problem,) = problems(tmp_path, "group,district,status,date\ntaliban,Khanabad,captured,04/23/2015\n")
    assert "--date-format" in problem.suggestion


def test_a_date_that_reads_two_ways_is_refused(tmp_path):
    (problem,) = problems(
        tmp_path, "group,district,status,date\ntaliban,Khanabad,captured,2015111\n", date_format="%Y%m%d"
    )
    assert "two ways" in problem.message


@pytest.mark.parametrize(
    ("fmt", "needle"), [("%m/%d/%y", "two-digit year"), ("%d/%m", "four-digit year"), ("%Q", "%Q is not a directive")]
)
def test_unusable_date_formats_are_refused(tmp_path, fmt, needle):
    with pytest.raises(DistrictControlError, match=needle):
        read_table(write(tmp_path, "group,district,status,date\ntaliban,Khanabad,captured,2015\n"), date_format=fmt)


# -- other kinds of input -----------------------------------------------------------------------


def test_a_dataframe_is_a_table():
    frame = pd.DataFrame(
        {
            "Group": ["taliban", "is"],
            "District": ["Khanabad", "Darzab"],
            "Status": ["captured", "present"],
            "Date": [2015.0, float("nan")],
            "Note": [None, "seen"],
        }
    )
    records = read_table(frame)
    assert [(r.line, r.district, r.date, r.note) for r in records] == [
        (1, "Khanabad", "2015", ""),
        (2, "Darzab", "", "seen"),
    ]


def test_a_dataframe_with_problems_names_its_rows():
    frame = pd.DataFrame({"group": ["taliban", "talibn"], "district": ["A", "B"], "status": ["captured", "captured"]})
    (problem,) = validate_table(frame)
    assert (problem.path, problem.line, problem.column) == ("DataFrame", 2, "group")


def test_a_list_of_dicts_is_a_table():
    rows = [
        {"group": "taliban", "district": "Khanabad", "status": "captured", "date": pd.Timestamp("2015-10-01")},
        {"group": "is", "district": "Darzab", "status": "present"},
    ]
    assert [(r.district, r.date) for r in read_table(rows)] == [("Khanabad", "2015-10-01"), ("Darzab", "")]


def test_other_inputs_are_refused_with_a_message():
    with pytest.raises(DistrictControlError, match="a path, a pandas DataFrame or a list of dicts"):
        read_table(42)


def test_an_endless_file_is_refused_not_a_memory_error(monkeypatch):
    from districtcontrol import _csv

    monkeypatch.setattr(_csv, "MAX_FILE_BYTES", 1 << 20)
    (problem,) = validate_table("/dev/zero")
    assert "larger than 1 MB" in problem.message


def test_validate_reads_a_pipe_once(tmp_path, tiny_districts):
    table = f"{HEADER}\ntaliban,Northland,Khan Abad,captured,2015,,\ntaliban,Southland,Qush Tepa,captured,2015,,\n"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "districtcontrol",
            "validate",
            "/dev/stdin",
            "--boundaries",
            boundary_file(tmp_path, tiny_districts),
        ],
        input=table,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "2 rows, no problems" in result.stdout


def test_cli_date_format_option(tmp_path, tiny_districts):
    from districtcontrol.cli import main

    table = write(tmp_path, "group,province,district,status,date\ntaliban,Northland,Khan Abad,captured,10/23/2015\n")
    bounds = boundary_file(tmp_path, tiny_districts)
    result = CliRunner().invoke(
        main, ["validate", str(table), "--boundaries", str(bounds), "--date-format", "%m/%d/%Y"]
    )
    assert result.exit_code == 0, result.output
    out = tmp_path / "x.geojson"
    args = ["export", "-o", str(out), "--table", str(table), "--boundaries", str(bounds), "--region", "all"]
    result = CliRunner().invoke(main, [*args, "--date-format", "%m/%d/%Y"])
    assert result.exit_code == 0, result.output
    (feature,) = [f for f in json.loads(out.read_text(encoding="utf-8"))["features"] if f["properties"]["history"]]
    assert feature["properties"]["history"][0]["date"] == "2015-10-23"
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and "10/23/2015" in result.output


# -- terminal escapes ---------------------------------------------------------------------------


def test_control_characters_are_shown_escaped(tmp_path):
    header = str(TableError(problems(tmp_path, f"{HEADER},\x1b]0;owned\x07\ntaliban,K,K,captured,,,,\n")))
    cell = str(TableError(problems(tmp_path, f"{HEADER}\ntaliban\x1b[2J,K,K,captured,,,\n")))
    for message in (header, cell):
        assert "\x1b" not in message and "\x07" not in message
    assert "\\x1b]0;owned\\x07" in header and "taliban\\x1b[2J" in cell


def test_cli_messages_carry_no_raw_escapes(tmp_path):
    from districtcontrol.cli import main

    table = write(tmp_path, f"{HEADER}\ntaliban,Kunduz,Khanabad,captured\x1b[31m,,,\n")
    result = CliRunner().invoke(main, ["validate", str(table), "--no-names"])
    assert result.exit_code == 2
    assert "\x1b" not in result.output and "captured\\x1b[31m" in result.output


# -- the same district spelled two ways ------------------------------------------------------------


def test_same_district_spelled_two_ways_is_a_duplicate_or_a_conflict(tmp_path, tiny_districts):
    text = (
        f"{HEADER}\n"
        "taliban,Northland,Khanabad,captured,2015,,\n"
        "taliban,Northland,Khan Abad,captured,2015,,\n"
        "is,Northland,Khan-Abad,present,2016,,\n"
        "is,northland,KHAN ABAD district,contested,2016,,\n"
    )
    records = read_table(write(tmp_path, text))
    with pytest.raises(TableError) as info:
        resolve_records(records, Resolver.from_frame(tiny_districts, []), "t.csv")
    duplicate, conflict = info.value.problems
    assert duplicate.line == 3 and "duplicate" in duplicate.message
    assert "line 2 ('Khanabad' in 'Northland') and line 3 ('Khan Abad' in 'Northland')" in duplicate.message
    assert "Khan Abad (Northland, XX0101)" in duplicate.message
    assert conflict.line == 5 and conflict.column == "status" and "line 4" in conflict.message


@pytest.mark.parametrize(
    ("fmt", "first", "second", "dates"),
    [
        ("%Y-%W-%w", "2021-10-1", "2021-30-1", ["2021-03-08", "2021-07-26"]),
        ("%G-W%V-%u", "2021-W10-1", "2021-W30-1", ["2021-03-08", "2021-07-26"]),
        ("%A %d %B %Y", "Monday 08 March 2021", "Monday 26 July 2021", ["2021-03-08", "2021-07-26"]),
        ("%Y-%j", "2021-067", "2021-207", ["2021-03-08", "2021-07-26"]),
        ("%B %Y", "March 2021", "July 2021", ["2021-03", "2021-07"]),
        ("%Y", "2020", "2021", ["2020", "2021"]),
    ],
)
def test_dates_of_a_format_are_read_to_its_precision_so_different_dates_do_not_conflict(
    tmp_path, fmt, first, second, dates
):
    table = f"group,district,status,date\ntaliban,Khanabad,captured,{first}\ntaliban,Khanabad,contested,{second}\n"
    records = read_table(write(tmp_path, table), date_format=fmt)
    assert [r.date for r in records] == dates
