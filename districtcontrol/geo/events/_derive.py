"""From placed events to statuses: evidence per group, district and period, the rules, then the changes.

Per district, group and period the events are counted by evidence kind (with the sides each
kind credits), each status rule is tried in rank order, and the first that holds is the
period's derived status. Over time, a status that ``persists`` is kept until the group's
evidence gives a higher-ranked one or another group derives a persisting status in that
district; any other status lasts one period. Only the changes are kept, as control-table rows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from districtcontrol import DistrictControlError
from districtcontrol.data.legend import NONE_STATUS
from districtcontrol.geo.events._rules import ANY_EVIDENCE, Rules

PERIODS = ("month", "quarter", "year")
_NOTE_ITEMS = 6  # event types and actors named in a note, most frequent first


# -- periods ------------------------------------------------------------------------------------------


def period_numbers(days: np.ndarray, period: str) -> np.ndarray:
    """Each day's period as a number (months, quarters or years since 1970); -1 for no day."""
    if period not in PERIODS:
        raise DistrictControlError(f"--period '{period}': use one of {', '.join(PERIODS)}")
    months = days.astype("datetime64[M]").astype(np.int64)
    numbers = {"month": months, "quarter": months // 3, "year": months // 12}[period]
    return np.where(np.isnat(days), -1, numbers)


def period_label(number: int, period: str) -> str:
    """How a period is written in notes and in ``--points``: 2021-08, 2021-Q3, 2021."""
    if period == "month":
        return f"{1970 + number // 12}-{number % 12 + 1:02d}"
    if period == "quarter":
        return f"{1970 + number // 4}-Q{number % 4 + 1}"
    return str(1970 + number)


def period_date(number: int, period: str) -> str:
    """The control table's date of a period: its month (a quarter: its first month), or its year."""
    if period == "quarter":
        return period_label(number * 3, "month")
    return period_label(number, period)


# -- evidence -----------------------------------------------------------------------------------------


def evidence_kinds(frame, rules: Rules) -> np.ndarray:
    """Per event, the index of its evidence kind in ``rules.evidence`` (first match in file order), -1 for none."""
    kinds = np.full(len(frame), -1, dtype=np.int64)
    types, subtypes = frame["event_type"], frame["sub_event_type"]
    for k in range(len(rules.evidence) - 1, -1, -1):  # backwards, so that the first match is written last
        evidence = rules.evidence[k]
        match = types.isin(evidence.event_types).to_numpy() | subtypes.isin(evidence.sub_event_types).to_numpy()
        kinds[match] = k
    return kinds


@dataclass
class Counts:
    """Evidence per cell (district, period, group) and per district and period, as dicts of arrays."""

    cells: dict[tuple[int, int, int], np.ndarray]  # (d, p, g) → counts per evidence kind, then "any"
    totals: dict[tuple[int, int], np.ndarray]  # (d, p) → events per evidence kind, then all events


def count_evidence(index, periods, kinds, groups, actors, rules: Rules) -> Counts:
    """Count each group's evidence. ``groups`` and ``actors`` are per side (two arrays each); ``groups`` are codes, -1 for none.

    A side counts for an evidence kind of ``sides = "first"`` only as the first side; for
    ``"either"`` as either side, when the other side is someone (an actor is named) and not
    the same group. Every event counts once for "any" for each group on one of its sides.
    """
    n_kinds = len(rules.evidence)
    either = np.array([e.sides == "either" for e in rules.evidence] + [False])
    placed = index >= 0
    keys, kinds_of = [], []
    for side, other in ((0, 1), (1, 0)):
        mine, theirs = groups[side], groups[other]
        involved = placed & (mine >= 0)
        counts_kind = (kinds >= 0) & (either[kinds] | (side == 0))
        counts_kind &= ~either[kinds] | ((actors[other] != "") & (theirs != mine))
        counts_any = involved & ((side == 0) | (theirs != mine))
        for mask, kind in ((involved & counts_kind, kinds), (counts_any, np.full(len(kinds), n_kinds))):
            keys.append(np.stack([index[mask], periods[mask], mine[mask]], axis=1))
            kinds_of.append(kind[mask])
    cells = _tally(np.concatenate(keys), np.concatenate(kinds_of), n_kinds + 1)
    kind_or_all = np.where(kinds >= 0, kinds, n_kinds)
    totals = _tally(np.stack([index[placed], periods[placed]], axis=1), kind_or_all[placed], n_kinds + 1)
    for counts in totals.values():  # the last column counts all events, not only those of no kind
        counts[-1] = counts.sum()
    return Counts(cells, totals)


def _tally(keys: np.ndarray, kinds: np.ndarray, width: int) -> dict[tuple, np.ndarray]:
    """Counts per distinct key row and kind: {key: counts[width]} (key rows encoded as one integer, for speed)."""
    if not len(keys):
        return {}
    low = keys.min(axis=0)
    radix = keys.max(axis=0) - low + 1
    code = np.zeros(len(keys), dtype=np.int64)
    for column in range(keys.shape[1]):
        code = code * radix[column] + (keys[:, column] - low[column])
    unique, inverse = np.unique(code, return_inverse=True)
    table = np.bincount(inverse.ravel() * width + kinds, minlength=len(unique) * width).reshape(len(unique), width)
    return {_decode(value, low, radix): row for value, row in zip(unique.tolist(), table)}


def _decode(value: int, low: np.ndarray, radix: np.ndarray) -> tuple[int, ...]:
    parts = []
    for column in range(len(radix) - 1, -1, -1):
        value, digit = divmod(value, int(radix[column]))
        parts.append(digit + int(low[column]))
    return tuple(reversed(parts))


# -- statuses over time -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """A group's status in a district changes in a period; ``derived`` is the rule's status (None: none held)."""

    district: int
    group: int
    period: int
    status: str  # a status key, or none
    derived: int | None  # index into rules.statuses of the period's derived status
    before: int | None  # the status held before (index), None for none
    taken_by: tuple[int, ...] = ()  # groups whose persisting status ended this group's


def derive(counts: Counts, rules: Rules) -> dict[tuple[int, int, int], int]:
    """The derived status (index into ``rules.statuses``) of every cell where one holds."""
    kinds = {e.key: k for k, e in enumerate(rules.evidence)} | {ANY_EVIDENCE: len(rules.evidence)}
    derived = {}
    for cell, row in counts.cells.items():
        total = counts.totals[cell[:2]]
        for s, status in enumerate(rules.statuses):
            k = kinds[status.evidence]
            count = row[k]
            if count < status.at_least:
                continue
            if status.share is not None and count * status.share.denominator < status.share.numerator * total[k]:
                continue
            derived[cell] = s
            break
    return derived


def changes(derived: dict[tuple[int, int, int], int], rules: Rules, last_period: int) -> list[Change]:
    """Every change of a group's status in a district, in period order (see the module's docstring)."""
    persists = [s.persists for s in rules.statuses]
    takers: dict[tuple[int, int], set[int]] = {}
    by_pair: dict[tuple[int, int], dict[int, int]] = {}
    for (d, p, g), s in derived.items():
        by_pair.setdefault((d, g), {})[p] = s
        if persists[s]:
            takers.setdefault((d, p), set()).add(g)
    taken: dict[int, list[tuple[int, set[int]]]] = {}
    for (d, p), gs in takers.items():
        taken.setdefault(d, []).append((p, gs))
    found = []
    for (d, g), periods in sorted(by_pair.items()):
        moments = set(periods) | {p + 1 for p in periods if p < last_period}
        moments |= {p for p, gs in taken.get(d, ()) if gs - {g}}
        found += _walk(d, g, sorted(moments), periods, takers, rules, persists)
    return found


def _walk(d, g, moments, periods, takers, rules: Rules, persists) -> list[Change]:
    held: int | None = None
    found = []
    for p in moments:
        if held is None and p not in periods:
            continue
        others = tuple(sorted(takers.get((d, p), set()) - {g}))
        kept = held if held is not None and persists[held] and not others else None
        now = min((s for s in (periods.get(p), kept) if s is not None), default=None)
        if now != held:
            status = NONE_STATUS if now is None else rules.statuses[now].key
            found.append(Change(d, g, p, status, periods.get(p), held, others if held is not None else ()))
        held = now
    return found


# -- notes --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summaries:
    """Per (district, period): its events by event type and by actor, most frequent first."""

    types: dict[tuple[int, int], list[tuple[str, int]]]
    actors: dict[tuple[int, int], list[tuple[str, int]]]


def summarise_cells(wanted: set[tuple[int, int]], index, periods, frame) -> Summaries:
    """Event types and actors of the (district, period) pairs in ``wanted`` only."""
    import pandas as pd

    if not wanted:
        return Summaries({}, {})
    width = int(periods.max()) + 2
    key = index * width + periods
    wanted_keys = np.array([d * width + p for d, p in wanted], dtype=np.int64)
    mask = (index >= 0) & np.isin(key, wanted_keys)
    keys = key[mask]
    types = _ranked(pd.Series(frame["event_type"].to_numpy()[mask]), keys, width)
    names = np.concatenate([frame["actor1"].to_numpy()[mask], frame["actor2"].to_numpy()[mask]])
    actors = _ranked(pd.Series(names), np.concatenate([keys, keys]), width)
    return Summaries(types, actors)


def _ranked(values, keys: np.ndarray, width: int) -> dict[tuple[int, int], list[tuple[str, int]]]:
    import pandas as pd

    counts = pd.DataFrame({"key": keys, "value": values.to_numpy()})
    counts = counts[counts["value"] != ""].value_counts(sort=False).reset_index(name="n")
    counts = counts.sort_values(["key", "n", "value"], ascending=[True, False, True])
    ranked: dict[tuple[int, int], list[tuple[str, int]]] = {}
    for key, value, n in counts.itertuples(index=False):
        ranked.setdefault((int(key) // width, int(key) % width), []).append((value, int(n)))
    return ranked


def note(change: Change, counts: Counts, summaries: Summaries, rules: Rules, period: str, group_keys) -> str:
    """The evidence of a change in words: the group's counts, the rule, and the district's events."""
    label = period_label(change.period, period)
    group = group_keys[change.group]
    cell = counts.cells.get((change.district, change.period, change.group))
    total = counts.totals.get((change.district, change.period))
    parts = [f"{label}: {group}: {_group_counts(cell, total, rules)}", _verdict(change, rules, group_keys)]
    if total is not None:
        parts.append(_district_summary(change, total, summaries))
    return "; ".join(parts)


def _group_counts(cell, total, rules: Rules) -> str:
    if cell is None:
        return "no events"
    items = []
    for k, evidence in enumerate(rules.evidence):
        if cell[k]:
            items.append(f"{evidence.label}: {cell[k]}" + (f" of {total[k]}" if total[k] != cell[k] else ""))
    return ", ".join([*items, f"all events: {cell[-1]}"])


def _verdict(change: Change, rules: Rules, group_keys) -> str:
    if change.derived is not None and rules.statuses[change.derived].key == change.status:
        return f"→ {change.status} (rule {rules.statuses[change.derived].describe()})"
    before = rules.statuses[change.before].key if change.before is not None else NONE_STATUS
    if change.taken_by:
        takers = ", ".join(group_keys[g] for g in change.taken_by)
        return f"→ {change.status}: {before} ended, {takers} derived a persisting status here"
    return f"→ {change.status}: no rule holds this period ({before} before)"


def _district_summary(change: Change, total, summaries: Summaries) -> str:
    key = (change.district, change.period)
    text = f"in the district: {total[-1]} events"
    types = summaries.types.get(key, [])
    actors = summaries.actors.get(key, [])
    if types:
        text += " (" + _listed(types) + ")"
    if actors:
        text += "; actors: " + _listed(actors)
    return text


def _listed(items: list[tuple[str, int]]) -> str:
    shown = ", ".join(f"{value} {n}" for value, n in items[:_NOTE_ITEMS])
    rest = len(items) - _NOTE_ITEMS
    return shown + (f", {rest} more" if rest > 0 else "")


def top_unassigned(actors, groups, placed, limit: int = 10) -> list[tuple[str, int]]:
    """The most frequent actor names of placed events that no rule gave a group (for the user to check)."""
    counter: Counter = Counter()
    for names, codes in zip(actors, groups):
        mask = placed & (codes < 0) & (names != "")
        values, n = np.unique(names[mask].astype(str), return_counts=True)
        counter.update(dict(zip(values.tolist(), n.tolist())))
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:limit]
