"""``events_table``: an event file in, a control table, its legend and the list of every event's placement out."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from districtcontrol import DistrictControlError
from districtcontrol._csv import spreadsheet_safe
from districtcontrol._files import atomic_path, write_text
from districtcontrol.data.legend import Legend
from districtcontrol.data.table import TableError, validate_table
from districtcontrol.geo.events import _derive, _place
from districtcontrol.geo.events._read import EventSource, read_events
from districtcontrol.geo.events._rules import Rules, actor_why, assign_actors, legend_toml, read_rules

log = logging.getLogger(__name__)

OUTPUT_COLUMNS = ("group", "province", "district", "pcode", "status", "date", "source", "note")
POINT_COLUMNS = (
    "date",
    "period",
    "longitude",
    "latitude",
    "pcode",
    "district",
    "province",
    "placed",
    "admin2",
    "admin2_check",
    "actor1",
    "group1",
    "actor2",
    "group2",
    "evidence",
    "why",
)  # after the source's id column, named as in the source


@dataclass(frozen=True)
class EventsResult:
    """What :func:`events_table` made of an event file.

    ``rows`` are the control table's rows (dicts of :data:`OUTPUT_COLUMNS`) and ``legend`` its
    legend; ``counts`` how many events were read, placed, on an edge, outside, without
    coordinates, without a date or imprecise, and whose admin2 differs or does not resolve;
    ``unassigned`` the most frequent actors of placed events that no rule gave a group.
    """

    source: EventSource
    rules: Rules
    rows: tuple[dict[str, str], ...]
    legend: Legend
    counts: dict[str, int]
    unassigned: tuple[tuple[str, int], ...] = ()
    written: tuple[Path, ...] = field(default=())

    @property
    def schema(self) -> str:
        return self.source.schema


def legend_path(output: str | Path) -> Path:
    """Where the legend of a table goes: ``TABLE.legend.toml`` beside ``TABLE.csv``."""
    output = Path(output)
    return output.with_name(output.stem + ".legend.toml")


def events_table(
    source: str | Path,
    output: str | Path | None = None,
    *,
    rules: str | Path | Rules | None = None,
    period: str = "month",
    points: str | Path | None = None,
    schema: str = "auto",
    columns: Mapping[str, str | None] | None = None,
    boundaries: str | Path | None = None,
    aliases: str | Path | None = None,
    name_field: str | None = None,
    province_field: str | None = None,
    pcode_field: str | None = None,
) -> EventsResult:
    """Derive district statuses from geolocated events (ACLED, UCDP GED or any) and write them as a control table.

    ``source`` is a CSV, GeoJSON, GeoPackage or Parquet file; ``schema`` and ``columns`` are
    those of :func:`read_events`. Every event is placed in the district containing its point
    (see :mod:`districtcontrol.geo.events._place` for the edge rule); its actors get groups,
    its type an evidence kind, and each group, district and ``period`` (month, quarter or year)
    a status by ``rules`` (default: the shipped ``event_rules.toml``). ``output`` (CSV) gets
    one row per change of a group's status in a district, with the evidence in ``note``, and
    ``TABLE.legend.toml`` beside it; ``points`` (CSV) one row per event: where it went and why.
    Nothing is written on bad input (a :class:`~districtcontrol.DistrictControlError`).
    """
    from districtcontrol.geo.boundaries import load_boundaries
    from districtcontrol.geo.names import Resolver

    rules = rules if isinstance(rules, Rules) else read_rules(rules)
    _derive.period_numbers(np.array([], dtype="datetime64[D]"), period)  # check the period first
    limits = {"acled": rules.placement.acled_max_geo_precision, "ucdp": rules.placement.ucdp_max_where_prec}
    events = read_events(source, schema=schema, columns=columns, max_geo_precision=limits)
    _check_outputs(events.path, output, points)
    _, frame = load_boundaries(
        boundaries, name_field=name_field, province_field=province_field, pcode_field=pcode_field
    )
    districts = _place.sorted_districts(frame)
    result = _derive_all(events, districts, rules, period)
    admin2 = _place.check_admin2(
        events.frame,
        result.placed.index,
        districts,
        Resolver.from_frame(frame, alias_files=[aliases] if aliases else []),
    )
    rows = tuple(_rows(result, districts, events, rules, period))
    if not rows:
        raise DistrictControlError(_nothing_derived(result), str(events.path))
    problems = validate_table(list(rows), legend=rules.legend)
    if problems:
        raise TableError(problems)
    written = []
    if points is not None:
        written.append(_write_points(points, events, result, admin2, districts, rules, period))
    if output is not None:
        written.append(write_text(legend_path(output), legend_toml(rules)))
        written.append(write_text(output, _csv_text(rows)))
    counts = _counts(result.placed, admin2[0])
    log.info("events %s: %s", events.path, counts)
    return EventsResult(events, rules, rows, rules.legend, counts, tuple(result.unassigned), tuple(written))


def _check_outputs(source: Path, output, points) -> None:
    paths = [Path(p).resolve() for p in (output, points) if p is not None]
    if output is not None:
        paths.append(legend_path(output).resolve())
    if source.resolve() in paths:
        raise DistrictControlError("an output is the event file itself; write it elsewhere", str(source))
    if len(set(paths)) < len(paths):
        raise DistrictControlError("the table, its legend and --points must be three different files")


@dataclass
class _Derived:
    placed: _place.Placed
    periods: np.ndarray
    kinds: np.ndarray
    groups: tuple[np.ndarray, np.ndarray]  # codes per side
    numbers: tuple[np.ndarray, np.ndarray]  # actor rule numbers per side
    counts: _derive.Counts
    changes: list[_derive.Change]
    summaries: _derive.Summaries
    unassigned: list[tuple[str, int]]


def _derive_all(events: EventSource, districts, rules: Rules, period: str) -> _Derived:
    frame = events.frame
    placed = _place.place_events(frame, districts)
    days = frame["day"].to_numpy()
    periods = _derive.period_numbers(days, period)
    kinds = _derive.evidence_kinds(frame, rules)
    codes = {key: i for i, key in enumerate(rules.legend.group_keys)} | {"": -1}
    sides, numbers = [], []
    for column in ("actor1", "actor2"):
        names, rule_numbers = assign_actors(frame[column], days, rules)
        sides.append(np.array([codes[g] for g in names], dtype=np.int64) if len(names) else np.zeros(0, np.int64))
        numbers.append(rule_numbers)
    actors = (frame["actor1"].to_numpy(), frame["actor2"].to_numpy())
    counts = _derive.count_evidence(placed.index, periods, kinds, sides, actors, rules)
    last = int(periods[placed.index >= 0].max()) if (placed.index >= 0).any() else 0
    found = _derive.changes(_derive.derive(counts, rules), rules, last)
    wanted = {(c.district, c.period) for c in found}
    summaries = _derive.summarise_cells(wanted, placed.index, periods, frame)
    unassigned = _derive.top_unassigned(actors, sides, placed.index >= 0)
    return _Derived(placed, periods, kinds, tuple(sides), tuple(numbers), counts, found, summaries, unassigned)


def _rows(result: _Derived, districts, events: EventSource, rules: Rules, period: str):
    groups = rules.legend.group_keys
    source = f"{events.path.name} ({_SCHEMA_WORDS[events.schema]}), rules {rules.path.name}, by {period}"
    names, provinces, pcodes = (districts[c].to_numpy() for c in ("district", "province", "pcode"))
    ordered = sorted(result.changes, key=lambda c: (provinces[c.district], names[c.district], c.period, c.group))
    for change in ordered:
        yield {
            "group": groups[change.group],
            "province": provinces[change.district],
            "district": names[change.district],
            "pcode": pcodes[change.district],
            "status": change.status,
            "date": _derive.period_date(change.period, period),
            "source": source,
            "note": _derive.note(change, result.counts, result.summaries, rules, period, groups),
        }


_SCHEMA_WORDS = {"acled": "ACLED layout", "ucdp": "UCDP GED layout", "custom": "columns named by the user"}


def _nothing_derived(result: _Derived) -> str:
    placed = int((result.placed.index >= 0).sum())
    top = ", ".join(f"'{name}' ({n})" for name, n in result.unassigned[:5])
    hint = f"; the most frequent actors without a group: {top} (add them to [[actors]] in a rules file)" if top else ""
    return f"no district gets a status under the rules ({placed} event(s) placed){hint}"


def _counts(placed: _place.Placed, admin2_check: np.ndarray) -> dict[str, int]:
    kinds, n = np.unique(placed.placed.astype(str), return_counts=True)
    by_kind = dict(zip(kinds.tolist(), n.tolist()))
    counts = {"events": len(placed.index), "placed": int((placed.index >= 0).sum())}
    for kind in (
        _place.EDGE,
        _place.OUTSIDE,
        _place.NO_COORDINATES,
        _place.OFF_GLOBE,
        _place.IMPRECISE,
        _place.NO_DATE,
    ):
        counts[kind] = by_kind.get(kind, 0)
    counts["admin2 differs"] = int((admin2_check == _place.DIFFERS).sum())
    counts["admin2 does not resolve"] = int((admin2_check == _place.UNRESOLVED).sum())
    return counts


def _csv_text(rows: tuple[dict[str, str], ...]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=OUTPUT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


# -- the points file ----------------------------------------------------------------------------------


def _write_points(path, events: EventSource, result: _Derived, admin2, districts, rules: Rules, period: str) -> Path:
    """One row per event, in the source's order: its id as written, where it went, its groups and why.

    Text columns are written through dictionaries (each distinct text converted once), and each
    distinct combination of reasons is joined once: the file of a million events takes seconds.
    """
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    frame, placed = events.frame, result.placed
    ok = placed.index >= 0
    codes = np.where(ok, placed.index, len(districts))
    keys = rules.legend.group_keys
    evidence = np.where(ok, result.kinds, -1)
    numbers = np.unique(result.periods[result.periods >= 0])
    labels = [_derive.period_label(int(p), period) for p in numbers] + [""]
    whys = [_actor_whys(frame[c], n, rules) for c, n in zip(("actor1", "actor2"), result.numbers)]
    columns = {
        events.id_column: _text(frame["id"].to_numpy(), safe=True),
        "date": _text(frame["date_text"].to_numpy(), safe=True),
        "period": _coded(np.where(result.periods >= 0, np.searchsorted(numbers, result.periods), len(numbers)), labels),
        "longitude": pa.array(frame["lon"].to_numpy(), from_pandas=True),
        "latitude": pa.array(frame["lat"].to_numpy(), from_pandas=True),
        **{name: _coded(codes, [*districts[name].tolist(), ""]) for name in ("pcode", "district", "province")},
        "placed": _text(placed.placed),
        "admin2": _text(frame["admin2"].to_numpy(), safe=True),
        "admin2_check": _text(admin2[0]),
        "actor1": _text(frame["actor1"].to_numpy(), safe=True),
        "group1": _coded(result.groups[0], [*keys, ""]),
        "actor2": _text(frame["actor2"].to_numpy(), safe=True),
        "group2": _coded(result.groups[1], [*keys, ""]),
        "evidence": _coded(evidence, [*(e.key for e in rules.evidence), ""]),
        "why": _joined([placed.note, admin2[1]], whys),
    }
    table = pa.table(columns)
    with atomic_path(path) as tmp:
        pa_csv.write_csv(table, tmp, write_options=pa_csv.WriteOptions(quoting_style="needed"))
    return Path(path)


def _coded(codes: np.ndarray, texts: list[str]):
    """A text column from codes into ``texts`` (-1: the last text)."""
    import pyarrow as pa

    codes = np.where(codes < 0, len(texts) - 1, codes).astype(np.int32)
    return pa.DictionaryArray.from_arrays(pa.array(codes), pa.array(texts, pa.string())).dictionary_decode()


def _text(values: np.ndarray, safe: bool = False):
    """A text column, each distinct value converted once; ``safe``: cells a spreadsheet would run get a leading '."""
    import pandas as pd

    codes, distinct = pd.factorize(pd.Series(values, dtype=object), sort=False)
    texts = [spreadsheet_safe(v) if safe else str(v) for v in distinct] + [""]
    return _coded(codes, texts)


def _joined(notes: list[np.ndarray], coded: list[tuple[np.ndarray, list[str]]]):
    """Per event, its reasons joined by '; ' (empty ones left out); each distinct combination joined once."""
    import pandas as pd

    parts = []
    for values in notes:
        codes, distinct = pd.factorize(pd.Series(values, dtype=object), sort=False)
        parts.append((codes, [str(v) for v in distinct]))
    parts += coded
    key = np.zeros(len(parts[0][0]), dtype=np.int64)
    for codes, texts in parts:
        key = key * (len(texts) + 1) + (codes + 1)
    unique, inverse = np.unique(key, return_inverse=True)
    joined = []
    for value in unique.tolist():
        pieces = []
        for _, texts in reversed(parts):
            value, code = divmod(value, len(texts) + 1)
            pieces.append(texts[code - 1] if code else "")
        joined.append("; ".join(p for p in reversed(pieces) if p))
    return _coded(inverse.ravel(), joined + [""])


def _actor_whys(names, numbers: np.ndarray, rules: Rules) -> tuple[np.ndarray, list[str]]:
    """Why each event's actor has its group: codes into one text per distinct (name, rule)."""
    import pandas as pd

    pairs = pd.Series(names.to_numpy() + "\x1f" + numbers.astype(str).astype(object), dtype=object)
    codes, distinct = pd.factorize(pairs, sort=False)
    texts = []
    for pair in distinct:
        name, number = pair.rsplit("\x1f", 1)
        texts.append(actor_why(name, int(number), rules))
    return codes, texts
