"""The post-incident review of a P0: the playbook's timeline with each step's time, the
impact on customers and revenue, root cause, resolution, prevention measures and the action
items that name the incident.

The timeline follows `domain.bugs.playbook_state`, as the bug's detail view shows it.
"""

from __future__ import annotations

from opstui.data.messages import PostmortemFigures
from opstui.domain.bugs import minutes_since, playbook_state
from opstui.domain.enums import BugStatus
from opstui.export.context import REDACTED_NOTE
from opstui.export.escape import bullets, heading, inline, table
from opstui.export.numbers import MISSING, day_month, day_time, full_date, number
from opstui.export.redact import Redactor

_STEPS = {
    "detect": "Detect",
    "respond": "Respond",
    "communicate": "Communicate",
    "recover": "Recover",
    "post-incident": "Post-incident",
}


def _window(start: int, end: int) -> str:
    if start >= 60:
        return f"{start // 60}–{end // 60} h"
    return f"{start}–{end} min"


def _elapsed(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if hours >= 24:
        days, hours = divmod(hours, 24)
        return f"{days} d {hours} h"
    return f"{hours} h {rest} min" if hours else f"{rest} min"


def render_postmortem(figures: PostmortemFigures, redact: bool = False) -> str:
    """The post-incident review (`redact` masks customer names and money everywhere)."""
    bug = figures.bug
    names = Redactor(
        [*figures.known_customers, *((c.id, c.name) for c in figures.customers)],
        active=redact,
    )
    text = names.text
    year = bug.opened_at.year
    detected = bug.opened_at
    title = inline(text(bug.title)) or MISSING
    where = " · ".join(part for part in (inline(figures.company), inline(figures.product)) if part)
    state = bug.status.value
    resolved = bug.resolved_at
    if resolved is not None:
        state += f" {day_time(resolved, year)}, {_elapsed(minutes_since(detected, resolved))}"
        state += " after detection"
    intro = (
        f"P0 incident #{bug.id} · {where or 'no company'} · detected "
        f"{full_date(detected.date())} {detected:%H:%M} · {state}. Written as of "
        f"{full_date(figures.now.date())}."
    )
    if redact:
        intro += REDACTED_NOTE
    blocks = [heading(1, f"Post-incident review — #{bug.id}"), f"**{title}**", intro]
    blocks += _timeline(figures)
    blocks += _impact(figures, names)
    blocks += [
        heading(2, "Root cause"),
        inline(text(bug.root_cause)) or "Not recorded yet.",
        heading(2, "Resolution"),
        _resolution(figures),
        heading(2, "Prevention measures"),
        inline(text(bug.prevention)) or "Not recorded yet.",
    ]
    blocks += _actions(figures, names)
    return "\n\n".join(blocks) + "\n"


def _timeline(figures: PostmortemFigures) -> list[str]:
    bug = figures.bug
    # A resolved incident is judged at its resolution; an open one as of the review.
    now = bug.resolved_at if bug.resolved_at is not None else figures.now
    year = bug.opened_at.year
    states = playbook_state(bug.opened_at, figures.checks, now)
    rows = []
    for step in states:
        if step.done_at is None:
            done, after = "not done", MISSING
            verdict = "missed" if step.late else "open"
        else:
            done = day_time(step.done_at, year)
            after = _elapsed(minutes_since(bug.opened_at, step.done_at))
            verdict = "late" if step.late else "on time"
        rows.append(
            (
                _STEPS.get(step.step.value, step.step.value),
                _window(step.window_start_min, step.window_end_min),
                day_time(step.due_at, year),
                done,
                after,
                verdict,
            )
        )
    done_count = sum(1 for s in states if s.done_at is not None)
    late = sum(1 for s in states if s.late)
    return [
        heading(2, "Timeline"),
        f"The incident playbook: {done_count} of {len(states)} steps checked off, {late} late "
        f"or missed. Windows are minutes (or hours) after detection.",
        table(("Step", "Window", "Due", "Done", "After Detection", "On Time"), rows),
    ]


def _impact(figures: PostmortemFigures, names: Redactor) -> list[str]:
    bug = figures.bug
    affected = MISSING if bug.customers_affected is None else f"{number(bug.customers_affected)}"
    lines = [
        f"**Customers affected:** {affected}",
        f"**Revenue impact:** {names.money(bug.revenue_impact)}",
    ]
    if figures.customers:
        linked = [
            f"{inline(names.customer(c.name, c.id))} ({names.money(c.arr)} ARR)"
            for c in figures.customers
        ]
        total = sum(c.arr for c in figures.customers)
        lines.append(f"**Linked customers:** {'; '.join(linked)} — {names.money(total)} ARR in all")
    else:
        lines.append("**Linked customers:** none linked to the bug")
    if bug.security_flag:
        lines.append("**Security/compliance flag:** raised")
    return [heading(2, "Impact"), bullets(lines)]


def _resolution(figures: PostmortemFigures) -> str:
    bug = figures.bug
    year = bug.opened_at.year
    if bug.status in (BugStatus.RESOLVED, BugStatus.CLOSED) and bug.resolved_at is not None:
        return f"{bug.status.value.capitalize()} on {day_time(bug.resolved_at, year)}."
    fix = (
        "no fix date set"
        if bug.expected_fix_date is None
        else f"fix expected {day_month(bug.expected_fix_date, year)}"
    )
    if bug.expected_fix_date is not None and bug.expected_fix_date < figures.now.date():
        fix += " (passed)"
    assignee = inline(figures.assignee) or "nobody assigned"
    return f"Still {bug.status.value}: {fix}; {assignee}."


def _actions(figures: PostmortemFigures, names: Redactor) -> list[str]:
    bug = figures.bug
    blocks = [heading(2, "Action items")]
    if not figures.actions:
        return [
            *blocks,
            f"No action item names #{bug.id} or the bug's title yet (write “#{bug.id}” in an "
            "action item to list it here).",
        ]
    year = bug.opened_at.year
    rows = [
        (
            inline(names.text(item.what)),
            inline(item.owner) or MISSING,
            day_month(item.due_date, year),
            inline(item.company) or MISSING,
            item.priority.value,
            item.status.value,
        )
        for item in figures.actions
    ]
    return [
        *blocks,
        table(("Action Item", "Owner", "Due Date", "Company", "Priority", "Status"), rows),
    ]
