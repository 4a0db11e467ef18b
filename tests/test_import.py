"""Integration: ``districtcontrol import`` on a series shaped like the published 2021 district×date tables.

The fixture is generated here from the boundary file's own names: ~300 districts × 40 dates,
district names only (no province), a third of them spelled as on the older 398-district map
(connectors as ``-i``, hyphens dropped, a ``u`` written ``o``), US-style dates and a 0/1
``control`` column whose controlled districts grow over time and some of which flip back.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
import shlex
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from districtcontrol.cli import main

pytestmark = pytest.mark.integration

README = Path(__file__).resolve().parents[1] / "README.md"
DATES = [dt.date(2021, 5, 1) + dt.timedelta(days=3 * i) for i in range(40)]
DISTRICTS = 300
LEGEND = """\
[groups.taliban]
label = "Taliban"

[statuses.controlled]
label = "Controlled"
rank = 2
"""
COLUMNS = ["group", "province", "district", "pcode", "status", "date", "source", "note"]
REPORT_WORDING = ("2017 policy paper", "Captured Districts by the Militants", "endnote")


@dataclass(frozen=True)
class Series:
    """A generated source table and the truth it was made from."""

    path: Path
    written: dict[str, str]  # P-code -> the name as the source writes it
    control: dict[str, list[int]]  # P-code -> the 0/1 value at each date
    lines: dict[tuple[str, int], int]  # (P-code, date index) -> line of the source file
    official: dict[str, tuple[str, str]]  # P-code -> (district, province) of the boundary file

    def changes(self) -> set[tuple[str, str, str]]:
        """(P-code, ISO date, status) of each district's first observation and every change, counted from the series itself."""
        out = set()
        for pcode, values in self.control.items():
            before = None
            for t, value in enumerate(values):
                if value != before:
                    out.add((pcode, DATES[t].isoformat(), "controlled" if value else "none"))
                before = value
        return out


def respell(name: str) -> str:
    """The name as the older map spells it: -e- written as -i with hyphens dropped, or one vowel changed."""
    if "-" in name:
        return name.replace("-e-", "i ").replace("-", "")
    for vowel, other in (("u", "o"), ("o", "u"), ("i", "e"), ("e", "i"), ("ah", "a")):
        at = name.find(vowel, 1)
        if at > 0:
            return name[:at] + other + name[at + len(vowel) :]
    return name


def progression(rng: random.Random, always: bool) -> list[int]:
    """0/1 per date: about half the districts are taken, later ones more likely; some flip back, some again."""
    values = [0] * len(DATES)
    if not always and rng.random() > 0.55:
        return values
    start = 0 if always else int(len(DATES) * rng.random() ** 0.5)
    values[start:] = [1] * (len(DATES) - start)
    if rng.random() < 0.25:
        back = start + rng.randint(1, 6)
        values[back:] = [0] * max(0, len(DATES) - back)
        if rng.random() < 0.5:
            again = back + rng.randint(1, 6)
            values[again:] = [1] * max(0, len(DATES) - again)
    return values


def write_series(path: Path, written: dict[str, str], control: dict[str, list[int]], extra=(), shuffle=None) -> dict:
    """The source CSV, one row per date and district (in date order, or shuffled with the seed ``shuffle``),
    then the ``extra`` rows; returns the line of each (P-code, date index)."""
    order = [(t, pcode) for t in range(len(DATES)) for pcode in written]
    if shuffle is not None:
        random.Random(shuffle).shuffle(order)
    number = {pcode: n for n, pcode in enumerate(written, start=1)}
    lines = {}
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["Date", "District", "ID", "control"])
        for line, (t, pcode) in enumerate(order, start=2):
            lines[pcode, t] = line
            out.writerow([DATES[t].strftime("%m/%d/%Y"), written[pcode], number[pcode], control[pcode][t]])
        out.writerows(extra)
    return lines


@pytest.fixture(scope="module")
def official(real_boundaries) -> dict[str, tuple[str, str]]:
    from districtcontrol import load_boundaries

    _, frame = load_boundaries(real_boundaries)
    return {pc: (d, p) for pc, d, p in zip(frame["pcode"], frame["district"], frame["province"])}


def unique_names(real_boundaries) -> list[str]:
    """P-codes of the districts one name fits nationwide: no other district has it (after spelling
    normalisation) as its name or alternative name, or as a word of one (Reg / Reg-i-Khan Nishin)."""
    from districtcontrol import load_boundaries
    from districtcontrol.geo.names import normalise

    _, frame = load_boundaries(real_boundaries)
    names = {
        pc: {d, *(alts or "").split("|")} - {""} for pc, d, alts in zip(frame.pcode, frame.district, frame.alt_names)
    }
    keys = Counter(normalise(n) for found in names.values() for n in found)
    words = {pc: {w for n in found for w in re.split(r"[-\s]+", n.casefold())} for pc, found in names.items()}
    own = dict(zip(frame.pcode, frame.district))
    return [
        pc
        for pc in sorted(own)
        if keys[normalise(own[pc])] == 1 and not any(own[pc].casefold() in w for o, w in words.items() if o != pc)
    ]


@pytest.fixture(scope="module")
def series(tmp_path_factory, official, real_boundaries) -> Series:
    rng = random.Random(2021)
    chosen = sorted(rng.sample(unique_names(real_boundaries), DISTRICTS))
    written = {pc: respell(official[pc][0]) if i % 3 == 0 else official[pc][0] for i, pc in enumerate(chosen)}
    control = {pc: progression(rng, always=i % 60 == 0) for i, pc in enumerate(chosen)}
    path = tmp_path_factory.mktemp("series") / "series.csv"
    lines = write_series(path, written, control)
    check_shape(Series(path, written, control, lines, official))
    return Series(path, written, control, lines, official)


def check_shape(series: Series) -> None:
    """The generated series has the shape the tests rely on: many respellings, growth, flips back."""
    respelled = [pc for pc, name in series.written.items() if name != series.official[pc][0]]
    taken = [sum(values[t] for values in series.control.values()) for t in range(len(DATES))]
    flipped = [pc for pc, values in series.control.items() if any(a > b for a, b in zip(values, values[1:]))]
    assert len(series.written) == DISTRICTS and len(series.lines) == DISTRICTS * len(DATES)
    assert len(respelled) > 60 and any(" " in series.written[pc] and "-" in series.official[pc][0] for pc in respelled)
    assert taken[0] < taken[len(DATES) // 2] < taken[-1] and len(flipped) > 10


@pytest.fixture(scope="module")
def legend(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("legend") / "legend.toml"
    path.write_text(LEGEND, encoding="utf-8")
    return path


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def import_args(source: Path, output: Path, legend: Path, boundaries: Path, *more) -> list:
    return [
        "import", source, "-o", output, "--group", "taliban", "--district", "district", "--date", "DATE",
        "--date-format", "%m/%d/%Y", "--status", "Control", "--values", "1=controlled, 0 = none",
        "--legend", legend, "--boundaries", boundaries, *more,
    ]  # fmt: skip


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def imported(tmp_path_factory, series, legend, real_boundaries):
    output = tmp_path_factory.mktemp("imported") / "taliban-2021.csv"
    result = run(*import_args(series.path, output, legend, real_boundaries, "--source", "Series, 2021 =1+1"))
    return result, output


def test_import_keeps_only_the_changes_with_the_boundary_files_names(series, imported):
    result, output = imported
    assert result.exit_code == 0, result.stderr
    header, rows = read_rows(output)
    assert header == COLUMNS
    found = [(r["pcode"], r["date"], r["status"]) for r in rows]
    assert len(found) == len(set(found)) and set(found) == series.changes()
    for row in rows:
        assert (row["district"], row["province"]) == series.official[row["pcode"]]
        assert row["group"] == "taliban" and row["source"] == "Series, 2021 =1+1"  # the user's text, as given
        t = DATES.index(dt.date.fromisoformat(row["date"]))
        value = series.control[row["pcode"]][t]
        note = f"control={value} in series.csv line {series.lines[row['pcode'], t]}"
        if series.written[row["pcode"]] != row["district"]:
            note += f"; as written: '{series.written[row['pcode']]}'"
        assert row["note"] == note


def test_every_name_read_other_than_exactly_is_shown_once_with_its_line_and_a_count(series, imported):
    result, _ = imported
    respelled = {pc: name for pc, name in series.written.items() if name != series.official[pc][0]}
    for pcode, name in respelled.items():
        first = series.lines[pcode, 0]
        shown = [line for line in result.stderr.splitlines() if f"series.csv:{first}: '{name}' read as" in line]
        assert len(shown) == 1 and series.official[pcode][0] in shown[0] and shown[0].endswith("[40 rows]")
    assert f"{len(respelled)} name(s) read other than exactly" in result.stderr
    exact = next(name for pc, name in series.written.items() if pc not in respelled)
    assert f"'{exact}' read as" not in result.stderr


def test_the_imported_table_validates_without_any_name_decision(imported, legend, real_boundaries):
    _, output = imported
    result = run("validate", output, "--legend", legend, "--boundaries", real_boundaries)
    assert result.exit_code == 0, result.stderr
    assert "no problems" in result.output and "read other than exactly" not in result.stderr


def readme_commands() -> list[list[str]]:
    """The shell commands of the README's import example, one argument list each."""
    text = README.read_text(encoding="utf-8").split("### Import from other shapes", 1)[1]
    block = re.search(r"```bash\n(.*?)```", text, re.DOTALL).group(1)
    return [shlex.split(command) for command in block.replace("\\\n", " ").splitlines() if command.strip()]


def test_the_readme_example_imports_and_builds_maps_with_nothing_of_the_2017_report(
    tmp_path, monkeypatch, series, legend, real_boundaries
):
    commands = readme_commands()
    assert [c[:2] for c in commands] == [["districtcontrol", "import"], ["districtcontrol", "build"]]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "series.csv").write_bytes(series.path.read_bytes())
    (tmp_path / "legend.toml").write_text(LEGEND, encoding="utf-8")
    for command in commands:
        result = run(*command[1:], "--boundaries", real_boundaries, *(["--jobs", "1"] if "build" in command else []))
        assert result.exit_code == 0, result.stderr
    build = commands[1]
    out = tmp_path / build[build.index("--out") + 1]
    title, credit = build[build.index("--title") + 1], build[build.index("--credit") + 1]
    html = (out / "combined.html").read_text(encoding="utf-8")
    assert title in html and credit in html and "Controlled" in html
    outputs = [p for p in out.rglob("*") if p.is_file()]
    assert {"combined.html", "taliban.html", "combined.png", "index.html"} <= {p.name for p in outputs}
    for path in outputs:
        text = path.read_bytes().decode("utf-8", errors="replace").casefold()
        for words in REPORT_WORDING:
            assert words.casefold() not in text, f"{path.name} says '{words}'"


def test_an_ambiguous_name_without_province_is_listed_with_both_candidates_and_left_out(
    tmp_path, series, legend, real_boundaries
):
    source = tmp_path / "series.csv"
    extra = [["07/01/2021", "Baharak", 900, 1], ["07/04/2021", "Kohistan", 901, 1], ["07/07/2021", "Baharak", 902, 0]]
    lines = write_series(source, series.written, series.control, extra)
    first = max(lines.values()) + 1
    output = tmp_path / "out.csv"
    result = run(*import_args(source, output, legend, real_boundaries))
    assert result.exit_code == 1, result.stderr
    left_out = [line for line in result.stderr.splitlines() if "left out:" in line]
    assert len(left_out) == 2
    baharak, kohistan = left_out
    assert f"series.csv:{first} [district]: 'Baharak' is ambiguous" in baharak and "2 row(s) left out" in baharak
    assert "Baharak (Badakhshan, AF1706)" in baharak and "Baharak (Takhar, AF1803)" in baharak
    assert f"series.csv:{first + 1} " in kohistan and "AF1708" in kohistan and "AF2910" in kohistan
    assert "2 name(s) left out (3 rows)" in result.stderr
    _, rows = read_rows(output)
    assert {(r["pcode"], r["date"], r["status"]) for r in rows} == series.changes()  # the rest is written


def small_source(tmp_path: Path, rows: list[list[str]], header=("District", "Date", "control")) -> Path:
    path = tmp_path / "source.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows([list(header), *rows])
    return path


BAD_INPUT = {
    "unmapped value": (
        [["Khan Abad", "05/01/2021", "0"], ["Khan Abad", "05/04/2021", "yes"], ["Imam Sahib", "05/04/2021", "yes"]],
        [],
        ["value 'yes' in column 'control'", "source.csv:3 [control]", "add yes=<status> to --values"],
    ),
    "bad date": ([["Khan Abad", "13/01/2021", "1"]], [], ["source.csv:2 [Date]: date '13/01/2021'", "%m/%d/%Y"]),
    "missing column": (
        [["Khan Abad", "05/01/2021", "1"]],
        ["--status", "status"],
        ["no column 'status' (given with --status)", "District,Date,control"],
    ),
    "unknown status": (
        [["Khan Abad", "05/01/2021", "1"]],
        ["--values", "1=captured"],
        ["--values maps '1' to 'captured', which is not a status of the legend", "controlled, none"],
    ),
    "unknown group": (
        [["Khan Abad", "05/01/2021", "1"]],
        ["--group", "haqqani"],
        ["--group 'haqqani' is not a group of legend.toml; use one of taliban"],
    ),
    "conflict": (
        [["Khan Abad", "05/01/2021", "1"], ["Khanabad", "05/01/2021", "0"]],
        [],
        ["source.csv:3 [status]", "line 2 ('Khan Abad') and line 3 ('Khanabad') both name Khan Abad (Kunduz, AF1904)"],
    ),
}


@pytest.mark.parametrize("case", BAD_INPUT)
def test_bad_input_exits_2_names_the_problem_and_writes_nothing(tmp_path, legend, real_boundaries, case):
    rows, options, expected = BAD_INPUT[case]
    source = small_source(tmp_path, rows)
    output = tmp_path / "out.csv"
    output.write_text("an earlier table\n", encoding="utf-8")
    result = run(*import_args(source, output, legend, real_boundaries), *options)
    assert result.exit_code == 2, result.stderr
    for words in expected:
        assert words in result.stderr
    assert "source.csv:4" not in result.stderr  # an unmapped value is named at its first line only
    assert output.read_text(encoding="utf-8") == "an earlier table\n"
    assert {p.name for p in tmp_path.iterdir()} == {"source.csv", "out.csv"}  # no temporary file left


def test_a_pcode_pins_the_district_and_is_checked_against_the_file_and_the_name(tmp_path, legend, real_boundaries):
    rows = [
        ["Baharak", "AF1803", "controlled"],  # ambiguous by name: the code decides, and says so
        ["Khan Abad", "AF1904", "controlled"],  # name and code agree
        ["Atlantis", "AF9999", "controlled"],  # no such code
        ["Kunduz", "AF1706", "controlled"],  # the name says Kunduz, the code Baharak of Badakhshan
    ]
    source = small_source(tmp_path, rows, header=("district", "P-Code", "State"))
    output = tmp_path / "out.csv"
    options = ["--district", "district", "--pcode", "p-code", "--status", "state", "--legend", legend]
    result = run("import", source, "-o", output, "--group", "taliban", *options, "--boundaries", real_boundaries)
    assert result.exit_code == 1, result.stderr
    assert "source.csv:2: 'Baharak' taken as Baharak by its P-code AF1803 (by name alone:" in result.stderr
    left_out = [line for line in result.stderr.splitlines() if "left out:" in line]
    assert "source.csv:4" in left_out[0] and "P-code 'AF9999' is not a district" in left_out[0]
    assert "source.csv:5" in left_out[1] and "Baharak (Badakhshan, AF1706)" in left_out[1]
    assert "Kunduz (Kunduz, AF1901)" in left_out[1]
    _, written = read_rows(output)
    assert [(r["pcode"], r["district"], r["province"], r["date"]) for r in written] == [
        ("AF1904", "Khan Abad", "Kunduz", ""),
        ("AF1803", "Baharak", "Takhar", ""),
    ]


def test_the_python_api_imports_and_none_is_kept_apart_from_no_record(series, legend, real_boundaries, imported):
    from districtcontrol import import_table, load_control

    result = import_table(
        series.path,
        group="taliban",
        district_column="District",
        status_column="control",
        date_column="Date",
        date_format="%m/%d/%Y",
        values={"1": "controlled", "0": "none"},
        source_text="Series, 2021 =1+1",
        legend=legend,
        boundaries=real_boundaries,
    )
    assert result.complete and result.output is None and result.read == DISTRICTS * len(DATES)
    assert list(result.rows) == read_rows(imported[1])[1]  # the CLI wrote the same rows
    data = load_control(list(result.rows), real_boundaries, "all", legend=legend, population=False)
    held = dict(zip(data.country["pcode"], data.country["taliban"]))
    controlled = {pc for pc, values in series.control.items() if values[-1] == 1}
    assert {pc for pc, status in held.items() if status == "controlled"} == controlled
    assert all(held[pc] == "none" for pc in series.control if pc not in controlled)  # reported: not held
    assert all(pd.isna(held[pc]) for pc in held if pc not in series.control)  # no record


def test_rows_in_any_order_give_the_same_changes(tmp_path, series, legend, real_boundaries):
    from districtcontrol import import_table

    source = tmp_path / "shuffled.csv"
    lines = write_series(source, series.written, series.control, shuffle=7)
    result = import_table(
        source, group="taliban", district_column="district", status_column="control", date_column="date",
        date_format="%m/%d/%Y", values="1=controlled,0=none", legend=legend, boundaries=real_boundaries,
    )  # fmt: skip
    assert {(r["pcode"], r["date"], r["status"]) for r in result.rows} == series.changes()
    for row in result.rows:
        t = DATES.index(dt.date.fromisoformat(row["date"]))
        assert row["note"].startswith(
            f"control={series.control[row['pcode']][t]} in shuffled.csv line {lines[row['pcode'], t]}"
        )
