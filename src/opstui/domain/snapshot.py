"""The weekly snapshot: every figure of a review week, frozen.

A snapshot is what next week's trend arrows and the week-over-week diff compare against,
so it stores figures as they were shown, not references to rows that may change since.
`SNAPSHOT_VERSION` goes up whenever the shape changes; older versions stay readable
because every field added later has a default.

Version history:
1. portfolio, bug rows, overall NPS, customer health, request ranking, escalations, KPIs.
2. adds the ids the week-over-week diff matches rows by, average weeks per phase, the bug
   targets of the week, action items, decisions, the risk register and the P0/P1 analysis.
3. adds the company id to each bug matrix row, so a renamed company keeps its counts.
4. adds the computed KPIs the snapshot did not hold yet (the number of NPS responses,
   support tickets this week, shipped requests) and each risk's project and company; the
   typed KPIs no longer hold NPS, support tickets or features shipped.
5. adds the Friday pre-read: each person's state and, once accepted, what they wrote.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from types import MappingProxyType
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from opstui.domain.bugs import TOTAL_LABEL
from opstui.domain.enums import (
    ActionPriority,
    ActionStatus,
    BugStatus,
    DecisionCategory,
    DecisionKind,
    HealthBand,
    Phase,
    PrereadStatus,
    Priority,
    ProjectStatus,
    RiskLevel,
    RiskStatus,
)
from opstui.domain.settings import BugTargets

SNAPSHOT_VERSION = 5

CROSS_COMPANY = "Cross-company"
"""The company shown for an action item that belongs to no single company."""


class _Figure(BaseModel):
    # Unknown keys are ignored so that a snapshot written by a newer opstui still loads.
    model_config = ConfigDict(extra="ignore", frozen=True)


class ProjectFigure(_Figure):
    id: int | None = None
    """The project's id (version 2 on); the diff falls back to the name without it."""
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
    """Days the completion date is behind its baseline (negative when ahead)."""


class BugRowFigure(_Figure):
    company: str
    company_id: int | None = None
    """The company's id (version 3 on; never on the total row); the diff falls back to
    the name without it."""
    p0: int
    p1: int
    p2: int
    p3: int
    untriaged: int = 0
    resolution_rate: float | None = None
    avg_resolution_days: float | None = None


class CustomerFigure(_Figure):
    id: int | None = None
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
    target_id: int | None = None
    """The id of the bug, project or customer escalated (version 2 on)."""


class ActionItemFigure(_Figure):
    id: int | None = None
    what: str
    owner: str = ""
    due_date: date | None = None
    company: str = CROSS_COMPANY
    priority: ActionPriority
    status: ActionStatus
    week: str
    """The review week the item came from (earlier weeks' open items carry over)."""
    closed_on: date | None = None

    def overdue_on(self, day: date) -> bool:
        """Not complete and past its due date on `day` (the snapshot's)."""
        return (
            self.status is not ActionStatus.COMPLETE
            and self.due_date is not None
            and self.due_date < day
        )


class DecisionFigure(_Figure):
    id: int | None = None
    what: str
    context: str = ""
    recommendation: str = ""
    kind: DecisionKind
    category: DecisionCategory
    week: str
    raised_at: datetime
    due_at: datetime
    decided_at: datetime | None = None


class RiskFigure(_Figure):
    id: int | None = None
    risk: str
    owner: str = ""
    mitigation: str = ""
    status: RiskStatus
    project: str = ""
    """The project the risk threatens, if any (version 4 on)."""
    company: str = ""
    """The company it threatens, if any (version 4 on)."""

    @property
    def closed(self) -> bool:
        return self.status is RiskStatus.CLOSED


class ComputedKpisFigure(_Figure):
    """The KPIs the app computes from the data, never typed, as the KPIs tab and the export
    show them. A snapshot stores each fact once: NPS in `nps`, the open bugs in the bug
    matrix's total row, the rest in fields of their own (`SnapshotData.computed_kpi_figures`
    puts them together). None is a figure a snapshot frozen before version 4 does not hold.
    """

    LABELS: ClassVar[Mapping[str, str]] = MappingProxyType(
        {
            "nps": "NPS",
            "open_bugs": "Open bugs",
            "support_tickets": "Support tickets this week",
            "shipped_requests": "Shipped feature requests",
        }
    )
    """Each computed KPI's label wherever the KPIs are shown ("open_bugs" covers p0–p3)."""

    nps: float | None = None
    """Overall NPS of every survey response (the customers screen's figure)."""
    nps_responses: int | None = None
    p0: int = 0
    p1: int = 0
    p2: int = 0
    p3: int = 0
    """Open bugs by priority: the bug matrix's total."""
    support_tickets: int | None = None
    """The tickets this week of every customer in service, added up."""
    shipped_requests: int | None = None
    """Feature requests whose status is shipped; no shipping date is recorded, so this is
    every shipped request, not those shipped this week."""

    @classmethod
    def label(cls, key: str) -> str:
        """A computed KPI's label, marked as computed: "NPS (computed)"."""
        return f"{cls.LABELS[key]} ({COMPUTED_MARK})"


COMPUTED_MARK = "computed"
"""How a computed KPI is marked wherever KPIs are shown, beside the typed ones."""


class CriticalBugFigure(_Figure):
    """An open P0 or P1 bug with the seed's analysis fields."""

    id: int | None = None
    title: str
    company: str
    priority: Priority
    status: BugStatus
    opened_at: datetime
    customers_affected: int | None = None
    revenue_impact: float | None = None
    root_cause: str = ""
    expected_fix_date: date | None = None
    prevention: str = ""
    security_flag: bool = False


class TargetsFigure(BugTargets):
    """The open-bug targets a week was judged against."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class PrereadPartFigure(_Figure):
    part: str
    text: str


class PrereadProjectFigure(_Figure):
    id: int | None = None
    name: str
    note: str


class PrereadFigure(_Figure):
    """One person's Friday pre-read as the week's review reads it; what they wrote is held
    only once the director accepted it (version 5 on)."""

    person_id: int | None = None
    person: str
    role: str
    status: PrereadStatus
    late: bool = False
    submitted_at: datetime | None = None
    reviewer: str = ""
    reviewed_at: datetime | None = None
    parts: tuple[PrereadPartFigure, ...] = ()
    projects: tuple[PrereadProjectFigure, ...] = ()


class SnapshotData(_Figure):
    """Everything frozen for one review week."""

    version: int = SNAPSHOT_VERSION
    week: str
    taken_on: date
    """The day the figures were computed as of."""
    projects: tuple[ProjectFigure, ...] = ()
    """Every project, in 4D phase order, then by name."""
    on_track: int = 0
    total_projects: int = 0
    avg_weeks_per_phase: dict[Phase, float | None] = {}
    """Mean completed stay per phase, in weeks; empty in version 1 snapshots."""
    bugs: tuple[BugRowFigure, ...] = ()
    """One row per company, then the total row (company "Total")."""
    targets: TargetsFigure = TargetsFigure()
    """The open-bug targets the week was judged against (the defaults for version 1)."""
    critical_bugs: tuple[CriticalBugFigure, ...] = ()
    """Open P0 and P1 bugs: P0 first, then by when they were opened."""
    nps: float | None = None
    customers: tuple[CustomerFigure, ...] = ()
    """Every customer, worst health first."""
    requests: tuple[RequestFigure, ...] = ()
    escalations: tuple[EscalationFigure, ...] = ()
    action_items: tuple[ActionItemFigure, ...] = ()
    """The week's action items and earlier weeks' items still open or closed this week."""
    decisions: tuple[DecisionFigure, ...] = ()
    """The week's decisions and earlier ones still undecided or decided this week."""
    risks: tuple[RiskFigure, ...] = ()
    """The risk register: open and mitigating risks first, then closed ones."""
    kpis: dict[str, float | int | None] = {}
    """The typed KPIs of the week (older snapshots also hold the since-retired typed NPS,
    support tickets and features shipped, which nothing reads)."""
    nps_responses: int | None = None
    """How many survey responses `nps` comes from (version 4 on)."""
    support_tickets: int | None = None
    """Computed KPI: customers' support tickets this week, added up (version 4 on)."""
    shipped_requests: int | None = None
    """Computed KPI: feature requests marked shipped (version 4 on)."""
    preread: tuple[PrereadFigure, ...] | None = None
    """Each product manager's and engineering lead's pre-read (version 5 on; None in
    snapshots frozen before)."""
    preread_due: datetime | None = None
    """When the week's pre-read was due (version 5 on)."""

    def computed_kpi_figures(self) -> ComputedKpisFigure:
        """The computed KPIs of the week, from the figures that hold them (a snapshot frozen
        before version 4 has no responses count, tickets or shipped requests: None)."""
        total = self.bug_total()
        counts = {} if total is None else total.model_dump(include={"p0", "p1", "p2", "p3"})
        return ComputedKpisFigure.model_validate(
            {
                "nps": self.nps,
                "nps_responses": self.nps_responses,
                "support_tickets": self.support_tickets,
                "shipped_requests": self.shipped_requests,
                **counts,
            }
        )

    def resolution_rates(self) -> dict[str, float | None]:
        """Resolution rate by company (and "Total"), for trend arrows."""
        return {row.company: row.resolution_rate for row in self.bugs}

    def company_bug_rows(self) -> tuple[BugRowFigure, ...]:
        """The bug matrix's company rows, without the total row."""
        # By position, not name: a company may be called "Total" too.
        return self.bugs[:-1] if self.bug_total() is not None else self.bugs

    def bug_total(self) -> BugRowFigure | None:
        """The bug matrix's total row (always the last), if the snapshot has one."""
        if self.bugs and self.bugs[-1].company == TOTAL_LABEL:
            return self.bugs[-1]
        return None
