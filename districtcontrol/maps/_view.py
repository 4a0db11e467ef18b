"""What a map shows, independent of how it is drawn: names, colours by status, legend rows, texts.

Every function takes the legend (:class:`districtcontrol.data.legend.Legend`) it needs: no
group or status is named in code.
"""

from __future__ import annotations

from dataclasses import dataclass

from districtcontrol._style import COMBINED, NO_RECORD_COLOUR, NO_RECORD_LABEL
from districtcontrol.data.legend import NONE_STATUS, Legend
from districtcontrol.data.table import default_table_path

MULTI_GROUP_LABEL = "More than one group (hatched)"
AMBIGUOUS = "named_ambiguously"  # a row's key: the source's ambiguous names the district is a candidate of
AMBIGUOUS_LABEL = "Named ambiguously by the source (dashed outline)"
DASHED = "dashed"  # the legend's swatch of districts named ambiguously
REPORT_LABEL = (
    "As reported in a 2017 policy paper on Russia's role in Afghanistan, "
    "table \u201cCaptured Districts by the Militants\u201d (events of 2015 to April 2017)"
)
REPORT_ATTRIBUTION = "Data: 2017 policy paper, \u201cCaptured Districts by the Militants\u201d"


def all_map_names(legend: Legend) -> tuple[str, ...]:
    """Every map a legend can have: the combined map, then one per group in the legend's order."""
    return (COMBINED, *legend.group_keys)


def map_names(data) -> tuple[str, ...]:
    """The maps of a region: the combined map, then one per group with a record there (a district's
    status or a province-level note), in the legend's order. ``data``: a ControlData or PreparedRegion."""
    return (COMBINED, *(g for g in data.legend.group_keys if g not in groups_without_records(data)))


def groups_without_records(data) -> tuple[str, ...]:
    """The legend's groups with no record in the region: they get no map of their own."""
    data = getattr(data, "data", data)
    districts = data.districts
    noted = {n.group for n in data.notes}
    return tuple(
        g
        for g in data.legend.group_keys
        if g not in noted and not districts[g].map(lambda v: isinstance(v, str) and bool(v)).any()
    )


def map_groups(name: str, legend: Legend) -> tuple[str, ...]:
    """The groups map ``name`` shows: every group on the combined map, else the one."""
    return legend.group_keys if name == COMBINED else (name,)


@dataclass(frozen=True)
class Captions:
    """What the user writes on the maps; None keeps the default (see :func:`map_text`)."""

    title: str | None = None
    subtitle: str | None = None
    credit: str | None = None


@dataclass(frozen=True)
class MapText:
    """Title, subtitle, attribution and the legend's caveats of one map."""

    title: str
    subtitle: str
    attribution: str
    notes: tuple[str, ...] = ()


def map_text(
    name: str,
    legend: Legend,
    table=None,
    captions: Captions | None = None,
    boundary_credit: str = "",
    population_credit: str = "",
    when: str = "",
    unplaced: str = "",
) -> MapText:
    """The texts of map ``name`` (combined or a group).

    Title: the user's (a group map puts the group's label first), else the legend's. The
    shipped table keeps the report's wording; any other table gets a neutral credit
    ("Data: <file name>") and no subtitle unless the user gives them. ``table`` is the
    table's path, or None for rows passed in code. ``when`` says what date the map shows
    ("as of 16 August 2021"); it ends the subtitle unless the subtitle says it already.
    ``unplaced`` (:func:`unplaced_note`) ends the notes.
    """
    captions = captions or Captions()
    group = None if name == COMBINED else name
    if captions.title:
        title = captions.title if group is None else f"{legend.group_label(group)}: {captions.title}"
    else:
        title = legend.map_title(group)
    shipped = table is not None and str(table) == str(default_table_path())
    table_name = getattr(table, "name", None) or "rows given in code"
    subtitle = captions.subtitle if captions.subtitle is not None else (REPORT_LABEL if shipped else "")
    subtitle = with_when(subtitle, when)
    credit = captions.credit or (REPORT_ATTRIBUTION if shipped else f"Data: {table_name}")
    shown = [g for g in legend.groups if g.note and g.key in map_groups(name, legend)]
    notes = tuple(g.note if group else f"{g.label}: {g.note}" for g in shown) + ((unplaced,) if unplaced else ())
    attribution = " · ".join(x for x in (credit, boundary_credit, population_credit) if x)
    return MapText(title, subtitle, attribution, notes)


def with_when(subtitle: str, when: str) -> str:
    """The subtitle ending with the date the map shows ("… · as of 16 August 2021"), unless it says it already."""
    if not when or when.casefold() in subtitle.casefold():
        return subtitle
    return f"{subtitle} · {when}" if subtitle else when[0].upper() + when[1:]


def map_status(row, name: str, legend: Legend) -> str | None:
    """The status a district is coloured by in map ``name``.

    A group map shows that group's status; the combined map shows the highest-ranked status
    any group holds there (:meth:`Legend.strongest`; the tooltip lists every group). A
    district whose deciding rows say ``none`` shows ``none`` (reported: no status); one no row
    names shows None (no record).
    """
    return legend.shown(row[group] for group in map_groups(name, legend))


def held_status(row, name: str, legend: Legend) -> str | None:
    """The status a group holds in a district in map ``name`` (None for ``none`` and no record)."""
    return legend.strongest(row[group] for group in map_groups(name, legend))


def groups_present(row, legend: Legend) -> list[str]:
    """The groups with a record in a district."""
    return [g for g in legend.group_keys if _clean(row[g])]


def _clean(value) -> str | None:
    return value if isinstance(value, str) and value and value != NONE_STATUS else None


def status_counts(rows, name: str, legend: Legend) -> dict[str, int]:
    """Number of districts per status in map ``name``, in the legend's order (``rows``: one dict per district)."""
    counts = dict.fromkeys((*legend.status_keys, NONE_STATUS), 0)
    for row in rows:
        status = map_status(row, name, legend)
        if status:
            counts[status] += 1
    return counts


def legend_entries(rows, name: str, legend: Legend) -> list[tuple[str, str, str]]:
    """(colour, label, figures) for the legend of map ``name``; statuses with no district are left out.

    ``figures`` reads "15 districts · 1.4 M people" (people only where population is known).
    Districts the source reports as holding no status (``none``) have their own row, apart
    from those with no record.
    """
    entries = []
    for status in (*legend.status_keys, NONE_STATUS):
        mine = [row for row in rows if map_status(row, name, legend) == status]
        if mine:
            entries.append((legend.status_color(status), legend.status_label(status), figures(mine)))
    if name == COMBINED:
        multi = [row for row in rows if len(groups_present(row, legend)) > 1]
        if multi:
            entries.append(("hatch", MULTI_GROUP_LABEL, figures(multi)))
    ambiguous = [row for row in rows if row.get(AMBIGUOUS)]
    if ambiguous:
        entries.append((DASHED, AMBIGUOUS_LABEL, f"{len(ambiguous)} district{'s' * (len(ambiguous) != 1)}"))
    unrecorded = [row for row in rows if not map_status(row, name, legend)]
    entries.append((NO_RECORD_COLOUR, NO_RECORD_LABEL, figures(unrecorded)))
    return entries


def unplaced_note(data) -> str:
    """The maps' note on the source's names not placed ("" when every name was placed)."""
    from districtcontrol.geo._unplaced import counted

    entries = getattr(data, "unplaced", ())
    if not entries:
        return ""
    told = counted(entries, [r.record.date for r in data.records])
    return f"{told[0].upper()}{told[1:]}: not on the map (listed on the index page and in the .unplaced.csv file)."


def ambiguous_said(entry, legend: Legend) -> str:
    """What the source said last of a name not placed: "Held by the Taliban on 2021-08-16 (control=1)"."""
    status = legend.status_label(entry.last_status) if entry.last_status else "no status"
    when = f" on {entry.last_date}" if entry.last_date else ""
    return f"{status}{when} (as written: '{entry.last_value}')"


def figures(rows) -> str:
    """ "15 districts · 1.4 M people" for a list of district rows (people left out where unknown)."""
    count = f"{len(rows)} district{'s' * (len(rows) != 1)}"
    people = [row["population"] for row in rows if _known(row.get("population"))]
    if not people:
        return count
    partly = " (some unknown)" if len(people) < len(rows) else ""
    return f"{count} · {people_in_words(sum(int(p) for p in people))} people{partly}"


def people_in_words(n: int) -> str:
    """People as a reader takes them in at once: 1.4 M, 240,000, 8,100."""
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} M"
    if n >= 10_000:
        return f"{round(n, -3):,}"
    return f"{n:,}"


def _known(value) -> bool:
    try:
        return value is not None and value == value and str(value) != "<NA>"
    except (TypeError, ValueError):
        return False


def fill_colour(row, name: str, legend: Legend) -> str:
    """The fill of a district in map ``name``: its status's colour, or the no-record grey."""
    status = map_status(row, name, legend)
    return legend.status_color(status) if status else NO_RECORD_COLOUR


def labelled(row, name: str, legend: Legend) -> bool:
    """Whether a district gets a name label in map ``name`` (every district where a group holds a status)."""
    return held_status(row, name, legend) is not None


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


PART_OF_DASH = "5 4"


def part_of(row) -> str:
    """The crosswalk districts inside this one that its records name ('' when the records are of the whole)."""
    value = row.get("part_of") if hasattr(row, "get") else None
    return value if isinstance(value, str) else ""
