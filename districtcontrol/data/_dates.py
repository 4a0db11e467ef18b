"""Reading the dates of a table: ISO 8601 (partial allowed) or a user's strftime format, always to ISO text.

Digits of any script are read as ASCII digits; a date after today or before 1900 is out of
range; a format that cannot read a four-digit year both ways round is refused before any row.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from districtcontrol import DistrictControlError

DATE_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", re.ASCII)
_ADJACENT_NUMBERS = re.compile(r"%[-#]?[dmjyY]%[-#]?[dmjyY]")


def date_problem(value: str, date_format: str | None = None) -> str | None:
    """Why ``value`` is not a valid date (ISO 8601, partial allowed, or ``date_format``), or None if it is."""
    return _read_date(value, date_format)[1]


def normalise_date(value: str, date_format: str | None = None) -> str:
    """``value`` as ISO 8601 text with ASCII digits; raise :class:`DistrictControlError` if it is no date."""
    iso, problem = _read_date(value, date_format)
    if problem:
        raise DistrictControlError(f"{problem} ({_date_hint(date_format)})")
    return iso


def _read_date(value: str, date_format: str | None) -> tuple[str, str | None]:
    """(ISO text, None) for a good date, ("", why) otherwise. Digits of any script count as digits."""
    text = _ascii_digits(value)
    if date_format:
        return _read_formatted(value, text, date_format)
    match = DATE_PATTERN.match(text)
    if not match:
        return "", f"malformed date '{value}'"
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        date = dt.date(year, month or 1, day or 1)
    except ValueError:
        return "", f"impossible date '{value}'"
    return (text, None) if _in_range(date) else ("", f"date '{value}' is out of range")


def _read_formatted(value: str, text: str, date_format: str) -> tuple[str, str | None]:
    try:
        parsed = dt.datetime.strptime(text, date_format).date()
    except ValueError:
        return "", f"date '{value}' does not match the format '{date_format}'"
    if text != parsed.strftime(date_format) and _ADJACENT_NUMBERS.search(date_format):
        return (
            "",
            f"date '{value}' can be read two ways with '{date_format}'; write it as {parsed.strftime(date_format)}",
        )
    if not _in_range(parsed):
        return "", f"date '{value}' is out of range"
    precision = 10 if re.search(r"%[-#]?[dj]", date_format) else 7 if re.search(r"%[-#]?[mbB]", date_format) else 4
    return parsed.isoformat()[:precision], None


def _check_date_format(date_format: str | None) -> None:
    """Refuse a date format that cannot read a date both ways round, or whose year is ambiguous."""
    if not date_format:
        return
    if re.search(r"%[-#]?y", date_format):
        raise DistrictControlError(
            f"date format '{date_format}': a two-digit year (%y) can be read two ways (19xx or 20xx); "
            "use %Y with four-digit years"
        )
    probe = dt.date(2015, 11, 23)
    try:
        ok = "%Y" in date_format and dt.datetime.strptime(probe.strftime(date_format), date_format).year == 2015
    except ValueError:
        ok = False
    if not ok:
        raise DistrictControlError(
            f"'{date_format}' is not a date format that reads a four-digit year (%Y); "
            "write one like %m/%d/%Y, %d.%m.%Y or %Y-%m"
        )


def _ascii_digits(value: str) -> str:
    """Full-width forms folded (NFKC) and digits of any script (٢٠١٥, ۲۰۱۵) written as ASCII digits."""
    if value.isascii():
        return value
    text = unicodedata.normalize("NFKC", value)
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)


def _in_range(date: dt.date) -> bool:
    return date.year >= 1900 and date <= dt.date.today()


def _date_hint(date_format: str | None) -> str:
    if date_format:
        return f"write dates as '{date_format}'"
    return "write YYYY, YYYY-MM or YYYY-MM-DD, or give the table's format with --date-format (e.g. %m/%d/%Y)"
