"""What changed since last week: one review week's snapshot against the one before.

Pure: both snapshots come in, a `WeekDiff` comes out. Rows (the bug matrix's by company
id) are matched by id when both snapshots have one, else by name, so a renamed project,
customer or company is still itself, and an older snapshot without ids still compares.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from opstui.domain.bugs import TOTAL_LABEL
from opstui.domain.enums import ActionStatus, HealthBand
from opstui.domain.snapshot import (
    ActionItemFigure,
    BugRowFigure,
    CriticalBugFigure,
    CustomerFigure,
    DecisionFigure,
    EscalationFigure,
    ProjectFigure,
    SnapshotData,
)
from opstui.domain.weeks import week_days

_Row = TypeVar(
    "_Row", ProjectFigure, CustomerFigure, ActionItemFigure, DecisionFigure, BugRowFigure
)


@dataclass(frozen=True, slots=True)
class ProjectChange:
    """A project whose status or phase changed, or that slipped further, since last week."""

    before: ProjectFigure
    after: ProjectFigure

    @property
    def status_changed(self) -> bool:
        """On track / At risk / Off track moved."""
        return self.before.status is not self.after.status

    @property
    def phase_changed(self) -> bool:
        """The project entered another 4D phase (either way)."""
        return self.before.phase is not self.after.phase

    @property
    def further_slip_days(self) -> int:
        """Days the completion date moved further behind its baseline (0 when it did not)."""
        return max(0, (self.after.slip_days or 0) - max(0, self.before.slip_days or 0))


@dataclass(frozen=True, slots=True)
class BugMovement:
    """A company's open P0 and P1 counts last week and now (or the total row's)."""

    company: str
    p0_before: int
    p0_after: int
    p1_before: int
    p1_after: int

    is_total: bool = False


@dataclass(frozen=True, slots=True)
class BandChange:
    """A customer whose health band changed since last week."""

    before: CustomerFigure
    after: CustomerFigure


_BANDS = (HealthBand.RED, HealthBand.YELLOW, HealthBand.GREEN)
"""Health bands from worst to best."""


def band_improved(change: BandChange) -> bool:
    """The customer moved to a healthier band (Red → Yellow, Yellow → Green …)."""
    return _BANDS.index(change.after.band) > _BANDS.index(change.before.band)


@dataclass(frozen=True, slots=True)
class WeekDiff:
    """Everything that changed between two review weeks' snapshots.

    Without a previous snapshot only what a single week shows is filled in: decisions
    decided and action items closed within the week, and overdue action items.
    """

    week: str
    previous_week: str | None
    projects: tuple[ProjectChange, ...] = ()
    new_projects: tuple[ProjectFigure, ...] = ()
    removed_projects: tuple[ProjectFigure, ...] = ()
    bug_movements: tuple[BugMovement, ...] = ()
    """Companies whose open P0 or P1 count moved, by (current) name, then the total row if it
    moved. A company renamed since last week is the same company."""
    band_changes: tuple[BandChange, ...] = ()
    new_escalations: tuple[EscalationFigure, ...] = ()
    cleared_escalations: tuple[EscalationFigure, ...] = ()
    decisions_made: tuple[DecisionFigure, ...] = ()
    actions_closed: tuple[ActionItemFigure, ...] = ()
    actions_overdue: tuple[ActionItemFigure, ...] = ()
    """Open action items past their due date on the day of the snapshot."""

    @property
    def is_empty(self) -> bool:
        """Nothing to report at all."""
        return not any(
            (
                self.projects,
                self.new_projects,
                self.removed_projects,
                self.bug_movements,
                self.band_changes,
                self.new_escalations,
                self.cleared_escalations,
                self.decisions_made,
                self.actions_closed,
                self.actions_overdue,
            )
        )


_Figure = ProjectFigure | CustomerFigure | ActionItemFigure | DecisionFigure | BugRowFigure


def _id_of(row: _Figure) -> int | None:
    return row.company_id if isinstance(row, BugRowFigure) else row.id


def _name_of(row: _Figure) -> str:
    if isinstance(row, BugRowFigure):
        return row.company
    return row.what if isinstance(row, ActionItemFigure | DecisionFigure) else row.name


def _pairs(previous: Iterable[_Row], current: Iterable[_Row]) -> list[tuple[_Row | None, _Row]]:
    """Each current row with its previous self (None when new).

    By id when both rows carry one; by name when either does not, so a row renamed since
    last week is still the same row, and an old snapshot without ids still matches.
    """
    by_id: dict[int, _Row] = {}
    by_name: dict[str, _Row] = {}
    for row in previous:
        row_id = _id_of(row)
        if row_id is not None:
            by_id.setdefault(row_id, row)
        by_name.setdefault(_name_of(row), row)
    pairs: list[tuple[_Row | None, _Row]] = []
    for row in current:
        row_id = _id_of(row)
        match = by_id.get(row_id) if row_id is not None else None
        if match is None:
            candidate = by_name.get(_name_of(row))
            if candidate is not None and (_id_of(candidate) is None or row_id is None):
                match = candidate
        pairs.append((match, row))
    return pairs


def _removed(previous: Iterable[_Row], matched: Iterable[_Row | None]) -> tuple[_Row, ...]:
    seen = {id(row) for row in matched if row is not None}
    return tuple(row for row in previous if id(row) not in seen)


def _project_changes(
    previous: SnapshotData, current: SnapshotData
) -> tuple[tuple[ProjectChange, ...], tuple[ProjectFigure, ...], tuple[ProjectFigure, ...]]:
    pairs = _pairs(previous.projects, current.projects)
    changes = []
    for before, after in pairs:
        if before is None:
            continue
        change = ProjectChange(before, after)
        if change.status_changed or change.phase_changed or change.further_slip_days > 0:
            changes.append(change)
    new = tuple(after for before, after in pairs if before is None)
    removed = _removed(previous.projects, (before for before, _ in pairs))
    return tuple(changes), new, removed


def _bug_movements(previous: SnapshotData, current: SnapshotData) -> tuple[BugMovement, ...]:
    # A company new since last week had no open bugs then; one gone has none now.
    pairs = _pairs(previous.company_bug_rows(), current.company_bug_rows())
    gone = _removed(previous.company_bug_rows(), (before for before, _ in pairs))
    compared = [(before or _no_bugs(after.company), after) for before, after in pairs]
    compared += [(before, _no_bugs(before.company)) for before in gone]
    movements = [
        BugMovement(after.company, before.p0, after.p0, before.p1, after.p1)
        for before, after in compared
        if (before.p0, before.p1) != (after.p0, after.p1)
    ]
    movements.sort(key=lambda movement: (movement.company.casefold(), movement.company))
    total_before, total_after = previous.bug_total(), current.bug_total()
    if (
        total_before is not None
        and total_after is not None
        and (total_before.p0, total_before.p1) != (total_after.p0, total_after.p1)
    ):
        movements.append(
            BugMovement(
                TOTAL_LABEL,
                total_before.p0,
                total_after.p0,
                total_before.p1,
                total_after.p1,
                is_total=True,
            )
        )
    return tuple(movements)


def _no_bugs(company: str) -> BugRowFigure:
    return BugRowFigure(company=company, p0=0, p1=0, p2=0, p3=0)


def _escalation_key(
    escalation: EscalationFigure, *, by_id: bool
) -> tuple[str, str, int | str | None]:
    if by_id:
        return escalation.trigger, escalation.kind, escalation.target_id
    return escalation.trigger, escalation.kind, escalation.title


def _escalation_changes(
    previous: SnapshotData, current: SnapshotData
) -> tuple[tuple[EscalationFigure, ...], tuple[EscalationFigure, ...]]:
    # Ids only when every escalation on both sides has one (a version 2 snapshot);
    # otherwise titles, which a version 1 snapshot does have.
    by_id = all(e.target_id is not None for e in (*previous.escalations, *current.escalations))
    before = {_escalation_key(e, by_id=by_id) for e in previous.escalations}
    after = {_escalation_key(e, by_id=by_id) for e in current.escalations}
    new = tuple(e for e in current.escalations if _escalation_key(e, by_id=by_id) not in before)
    cleared = tuple(e for e in previous.escalations if _escalation_key(e, by_id=by_id) not in after)
    return new, cleared


def _within(day: date | None, week: str) -> bool:
    if day is None:
        return False
    monday, sunday = week_days(week)
    return monday <= day <= sunday


def _changed_to_done(
    previous: tuple[_Row, ...] | None,
    current: tuple[_Row, ...],
    is_done: Callable[[_Row], bool],
    done_on: Callable[[_Row], date | None],
    week: str,
) -> tuple[_Row, ...]:
    """Rows done now that were not done last week (or, with no last week, done this week).

    A row last week's snapshot did not have counts when it was done within this week.
    """
    found = []
    for before, after in _pairs(previous or (), current):
        if not is_done(after):
            continue
        # Done since last week, or new since then and done within this week.
        newly_done = not is_done(before) if before is not None else _within(done_on(after), week)
        if newly_done:
            found.append(after)
    return tuple(found)


def _is_complete(item: ActionItemFigure) -> bool:
    return item.status is ActionStatus.COMPLETE


def _is_decided(decision: DecisionFigure) -> bool:
    return decision.decided_at is not None


def week_diff(current: SnapshotData, previous: SnapshotData | None) -> WeekDiff:
    """What changed in `current`'s week since the `previous` snapshot.

    - projects whose status or phase changed, or whose slip behind baseline grew; projects
      new since last week, and those gone;
    - per company, open P0 and P1 counts that moved (the total row last);
    - customers whose health band changed;
    - escalations new this week, and last week's that cleared;
    - decisions decided since last week (with no last week: decided within this week);
    - action items completed since last week (with no last week: closed within this week),
      and every open action item past its due date on the snapshot's day.
    Lists keep the current snapshot's order (the previous one's for what is gone).
    """
    overdue = tuple(item for item in current.action_items if item.overdue_on(current.taken_on))
    decisions_made = _changed_to_done(
        None if previous is None else previous.decisions,
        current.decisions,
        _is_decided,
        lambda d: None if d.decided_at is None else d.decided_at.date(),
        current.week,
    )
    actions_closed = _changed_to_done(
        None if previous is None else previous.action_items,
        current.action_items,
        _is_complete,
        lambda a: a.closed_on,
        current.week,
    )
    if previous is None:
        return WeekDiff(
            week=current.week,
            previous_week=None,
            decisions_made=decisions_made,
            actions_closed=actions_closed,
            actions_overdue=overdue,
        )

    projects, new_projects, removed_projects = _project_changes(previous, current)
    band_changes = tuple(
        BandChange(before, after)
        for before, after in _pairs(previous.customers, current.customers)
        if before is not None and before.band is not after.band
    )
    new_escalations, cleared_escalations = _escalation_changes(previous, current)
    return WeekDiff(
        week=current.week,
        previous_week=previous.week,
        projects=projects,
        new_projects=new_projects,
        removed_projects=removed_projects,
        bug_movements=_bug_movements(previous, current),
        band_changes=band_changes,
        new_escalations=new_escalations,
        cleared_escalations=cleared_escalations,
        decisions_made=decisions_made,
        actions_closed=actions_closed,
        actions_overdue=overdue,
    )


def critical_bugs_cleared(
    current: SnapshotData, previous: SnapshotData | None
) -> tuple[CriticalBugFigure, ...]:
    """Last week's open P0 and P1 bugs that this week's snapshot no longer lists as open P0
    or P1 (resolved, closed, or lowered), in last week's order. Matched by id, else by
    title, as every other row."""
    if previous is None:
        return ()
    ids = {bug.id for bug in current.critical_bugs if bug.id is not None}
    titles = {bug.title for bug in current.critical_bugs}
    return tuple(
        bug
        for bug in previous.critical_bugs
        if (bug.id not in ids if bug.id is not None else bug.title not in titles)
    )
