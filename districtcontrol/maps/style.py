"""What every map shares: palette, categories, titles, labels and the text of tooltips and popups.

One colour-blind-safe palette (Okabe-Ito) is used by the HTML and the static maps alike.
Every text that comes from a table or a boundary file passes through :func:`html.escape`
before it reaches HTML.
"""

from __future__ import annotations

import csv
import html
from dataclasses import dataclass
from importlib import resources

from districtcontrol.data.table import GROUP_LABELS, GROUPS, STATUSES, default_table_path
from districtcontrol.geo.boundaries import ATTRIBUTION
from districtcontrol.geo.join import latest_record

MAP_NAMES = ("combined", *GROUPS)

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
STATUS_COLOURS = {
    "captured": "#D55E00",  # vermillion
    "retaken": "#0072B2",  # blue
    "contested": "#E69F00",  # orange
    "present": "#56B4E9",  # sky blue
}
NO_RECORD_COLOUR = "#EFEFEF"
DISTRICT_EDGE = "#9A9A9A"
PROVINCE_EDGE = "#333333"
MULTI_GROUP_HATCH = "#1A1A1A"
STATUS_LABELS = {
    "captured": "Captured",
    "retaken": "Captured, then retaken",
    "contested": "Contested (attacked, not captured)",
    "present": "Present / active",
}
MULTI_GROUP_LABEL = "More than one group (hatched)"
NO_RECORD_LABEL = "No record"

REPORT_LABEL = (
    "As reported in a 2017 policy paper on Russia's role in Afghanistan, "
    "table \u201cCaptured Districts by the Militants\u201d (events of 2015 to April 2017)"
)
REPORT_ATTRIBUTION = "Data: 2017 policy paper, \u201cCaptured Districts by the Militants\u201d"


@dataclass(frozen=True)
class MapText:
    """Title, source line and attribution of one map."""

    title: str
    source: str
    attribution: str


def map_text(name: str, table_path=None, source: str | None = None) -> MapText:
    """The title, source line and attribution for map ``name`` (combined or a group)."""
    shipped = table_path is None or str(table_path) == str(default_table_path())
    if name == "combined":
        title = "Districts captured, contested or with a presence of armed groups"
    else:
        title = f"{GROUP_LABELS[name]}: districts captured, contested or with a presence"
    if source is None:
        source = REPORT_LABEL if shipped else f"As recorded in {getattr(table_path, 'name', table_path)}"
    data_line = REPORT_ATTRIBUTION if shipped else f"Data: {getattr(table_path, 'name', table_path)}"
    return MapText(title, source, f"{data_line} · {ATTRIBUTION}")


def map_status(row, name: str) -> str | None:
    """The status a district is coloured by in map ``name``.

    A group map shows that group's status; the combined map shows the status of the first
    group with a record, in the order Taliban, IS, IMU (the tooltip lists every group).
    """
    if name != "combined":
        return _clean(row[name])
    for group in GROUPS:
        if _clean(row[group]):
            return _clean(row[group])
    return None


def groups_present(row) -> list[str]:
    """The groups with a record in a district."""
    return [g for g in GROUPS if _clean(row[g])]


def _clean(value) -> str | None:
    return value if isinstance(value, str) and value else None


def status_counts(rows, name: str) -> dict[str, int]:
    """Number of districts per status in map ``name``, in palette order (``rows``: one dict per district)."""
    counts = dict.fromkeys(STATUSES, 0)
    for row in rows:
        status = map_status(row, name)
        if status:
            counts[status] += 1
    return counts


def legend_entries(rows, name: str) -> list[tuple[str, str, int]]:
    """(colour, label, count) for the legend of map ``name``; statuses with no district are left out.

    ``rows`` holds one dict per district (:attr:`districtcontrol.geo.ControlData.rows`).
    """
    counts = status_counts(rows, name)
    entries = [(STATUS_COLOURS[s], STATUS_LABELS[s], n) for s, n in counts.items() if n]
    if name == "combined":
        multi = sum(1 for row in rows if len(groups_present(row)) > 1)
        if multi:
            entries.append(("hatch", MULTI_GROUP_LABEL, multi))
    unrecorded = sum(1 for row in rows if not map_status(row, name))
    entries.append((NO_RECORD_COLOUR, NO_RECORD_LABEL, unrecorded))
    return entries


def labelled(row, name: str) -> bool:
    """Whether a district gets a name label in map ``name`` (every district with a record)."""
    return map_status(row, name) is not None


def note_points(data, name: str) -> list[tuple[float, float, str, object]]:
    """(lat, lon, label text, note) of each province-level note map ``name`` shows, stacked below the province's centre."""
    points = dict(zip(data.provinces["province_pcode"], data.provinces.geometry.representative_point()))
    out = []
    for i, note in enumerate(n for n in data.notes if name in ("combined", n.group)):
        pt = points[note.province_pcode]
        text = f"{GROUP_LABELS[note.group]}: {STATUS_LABELS[note.status].lower()} ({note.province} province)"
        out.append((pt.y - 0.3 - 0.25 * i, pt.x, text, note))
    return out


def neighbours() -> list[tuple[str, float, float]]:
    """Neighbouring countries to name beyond the border: (name, lat, lon)."""
    path = resources.files("districtcontrol.data").joinpath("neighbours.csv")
    with path.open(encoding="utf-8") as fh:
        return [(r["name"], float(r["lat"]), float(r["lon"])) for r in csv.DictReader(fh)]


# -- tooltip and popup text (HTML, escaped) ------------------------------------------------


def esc(value) -> str:
    """HTML-escape any value (None becomes an empty string).

    Braces become character references too: folium renders generated script through Jinja a
    second time, where "{{ ... }}" from a table would otherwise be evaluated.
    """
    text = html.escape("" if value is None else str(value), quote=True)
    return text.replace("{", "&#123;").replace("}", "&#125;")


def tooltip_fields(name: str) -> tuple[list[str], list[str]]:
    """Property names and their labels shown on hover in map ``name``."""
    groups = GROUPS if name == "combined" else (name,)
    return (
        ["district", "dari", "province", "pcode", *groups],
        ["District", "Dari", "Province", "P-code", *(GROUP_LABELS[g] for g in groups)],
    )


def tooltip_properties(row, name: str) -> dict[str, str]:
    """Hover values (escaped): district in English and Dari, province, P-code and each group's status."""
    fields, _ = tooltip_fields(name)
    values = {
        "district": esc(row["district"]),
        "dari": esc(row["district_dari"]),
        "province": esc(row["province"]),
        "pcode": esc(row["pcode"]),
    }
    for group in fields[4:]:
        status = _clean(row[group])
        values[group] = esc(STATUS_LABELS[status]) if status else "no record"
    return values


def popup_html(row, name: str) -> str:
    """Click text: the report's note, date and endnote for each group with a record."""
    parts = [f"<b>{esc(row['district'])}</b> ({esc(row['province'])})"]
    groups = GROUPS if name == "combined" else (name,)
    for group in groups:
        entry = latest_record(row["history"], group)
        if entry is None:
            continue
        meta = ", ".join(
            x
            for x in (
                esc(entry["date"]) if entry["date"] else "",
                f"endnote {esc(entry['source'])}" if entry["source"] else "",
            )
            if x
        )
        parts.append(
            f"<p><b>{esc(GROUP_LABELS[group])}: {esc(STATUS_LABELS[entry['status']])}</b>"
            f"{' (' + meta + ')' if meta else ''}<br>{esc(entry['note'])}</p>"
        )
    if len(parts) == 1:
        parts.append("<p>No record in the table.</p>")
    return "".join(parts)


def note_html(note) -> str:
    """Popup text of a province-level note."""
    meta = ", ".join(x for x in (esc(note.date), f"endnote {esc(note.source)}" if note.source else "") if x)
    return (
        f"<b>{esc(note.province)} province · {esc(GROUP_LABELS[note.group])}: {esc(STATUS_LABELS[note.status])}</b>"
        f"{' (' + meta + ')' if meta else ''}<br>{esc(note.note)}"
    )
