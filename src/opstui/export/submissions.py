"""The Friday pre-read in the review document: where each person's submission stands, and
what the director accepted — by project (each project's figures with its notes) and by
person (each part of what they owe, in the seed's order)."""

from __future__ import annotations

from opstui.domain.enums import PrereadStatus
from opstui.domain.snapshot import PrereadFigure, ProjectFigure
from opstui.export.context import WeekContext
from opstui.export.escape import bullets, heading, inline, table
from opstui.export.numbers import MISSING, day_time, percent

STATUS_WORDS = {
    PrereadStatus.MISSING: "Missing",
    PrereadStatus.DRAFT: "Draft",
    PrereadStatus.SUBMITTED: "Submitted",
    PrereadStatus.LATE: "Submitted late",
    PrereadStatus.RETURNED: "Returned",
    PrereadStatus.ACCEPTED: "Accepted",
}
"""How the document names each state of a pre-read."""


def _status(figure: PrereadFigure) -> str:
    words = STATUS_WORDS[figure.status]
    if figure.late and figure.status is not PrereadStatus.LATE:
        words += " (late)"
    return words


def _project_line(project: ProjectFigure | None, week: WeekContext) -> str:
    if project is None:
        return ""
    milestone = inline(week.redact.text(project.next_milestone)) or MISSING
    return f" · {project.status.value} · {percent(project.progress)} · next: {milestone}"


def render_submissions(week: WeekContext) -> list[str]:
    """The pre-read section: a table of everyone's state, then the accepted content."""
    snapshot, redact = week.snapshot, week.redact
    blocks = [heading(2, "Friday pre-read")]
    figures = snapshot.preread
    if figures is None:
        return [*blocks, "This snapshot was frozen before pre-read submissions were kept."]
    if not figures:
        return [*blocks, "No product managers or engineering leads owe a pre-read."]
    accepted = [f for f in figures if f.status is PrereadStatus.ACCEPTED]
    due = snapshot.preread_due
    due_words = "" if due is None else f" Due {day_time(due, week.year)}."
    blocks.append(
        f"**Accepted: {len(accepted)} / {len(figures)}** · "
        f"late: {sum(1 for f in figures if f.late)}.{due_words}"
    )
    blocks.append(
        table(
            ("Person", "Role", "State", "Submitted", "Reviewed by"),
            [
                (
                    inline(f.person) or MISSING,
                    inline(f.role),
                    _status(f),
                    day_time(f.submitted_at, week.year),
                    inline(f.reviewer) or MISSING,
                )
                for f in figures
            ],
        )
    )
    if not accepted:
        return [*blocks, "No pre-read accepted yet."]
    # By project, in the portfolio's order (phase, then name); one line per note.
    order = {p.id: index for index, p in enumerate(snapshot.projects) if p.id is not None}
    projects = {p.id: p for p in snapshot.projects if p.id is not None}
    notes = [
        (order.get(note.id or -1, len(order)), note.name.casefold(), rank, figure, note)
        for rank, figure in enumerate(accepted)
        for note in figure.projects
    ]
    notes.sort(key=lambda item: item[:3])
    blocks.append(heading(3, "By project"))
    if not notes:
        blocks.append("No project notes in the accepted pre-reads.")
    else:
        lines = []
        for _, _, _, figure, note in notes:
            project = projects.get(note.id) if note.id is not None else None
            name = inline(redact.text(project.name if project else note.name)) or MISSING
            lines.append(
                f"**{name}**{_project_line(project, week)} — "
                f"{inline(figure.person) or MISSING} ({inline(figure.role)}): "
                f"{inline(redact.text(note.note)) or MISSING}"
            )
        blocks.append(bullets(lines))
    blocks.append(heading(3, "By person"))
    for figure in accepted:
        blocks.append(f"**{inline(figure.person) or MISSING}** · {inline(figure.role)}")
        blocks.append(
            bullets(
                [
                    f"**{inline(part.part[:1].upper() + part.part[1:])}:** "
                    f"{inline(redact.text(part.text)) or MISSING}"
                    for part in figure.parts
                ]
            )
        )
    return blocks
