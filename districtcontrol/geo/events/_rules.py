"""The rules that turn events into statuses, read from TOML: groups, actors, evidence, statuses, placement.

The shipped rules are ``districtcontrol/data/event_rules.toml``; its header documents every
field, and every rule carries its ``reason``. A user's file (``--rules``) replaces it whole.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from dataclasses import dataclass
from fractions import Fraction
from importlib import resources
from pathlib import Path

import numpy as np

from districtcontrol import DistrictControlError
from districtcontrol.data.legend import NONE_STATUS, Legend, legend_from_dict

NO_GROUP = "none"  # an actor rule's group for actors that belong to no group
ANY_EVIDENCE = "any"  # built in: every event, either side
SIDES = ("first", "either")
_ACTOR_FIELDS = {"group", "names", "patterns", "from", "until", "reason"}
_EVIDENCE_FIELDS = {"label", "event_types", "sub_event_types", "sides", "reason"}
_STATUS_FIELDS = {"label", "color", "rank", "evidence", "at_least", "share", "persists", "reason"}
_PLACEMENT_FIELDS = {"acled_max_geo_precision", "ucdp_max_where_prec", "reason"}
_TOP_LEVEL = {"groups", "actors", "evidence", "statuses", "placement"}


@dataclass(frozen=True)
class ActorRule:
    """Actor names that belong to ``group`` (or to none, :data:`NO_GROUP`), in a span of dates."""

    number: int  # 1 for the file's first [[actors]] table
    group: str
    names: frozenset[str]  # casefolded, spaces trimmed
    patterns: tuple[re.Pattern, ...]
    start: dt.date | None
    end: dt.date | None
    reason: str

    def how(self, name: str) -> str | None:
        """How ``name`` matches this rule ("name 'Taleban'", "pattern '^tal[ie]ban'"), or None."""
        if name.strip().casefold() in self.names:
            return f"name '{name.strip()}'"
        for pattern in self.patterns:
            if pattern.search(name):
                return f"pattern '{pattern.pattern}'"
        return None

    @property
    def dated(self) -> bool:
        return self.start is not None or self.end is not None

    def span(self) -> str:
        if not self.dated:
            return ""
        return f", {self.start or '…'} to {self.end or '…'}"


@dataclass(frozen=True)
class Evidence:
    """What kind of evidence an event is, by its event type or sub-event type; who it credits."""

    key: str
    label: str
    event_types: frozenset[str]
    sub_event_types: frozenset[str]
    sides: str
    reason: str


@dataclass(frozen=True)
class StatusRule:
    """A status and the rule that derives it for a group, district and period."""

    key: str
    label: str
    color: str | None
    rank: int
    evidence: str
    at_least: int
    share: Fraction | None
    persists: bool
    reason: str

    def describe(self) -> str:
        share = f", at least {self.share} of all of them there" if self.share is not None else ""
        kind = "events of any kind" if self.evidence == ANY_EVIDENCE else f"{self.evidence} events"
        return f"{self.key}: at least {self.at_least} {kind}{share}"


@dataclass(frozen=True)
class Placement:
    """The coarsest location precision an event may have to be placed in a district."""

    acled_max_geo_precision: int | None
    ucdp_max_where_prec: int | None
    reason: str


@dataclass(frozen=True)
class Rules:
    """Everything :func:`~districtcontrol.events_table` reads from a rules file."""

    path: Path
    legend: Legend  # the groups and statuses, as written to TABLE.legend.toml
    actors: tuple[ActorRule, ...]
    evidence: tuple[Evidence, ...]
    statuses: tuple[StatusRule, ...]  # highest rank first: the order rules are tried in
    placement: Placement

    def evidence_label(self, key: str) -> str:
        return {e.key: e.label for e in self.evidence}.get(key, "events" if key == ANY_EVIDENCE else key)


def default_rules_path() -> Path:
    """The shipped rules."""
    return Path(str(resources.files("districtcontrol.data").joinpath("event_rules.toml")))


def read_rules(path: str | Path | None = None) -> Rules:
    """Read a rules file (TOML); ``None`` reads the shipped one. Problems name the file, the table and the fix."""
    path = Path(path) if path else default_rules_path()
    where = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DistrictControlError("no such rules file; check the path given with --rules", where) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise DistrictControlError(f"cannot read the rules file: {exc}", where) from exc
    except tomllib.TOMLDecodeError as exc:
        raise DistrictControlError(f"not a valid TOML file: {exc}", where) from exc
    return rules_from_dict(data, path)


def rules_from_dict(data: dict, path: Path) -> Rules:
    """Rules from the parsed TOML structure; every problem is an error naming the table and the fix."""
    where = str(path)
    _fields(data, _TOP_LEVEL, "the rules file", where)
    evidence = tuple(_evidence(key, entry, where) for key, entry in _tables(data, "evidence", where).items())
    kinds = {e.key for e in evidence} | {ANY_EVIDENCE}
    statuses = tuple(_status(key, entry, kinds, where) for key, entry in _tables(data, "statuses", where).items())
    legend = legend_from_dict({"groups": data.get("groups", {}), "statuses": _legend_statuses(data)}, where)
    groups = set(legend.group_keys)
    actors = tuple(_actor(n, entry, groups, where) for n, entry in enumerate(_actor_tables(data, where), 1))
    placement = _placement(data.get("placement", {}), where)
    ordered = tuple(sorted(statuses, key=lambda s: -s.rank))
    legend = Legend(legend.groups, legend.statuses, "Events", None, legend.title, legend.group_title)
    return Rules(path, legend, actors, evidence, ordered, placement)


def _legend_statuses(data: dict) -> dict:
    keep = ("label", "color", "rank")
    return {k: {f: v for f, v in e.items() if f in keep} for k, e in data.get("statuses", {}).items()}


def _tables(data: dict, name: str, where: str) -> dict:
    tables = data.get(name, {})
    if not isinstance(tables, dict) or not tables or not all(isinstance(v, dict) for v in tables.values()):
        raise DistrictControlError(f"the rules need [{name}.<key>] tables (see the shipped event_rules.toml)", where)
    return tables


def _actor_tables(data: dict, where: str) -> list[dict]:
    actors = data.get("actors", [])
    if not isinstance(actors, list) or not all(isinstance(a, dict) for a in actors):
        raise DistrictControlError("actors are [[actors]] tables, each with group, names or patterns, reason", where)
    return actors


def _fields(entry: dict, allowed: set[str], name: str, where: str) -> None:
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise DistrictControlError(
            f"{name}: unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}", where
        )


def _reason(entry: dict, name: str, where: str) -> str:
    reason = entry.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise DistrictControlError(f'{name} has no reason; every rule says why it is there (reason = "…")', where)
    return reason.strip()


def _strings(entry: dict, field: str, name: str, where: str) -> tuple[str, ...]:
    values = entry.get(field, [])
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise DistrictControlError(f"{name}: {field} must be a list of non-empty texts", where)
    return tuple(values)


def _actor(number: int, entry: dict, groups: set[str], where: str) -> ActorRule:
    name = f"[[actors]] number {number}"
    _fields(entry, _ACTOR_FIELDS, name, where)
    group = entry.get("group")
    if group not in groups | {NO_GROUP}:
        raise DistrictControlError(
            f'{name}: group {group!r} is not a key of [groups]; use one of {", ".join(sorted(groups))} or "none"',
            where,
        )
    names = _strings(entry, "names", name, where)
    patterns = tuple(_pattern(p, name, where) for p in _strings(entry, "patterns", name, where))
    if not names and not patterns:
        raise DistrictControlError(f"{name}: give names = [...] or patterns = [...]", where)
    start, end = _date(entry.get("from"), name, "from", where), _date(entry.get("until"), name, "until", where)
    if start and end and start > end:
        raise DistrictControlError(f"{name}: from {start} is after until {end}", where)
    folded = frozenset(n.strip().casefold() for n in names)
    return ActorRule(number, group, folded, patterns, start, end, _reason(entry, name, where))


def _pattern(text: str, name: str, where: str) -> re.Pattern:
    try:
        return re.compile(text, re.IGNORECASE)
    except re.error as exc:
        raise DistrictControlError(f"{name}: pattern {text!r} is not a regular expression ({exc})", where) from exc


def _date(value, name: str, field: str, where: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise DistrictControlError(f"{name}: {field} = {value!r} is not a date; write YYYY-MM-DD", where) from exc


def _evidence(key: str, entry: dict, where: str) -> Evidence:
    name = f"[evidence.{key}]"
    _fields(entry, _EVIDENCE_FIELDS, name, where)
    if key == ANY_EVIDENCE:
        raise DistrictControlError(f"{name}: 'any' is built in (every event); choose another key", where)
    types, subtypes = (frozenset(_strings(entry, f, name, where)) for f in ("event_types", "sub_event_types"))
    if not types and not subtypes:
        raise DistrictControlError(f"{name}: give event_types = [...] or sub_event_types = [...]", where)
    sides = entry.get("sides", "either")
    if sides not in SIDES:
        raise DistrictControlError(f'{name}: sides = {sides!r}; use "first" or "either"', where)
    label = str(entry.get("label") or key)
    return Evidence(key, label, types, subtypes, sides, _reason(entry, name, where))


def _status(key: str, entry: dict, kinds: set[str], where: str) -> StatusRule:
    name = f"[statuses.{key}]"
    _fields(entry, _STATUS_FIELDS, name, where)
    if key == NONE_STATUS:
        raise DistrictControlError(f"{name}: 'none' is reserved (a status cleared); choose another key", where)
    evidence = entry.get("evidence")
    if evidence not in kinds:
        raise DistrictControlError(
            f"{name}: evidence {evidence!r} is not a kind of [evidence]; use one of {', '.join(sorted(kinds))}", where
        )
    at_least = entry.get("at_least", 1)
    if not isinstance(at_least, int) or isinstance(at_least, bool) or at_least < 1:
        raise DistrictControlError(f"{name}: at_least must be a whole number of events, 1 or more", where)
    share = _share(entry.get("share"), name, where)
    persists = entry.get("persists", False)
    if not isinstance(persists, bool):
        raise DistrictControlError(f"{name}: persists must be true or false", where)
    rank, label, color = entry.get("rank"), str(entry.get("label", key)), entry.get("color")
    return StatusRule(key, label, color, rank, evidence, at_least, share, persists, _reason(entry, name, where))


def _share(value, name: str, where: str) -> Fraction | None:
    """A share as an exact fraction: "2/3" or a number (0.75); compared without rounding."""
    if value is None:
        return None
    try:
        share = Fraction(value) if isinstance(value, str) else Fraction(value).limit_denominator(10_000)
    except (TypeError, ValueError, ZeroDivisionError):
        share = None
    if share is None or isinstance(value, bool) or not 0 < share <= 1:
        raise DistrictControlError(f'{name}: share must be a fraction above 0 and at most 1, e.g. "2/3" or 0.75', where)
    return share


def _placement(entry: dict, where: str) -> Placement:
    _fields(entry, _PLACEMENT_FIELDS, "[placement]", where)
    limits = {}
    for field in ("acled_max_geo_precision", "ucdp_max_where_prec"):
        value = entry.get(field)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
            raise DistrictControlError(f"[placement]: {field} must be a whole number, 1 or more", where)
        limits[field] = value
    reason = _reason(entry, "[placement]", where) if any(v is not None for v in limits.values()) else ""
    return Placement(limits["acled_max_geo_precision"], limits["ucdp_max_where_prec"], reason)


# -- actors → groups ------------------------------------------------------------------------------


def assign_actors(names, days: np.ndarray, rules: Rules) -> tuple[np.ndarray, np.ndarray]:
    """The group (``""`` for none) and the matching rule's number (0 for none) of each actor name.

    ``names`` is a pandas Series of actor names (missing or empty: no actor); ``days`` the
    events' dates as ``datetime64[D]``. The first rule in file order whose names or patterns
    match and whose span holds the event's date decides.
    """
    import pandas as pd

    codes, distinct = pd.factorize(names.fillna("").astype(str), sort=False)
    matching = [[r for r in rules.actors if name.strip() and r.how(name)] for name in distinct]
    first = [m[0] if m and not m[0].dated else None for m in matching]
    table_groups = np.array(["" if r is None or r.group == NO_GROUP else r.group for r in first] + [""], dtype=object)
    table_numbers = np.array([0 if r is None else r.number for r in first] + [0], dtype=np.int32)
    groups, numbers = table_groups[codes], table_numbers[codes]  # code -1 (no name) takes the last entry
    for code, rules_of_name in enumerate(matching):
        if rules_of_name and first[code] is None:  # a dated rule comes first: decide event by event
            at = np.flatnonzero(codes == code)
            open_ = np.ones(len(at), dtype=bool)
            for rule in rules_of_name:
                inside = open_ & _in_span(days[at], rule)
                groups[at[inside]] = "" if rule.group == NO_GROUP else rule.group
                numbers[at[inside]] = rule.number
                open_ &= ~inside
    return groups, numbers


def _in_span(days: np.ndarray, rule: ActorRule) -> np.ndarray:
    inside = np.ones(len(days), dtype=bool)
    if rule.start is not None:
        inside &= days >= np.datetime64(rule.start, "D")
    if rule.end is not None:
        inside &= days <= np.datetime64(rule.end, "D")
    return inside


def actor_why(name: str, number: int, rules: Rules) -> str:
    """Why an actor name belongs to its group, for the points file: "'Taleban' → taliban by name 'Taleban' (rule 2)"."""
    if not name:
        return ""
    if number == 0:
        return f"'{name}' → no group (no rule matches)"
    rule = rules.actors[number - 1]
    return f"'{name}' → {'no group' if rule.group == NO_GROUP else rule.group} by {rule.how(name)} (actor rule {number}{rule.span()})"


# -- the legend written beside the table ------------------------------------------------------------


def legend_toml(rules: Rules) -> str:
    """The legend of a derived table, as TOML text that :func:`~districtcontrol.read_legend` reads back."""
    lines = [
        f"# The groups and statuses of a table derived from events with {rules.path.name}.",
        "# Each status's rule, in words:",
        *(f"#   {s.describe()}{' (persists)' if s.persists else ''}" for s in rules.statuses),
        'source_label = "Events"',
        "",
    ]
    for group in rules.legend.groups:
        lines += [f"[groups.{group.key}]", f"label = {_toml(group.label)}"]
        lines += [f"color = {_toml(group.color)}"] if group.color else []
        lines += [f"note = {_toml(group.note)}"] if group.note else []
        lines.append("")
    for status in rules.legend.statuses:
        lines += [f"[statuses.{status.key}]", f"label = {_toml(status.label)}", f"color = {_toml(status.color)}"]
        lines += [f"rank = {status.rank}", ""]
    return "\n".join(lines)


def _toml(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)
