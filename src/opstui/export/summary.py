"""The executive summary sent to the C-level within two hours of the Monday meeting.

Short enough to read in two minutes: the week at a glance, the decisions taken and those due
within 48 hours, the escalations by trigger, what was noted in each agenda section (meeting
mode's notes) and the top risks. Every list is capped and says how many it leaves out; the
pre-read has the rest.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from opstui.data.messages import SummaryFigures
from opstui.domain.enums import ActionStatus, DecisionKind, EscalationTrigger, Priority
from opstui.domain.review import AGENDA
from opstui.domain.snapshot import DecisionFigure
from opstui.domain.weeks import week_days
from opstui.export.agenda import escalation_title
from opstui.export.context import REDACTED_NOTE, WeekContext, redacted_context, week_span
from opstui.export.escape import bullets, capped, heading, inline
from opstui.export.numbers import MISSING, day_time, full_date, number, score, versus

SHOWN = 3
"""Items listed per list; the rest are counted."""
NOTE_LINES = 4
"""Lines of a section's notes quoted; the rest are counted."""


def render_summary(figures: SummaryFigures, redact: bool = False) -> str:
    """The executive summary of the week's meeting (`redact` as the weekly export's)."""
    week = redacted_context(figures.week.snapshot, figures.week.previous, redact=redact)
    blocks = [
        *_title(week),
        *_decisions(week),
        *_escalations(week),
        *_notes(figures.notes, week),
        *_risks(week),
    ]
    return "\n\n".join(blocks) + "\n"


def _title(week: WeekContext) -> list[str]:
    snapshot = week.snapshot
    intro = (
        f"After the Monday review of {snapshot.week} ({week_span(week)}). Figures as of "
        f"{full_date(snapshot.taken_on)}."
    )
    if week.redact.active:
        intro += REDACTED_NOTE
    total = snapshot.bug_total()
    previous_on_track = None if week.previous is None else week.previous.on_track
    glance = [
        f"Projects on track: **{snapshot.on_track} / {snapshot.total_projects}**"
        f"{versus(snapshot.on_track, previous_on_track, week.previous_week)}",
        "Open bugs: "
        + (
            MISSING
            if total is None
            else f"**{total.p0} P0** (target {snapshot.targets.p0_max}), {total.p1} P1, "
            f"{total.p2} P2"
        ),
        f"NPS: {score(snapshot.nps)} · escalations: {number(len(snapshot.escalations))}",
    ]
    open_items = [
        item for item in snapshot.action_items if item.status is not ActionStatus.COMPLETE
    ]
    overdue = [i for i in open_items if i.overdue_on(snapshot.taken_on)]
    glance.append(
        f"Action items open: {len(open_items)}" + (f" ({len(overdue)} overdue)" if overdue else "")
    )
    return [
        heading(1, f"Executive summary — {snapshot.week}"),
        intro,
        "**At a glance**",
        bullets(glance),
    ]


def _decision(decision: DecisionFigure, week: WeekContext, when: str) -> str:
    text = week.redact.text
    line = f"{inline(text(decision.what))} ({inline(decision.category.value)}; {when})"
    if decision.recommendation:
        line += f" — {inline(text(decision.recommendation))}"
    return line


def _decisions(week: WeekContext) -> list[str]:
    snapshot = week.snapshot
    monday, sunday = _days(week)
    taken = [
        d
        for d in snapshot.decisions
        if d.decided_at is not None and monday <= d.decided_at.date() <= sunday
    ]
    pending = [
        d for d in snapshot.decisions if d.decided_at is None and d.kind is DecisionKind.FOLLOW_UP
    ]
    other = [d for d in snapshot.decisions if d.decided_at is None and d not in pending]
    blocks = [heading(2, "Decisions")]
    blocks.append("**Taken**")
    blocks.append(
        bullets(
            capped(
                [_decision(d, week, f"decided {day_time(d.decided_at, week.year)}") for d in taken],
                SHOWN,
            )
            or ["None this week."]
        )
    )
    blocks.append("**Follow-ups due within 48 hours**")
    lines = []
    for d in pending:
        overdue = d.due_at.date() < snapshot.taken_on
        when = f"{'overdue since' if overdue else 'due'} {day_time(d.due_at, week.year)}"
        lines.append(_decision(d, week, when))
    lines += [_decision(d, week, "to decide in the meeting") for d in other]
    blocks.append(bullets(capped(lines, SHOWN) or ["None."]))
    return blocks


def _days(week: WeekContext) -> tuple[date, date]:
    try:
        return week_days(week.snapshot.week)
    except ValueError:
        day = week.snapshot.taken_on
        return day, day


def _escalations(week: WeekContext) -> list[str]:
    escalations = week.snapshot.escalations
    blocks = [heading(2, f"Escalations ({number(len(escalations))})")]
    if not escalations:
        return [*blocks, "Nothing needs the CPTO's immediate attention."]
    lines = []
    for trigger in EscalationTrigger:
        found = [e for e in escalations if e.trigger == trigger.value]
        if not found:
            continue
        titles = capped([escalation_title(e, week.redact) for e in found], SHOWN)
        if trigger is EscalationTrigger.BUG_UNRESOLVED:
            p0 = sum(1 for bug in week.snapshot.critical_bugs if bug.priority is Priority.P0)
            label = f"{_sentence(trigger.value)}: {len(found)} ({p0} P0)"
        else:
            label = f"{_sentence(trigger.value)}: {len(found)}"
        lines.append(f"**{label}** — {'; '.join(titles)}")
    known = {trigger.value for trigger in EscalationTrigger}
    others = [e for e in escalations if e.trigger not in known]
    if others:
        lines.append(
            f"**Other: {len(others)}** — "
            + "; ".join(capped([escalation_title(e, week.redact) for e in others], SHOWN))
        )
    return [*blocks, bullets(lines)]


def _sentence(text: str) -> str:
    """ "project more than a week late" → "Project more than a week late", escaped."""
    return inline(text[:1].upper() + text[1:])


def _notes(notes: Mapping[str, str], week: WeekContext) -> list[str]:
    blocks = [heading(2, "Notes from the meeting")]
    written = [(s, notes.get(s.key, "").strip()) for s in AGENDA]
    if not any(text for _, text in written):
        return [*blocks, "No notes were written in meeting mode."]
    lines = []
    for section, text in written:
        if not text:
            continue
        said = [inline(week.redact.text(line)) for line in text.splitlines() if line.strip()]
        said = [line for line in said if line]
        lines.append(f"**{inline(section.title)}:** " + " · ".join(capped(said, NOTE_LINES)))
    empty = [s.title for s, text in written if not text]
    if empty:
        lines.append("No notes: " + ", ".join(inline(title) for title in empty) + ".")
    return [*blocks, bullets(lines)]


def _risks(week: WeekContext) -> list[str]:
    risks = [risk for risk in week.snapshot.risks if not risk.closed]
    blocks = [heading(2, "Top risks")]
    if not risks:
        return [*blocks, "No open risks in the register."]
    text = week.redact.text
    lines = [
        f"{inline(text(r.risk))} ({r.status.value}; {inline(r.owner) or 'no owner'}) — "
        f"{inline(text(r.mitigation)) or 'no mitigation yet'}"
        for r in risks
    ]
    return [*blocks, bullets(capped(lines, SHOWN, "more in the risk register"))]
