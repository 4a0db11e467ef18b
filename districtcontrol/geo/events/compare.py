"""Two control tables compared district by district: agreement, a confusion table of statuses.

Each table is read with its own legend (``TABLE.legend.toml`` beside it when there is one,
else the shipped legend), joined to every district of the boundary file as of one date, and
reduced per district to its strongest status (the one the combined map shows) and the group
holding it. Two districts agree when the groups are the same and the statuses are the same key
or a pair declared the same (``same={"held": "captured"}``: two vocabularies for one thing).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from districtcontrol import DistrictControlError
from districtcontrol.data.legend import NONE_STATUS, Legend, read_legend

AGREEMENT_GROUP = "agreement"
# The classes of agreement, most telling first, with the labels the map shows.
CLASSES = {
    "other-group": "Different groups",
    "other-status": "Same group, different status",
    "only-a": "Status only in A",
    "only-b": "Status only in B",
    "same": "Agree",
}
COLUMNS = ("pcode", "district", "province", "a_group", "a_status", "b_group", "b_status", "agreement")


@dataclass(frozen=True)
class Comparison:
    """What :func:`compare_tables` found.

    ``districts``: a pandas DataFrame of :data:`COLUMNS`, one row per district of the boundary
    file (``agreement`` is ``none`` where neither table gives a status); ``confusion``: districts
    by A's status (rows) and B's (columns), ``none`` included; ``labels`` name the two tables.
    """

    districts: object
    confusion: object
    labels: tuple[str, str]
    as_of: str | None
    legends: tuple[Legend, Legend]

    @property
    def counts(self) -> dict[str, int]:
        """Districts per class of agreement (and ``none``)."""
        counted = self.districts["agreement"].value_counts()
        return {key: int(counted.get(key, 0)) for key in (*CLASSES, NONE_STATUS)}

    @property
    def agreeing_share(self) -> float:
        """Of the districts where either table gives a status, the share where both agree."""
        counts = self.counts
        judged = sum(counts[k] for k in CLASSES)
        return counts["same"] / judged if judged else 1.0


def default_legend(table: str | Path) -> Path | None:
    """``TABLE.legend.toml`` beside ``TABLE.csv`` if it exists (as ``events`` writes it), else None."""
    path = Path(table)
    beside = path.with_name(path.stem + ".legend.toml")
    return beside if beside.is_file() else None


def compare_tables(
    a: str | Path,
    b: str | Path,
    *,
    as_of: str | None = None,
    legend_a: str | Path | Legend | None = None,
    legend_b: str | Path | Legend | None = None,
    same: Mapping[str, str] | str | None = None,
    boundaries: str | Path | None = None,
    aliases: str | Path | None = None,
    name_field: str | None = None,
    province_field: str | None = None,
    pcode_field: str | None = None,
) -> Comparison:
    """Compare two control tables district by district, as of ``as_of`` (default: each table's latest date).

    ``legend_a``/``legend_b`` default to ``TABLE.legend.toml`` beside each table, else the shipped
    legend. ``same`` declares statuses of A and B that mean the same (``{"held": "captured"}`` or
    ``"held=captured,active=present"``). Every name is resolved as by ``build``; a table with a
    name that does not resolve is refused, naming the row.
    """
    import pandas as pd

    from districtcontrol.geo.pipeline import load_control

    fields = {"name_field": name_field, "province_field": province_field, "pcode_field": pcode_field}
    legends = tuple(_legend(given, table) for given, table in ((legend_a, a), (legend_b, b)))
    pairs = _same(same, legends)
    sides = []
    for table, legend in zip((a, b), legends):
        data = load_control(
            table, boundaries, "all", legend=legend, aliases=aliases, population=False, as_of=as_of, **fields
        )
        sides.append(_strongest(data))
    (a_frame, b_frame) = sides
    frame = a_frame.merge(b_frame[["pcode", "group", "status"]], on="pcode", suffixes=("_a", "_b"))
    frame = frame.rename(
        columns={"group_a": "a_group", "status_a": "a_status", "group_b": "b_group", "status_b": "b_status"}
    )
    frame["agreement"] = [_class(row, pairs) for row in frame.itertuples(index=False)]
    confusion = pd.crosstab(frame["a_status"], frame["b_status"]).rename_axis(index="A \\ B", columns=None)
    labels = (Path(a).name, Path(b).name)
    return Comparison(frame[list(COLUMNS)].reset_index(drop=True), confusion, labels, as_of, legends)


def _legend(given, table) -> Legend:
    if isinstance(given, Legend):
        return given
    return read_legend(given or default_legend(table))


def _same(same, legends: tuple[Legend, Legend]) -> set[tuple[str, str]]:
    """The (A status, B status) pairs that agree: equal keys, and the pairs given."""
    if isinstance(same, str):
        items = []
        for item in filter(None, (i.strip() for i in same.split(","))):
            left, equals, right = item.partition("=")
            if not equals:
                raise DistrictControlError(f"--same: '{item}' is not A=B; write e.g. --same 'held=captured'")
            items.append((left.strip(), right.strip()))
    else:
        items = list((same or {}).items())
    a_keys, b_keys = (set(legend.status_keys) for legend in legends)
    for left, right in items:
        if left not in a_keys or right not in b_keys:
            raise DistrictControlError(
                f"--same '{left}={right}': '{left}' must be a status of A ({', '.join(sorted(a_keys))}) and "
                f"'{right}' one of B ({', '.join(sorted(b_keys))})"
            )
    return {(k, k) for k in a_keys & b_keys} | set(items)


def _strongest(data):
    """Per district: the strongest status any group holds (the combined map's) and that group (the first on a tie)."""
    legend = data.legend
    frame = data.districts
    rows = []
    for values in frame[list(legend.group_keys)].itertuples(index=False):
        status = legend.strongest(list(values))
        group = next((g for g, s in zip(legend.group_keys, values) if s == status), "") if status else ""
        rows.append((group, status or NONE_STATUS))
    out = frame[["pcode", "district", "province"]].copy()
    out["group"], out["status"] = [g for g, _ in rows], [s for _, s in rows]
    return out


def _class(row, pairs: set[tuple[str, str]]) -> str:
    a_has, b_has = row.a_status != NONE_STATUS, row.b_status != NONE_STATUS
    if not a_has and not b_has:
        return NONE_STATUS
    if a_has != b_has:
        return "only-a" if a_has else "only-b"
    if row.a_group != row.b_group:
        return "other-group"
    return "same" if (row.a_status, row.b_status) in pairs else "other-status"


def agreement_rows(comparison: Comparison) -> list[dict[str, str]]:
    """The comparison as a control table of one group, ``agreement``, whose statuses are the classes."""
    a, b = comparison.labels
    rows = []
    for row in comparison.districts.itertuples(index=False):
        if row.agreement == NONE_STATUS:
            continue
        note = f"{a}: {_held(row.a_group, row.a_status)}; {b}: {_held(row.b_group, row.b_status)}"
        rows.append(
            {
                "group": AGREEMENT_GROUP,
                "province": row.province,
                "district": row.district,
                "pcode": row.pcode,
                "status": row.agreement,
                "date": "",
                "source": f"{a} compared with {b}",
                "note": note,
            }
        )
    return rows


def _held(group: str, status: str) -> str:
    return "no status" if status == NONE_STATUS else f"{group} {status}"


def agreement_legend(comparison: Comparison) -> Legend:
    """The legend of :func:`agreement_rows`: one group, the classes as statuses (disagreements ranked highest)."""
    from districtcontrol.data.legend import legend_from_dict

    a, b = comparison.labels
    labels = dict(CLASSES, **{"only-a": f"Status only in {a}", "only-b": f"Status only in {b}"})
    colours = ("#D55E00", "#E69F00", "#CC79A7", "#56B4E9", "#009E73")
    statuses = {
        key: {"label": labels[key], "rank": len(CLASSES) - i, "color": colours[i]} for i, key in enumerate(CLASSES)
    }
    data = {
        "groups": {AGREEMENT_GROUP: {"label": f"{a} and {b}"}},
        "statuses": statuses,
        "group_title": "{group}: where they agree",
    }
    return legend_from_dict(data, "the comparison's legend")
