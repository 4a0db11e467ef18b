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


def _read_date(value: str, date_format: str | None, *, in_range: bool = True) -> tuple[str, str | None]:
    """(ISO text, None) for a good date, ("", why) otherwise. Digits of any script count as digits.

    ``in_range=False`` accepts any year and dates after today (the caller checks them)."""
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
    return (text, None) if not in_range or _in_range(date) else ("", f"date '{value}' is out of range")


def _read_formatted(value: str, text: str, date_format: str) -> tuple[str, str | None]:
    try:
        parsed = dt.datetime.strptime(text, date_format)
    except ValueError:
        return "", f"date '{value}' does not match the format '{date_format}'"
    written = parsed.strftime(date_format)
    if _loose(text) != _loose(written):
        if _ADJACENT_NUMBERS.search(date_format):
            return "", f"date '{value}' can be read two ways with '{date_format}'; write it as {written}"
        return "", (
            f"date '{value}' is not exactly a date in '{date_format}': it reads as {parsed.date().isoformat()}, "
            f"which the format writes as '{written}'"
        )
    if not _in_range(parsed.date()):
        return "", f"date '{value}' is out of range"
    return parsed.date().isoformat()[: _precision(date_format)], None


def _loose(text: str) -> str:
    """Text as compared with the format's writing of the date read: case, spacing and leading zeros aside."""
    return re.sub(r"(?<!\d)0+(?=\d)", "", " ".join(text.casefold().split()))


# Directives a date format may use: what each reads. Others (locale forms, %y, %f, time zones) are refused.
_DAY, _MONTH, _YEAR, _WEEK, _WEEKDAY, _TIME = "day", "month", "year", "week", "weekday", "time"
_DIRECTIVES = {
    "Y": _YEAR,
    "G": _YEAR,
    "m": _MONTH,
    "b": _MONTH,
    "B": _MONTH,
    "d": _DAY,
    "j": _DAY,
    "U": _WEEK,
    "W": _WEEK,
    "V": _WEEK,
    "a": _WEEKDAY,
    "A": _WEEKDAY,
    "w": _WEEKDAY,
    "u": _WEEKDAY,
    "H": _TIME,
    "I": _TIME,
    "M": _TIME,
    "S": _TIME,
    "p": _TIME,
}


def _directives(date_format: str) -> list[str]:
    """The directives of a format in order (``%%`` is a literal percent sign); a lone ``%`` at the end is ``""``."""
    return [m[1] for m in re.finditer(r"%(.?)", date_format, re.DOTALL) if m[1] != "%"]


def _precision(date_format: str) -> int:
    """How many characters of an ISO date a format's dates give: 10 (day), 7 (month) or 4 (year)."""
    kinds = {_DIRECTIVES.get(d) for d in _directives(date_format)}
    if _DAY in kinds or {_WEEK, _WEEKDAY} <= kinds:
        return 10
    return 7 if _MONTH in kinds else 4


def _check_date_format(date_format: str | None) -> None:
    """Refuse a date format the reader cannot read exactly: a two-digit or missing year, a directive it
    drops or does not know, one given twice, a week number without a weekday, or one that does not read
    back the date it writes."""
    if not date_format:
        return
    problem = _format_problem(date_format)
    if problem:
        raise DistrictControlError(f"date format '{date_format}': {problem}", "--date-format")


def _format_problem(date_format: str) -> str | None:
    found = _directives(date_format)
    if "y" in found:
        return "a two-digit year (%y) can be read two ways (19xx or 20xx); use %Y with four-digit years"
    unknown = [d for d in found if d not in _DIRECTIVES]
    if unknown:
        code = "%" + unknown[0] if unknown[0] else "a lone % at the end"
        return f"{code} is not a directive dates can be read with exactly; use %Y, %m, %d, %b, %B, %j (write %% for a percent sign)"
    twice = next((d for d in found if found.count(d) > 1), None)
    if twice:
        return f"%{twice} appears twice; give each part of the date once"
    kinds = {_DIRECTIVES[d] for d in found}
    if _WEEK in kinds and _WEEKDAY not in kinds:
        return "a week number (%U, %W, %V) is read only with a weekday (%a, %A, %w or %u): without one every week reads as its year's first day"
    if ("G" in found) != ("V" in found) or ("G" in found and "Y" in found):
        return "an ISO year (%G) goes with an ISO week (%V) and a weekday, e.g. %G-W%V-%u, and not with %Y"
    if _YEAR not in kinds:
        return "it reads no four-digit year (%Y); write one like %m/%d/%Y, %d.%m.%Y or %Y-%m"
    return _probe_problem(date_format)


def _probe_problem(date_format: str) -> str | None:
    """A date written with the format and read back must be the same date, to the format's precision."""
    probe = dt.datetime(2015, 11, 23)
    try:
        back = dt.datetime.strptime(probe.strftime(date_format), date_format)
    except ValueError:
        back = None
    precision = _precision(date_format)
    if back is None or back.date().isoformat()[:precision] != probe.date().isoformat()[:precision]:
        return f"it does not read back the dates it writes ({probe.strftime(date_format)!r}); write one like %m/%d/%Y, %d.%m.%Y or %Y-%m"
    return None


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
