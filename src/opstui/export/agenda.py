"""The agenda sections: action items, decisions, escalations and the risk register."""

from __future__ import annotations

from opstui.domain.snapshot import ActionItemFigure, EscalationFigure
from opstui.export.context import WeekContext
from opstui.export.escape import heading, inline, table
from opstui.export.numbers import MISSING, day_month, day_time, number
from opstui.export.redact import Redactor


def action_due(item: ActionItemFigure, week: WeekContext) -> str:
    """An action item's due date, "3 July, overdue" when it is."""
    due = day_month(item.due_date, week.year)
    return f"{due}, overdue" if item.overdue_on(week.snapshot.taken_on) else due


def action_status(item: ActionItemFigure, week: WeekContext) -> str:
    """An action item's status, with the week it came from when carried over."""
    status = item.status.value
    if item.week != week.snapshot.week:
        status += f" (from {inline(item.week)})"
    return status


def render_action_items(week: WeekContext) -> list[str]:
    """The week's action items and those carried over, in the seed's columns."""
    snapshot, redact = week.snapshot, week.redact
    blocks = [heading(2, "Action items")]
    if not snapshot.action_items:
        return [*blocks, "No action items."]
    rows = []
    for item in snapshot.action_items:
        due, status = action_due(item, week), action_status(item, week)
        rows.append(
            (
                inline(redact.text(item.what)),
                inline(item.owner) or MISSING,
                due,
                inline(item.company) or MISSING,
                item.priority.value,
                status,
            )
        )
    blocks.append(
        table(("Action Item", "Owner", "Due Date", "Company", "Priority", "Status"), rows)
    )
    return blocks


def render_decisions(week: WeekContext) -> list[str]:
    """Decisions on the agenda: kind, category, when raised, due and decided."""
    snapshot, redact = week.snapshot, week.redact
    blocks = [heading(2, "Decisions")]
    if not snapshot.decisions:
        return [*blocks, "No decisions on the agenda."]
    rows = []
    for decision in snapshot.decisions:
        due = day_time(decision.due_at, week.year)
        if decision.decided_at is None and decision.due_at.date() < snapshot.taken_on:
            due += ", overdue"
        context = inline(redact.text(decision.context))
        if decision.recommendation:
            context += f" Recommendation: {inline(redact.text(decision.recommendation))}"
        rows.append(
            (
                inline(redact.text(decision.what)),
                decision.kind.value,
                inline(decision.category.value),
                day_time(decision.raised_at, week.year),
                due,
                day_time(decision.decided_at, week.year),
                context.strip() or MISSING,
            )
        )
    blocks.append(
        table(
            (
                "Decision",
                "Kind",
                "Category",
                "Raised",
                "Due",
                "Decided",
                "Context and Recommendation",
            ),
            rows,
        )
    )
    return blocks


def escalation_title(escalation: EscalationFigure, redact: Redactor) -> str:
    """What is escalated, as Markdown: a customer by its (redacted) name, else the title."""
    if escalation.kind == "customer":
        return inline(redact.customer(escalation.title, escalation.target_id))
    return inline(redact.text(escalation.title))


def render_escalations(week: WeekContext) -> list[str]:
    """Everything that triggers the CPTO's immediate attention."""
    escalations = week.snapshot.escalations
    blocks = [heading(2, "Escalations")]
    if not escalations:
        return [*blocks, "Nothing needs the CPTO's immediate attention."]
    noun = "item needs" if len(escalations) == 1 else "items need"
    blocks.append(f"{number(len(escalations))} {noun} the CPTO's immediate attention.")
    redact = week.redact
    blocks.append(
        table(
            ("Trigger", "What", "Detail"),
            [
                (
                    inline(e.trigger),
                    escalation_title(e, redact),
                    inline(redact.text(e.detail)) or MISSING,
                )
                for e in escalations
            ],
        )
    )
    return blocks


def render_risks(week: WeekContext) -> list[str]:
    """The risk register: open and mitigating risks first, then closed ones (the order the
    snapshot holds them in, as the weekly screen and meeting mode show them)."""
    blocks = [heading(2, "Risks")]
    if not week.snapshot.risks:
        return [*blocks, "No risks in the register."]
    redact = week.redact
    blocks.append(
        table(
            ("Risk", "Owner", "Mitigation", "Status", "Project", "Company"),
            [
                (
                    inline(redact.text(r.risk)),
                    inline(r.owner) or MISSING,
                    inline(redact.text(r.mitigation)) or MISSING,
                    r.status.value,
                    inline(redact.text(r.project)) or MISSING,
                    inline(r.company) or MISSING,
                )
                for r in week.snapshot.risks
            ],
        )
    )
    return blocks
