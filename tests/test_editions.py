"""Districts of other editions (the crosswalk), descriptive and compound names, another province,
a province's name in the district column: on a small synthetic country and on the real boundaries."""

from __future__ import annotations

import pandas as pd
import pytest

from districtcontrol import DistrictControlError
from districtcontrol.geo.names import Alias, Resolver
from districtcontrol.geo.names._editions import EditionDistrict, editions_path, load_editions

# (pcode, district, province, province P-code, alternative names)
DISTRICTS = [
    ("XX0101", "Khan Abad", "Northland", "XX01", "Centre"),
    ("XX0102", "Chahar Darah", "Northland", "XX01", ""),
    ("XX0103", "Fereng Wa Gharu", "Northland", "XX01", ""),
    ("XX0104", "Nahr-e-Shahi", "Northland", "XX01", ""),
    ("XX0201", "Dawraz-e-Payin", "Southland", "XX02", ""),
    ("XX0202", "Dawraz-e-Bala", "Southland", "XX02", ""),
    ("XX0203", "Almar", "Southland", "XX02", "Centre"),
]

# A new-district list, shaped like the statistics office's and the election lists' (names as written).
NEW_DISTRICTS = [
    EditionDistrict("Northland", "Marja", ("Marjah",), "part-of", ("XX0102",), "1391", "carved from Chahar Darah"),
    EditionDistrict("Southland", "Darwaz", (), "split", ("XX0201", "XX0202"), "", "one district on older maps"),
]


def _frame():
    columns = ["pcode", "district", "province", "province_pcode", "alt_names"]
    return pd.DataFrame(DISTRICTS, columns=columns)


@pytest.fixture(scope="module")
def r():
    return Resolver.from_frame(_frame(), aliases=[], editions=NEW_DISTRICTS)


def test_a_district_of_the_crosswalk_resolves_to_its_parent_as_part_of(r):
    for province, name in [("Northland", "Marja"), ("Northland", "MARJAH "), ("", "Marja")]:
        res = r.resolve(province, name)
        assert (res.pcode, res.method, res.part_of) == ("XX0102", "part-of", "Marja")
        assert "not in the boundary file" in res.warning and "part of this district" in res.warning
        assert "carved from Chahar Darah" in res.warning


def test_a_split_district_is_refused_with_every_successor(r):
    res = r.resolve("Southland", "Darwaz")
    assert not res.resolved
    assert res.suggestions == ("Dawraz-e-Payin (Southland, XX0201)", "Dawraz-e-Bala (Southland, XX0202)")
    assert "split since" in res.problem


def test_a_crosswalk_spelling_that_is_a_district_of_the_province_is_an_error():
    bad = EditionDistrict("Northland", "Khanabad", (), "part-of", ("XX0102",), "", "wrong", "x.csv", 3)
    with pytest.raises(DistrictControlError) as err:
        Resolver.from_frame(_frame(), aliases=[], editions=[bad])
    assert "x.csv" in str(err.value) and "3" in str(err.value)


@pytest.mark.parametrize(
    "compound", ["Khan Abad wa Chahar Darah", "Khan Abad and Chahar Darah", "Khan Abad & Chahar Darah"]
)
def test_a_compound_naming_two_districts_is_refused_with_both(r, compound):
    res = r.resolve("Northland", compound)
    assert not res.resolved
    assert set(res.suggestions) == {"Khan Abad (Northland, XX0101)", "Chahar Darah (Northland, XX0102)"}


@pytest.mark.parametrize(
    ("spelling", "pcode"),
    [
        ("Fereng Wa Gharu", "XX0103"),  # one district whose name is two places
        ("Freng-o-Gharu", "XX0103"),
        ("Chahar  Darah\n", "XX0102"),  # doubled inner space, trailing line break
        ("Chahar Darah (Khan Abad)", ""),  # two districts: refused
        ("Provincial center - Khan Abad", "XX0101"),
        ("Khan Abad - center of Northland", "XX0101"),
        ("Dawraz-e-Ulya", "XX0202"),
        ("Dawraz Hulya", "XX0202"),
        ("Dawraz-e-Sufla", "XX0201"),
    ],
)
def test_descriptive_names(r, spelling, pcode):
    province = "Southland" if spelling.startswith("Dawraz") else "Northland"
    assert r.resolve(province, spelling).pcode == pcode


@pytest.mark.parametrize("cell", ["#NAME?", "#REF!", "#VALUE!", "#N/A", "#DIV/0!", " #ref! "])
def test_spreadsheet_error_cells_are_refused_with_their_own_message(r, cell):
    for province, district in (("Northland", cell), (cell, "Khan Abad")):
        res = r.resolve(province, district)
        assert not res.resolved and "spreadsheet error" in res.problem and res.suggestions == ()


def test_a_name_only_in_another_province_is_refused_naming_it(r):
    res = r.resolve("Northland", "Almar")
    assert not res.resolved
    assert res.suggestions == ("Almar (Southland, XX0203)",)
    assert "Southland" in res.problem


def test_an_alias_with_a_reason_accepts_another_province():
    alias = Alias("district", "Almar", "Northland", "Almar", "Southland", "moved under Northland's administration")
    res = Resolver.from_frame(_frame(), aliases=[alias], editions=[]).resolve("Northland", "Almar")
    assert (res.pcode, res.method) == ("XX0203", "alias")
    assert "moved under Northland's administration" in res.warning


def test_a_bare_province_name_is_its_centre_only_when_the_province_column_says_so(r):
    res = r.resolve("", "Southland")
    assert not res.resolved
    assert res.suggestions[0] == "Almar (Southland, XX0203)"
    assert "centre" in res.problem
    assert r.resolve("Southland", "Southland").pcode == "XX0203"


def test_the_shipped_crosswalk_is_reviewed_and_feeds_the_population_join():
    from districtcontrol.geo.population import load_assignments

    rows = load_editions()
    assert rows and all(r.evidence and r.parents and r.kind in ("part-of", "split") for r in rows)
    part_of = {(a.province, a.district) for a in load_assignments() if a.kind == "part-of"}
    expected = {(r.province, name) for r in rows if r.kind == "part-of" for name in r.names}
    assert part_of == expected
    assert all(a.file == editions_path().name for a in load_assignments() if a.kind == "part-of")


def test_a_crosswalk_row_without_evidence_is_an_error(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("province,district,spellings,kind,parents,since,evidence\nA,B,,part-of,AF0101,,\n")
    with pytest.raises(DistrictControlError) as err:
        load_editions(path)
    assert "evidence" in str(err.value) and "2" in str(err.value)


@pytest.mark.integration
def test_a_part_of_row_marks_its_parent_on_maps_and_summaries(real_boundaries):
    from districtcontrol import load_control
    from districtcontrol.geo.summary import summarise
    from districtcontrol.maps._popups import popup_html

    rows = [
        {"group": "taliban", "province": "Hilmand", "district": "Marja", "status": "captured", "date": "2016-01-01"},
        {"group": "taliban", "province": "Hilmand", "district": "Garmser", "status": "captured", "date": "2016-01-01"},
    ]
    data = load_control(rows, real_boundaries, region="all", population=False)
    parent = data.country.set_index("pcode").loc["AF3002"]
    assert parent["part_of"] == "Marja" and parent["taliban"] == "captured"
    assert data.country.set_index("pcode").loc["AF3005", "part_of"] == ""
    assert "Part of this district: the table names Marja" in popup_html(parent, "taliban", data.legend)
    notes = summarise(data).attrs["notes"]
    assert any("Nad-e-Ali" in n and "Marja" in n and "part of this district" in n for n in notes)
    assert any("Marja" in d and "part of this district" in d for d in data.name_decisions)


# -- two spellings of one table resolving to one district --------------------------------------


def _cli(*args):
    from click.testing import CliRunner

    from districtcontrol.cli import main

    return CliRunner().invoke(main, [str(a) for a in args])


def _two_spellings(tmp_path, second_status="captured"):
    path = tmp_path / "t.csv"
    path.write_text(
        "group,province,district,status,date,source,note\n"
        "taliban,Northland,Khan Abad,captured,2021-01-01,s,\n"
        "taliban,Northland,Chahar Darah,captured,2021-01-01,s,\n"
        f"taliban,Northland,Khanabad,{second_status},2021-02-01,s,\n",
        encoding="utf-8",
    )
    return path


SAME_LINE = "'Khan Abad' (first on line 2) and 'Khanabad' (first on line 4) resolve to one district, Khan Abad"


def test_validate_and_match_report_two_spellings_of_one_district_on_one_line(tmp_path, tiny_districts):
    from helpers import tiny_boundary_file

    boundaries = tiny_boundary_file(tmp_path, tiny_districts)
    table = _two_spellings(tmp_path)
    checked = _cli("validate", table, "--boundaries", boundaries)
    assert checked.exit_code == 0, checked.output
    assert [line for line in checked.stderr.splitlines() if SAME_LINE in line] != []
    matched = _cli("match", table, "--boundaries", boundaries)
    assert matched.exit_code == 0 and SAME_LINE in matched.stderr


def test_two_spellings_of_one_district_and_date_with_different_statuses_are_an_error(tmp_path, tiny_districts):
    from helpers import tiny_boundary_file

    boundaries = tiny_boundary_file(tmp_path, tiny_districts)
    table = tmp_path / "t.csv"
    table.write_text(
        "group,province,district,status,date,source,note\n"
        "taliban,Northland,Khan Abad,captured,2021-01-01,s,\n"
        "taliban,Northland,Khanabad,contested,2021-01-01,s,\n",
        encoding="utf-8",
    )
    checked = _cli("validate", table, "--boundaries", boundaries)
    assert checked.exit_code == 2
    assert "line 2 ('Khan Abad' in 'Northland') and line 3 ('Khanabad' in 'Northland')" in checked.output


def test_import_reports_two_spellings_of_one_district(tmp_path, tiny_districts):
    from helpers import tiny_boundary_file

    boundaries = tiny_boundary_file(tmp_path, tiny_districts)
    source = tmp_path / "series.csv"
    source.write_text(
        "province,district,date,control\nNorthland,Khan Abad,2021-01-01,1\n"
        "Northland,Chahar Darah,2021-01-01,0\nNorthland,Khanabad,2021-02-01,1\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    args = ["import", source, "-o", out, "--group", "taliban", "--district", "district", "--province", "province"]
    done = _cli(
        *args, "--date", "date", "--status", "control", "--values", "1=captured,0=none", "--boundaries", boundaries
    )
    assert done.exit_code == 0, done.output
    assert SAME_LINE in done.stderr


def test_load_control_carries_the_two_spellings_line_for_build(tmp_path, tiny_districts):
    from helpers import tiny_boundary_file

    from districtcontrol import load_control

    boundaries = tiny_boundary_file(tmp_path, tiny_districts)
    data = load_control(_two_spellings(tmp_path), boundaries, region="all", population=False)
    assert any(SAME_LINE in w for w in data.warnings)
