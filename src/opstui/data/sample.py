"""The demo workspace generator: the seed documents' portfolio as a deterministic workspace.

The same arguments always give the same content: every random choice comes from one seeded
`random.Random`, and every date is fixed around the seed's review week, Monday 2026-07-06
(2026-W28). `--bugs/--projects/--customers` scale it up for benchmarks.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from opstui.data import sample_seed as seed
from opstui.data.config import Config
from opstui.data.figures import week_snapshot
from opstui.data.repository import Repository
from opstui.data.store import record_of
from opstui.data.workspace import building_workspace
from opstui.domain.bugs import is_urgent
from opstui.domain.enums import (
    SUBMISSION_PARTS,
    ActionPriority,
    ActionStatus,
    BugStatus,
    ChurnRisk,
    DecisionCategory,
    DecisionKind,
    Feasibility,
    FeedbackKind,
    HealthBand,
    LaunchPhase,
    MarketValidation,
    PersonRole,
    Phase,
    PlaybookStep,
    Priority,
    ProjectStatus,
    QualityGates,
    RiskLevel,
    RiskStatus,
    SubmissionState,
    VelocityTrend,
)
from opstui.domain.models import (
    ActionItem,
    Bug,
    Company,
    Customer,
    Decision,
    FeatureRequest,
    FeedbackEntry,
    Kpis,
    NpsResponse,
    Person,
    PhaseChange,
    PlaybookCheck,
    PrereadSubmission,
    Product,
    Project,
    ReviewWeek,
    Risk,
)
from opstui.domain.review import persons_projects
from opstui.domain.snapshot import BugRowFigure, SnapshotData
from opstui.domain.weeks import preread_deadline, previous_week, week_monday

DEMO_WEEK = "2026-W28"
DEMO_TODAY = date(2026, 7, 6)
"""The demo's "today": the Monday of the seed's review week."""
DEMO_SEED = 20260706
_GENERATED_AT = "2026-07-06 08:00:00+00:00"
_RESOLUTION_WINDOW_START = DEMO_TODAY - timedelta(days=89)
_HISTORY_COLUMNS = ("title", "company_id", "priority", "status", "opened_at", "resolved_at")
"""The columns a history bug sets; the rest keep the model's defaults."""
_PRIORITIES = tuple(priority.value for priority in Priority)
_DONE_STATUSES = (BugStatus.RESOLVED.value, BugStatus.CLOSED.value)
_OPEN_PRIORITIES = (Priority.P2.value, Priority.P3.value, Priority.P3.value)


@dataclass(frozen=True, slots=True)
class SampleSize:
    """How much to generate; None means the demo's own amount."""

    bugs: int | None = None
    projects: int | None = None
    customers: int | None = None


# -- generation -------------------------------------------------------------------------------


def _dt(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute))


def _random_moment(rng: random.Random, start: date, end: date) -> datetime:
    span = (end - start).days * 24 * 60
    return _dt(start, 0) + timedelta(minutes=rng.randrange(max(span, 1)))


class _Generator:
    def __init__(self, repo: Repository, size: SampleSize) -> None:
        self.repo = repo
        self.size = size
        self.rng = random.Random(DEMO_SEED)
        self.companies: dict[str, int] = {}
        self.products: dict[str, int] = {}
        self.people: dict[str, int] = {}
        self.customers: dict[str, int] = {}
        self.projects: list[Project] = []

    def run(self) -> None:
        self.repo.set_meta("name", "Demo portfolio")
        self.repo.set_meta("generated_at", _GENERATED_AT)
        self._companies_and_people()
        self._projects()
        self._customers()
        self._bugs()
        self._weeks()

    def _companies_and_people(self) -> None:
        for name in seed.COMPANIES:
            company = self.repo.add(Company(name=name))
            assert company.id is not None
            self.companies[name] = company.id
            for product_name in seed.PRODUCTS[name]:
                product = self.repo.add(Product(company_id=company.id, name=product_name))
                assert product.id is not None
                self.products[product_name] = product.id
        for name, role, company_name in seed.PEOPLE:
            email = name.split()[0].lower().replace("á", "a").replace("í", "i") + "@example.com"
            person = self.repo.add(
                Person(
                    name=name,
                    role=role,
                    company_id=self.companies.get(company_name or ""),
                    email=email,
                )
            )
            assert person.id is not None
            self.people[name] = person.id

    # -- projects

    def _projects(self) -> None:
        seeds = list(seed.SEED_PROJECTS)
        extra = (self.size.projects or len(seeds)) - len(seeds)
        if extra < 0:
            seeds = seeds[: self.size.projects]
        projects = [self._seed_project(seed) for seed in seeds]
        projects.extend(self._extra_project(number) for number in range(max(extra, 0)))
        self.repo.add_many(projects)
        self.projects = self.repo.projects()
        history: list[PhaseChange] = []
        for project in sorted(self.projects, key=lambda p: p.id or 0):
            history.extend(self._phase_history(project))
        self.repo.add_many(history)

    def _seed_project(self, seed: seed.ProjectSeed) -> Project:
        fields: dict[str, object] = {}
        if seed.phase is Phase.DISCOVERY:
            fields = {
                "problem": f"Would {seed.company} customers adopt {seed.name}?",
                "interviews_done": 6 + len(seed.name) % 7,
                "key_findings": "Finance teams lose a day a month to manual matching.",
                "market_validation": MarketValidation.STRONG
                if seed.progress > 30
                else MarketValidation.MEDIUM,
                "go_no_go_date": seed.milestone_date + timedelta(days=7),
            }
        elif seed.phase is Phase.DEFINITION:
            fields = {
                "scope_finalised": seed.progress >= 90,
                "scope_remaining": "" if seed.progress >= 90 else "Edge cases for multi-entity",
                "feasibility": Feasibility.CONFIRMED
                if seed.status is ProjectStatus.ON_TRACK
                else Feasibility.CONCERNS,
                "resource_requirements": "4 engineers, 1 designer, 10 weeks",
                "dev_start_date": seed.milestone_date + timedelta(days=3),
            }
        elif seed.phase is Phase.DEVELOPMENT:
            fields = {
                "sprint_current": 4 if seed.name == "Multi-State Payroll" else 3,
                "sprint_total": 6,
                "velocity_trend": VelocityTrend.DECREASING
                if seed.status is not ProjectStatus.ON_TRACK
                else VelocityTrend.STABLE,
                "quality_gates": QualityGates.ISSUES
                if seed.status is not ProjectStatus.ON_TRACK
                else QualityGates.ALL_MET,
                "key_blockers": "State tax tables for 12 states still pending"
                if seed.name == "Multi-State Payroll"
                else "",
                "beta_feedback": "Beta customers like the flow; want bulk edits.",
            }
        else:
            fields = {
                "launch_phase": LaunchPhase.GRADUAL if seed.progress < 90 else LaunchPhase.FULL,
                "adoption_pct": float(seed.progress - 10),
                "business_impact_arr": 120_000.0,
                "satisfaction": "CSAT 4.5/5 from rollout customers",
                "support_impact": "12 tickets this week, median resolution 6 h",
            }
        return Project.model_validate(
            {
                "name": seed.name,
                "company_id": self.companies[seed.company],
                "product_id": self.products[seed.product],
                "phase": seed.phase,
                "progress": seed.progress,
                "status": seed.status,
                "next_milestone": seed.milestone,
                "milestone_date": seed.milestone_date,
                "risk": seed.risk,
                "completion_date": seed.completion,
                "baseline_completion": seed.baseline,
                "pm_id": self.people[seed.pm],
                "lead_id": self.people[seed.lead],
                "cpto_input": seed.cpto_input,
                **fields,
            }
        )

    def _extra_project(self, number: int) -> Project:
        rng = self.rng
        company = rng.choice(seed.COMPANIES)
        product = rng.choice(seed.PRODUCTS[company])
        completion = DEMO_TODAY + timedelta(days=rng.randrange(7, 300))
        slip = rng.choice((0, 0, 0, 0, 3, 10, 21))
        pm = rng.choice([n for n, role, _ in seed.PEOPLE if role is PersonRole.PRODUCT_MANAGER])
        subject = rng.choice(seed.BUG_SUBJECTS)
        return Project(
            name=f"{subject} {rng.choice(('Revamp', 'Automation', 'v2', 'Insights', 'API'))} "
            f"{number + 1:04d}",
            company_id=self.companies[company],
            product_id=self.products[product],
            phase=rng.choice(list(Phase)),
            progress=rng.randrange(0, 101, 5),
            status=rng.choice(list(ProjectStatus)),
            next_milestone=rng.choice(("Design Review", "Beta", "Sprint Demo", "Launch")),
            milestone_date=DEMO_TODAY + timedelta(days=rng.randrange(1, 60)),
            risk=rng.choice(list(RiskLevel)),
            completion_date=completion,
            baseline_completion=completion - timedelta(days=slip),
            pm_id=self.people[pm],
        )

    def _phase_history(self, project: Project) -> Iterator[PhaseChange]:
        """Entered each phase up to the current one, a few weeks apart, before today."""
        assert project.id is not None
        stays = [self.rng.randrange(14, 50) for _ in range(project.phase.order + 1)]
        entered = DEMO_TODAY - timedelta(days=sum(stays))
        for phase, stay in zip(list(Phase)[: project.phase.order + 1], stays, strict=True):
            yield PhaseChange(project_id=project.id, phase=phase, entered_on=entered)
            entered += timedelta(days=stay)

    # -- customers and requests

    def _customers(self) -> None:
        rng = self.rng
        csms = [n for n, role, _ in seed.PEOPLE if role is PersonRole.CSM]
        seeds = list(seed.CUSTOMERS)
        wanted = self.size.customers or len(seeds)
        rows: list[Customer] = []
        for index in range(wanted):
            if index < len(seeds):
                name, company, arr, churn, seats, active, features = seeds[index]
            else:
                company = rng.choice(seed.COMPANIES)
                stem = rng.choice(seed.CUSTOMERS)[0].split()[0]
                suffix = rng.choice(("Group", "Labs", "Partners", "Co-op", "Holdings"))
                name = f"{stem} {suffix} {index + 1:05d}"
                arr = float(rng.randrange(20, 400) * 1000)
                churn = rng.choice(list(ChurnRisk))
                seats = rng.randrange(20, 1000)
                active = rng.randrange(seats // 4, seats + 1)
                features = rng.randrange(0, 6)
            rows.append(
                Customer(
                    name=name,
                    company_id=self.companies[company],
                    arr=arr,
                    csm_id=self.people[csms[index % len(csms)]],
                    renewal_date=DEMO_TODAY + timedelta(days=rng.randrange(10, 360)),
                    seats=seats,
                    active_users=active,
                    critical_features_used=features,
                    tickets_this_week=rng.randrange(0, 4)
                    + {"Low": 0, "Medium": 3, "High": 6}[churn],
                    tickets_last_week=rng.randrange(0, 8),
                    churn_risk=churn,
                    escalated=name == "Harbor & Pine",
                    escalation_note="Payroll ran late twice in June; CFO asked for a call."
                    if name == "Harbor & Pine"
                    else "",
                )
            )
        self.repo.add_many(rows)
        for customer in self.repo.customers():
            assert customer.id is not None
            self.customers[customer.name] = customer.id
        responses: list[NpsResponse] = []
        feedback: list[FeedbackEntry] = []
        for customer in sorted(self.repo.customers(), key=lambda c: c.id or 0):
            assert customer.id is not None
            pool = seed.NPS_POOLS[customer.churn_risk]
            for answer in range(rng.randrange(3, 9)):
                responses.append(
                    NpsResponse(
                        customer_id=customer.id,
                        score=rng.choice(pool),
                        responded_on=DEMO_TODAY - timedelta(days=7 * answer + rng.randrange(7)),
                    )
                )
            for kind, texts in seed.FEEDBACK.items():
                if rng.random() < 0.6:
                    feedback.append(
                        FeedbackEntry(
                            customer_id=customer.id,
                            logged_on=DEMO_TODAY - timedelta(days=rng.randrange(1, 60)),
                            kind=kind,
                            text=rng.choice(texts),
                        )
                    )
        self.repo.add_many(responses)
        if feedback:
            self.repo.add_many(feedback)
        self._requests()

    def _requests(self) -> None:
        for title, status, effort, epic, askers in seed.REQUESTS:
            request = self.repo.add(
                FeatureRequest(title=title, status=status, effort=effort, epic=epic)
            )
            assert request.id is not None
            for number, customer_name in enumerate(askers):
                customer_id = self.customers.get(customer_name)
                if customer_id is None:
                    continue
                self.repo.link_request_customer(request.id, customer_id)
                self.repo.add(
                    FeedbackEntry(
                        customer_id=customer_id,
                        logged_on=DEMO_TODAY - timedelta(days=3 + 9 * number),
                        kind=FeedbackKind.FEATURE_REQUEST,
                        text=f"Asked for {title.lower()} in the weekly check-in.",
                        request_id=request.id,
                    )
                )

    # -- bugs

    def _bugs(self) -> None:
        """The seed's bugs and the scaled history, stored in order of opening (then title).

        The history is streamed: its rows are made in batches as plain values (each is
        valid by construction) and sorted by SQLite, so a million bugs never sit in memory.
        """
        seed_bugs = list(self._seed_bugs())  # drawn even when unused: the same random stream
        wanted = self.size.bugs
        if wanted is None:
            seeds, history = seed_bugs, 0
        elif wanted >= len(seed_bugs):
            seeds, history = seed_bugs, wanted - len(seed_bugs)
        else:
            seeds, history = [], wanted
        self.repo.add_sorted(
            Bug,
            (record_of(bug) for bug in seeds),
            _HISTORY_COLUMNS,
            (self._history_row() for _ in range(history)),
            order_by=("opened_at", "title"),
        )
        self._bug_details()

    def _title(self) -> str:
        return f"{self.rng.choice(seed.BUG_SUBJECTS)} {self.rng.choice(seed.BUG_PROBLEMS)}"

    def _seed_bugs(self) -> Iterator[Bug]:
        rng = self.rng
        engineers = [n for n, role, _ in seed.PEOPLE if role is PersonRole.ENGINEERING_LEAD]
        window_end = DEMO_TODAY - timedelta(days=1)
        for company, open_counts in seed.OPEN_BUGS.items():
            company_id = self.companies[company]
            products = [self.products[p] for p in seed.PRODUCTS[company]]
            open_total = sum(open_counts.values())
            window_total = round(open_total / (1 - seed.RESOLUTION_RATE[company]))
            for priority, count in open_counts.items():
                for _ in range(count):
                    triaged = priority is not None
                    yield Bug(
                        title=self._title(),
                        company_id=company_id,
                        product_id=rng.choice(products) if triaged else None,
                        priority=priority,
                        status=BugStatus.IN_PROGRESS
                        if triaged and rng.random() < 0.3
                        else BugStatus.OPEN,
                        opened_at=_random_moment(rng, _RESOLUTION_WINDOW_START, window_end),
                        assignee_id=self.people[rng.choice(engineers)] if triaged else None,
                        security_flag=company == "Company A"
                        and priority is Priority.P2
                        and rng.random() < 0.12,
                    )
            for _ in range(window_total - open_total):
                opened = _random_moment(rng, _RESOLUTION_WINDOW_START, window_end)
                resolved = min(
                    opened + timedelta(hours=rng.randrange(4, 24 * 12)), _dt(window_end, 18)
                )
                yield Bug(
                    title=self._title(),
                    company_id=company_id,
                    product_id=rng.choice(products),
                    priority=rng.choice((Priority.P1, Priority.P2, Priority.P2, Priority.P3)),
                    status=rng.choice((BugStatus.RESOLVED, BugStatus.CLOSED)),
                    opened_at=opened,
                    resolved_at=max(resolved, opened),
                    assignee_id=self.people[rng.choice(engineers)],
                )
            for _ in range(2):
                yield Bug(
                    title=self._title(),
                    company_id=company_id,
                    priority=Priority.P3,
                    status=BugStatus.DUPLICATE,
                    opened_at=_random_moment(rng, _RESOLUTION_WINDOW_START, window_end),
                )
        # Untriaged bugs nobody has filed under a company yet: the inbox's hardest cases.
        for title in seed.UNTRIAGED_TITLES[:3]:
            yield Bug(
                title=title,
                opened_at=_random_moment(rng, DEMO_TODAY - timedelta(days=6), window_end),
            )

    def _history_row(self) -> tuple[object, ...]:
        """Filler for scaled workspaces: mostly closed history, some open, some untriaged.
        One row of `_HISTORY_COLUMNS`, as a `Bug` of these values stores it."""
        rng = self.rng
        opened = _random_moment(rng, DEMO_TODAY - timedelta(days=3 * 365), DEMO_TODAY)
        roll = rng.random()
        company = rng.choice(seed.COMPANIES)
        if roll < 0.75:
            resolved = min(opened + timedelta(hours=rng.randrange(2, 24 * 30)), _dt(DEMO_TODAY))
            return (
                self._title(),
                self.companies[company],
                rng.choice(_PRIORITIES),
                rng.choice(_DONE_STATUSES),
                opened.isoformat(),
                max(resolved, opened).isoformat(),
            )
        return (
            self._title(),
            self.companies[company],
            None if roll > 0.95 else rng.choice(_OPEN_PRIORITIES),
            BugStatus.OPEN.value,
            opened.isoformat(),
            None,
        )

    def _bug_details(self) -> None:
        """Analysis fields on open P0/P1 bugs, the P0 playbook, customer links."""
        customers = sorted(self.customers.values())
        for bug in self.repo.escalation_bugs():
            if not is_urgent(bug.priority) or bug.id is None:
                continue
            affected = self.rng.sample(customers, k=min(len(customers), self.rng.randrange(1, 4)))
            for customer_id in affected:
                self.repo.link_bug_customer(bug.id, customer_id)
            self.repo.update(
                bug.model_copy(
                    update={
                        "customers_affected": len(affected),
                        "revenue_impact": float(len(affected) * 15_000),
                        "root_cause": "Race between the retry worker and the nightly batch."
                        if bug.priority is Priority.P0
                        else "Unhandled edge case in input validation.",
                        "expected_fix_date": DEMO_TODAY
                        + timedelta(days=2 if bug.priority is Priority.P0 else 6),
                        "prevention": "Contract test for the batch/worker interface.",
                    }
                )
            )
            if bug.priority is Priority.P0:
                self._playbook(bug.id)

    def _playbook(self, bug_id: int) -> None:
        """The P0 was detected this morning; three steps done, communicate was late."""
        detected = _dt(DEMO_TODAY, 7, 40)
        bug = self.repo.get(Bug, bug_id)
        assert bug is not None
        self.repo.update(
            bug.model_copy(update={"opened_at": detected, "status": BugStatus.IN_PROGRESS})
        )
        for step, minutes in (
            (PlaybookStep.DETECT, 1),
            (PlaybookStep.RESPOND, 4),
            (PlaybookStep.COMMUNICATE, 14),
        ):
            self.repo.add(
                PlaybookCheck(
                    bug_id=bug_id, step=step, done_at=detected + timedelta(minutes=minutes)
                )
            )

    # -- the weekly review

    def _weeks(self) -> None:
        weeks = ["2026-W25", "2026-W26", "2026-W27", DEMO_WEEK]
        director = self.people["Laura Becker"]
        for week in weeks:
            monday = week_monday(week)
            self.repo.add(
                ReviewWeek(
                    week=week,
                    director_id=director,
                    director_accepted_at=None
                    if week == DEMO_WEEK
                    else _dt(monday - timedelta(days=3), 16, 40),
                )
            )
            self._kpis(week, weeks.index(week))
        self._submissions()
        self._actions_and_decisions()
        self._risks()
        self._meeting_notes()
        self._snapshots(weeks[:-1])

    def _kpis(self, week: str, number: int) -> None:
        self.repo.add(
            Kpis(
                week=week,
                customers_signed=12 + number,
                arr=2_150_000 + 45_000 * number,
                pipeline=3_400_000 + 120_000 * number,
                churn_customers=0 if number != 2 else 1,
                churn_mrr_pct=0.0 if number != 2 else 1.2,
                uptime_pct=(99.95, 99.91, 99.97, 99.82)[number],
                p95_ms=(180.0, 195.0, 240.0, 210.0)[number],
                test_coverage_pct=76.0 + number,
                nps=(38.0, 41.0, 36.0, 40.0)[number],
                support_tickets=(41, 37, 52, 46)[number],
                features_shipped=(3, 4, 2, 5)[number],
                story_points=(88, 94, 71, 102)[number],
                team_size=42.0 + number,
            )
        )

    def _submissions(self) -> None:
        """The W28 pre-read: most people's accepted by their company's director, one
        submitted late, one returned with a comment, one submitted awaiting review, one
        still a draft (a part missing) and one not started."""
        deadline = preread_deadline(DEMO_WEEK)
        directors = {
            company: name for name, role, company in seed.PEOPLE if role is PersonRole.DIRECTOR
        }
        projects = self.repo.projects()
        for name, role, company in seed.PEOPLE:
            owed = SUBMISSION_PARTS.get(role, ())
            # One draw per part owed, as when each part was ticked: the rest of the demo
            # stays as it was.
            minutes = min((self.rng.randrange(20, 600) for _ in owed), default=0)
            if not owed or name == "Daniel Okafor":  # not started
                continue
            person_id = self.people[name]
            mine = persons_projects(person_id, projects)
            titles = ", ".join(p.name for p in mine) or "no project of mine"
            texts = {part: seed.PREREAD_TEXTS[part].format(projects=titles) for part in owed}
            notes = {
                p.id: seed.PROJECT_NOTE.format(milestone=p.next_milestone or "the next milestone")
                for p in mine
                if p.id is not None
            }
            submitted: datetime | None = deadline - timedelta(minutes=minutes)
            state = SubmissionState.ACCEPTED
            comment = ""
            if name == "Lucas Moreau":
                submitted, state = (
                    deadline + timedelta(hours=2, minutes=15),
                    SubmissionState.SUBMITTED,
                )
            elif name == "Priya Nair":
                state = SubmissionState.SUBMITTED
            elif name == "Rahul Mehta":
                state, comment = SubmissionState.RETURNED, seed.RETURN_COMMENT
            elif name == "Carmen Vidal":
                state, submitted = SubmissionState.DRAFT, None
                del texts[owed[-1]]  # still writing the last part
            reviewed = state in (SubmissionState.ACCEPTED, SubmissionState.RETURNED)
            assert submitted is not None or not reviewed
            blank = PrereadSubmission(week=DEMO_WEEK, person_id=person_id)
            self.repo.write_preread(
                blank,
                blank.model_copy(
                    update={
                        "state": state,
                        "parts": texts,
                        "project_notes": notes,
                        "saved_at": submitted or deadline - timedelta(hours=3),
                        "first_submitted_at": submitted,
                        "submitted_at": submitted,
                        "comment": comment,
                        "reviewer_id": self.people[directors[company]] if reviewed else None,
                        "reviewed_at": submitted + timedelta(minutes=30)
                        if reviewed and submitted
                        else None,
                    }
                ),
            )

    def _actions_and_decisions(self) -> None:
        p = self.people
        c = self.companies
        last = previous_week(DEMO_WEEK)
        actions = (
            (
                "Lend two platform engineers to Multi-State Payroll",
                "Kenji Sato",
                date(2026, 7, 3),
                None,
                ActionPriority.HIGH,
                ActionStatus.IN_PROGRESS,
                last,
            ),
            (
                "Publish the Boleta rollout runbook",
                "Ana Ruiz",
                date(2026, 7, 2),
                "Company A",
                ActionPriority.MEDIUM,
                ActionStatus.COMPLETE,
                last,
            ),
            (
                "Root-cause review of the June payroll delays",
                "Jonas Weber",
                date(2026, 7, 1),
                "Company B",
                ActionPriority.HIGH,
                ActionStatus.BLOCKED,
                last,
            ),
            (
                "Share the connector framework with Company C",
                "Sofia Lindqvist",
                date(2026, 7, 10),
                None,
                ActionPriority.MEDIUM,
                ActionStatus.NOT_STARTED,
                DEMO_WEEK,
            ),
            (
                "Call Harbor & Pine's CFO about the June payroll runs",
                "Olivia Hart",
                date(2026, 7, 7),
                "Company B",
                ActionPriority.HIGH,
                ActionStatus.NOT_STARTED,
                DEMO_WEEK,
            ),
            (
                "Draft go/no-go criteria for Invoice AI",
                "Tomás Herrera",
                date(2026, 7, 15),
                "Company A",
                ActionPriority.LOW,
                ActionStatus.NOT_STARTED,
                DEMO_WEEK,
            ),
        )
        for what, owner, due, company, priority, status, week in actions:
            self.repo.add(
                ActionItem(
                    what=what,
                    owner_id=p[owner],
                    due_date=due,
                    company_id=c[company] if company else None,
                    priority=priority,
                    status=status,
                    week=week,
                    closed_on=due if status is ActionStatus.COMPLETE else None,
                )
            )
        monday = week_monday(DEMO_WEEK)
        decisions = (
            (
                "Move two Company C platform engineers to Multi-State Payroll for three sprints",
                DecisionKind.IMMEDIATE,
                DecisionCategory.RESOURCE_REALLOCATION,
                last,
                _dt(monday - timedelta(days=7), 9, 40),
                True,
            ),
            (
                "Go for Invoice AI discovery extension of two weeks",
                DecisionKind.IMMEDIATE,
                DecisionCategory.GO_NO_GO,
                last,
                _dt(monday - timedelta(days=7), 10, 5),
                True,
            ),
            (
                "Adopt Company A's connector framework for Banking Integration",
                DecisionKind.FOLLOW_UP,
                DecisionCategory.ARCHITECTURE_CHANGE,
                DEMO_WEEK,
                _dt(monday, 9, 55),
                False,
            ),
            (
                "Research agency for Customer Portal Redesign ($12K)",
                DecisionKind.FOLLOW_UP,
                DecisionCategory.BUDGET_OVER_5K,
                last,
                _dt(monday - timedelta(days=7), 10, 20),
                False,
            ),
        )
        for what, kind, category, week, raised, decided in decisions:
            self.repo.add(
                Decision(
                    what=what,
                    context="Raised in the Monday review.",
                    recommendation="Approve." if decided else "Decide by the follow-up date.",
                    kind=kind,
                    category=category,
                    week=week,
                    raised_at=raised,
                    decided_at=raised if decided else None,
                )
            )

    def _meeting_notes(self) -> None:
        """What meeting mode holds for the review week: the notes of each agenda section."""
        notes = {
            "portfolio": "11 of 16 on track, one fewer than last week.\n"
            "Benefits Enrollment is 28 days late on the carrier certification: re-plan by "
            "Friday.",
            "discovery": "Invoice AI: strong signal from the interviews; go/no-go criteria "
            "due 15 July.\n"
            "Customer Portal Redesign waits on the research agency budget.",
            "definition": "Banking Integration ready for the dev handoff on 15 July.\n"
            "Reusing Company A's connector framework: architecture call by Wednesday.",
            "development": "Multi-State Payroll: two Company C engineers started; the tax "
            "tables vendor is the critical path.",
            "delivery": "Boleta Automation on track for the full rollout on 9 July.\n"
            "Payroll Self-Service adoption is below target: CSMs to follow up.",
            "quality": "P0 webhook retry: race with the nightly batch, fix expected 8 July.\n"
            "P1s over target in Company B; Harbor & Pine's CFO gets a call on Tuesday.",
            "synergies": "Company A shares its connector framework with Company C.\n"
            "Treasury's single on-call engineer: cross-train two engineers from Company A.",
        }
        for section, text in notes.items():
            self.repo.save_meeting_note(DEMO_WEEK, section, text)

    def _risks(self) -> None:
        for text, owner, mitigation, status in (
            (
                "State tax tables late for Multi-State Payroll",
                "Priya Nair",
                "Buy the tables from a vendor for the 12 missing states",
                RiskStatus.MITIGATING,
            ),
            (
                "Carrier API certification for Benefits Enrollment",
                "Lucas Moreau",
                "Weekly call with the carrier; fallback to file transfer",
                RiskStatus.OPEN,
            ),
            (
                "Single on-call engineer for Treasury",
                "Kenji Sato",
                "Cross-train two engineers from Company A",
                RiskStatus.OPEN,
            ),
            (
                "SII certificate renewal for Boleta",
                "Ana Ruiz",
                "Renewed in June",
                RiskStatus.CLOSED,
            ),
        ):
            self.repo.add(
                Risk(risk=text, owner_id=self.people[owner], mitigation=mitigation, status=status)
            )

    def _snapshots(self, weeks: list[str]) -> None:
        """Frozen earlier weeks: today's figures, with the bug rates and statuses of then."""
        config = Config()
        new_p0 = {bug.id for bug in self.repo.escalation_bugs() if bug.priority is Priority.P0}
        for week in weeks:
            current = week_snapshot(
                self.repo, week, week_monday(week), config.targets, config.health
            )
            rates = seed.PREVIOUS_RATES[week]
            bugs = tuple(
                BugRowFigure.model_validate(
                    {
                        **row.model_dump(),
                        "resolution_rate": rates.get(row.company),
                        # Last week each company had one more open P1 (three in all).
                        "p1": row.p1
                        + (0 if week != "2026-W27" else 3 if row.company == "Total" else 1),
                        # The P0 (Company B) was detected on the review's Monday morning.
                        "p0": row.p0 - (1 if row.company in ("Company B", "Total") else 0),
                    }
                )
                for row in current.bugs
            )
            projects = tuple(
                figure.model_copy(update={"status": ProjectStatus.ON_TRACK})
                if figure.name == "Multi-State Payroll"
                else figure
                for figure in current.projects
            )
            customers = tuple(
                figure.model_copy(update={"band": HealthBand.YELLOW, "health": 64})
                if figure.name == "Harbor & Pine"
                else figure
                for figure in current.customers
            )
            data = SnapshotData.model_validate(
                {
                    **current.model_dump(),
                    "bugs": bugs,
                    "projects": projects,
                    "customers": customers,
                    "on_track": sum(1 for p in projects if p.status is ProjectStatus.ON_TRACK),
                    # This week's P0 and the Harbor & Pine escalation are new since then.
                    "escalations": tuple(
                        escalation
                        for escalation in current.escalations
                        if escalation.kind != "customer"
                        and not (escalation.kind == "bug" and escalation.target_id in new_p0)
                    ),
                }
            )
            self.repo.freeze_snapshot(
                week,
                data.version,
                _dt(week_monday(week), 10, 30),
                data.model_dump(mode="json"),
                replace=True,
            )


def generate(path: str | Path, size: SampleSize | None = None) -> Path:
    """Write a new workspace at `path` with the demo content (scaled by `size`).

    The workspace is built beside `path` and appears there only once complete: an
    interrupted or failed run leaves nothing at `path`, so running again just works.
    """
    path = Path(path)
    with building_workspace(path) as db:
        _Generator(Repository(db, path), size or SampleSize()).run()
        # Fixed migration timestamps keep the file's content identical on every run.
        db.execute("UPDATE _sqlite_migrations SET applied_at = ?", [_GENERATED_AT])
        db.conn.commit()
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("VACUUM")
    return path
