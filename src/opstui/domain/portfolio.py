"""Portfolio figures: slip against baseline, projects on track by 4D phase, time per phase."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from opstui.domain.enums import Phase, ProjectStatus
from opstui.domain.models import PhaseChange, Project

SLIP_ESCALATION_DAYS = 7
"""A project slipping more than this many days is escalated (seed: "> 1 week delay")."""

# Not `Phase.index`: that property shadows `str.index`, and may be renamed.
_PHASE_ORDER = {phase: position for position, phase in enumerate(Phase)}


def slip_days(project: Project) -> int | None:
    """Days the target completion is behind its baseline (negative when ahead).

    None when the project has no completion date or no baseline to compare with.
    """
    if project.completion_date is None or project.baseline_completion is None:
        return None
    return (project.completion_date - project.baseline_completion).days


def is_slipping(project: Project) -> bool:
    """Whether the project has slipped more than a week (`SLIP_ESCALATION_DAYS`)."""
    slip = slip_days(project)
    return slip is not None and slip > SLIP_ESCALATION_DAYS


@dataclass(frozen=True, slots=True)
class PortfolioSummary:
    """The portfolio's headline figures. Every dict holds all four phases, in 4D order."""

    total: int
    on_track: int
    by_phase: dict[Phase, int]
    on_track_by_phase: dict[Phase, int]
    avg_weeks_per_phase: dict[Phase, float | None]
    """Mean length of a completed stay in each phase, in weeks; None with no such stay."""
    slipping: tuple[Project, ...]
    """Projects more than a week behind baseline, most slipped first."""


def _phase_counts(projects: Sequence[Project]) -> dict[Phase, int]:
    counts = dict.fromkeys(Phase, 0)
    for project in projects:
        counts[project.phase] += 1
    return counts


def _average_weeks_per_phase(
    projects: Sequence[Project], history: Sequence[PhaseChange], today: date
) -> dict[Phase, float | None]:
    project_ids = {project.id for project in projects if project.id is not None}
    changes_by_project: dict[int, list[PhaseChange]] = defaultdict(list)
    for change in history:
        if change.project_id in project_ids:
            changes_by_project[change.project_id].append(change)

    stay_days: dict[Phase, list[int]] = {phase: [] for phase in Phase}
    for changes in changes_by_project.values():
        # Ties on a date keep the order they were recorded in (the id).
        changes.sort(key=lambda c: (c.entered_on, c.id if c.id is not None else 0))
        current = changes[0]
        for change in changes[1:]:
            if change.entered_on > today:
                break  # Future-dated: that move has not happened yet.
            if change.phase is current.phase:
                continue  # Re-recording the same phase does not end the stay.
            stay_days[current.phase].append((change.entered_on - current.entered_on).days)
            current = change

    return {
        phase: round(sum(days) / len(days) / 7, 1) if days else None
        for phase, days in stay_days.items()
    }


def portfolio_summary(
    projects: Sequence[Project], history: Sequence[PhaseChange], today: date
) -> PortfolioSummary:
    """Projects on track out of total, overall and by phase; time per phase; slipping projects.

    Average weeks per phase: each project's PhaseChange rows (only those of `projects`) are
    sorted by `entered_on`, ties by id. A stay in a phase lasts from the row that entered it
    to the next row that enters a different phase. Only completed stays count — the project
    has moved on — and a move dated after `today` has not happened yet, so the stay it would
    end is not counted either. The figure is the mean stay in days divided by 7, rounded to
    one decimal; None for a phase with no completed stay.
    """
    on_track = [p for p in projects if p.status is ProjectStatus.ON_TRACK]
    slipping = sorted(
        (p for p in projects if is_slipping(p)),
        key=lambda p: (-(slip_days(p) or 0), p.name.casefold(), p.name),
    )
    return PortfolioSummary(
        total=len(projects),
        on_track=len(on_track),
        by_phase=_phase_counts(projects),
        on_track_by_phase=_phase_counts(on_track),
        avg_weeks_per_phase=_average_weeks_per_phase(projects, history, today),
        slipping=tuple(slipping),
    )


def sort_projects_by_phase(projects: Sequence[Project]) -> tuple[Project, ...]:
    """The projects in 4D order (Discovery first), then by name, case-insensitively."""
    return tuple(
        sorted(
            projects,
            key=lambda p: (
                _PHASE_ORDER[p.phase],
                p.name.casefold(),
                p.name,
                p.id if p.id is not None else 0,
            ),
        )
    )
