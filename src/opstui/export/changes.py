"""The "what changed since last week" section, from a `WeekDiff`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from opstui.domain.diff import BandChange, BugMovement, ProjectChange, WeekDiff
from opstui.domain.snapshot import (
    ActionItemFigure,
    DecisionFigure,
    EscalationFigure,
    ProjectFigure,
)
from opstui.export.context import WeekContext
from opstui.export.escape import bullets, heading, inline
from opstui.export.numbers import MISSING, day_month, day_time, number
from opstui.export.redact import Redactor

CHANGE_ROWS = 20
"""Lines listed per kind of change; the rest are counted."""


def _capped(lines: Sequence[Callable[[], str]], empty: str) -> str:
    """The first `CHANGE_ROWS` lines as a list, the rest counted. Lines come as callables
    so that only those shown are formatted (hundreds of escalations can be new at once)."""
    if not lines:
        return bullets([empty])
    shown = [line() for line in lines[:CHANGE_ROWS]]
    if len(lines) > CHANGE_ROWS:
        shown.append(f"… and {number(len(lines) - CHANGE_ROWS)} more")
    return bullets(shown)


def _project(change: ProjectChange, redact: Redactor) -> str:
    before, after = change.before, change.after
    what = []
    if change.status_changed:
        what.append(f"status {before.status.value} → {after.status.value}")
    if change.phase_changed:
        what.append(f"phase {before.phase.value} → {after.phase.value}")
    if change.further_slip_days:
        days = "day" if change.further_slip_days == 1 else "days"
        what.append(
            f"slipped {change.further_slip_days} more {days} "
            f"(now {after.slip_days} days behind baseline)"
        )
    return f"{_named(after, redact)}: {', '.join(what)}"


def _named(project: ProjectFigure, redact: Redactor, label: str = "") -> str:
    company = inline(project.company)
    name = inline(redact.text(project.name))
    return f"{label}{name} ({company})" if company else f"{label}{name}"


def _movement(movement: BugMovement) -> str:
    moved = [
        f"{label} {before} → {after}"
        for label, before, after in (
            ("P0", movement.p0_before, movement.p0_after),
            ("P1", movement.p1_before, movement.p1_after),
        )
        if before != after
    ]
    name = "**Total**" if movement.is_total else inline(movement.company)
    return f"{name}: {', '.join(moved)}"


def _band(change: BandChange, redact: Redactor) -> str:
    before, after = change.before, change.after
    company = f" ({inline(after.company)})" if after.company else ""
    return (
        f"{inline(redact.customer(after.name, after.id))}{company}: {before.band.value} → "
        f"{after.band.value}, health {before.health} → {after.health}"
    )


def _escalation(escalation: EscalationFigure, redact: Redactor, label: str) -> str:
    title = (
        redact.customer(escalation.title, escalation.target_id)
        if escalation.kind == "customer"
        else redact.text(escalation.title)
    )
    detail = inline(redact.text(escalation.detail))
    shown = f"{label}{inline(escalation.trigger)}: {inline(title) or MISSING}"
    return f"{shown} ({detail})" if detail else shown


def _action(item: ActionItemFigure, redact: Redactor, year: int, label: str) -> str:
    owner = inline(item.owner) or "no owner"
    what = inline(redact.text(item.what))
    return f"{label}{what} — {owner}, due {day_month(item.due_date, year)}"


def _decision(decision: DecisionFigure, redact: Redactor, year: int) -> str:
    return f"{inline(redact.text(decision.what))} — decided {day_time(decision.decided_at, year)}"


def render_changes(diff: WeekDiff, week: WeekContext) -> list[str]:
    """What changed against last week's snapshot, or, without one, only what this week
    shows by itself (decisions made, action items closed or overdue)."""
    redact, year = week.redact, week.year
    blocks: list[str] = []
    if diff.previous_week is None:
        blocks += [
            heading(2, "What changed this week"),
            "No earlier snapshot to compare with: only this week's own changes are listed.",
        ]
    else:
        projects = [partial(_project, change, redact) for change in diff.projects]
        projects += [partial(_named, p, redact, "New: ") for p in diff.new_projects]
        projects += [partial(_named, p, redact, "Gone: ") for p in diff.removed_projects]
        escalations = [partial(_escalation, e, redact, "New — ") for e in diff.new_escalations]
        escalations += [
            partial(_escalation, e, redact, "Cleared — ") for e in diff.cleared_escalations
        ]
        blocks += [
            heading(2, f"What changed since {diff.previous_week}"),
            "**Projects**",
            _capped(projects, "No status, phase or slip changes."),
            "**Open P0 and P1 bugs**",
            _capped([partial(_movement, m) for m in diff.bug_movements], "No change."),
            "**Customer health bands**",
            _capped([partial(_band, c, redact) for c in diff.band_changes], "No band changes."),
            "**Escalations**",
            _capped(escalations, "None new, none cleared."),
        ]
    decisions = [partial(_decision, d, redact, year) for d in diff.decisions_made]
    actions = [partial(_action, item, redact, year, "Closed — ") for item in diff.actions_closed]
    actions += [partial(_action, item, redact, year, "Overdue — ") for item in diff.actions_overdue]
    blocks += [
        "**Decisions made**",
        _capped(decisions, "None."),
        "**Action items**",
        _capped(actions, "None closed, none overdue."),
    ]
    return blocks
