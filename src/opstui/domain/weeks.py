"""ISO review weeks: naming them, walking between them, and the Friday pre-read deadline.

A review week is named by its ISO week ("2026-W28"). The Monday review of that week reads a
pre-read submitted by 17:00 on the Friday before. All datetimes here are naive local time,
as everywhere in a workspace.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

PREREAD_DUE_TIME = time(17, 0)
"""The pre-read is due at this time on the Friday before the review week's Monday."""

_ISO_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_WEEK = timedelta(days=7)


def iso_week(d: date) -> str:
    """The ISO week `d` falls in, e.g. "2026-W28" (the ISO year, not the calendar year)."""
    year, week, _ = d.isocalendar()
    return f"{year}-W{week:02d}"


def week_monday(week: str) -> date:
    """The Monday of ISO week `week` ("2026-W28" → 2026-07-06).

    Raises ValueError for text that is not an ISO week, or a week the year does not have.
    """
    match = _ISO_WEEK.match(week)
    if match is None:
        raise ValueError(f"not an ISO week like 2026-W28: {week!r}")
    year, number = int(match[1]), int(match[2])
    try:
        return date.fromisocalendar(year, number, 1)
    except ValueError:
        raise ValueError(f"{year} has no week {number}") from None


def week_days(week: str) -> tuple[date, date]:
    """The first and last day of ISO week `week`: (Monday, Sunday)."""
    monday = week_monday(week)
    return monday, monday + timedelta(days=6)


def previous_week(week: str) -> str:
    """The ISO week before `week`, across year ends ("2027-W01" → "2026-W53")."""
    return iso_week(week_monday(week) - _WEEK)


def next_week(week: str) -> str:
    """The ISO week after `week`, across year ends ("2026-W53" → "2027-W01")."""
    return iso_week(week_monday(week) + _WEEK)


def preread_deadline(week: str, due: time = PREREAD_DUE_TIME) -> datetime:
    """When the pre-read for `week`'s Monday review is due: `due` (17:00 unless the
    configuration says otherwise) on the Friday before.

    For 2026-W28 (Monday 2026-07-06) that is 2026-07-03 17:00.
    """
    friday_before = week_monday(week) - timedelta(days=3)
    return datetime.combine(friday_before, due)


def is_late(submitted_at: datetime, week: str, due: time = PREREAD_DUE_TIME) -> bool:
    """Whether a pre-read submitted at `submitted_at` missed `week`'s deadline.

    Submitting exactly at the deadline is on time; only strictly after is late.
    """
    return submitted_at > preread_deadline(week, due)


def preread_week(today: date) -> str:
    """The review week whose pre-read is being prepared on `today`: from a Friday on, the
    next Monday's; until Thursday, the Monday just past (a late pre-read still counts for
    the review it was meant for)."""
    return iso_week(today + timedelta(days=3))


# -- review periods: a calendar month, a quarter ---------------------------------------------
#
# A week belongs to the month (and so the quarter) that holds its Thursday: ISO 8601's rule
# for the year, applied to months. Every week is in exactly one month, a month has four or
# five weeks and a quarter thirteen (fourteen in the last quarter of a 53-week year).

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
"""The months in English, spelled here rather than by `strftime` (whose names follow the
process locale): the same data gives the same words on every machine."""


def week_thursday(week: str) -> date:
    """The Thursday of ISO week `week`, the day that says which month it belongs to."""
    return week_monday(week) + timedelta(days=3)


def _weeks_between(first_day: date, last_day: date) -> tuple[str, ...]:
    """The ISO weeks whose Thursday falls from `first_day` to `last_day`, in order."""
    thursday = first_day + timedelta(days=(3 - first_day.weekday()) % 7)
    weeks = []
    while thursday <= last_day:
        weeks.append(iso_week(thursday))
        thursday += _WEEK
    return tuple(weeks)


def _month_end(year: int, month: int) -> date:
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return following - timedelta(days=1)


def month_weeks(year: int, month: int) -> tuple[str, ...]:
    """The ISO weeks of a calendar month: those whose Thursday falls in it (July 2026 →
    2026-W27 … 2026-W31: W27 runs Monday June 29 – Sunday July 5, its Thursday July 2)."""
    return _weeks_between(date(year, month, 1), _month_end(year, month))


def quarter_weeks(year: int, quarter: int) -> tuple[str, ...]:
    """The ISO weeks of a calendar quarter (1–4): its three months' weeks."""
    first = 3 * (quarter - 1) + 1
    return _weeks_between(date(year, first, 1), _month_end(year, first + 2))


def month_name(year: int, month: int) -> str:
    """ "July 2026"."""
    return f"{MONTH_NAMES[month - 1]} {year}"
