"""Join a control table to district boundaries: resolve every row, then one status per group."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from districtcontrol.data.legend import NONE_STATUS
from districtcontrol.data.table import Problem, Record, TableError
from districtcontrol.geo._time import holds
from districtcontrol.geo.names import Resolution, Resolver

DISTRICT_COLUMNS = ["pcode", "district", "district_dari", "province", "province_pcode"]


@dataclass(frozen=True)
class ResolvedRecord:
    """A table row with the resolution of its names."""

    record: Record
    resolution: Resolution

    @property
    def pcode(self) -> str:
        return self.resolution.pcode


@dataclass(frozen=True)
class ProvinceNote:
    """A province-level statement of the table (a row with an empty district)."""

    group: str
    province: str
    province_pcode: str
    status: str
    date: str
    source: str
    note: str
    line: int


def resolve_records(records: list[Record], resolver: Resolver, path: str) -> list[ResolvedRecord]:
    """Resolve the names of every record; raise :class:`TableError` naming each row that fails.

    Rows are then compared by the district they resolve to, not by spelling: two rows of a
    group for one district and date (``Khanabad`` and ``Khan Abad``) are a duplicate when they
    agree and a conflict when they do not, and the problem names both lines.
    """
    resolved, problems = [], []
    known: dict[tuple[str, str], Resolution] = {}
    for rec in records:
        res = known.get((rec.province, rec.district))
        if res is None:
            res = known[rec.province, rec.district] = resolver.resolve(rec.province, rec.district)
        if not res.resolved:
            problems.append(_resolution_problem(path, rec, res))
        resolved.append(ResolvedRecord(rec, res))
    problems.extend(_same_place_problems(path, [r for r in resolved if r.resolution.resolved]))
    if problems:
        raise TableError(sorted(problems, key=lambda p: p.line or 0))
    return resolved


def resolve_names(
    records: list[Record],
    path: str,
    boundaries: str | Path | None = None,
    *,
    name_field: str | None = None,
    province_field: str | None = None,
    pcode_field: str | None = None,
) -> list[ResolvedRecord]:
    """Resolve every record against the boundary file in use, without joining: what ``validate`` checks.

    ``path`` names the table in problems; raises :class:`TableError` as :func:`resolve_records` does.
    """
    from districtcontrol.geo.boundaries import locate_boundaries, read_boundaries

    source = locate_boundaries(boundaries)
    frame = read_boundaries(source.path, name_field=name_field, province_field=province_field, pcode_field=pcode_field)
    return resolve_records(records, Resolver.from_frame(frame), path)


def _same_place_problems(path: str, resolved: list[ResolvedRecord]) -> list[Problem]:
    problems = []
    first_at: dict[tuple, ResolvedRecord] = {}
    for r in resolved:
        rec = r.record
        place = (rec.group, r.pcode or f"province {r.resolution.province_pcode}", rec.date)
        earlier = first_at.setdefault(place, r)
        if earlier is r:
            continue
        both = f"line {earlier.record.line} ({_as_written(earlier)}) and line {rec.line} ({_as_written(r)}) both name {_place_label(r)}"
        if earlier.record.status == rec.status:
            problems.append(Problem(path, rec.line, None, f"duplicate: {both}", "delete one of the two rows"))
        else:
            msg = f"status '{rec.status}' conflicts with '{earlier.record.status}': {both}, same group and date"
            problems.append(Problem(path, rec.line, "status", msg, "give the rows different dates or keep one"))
    return problems


def _as_written(r: ResolvedRecord) -> str:
    rec = r.record
    return (
        f"'{rec.district}' in '{rec.province}'"
        if rec.district and rec.province
        else f"'{rec.district or rec.province}'"
    )


def _place_label(r: ResolvedRecord) -> str:
    res = r.resolution
    return res.district.label if res.district else f"the province {res.province} ({res.province_pcode})"


def _resolution_problem(path: str, rec: Record, res: Resolution) -> Problem:
    column = "district" if rec.district and not res.problem.startswith("unknown province") else "province"
    tried = "tried normalised names, the boundary file's alternative names, aliases and fuzzy matching"
    hint = f"best candidates: {', '.join(res.suggestions)}" if res.suggestions else "check the spelling"
    hint += "; or add the spelling to an alias table"
    return Problem(path, rec.line, column, f"{res.problem} ({tried})", hint)


def province_notes(resolved: list[ResolvedRecord]) -> list[ProvinceNote]:
    """The province-level statements, resolved to the boundary file's province names."""
    return [
        ProvinceNote(
            r.record.group,
            r.resolution.province,
            r.resolution.province_pcode,
            r.record.status,
            r.record.date,
            r.record.source,
            r.record.note,
            r.record.line,
        )
        for r in resolved
        if r.record.is_province_note
    ]


def join_control(districts, resolved: list[ResolvedRecord], groups: Sequence[str], as_of: dt.date | None = None):
    """Add each group's status, the sources and the full history to every district.

    ``groups`` are the legend's group keys, in order: one column each. When a group has
    several rows for one district, the latest dated one decides (undated rows count as
    older; among equals the later line wins), ``none`` included: the group's column holds
    ``none`` when that row says none, None when no row of the group names the district;
    ``history`` keeps them all. With ``as_of`` (a
    day), only rows that hold on that day decide (see :mod:`districtcontrol.geo._time`);
    history entries of later rows carry ``after_as_of: true``. ``part_of`` names the districts of
    the crosswalk that lie inside the district and that its rows name (method ``part-of``): such a
    record concerns a part of the district, and maps and summaries say so.
    """
    by_pcode: dict[str, list[ResolvedRecord]] = {}
    for r in resolved:
        if not r.record.is_province_note:
            by_pcode.setdefault(r.pcode, []).append(r)
    joined = districts.copy()
    order = {g: i for i, g in enumerate(groups)}
    rows = [_ordered(by_pcode.get(pc, []), order) for pc in joined["pcode"]]  # sorted once per district
    latest = [{r.record.group: r.record.status for r in rs if holds(r.record.date, as_of)} for rs in rows]
    for group in groups:
        joined[group] = [statuses.get(group) for statuses in latest]
    joined["sources"] = [_sources(rs) for rs in rows]
    joined["history"] = [[_history_entry(r, as_of) for r in rs] for rs in rows]
    joined["part_of"] = [_part_of(rs, as_of) for rs in rows]
    return joined[[*DISTRICT_COLUMNS, *groups, "sources", "history", "part_of", "geometry"]]


def _part_of(rows: list[ResolvedRecord], as_of: dt.date | None) -> str:
    """The crosswalk districts inside this one that the deciding rows name ('Marja'): the record is of a part."""
    named = (r.resolution.part_of for r in rows if r.resolution.part_of and holds(r.record.date, as_of))
    return "; ".join(dict.fromkeys(named))


def _ordered(rows: list[ResolvedRecord], order: dict[str, int]) -> list[ResolvedRecord]:
    return sorted(rows, key=lambda r: (order[r.record.group], r.record.date, r.record.line))


def latest_record(history: list[dict], group: str, *, with_none: bool = False) -> dict | None:
    """The history entry that decides a group's status in a district, or None.

    A deciding row that says ``none`` counts only ``with_none`` (popups and exports show it as
    reported: no status). Entries dated after the date shown (``after_as_of``) do not decide.
    """
    mine = [h for h in history if h["group"] == group and not h.get("after_as_of")]
    return mine[-1] if mine and (with_none or mine[-1]["status"] != NONE_STATUS) else None


def _sources(ordered: list[ResolvedRecord]) -> str:
    parts: dict[str, None] = {}  # in order and linear: a district may have thousands of rows
    for source in dict.fromkeys(r.record.source for r in ordered):
        for src in source.split(";"):
            if src.strip():
                parts.setdefault(src.strip())
    return "; ".join(parts)


def _history_entry(r: ResolvedRecord, as_of: dt.date | None) -> dict:
    rec = r.record
    later = {} if holds(rec.date, as_of) else {"after_as_of": True}  # kept in the history, not deciding
    return {
        "group": rec.group,
        "status": rec.status,
        "date": rec.date or None,
        "source": rec.source or None,
        "note": rec.note or None,
        "as_written": f"{rec.district} ({rec.province})",
        "match": r.resolution.method,
        "line": rec.line,
        **({"part_of": r.resolution.part_of} if r.resolution.part_of else {}),
        **later,
    }
