"""Integration: every spelling in the report, and spellings from other sources, resolve to the right district."""

from __future__ import annotations

import pytest

from districtcontrol.geo import Resolver, read_boundaries

pytestmark = pytest.mark.integration

# (province as written, district as written, expected P-code): every district spelling in the report.
REPORT_SPELLINGS = [
    ("Badakhshan", "Zebak", "AF1725"),
    ("Badakhshan", "Warduj", "AF1716"),
    ("Badakhshan", "Yamgan", "AF1718"),
    ("Badakhshan", "Baharak", "AF1706"),
    ("Takhar", "Darqad", "AF1815"),
    ("Ghor", "Taywara", "AF2308"),
    ("Faryab", "Kohistan", "AF2910"),
    ("Faryab", "Qaysar", "AF2907"),
    ("Faryab", "Pushtun Kot", "AF2902"),
    ("Faryab", "Pashtunkot", "AF2902"),
    ("Faryab", "Almar", "AF2904"),
    ("Faryab", "Alamar", "AF2904"),
    ("Faryab", "Ghormach", "AF3107"),
    ("Faryab", "Qaramol", "AF2911"),
    ("Faryab", "Dawlat Abad", "AF2909"),
    ("Faryab", "Shirin Tagab", "AF2906"),
    ("Faryab", "Khwajah Sabz Posh", "AF2903"),
    ("Faryab", "Khwahaj Sabz Posh", "AF2903"),
    ("Faryab", "Khwaja Sabz Posh", "AF2903"),
    ("Kunduz", "Khanabad", "AF1904"),
    ("Kunduz", "Chardara", "AF1902"),
    ("Kunduz", "Dashti Archi", "AF1906"),
    ("Kunduz", "Kunduz", "AF1901"),
    ("Jowzjan", "Darzab", "AF2811"),
    ("Jowjan", "Darzab", "AF2811"),
    ("Jowzjan", "Darbaj", "AF2811"),
    ("Jowzjan", "Darbaz", "AF2811"),
    ("Jowzjan", "Qush Teppa", "AF2805"),
    ("Jowzjan", "Aqcha", "AF2807"),
    ("Sari-Pul", "Kohistanat", "AF2203"),
    ("Sar-e Pul", "Kohistanat", "AF2203"),
]

# Spellings used by news agencies, UN and NGO reports and gazetteers.
OTHER_SOURCES = [
    ("Kunduz", "Imam Saheb", "AF1905"),
    ("Kunduz", "Dasht-i-Archi", "AF1906"),
    ("Kunduz", "Chahardara", "AF1902"),
    ("Kunduz", "Qala-i-Zal", "AF1907"),
    ("Kunduz", "Aliabad", "AF1903"),
    ("Kondoz", "Khan Abad", "AF1904"),
    ("Takhar", "Taluqan", "AF1801"),
    ("Takhar", "Ishkamish", "AF1811"),
    ("Takhar", "Yangi Qala", "AF1817"),
    ("Takhar", "Dasht-i-Qala", "AF1812"),
    ("Badakhshan", "Faizabad", "AF1701"),
    ("Badakhshan", "Ishkashim", "AF1723"),
    ("Badakhshan", "Kishim", "AF1715"),
    ("Badakhshan", "Jurm", "AF1710"),
    ("Badakhshan", "Shughnan", "AF1719"),
    ("Badakhshan", "Darwaz-e-Bala", "AF1727"),
    ("Badakhshan", "Kuran wa Munjan", "AF1726"),
    ("Jawzjan", "Sheberghan", "AF2801"),
    ("Juzjan", "Qush Tepa", "AF2805"),
    ("Faryab", "Maimana", "AF2901"),
    ("Faryab", "Andkhui", "AF2913"),
    ("Faryab", "Qaisar", "AF2907"),
    ("Faryab", "Qaramqol", "AF2911"),
    ("Badghis", "Bala Morghab", "AF3105"),
    ("Badghis", "Qala-i-Naw", "AF3101"),
    ("Herat", "Shindand", "AF3214"),
    ("Herat", "Kushk-i-Kuhna", "AF3210"),
    ("Balkh", "Mazar-i-Sharif", "AF2101"),
    ("Balkh", "Tashqurghan", "AF2110"),
    ("Balkh", "Sholgara", "AF2107"),
    ("Ghor", "Chaghcharan", "AF2301"),
    ("Ghor", "Taiwara", "AF2308"),
    ("Sar-i-Pul", "Sozma Qala", "AF2204"),
    ("Sar-i-Pul", "Sangcharak", "AF2205"),
    ("Samangan", "Hazrat-e-Sultan", None),
]


@pytest.fixture(scope="module")
def resolver(real_boundaries):
    return Resolver.from_frame(read_boundaries(real_boundaries))


@pytest.mark.parametrize(("province", "district", "pcode"), REPORT_SPELLINGS)
def test_report_spelling_resolves(resolver, province, district, pcode):
    res = resolver.resolve(province, district)
    assert res.pcode == pcode, f"{district} ({province}): {res.method} {res.suggestions}"


@pytest.mark.parametrize(("province", "district", "pcode"), OTHER_SOURCES)
def test_other_source_spelling_resolves(resolver, province, district, pcode):
    res = resolver.resolve(province, district)
    if pcode is None:
        assert res.resolved
    else:
        assert res.pcode == pcode, f"{district} ({province}): {res.method} {res.suggestions}"


def test_ghormach_is_taken_from_badghis_with_a_warning(resolver):
    res = resolver.resolve("Faryab", "Ghormach")
    assert res.province == "Badghis" and "Badghis" in res.warning


@pytest.mark.parametrize("name", ["Baharak", "Kohistan", "Dawlat Abad", "Fayzabad"])
def test_names_in_two_provinces_need_the_province(resolver, name):
    res = resolver.resolve("", name)
    assert not res.resolved and len(res.suggestions) == 2


@pytest.mark.parametrize(
    ("province", "district"), [("Kunduz", "Kandahar Bala"), ("Faryab", "Springfield"), ("Narnia", "Zebak")]
)
def test_wrong_names_are_refused_with_suggestions(resolver, province, district):
    res = resolver.resolve(province, district)
    assert not res.resolved and res.suggestions


def test_every_alias_points_at_a_real_district(resolver):
    from districtcontrol.geo.names import load_aliases

    for alias in load_aliases():
        if alias.level == "district":
            res = resolver.resolve(alias.alias_province, alias.alias)
            assert res.resolved and res.district.name == alias.name, alias
        else:
            assert resolver.resolve_province(alias.alias)[0].name == alias.name, alias
        assert alias.reason, alias


def test_kohistanat_under_faryab_is_an_error_naming_both(resolver):
    res = resolver.resolve("Faryab", "Kohistanat")
    assert not res.resolved
    assert "Sar-e-Pul" in res.problem and "Faryab has Kohistan" in res.problem
    assert res.suggestions[0].endswith("AF2203)") and any(s.endswith("AF2910)") for s in res.suggestions)


@pytest.mark.parametrize(
    ("province", "district", "pcode"),
    [
        ("", "BAHARAK (BADAKHSHAN)", "AF1706"),
        ("", "MUQUR BADGHIS", "AF3103"),
        ("Balkh", "PROVINCIAL CENTER (MAZAR SHARIF)", "AF2101"),
        ("Faryab", "province Center (Maimana)", "AF2901"),
        ("Ghor", "Markaz-e-Wilayat", "AF2301"),
        ("Badakhshan", "Yamgan(Girwan)", "AF1718"),
        ("Badakhshan", "Nesay / Darwaz-e-Bala", "AF1727"),
        ("Badakhshan", "Wardooj", "AF1716"),
        ("Farah", "Khak-i-Safeid", "AF3303"),
        ("Baghlan", "Freng-Gharo", "AF0915"),
        ("Kunduz", "Dasht\u2013i\u2013Archi", "AF1906"),
        ("فاریاب", "ميمنه", "AF2901"),
    ],
)
def test_real_world_spellings_of_issue_kinds(resolver, province, district, pcode):
    res = resolver.resolve(province, district)
    assert res.pcode == pcode, (res.method, res.problem, res.suggestions)
    assert res.warning, "a name that is not the boundary file's own is shown with how it was read"
