"""Name resolution rules on a small synthetic country: typography, parts, qualifiers, centres,
synonyms, phonetic and Dari names, cross-province conflicts, evidence and users' aliases."""

from __future__ import annotations

import pandas as pd
import pytest

from districtcontrol import DistrictControlError
from districtcontrol.geo.names import MATCH_COLUMNS, Resolver, load_aliases, match_columns, normalise

# (pcode, district, Dari name, province, province P-code, alternative names)
DISTRICTS = [
    ("XX0101", "Khan Abad", "خان آباد", "Northland", "XX01", "Centre"),
    ("XX0102", "Chahar Darah", "چهار دره", "Northland", "XX01", ""),
    ("XX0103", "Baharak", "بهارک", "Northland", "XX01", "Girwan"),
    ("XX0104", "Kohistan", "کوهستان", "Northland", "XX01", ""),
    ("XX0105", "Yaftal-e-Sufla", "یفتل سفلی", "Northland", "XX01", ""),
    ("XX0106", "Fereng Wa Gharu", "فرنگ وغارو", "Northland", "XX01", ""),
    ("XX0107", "Argo", "ارگو", "Northland", "XX01", ""),
    ("XX0108", "Bala Murghab", "بالا مرغاب", "Northland", "XX01", ""),
    ("XX0201", "Southland", "", "Southland", "XX02", ""),
    ("XX0202", "Baharak", "بهارک", "Southland", "XX02", ""),
    ("XX0203", "Kohistanat", "کوهستانات", "Southland", "XX02", ""),
    ("XX0204", "Hisa-e-Awal-e-Kohistan", "", "Southland", "XX02", ""),
    ("XX0205", "Hisa-e-Duwum-e-Kohistan", "", "Southland", "XX02", ""),
    ("XX0206", "Ashtarlay", "", "Southland", "XX02", ""),
    ("XX0207", "Yakawlang", "", "Southland", "XX02", ""),
]


@pytest.fixture(scope="module")
def frame():
    columns = ["pcode", "district", "district_dari", "province", "province_pcode", "alt_names"]
    out = pd.DataFrame(DISTRICTS, columns=columns)
    out["province_dari"] = out["province"].map({"Northland": "شمال", "Southland": "جنوب"})
    return out


@pytest.fixture(scope="module")
def r(frame):
    return Resolver.from_frame(frame, aliases=[])


def pcode(resolver, province, district):
    return resolver.resolve(province, district).pcode


@pytest.mark.parametrize(
    "spelling",
    [
        "Chahar\u2010Darah",
        "Chahar\u2013Darah",
        "Chahar\u00a0Darah",
        "CHAHAR  DARAH",
        "\u201cChahar Darah\u201d",
        "Chahar\u200bDarah",
    ],
)
def test_typography_is_ignored(r, spelling):
    assert pcode(r, "Northland", spelling) == "XX0102"


def test_typographic_variants_of_the_exact_name_are_exact(r):
    for spelling in ["Yaftal\u2010e\u2010Sufla", "Yaftal\u2013e\u2013Sufla", "YAFTAL-E-SUFLA ", "Yaftal-e-Sufla\u200c"]:
        res = r.resolve("Northland", spelling)
        assert (res.pcode, res.method, res.warning) == ("XX0105", "exact", ""), spelling


def test_curly_apostrophes_read_as_straight_ones():
    assert normalise("Qala\u2019i Zal") == normalise("Qala'i Zal") == normalise("Qala`i Zal")


def test_exact_names_carry_no_warning_and_others_do(r):
    assert r.resolve("Northland", "Chahar  Darah").warning == ""
    assert r.resolve("Northland", "chahar dara").warning != ""
    assert "Girwan" in r.resolve("Northland", "Girwan").warning


@pytest.mark.parametrize(
    ("province", "district", "expected"),
    [
        ("", "BAHARAK (SOUTHLAND)", "XX0202"),
        ("", "Baharak Northland", "XX0103"),
        ("Northland", "BAHARAK (NORTHLAND)", "XX0103"),
        ("", "KOHISTAN (NORTHLAND)", "XX0104"),
    ],
)
def test_province_written_as_qualifier(r, province, district, expected):
    assert pcode(r, province, district) == expected


@pytest.mark.parametrize("district", ["Baharak (Girwan)", "Girwan / Baharak", "Girwan(Baharak)", "Baharak, Girwan"])
def test_alternatives_in_one_name_that_agree(r, district):
    assert pcode(r, "Northland", district) == "XX0103"


def test_alternatives_that_name_two_districts_are_refused(r):
    res = r.resolve("Northland", "Khan Abad (Chahar Darah)")
    assert not res.resolved and "ambiguous" in res.problem
    assert {s.split(" (")[0] for s in res.suggestions} == {"Khan Abad", "Chahar Darah"}


@pytest.mark.parametrize(
    "district",
    ["Provincial Center", "province Center (Khan Abad)", "Markaz-e-Wilayat", "Northland", "PROVINCIAL CAPITAL"],
)
def test_provincial_centre_phrases_name_the_capital(r, district):
    res = r.resolve("Northland", district)
    assert res.pcode == "XX0101" and res.warning


def test_a_centre_phrase_needs_a_province(r):
    assert not r.resolve("", "Provincial Center").resolved


@pytest.mark.parametrize(
    ("district", "expected"),
    [
        ("Yaftal-e-Payin", "XX0105"),
        ("Yaftal Payan", "XX0105"),
        ("Yaftali Sofla", "XX0105"),
        ("Freng-o-Gharu", "XX0106"),
        ("Fereng-Gharoo", "XX0106"),
    ],
)
def test_synonyms_inside_names(r, district, expected):
    assert pcode(r, "Northland", district) == expected


def test_numbered_parts(r):
    assert pcode(r, "Southland", "Kohistan 1") == "XX0204"
    assert pcode(r, "Southland", "Kohistan No. 2") == "XX0205"
    assert normalise("Hisa-e-Awal-e-Kohistan") == normalise("Kohistan 1")
    assert not r.resolve("Southland", "Yakawlang No 2").resolved
    assert not r.resolve("Southland", "Kohistan").resolved


@pytest.mark.parametrize(
    ("province", "district", "expected"), [("Northland", "Urgo", "XX0107"), ("Southland", "Ishtrali", "XX0206")]
)
def test_transliterations_by_sound(r, province, district, expected):
    res = r.resolve(province, district)
    assert res.pcode == expected and res.method in ("phonetic", "fuzzy") and res.warning


@pytest.mark.parametrize("district", ["خان آباد", "خان‌آباد", "خانآباد", "ولسوالی خان آباد"])
def test_dari_names(r, district):
    res = r.resolve("Northland", district)
    assert (res.pcode, res.method) == ("XX0101", "dari-name")


def test_dari_with_arabic_letter_forms_and_dari_province(r):
    assert pcode(r, "شمال", "يفتل سفلى") == "XX0105"
    assert pcode(r, "", "كوهستانات") == "XX0203"


def test_exact_name_in_another_province_beats_a_fuzzy_one_only_as_an_error(r):
    res = r.resolve("Northland", "Kohistanat")
    assert not res.resolved
    assert "Southland" in res.problem and "Kohistan (" in res.problem
    assert res.suggestions[0].startswith("Kohistanat (Southland")
    assert any(s.startswith("Kohistan (Northland") for s in res.suggestions)


def test_name_found_only_in_another_province_is_refused_with_it_as_candidate(r):
    res = r.resolve("Southland", "Chahar Darah")
    assert not res.resolved
    assert res.suggestions == ("Chahar Darah (Northland, XX0102)",)
    assert "Northland" in res.problem


def test_without_province_one_fit_resolves_several_are_listed(r):
    assert pcode(r, "", "Kohistanat") == "XX0203"
    res = r.resolve("", "Baharak")
    assert not res.resolved
    assert sorted(res.suggestions) == ["Baharak (Northland, XX0103)", "Baharak (Southland, XX0202)"]


def test_partial_name_only_when_one_district_contains_it(r):
    res = r.resolve("Northland", "Murghab")
    assert (res.pcode, res.method) == ("XX0108", "partial-name")
    assert "Bala Murghab" in res.warning
    assert not r.resolve("Northland", "Bala Murghab Sheltan").resolved


def test_fuzzy_resolution_keeps_score_and_runner_up(r):
    res = r.resolve("Northland", "Chahr Darra")
    assert res.pcode == "XX0102" and 0 < res.score < 100
    assert res.runner_up and res.runner_up in res.warning


def test_unresolved_lists_the_best_candidate_first(r):
    res = r.resolve("Northland", "Khanabadd Sharif")
    assert not res.resolved
    assert res.suggestions[0].startswith("Khan Abad")


def test_match_columns_show_the_warning(r):
    assert "warning" in MATCH_COLUMNS
    assert match_columns(r.resolve("Northland", "Girwan"))["warning"]
    assert match_columns(r.resolve("Northland", "Baharak"))["warning"] == ""
    assert "Southland" in match_columns(r.resolve("Northland", "Kohistanat"))["warning"]


# -- users' aliases ---------------------------------------------------------------------------

HEADER = "level,alias,alias_province,name,name_province,reason\n"


def test_user_alias_resolves_with_file_and_line(frame, tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(HEADER + "district,Old Town,Northland,Khan Abad,Northland,renamed in 2005\n", encoding="utf-8")
    res = Resolver.from_frame(frame, aliases=[], alias_files=[path]).resolve("Northland", "Old Town")
    assert (res.pcode, res.method) == ("XX0101", "alias")
    assert "mine.csv, line 2" in res.evidence and "mine.csv, line 2" in res.warning


def test_user_aliases_come_before_shipped_ones(frame, tmp_path):
    shipped = load_aliases(_write(tmp_path / "shipped.csv", "district,Old Town,,Baharak,Southland,shipped\n"))
    user = _write(tmp_path / "user.csv", "district,Old Town,,Kohistan,Northland,user\n")
    assert pcode(Resolver.from_frame(frame, aliases=shipped), "", "Old Town") == "XX0202"
    assert pcode(Resolver.from_frame(frame, aliases=shipped, alias_files=[user]), "", "Old Town") == "XX0104"


def test_user_alias_to_an_unknown_district_names_file_and_line(frame, tmp_path):
    path = _write(
        tmp_path / "bad.csv", "district,Old Town,,Khan Abad,Northland,ok\ndistrict,X,,Atlantis,Northland,bad\n"
    )
    with pytest.raises(DistrictControlError) as err:
        Resolver.from_frame(frame, aliases=[], alias_files=[path])
    assert (err.value.path, err.value.line) == (str(path), 3) and "Atlantis" in str(err.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("level,alias,name\ndistrict,a,b\n", "lacks column"), (HEADER + "county,a,,b,,c\n", "level must be")],
)
def test_malformed_alias_table_is_an_error(tmp_path, text, expected):
    path = tmp_path / "a.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DistrictControlError, match=expected):
        load_aliases(path)


def _write(path, body):
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_province_in_the_name_that_contradicts_the_table_is_an_error(r):
    res = r.resolve("Southland", "Baharak (Northland)")
    assert not res.resolved
    assert "Northland" in res.problem and "Southland" in res.problem
    assert set(res.suggestions) == {"Baharak (Northland, XX0103)", "Baharak (Southland, XX0202)"}
