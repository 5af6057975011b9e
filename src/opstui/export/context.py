"""What every section of the export needs: the week's snapshot, last week's, redaction."""

from __future__ import annotations

from dataclasses import dataclass

from opstui.domain.snapshot import SnapshotData
from opstui.domain.weeks import week_days
from opstui.export.escape import inline
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


def week_context(
    snapshot: SnapshotData, previous: SnapshotData | None, redact: Redactor
) -> WeekContext:
    """The context every section reads, computed once."""
    week = snapshot.week
    year = week_days(week)[0].year if is_iso_week(week) else snapshot.taken_on.year
    previous_week = None if previous is None else inline(previous.week)
    return WeekContext(snapshot, previous, redact, year, previous_week)
