"""``events``: the rules — actors to groups by name, pattern and date; thresholds and shares; persistence; periods; the legend."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from events_fixtures import ACLED_COLUMNS, UCDP_COLUMNS, Place, acled_row, takeover, ucdp_row, write_csv
from helpers import tiny_boundary_file

from districtcontrol import DistrictControlError, events_table, read_legend, read_rules, read_table
from districtcontrol.geo.events._rules import assign_actors, default_rules_path

KHAN_ABAD = Place("XX0101", "Khan Abad", "Northland", 0.5, 0.5)
QUSH_TEPA = Place("XX0202", "Qush Tepa", "Southland", 1.5, -0.5)
GOV = "Military Forces of Afghanistan (2004-2021)"


@pytest.fixture
def boundaries(tmp_path, tiny_districts):
    return tiny_boundary_file(tmp_path, tiny_districts)


def derive(tmp_path, boundaries, rows, columns=ACLED_COLUMNS, **kw) -> set[tuple[str, str, str, str]]:
    """(group, P-code, status, date) of every row of the table derived from ``rows``."""
    source = write_csv(tmp_path / "events.csv", rows, columns)
    result = events_table(source, tmp_path / "table.csv", boundaries=boundaries, **kw)
    return {(r["group"], r["pcode"], r["status"], r["date"]) for r in result.rows}


def names_to_groups(names, dates):
    groups, _ = assign_actors(pd.Series(names), np.array(dates, dtype="datetime64[D]"), read_rules())
    return list(groups)


def test_shipped_actor_rules_take_names_and_patterns_and_keep_other_groups_apart():
    names = [
        "Taliban",
        "Taleban",  # UCDP GED's spelling
        "TALIBAN",
        "Tehrik-i-Taliban Pakistan (TTP)",  # another movement: no group
        "Islamic State Khorasan Province",
        "IS",
        "IMU: Islamic Movement of Uzbekistan",
        "Civilians (Afghanistan)",
        "",
    ]
    assert names_to_groups(names, ["2020-01-01"] * len(names)) == [
        "taliban",
        "taliban",
        "taliban",
        "",
        "is",
        "is",
        "imu",
        "",
        "",
    ]


def test_actor_rules_with_dates_follow_the_fall_of_kabul():
    names = ["Government of Afghanistan"] * 2 + [
        "Military Forces of Afghanistan (2004-2021)",
        "Military Forces of Afghanistan (2021-)",
    ]
    dates = ["2021-08-15", "2021-08-16", "2021-03-01", "2022-03-01"]
    assert names_to_groups(names, dates) == ["government", "taliban", "government", "taliban"]


def test_held_takes_two_thirds_of_the_takeovers_and_persists_until_another_group_takes_it(tmp_path, boundaries):
    rows = [
        takeover(1, KHAN_ABAD, "2021-05-03", "Taliban"),
        takeover(2, KHAN_ABAD, "2021-05-09", "Taliban"),
        takeover(3, KHAN_ABAD, "2021-05-20", GOV),  # 2 of 3: held by the Taliban
        acled_row(4, KHAN_ABAD, "2021-07-01", "Civilians (Afghanistan)", ""),  # June, July: no takeover, still held
        takeover(5, KHAN_ABAD, "2021-08-02", GOV),
        takeover(6, KHAN_ABAD, "2021-08-03", GOV),  # 2 of 2: the government takes it back
    ]
    assert derive(tmp_path, boundaries, rows) == {
        ("taliban", "XX0101", "held", "2021-05"),
        ("government", "XX0101", "held", "2021-08"),
        ("taliban", "XX0101", "none", "2021-08"),
    }


def test_less_than_the_share_is_not_held(tmp_path, boundaries):
    rows = [takeover(1, KHAN_ABAD, "2021-05-03", "Taliban"), takeover(2, KHAN_ABAD, "2021-05-09", GOV)]
    with pytest.raises(DistrictControlError, match="no district gets a status under the rules"):
        derive(tmp_path, boundaries, rows)  # 1 of 2 each: below 2/3, and too few events to be active


def test_contested_needs_another_side_and_lasts_one_period(tmp_path, boundaries):
    rows = [
        acled_row(1, KHAN_ABAD, "2021-05-03", "Taliban", GOV),  # two sides fight: both contest it
        acled_row(2, QUSH_TEPA, "2021-05-03", "Taliban", "Taliban"),  # infighting is not two sides
        acled_row(3, QUSH_TEPA, "2021-05-04", "Taliban", ""),  # nobody on the other side
    ]
    assert derive(
        tmp_path, boundaries, rows + [acled_row(4, KHAN_ABAD, "2021-07-01", "Civilians (Afghanistan)", "")]
    ) == {
        ("taliban", "XX0101", "contested", "2021-05"),
        ("government", "XX0101", "contested", "2021-05"),
        ("taliban", "XX0101", "none", "2021-06"),
        ("government", "XX0101", "none", "2021-06"),
    }


def test_active_needs_the_threshold_and_the_period_decides_what_counts_together(tmp_path, boundaries):
    def attack(number, date):
        return acled_row(
            number,
            KHAN_ABAD,
            date,
            "Taliban",
            "Civilians (Afghanistan)",
            event_type="Violence against civilians",
            sub_event_type="Attack",
        )

    rows = [attack(1, "2021-07-02"), attack(2, "2021-08-15"), attack(3, "2021-09-30"), attack(4, "2022-02-01")]
    with pytest.raises(DistrictControlError):
        derive(tmp_path, boundaries, rows, period="month")  # one or two a month: never 3
    assert derive(tmp_path, boundaries, rows, period="quarter") == {
        ("taliban", "XX0101", "active", "2021-07"),  # Q3 2021 is dated by its first month
        ("taliban", "XX0101", "none", "2021-10"),
    }
    assert derive(tmp_path, boundaries, rows, period="year") == {
        ("taliban", "XX0101", "active", "2021"),
        ("taliban", "XX0101", "none", "2022"),
    }


def test_notes_give_the_evidence_counts_per_type_and_actor(tmp_path, boundaries):
    rows = [takeover(i, KHAN_ABAD, "2021-05-03", "Taliban") for i in range(1, 3)] + [
        takeover(3, KHAN_ABAD, "2021-05-04", GOV)
    ]
    source = write_csv(tmp_path / "events.csv", rows, ACLED_COLUMNS)
    (row,) = [r for r in events_table(source, boundaries=boundaries).rows if r["group"] == "taliban"]
    assert row["note"].startswith("2021-05: taliban: territorial takeovers: 2 of 3, all events: 2; → held")
    assert "Strategic developments 2, Battles 1" in row["note"]
    assert f"actors: Taliban 2, {GOV} 1" in row["note"]
    assert row["source"] == "events.csv (ACLED layout), rules event_rules.toml, by month"


def test_ucdp_ged_layout_is_detected_and_read(tmp_path, boundaries):
    rows = [
        ucdp_row(101, KHAN_ABAD, "2021-05-03", "Government of Afghanistan", "Taleban"),
        ucdp_row(102, QUSH_TEPA, "2021-05-03", "Government of Afghanistan", "Taleban", where_prec=4),
    ]
    source = write_csv(tmp_path / "ged.csv", rows, UCDP_COLUMNS)
    result = events_table(source, tmp_path / "t.csv", boundaries=boundaries, points=tmp_path / "p.csv")
    assert result.schema == "ucdp"
    assert {(r["group"], r["pcode"], r["status"]) for r in result.rows} == {
        ("government", "XX0101", "contested"),
        ("taliban", "XX0101", "contested"),
    }
    points = pd.read_csv(tmp_path / "p.csv", dtype=str, keep_default_na=False).set_index("id")
    assert points.loc["101", "admin2_check"] == "agrees"  # 'Khan Abad district' read as Khan Abad
    assert points.loc["102", "placed"] == "imprecise location"  # where_prec 4: a province


def test_the_written_legend_reads_back_and_the_table_validates_with_it(tmp_path, boundaries):
    rows = [takeover(1, KHAN_ABAD, "2021-05-03", "Taliban")]
    derive(tmp_path, boundaries, rows)
    legend = read_legend(tmp_path / "table.legend.toml")
    rules = read_rules()
    assert legend.group_keys == ("taliban", "is", "imu", "government") == rules.legend.group_keys
    assert [(s.key, s.rank, s.color) for s in legend.statuses] == [
        ("held", 3, "#D55E00"),
        ("contested", 2, "#E69F00"),
        ("active", 1, "#56B4E9"),
    ]
    assert legend.source_label == "Events"
    assert [r.status for r in read_table(tmp_path / "table.csv", legend=legend)] == ["held"]


def test_a_rules_file_of_your_own_replaces_the_shipped_one(tmp_path, boundaries):
    text = default_rules_path().read_text(encoding="utf-8").replace("at_least = 3\n", "at_least = 1\n")
    (tmp_path / "rules.toml").write_text(text, encoding="utf-8")
    rows = [acled_row(1, KHAN_ABAD, "2021-05-03", "Taliban", "Civilians (Afghanistan)", event_type="Protests")]
    assert derive(tmp_path, boundaries, rows, rules=tmp_path / "rules.toml") == {
        ("taliban", "XX0101", "active", "2021-05")
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('reason = """A group holds', 'why = """A group holds'), r"\[statuses.held\]: unknown field\(s\) why"),
        (('evidence = "takeover"', 'evidence = "takeovers"'), r"\[statuses.held\]: evidence 'takeovers' is not a kind"),
        (('group = "imu"', 'group = "uzbek"'), r"group 'uzbek' is not a key of \[groups\]"),
        (('patterns = ["islamic movement', 'patterns = ["(islamic movement'), r"is not a regular expression"),
        (('share = "2/3"', 'share = "3/2"'), r"share must be a fraction above 0 and at most 1"),
    ],
)
def test_a_bad_rules_file_is_refused_naming_the_table_and_the_fix(tmp_path, change, message):
    text = default_rules_path().read_text(encoding="utf-8")
    assert change[0] in text
    (tmp_path / "rules.toml").write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(DistrictControlError, match=message) as caught:
        read_rules(tmp_path / "rules.toml")
    assert "rules.toml" in str(caught.value)


def test_every_rule_says_why(tmp_path):
    rules = read_rules()
    assert all(r.reason for r in rules.actors) and all(e.reason for e in rules.evidence)
    assert all(s.reason for s in rules.statuses) and rules.placement.reason
    text = default_rules_path().read_text(encoding="utf-8")
    (tmp_path / "rules.toml").write_text(
        text.replace('reason = """The Islamic Movement', 'note = """', 1), encoding="utf-8"
    )
    with pytest.raises(DistrictControlError, match="unknown field"):
        read_rules(tmp_path / "rules.toml")
    without = text.replace(
        'reason = """The Islamic Movement of Uzbekistan: \'IMU: Islamic Movement of Uzbekistan\' in ACLED, \\\n\'IMU\' in UCDP GED."""',
        "",
        1,
    )
    assert without != text
    (tmp_path / "rules.toml").write_text(without, encoding="utf-8")
    with pytest.raises(DistrictControlError, match=r"\[\[actors\]\] number 8 has no reason"):
        read_rules(tmp_path / "rules.toml")
