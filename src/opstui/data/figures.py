"""A workspace's figures: repository queries fed to the pure domain functions.

Screens, the export and the snapshot all read figures through here, so each figure is
computed one way everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from opstui.data.repository import Repository
from opstui.domain.bugs import URGENT_PRIORITIES, BugMatrix, CompanyBugCounts, bug_matrix
from opstui.domain.customers import (
    CustomerRow,
    Health,
    RankedRequest,
    health,
    health_scores,
    nps,
    rank_requests,
)
from opstui.domain.enums import Priority, ProjectStatus, RiskStatus
from opstui.domain.escalations import Escalation, escalations
from opstui.domain.history import Change
from opstui.domain.models import (
    ActionItem,
    Bug,
    Company,
    Customer,
    FeatureRequest,
    FeedbackEntry,
    Kpis,
    NpsResponse,
    Person,
    Project,
)
from opstui.domain.portfolio import portfolio_summary, slip_days, sort_projects_by_phase
from opstui.domain.review import PrereadSummary, preread, week_action_items, week_decisions
from opstui.domain.settings import BugTargets, HealthModel
from opstui.domain.snapshot import (
    CROSS_COMPANY,
    ActionItemFigure,
    BugRowFigure,
    ComputedKpisFigure,
    CriticalBugFigure,
    CustomerFigure,
    DecisionFigure,
    EscalationFigure,
    PrereadFigure,
    PrereadPartFigure,
    PrereadProjectFigure,
    ProjectFigure,
    RequestFigure,
    RiskFigure,
    SnapshotData,
    TargetsFigure,
)
from opstui.domain.synergies import Synergies, week_synergies
from opstui.domain.weeks import PREREAD_DUE_TIME


@dataclass(frozen=True, slots=True)
class CustomerHealth:
    """A customer with its NPS and health score (explained when its factors are asked for)."""

    customer: CustomerRow
    nps: float | None
    responses: int
    health: Health


CUSTOMER_HISTORY_SHOWN = 4
"""Changes of the customer record its detail lists (the latest)."""


@dataclass(frozen=True, slots=True)
class CustomerFile:
    """Everything the detail shows about one customer."""

    customer: Customer
    company: str
    """The name of the company serving the customer."""
    csm: str
    health: Health
    nps: float | None
    responses: list[NpsResponse]
    feedback: list[FeedbackEntry]
    requests: dict[int, FeatureRequest]
    asked_for: list[FeatureRequest]
    asking: dict[int, int]
    """Customers asking, by request id."""
    history: list[Change]
    """The customer record's recorded changes, newest first."""


def customer_file(
    repo: Repository, customer_id: int, model: HealthModel, today: date
) -> CustomerFile:
    """One customer up close: its health explained, what it said and asked for, its NPS
    responses and the record's history. Raises LookupError when it no longer exists."""
    customer = repo.get(Customer, customer_id)
    if customer is None:
        raise LookupError("this customer no longer exists")
    responses = repo.nps_responses(customer_id)
    value = nps([response.score for response in responses])
    company = repo.get(Company, customer.company_id)
    csm = None if customer.csm_id is None else repo.get(Person, customer.csm_id)
    return CustomerFile(
        customer=customer,
        company="" if company is None else company.name,
        csm="" if csm is None else csm.name,
        health=health(customer, value, len(responses), model, today),
        nps=value,
        responses=responses,
        feedback=repo.feedback(customer_id),
        requests={r.id: r for r in repo.feature_requests() if r.id is not None},
        asked_for=repo.customer_requests(customer_id),
        asking={rid: len(ids) for rid, ids in repo.request_asker_ids().items()},
        history=repo.history_of(Customer, customer_id, limit=CUSTOMER_HISTORY_SHOWN + 1),
    )


def previous_snapshot(repo: Repository, week: str) -> SnapshotData | None:
    """The newest snapshot frozen before `week`, if any."""
    earlier = [frozen for frozen in repo.snapshot_weeks() if frozen < week]
    if not earlier:
        return None
    text = repo.snapshot_json(earlier[-1])
    return None if text is None else SnapshotData.model_validate_json(text)


@dataclass(frozen=True, slots=True)
class PreviousHealth:
    """What the customers screen compares with: the previous snapshot's overall NPS and
    each customer's health score, by name."""

    week: str
    nps: float | None
    health: dict[str, int]


def previous_health(repo: Repository, week: str) -> PreviousHealth | None:
    """The newest snapshot frozen before `week`'s NPS and customer health scores, read
    without loading the whole snapshot (a score that is not a whole number is left out)."""
    previous = previous_frozen_week(repo, week)
    if previous is None:
        return None
    value = repo.snapshot_part(previous, "nps")
    return PreviousHealth(
        week=previous,
        nps=float(value) if isinstance(value, int | float) else None,
        health={
            name: score
            for name, score in repo.snapshot_customer_health(previous)
            if isinstance(name, str) and type(score) is int
        },
    )


def previous_frozen_week(repo: Repository, week: str) -> str | None:
    """The newest frozen week before `week`."""
    earlier = [frozen for frozen in repo.snapshot_weeks() if frozen < week]
    return earlier[-1] if earlier else None


def previous_figure(repo: Repository, week: str, key: str) -> tuple[str, Any] | None:
    """One top-level figure of the previous snapshot (its week, the value), read without
    loading the whole snapshot: trends need a number or two, not 7,000 rows."""
    previous = previous_frozen_week(repo, week)
    if previous is None:
        return None
    return previous, repo.snapshot_part(previous, key)


def previous_rates(repo: Repository, week: str) -> dict[str, float | None] | None:
    """Resolution rate by company (and "Total") in the previous snapshot."""
    found = previous_figure(repo, week, "bugs")
    if found is None or not isinstance(found[1], list):
        return None
    return {
        str(row.get("company")): row.get("resolution_rate")
        for row in found[1]
        if isinstance(row, dict)
    }


MATRIX_HISTORY_WEEKS = 5
"""Weeks before this one whose resolution rates the matrix's trend column draws."""


def week_bug_matrix(repo: Repository, today: date, targets: BugTargets, week: str) -> BugMatrix:
    """The matrix the screens show: as of `today`, trends against the last frozen week, and
    each row's resolution rate over the last weeks (from the trends' loader)."""
    from opstui.data.trends import resolution_history

    counts = repo.company_bug_counts(today, targets.resolution_window_days)
    matrix = bug_matrix(counts, targets, previous_rates(repo, week))
    earlier = resolution_history(repo, week, MATRIX_HISTORY_WEEKS)
    return matrix.with_history(earlier, MATRIX_HISTORY_WEEKS)


def _health_rows(
    customers: Sequence[CustomerRow],
    scores: Mapping[int, Sequence[int]],
    model: HealthModel,
    today: date,
) -> list[CustomerHealth]:
    rows = [
        CustomerHealth(customer, value, responses, score)
        for customer, (value, responses, score) in zip(
            customers, health_scores(customers, scores, model, today), strict=True
        )
    ]
    rows.sort(key=lambda row: (row.health.score, row.customer.name.casefold()))
    return rows


def customer_health(
    repo: Repository,
    model: HealthModel,
    today: date,
    *,
    retired: bool = False,
    scores: Mapping[int, Sequence[int]] | None = None,
) -> list[CustomerHealth]:
    """Every customer in service (`retired=True`: every customer) with NPS and health,
    worst health first; `scores` (`repo.nps_scores` of the same customers) saves reading
    them again."""
    customers = repo.customer_rows(retired=retired)
    if scores is None:
        scores = repo.nps_scores(retired=retired)
    return _health_rows(customers, scores, model, today)


def ranked_requests(
    repo: Repository, customers: Sequence[CustomerRow] | None = None
) -> tuple[RankedRequest, ...]:
    """Feature requests ranked by customers asking; `customers` (those in service) saves
    loading them again."""
    by_id = {customer.id: customer for customer in customers or repo.customer_rows()}
    askers = {
        request_id: [by_id[cid] for cid in ids if cid in by_id]
        for request_id, ids in repo.request_asker_ids().items()
    }
    return rank_requests(repo.feature_requests(), askers)


def current_escalations(
    repo: Repository,
    today: date,
    *,
    projects: Sequence[Project] | None = None,
    customers: Sequence[Customer | CustomerRow] | None = None,
) -> tuple[Escalation, ...]:
    """Everything escalated today; `projects` and `customers` save loading them again.

    Without them only the candidates are read (projects behind their baseline, customers
    flagged): the rules themselves stay in `domain.escalations`.
    """
    return escalations(
        repo.escalation_bugs(),
        repo.slipped_projects() if projects is None else projects,
        repo.escalated_customers() if customers is None else customers,
        today,
    )


def computed_kpis(
    repo: Repository,
    counts: Sequence[CompanyBugCounts],
    scores: Mapping[int, Sequence[int]] | None = None,
) -> ComputedKpisFigure:
    """The KPIs computed from the data, as the KPIs tab, the snapshot and the export show
    them. `counts` are the bug matrix's (`Repository.company_bug_counts`), so the open bugs
    are the matrix's total; `scores` (`Repository.nps_scores`) saves reading them again.
    """
    every = [
        score for own in (repo.nps_scores() if scores is None else scores).values() for score in own
    ]
    open_bugs = {p: sum(row.open_by_priority.get(p, 0) for row in counts) for p in Priority}
    return ComputedKpisFigure(
        nps=nps(every),
        nps_responses=len(every),
        p0=open_bugs[Priority.P0],
        p1=open_bugs[Priority.P1],
        p2=open_bugs[Priority.P2],
        p3=open_bugs[Priority.P3],
        support_tickets=repo.support_tickets_this_week(),
        shipped_requests=repo.shipped_request_count(),
    )


def risk_register(
    repo: Repository,
    *,
    people: Mapping[int | None, str] | None = None,
    companies: Mapping[int, str] | None = None,
) -> tuple[RiskFigure, ...]:
    """The risk register as the weekly screen's Risks tab, meeting mode and the export show
    it: open and mitigating risks in the order they were raised, then the closed ones; the
    owner, project and company by name. `people` and `companies` save reading them again.
    """
    risks = sorted(repo.risks(), key=lambda risk: (risk.status is RiskStatus.CLOSED, risk.id or 0))
    if people is None:
        people = {person.id: person.name for person in repo.people()}
    if companies is None:
        companies = {company.id: company.name for company in repo.companies() if company.id}
    linked = {risk.project_id for risk in risks if risk.project_id is not None}
    # Only the linked projects' names are needed: a big portfolio is not read for them.
    projects = (
        {pid: name for pid, name, _ in repo.project_names() if pid in linked} if linked else {}
    )
    return tuple(
        RiskFigure(
            id=risk.id,
            risk=risk.risk,
            owner=people.get(risk.owner_id, ""),
            mitigation=risk.mitigation,
            status=risk.status,
            project="" if risk.project_id is None else projects.get(risk.project_id, ""),
            company="" if risk.company_id is None else companies.get(risk.company_id, ""),
        )
        for risk in risks
    )


def synergies(repo: Repository, week: str) -> Synergies:
    """The week's synergies as meeting mode shows them, from the figures the snapshot and the
    pre-read hold (`domain.synergies`)."""
    people = {person.id: person.name for person in repo.people()}
    companies = {company.id: company.name for company in repo.companies() if company.id}
    return week_synergies(
        _action_figures(repo, week, people, companies), _decision_figures(repo, week)
    )


def _action_figures(
    repo: Repository, week: str, people: Mapping[int | None, str], companies: Mapping[int, str]
) -> tuple[ActionItemFigure, ...]:
    return action_figures(week_action_items(repo.action_items(), week), people, companies)


def action_figures(
    items: Sequence[ActionItem], people: Mapping[int | None, str], companies: Mapping[int, str]
) -> tuple[ActionItemFigure, ...]:
    """Action items as the snapshot holds them: owner and company by name."""
    return tuple(
        ActionItemFigure(
            id=item.id,
            what=item.what,
            owner=people.get(item.owner_id, ""),
            due_date=item.due_date,
            company=CROSS_COMPANY
            if item.company_id is None
            else companies.get(item.company_id, ""),
            priority=item.priority,
            status=item.status,
            week=item.week,
            closed_on=item.closed_on,
        )
        for item in items
    )


def _decision_figures(repo: Repository, week: str) -> tuple[DecisionFigure, ...]:
    return tuple(
        DecisionFigure(
            id=decision.id,
            what=decision.what,
            context=decision.context,
            recommendation=decision.recommendation,
            kind=decision.kind,
            category=decision.category,
            week=decision.week,
            raised_at=decision.raised_at,
            due_at=decision.due_at,
            decided_at=decision.decided_at,
        )
        for decision in week_decisions(repo.decisions(), week)
    )


def _critical_bug_figures(
    bugs: Sequence[Bug], companies: Mapping[int, str]
) -> tuple[CriticalBugFigure, ...]:
    critical = sorted(
        (bug for bug in bugs if bug.priority in URGENT_PRIORITIES),
        key=lambda bug: (bug.priority != Priority.P0, bug.opened_at, bug.id or 0),
    )
    return tuple(
        CriticalBugFigure(
            id=bug.id,
            title=bug.title,
            company="" if bug.company_id is None else companies.get(bug.company_id, ""),
            priority=bug.priority or Priority.P1,
            status=bug.status,
            opened_at=bug.opened_at,
            customers_affected=bug.customers_affected,
            revenue_impact=bug.revenue_impact,
            root_cause=bug.root_cause,
            expected_fix_date=bug.expected_fix_date,
            prevention=bug.prevention,
            security_flag=bug.security_flag,
        )
        for bug in critical
    )


def _project_figure(project: Project, companies: Mapping[int, str]) -> ProjectFigure:
    return ProjectFigure(
        id=project.id,
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


def week_preread(
    repo: Repository,
    week: str,
    due: time = PREREAD_DUE_TIME,
    *,
    projects: Sequence[Project] | None = None,
) -> PrereadSummary:
    """The week's Friday pre-read — each product manager and engineering lead, their
    projects, what they wrote and where it stands — as the weekly checklist, meeting mode
    and the export all show it. `due` is the configured deadline time of day."""
    return preread(
        week,
        repo.people(),
        repo.preread_submissions(week),
        repo.projects() if projects is None else projects,
        due,
    )


def preread_figures(summary: PrereadSummary) -> tuple[PrereadFigure, ...]:
    """The pre-read as the snapshot stores it: everyone's state, and what was written
    only where the director accepted it."""
    figures = []
    for row in summary.rows:
        submission = row.submission
        parts: tuple[PrereadPartFigure, ...] = ()
        notes: tuple[PrereadProjectFigure, ...] = ()
        if submission is not None and row.accepted:
            parts = tuple(
                PrereadPartFigure(part=part.value, text=submission.text_of(part))
                for part in row.parts
            )
            notes = tuple(
                PrereadProjectFigure(id=p.id, name=p.name, note=submission.project_notes[p.id])
                for p in row.projects
                if p.id is not None and submission.project_notes.get(p.id, "").strip()
            )
        figures.append(
            PrereadFigure(
                person_id=row.person.id,
                person=row.person.name,
                role=row.person.role.value,
                status=row.status,
                late=row.late,
                submitted_at=None if submission is None else submission.submitted_at,
                reviewer=row.reviewer,
                reviewed_at=None if submission is None else submission.reviewed_at,
                parts=parts,
                projects=notes,
            )
        )
    return tuple(figures)


def week_snapshot(
    repo: Repository,
    week: str,
    today: date,
    targets: BugTargets,
    model: HealthModel,
    preread_due: time = PREREAD_DUE_TIME,
) -> SnapshotData:
    """Every figure of `week` as the workspace stands on `today`.

    Action items and decisions are those on the week's agenda: raised in the week, or
    raised earlier and still open (undecided) or closed (decided) during the week. The
    P0/P1 analysis lists every open P0 and P1 bug. Each table is read once, whatever
    number of figures it feeds.
    """
    companies = {company.id: company.name for company in repo.companies() if company.id}
    people = {person.id: person.name for person in repo.people()}
    projects = sort_projects_by_phase(repo.projects())
    customers = repo.customer_rows()
    scores = repo.nps_scores()
    open_escalation_bugs = repo.escalation_bugs()
    # Trends are not stored: they are computed against the previous snapshot when shown.
    counts = repo.company_bug_counts(today, targets.resolution_window_days)
    matrix = bug_matrix(counts, targets)
    summary = portfolio_summary(projects, repo.phase_history(), today)
    kpis = repo.kpis(week)
    # NPS and the open bugs are stored once, in `nps` and the matrix's total row.
    computed = computed_kpis(repo, counts, scores)
    prereads = week_preread(repo, week, preread_due, projects=projects)
    return SnapshotData(
        week=week,
        taken_on=today,
        projects=tuple(_project_figure(project, companies) for project in projects),
        on_track=sum(1 for project in projects if project.status is ProjectStatus.ON_TRACK),
        total_projects=len(projects),
        avg_weeks_per_phase=summary.avg_weeks_per_phase,
        bugs=tuple(
            BugRowFigure(
                company=row.company,
                company_id=row.company_id,
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
        targets=TargetsFigure.model_validate(targets.model_dump()),
        critical_bugs=_critical_bug_figures(open_escalation_bugs, companies),
        nps=computed.nps,
        customers=tuple(
            CustomerFigure(
                id=row.customer.id,
                name=row.customer.name,
                company=companies.get(row.customer.company_id, ""),
                arr=row.customer.arr,
                nps=row.nps,
                health=row.health.score,
                band=row.health.band,
            )
            for row in _health_rows(customers, scores, model, today)
        ),
        requests=tuple(
            RequestFigure(
                title=ranked.request.title,
                customers=ranked.customers,
                arr=ranked.arr,
                candidate=ranked.candidate,
            )
            for ranked in ranked_requests(repo, customers)
        ),
        escalations=tuple(
            EscalationFigure(
                trigger=item.trigger.value,
                kind=item.kind,
                title=item.title,
                detail=item.detail,
                target_id=item.target_id,
            )
            for item in escalations(open_escalation_bugs, projects, customers, today)
        ),
        action_items=_action_figures(repo, week, people, companies),
        decisions=_decision_figures(repo, week),
        risks=risk_register(repo, people=people, companies=companies),
        kpis={} if kpis is None else kpis.model_dump(include=set(Kpis.typed_fields())),
        nps_responses=computed.nps_responses,
        support_tickets=computed.support_tickets,
        shipped_requests=computed.shipped_requests,
        preread=preread_figures(prereads),
        preread_due=prereads.deadline,
    )
