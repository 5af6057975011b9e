"""A workspace's figures: repository queries fed to the pure domain functions.

Screens, the export and the snapshot all read figures through here, so each figure is
computed one way everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from opstui.data.repository import Repository
from opstui.domain.bugs import BugMatrix, bug_matrix
from opstui.domain.customers import Health, RankedRequest, health, nps, rank_requests
from opstui.domain.enums import Priority
from opstui.domain.escalations import Escalation, escalations
from opstui.domain.models import Customer
from opstui.domain.portfolio import slip_days, sort_projects_by_phase
from opstui.domain.settings import BugTargets, HealthModel
from opstui.domain.snapshot import (
    BugRowFigure,
    CustomerFigure,
    EscalationFigure,
    ProjectFigure,
    RequestFigure,
    SnapshotData,
)


@dataclass(frozen=True, slots=True)
class CustomerHealth:
    """A customer with its NPS and explained health score."""

    customer: Customer
    nps: float | None
    responses: int
    health: Health


def previous_snapshot(repo: Repository, week: str) -> SnapshotData | None:
    """The newest snapshot frozen before `week`, if any."""
    earlier = [frozen for frozen in repo.snapshot_weeks() if frozen < week]
    if not earlier:
        return None
    data = repo.snapshot_data(earlier[-1])
    return None if data is None else SnapshotData.model_validate(data)


def current_bug_matrix(
    repo: Repository, today: date, targets: BugTargets, previous: SnapshotData | None
) -> BugMatrix:
    counts = repo.bug_counts_by_company(today, targets.resolution_window_days)
    rates = previous.resolution_rates() if previous is not None else None
    return bug_matrix(counts, targets, rates)


def customer_health(repo: Repository, model: HealthModel, today: date) -> list[CustomerHealth]:
    """Every customer with NPS and health, worst health first."""
    scores = repo.nps_scores()
    rows = []
    for customer in repo.customers():
        own = scores.get(customer.id or -1, [])
        value = nps(own)
        rows.append(
            CustomerHealth(
                customer, value, len(own), health(customer, value, len(own), model, today)
            )
        )
    rows.sort(key=lambda row: (row.health.score, row.customer.name.casefold()))
    return rows


def overall_nps(repo: Repository) -> float | None:
    """NPS over every response of every customer."""
    return nps([score for scores in repo.nps_scores().values() for score in scores])


def ranked_requests(repo: Repository) -> tuple[RankedRequest, ...]:
    customers = {customer.id: customer for customer in repo.customers()}
    askers = {
        request_id: [customers[cid] for cid in ids if cid in customers]
        for request_id, ids in repo.request_asker_ids().items()
    }
    return rank_requests(repo.feature_requests(), askers)


def current_escalations(repo: Repository, today: date) -> tuple[Escalation, ...]:
    return escalations(repo.escalation_bugs(), repo.projects(), repo.customers(), today)


def week_snapshot(
    repo: Repository, week: str, today: date, targets: BugTargets, model: HealthModel
) -> SnapshotData:
    """Every figure of `week` as the workspace stands on `today`."""
    companies = {company.id: company.name for company in repo.companies()}
    projects = sort_projects_by_phase(repo.projects())
    previous = previous_snapshot(repo, week)
    matrix = current_bug_matrix(repo, today, targets, previous)
    health_rows = customer_health(repo, model, today)
    kpis = repo.kpis(week)
    return SnapshotData(
        week=week,
        taken_on=today,
        projects=tuple(
            ProjectFigure(
                name=project.name,
                company=companies.get(project.company_id, ""),
                phase=project.phase,
                progress=project.progress,
                status=project.status,
                next_milestone=project.next_milestone,
                milestone_date=project.milestone_date,
                risk=project.risk,
                completion_date=project.completion_date,
                slip_days=slip_days(project),
            )
            for project in projects
        ),
        on_track=sum(1 for project in projects if project.status.value == "On track"),
        total_projects=len(projects),
        bugs=tuple(
            BugRowFigure(
                company=row.company,
                p0=row.counts[Priority.P0],
                p1=row.counts[Priority.P1],
                p2=row.counts[Priority.P2],
                p3=row.counts[Priority.P3],
                untriaged=row.untriaged,
                resolution_rate=row.resolution_rate,
                avg_resolution_days=row.avg_resolution_days,
            )
            for row in (*matrix.rows, matrix.total)
        ),
        nps=overall_nps(repo),
        customers=tuple(
            CustomerFigure(
                name=row.customer.name,
                company=companies.get(row.customer.company_id, ""),
                arr=row.customer.arr,
                nps=row.nps,
                health=row.health.score,
                band=row.health.band,
            )
            for row in health_rows
        ),
        requests=tuple(
            RequestFigure(
                title=ranked.request.title,
                customers=ranked.customers,
                arr=ranked.arr,
                candidate=ranked.candidate,
            )
            for ranked in ranked_requests(repo)
        ),
        escalations=tuple(
            EscalationFigure(
                trigger=item.trigger.value, kind=item.kind, title=item.title, detail=item.detail
            )
            for item in current_escalations(repo, today)
        ),
        kpis={} if kpis is None else kpis.model_dump(exclude={"week"}),
    )
