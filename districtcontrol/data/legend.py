"""The legend: a table's groups and statuses (keys, labels, colours, order, rank), read from TOML.

Groups and statuses are data, not code. The shipped table comes with ``legend.toml``; a user
with other groups or another status scale writes a file of the same shape and passes it
with ``--legend`` (or ``legend=`` in the API)::

    source_label = "Source"          # what popups call a row's source (optional)
    title = "Who holds which district"   # the combined map's title (optional)
    group_title = "{group}: districts by status"   # each group map's title (optional)

    [groups.taliban]
    label = "Taliban"
    [groups.haqqani]
    label = "Haqqani network"
    note = "Claims by the group itself"   # shown on its map and the combined map (optional)

    [statuses.controlled]
    label = "Controlled"
    rank = 3                          # higher = more severe
    [statuses.contested]
    label = "Contested"
    rank = 2
    [statuses.unconfirmed]
    label = "Unconfirmed claim"
    rank = 1

Tables are listed in display order. Colours are optional: statuses without one take the
Okabe-Ito palette (safe for the common colour-vision deficiencies) in rank order, most
severe first. The status key ``none`` is reserved: a row with it says the group holds nothing
there from the row's date on ("Reported: no status"), which every output tells apart from a
district no row names ("No record"). ``[statuses.none]`` may give it a label and a colour
(no rank)::

    [statuses.none]
    label = "Reported: not held"
    color = "#FFFFFF"
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from districtcontrol import DistrictControlError

NONE_STATUS = "none"
NONE_LABEL = "Reported: no status"
NONE_COLOUR = "#FFFFFF"  # white with the district edge: apart from the no-record grey and every status colour
# Okabe-Ito, most distinguishable first; used for statuses in rank order when no colour is given.
PALETTE = ("#D55E00", "#E69F00", "#56B4E9", "#0072B2", "#009E73", "#CC79A7", "#F0E442", "#000000")
_KEY = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


@dataclass(frozen=True)
class Group:
    """An armed group (or any actor) a table records: ``key`` as the table writes it, ``label`` as maps show it."""

    key: str
    label: str
    color: str | None = None
    note: str | None = None  # shown on the group's map and on the combined map


@dataclass(frozen=True)
class Status:
    """A status a group holds in a district; ``rank`` orders severity (higher = more severe)."""

    key: str
    label: str
    color: str
    rank: int


@dataclass(frozen=True)
class Legend:
    """The groups and statuses of a table, in display order, and the name of its source field."""

    groups: tuple[Group, ...]
    statuses: tuple[Status, ...]
    source_label: str = "Source"
    path: Path | None = None
    title: str | None = None  # the combined map's title
    group_title: str | None = None  # a group map's title, "{group}" standing for the group's label
    none: Status = Status(NONE_STATUS, NONE_LABEL, NONE_COLOUR, 0)  # how outputs show a row saying none

    @property
    def group_keys(self) -> tuple[str, ...]:
        return tuple(g.key for g in self.groups)

    @property
    def status_keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.statuses)

    def group(self, key: str) -> Group:
        """The group with ``key`` (KeyError if the legend has none)."""
        return {g.key: g for g in self.groups}[key]

    def status(self, key: str) -> Status:
        """The status with ``key`` (KeyError if the legend has none)."""
        return {s.key: s for s in self.statuses}[key]

    def group_label(self, key: str) -> str:
        return self.group(key).label

    def map_title(self, group: str | None) -> str:
        """The title of a group's map (``group``) or of the combined map (None), unless the user gives one."""
        if group is None:
            return self.title or "Districts by status: " + ", ".join(g.label for g in self.groups)
        return (self.group_title or "{group}: districts by status").replace("{group}", self.group_label(group))

    def status_label(self, key: str) -> str:
        """The label of a status; the reserved ``none`` reads as the legend's ``none`` says ("Reported: no status")."""
        return self.none.label if key == NONE_STATUS else self.status(key).label

    def status_color(self, key: str) -> str:
        return self.none.color if key == NONE_STATUS else self.status(key).color

    def rank(self, key: str) -> int:
        return self.status(key).rank

    def strongest(self, statuses) -> str | None:
        """The highest-ranked of the statuses groups hold in a district (the earlier group on a tie).

        ``statuses`` holds one status (or None) per group, in the legend's group order; this
        is what the combined map and the ``combined`` export field show.
        """
        held = [s for s in statuses if isinstance(s, str) and s and s != NONE_STATUS]
        ranks = {s.key: s.rank for s in self.statuses}
        return max(held, key=lambda s: ranks[s]) if held else None

    def shown(self, statuses) -> str | None:
        """What a district shows for these groups: the strongest status held, else ``none`` when a
        deciding row says none (reported: no status), else None (no row names it: no record)."""
        statuses = list(statuses)
        return self.strongest(statuses) or (NONE_STATUS if NONE_STATUS in statuses else None)


def default_legend_path() -> Path:
    """The legend of the shipped table."""
    return Path(str(resources.files("districtcontrol.data").joinpath("legend.toml")))


def read_legend(path: str | Path | None = None) -> Legend:
    """Read a legend file (TOML); ``None`` reads the shipped one. Problems name the file and the fix."""
    path = Path(path) if path else default_legend_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DistrictControlError("no such legend file; check the path given with --legend", str(path)) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise DistrictControlError(f"cannot read the legend file: {exc}", str(path)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise DistrictControlError(f"not a valid TOML file: {exc}", str(path)) from exc
    return legend_from_dict(data, str(path), Path(path))


def legend_from_dict(data: dict, where: str = "legend", path: Path | None = None) -> Legend:
    """A legend from the parsed TOML structure (``groups`` and ``statuses`` tables)."""
    unknown = sorted(set(data) - {"groups", "statuses", *_TEXT_SETTINGS})
    if unknown:
        raise DistrictControlError(
            f"unknown setting(s) {', '.join(unknown)}; a legend has [groups.*], [statuses.*], "
            + ", ".join(_TEXT_SETTINGS),
            where,
        )
    groups = tuple(_group(key, entry, where) for key, entry in _table(data, "groups", where).items())
    declared = dict(_table(data, "statuses", where))
    none = _none_status(declared.pop(NONE_STATUS, {}), where)
    if not declared:
        _table({}, "statuses", where)  # the error of a legend without statuses
    statuses = _statuses(declared, where)
    texts = {name: _text_setting(data, name, where) for name in _TEXT_SETTINGS}
    title, group_title = texts["title"], texts["group_title"]
    return Legend(groups, statuses, texts["source_label"] or "Source", path, title, group_title, none)


def _none_status(entry: dict, where: str) -> Status:
    """The reserved ``none``: a label and a colour of its own, no rank (it is no status a group holds)."""
    name = f"statuses.{NONE_STATUS}"
    _check_fields(entry, {"label", "color"}, name, where)
    label = _label(entry, name, where) if "label" in entry else NONE_LABEL
    return Status(NONE_STATUS, label, _colour(entry.get("color"), name, where) or NONE_COLOUR, 0)


_TEXT_SETTINGS = ("source_label", "title", "group_title")


def _text_setting(data: dict, name: str, where: str) -> str | None:
    value = data.get(name)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise DistrictControlError(f"{name} must be a non-empty text", where)
    return value


def _table(data: dict, name: str, where: str) -> dict:
    table = data.get(name)
    if not isinstance(table, dict) or not table:
        example = (
            '[groups.taliban]\nlabel = "Taliban"'
            if name == "groups"
            else ('[statuses.captured]\nlabel = "Captured"\nrank = 2')
        )
        raise DistrictControlError(f"the legend declares no {name}; add at least one, e.g.\n{example}", where)
    for key, entry in table.items():
        _check_key(key, name, where)
        if not isinstance(entry, dict):
            raise DistrictControlError(f"[{name}.{key}] must be a table with a label", where)
    return table


def _check_key(key: str, kind: str, where: str) -> None:
    if not _KEY.match(key):
        raise DistrictControlError(
            f"{kind} key '{key}' must be lower-case letters, digits, '-' or '_' (it is what the table's rows write)",
            where,
        )


def _group(key: str, entry: dict, where: str) -> Group:
    _check_fields(entry, {"label", "color", "note"}, f"groups.{key}", where)
    note = entry.get("note")
    if note is not None and not isinstance(note, str):
        raise DistrictControlError(f"[groups.{key}] note must be a text", where)
    return Group(key, _label(entry, f"groups.{key}", where), _colour(entry.get("color"), f"groups.{key}", where), note)


def _statuses(table: dict, where: str) -> tuple[Status, ...]:
    ranks = {}
    for key, entry in table.items():
        _check_fields(entry, {"label", "color", "rank"}, f"statuses.{key}", where)
        rank = entry.get("rank")
        if not isinstance(rank, int) or isinstance(rank, bool):
            raise DistrictControlError(f"[statuses.{key}] needs an integer rank (higher = more severe)", where)
        ranks[key] = rank
    by_severity = sorted(table, key=lambda k: -ranks[k])
    spare = iter(c for c in PALETTE if c.lower() not in {str(e.get("color", "")).lower() for e in table.values()})
    default = {k: next(spare, "#777777") for k in by_severity if not table[k].get("color")}
    return tuple(
        Status(
            key,
            _label(entry, f"statuses.{key}", where),
            _colour(entry.get("color"), f"statuses.{key}", where) or default[key],
            ranks[key],
        )
        for key, entry in table.items()
    )


def _check_fields(entry: dict, allowed: set[str], name: str, where: str) -> None:
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise DistrictControlError(
            f"[{name}] has unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}", where
        )


def _label(entry: dict, name: str, where: str) -> str:
    label = entry.get("label")
    if not isinstance(label, str) or not label.strip():
        raise DistrictControlError(f'[{name}] needs a label, e.g. label = "..."', where)
    return label


def _colour(value, name: str, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _COLOUR.match(value):
        raise DistrictControlError(f'[{name}] color must be a hex colour like "#D55E00", not {value!r}', where)
    return value.upper()
