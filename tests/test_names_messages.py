"""Names and messages a new user meets: province spellings, short names, suggestions, every problem at once, typos."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from districtcontrol.cli import main
from districtcontrol.geo.boundaries import read_boundaries
from districtcontrol.geo.names import Resolver

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def resolver(real_boundaries):
    return Resolver.from_frame(read_boundaries(real_boundaries))


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_province_bamian_is_bamyan_by_a_reviewed_alias(resolver):
    province, method, _, _ = resolver.resolve_province("Bamian")
    assert (province.name, method) == ("Bamyan", "alias")
    res = resolver.resolve("Bamian", "Yakawlang")
    assert (res.pcode, res.method) == ("AF1005", "exact")


def test_pech_in_kunar_is_dara_e_pech_with_its_evidence(resolver):
    res = resolver.resolve("Kunar", "Pech")
    assert (res.pcode, res.method) == ("AF1507", "alias")
    assert "aliases.csv" in res.evidence and "Pech valley" in res.evidence
    assert "Dara-e-Pech" in res.warning


@pytest.mark.parametrize("province", ["", "Badakhshan"])
def test_suggestions_of_a_refused_name_start_with_the_districts_it_begins(resolver, province):
    res = resolver.resolve(province, "Ragh")
    assert not res.resolved
    assert res.suggestions[0] == "Raghestan (Badakhshan, AF1714)"


def test_a_word_of_the_name_may_begin_with_the_query(resolver):
    res = resolver.resolve("Takhar", "Dasht-e-Q")
    assert not res.resolved
    assert "Dasht-e-Qala (Takhar, AF1812)" in res.suggestions[:3]


def test_validate_reports_bad_values_and_unknown_names_at_once(tmp_path, real_boundaries):
    table = tmp_path / "t.csv"
    table.write_text(
        "group,province,district,status,date,source,note\n"
        "taliban,Kunduz,Khanabad,captred,,,\n"
        "taliban,Nowhereland,Khanabad,captured,,,\n"
        "taliban,Kunduz,Zzzzqx,captured,,,\n",
        encoding="utf-8",
    )
    result = run("validate", table, "--boundaries", real_boundaries)
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if str(table) in line]
    assert [line.split(f"{table}:")[1].split(" ")[0] for line in lines] == ["2", "3", "4"]
    assert "did you mean 'captured'" in lines[0]
    assert "unknown province 'Nowhereland'" in lines[1] and "Zzzzqx" in lines[2]


@pytest.fixture
def series(tmp_path):
    path = tmp_path / "series.csv"
    path.write_text(
        "District,Date,taliban_control\nKhanabad,06/22/2021,Yes\nDashti Archi,07/10/2021,0\n", encoding="utf-8"
    )
    return path


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--status", "taliban_contrl", "--values", "Yes=captured,0=none"], "did you mean 'taliban_control'?"),
        (["--status", "taliban_control", "--values", "Yes=captred,0=none"], "did you mean 'captured'?"),
        (["--status", "taliban_control", "--values", "yes=captured,0=none"], "--values maps 'yes', not 'Yes'"),
        (
            ["--status", "taliban_control", "--values", "Yes=captured,0=none", "--group", "talibn"],
            "did you mean 'taliban'?",
        ),
    ],
)
def test_import_typos_get_a_did_you_mean(series, tmp_path, real_boundaries, options, expected):
    out = tmp_path / "t.csv"
    args = ["import", series, "-o", out, "--district", "District", "--date", "Date", "--date-format", "%m/%d/%Y"]
    group = [] if "--group" in options else ["--group", "taliban"]
    result = run(*args, *group, *options, "--boundaries", real_boundaries)
    assert result.exit_code == 2, result.output
    assert expected in result.stderr
    assert not out.exists()
