"""A user's own table: own groups and statuses, no provinces, US dates, own titles; nothing of the 2017 report."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from districtcontrol.cli import main

pytestmark = pytest.mark.integration

LEGEND = """
title = "Who holds which district"
[groups.taliban]
label = "Taliban"
[groups.haqqani]
label = "Haqqani network"
note = "Claims of the group itself"
[statuses.controlled]
label = "Controlled"
rank = 3
[statuses.contested]
label = "Contested"
rank = 2
[statuses.unconfirmed]
label = "Unconfirmed claim"
rank = 1
"""
TABLE = """Group , DISTRICT,Status,Date
taliban,Khanabad,contested,06/22/2021
taliban,Khanabad,controlled,08/08/2021
taliban,Dashti Archi,controlled,07/10/2021
haqqani,Imam Sahib,unconfirmed,07/30/2021
taliban,Imam Sahib,controlled,07/01/2021
taliban,Imam Sahib,none,08/01/2021
"""
REPORT_WORDS = ("2017 policy paper", "Captured Districts by the Militants", "endnote", "Islamic State")


@pytest.fixture
def own(tmp_path):
    (tmp_path / "legend.toml").write_text(LEGEND, encoding="utf-8")
    (tmp_path / "mine.csv").write_text(TABLE, encoding="utf-8")
    return tmp_path


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_own_table_validates_and_builds_with_its_legend_title_and_credit(own, real_boundaries):
    common = ["--legend", own / "legend.toml", "--date-format", "%m/%d/%Y", "--boundaries", real_boundaries]
    checked = invoke("validate", own / "mine.csv", *common)
    assert checked.exit_code == 0, checked.output
    assert "'Dashti Archi' read as Dasht-e-Archi" in checked.stderr  # every non-exact name is shown
    out = own / "maps"
    built = invoke("build", "--table", own / "mine.csv", *common, "--region", "Kunduz", "--out", out,
                   "--format", "html,png,geojson", "--jobs", "1", "--title", "Kunduz, summer 2021",
                   "--credit", "Data: my notes")  # fmt: skip
    assert built.exit_code == 0, built.output
    assert {p.name for p in out.glob("*.html")} == {"combined.html", "taliban.html", "haqqani.html", "index.html"}
    texts = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir() if p.suffix in (".html", ".geojson", ".qml")}
    for name, text in texts.items():
        assert not [w for w in REPORT_WORDS if w in text], name
    assert "Taliban: Kunduz, summer 2021" in texts["taliban.html"] and "Data: my notes" in texts["combined.html"]
    assert "Unconfirmed claim" in texts["haqqani.html"] and "Claims of the group itself" in texts["combined.html"]


def test_none_ends_a_status_and_the_combined_map_takes_the_strongest(own, real_boundaries):
    from districtcontrol import load_control
    from districtcontrol.maps._view import map_status

    data = load_control(own / "mine.csv", real_boundaries, "Kunduz", legend=own / "legend.toml", date_format="%m/%d/%Y")
    rows = {r["district"]: r for r in data.districts.drop(columns="geometry").to_dict("records")}
    assert rows["Imam Sahib"]["taliban"] == "none"  # controlled on 07/01, reported as not held on 08/01
    assert rows["Imam Sahib"]["haqqani"] == "unconfirmed"
    assert rows["Khan Abad"]["taliban"] == "controlled"  # the later row decides
    assert map_status(rows["Imam Sahib"], "combined", data.legend) == "unconfirmed"


def test_a_group_the_legend_does_not_declare_is_an_error_that_names_the_legend(own, real_boundaries):
    table = own / "other.csv"
    table.write_text("group,district,status\nhaqani,Khanabad,controlled\n", encoding="utf-8")
    result = invoke("validate", table, "--legend", own / "legend.toml", "--boundaries", real_boundaries)
    assert result.exit_code == 2
    assert f"{table}:2 [group]: unknown group 'haqani'" in result.stderr and "haqqani" in result.stderr
    assert "legend.toml" in result.stderr


def test_a_name_in_two_provinces_without_a_province_lists_both(own, real_boundaries):
    table = own / "ambiguous.csv"
    table.write_text("group,district,status\ntaliban,Baharak,controlled\n", encoding="utf-8")
    result = invoke("validate", table, "--legend", own / "legend.toml", "--boundaries", real_boundaries)
    assert result.exit_code == 2
    assert "Badakhshan" in result.stderr and "Takhar" in result.stderr
