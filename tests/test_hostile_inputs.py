"""Hostile input to the options users write themselves: legends, alias tables, date formats and ``import``.

Every case runs the command a user would (``build`` into a fresh folder, or ``import`` into a
file), and asserts that it exits 2, that the message names the problem (and the file and line
where it is in a file), and that nothing was written: no output folder, no output file, no
temporary file beside the inputs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from districtcontrol.cli import main

pytestmark = pytest.mark.integration

GROUPS = '[groups.taliban]\nlabel = "Taliban"\n'
STATUSES = '[statuses.captured]\nlabel = "Captured"\nrank = 2\n\n[statuses.contested]\nlabel = "Contested"\nrank = 1\n'
LEGEND = GROUPS + "\n" + STATUSES
TABLE = "group,province,district,status,date\ntaliban,Kunduz,Khanabad,captured,2016-05-01\n"
ALIAS_HEADER = "level,alias,alias_province,name,name_province,reason\n"


def group(key: str, extra: str = "") -> str:
    return f'\n[groups.{key}]\nlabel = "A group"\n{extra}'


def status(key: str, rank: int, extra: str = "") -> str:
    return f'\n[statuses.{key}]\nlabel = "A status"\nrank = {rank}\n{extra}'


# -- the legend: (legend text, words the message must hold) ---------------------------------------
# "legend.toml:N:" in the words checks that the message names the line.

RESERVED = ["index", "combined", "timeline", "changes", "summary", "districts"]
FIELDS = ["pcode", "district", "district_dari", "province", "province_pcode", "population", "population_year"]
FIELDS += ["sources", "history", "geometry"]
LEGEND_CASES: dict[str, tuple[str, list[str]]] = {
    **{
        f"group named like a build file: {key}": (
            LEGEND + group(key),
            [f"group key '{key}' clashes with", "legend.toml:12:"],
        )
        for key in RESERVED
    },
    **{
        f"group named like an export field: {key}": (LEGEND + group(key), [f"clashes with the export field '{key}'"])
        for key in FIELDS
    },
    **{
        f"group named like another group's field: {suffix}": (
            LEGEND + group(f"taliban{suffix}"),
            [f"the field 'taliban{suffix}' of group 'taliban'"],
        )
        for suffix in ("_date", "_note", "_source")
    },
    "group key of 65 characters": (LEGEND + group("a" * 65), ["is 65 characters long, more than 64"]),
    "group key of 250 characters": (LEGEND + group("b" * 250), ["is 250 characters long", "legend.toml:12:"]),
    "group key of 300 characters": (LEGEND + group("c" * 300), ["is 300 characters long"]),
    "status key of 300 characters": (LEGEND + status("d" * 300, 9), ["statuses key 'ddd", "300 characters"]),
    "two statuses with one rank": (LEGEND + status("present", 2), ["'captured' and 'present' have the same rank 2"]),
    "a third status repeating a rank": (
        LEGEND + status("present", 3) + status("rumoured", 1),
        ["'contested' and 'rumoured' have the same rank 1", "legend.toml:18:"],
    ),
    "negative ranks repeated": (
        GROUPS + status("a", -1) + status("b", -1),
        ["'a' and 'b' have the same rank -1"],
    ),
    "two statuses with one colour": (
        GROUPS + status("a", 2, 'color = "#112233"') + status("b", 1, 'color = "#112233"'),
        ["statuses 'a' and 'b' have the same colour #112233", "legend.toml:11:"],
    ),
    "two statuses with one colour in other cases": (
        GROUPS + status("a", 2, 'color = "#aabbcc"') + status("b", 1, 'color = "#AABBCC"'),
        ["statuses 'a' and 'b' have the same colour #AABBCC"],
    ),
    "a status with a palette colour another takes by default": (
        GROUPS + status("a", 2) + status("b", 1, 'color = "#d55e00"') + status("c", 0, 'color = "#D55E00"'),
        ["statuses 'b' and 'c' have the same colour #D55E00"],
    ),
    "a status coloured like no record": (
        GROUPS + status("a", 2, 'color = "#efefef"'),
        ["status 'a' has the colour of 'No record' (#EFEFEF)"],
    ),
    "two groups with one colour": (
        GROUPS + group("haqqani", 'color = "#123456"') + group("isk", 'color = "#123456"') + "\n" + STATUSES,
        ["groups 'haqqani' and 'isk' have the same colour #123456"],
    ),
    "two groups with one colour in other cases": (
        GROUPS + group("haqqani", 'color = "#abcdef"') + group("isk", 'color = "#ABCDEF"') + "\n" + STATUSES,
        ["groups 'haqqani' and 'isk' have the same colour #ABCDEF"],
    ),
    "more statuses without colour than the palette has": (
        GROUPS + "".join(status(f"s{i}", i) for i in range(9)),
        ["no colour is left for status 's0'"],
    ),
    "TOML: a line without '='": (LEGEND + "\nthis is not toml\n", ["legend.toml:12:", "not valid TOML"]),
    "TOML: an unclosed string": (
        GROUPS.replace('"Taliban"', '"Taliban') + STATUSES,
        ["legend.toml:2:", "not valid TOML"],
    ),
    "TOML: a table declared twice": (LEGEND + GROUPS, ["legend.toml:11:", "not valid TOML"]),
    "TOML: a key given twice": (GROUPS + 'label = "Again"\n' + STATUSES, ["legend.toml:3:", "not valid TOML"]),
    "TOML: a bare word as a value": (GROUPS.replace('"Taliban"', "Taliban") + STATUSES, ["legend.toml:2:"]),
    "TOML: an unclosed table header": ("[groups.taliban\n" + STATUSES, ["legend.toml:1:", "not valid TOML"]),
    "an upper-case key": (LEGEND + group("Haqqani"), ["groups key 'Haqqani' must be lower-case", "legend.toml:12:"]),
    "a key with a space": (
        LEGEND + '\n[groups."two words"]\nlabel = "x"\n',
        ["groups key 'two words' must be lower-case"],
    ),
    "a key with a dot": (LEGEND + '\n[groups."a.b"]\nlabel = "x"\n', ["groups key 'a.b' must be lower-case"]),
    "a key with a slash": (LEGEND + '\n[groups."../up"]\nlabel = "x"\n', ["groups key '../up' must be lower-case"]),
    "a key starting with a hyphen": (LEGEND + group("-x"), ["groups key '-x' must be lower-case"]),
    "a group without a label": (
        LEGEND + "\n[groups.haqqani]\nnote = 'x'\n",
        ["[groups.haqqani] needs a label", "legend.toml:12:"],
    ),
    "a blank label": (
        LEGEND + '\n[groups.haqqani]\nlabel = "  "\n',
        ["[groups.haqqani] needs a label", "legend.toml:13:"],
    ),
    "a label that is a number": (LEGEND + "\n[groups.haqqani]\nlabel = 3\n", ["[groups.haqqani] needs a label"]),
    "an unknown field": (
        LEGEND + group("haqqani", "colour = '#123456'\n"),
        ["unknown field(s) colour", "legend.toml:14:"],
    ),
    "an unknown setting": ("titel = 'x'\n" + LEGEND, ["unknown setting(s) titel", "legend.toml:1:"]),
    "a rank that is text": (
        GROUPS + '\n[statuses.a]\nlabel = "A"\nrank = "high"\n',
        ["needs an integer rank", "legend.toml:6:"],
    ),
    "a rank that is a fraction": (GROUPS + '\n[statuses.a]\nlabel = "A"\nrank = 1.5\n', ["needs an integer rank"]),
    "a rank that is true": (GROUPS + '\n[statuses.a]\nlabel = "A"\nrank = true\n', ["needs an integer rank"]),
    "a status without a rank": (GROUPS + '\n[statuses.a]\nlabel = "A"\n', ["needs an integer rank", "legend.toml:4:"]),
    "a colour by name": (GROUPS + status("a", 1, 'color = "red"'), ["color must be a hex colour", "'red'"]),
    "a colour of five digits": (GROUPS + status("a", 1, 'color = "#12345"'), ["color must be a hex colour"]),
    "a colour that is a number": (GROUPS + status("a", 1, "color = 123456"), ["color must be a hex colour"]),
    "the reserved status none with a rank": (
        LEGEND + status("none", 5),
        ["the status key 'none' is reserved", "no rank", "legend.toml:14:"],
    ),
    "no statuses": (GROUPS, ["the legend declares no statuses"]),
    "no groups": (STATUSES, ["the legend declares no groups"]),
    "an empty file": ("", ["the legend declares no groups"]),
    "groups as a text": ('groups = "taliban"\n' + STATUSES, ["the legend declares no groups", "legend.toml:1:"]),
    "a group that is a value": ('[groups]\ntaliban = "Taliban"\n' + STATUSES, ["[groups.taliban] must be a table"]),
    "a note that is a number": (LEGEND + group("haqqani", "note = 5\n"), ["note must be a text", "legend.toml:14:"]),
    "an empty title": ('title = ""\n' + LEGEND, ["title must be a non-empty text", "legend.toml:1:"]),
    "a group title that is a list": ("group_title = []\n" + LEGEND, ["group_title must be a non-empty text"]),
}


def build_args(tmp_path: Path, boundaries: Path, *more) -> list[str]:
    table = tmp_path / "table.csv"
    if not table.exists():
        table.write_text(TABLE, encoding="utf-8")
    return ["build", "--out", str(tmp_path / "maps"), "--format", "html", "--table", str(table), "--no-population",
            "--region", "Kunduz", "--boundaries", str(boundaries), *more]  # fmt: skip


def refused(tmp_path: Path, args: list[str], words: list[str]) -> None:
    """Run a command that must be refused; check the exit code, the message and that nothing was written."""
    before = sorted(p.name for p in tmp_path.iterdir())
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 2, (result.exit_code, result.stderr, result.exception)
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no output folder, file or temporary file
    assert not (tmp_path / "maps").exists()


@pytest.mark.parametrize("case", LEGEND_CASES)
def test_a_hostile_legend_is_refused_naming_the_problem_and_nothing_is_written(tmp_path, real_boundaries, case):
    text, words = LEGEND_CASES[case]
    legend = tmp_path / "legend.toml"
    legend.write_text(text, encoding="utf-8")
    refused(tmp_path, build_args(tmp_path, real_boundaries, "--legend", legend), words)


def test_a_legend_that_is_not_utf8_or_not_there_is_refused(tmp_path, real_boundaries):
    legend = tmp_path / "legend.toml"
    legend.write_bytes(LEGEND.replace("Taliban", "Tālibān").encode("latin-1", "replace").replace(b"?", b"\xe4"))
    refused(tmp_path, build_args(tmp_path, real_boundaries, "--legend", legend), ["cannot read the legend file"])
    refused(tmp_path, build_args(tmp_path, real_boundaries, "--legend", tmp_path / "none.toml"), ["no such legend"])


def test_a_legend_with_a_byte_order_mark_is_read_like_one_without(tmp_path):
    from districtcontrol.data.legend import read_legend

    plain, marked = tmp_path / "plain.toml", tmp_path / "marked.toml"
    plain.write_text(LEGEND, encoding="utf-8")
    marked.write_bytes(b"\xef\xbb\xbf" + LEGEND.encode("utf-8"))
    assert read_legend(marked).groups == read_legend(plain).groups
    assert read_legend(marked).statuses == read_legend(plain).statuses


def test_a_group_key_of_the_longest_length_builds_every_file(tmp_path, control_data):
    from districtcontrol import build
    from districtcontrol.data.legend import MAX_KEY_CHARS, read_legend
    from districtcontrol.geo import load_control

    key = "k" * MAX_KEY_CHARS
    legend = tmp_path / "legend.toml"
    legend.write_text(LEGEND.replace("taliban", key), encoding="utf-8")
    table = [{"group": key, "province": "Kunduz", "district": "Khanabad", "status": "captured", "date": "2016"}]
    data = load_control(table, control_data.boundaries.path, "Kunduz", legend=read_legend(legend), population=False)
    written = build(data, tmp_path / "maps", ("html", "geojson"), embed=True)
    assert {f"{key}.html", f"{key}.embed.html"} <= {p.name for p in written}


# -- alias tables: (rows after the header, words) ---------------------------------------------------

ALIAS_CASES: dict[str, tuple[str, list[str]]] = {
    "one spelling, two districts": (
        "district,Khnbd,,Imam Sahib,Kunduz,typo A\ndistrict,Khnbd,,Chahar Darah,Kunduz,typo B\n",
        [
            "aliases.csv:3:",
            "alias 'Khnbd' means Chahar Darah",
            "aliases.csv, line 2 reads the same spelling as Imam Sahib",
        ],
    ),
    "one spelling in two cases, two districts": (
        "district,Khnbd,,Imam Sahib,Kunduz,a\ndistrict,KHNBD,,Chahar Darah,Kunduz,b\n",
        ["aliases.csv:3:", "reads the same spelling"],
    ),
    "one spelling, two districts, one scoped": (
        "district,Khnbd,,Imam Sahib,Kunduz,a\ndistrict,Khnbd,Kunduz,Chahar Darah,Kunduz,b\n",
        ["aliases.csv:3:", "reads the same spelling"],
    ),
    "one spelling, two districts, both in one province": (
        "district,Khnbd,Kunduz,Imam Sahib,Kunduz,a\ndistrict,Khnbd,Kunduz,Chahar Darah,Kunduz,b\n",
        ["aliases.csv:3:", "reads the same spelling"],
    ),
    "one spelling, two provinces": (
        "province,Kndz,,Kunduz,,a\nprovince,Kndz,,Takhar,,b\n",
        ["aliases.csv:3:", "alias 'Kndz' means the province Takhar", "reads the same spelling"],
    ),
    "a district's own name for another district": (
        "district,Khanabad,,Imam Sahib,Kunduz,redirect\n",
        ["aliases.csv:2:", "already a name of Khan Abad (Kunduz, AF1904)", "names are read before aliases"],
    ),
    "a district's own name in its province": (
        "district,Khan Abad,Kunduz,Imam Sahib,Kunduz,redirect\n",
        ["aliases.csv:2:", "already a name of Khan Abad"],
    ),
    "a district's name elsewhere, unscoped": (
        "district,Taloqan,,Khan Abad,Kunduz,redirect\n",
        ["aliases.csv:2:", "already a name of Taloqan", "without alias_province it applies in every province"],
    ),
    "a district's Dari name for another district": (
        "district,خان آباد,,Imam Sahib,Kunduz,redirect\n",
        ["aliases.csv:2:", "already a name of Khan Abad"],
    ),
    "a province's name for another province": (
        "province,Takhar,,Kunduz,,x\n",
        ["aliases.csv:2:", "already the name of the province Takhar"],
    ),
    "an alias_province that is no province": (
        "district,Khnbd,Narnia,Imam Sahib,Kunduz,x\n",
        ["aliases.csv:2:", "alias_province 'Narnia' is not a province"],
    ),
    "a name_province that is no province": (
        "district,Khnbd,,Imam Sahib,Narnia,x\n",
        ["aliases.csv:2:", "name_province 'Narnia' is not a province"],
    ),
    "a province alias for no province": (
        "province,Foo,,Narnia,,x\n",
        ["aliases.csv:2:", "names the province 'Narnia', which the boundary file does not have"],
    ),
    "an alias for no district": (
        "district,Khnbd,,Atlantis,Kunduz,x\n",
        ["aliases.csv:2:", "names 'Atlantis' (Kunduz), which is not a district"],
    ),
    "a level that is neither": ("county,Khnbd,,Imam Sahib,Kunduz,x\n", ["aliases.csv:2:", "level must be"]),
    "an alias without a name": ("district,Khnbd,,,Kunduz,x\n", ["aliases.csv:2:", "needs both 'alias' and 'name'"]),
    "a name without an alias": ("district,,,Imam Sahib,Kunduz,x\n", ["aliases.csv:2:", "needs both"]),
}


@pytest.mark.parametrize("case", ALIAS_CASES)
def test_a_hostile_alias_table_is_refused_naming_its_lines_and_nothing_is_written(tmp_path, real_boundaries, case):
    rows, words = ALIAS_CASES[case]
    aliases = tmp_path / "aliases.csv"
    aliases.write_text(ALIAS_HEADER + rows, encoding="utf-8")
    refused(tmp_path, build_args(tmp_path, real_boundaries, "--aliases", aliases), words)


def test_one_spelling_for_two_districts_in_two_alias_files_is_refused_naming_both(tmp_path, real_boundaries):
    from districtcontrol import DistrictControlError
    from districtcontrol.geo import load_boundaries
    from districtcontrol.geo.names import Resolver

    (tmp_path / "a.csv").write_text(ALIAS_HEADER + "district,Khnbd,,Imam Sahib,Kunduz,a\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text(ALIAS_HEADER + "district,Khnbd,,Chahar Darah,Kunduz,b\n", encoding="utf-8")
    frame = load_boundaries(real_boundaries)[1]
    with pytest.raises(DistrictControlError) as refusal:
        Resolver.from_frame(frame, alias_files=[tmp_path / "a.csv", tmp_path / "b.csv"])
    assert "b.csv:2:" in str(refusal.value) and "a.csv, line 2 reads the same spelling as Imam Sahib" in str(
        refusal.value
    )


def test_alias_tables_without_clashes_are_accepted(tmp_path, real_boundaries):
    rows = [
        "district,Khnbd,Kunduz,Imam Sahib,Kunduz,one spelling in two provinces",
        "district,Khnbd,Takhar,Taloqan,Takhar,one spelling in two provinces",
        "district,Imam Sahibb,,Imam Sahib,Kunduz,the same district twice",
        "district,Imam Sahibb,,Imam Sahib,Kunduz,the same district twice",
        "district,Khanabad,Takhar,Imam Sahib,Kunduz,a spelling that is no name in Takhar",
    ]
    aliases = tmp_path / "aliases.csv"
    aliases.write_text(ALIAS_HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    table = tmp_path / "table.csv"
    table.write_text(TABLE + "taliban,Takhar,Khnbd,contested,2016-05-01\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["validate", str(table), "--aliases", str(aliases), "--boundaries", str(real_boundaries)]
    )
    assert result.exit_code == 0, result.stderr
    assert "'Khnbd' read as Taloqan by alias" in result.stderr


def test_the_shipped_aliases_pass_the_checks_users_aliases_get(real_boundaries):
    from districtcontrol.geo import load_boundaries
    from districtcontrol.geo.names import Resolver, load_aliases
    from districtcontrol.geo.names._alias_checks import check_aliases

    resolver = Resolver.from_frame(load_boundaries(real_boundaries)[1])
    check_aliases(resolver, load_aliases())


# -- date formats: (format, words), and dates a format reads only inexactly -------------------------

FORMAT_CASES: dict[str, list[str]] = {
    "%Y-%U": ["a week number (%U, %W, %V) is read only with a weekday"],
    "%Y-%W": ["a week number"],
    "%U/%Y": ["a week number"],
    "%Y-W%V": ["a week number"],
    "%G-W%V": ["a week number"],
    "%G-%m-%d": ["an ISO year (%G) goes with an ISO week (%V)"],
    "%Y-W%V-%u": ["an ISO year (%G) goes with an ISO week (%V)"],
    "%G-%Y-W%V-%u": ["%G", "not with %Y"],
    "%m/%d/%y": ["a two-digit year (%y)"],
    "%d.%m.%y": ["a two-digit year (%y)"],
    "%Y %Y": ["%Y appears twice"],
    "%d/%m/%Y (%d)": ["%d appears twice"],
    "%x": ["%x is not a directive"],
    "%c": ["%c is not a directive"],
    "%D": ["%D is not a directive"],
    "%F": ["%F is not a directive"],
    "%Y-%m-%d%z": ["%z is not a directive"],
    "%Y-%m-%d %Z": ["%Z is not a directive"],
    "%Y-%m-%d %H:%M:%S.%f": ["%f is not a directive"],
    "%s": ["%s is not a directive"],
    "%Y-%m-%Q": ["%Q is not a directive"],
    "%Y-%m-%-d": ["%- is not a directive"],
    "%Y-%m-%e": ["%e is not a directive"],
    "%C%y": ["two-digit year"],
    "%Y-%m-%d %": ["a lone % at the end"],
    "%m/%d": ["it reads no four-digit year (%Y)"],
    "%B %d": ["it reads no four-digit year"],
    "%d": ["it reads no four-digit year"],
    "no codes at all": ["it reads no four-digit year"],
}


@pytest.mark.parametrize("fmt", FORMAT_CASES)
def test_a_date_format_the_reader_cannot_read_exactly_is_refused(tmp_path, real_boundaries, fmt):
    words = ["--date-format", f"date format '{fmt}'", *FORMAT_CASES[fmt]]
    refused(tmp_path, build_args(tmp_path, real_boundaries, "--date-format", fmt), words)


INEXACT_DATES = {
    "a weekday the date does not have": (
        "%A %d %B %Y",
        "Monday 3 May 2016",
        ["it reads as 2016-05-03", "Tuesday 03 May 2016"],
    ),
    "a week the weekday contradicts": ("%Y-%j %a", "2016-124 Fri", ["it reads as 2016-05-03"]),
    "an hour past noon with pm": ("%Y-%m-%d %I %p", "2016-05-03 13 PM", ["does not match the format"]),
    "run-together digits read two ways": ("%Y%m%d", "2016111", ["can be read two ways", "write it as 20161101"]),
    "a date after today": ("%d/%m/%Y", "01/01/2999", ["is out of range"]),
    "a date before 1900": ("%d/%m/%Y", "01/01/1850", ["is out of range"]),
    "a day that does not exist": ("%d/%m/%Y", "31/02/2016", ["does not match the format"]),
}


@pytest.mark.parametrize("case", INEXACT_DATES)
def test_a_date_a_format_reads_only_inexactly_is_refused_at_its_line(tmp_path, real_boundaries, case):
    fmt, value, words = INEXACT_DATES[case]
    (tmp_path / "table.csv").write_text(TABLE.replace("2016-05-01", value), encoding="utf-8")
    refused(tmp_path, build_args(tmp_path, real_boundaries, "--date-format", fmt), ["table.csv:2 [date]", *words])


# -- import: (source rows, options, words) ----------------------------------------------------------

SOURCE_HEADER = "District,Date,control\n"
IMPORT_CASES: dict[str, tuple[str, list[str], list[str]]] = {
    "a week-number format": ("Khan Abad,2021-10,1\n", ["--date-format", "%Y-%W"], ["a week number"]),
    "a two-digit year": ("Khan Abad,05/01/21,1\n", ["--date-format", "%m/%d/%y"], ["two-digit year"]),
    "a directive given twice": ("Khan Abad,2021 2021,1\n", ["--date-format", "%Y %Y"], ["%Y appears twice"]),
    "a locale format": ("Khan Abad,05/01/21,1\n", ["--date-format", "%x"], ["%x is not a directive"]),
    "a format without a year": ("Khan Abad,05/01,1\n", ["--date-format", "%m/%d"], ["no four-digit year"]),
    "a date not in the format": ("Khan Abad,2021-05-01,1\n", [], ["source.csv:2 [Date]", "does not match the format"]),
    "a wrong weekday": (
        "Khan Abad,Tuesday 1 May 2021,1\n",
        ["--date-format", "%A %d %B %Y"],
        ["source.csv:2 [Date]", "it reads as 2021-05-01"],
    ),
    "an unmapped value": ("Khan Abad,05/01/2021,yes\n", [], ["value 'yes' in column 'control'"]),
    "a missing status column": ("Khan Abad,05/01/2021,1\n", ["--status", "status"], ["no column 'status'"]),
    "a missing district column": ("Khan Abad,05/01/2021,1\n", ["--district", "name"], ["no column 'name'"]),
    "a mapping to no status": ("Khan Abad,05/01/2021,1\n", ["--values", "1=captured"], ["not a status of the legend"]),
    "a group the legend lacks": ("Khan Abad,05/01/2021,1\n", ["--group", "haqqani"], ["--group 'haqqani'"]),
    "a group key reserved by a legend": (
        "Khan Abad,05/01/2021,1\n",
        ["--legend-text", LEGEND.replace("taliban", "index")],
        ["group key 'index' clashes with the index page"],
    ),
    "a legend with duplicate ranks": (
        "Khan Abad,05/01/2021,1\n",
        ["--legend-text", LEGEND.replace("rank = 1", "rank = 2")],
        ["have the same rank 2"],
    ),
    "an alias table mapping one spelling twice": (
        "Khnbd,05/01/2021,1\n",
        ["--aliases-text", "district,Khnbd,,Imam Sahib,Kunduz,a\ndistrict,Khnbd,,Chahar Darah,Kunduz,b\n"],
        ["aliases.csv:3:", "reads the same spelling"],
    ),
    "two names of one district disagreeing": (
        "Khan Abad,05/01/2021,1\nKhanabad,05/01/2021,0\n",
        [],
        ["source.csv:3 [status]", "both name Khan Abad (Kunduz, AF1904)"],
    ),
    "a date after today": ("Khan Abad,05/01/2999,1\n", [], ["source.csv:2 [Date]", "out of range"]),
}


@pytest.mark.parametrize("case", IMPORT_CASES)
def test_hostile_input_to_import_is_refused_and_nothing_is_written(tmp_path, real_boundaries, case):
    rows, options, words = IMPORT_CASES[case]
    source = tmp_path / "source.csv"
    source.write_text(SOURCE_HEADER + rows, encoding="utf-8")
    legend = tmp_path / "legend.toml"
    options = list(options)
    if "--legend-text" in options:
        legend.write_text(options.pop(options.index("--legend-text") + 1), encoding="utf-8")
        options.remove("--legend-text")
    else:
        legend.write_text(LEGEND.replace("captured", "controlled"), encoding="utf-8")
    if "--aliases-text" in options:
        (tmp_path / "aliases.csv").write_text(ALIAS_HEADER + options.pop(options.index("--aliases-text") + 1))
        options[options.index("--aliases-text")] = "--aliases"
        options.append(str(tmp_path / "aliases.csv"))
    output = tmp_path / "out.csv"
    args = ["import", source, "-o", output, "--group", "taliban", "--district", "District", "--date", "Date",
            "--date-format", "%m/%d/%Y", "--status", "control", "--values", "1=controlled,0=none",
            "--legend", legend, "--boundaries", real_boundaries, *options]  # fmt: skip
    refused(tmp_path, args, words)
    assert not output.exists()


def test_the_cases_are_at_least_a_hundred():
    cases = [LEGEND_CASES, ALIAS_CASES, FORMAT_CASES, INEXACT_DATES, IMPORT_CASES]
    assert sum(len(c) for c in cases) >= 100
