"""The Friday company-wide progress update: the week's accomplishments, customer wins and
next week's priorities.

Accomplishments are what changed since the previous frozen week (`domain.diff`, as the
weekly export's "what changed"): phase moves, P0/P1 bugs no longer open, action items
closed, decisions made, and feature requests shipped. Customer wins are the customers
signed, customers whose health band improved and customer escalations that cleared. Next
week's priorities are the milestones due next week, the open action items due by then, the
follow-up decisions still open and the open P0 bugs.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from opstui.data.messages import FridayFigures
from opstui.domain.diff import band_improved, critical_bugs_cleared, week_diff
from opstui.domain.enums import ActionPriority, ActionStatus, BugStatus, Priority
from opstui.domain.models import Kpis
from opstui.domain.snapshot import CriticalBugFigure
from opstui.domain.weeks import next_week, week_days
from opstui.export.context import (
    REDACTED_NOTE,
    WeekContext,
    is_iso_week,
    redacted_context,
    week_span,
)
from opstui.export.escape import bullets, capped, heading, inline
from opstui.export.numbers import day_month, full_date, number, versus

SHOWN = 5
"""Items listed per list; the rest are counted."""


def render_friday(figures: FridayFigures, redact: bool = False) -> str:
    """The Friday update of the week (`redact` as the weekly export's)."""
    week = redacted_context(figures.week.snapshot, figures.week.previous, redact=redact)
    blocks = [
        *_title(week),
        *_accomplishments(week, figures.bug_states),
        *_wins(week),
        *_priorities(week),
    ]
    return "\n\n".join(blocks) + "\n"


def _title(week: WeekContext) -> list[str]:
    snapshot = week.snapshot
    compared = (
        "there is no earlier frozen week to compare with, so only what the week itself shows"
        " is listed."
        if week.previous_week is None
        else f"changes are against the {week.previous_week} snapshot."
    )
    intro = (
        f"Company-wide progress for {week_span(week)}, as of {full_date(snapshot.taken_on)}; "
        f"{compared}"
    )
    if week.redact.active:
        intro += REDACTED_NOTE
    total = snapshot.bug_total()
    previous_on_track = None if week.previous is None else week.previous.on_track
    status = (
        f"**{snapshot.on_track} of {snapshot.total_projects} projects on track**"
        f"{versus(snapshot.on_track, previous_on_track, week.previous_week)}"
    )
    if total is not None:
        status += f" · open bugs: {total.p0} P0, {total.p1} P1"
    return [heading(1, f"Friday update — {snapshot.week}"), intro, status + "."]


def _cleared(
    bug: CriticalBugFigure, states: Mapping[int, tuple[BugStatus, Priority | None]]
) -> str:
    state = states.get(bug.id) if bug.id is not None else None
    if state is None:
        return "no longer in the workspace"
    status, priority = state
    if status in (BugStatus.RESOLVED, BugStatus.CLOSED, BugStatus.DUPLICATE):
        return status.value
    return f"lowered to {priority.value if priority else 'untriaged'}"


def _accomplishments(
    week: WeekContext, states: Mapping[int, tuple[BugStatus, Priority | None]]
) -> list[str]:
    snapshot, previous, text = week.snapshot, week.previous, week.redact.text
    diff = week_diff(snapshot, previous)
    lines: list[str] = []
    if previous is not None and snapshot.shipped_requests is not None:
        before = previous.shipped_requests
        if before is not None and snapshot.shipped_requests > before:
            shipped = snapshot.shipped_requests - before
            noun = "request" if shipped == 1 else "requests"
            lines.append(f"**Shipped:** {number(shipped)} feature {noun}")
    moves = [
        f"{inline(text(change.after.name))} ({inline(change.after.company)}): "
        f"{change.before.phase.value} → {change.after.phase.value}"
        for change in diff.projects
        if change.phase_changed
    ]
    if moves:
        lines.append("**Phase moves:** " + "; ".join(capped(moves, SHOWN)))
    cleared = critical_bugs_cleared(snapshot, previous)
    if cleared:
        lines.append(
            "**P0/P1 bugs no longer open:** "
            + "; ".join(
                capped(
                    [
                        f"{bug.priority.value} {inline(text(bug.title))} "
                        f"({inline(bug.company) or 'no company'}, {_cleared(bug, states)})"
                        for bug in cleared
                    ],
                    SHOWN,
                )
            )
        )
    if diff.actions_closed:
        lines.append(
            "**Action items completed:** "
            + "; ".join(capped([inline(text(a.what)) for a in diff.actions_closed], SHOWN))
        )
    if diff.decisions_made:
        lines.append(
            "**Decisions made:** "
            + "; ".join(capped([inline(text(d.what)) for d in diff.decisions_made], SHOWN))
        )
    blocks = [heading(2, "Accomplishments")]
    if not lines:
        return [*blocks, "Nothing shipped, moved phase or closed this week."]
    return [*blocks, bullets(lines)]


def _wins(week: WeekContext) -> list[str]:
    snapshot, previous = week.snapshot, week.previous
    diff = week_diff(snapshot, previous)
    lines: list[str] = []
    signed = snapshot.kpis.get("customers_signed")
    if signed:
        title = Kpis.model_fields["customers_signed"].title or "Customers signed"
        lines.append(f"**{title}:** {number(signed)}")
    better = [change for change in diff.band_changes if band_improved(change)]
    if better:
        lines.append(
            "**Healthier customers:** "
            + "; ".join(
                capped(
                    [
                        f"{inline(week.redact.customer(c.after.name, c.after.id))} "
                        f"{c.before.band.value} → {c.after.band.value}"
                        for c in better
                    ],
                    SHOWN,
                )
            )
        )
    calmer = [e for e in diff.cleared_escalations if e.kind == "customer"]
    if calmer:
        lines.append(
            "**Customer escalations resolved:** "
            + "; ".join(
                capped([inline(week.redact.customer(e.title, e.target_id)) for e in calmer], SHOWN)
            )
        )
    blocks = [heading(2, "Customer wins")]
    if not lines:
        return [*blocks, "No customer wins recorded this week."]
    return [*blocks, bullets(lines)]


def _next_days(week: WeekContext) -> tuple[str, date, date] | None:
    if not is_iso_week(week.snapshot.week):
        return None
    following = next_week(week.snapshot.week)
    monday, sunday = week_days(following)
    return following, monday, sunday


def _priorities(week: WeekContext) -> list[str]:
    snapshot, text = week.snapshot, week.redact.text
    days = _next_days(week)
    blocks = [heading(2, "Next week's priorities")]
    if days is None:
        return [*blocks, "No next week for a week that is not an ISO week."]
    following, monday, sunday = days
    blocks[0] = heading(2, f"Next week's priorities ({following})")
    lines: list[str] = []
    milestones = sorted(
        (
            p
            for p in snapshot.projects
            if p.milestone_date is not None and monday <= p.milestone_date <= sunday
        ),
        key=lambda p: (p.milestone_date or monday, p.name.casefold()),
    )
    if milestones:
        lines.append(
            "**Milestones:** "
            + "; ".join(
                capped(
                    [
                        f"{inline(text(p.name))}: {inline(text(p.next_milestone)) or 'milestone'}"
                        f" ({day_month(p.milestone_date, week.year)})"
                        for p in milestones
                    ],
                    SHOWN,
                )
            )
        )
    order = {ActionPriority.HIGH: 0, ActionPriority.MEDIUM: 1, ActionPriority.LOW: 2}
    due = sorted(
        (
            item
            for item in snapshot.action_items
            if item.status is not ActionStatus.COMPLETE
            and item.due_date is not None
            and item.due_date <= sunday
        ),
        key=lambda item: (order.get(item.priority, 3), item.due_date or sunday),
    )
    if due:
        lines.append(
            "**Action items due by "
            + day_month(sunday, week.year)
            + ":** "
            + "; ".join(
                capped(
                    [
                        f"{inline(text(item.what))} ({inline(item.owner) or 'no owner'}, "
                        f"{item.priority.value}, "
                        + (
                            "overdue"
                            if item.overdue_on(snapshot.taken_on)
                            else f"due {day_month(item.due_date, week.year)}"
                        )
                        + ")"
                        for item in due
                    ],
                    SHOWN,
                )
            )
        )
    undecided = [d for d in snapshot.decisions if d.decided_at is None]
    if undecided:
        lines.append(
            "**Decisions to take:** "
            + "; ".join(capped([inline(text(d.what)) for d in undecided], SHOWN))
        )
    p0 = [bug for bug in snapshot.critical_bugs if bug.priority is Priority.P0]
    if p0:
        lines.append(
            "**Open P0 bugs to resolve:** "
            + "; ".join(capped([inline(text(bug.title)) for bug in p0], SHOWN))
        )
    if not lines:
        return [*blocks, "No milestones, due action items, open decisions or P0 bugs ahead."]
    return [*blocks, bullets(lines)]
