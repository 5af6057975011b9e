"""How figures, dates and week-over-week changes read in the export.

Month names are spelled here rather than by `strftime`, whose names follow the process
locale: the same data must give the same bytes on every machine.
"""

from __future__ import annotations

from datetime import date, datetime

from opstui.domain.bugs import trend
from opstui.domain.weeks import MONTH_NAMES

MISSING = "—"
"""What a cell shows for a figure that does not exist (no date, no previous value)."""


def number(value: float) -> str:
    """A count or measure: thousands separators, at most two decimals ("1,204", "5.9")."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def percent(value: float | None) -> str:
    """A percentage as people write it: "85%", "42.5%", "99.82%"."""
    return MISSING if value is None else f"{value:g}%"


def rounded_percent(value: float | None) -> str:
    """A rate rounded to a whole percent, as the seed's bug table shows it ("87%")."""
    # Half up, as people round: 86.5 shows as 87, not round()'s even 86.
    return MISSING if value is None else f"{int(value + 0.5)}%"


def signed(value: float) -> str:
    """A change or an NPS with its sign: "+3", "-1.5", "±0"."""
    if value == 0:
        return "±0"
    text = number(abs(value))
    return f"+{text}" if value > 0 else f"-{text}"


def score(value: float | None) -> str:
    """An NPS, −100…100, with the sign people write: "+66.7", "-33.3", "0"."""
    if value is None:
        return MISSING
    return number(value) if value <= 0 else f"+{number(value)}"


def month_day(day: date | None, year: int) -> str:
    """ "July 9" (the seed's milestone style); the year is added when it is not `year`."""
    if day is None:
        return MISSING
    text = f"{MONTH_NAMES[day.month - 1]} {day.day}"
    return text if day.year == year else f"{text}, {day.year}"


def day_month(day: date | None, year: int) -> str:
    """ "12 July" (the seed's completion-date style); the year is added when not `year`."""
    if day is None:
        return MISSING
    text = f"{day.day} {MONTH_NAMES[day.month - 1]}"
    return text if day.year == year else f"{text} {day.year}"


def full_date(day: date) -> str:
    """ "6 July 2026"."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def day_time(moment: datetime | None, year: int) -> str:
    """ "6 July 09:55"; the year is added when it is not `year`."""
    if moment is None:
        return MISSING
    return f"{day_month(moment.date(), year)} {moment:%H:%M}"


def versus(
    current: float | None,
    previous: float | None,
    previous_week: str | None,
    *,
    higher_is_better: bool = True,
    tolerance: float = 1.0,
    show_change: bool = True,
) -> str:
    """ " (↑ +2 vs 2026-W27)": the trend arrow and change against last week; "" without a
    previous value. ↑ is always better (see `domain.bugs.trend`); a change smaller than
    `tolerance` is →. `show_change=False` keeps only the arrow (for masked money)."""
    if current is None or previous is None or previous_week is None:
        return ""
    arrow = trend(current, previous, higher_is_better=higher_is_better, tolerance=tolerance)
    change = f" {signed(round(current - previous, 2))}" if show_change else ""
    return f" ({arrow}{change} vs {previous_week})"
