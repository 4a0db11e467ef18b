"""What a map shows, independent of how it is drawn: names, colours by status, legend rows, texts.

Every function takes the legend (:class:`districtcontrol.data.legend.Legend`) it needs: no
group or status is named in code.
"""

from __future__ import annotations

from dataclasses import dataclass

from districtcontrol.data.legend import Legend
from districtcontrol.data.table import default_table_path
from districtcontrol.maps._palette import NO_RECORD_COLOUR

COMBINED = "combined"
MULTI_GROUP_LABEL = "More than one group (hatched)"
NO_RECORD_LABEL = "No record"
REPORT_LABEL = (
    "As reported in a 2017 policy paper on Russia's role in Afghanistan, "
    "table \u201cCaptured Districts by the Militants\u201d (events of 2015 to April 2017)"
)
REPORT_ATTRIBUTION = "Data: 2017 policy paper, \u201cCaptured Districts by the Militants\u201d"


def map_names(legend: Legend) -> tuple[str, ...]:
    """The maps of a region: the combined map, then one per group in the legend's order."""
    return (COMBINED, *legend.group_keys)


def map_groups(name: str, legend: Legend) -> tuple[str, ...]:
    """The groups map ``name`` shows: every group on the combined map, else the one."""
    return legend.group_keys if name == COMBINED else (name,)


@dataclass(frozen=True)
class MapText:
    """Title, source line and attribution of one map."""

    title: str
    source: str
    attribution: str


def map_text(
    name: str, legend: Legend, table_path=None, source: str | None = None, boundary_credit: str = ""
) -> MapText:
    """The title, source line and attribution for map ``name`` (combined or a group)."""
    shipped = table_path is None or str(table_path) == str(default_table_path())
    if name == COMBINED:
        title = "Districts captured, contested or with a presence of armed groups"
    else:
        title = f"{legend.group_label(name)}: districts captured, contested or with a presence"
    if source is None:
        source = REPORT_LABEL if shipped else f"As recorded in {getattr(table_path, 'name', table_path)}"
    data_line = REPORT_ATTRIBUTION if shipped else f"Data: {getattr(table_path, 'name', table_path)}"
    return MapText(title, source, f"{data_line} · {boundary_credit}")


def map_status(row, name: str, legend: Legend) -> str | None:
    """The status a district is coloured by in map ``name``.

    A group map shows that group's status; the combined map shows the status of the first
    group with a record, in the legend's order (the tooltip lists every group).
    """
    for group in map_groups(name, legend):
        if _clean(row[group]):
            return row[group]
    return None


def groups_present(row, legend: Legend) -> list[str]:
    """The groups with a record in a district."""
    return [g for g in legend.group_keys if _clean(row[g])]


def _clean(value) -> str | None:
    return value if isinstance(value, str) and value else None


def status_counts(rows, name: str, legend: Legend) -> dict[str, int]:
    """Number of districts per status in map ``name``, in the legend's order (``rows``: one dict per district)."""
    counts = dict.fromkeys(legend.status_keys, 0)
    for row in rows:
        status = map_status(row, name, legend)
        if status:
            counts[status] += 1
    return counts


def legend_entries(rows, name: str, legend: Legend) -> list[tuple[str, str, int]]:
    """(colour, label, count) for the legend of map ``name``; statuses with no district are left out."""
    counts = status_counts(rows, name, legend)
    entries = [(legend.status_color(s), legend.status_label(s), n) for s, n in counts.items() if n]
    if name == COMBINED:
        multi = sum(1 for row in rows if len(groups_present(row, legend)) > 1)
        if multi:
            entries.append(("hatch", MULTI_GROUP_LABEL, multi))
    unrecorded = sum(1 for row in rows if not map_status(row, name, legend))
    entries.append((NO_RECORD_COLOUR, NO_RECORD_LABEL, unrecorded))
    return entries


def fill_colour(row, name: str, legend: Legend) -> str:
    """The fill of a district in map ``name``: its status's colour, or the no-record grey."""
    status = map_status(row, name, legend)
    return legend.status_color(status) if status else NO_RECORD_COLOUR


def labelled(row, name: str, legend: Legend) -> bool:
    """Whether a district gets a name label in map ``name`` (every district with a record)."""
    return map_status(row, name, legend) is not None


def shows_note(note, name: str) -> bool:
    """Whether map ``name`` shows a province-level note."""
    return name in (COMBINED, note.group)


def note_points(region, name: str) -> list[tuple[float, float, str, object]]:
    """(lat, lon, label text, note) of each province-level note map ``name`` shows, stacked below the province's centre."""
    legend = region.legend
    points = dict(zip(region.provinces["province_pcode"], region.provinces.geometry.representative_point()))
    out = []
    for i, note in enumerate(n for n in region.data.notes if shows_note(n, name)):
        pt = points[note.province_pcode]
        status = legend.status_label(note.status).lower()
        text = f"{legend.group_label(note.group)}: {status} ({note.province} province)"
        out.append((pt.y - 0.3 - 0.25 * i, pt.x, text, note))
    return out


def legend_title(name: str, legend: Legend) -> str:
    """The heading of a map's legend box."""
    group = "All groups" if name == COMBINED else legend.group_label(name)
    return f"{group}: districts by status"
