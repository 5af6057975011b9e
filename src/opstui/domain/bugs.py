"""Bug figures: the company-by-priority matrix against targets, resolution rate and time,
trends against the last snapshot, and the P0 incident playbook's timing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from opstui.domain.enums import (
    OPEN_BUG_STATUSES,
    PLAYBOOK_WINDOWS,
    BugStatus,
    PlaybookStep,
    Priority,
    Trend,
)
from opstui.domain.settings import BugTargets

TOTAL_LABEL = "Total"
"""The company name of the matrix's total row, and its key in `previous_rates`."""

# Rates and averages are rounded to 0.1, so a difference of exactly one tolerance can come
# out a hair below it in floating point (87.3 - 86.3 = 0.99999...).
_EPSILON = 1e-9


URGENT_PRIORITIES: tuple[Priority, ...] = (Priority.P0, Priority.P1)
"""P0 and P1: escalated while open, and each needs its analysis (customers affected, revenue
impact, root cause, expected fix date, prevention)."""


def is_urgent(priority: Priority | None) -> bool:
    return priority in URGENT_PRIORITIES


def needs_analysis(priority: Priority | None, status: BugStatus, root_cause: str) -> bool:
    """An open P0/P1 bug whose root cause nobody has written yet."""
    return is_urgent(priority) and status in OPEN_BUG_STATUSES and not root_cause.strip()


def became_urgent(before: Priority | None, after: Priority | None) -> bool:
    """A decision that raised a bug to P0/P1 (the moment its analysis is asked for)."""
    return is_urgent(after) and not is_urgent(before)


@dataclass(frozen=True, slots=True)
class CompanyBugCounts:
    """One company's bug aggregates, as the repository computes them in SQL."""

    company_id: int | None
    """None for bugs filed under no company."""
    company: str
    open_by_priority: dict[Priority, int]
    """Open or in-progress bugs per priority; a missing priority means none."""
    untriaged: int
    """Open or in-progress bugs without a priority."""
    window_total: int
    """Non-duplicate bugs opened within the resolution window up to today."""
    window_done: int
    """Of `window_total`, those resolved or closed today."""
    resolution_days_sum: float
    """Total open → resolved days of the bugs resolved within the window."""
    resolution_count: int
    """How many bugs were resolved within the window (the sum's divisor)."""


def resolution_rate(done: int, total: int) -> float | None:
    """Resolution rate, a percentage 0-100 rounded to one decimal; None when `total` is 0.

    Resolution rate = of the non-duplicate bugs opened in the last N days
    (N = targets.resolution_window_days, default 90) up to today, the share that are
    resolved or closed today. `done` and `total` are those two counts.
    """
    if total <= 0:
        return None
    return round(100 * done / total, 1)


def average_resolution_days(days_sum: float, count: int) -> float | None:
    """Mean open → resolved time in days, rounded to one decimal; None with no resolution."""
    if count <= 0:
        return None
    return round(days_sum / count, 1)


def trend(
    current: float | None,
    previous: float | None,
    *,
    higher_is_better: bool = True,
    tolerance: float = 1.0,
) -> Trend | None:
    """The direction of a figure against its previous value, where UP always means better.

    UP when it improved by at least `tolerance`, DOWN when it got worse by at least
    `tolerance`, FLAT in between. For figures where lower is better (resolution days,
    tickets) pass `higher_is_better=False`. None when either value is missing.
    """
    if current is None or previous is None:
        return None
    gain = current - previous if higher_is_better else previous - current
    if gain >= tolerance - _EPSILON:
        return Trend.UP
    if gain <= -tolerance + _EPSILON:
        return Trend.DOWN
    return Trend.FLAT


@dataclass(frozen=True, slots=True)
class BugMatrixRow:
    """One row of the company-by-priority matrix (or its total row)."""

    company: str
    company_id: int | None
    counts: dict[Priority, int]
    """Open bugs per priority; every priority is present, P0 first."""
    untriaged: int
    resolution_rate: float | None
    avg_resolution_days: float | None
    over_target: frozenset[Priority]
    """The priorities whose count breaks the target (never any on the total row)."""
    trend: Trend | None
    """The resolution rate against the previous snapshot's."""
    is_total: bool


@dataclass(frozen=True, slots=True)
class BugMatrix:
    """The company rows, by company name, and the total row."""

    rows: tuple[BugMatrixRow, ...]
    total: BugMatrixRow
    rate_history: Mapping[str, tuple[float | None, ...]] = field(default_factory=dict)
    """Resolution rate by company (and `TOTAL_LABEL`) over the last weeks, oldest first,
    this one last; None where a week has no figure (the trend column's sparkline)."""

    def with_history(self, earlier: Mapping[str, Sequence[float | None]], weeks: int) -> BugMatrix:
        """This matrix with `rate_history`: `earlier` weeks' rates (`weeks` of them, by
        company) and this week's own."""
        history = {
            row.company: (*earlier.get(row.company, (None,) * weeks), row.resolution_rate)
            for row in (*self.rows, self.total)
        }
        return BugMatrix(self.rows, self.total, history)


def _row(
    company: str,
    company_id: int | None,
    counts: dict[Priority, int],
    untriaged: int,
    rate: float | None,
    avg_days: float | None,
    over_target: frozenset[Priority],
    previous_rates: Mapping[str, float | None],
    is_total: bool,
) -> BugMatrixRow:
    return BugMatrixRow(
        company=company,
        company_id=company_id,
        counts=counts,
        untriaged=untriaged,
        resolution_rate=rate,
        avg_resolution_days=avg_days,
        over_target=over_target,
        trend=trend(rate, previous_rates.get(company)),
        is_total=is_total,
    )


def bug_matrix(
    rows: Sequence[CompanyBugCounts],
    targets: BugTargets,
    previous_rates: Mapping[str, float | None] | None = None,
) -> BugMatrix:
    """The company-by-priority matrix of open bugs, with targets, rates and trends.

    Company rows are sorted by name. The total row sums the counts, and takes its rate and
    average from the summed counts and days (not an average of the company figures). A cell
    is over target per `targets.over_target`; targets are per company, so the total row has
    none. Each row's trend compares its resolution rate with `previous_rates[company]`
    (`TOTAL_LABEL`, "Total", for the total row); no previous rate, no trend.
    """
    previous = previous_rates or {}
    company_rows: list[BugMatrixRow] = []
    total_counts = dict.fromkeys(Priority, 0)
    total_untriaged = total_window = total_done = total_resolved = 0
    total_days = 0.0

    for source in sorted(rows, key=lambda r: (r.company.casefold(), r.company)):
        counts = {priority: source.open_by_priority.get(priority, 0) for priority in Priority}
        over = frozenset(p for p, count in counts.items() if targets.over_target(p, count))
        company_rows.append(
            _row(
                source.company,
                source.company_id,
                counts,
                source.untriaged,
                resolution_rate(source.window_done, source.window_total),
                average_resolution_days(source.resolution_days_sum, source.resolution_count),
                over,
                previous,
                is_total=False,
            )
        )
        for priority, count in counts.items():
            total_counts[priority] += count
        total_untriaged += source.untriaged
        total_window += source.window_total
        total_done += source.window_done
        total_days += source.resolution_days_sum
        total_resolved += source.resolution_count

    total = _row(
        TOTAL_LABEL,
        None,
        total_counts,
        total_untriaged,
        resolution_rate(total_done, total_window),
        average_resolution_days(total_days, total_resolved),
        frozenset(),
        previous,
        is_total=True,
    )
    return BugMatrix(rows=tuple(company_rows), total=total)


@dataclass(frozen=True, slots=True)
class PlaybookStepState:
    """Where one step of a P0's incident playbook stands."""

    step: PlaybookStep
    window_start_min: int
    """Minutes after detection when the step's window opens."""
    window_end_min: int
    """Minutes after detection when the step's window closes."""
    done_at: datetime | None
    """When it was checked off; None while it is not done."""
    late: bool
    """Done after its window closed, or not done and the window has already closed."""
    due_at: datetime
    """When the window closes."""


def playbook_state(
    detected_at: datetime, checks: Mapping[PlaybookStep, datetime], now: datetime
) -> tuple[PlaybookStepState, ...]:
    """Every playbook step in order, with its window, when it was done and whether it is late.

    `checks` maps the steps checked off to the time they were. A step is late when it was
    done after its window closed, or is not done and `now` is past its window's close.
    """
    states: list[PlaybookStepState] = []
    for step in PlaybookStep:
        start, end = PLAYBOOK_WINDOWS[step]
        due_at = detected_at + timedelta(minutes=end)
        done_at = checks.get(step)
        late = done_at > due_at if done_at is not None else now > due_at
        states.append(
            PlaybookStepState(
                step=step,
                window_start_min=start,
                window_end_min=end,
                done_at=done_at,
                late=late,
                due_at=due_at,
            )
        )
    return tuple(states)


def minutes_since(detected_at: datetime, now: datetime) -> int:
    """Whole minutes elapsed from detection to `now`, never below 0."""
    # A detection time typed slightly in the future must not show a negative clock.
    return max(0, int((now - detected_at).total_seconds() // 60))


URGENT_PRIORITIES = (Priority.P0, Priority.P1)
"""Priorities whose bugs carry the analysis and, for P0, the incident playbook."""


def priority_change_is_serious(old: Priority | None, new: Priority) -> bool:
    """Whether setting `new` on a bug at `old` must be confirmed outside the triage inbox:
    an urgent bug (P0/P1) demoted, or any bug raised to P0 (it starts the incident playbook).
    In the inbox every bug is untriaged, and one key per decision is the point."""
    if new is Priority.P0:
        return old is not Priority.P0
    return old is not None and old in URGENT_PRIORITIES and new.value > old.value


def mentions_bug(text: str, bug_id: int, title: str) -> bool:
    """Whether free text (an action item) names a bug: its number as "#630", or its whole
    title (of eight characters or more), in any case."""
    if re.search(rf"#{bug_id}(?!\d)", text):
        return True
    title = title.strip().casefold()
    return len(title) >= 8 and title in text.casefold()
