"""The control table reader: the shipped table, and every kind of bad table a user may pass."""

from __future__ import annotations

import pytest

from districtcontrol.data import COLUMNS, TableError, read_table, validate_table

HEADER = ",".join(COLUMNS)


def write(tmp_path, text: str | bytes, name: str = "t.csv"):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def problems(tmp_path, text):
    return validate_table(write(tmp_path, text))


def test_shipped_table_reads_with_every_group():
    records = read_table()
    assert {r.group for r in records} == {"taliban", "is", "imu", "unattributed"}
    assert all(r.line >= 2 for r in records)


def test_province_level_rows_have_no_district():
    notes = [r for r in read_table() if r.is_province_note]
    assert {(r.group, r.province) for r in notes} == {("unattributed", "Balkh"), ("imu", "Herat")}


@pytest.mark.parametrize(
    ("row", "column", "needle"),
    [
        ("talibn,Kunduz,Khanabad,captured,,,", "group", "did you mean 'taliban'"),
        ("taliban,Kunduz,Khanabad,captred,,,", "status", "did you mean 'captured'"),
        ("taliban,Kunduz,Khanabad,captured,2015/10,,", "date", "malformed date"),
        ("taliban,Kunduz,Khanabad,captured,2015-13,,", "date", "impossible date"),
        ("taliban,Kunduz,Khanabad,captured,2015-02-30,,", "date", "impossible date"),
        ("taliban,,,captured,,,", "district", "no district and no province"),
        ("taliban,Kunduz,Khanabad,,,,", "status", "'status' is empty"),
    ],
)
def test_bad_field_names_line_column_and_fix(tmp_path, row, column, needle):
    (problem,) = problems(tmp_path, f"{HEADER}\ntaliban,Kunduz,Kunduz,captured,,,\n{row}\n")
    assert problem.line == 3
    assert problem.column == column
    assert needle in f"{problem.message} {problem.suggestion}"


def test_every_problem_is_reported_at_once(tmp_path):
    found = problems(tmp_path, f"{HEADER}\nx,Kunduz,Khanabad,captured,,,\ntaliban,Kunduz,Khanabad,y,,,\n")
    assert [p.line for p in found] == [2, 3]


def test_missing_and_unknown_columns(tmp_path):
    found = problems(tmp_path, "group,province,distrct,status,date,source,note\ntaliban,Kunduz,Khanabad,captured,,,\n")
    messages = " ".join(str(p) for p in found)
    assert "missing column 'district'" in messages
    assert "unknown column 'distrct'" in messages and "did you mean 'district'" in messages


def test_empty_file_and_header_only(tmp_path):
    assert "empty" in problems(tmp_path, "")[0].message
    assert "no rows" in problems(tmp_path, HEADER + "\n")[0].message


def test_non_utf8_names_the_line(tmp_path):
    path = write(
        tmp_path, f"{HEADER}\ntaliban,Kunduz,Khanabad,captured,,,\ntaliban,Kunduz,Q\xe9,captured,,,\n".encode("latin-1")
    )
    (problem,) = validate_table(path)
    assert problem.line == 3 and "not UTF-8" in problem.message


def test_bom_and_windows_line_endings_are_accepted(tmp_path):
    text = f"\ufeff{HEADER}\r\ntaliban,Kunduz,Khanabad,captured,2015-10,xlvi,note\r\n"
    (record,) = read_table(write(tmp_path, text.encode("utf-8")))
    assert record.group == "taliban" and record.note == "note"


def test_duplicate_and_conflicting_rows(tmp_path):
    text = (
        f"{HEADER}\n"
        "taliban,Kunduz,Khanabad,captured,2015,,\n"
        "taliban,Kunduz,Khanabad,captured,2015,,\n"
        "taliban,Kunduz,Khan Abad,contested,2016,,\n"
        "taliban,kunduz,khanabad,contested,2015,,\n"
    )
    found = problems(tmp_path, text)
    assert [(p.line, "duplicate" in p.message, "conflicts" in p.message) for p in found] == [
        (3, True, False),
        (5, False, True),
    ]


def test_very_long_field_is_refused(tmp_path):
    (problem,) = problems(tmp_path, f"{HEADER}\ntaliban,Kunduz,Khanabad,captured,,,{'x' * 30_000}\n")
    assert problem.column == "note" and "characters long" in problem.message


def test_read_table_raises_with_all_problems(tmp_path):
    with pytest.raises(TableError) as info:
        read_table(write(tmp_path, f"{HEADER}\nx,Kunduz,K,captured,,,\ny,Kunduz,K,captured,,,\n"))
    assert len(info.value.problems) == 2
    assert "t.csv:2" in str(info.value)


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(
    data=st.one_of(
        st.binary(max_size=400),
        st.text(max_size=400).map(lambda t: (HEADER + "\n" + t).encode("utf-8", "surrogatepass")),
    )
)
def test_arbitrary_bytes_raise_only_the_tools_error(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("h") / "t.csv"
    path.write_bytes(data)
    try:
        read_table(path)
    except TableError as exc:
        assert exc.problems and all(p.path == str(path) for p in exc.problems)


def test_errors_survive_the_trip_from_a_worker_process():
    import pickle

    from districtcontrol import DistrictControlError
    from districtcontrol.data.table import Problem, TableError

    error = pickle.loads(pickle.dumps(DistrictControlError("bad", "t.csv", 3)))
    assert (str(error), error.path, error.line) == ("t.csv:3: bad", "t.csv", 3)
    problems = [Problem("t.csv", 2, "district", "unknown name", "check spelling")]
    table_error = pickle.loads(pickle.dumps(TableError(problems)))
    assert table_error.problems == problems and str(table_error) == str(TableError(problems))
