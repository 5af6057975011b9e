"""What every section of the export needs: the week's snapshot, last week's, redaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from opstui.domain.snapshot import SnapshotData
from opstui.domain.weeks import week_days
from opstui.export.escape import inline
from opstui.export.numbers import day_month, full_date
from opstui.export.redact import Redactor


def is_iso_week(week: str) -> bool:
    """Whether `week` names an ISO week ("2026-W28"); a stored snapshot could hold anything."""
    try:
        week_days(week)
    except ValueError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class WeekContext:
    """The week being exported, the one it is compared with, and how names read."""

    snapshot: SnapshotData
    previous: SnapshotData | None
    redact: Redactor
    year: int
    """The week's year: dates in it are written without one ("12 July")."""
    previous_week: str | None
    """Last week's name, escaped, for "vs 2026-W27"; None without a previous snapshot."""


def week_redactor(
    snapshot: SnapshotData,
    previous: SnapshotData | None,
    *,
    redact: bool,
    more: Iterable[tuple[int | None, str]] = (),
) -> Redactor:
    """How the week's documents name customers: one number per customer, this week's and
    last week's (and `more`, customers only a message names), in name order."""
    customers = [(customer.id, customer.name) for customer in snapshot.customers]
    if previous is not None:
        customers.extend((customer.id, customer.name) for customer in previous.customers)
    customers.extend(more)
    return Redactor(customers, active=redact)


def redacted_context(
    snapshot: SnapshotData, previous: SnapshotData | None, *, redact: bool
) -> WeekContext:
    """The context of a week's document, with its customers numbered (see `week_redactor`)."""
    return week_context(snapshot, previous, week_redactor(snapshot, previous, redact=redact))


def week_span(week: WeekContext) -> str:
    """ "Monday 6 July – Sunday 12 July 2026", or the week's name when it is not ISO."""
    if not is_iso_week(week.snapshot.week):
        return inline(week.snapshot.week)
    monday, sunday = week_days(week.snapshot.week)
    return f"Monday {day_month(monday, sunday.year)} – Sunday {full_date(sunday)}"


REDACTED_NOTE = " Customer names and money amounts are redacted."
"""What a redacted document says after its introduction."""


def week_context(
    snapshot: SnapshotData, previous: SnapshotData | None, redact: Redactor
) -> WeekContext:
    """The context every section reads, computed once."""
    week = snapshot.week
    year = week_days(week)[0].year if is_iso_week(week) else snapshot.taken_on.year
    previous_week = None if previous is None else inline(previous.week)
    return WeekContext(snapshot, previous, redact, year, previous_week)
