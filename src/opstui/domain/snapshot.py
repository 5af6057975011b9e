"""The weekly snapshot: every figure of a review week, frozen.

A snapshot is what next week's trend arrows and the week-over-week diff compare against,
so it stores figures as they were shown, not references to rows that may change since.
`SNAPSHOT_VERSION` goes up whenever the shape changes; older versions stay readable.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

from opstui.domain.enums import HealthBand, Phase, ProjectStatus, RiskLevel

SNAPSHOT_VERSION = 1


class _Figure(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class ProjectFigure(_Figure):
    name: str
    company: str
    phase: Phase
    progress: float
    status: ProjectStatus
    next_milestone: str
    milestone_date: date | None = None
    risk: RiskLevel
    completion_date: date | None = None
    slip_days: int | None = None


class BugRowFigure(_Figure):
    company: str
    p0: int
    p1: int
    p2: int
    p3: int
    untriaged: int = 0
    resolution_rate: float | None = None
    avg_resolution_days: float | None = None


class CustomerFigure(_Figure):
    name: str
    company: str
    arr: float
    nps: float | None = None
    health: int
    band: HealthBand


class RequestFigure(_Figure):
    title: str
    customers: int
    arr: float
    candidate: bool


class EscalationFigure(_Figure):
    trigger: str
    kind: str
    title: str
    detail: str


class SnapshotData(_Figure):
    """Everything frozen for one review week."""

    version: int = SNAPSHOT_VERSION
    week: str
    taken_on: date
    projects: tuple[ProjectFigure, ...] = ()
    on_track: int = 0
    total_projects: int = 0
    bugs: tuple[BugRowFigure, ...] = ()
    """One row per company, then the total row (company "Total")."""
    nps: float | None = None
    customers: tuple[CustomerFigure, ...] = ()
    requests: tuple[RequestFigure, ...] = ()
    escalations: tuple[EscalationFigure, ...] = ()
    kpis: dict[str, float | int | None] = {}

    def resolution_rates(self) -> dict[str, float | None]:
        """Resolution rate by company (and "Total"), for trend arrows."""
        return {row.company: row.resolution_rate for row in self.bugs}
