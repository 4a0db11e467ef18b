"""Join a control table to district boundaries: resolve every row, then one status per group."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

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
    """Resolve the names of every record; raise :class:`TableError` naming each row that fails."""
    resolved, problems = [], []
    for rec in records:
        res = resolver.resolve(rec.province, rec.district)
        if not res.resolved:
            problems.append(_resolution_problem(path, rec, res))
        resolved.append(ResolvedRecord(rec, res))
    if problems:
        raise TableError(problems)
    return resolved


def _resolution_problem(path: str, rec: Record, res: Resolution) -> Problem:
    column = "district" if rec.district and "province" not in res.problem else "province"
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
    older; among equals the later line wins); ``history`` keeps them all. With ``as_of`` (a
    day), only rows that hold on that day decide (see :mod:`districtcontrol.geo._time`);
    history entries of later rows carry ``after_as_of: true``.
    """
    by_pcode: dict[str, list[ResolvedRecord]] = {}
    for r in resolved:
        if not r.record.is_province_note:
            by_pcode.setdefault(r.pcode, []).append(r)
    joined = districts.copy()
    rows = [by_pcode.get(pc, []) for pc in joined["pcode"]]
    order = {g: i for i, g in enumerate(groups)}
    for group in groups:
        joined[group] = [_latest_status(rs, group, order, as_of) for rs in rows]
    joined["sources"] = [_sources(rs, order) for rs in rows]
    joined["history"] = [[_history_entry(r, as_of) for r in _ordered(rs, order)] for rs in rows]
    return joined[[*DISTRICT_COLUMNS, *groups, "sources", "history", "geometry"]]


def _ordered(rows: list[ResolvedRecord], order: dict[str, int]) -> list[ResolvedRecord]:
    return sorted(rows, key=lambda r: (order[r.record.group], r.record.date, r.record.line))


def _latest_status(rows: list[ResolvedRecord], group: str, order: dict[str, int], as_of: dt.date | None) -> str | None:
    """The status of the group's deciding row on ``as_of``; None when it has none or the row says ``none`` (cleared)."""
    mine = [r for r in _ordered(rows, order) if r.record.group == group and holds(r.record.date, as_of)]
    status = mine[-1].record.status if mine else None
    return None if status == NONE_STATUS else status


def latest_record(history: list[dict], group: str) -> dict | None:
    """The history entry that decides a group's status in a district, or None (also when it clears it).

    Entries dated after the date shown (``after_as_of``) do not decide.
    """
    mine = [h for h in history if h["group"] == group and not h.get("after_as_of")]
    return mine[-1] if mine and mine[-1]["status"] != NONE_STATUS else None


def _sources(rows: list[ResolvedRecord], order: dict[str, int]) -> str:
    parts = []
    for r in _ordered(rows, order):
        for src in r.record.source.split(";"):
            if src.strip() and src.strip() not in parts:
                parts.append(src.strip())
    return "; ".join(parts)


def _history_entry(r: ResolvedRecord, as_of: dt.date | None) -> dict:
    rec = r.record
    later = {} if holds(rec.date, as_of) else {"after_as_of": True}
    return {
        "group": rec.group,
        "status": rec.status,
        "date": rec.date or None,
        "source": rec.source or None,
        "note": rec.note or None,
        "as_written": f"{rec.district} ({rec.province})",
        "match": r.resolution.method,
        "line": rec.line,
        **later,
    }
