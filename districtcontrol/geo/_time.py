"""Time in a control table: what a date covers, the statuses as of a date, and the dates a timeline steps through.

The rules (the README's "Time" section says the same):

* A row's date is a period: ``2021-08-16`` a day, ``2015-10`` a month, ``2015`` a year. A row
  holds from the first day of its period on.
* As of DATE, a group's status in a district is the one of its deciding row among the rows
  that hold by the *last* day of DATE's period (``2015-10``: 31 October 2015): the latest
  date wins, the later line among equal dates. Rows dated later are ignored for the status;
  the district's history keeps them, marked ``after_as_of``. A ``none`` row clears the status
  from its date on.
* Undated rows hold from the start of the table's period, so at every date the table covers.
  A date before the table's first date is refused: nothing the table says holds then.
* By default a table is shown as of its latest date, which counts every row.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from districtcontrol.data.legend import NONE_STATUS

log = logging.getLogger(__name__)

MAX_STEPS = 60  # more distinct dates than this: one step per week (or month, or year)
STEP_UNITS = ("week", "month", "year")


@dataclass(frozen=True)
class Period:
    """The days a date covers: ``text`` as written (ISO 8601, partial allowed), first and last day."""

    text: str
    start: dt.date
    end: dt.date

    @property
    def words(self) -> str:
        """The date as a reader says it: "16 August 2021", "October 2015", "2015"."""
        parts = self.text.split("-")
        if len(parts) == 1:
            return parts[0]
        if len(parts) == 2:
            return f"{calendar.month_name[self.start.month]} {self.start.year}"
        return f"{self.start.day} {calendar.month_name[self.start.month]} {self.start.year}"


def period(text: str) -> Period:
    """The period of an ISO 8601 date (``2015``, ``2015-10`` or ``2015-10-05``); the text must be valid."""
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 1:
        return Period(text, dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31))
    if len(parts) == 2:
        last = calendar.monthrange(parts[0], parts[1])[1]
        return Period(text, dt.date(parts[0], parts[1], 1), dt.date(parts[0], parts[1], last))
    day = dt.date(*parts)
    return Period(text, day, day)


def day_period(day: dt.date) -> Period:
    """The period of one day."""
    return Period(day.isoformat(), day, day)


def holds(date: str, as_of: dt.date | None) -> bool:
    """Whether a row dated ``date`` ("" when undated) holds on day ``as_of`` (None: every row holds)."""
    return as_of is None or not date or period(date).start <= as_of


def table_span(dates: Iterable[str]) -> tuple[Period, Period] | None:
    """The first and the last date among ``dates`` (empty ones skipped), or None if there is none."""
    periods = [period(d) for d in set(dates) if d]
    if not periods:
        return None
    return min(periods, key=lambda p: (p.start, p.end)), max(periods, key=lambda p: (p.end, p.start))


def resolve_as_of(text: str, dates: Sequence[str], option: str = "--as-of") -> Period:
    """The period of an ``--as-of`` date, checked against the table's dates.

    Raises :class:`~districtcontrol.DistrictControlError` for a malformed or impossible date,
    for a table without dates, for a date before the table's first one and for a date in the
    future; a date after the table's last one is logged as such (the maps show the last statuses).
    """
    from districtcontrol import DistrictControlError
    from districtcontrol.data._dates import _read_date

    text = str(text).strip()
    problem = _read_date(text, None, in_range=False)[1]
    if problem:
        raise DistrictControlError(f"{problem}: write YYYY, YYYY-MM or YYYY-MM-DD", option)
    span = table_span(dates)
    if span is None:
        raise DistrictControlError(f"the table has no dates, so there is nothing to show as of {text}", option)
    asked, (first, last) = period(text), span
    choose = f"choose a date from {first.words} to {last.words}"
    if asked.end < first.start:
        raise DistrictControlError(f"{text} is before the table's first date ({first.words}): {choose}", option)
    if asked.start > dt.date.today():
        raise DistrictControlError(
            f"{text} is in the future, after the table's last date ({last.words}): {choose}", option
        )
    if asked.start > last.end:
        log.warning(
            "%s %s is after the table's last date (%s): the maps show the statuses it ends with",
            option,
            text,
            last.words,
        )
    return asked


def when_words(dates: Sequence[str], as_of: Period | None) -> tuple[str | None, str]:
    """(the date the statuses are as of, as ISO text, or None; how the outputs say it).

    Asked for a date: "as of 16 August 2021". Otherwise the table's latest date: "as of
    16 August 2021" when every row is dated, "events of 2015 to April 2017" when some are
    not (their dates are unknown, so the map shows what the table says over its period);
    nothing for a table without dates.
    """
    if as_of is not None:
        return as_of.text, f"as of {as_of.words}"
    span = table_span(dates)
    if span is None:
        return None, ""
    first, last = span
    if all(dates):
        return last.text, f"as of {last.words}"
    if first == last:
        return last.text, f"events up to {last.words}"
    return last.text, f"events of {first.words} to {last.words}"


@dataclass(frozen=True)
class TimeSteps:
    """The dates a timeline shows and every district's statuses at each.

    ``periods``: what each step shows, as of its last day; ``unit``: ``date`` (one step per
    distinct date of the rows), ``week``, ``month`` or ``year`` (the last date of each);
    ``statuses``: per step, ``{(pcode, group): status}`` for every pair with a status.
    """

    periods: tuple[Period, ...]
    unit: str
    statuses: tuple[dict[tuple[str, str], str], ...]

    @property
    def days(self) -> tuple[dt.date, ...]:
        return tuple(p.end for p in self.periods)

    def status(self, step: int, pcode: str, group: str) -> str | None:
        """A group's status in a district at a step (None: no status)."""
        return self.statuses[step].get((pcode, group))


def series_rows(records, provinces: Iterable[str]) -> list:
    """The district rows (ResolvedRecord) of a region's provinces, province-level notes left out."""
    wanted = set(provinces)
    return [r for r in records if not r.record.is_province_note and r.resolution.province_pcode in wanted]


def series_dates(rows, as_of: Period | None) -> tuple[list[Period], str]:
    """(the distinct dates of ``rows`` up to ``as_of``, in order; why there is no timeline, or "").

    A timeline needs two or more distinct dates and every row dated: an undated row's date is
    unknown, so a table with undated rows is a compilation of events, not a series.
    """
    undated = sum(1 for r in rows if not r.record.date)
    if undated:
        return (
            [],
            f"{undated} of the region's {len(rows)} district rows have no date (a timeline needs every row dated)",
        )
    by_end: dict[dt.date, Period] = {}
    for text in sorted({r.record.date for r in rows}):  # a day's text after its month's: it names the step
        p = period(text)
        if as_of is not None and p.start > as_of.end:
            continue  # after the date shown
        by_end[min(p.end, as_of.end) if as_of else p.end] = as_of if as_of and p.end > as_of.end else p
    if as_of is not None and by_end and max(by_end) < as_of.end:
        by_end[as_of.end] = as_of  # the last step is the date the map shows
    periods = [by_end[day] for day in sorted(by_end)]
    if len(periods) < 2:
        return [], "the region's rows carry fewer than two distinct dates"
    return periods, ""


def thin_steps(periods: list[Period], max_steps: int = MAX_STEPS) -> tuple[list[Period], str]:
    """At most about ``max_steps`` periods: all of them, or the last of each week, month or year."""
    if len(periods) <= max_steps:
        return periods, "date"
    for unit in STEP_UNITS:
        kept = list({_bin(p.end, unit): p for p in periods}.values())
        if len(kept) <= max_steps or unit == STEP_UNITS[-1]:
            return kept, unit
    raise AssertionError("unreachable")


def _bin(day: dt.date, unit: str) -> tuple[int, ...]:
    if unit == "week":
        return tuple(day.isocalendar())[:2]
    return (day.year, day.month) if unit == "month" else (day.year,)


def statuses_at(rows, days: Sequence[dt.date]) -> list[dict[tuple[str, str], str]]:
    """Per day (ascending), each (pcode, group)'s status as of that day, by the rules above."""
    order = sorted(rows, key=lambda r: period(r.record.date).start if r.record.date else dt.date.min)
    deciding: dict[tuple[str, str], tuple[str, int, str]] = {}
    out, i = [], 0
    for day in days:
        while i < len(order) and holds(order[i].record.date, day):
            rec = order[i].record
            key = (order[i].pcode, rec.group)
            if key not in deciding or (rec.date, rec.line) > deciding[key][:2]:
                deciding[key] = (rec.date, rec.line, rec.status)
            i += 1
        out.append({key: s for key, (_, _, s) in deciding.items()})
    return out


def time_steps(data, *, max_steps: int | None = MAX_STEPS) -> TimeSteps | None:
    """The timeline of a loaded region (ControlData), up to its as-of date; None when it has none.

    ``max_steps=None`` keeps every distinct date (the change table and chart do).
    """
    steps, _ = _steps(data, max_steps)
    return steps


def no_timeline_reason(data) -> str:
    """Why a region has no timeline ("" when it has one)."""
    return _steps(data, MAX_STEPS)[1]


def _steps(data, max_steps: int | None) -> tuple[TimeSteps | None, str]:
    rows = series_rows(data.records, data.provinces)
    as_of = period(data.as_of) if data.as_of else None
    periods, why = series_dates(rows, as_of)
    if not periods:
        return None, why
    unit = "date"
    if max_steps is not None:
        periods, unit = thin_steps(periods, max_steps)
    statuses = statuses_at(rows, [p.end for p in periods])
    return TimeSteps(tuple(periods), unit, tuple(statuses)), ""


@dataclass(frozen=True)
class Change:
    """A group's status in a district changing at a step: ``status`` is the new one (``none``: cleared)."""

    pcode: str
    group: str
    date: str
    status: str


def changes(steps: TimeSteps) -> list[Change]:
    """Every change of status from one step to the next (the first step: from no status), in date order."""
    out, before = [], {}
    for p, now in zip(steps.periods, steps.statuses):
        for key in sorted(set(before) | set(now)):
            if before.get(key) != now.get(key):
                out.append(Change(key[0], key[1], p.text, now.get(key, NONE_STATUS)))
        before = now
    return out
