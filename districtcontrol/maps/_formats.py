"""Output formats: the one list every command, option and function reads."""

from __future__ import annotations

from pathlib import Path

from districtcontrol import DistrictControlError
from districtcontrol._style import CHANGES, TIMELINE

STATIC_FORMATS = ("png", "svg", "pdf")
MAP_FORMATS = ("html", *STATIC_FORMATS)
BUILD_FORMATS = (*MAP_FORMATS, "geojson")
DEFAULT_BUILD_FORMATS = ("html", "png", "svg", "geojson")

# The figures over time a build writes in each static format (the stems of every other file: _style).
TIME_FIGURES = (TIMELINE, CHANGES)


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
