"""Output formats: the one list every command, option and function reads."""

from __future__ import annotations

from pathlib import Path

from districtcontrol import DistrictControlError
from districtcontrol._style import COMBINED

STATIC_FORMATS = ("png", "svg", "pdf")
MAP_FORMATS = ("html", *STATIC_FORMATS)
BUILD_FORMATS = (*MAP_FORMATS, "geojson")
DEFAULT_BUILD_FORMATS = ("html", "png", "svg", "geojson")

# The names of a build's files that are not a group's map (``<stem>.<suffix>``, see maps/_build.py).
INDEX = "index"  # index.html
DISTRICTS = "districts"  # districts.geojson and its QGIS style districts.qml
SUMMARY = "summary"  # summary.csv
TIMELINE = "timeline"  # timeline.csv and the small multiples timeline.<fmt>
CHANGES = "changes"  # the chart of change, changes.<fmt>
TIME_FIGURES = (TIMELINE, CHANGES)
BUILD_STEMS = {
    COMBINED: "the combined map",
    DISTRICTS: "districts.geojson and districts.qml",
    SUMMARY: "summary.csv",
    TIMELINE: "timeline.csv and the small multiples",
    CHANGES: "the chart of change",
    INDEX: "the index page",
}


def reserved_names() -> dict[str, str]:
    """Names a legend's group may not have, and what already has each: a build file's stem
    (``BUILD_STEMS``) or a field every export has (:data:`districtcontrol.geo.export.FIXED_FIELDS`).

    A group named so would overwrite that file in a build, or that column in an export.
    """
    from districtcontrol.geo.export import FIXED_FIELDS

    return {**{f: f"the export field '{f}'" for f in FIXED_FIELDS}, **BUILD_STEMS}


def parse_formats(value: str) -> tuple[str, ...]:
    """The formats of a comma-separated list such as ``html,png``; unknown names are an error."""
    chosen = tuple(f.strip().lower() for f in value.split(",") if f.strip())
    unknown = [f for f in chosen if f not in BUILD_FORMATS]
    if unknown or not chosen:
        raise DistrictControlError(
            f"unknown format {', '.join(unknown) or '(none)'}; choose from {', '.join(BUILD_FORMATS)}"
        )
    return chosen


def map_format(path: str | Path) -> str:
    """The format of one map file, by its suffix (``html`` or a static format)."""
    fmt = Path(path).suffix.lstrip(".").lower()
    if fmt not in MAP_FORMATS:
        suffixes = ", ".join("." + f for f in MAP_FORMATS)
        raise DistrictControlError(f"cannot tell the format of '{Path(path).name}': use {suffixes}")
    return fmt
