"""Hover and click texts of the HTML maps, escaped: every text from a table or a boundary file
passes through :func:`esc` before it reaches HTML."""

from __future__ import annotations

import html

from districtcontrol.data.legend import Legend
from districtcontrol.geo._join import latest_record
from districtcontrol.maps._view import map_groups


def esc(value) -> str:
    """HTML-escape any value (None becomes an empty string).

    Braces become character references too: folium renders generated script through Jinja a
    second time, where "{{ ... }}" from a table would otherwise be evaluated.
    """
    text = html.escape("" if value is None else str(value), quote=True)
    return text.replace("{", "&#123;").replace("}", "&#125;")


def tooltip_fields(name: str, legend: Legend, population_year: int | None = None) -> tuple[list[str], list[str]]:
    """Property names and their labels shown on hover in map ``name`` (population when there are estimates)."""
    groups = map_groups(name, legend)
    people = (["people"], [f"Population ({population_year})"]) if population_year else ([], [])
    return (
        ["district", "dari", "province", "pcode", *people[0], *groups],
        ["District", "Dari", "Province", "P-code", *people[1], *(legend.group_label(g) for g in groups)],
    )


def tooltip_properties(row, name: str, legend: Legend) -> dict[str, str]:
    """Hover values (escaped): district in English and Dari, province, P-code and each group's status."""
    values = {
        "district": esc(row["district"]),
        "dari": esc(row["district_dari"]),
        "province": esc(row["province"]),
        "pcode": esc(row["pcode"]),
    }
    if "population" in row:
        people = row["population"]
        values["people"] = "unknown" if people is None or str(people) in ("<NA>", "nan") else f"{int(people):,}"
    for group in map_groups(name, legend):
        status = row[group]
        values[group] = esc(legend.status_label(status)) if isinstance(status, str) and status else "no record"
    return values


def _meta(date, source, legend: Legend) -> str:
    parts = [esc(date) if date else "", f"{esc(legend.source_label)} {esc(source)}" if source else ""]
    meta = ", ".join(p for p in parts if p)
    return f" ({meta})" if meta else ""


def popup_html(row, name: str, legend: Legend) -> str:
    """Click text: the table's note, date and source for each group with a record (a row saying
    ``none`` too: "Reported: no status")."""
    parts = [f"<b>{esc(row['district'])}</b> ({esc(row['province'])})"]
    for group in map_groups(name, legend):
        entry = latest_record(row["history"], group, with_none=True)
        if entry is None:
            continue
        parts.append(
            f"<p><b>{esc(legend.group_label(group))}: {esc(legend.status_label(entry['status']))}</b>"
            f"{_meta(entry['date'], entry['source'], legend)}<br>{esc(entry['note'])}{_part_line(entry)}</p>"
        )
    if len(parts) == 1:
        parts.append("<p>No record in the table.</p>")
    return "".join(parts)


def _part_line(entry: dict) -> str:
    """The popup line of a record made of a district that lies inside this one (the crosswalk's part-of)."""
    if not entry.get("part_of"):
        return ""
    return f"<br><i>Part of this district: the table names {esc(entry['part_of'])}, which lies inside it.</i>"


def note_html(note, legend: Legend) -> str:
    """Popup text of a province-level note."""
    heading = f"{esc(note.province)} province · {esc(legend.group_label(note.group))}: {esc(legend.status_label(note.status))}"
    return f"<b>{heading}</b>{_meta(note.date, note.source, legend)}<br>{esc(note.note)}"


def ambiguous_html(row, legend: Legend) -> str:
    """The popup's line of a district the source may mean by a name it gives ambiguously ("" for others)."""
    from districtcontrol.geo._unplaced import candidate_line
    from districtcontrol.maps._view import AMBIGUOUS, ambiguous_said

    entries = row.get(AMBIGUOUS)
    if not entries:
        return ""
    return f'<p class="dc-ambiguous">{esc(candidate_line(list(entries), lambda e: ambiguous_said(e, legend)))}</p>'
