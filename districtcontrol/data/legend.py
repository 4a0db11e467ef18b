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
from districtcontrol._style import GROUP_FIELD_SUFFIXES, NO_RECORD_COLOUR, NO_RECORD_LABEL, reserved_names

NONE_STATUS = "none"
NONE_LABEL = "Reported: no status"
NONE_COLOUR = "#FFFFFF"  # white with the district edge: apart from the no-record grey and every status colour
# Okabe-Ito, most distinguishable first; used for statuses in rank order when no colour is given.
PALETTE = ("#D55E00", "#E69F00", "#56B4E9", "#0072B2", "#009E73", "#CC79A7", "#F0E442", "#000000")
_KEY = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
MAX_KEY_CHARS = 64  # a key names files (<group>.embed.html) and fields (<group>_source)
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
    """Read a legend file (TOML); ``None`` reads the shipped one. Problems name the file, the line and the fix.

    A UTF-8 byte-order mark is accepted, as in tables.
    """
    path = Path(path) if path else default_legend_path()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise DistrictControlError("no such legend file; check the path given with --legend", str(path)) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise DistrictControlError(f"cannot read the legend file: {exc}", str(path)) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _toml_error(exc, str(path)) from exc
    return _legend(data, str(path), path, text)


def legend_from_dict(data: dict, where: str = "legend", path: Path | None = None) -> Legend:
    """A legend from the parsed TOML structure (``groups`` and ``statuses`` tables)."""
    return _legend(data, where, path, "")


def _toml_error(exc: tomllib.TOMLDecodeError, where: str) -> DistrictControlError:
    """TOML's complaint with its line as the location, like a table's problems."""
    found = re.search(r"\s*\(at line (\d+), column (\d+)\)", str(exc))
    if not found:
        return DistrictControlError(f"not a valid TOML file: {exc}", where)
    what = str(exc)[: found.start()] + str(exc)[found.end() :]
    hint = 'write key = "value" lines and [groups.KEY] / [statuses.KEY] headers'
    return DistrictControlError(f"not valid TOML at column {found[2]}: {what} ({hint})", where, int(found[1]))


class _Refusal(Exception):
    """A problem in a legend's content, with the entry it is in (``section``, e.g. ``statuses.captured``)
    and the field, so that the file's line can be named."""

    def __init__(self, message: str, section: str = "", field: str = ""):
        super().__init__(message)
        self.message, self.section, self.field = message, section, field


def _legend(data: dict, where: str, path: Path | None, text: str) -> Legend:
    try:
        return _parse(data, where, path)
    except _Refusal as refusal:
        raise DistrictControlError(refusal.message, where, _line_of(text, refusal.section, refusal.field)) from None


def _parse(data: dict, where: str, path: Path | None) -> Legend:
    unknown = sorted(set(data) - {"groups", "statuses", *_TEXT_SETTINGS})
    if unknown:
        raise _Refusal(
            f"unknown setting(s) {', '.join(unknown)}; a legend has [groups.*], [statuses.*], "
            + ", ".join(_TEXT_SETTINGS),
            unknown[0],
        )
    groups = tuple(_group(key, entry) for key, entry in _table(data, "groups").items())
    _check_group_names(groups)
    declared = dict(_table(data, "statuses"))
    none = _none_status(declared.pop(NONE_STATUS, {}))
    statuses = _statuses(declared or _table({}, "statuses"))
    _check_distinct_colours("groups", [(g.key, g.color) for g in groups if g.color])
    _check_distinct_colours("statuses", [(s.key, s.color) for s in (*statuses, none)])
    texts = {name: _text_setting(data, name) for name in _TEXT_SETTINGS}
    title, group_title = texts["title"], texts["group_title"]
    return Legend(groups, statuses, texts["source_label"] or "Source", path, title, group_title, none)


def _none_status(entry: dict) -> Status:
    """The reserved ``none``: a label and a colour of its own, no rank (it is no status a group holds)."""
    section = f"statuses.{NONE_STATUS}"
    if "rank" in entry:
        msg = f"the status key '{NONE_STATUS}' is reserved (reported: no status): it takes a label and a color, no rank"
        raise _Refusal(msg, section, "rank")
    _check_fields(entry, {"label", "color"}, section)
    label = _label(entry, section) if "label" in entry else NONE_LABEL
    return Status(NONE_STATUS, label, _colour(entry.get("color"), section) or NONE_COLOUR, 0)


_TEXT_SETTINGS = ("source_label", "title", "group_title")


def _line_of(text: str, section: str, field: str = "") -> int | None:
    """The line of ``section`` (``groups.KEY``, ``groups`` or a top-level setting) in a legend's text, or of
    ``field`` inside it when the field is written there; None when it cannot be told."""
    if not text or not section:
        return None
    lines = text.splitlines()
    parts = [re.escape(p) for p in section.split(".")]
    dotted = r"\s*\.\s*".join(rf"[\"']?{p}[\"']?" for p in parts)
    header = re.compile(rf"^\s*\[\s*{dotted}\s*\]")
    inline = re.compile(rf"^\s*{dotted}\s*[.=]")
    if len(parts) == 1:
        header = re.compile(rf"^\s*\[\s*{dotted}\s*[.\]]")
    start = next((i for i, line in enumerate(lines) if header.match(line) or inline.match(line)), None)
    if start is None:
        return None
    if field:
        key = re.compile(rf"^\s*[\"']?{re.escape(field)}[\"']?\s*=")
        for i in range(start + 1, len(lines)):
            if lines[i].lstrip().startswith("["):
                break
            if key.match(lines[i]):
                return i + 1
    return start + 1


def _text_setting(data: dict, name: str) -> str | None:
    value = data.get(name)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise _Refusal(f"{name} must be a non-empty text", name)
    return value


def _table(data: dict, name: str) -> dict:
    table = data.get(name)
    if not isinstance(table, dict) or not table:
        example = (
            '[groups.taliban]\nlabel = "Taliban"'
            if name == "groups"
            else ('[statuses.captured]\nlabel = "Captured"\nrank = 2')
        )
        raise _Refusal(f"the legend declares no {name}; add at least one, e.g.\n{example}", name)
    for key, entry in table.items():
        _check_key(key, name)
        if not isinstance(entry, dict):
            raise _Refusal(f"[{name}.{key}] must be a table with a label", f"{name}.{key}")
    return table


def _check_key(key: str, kind: str) -> None:
    section = f"{kind}.{key}"
    if len(key) > MAX_KEY_CHARS:
        raise _Refusal(
            f"{kind} key '{key[:20]}…' is {len(key)} characters long, more than {MAX_KEY_CHARS} "
            "(it names files and fields); shorten it",
            section,
        )
    if not _KEY.match(key):
        raise _Refusal(
            f"{kind} key '{key}' must be lower-case letters, digits, '-' or '_' (it is what the table's rows write)",
            section,
        )


def _check_group_names(groups: tuple[Group, ...]) -> None:
    """Refuse a group whose map or fields would take the name of a build file or an export field."""
    reserved = reserved_names()
    keys = {g.key for g in groups}
    for group in groups:
        taken = reserved.get(group.key)
        if taken is None:
            owner = next((k for k in keys for s in GROUP_FIELD_SUFFIXES if k + s == group.key), None)
            taken = f"the field '{group.key}' of group '{owner}'" if owner else None
        if taken:
            raise _Refusal(
                f"group key '{group.key}' clashes with {taken}: its map and export fields would overwrite it; "
                f"choose another key (reserved: {', '.join(sorted(reserved))})",
                f"groups.{group.key}",
            )


def _check_distinct_colours(kind: str, colours: list[tuple[str, str]]) -> None:
    """Two statuses (or groups) of the same colour look the same on every map; a status coloured like
    districts without a record looks like no record."""
    seen: dict[str, str] = {}
    for key, colour in colours:
        other = seen.setdefault(colour.upper(), key)
        if other != key:
            raise _Refusal(
                f"{kind} '{other}' and '{key}' have the same colour {colour.upper()}, so maps cannot tell them "
                f"apart; give each its own color (or leave it out: statuses without one take a palette colour)",
                f"{kind}.{key}",
                "color",
            )
        if kind == "statuses" and colour.upper() == NO_RECORD_COLOUR.upper():
            raise _Refusal(
                f"status '{key}' has the colour of '{NO_RECORD_LABEL}' ({NO_RECORD_COLOUR}); choose another color",
                f"{kind}.{key}",
                "color",
            )


def _group(key: str, entry: dict) -> Group:
    section = f"groups.{key}"
    _check_fields(entry, {"label", "color", "note"}, section)
    note = entry.get("note")
    if note is not None and not isinstance(note, str):
        raise _Refusal(f"[{section}] note must be a text", section, "note")
    return Group(key, _label(entry, section), _colour(entry.get("color"), section), note)


def _statuses(table: dict) -> tuple[Status, ...]:
    ranks: dict[str, int] = {}
    for key, entry in table.items():
        section = f"statuses.{key}"
        _check_fields(entry, {"label", "color", "rank"}, section)
        rank = entry.get("rank")
        if not isinstance(rank, int) or isinstance(rank, bool):
            raise _Refusal(f"[{section}] needs an integer rank (higher = more severe)", section, "rank")
        same = next((k for k, r in ranks.items() if r == rank), None)
        if same is not None:
            raise _Refusal(
                f"statuses '{same}' and '{key}' have the same rank {rank}; the combined map needs one order "
                "of severity: give each status its own rank (higher = more severe)",
                section,
                "rank",
            )
        ranks[key] = rank
    by_severity = sorted(table, key=lambda k: -ranks[k])
    spare = iter(c for c in PALETTE if c.lower() not in {str(e.get("color", "")).lower() for e in table.values()})
    default = {k: next(spare, None) for k in by_severity if not table[k].get("color")}
    short = [k for k, colour in default.items() if colour is None]
    if short:
        raise _Refusal(
            f"the palette has {len(PALETTE)} colours and no colour is left for status '{short[0]}'; give it a color",
            f"statuses.{short[0]}",
        )
    return tuple(
        Status(
            key,
            _label(entry, f"statuses.{key}"),
            _colour(entry.get("color"), f"statuses.{key}") or default[key],
            ranks[key],
        )
        for key, entry in table.items()
    )


def _check_fields(entry: dict, allowed: set[str], name: str) -> None:
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise _Refusal(
            f"[{name}] has unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}",
            name,
            unknown[0],
        )


def _label(entry: dict, name: str) -> str:
    label = entry.get("label")
    if not isinstance(label, str) or not label.strip():
        raise _Refusal(f'[{name}] needs a label, e.g. label = "..."', name, "label")
    return label


def _colour(value, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _COLOUR.match(value):
        raise _Refusal(f'[{name}] color must be a hex colour like "#D55E00", not {value!r}', name, "color")
    return value.upper()
