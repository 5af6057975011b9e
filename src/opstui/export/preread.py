"""The Monday pre-read: the weekly review document, then what the meeting walks through
beyond the figures — each phase's deep dives with the CPTO input they need and the
cross-company synergies section. Where every person's Friday submission stands, and what
the director accepted, is the review document's own "Friday pre-read" section.

The deep dives follow `domain.deep_dive` (as the portfolio panel and meeting mode) and the
synergies `domain.synergies` (as meeting mode), over the same figures.
"""

from __future__ import annotations

from opstui.data.messages import PrereadFigures
from opstui.domain.deep_dive import DeepDive, phase_deep_dives
from opstui.domain.review import AGENDA
from opstui.domain.synergies import Synergies, week_synergies
from opstui.export.context import WeekContext, redacted_context
from opstui.export.escape import bullets, heading, inline
from opstui.export.markdown import week_blocks
from opstui.export.numbers import MISSING, day_month, day_time


def render_preread(figures: PrereadFigures, redact: bool = False) -> str:
    """The pre-read document (`redact` as the weekly export's)."""
    week = redacted_context(figures.week.snapshot, figures.week.previous, redact=redact)
    blocks = [
        *week_blocks(week),
        *_deep_dives(figures, week),
        *render_synergies(
            week_synergies(week.snapshot.action_items, week.snapshot.decisions), week
        ),
    ]
    return "\n\n".join(blocks) + "\n"


def _dive(dive: DeepDive, week: WeekContext) -> list[str]:
    text = week.redact.text
    project = dive.project
    facts = " · ".join(
        part
        for part in (
            inline(dive.company),
            inline(dive.owners),
            f"{project.progress:.0f}%",
            project.status.value,
        )
        if part
    )
    items = [
        f"**{inline(label)}:** {inline(text(value)) or MISSING}" for label, value in dive.fields
    ]
    cpto = inline(text(dive.cpto_input))
    items.append(f"**CPTO input needed:** {cpto or 'none'}")
    return [f"**{inline(text(project.name)) or MISSING}** · {facts}", bullets(items)]


def _deep_dives(figures: PrereadFigures, week: WeekContext) -> list[str]:
    blocks = [heading(2, "Phase deep dives")]
    money = week.redact.money

    def impact(value: float) -> str:
        return f"{money(value)} ARR"

    asks = 0
    for section in AGENDA:
        if section.phase is None:
            continue
        dives = phase_deep_dives(
            figures.projects, section.phase, figures.companies, figures.people, impact
        )
        asks += sum(1 for dive in dives if dive.cpto_input)
        blocks.append(heading(3, f"{section.phase.value} ({section.minutes} minutes)"))
        if not dives:
            blocks.append(f"No {section.phase.value} projects.")
        for dive in dives:
            blocks.extend(_dive(dive, week))
    noun = "project asks" if asks == 1 else "projects ask"
    blocks.insert(
        1,
        f"The projects as they stand now, by phase; {asks} {noun} for CPTO input."
        if figures.projects
        else "No projects.",
    )
    return blocks


def render_synergies(synergies: Synergies, week: WeekContext) -> list[str]:
    """The agenda's synergies section: cross-company action items, then the resource and
    technology decisions on the agenda."""
    blocks = [heading(2, "Cross-company synergies and resources")]
    if synergies.is_empty:
        return [
            *blocks,
            "No cross-company action items and no resource, technology or partnership "
            "decisions this week.",
        ]
    text = week.redact.text
    actions = [
        f"{inline(text(item.what))} — {inline(item.owner) or 'no owner'}, due "
        f"{day_month(item.due_date, week.year)} ({item.status.value})"
        for item in synergies.actions
    ]
    decisions = [
        f"{inline(text(d.what))} ({inline(d.category.value)}; "
        + (
            f"decided {day_time(d.decided_at, week.year)}"
            if d.decided_at is not None
            else f"due {day_time(d.due_at, week.year)}"
        )
        + ")"
        + (f" — {inline(text(d.recommendation))}" if d.recommendation else "")
        for d in synergies.decisions
    ]
    return [
        *blocks,
        "**Cross-company action items**",
        bullets(actions or ["None."]),
        "**Resource, technology and partnership decisions**",
        bullets(decisions or ["None."]),
    ]
