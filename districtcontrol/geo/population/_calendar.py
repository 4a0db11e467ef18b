"""The solar hijri calendar of the estimates: a year's Gregorian span, the year of a date."""

from __future__ import annotations

import datetime as dt

_JALALI_BREAKS = (-61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097, 2192, 2262, 2324, 2394)


def solar_year_start(year: int) -> dt.date:
    """The Gregorian date of 1 Farvardin (Nowruz) of a solar hijri year, e.g. 1395 → 2016-03-20.

    The arithmetic of the 2820-free, break-table calendar used by the Iranian and Afghan
    calendars, exact for the years 1 to 2393.
    """
    if not _JALALI_BREAKS[0] < year < _JALALI_BREAKS[-1]:
        raise ValueError(f"solar year {year} is out of range")
    leap_j, previous = -14, _JALALI_BREAKS[0]
    for brk in _JALALI_BREAKS[1:]:
        jump = brk - previous
        if year < brk:
            break
        leap_j += jump // 33 * 8 + (jump % 33) // 4
        previous = brk
    n = year - previous
    leap_j += n // 33 * 8 + (n % 33 + 3) // 4
    if jump % 33 == 4 and jump - n == 4:
        leap_j += 1
    gregorian = year + 621
    leap_g = gregorian // 4 - (gregorian // 100 + 1) * 3 // 4 - 150
    return dt.date(gregorian, 3, 20 + leap_j - leap_g)


def solar_year(date: dt.date) -> int:
    """The solar hijri year containing a date: 2016-03-20 to 2017-03-20 is 1395."""
    year = date.year - 621
    return year if date >= solar_year_start(year) else year - 1


def solar_year_span(year: int) -> tuple[dt.date, dt.date]:
    """The first and last Gregorian day of a solar year."""
    return solar_year_start(year), solar_year_start(year + 1) - dt.timedelta(days=1)
