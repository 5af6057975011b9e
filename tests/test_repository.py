"""The repository: every entity goes in as a model and comes back out equal; updates and
deletes name rows that exist; foreign keys hold; control characters never reach the file.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from opstui.data.repository import NotFoundError, Repository
from opstui.domain.enums import (
    ActionPriority,
    ActionStatus,
    BugStatus,
    ChurnRisk,
    DecisionCategory,
    DecisionKind,
    Feasibility,
    FeedbackKind,
    LaunchPhase,
    MarketValidation,
    PersonRole,
    Phase,
    PlaybookStep,
    Priority,
    ProjectStatus,
    QualityGates,
    RequestStatus,
    RiskLevel,
    RiskStatus,
    SubmissionPart,
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
    Product,
    Project,
    ReviewWeek,
    Risk,
    SavedFilter,
    Submission,
    field_errors,
)

WEEK = "2026-W28"
MONDAY = date(2026, 7, 6)


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Repository]:
    repository = Repository.create(tmp_path / "team.db")
    try:
        yield repository
    finally:
        repository.close()


def ids(repo: Repository) -> dict[str, int]:
    """A company, a product, a PM, an engineering lead and a CSM to hang entities on."""
    company = repo.add(Company(name="Company B"))
    assert company.id is not None
    product = repo.add(Product(company_id=company.id, name="Payroll"))
    pm = repo.add(Person(name="Priya Nair", role=PersonRole.PRODUCT_MANAGER, company_id=company.id))
    lead = repo.add(
        Person(
            name="Jonas Weber",
            role=PersonRole.ENGINEERING_LEAD,
            company_id=company.id,
            email="jonas@example.com",
        )
    )
    csm = repo.add(Person(name="Olivia Hart", role=PersonRole.CSM))
    assert product.id and pm.id and lead.id and csm.id
    return {
        "company": company.id,
        "product": product.id,
        "pm": pm.id,
        "lead": lead.id,
        "csm": csm.id,
    }


def full_project(refs: dict[str, int]) -> Project:
    """A project with every field, deep-dive fields of every phase included, set."""
    return Project(
        name="Multi-State Payroll",
        company_id=refs["company"],
        product_id=refs["product"],
        phase=Phase.DEVELOPMENT,
        progress=60,
        status=ProjectStatus.AT_RISK,
        next_milestone="Sprint 4 Demo",
        milestone_date=date(2026, 7, 10),
        risk=RiskLevel.MEDIUM,
        completion_date=date(2026, 7, 14),
        baseline_completion=date(2026, 7, 3),
        pm_id=refs["pm"],
        lead_id=refs["lead"],
        cpto_input="Two engineers from Company C for three sprints.",
        problem="Do payroll teams need multi-state runs?",
        interviews_done=12,
        key_findings="Finance teams lose a day a month.\nHR wants one run.",
        market_validation=MarketValidation.STRONG,
        go_no_go_date=date(2026, 3, 1),
        scope_finalised=False,
        scope_remaining="Edge cases for multi-entity",
        feasibility=Feasibility.CONCERNS,
        resource_requirements="4 engineers, 1 designer, 10 weeks",
        dev_start_date=date(2026, 4, 1),
        sprint_current=4,
        sprint_total=6,
        velocity_trend=VelocityTrend.DECREASING,
        quality_gates=QualityGates.ISSUES,
        key_blockers="State tax tables for 12 states still pending",
        beta_feedback="Beta customers want bulk edits.",
        launch_phase=LaunchPhase.BETA,
        adoption_pct=12.5,
        business_impact_arr=120_000.0,
        satisfaction="CSAT 4.5/5",
        support_impact="12 tickets this week",
    )


def p0_bug(refs: dict[str, int], project_id: int | None = None) -> Bug:
    return Bug(
        title="Payroll run fails for two contracts",
        description="Steps:\n1. Add a second contract\n2. Run payroll",
        company_id=refs["company"],
        product_id=refs["product"],
        priority=Priority.P0,
        status=BugStatus.IN_PROGRESS,
        opened_at=datetime(2026, 7, 6, 7, 40),
        assignee_id=refs["lead"],
        project_id=project_id,
        snoozed_until=date(2026, 7, 8),
        security_flag=True,
        customers_affected=3,
        revenue_impact=45_000.0,
        root_cause="Race between the retry worker and the nightly batch.",
        expected_fix_date=date(2026, 7, 8),
        prevention="Contract test for the batch/worker interface.",
    )


def customer(refs: dict[str, int], name: str = "Harbor & Pine") -> Customer:
    return Customer(
        name=name,
        company_id=refs["company"],
        arr=64_000,
        csm_id=refs["csm"],
        renewal_date=date(2026, 9, 30),
        seats=120,
        active_users=54,
        critical_features_used=1,
        tickets_this_week=7,
        tickets_last_week=3,
        churn_risk=ChurnRisk.HIGH,
        escalated=True,
        escalation_note="Payroll ran late twice in June; CFO asked for a call.",
    )


# -- round trips ------------------------------------------------------------------------------


def test_a_company_and_its_product_read_back_as_they_were_added(repo: Repository) -> None:
    company = repo.add(Company(name="Company A"))
    assert company.id is not None
    product = repo.add(Product(company_id=company.id, name="Boleta"))

    assert repo.get(Company, company.id) == company
    assert repo.get(Product, product.id or 0) == product
    assert repo.companies() == [company]
    assert repo.products(company.id) == [product]


def test_people_read_back_with_role_company_and_email(repo: Repository) -> None:
    refs = ids(repo)

    lead = repo.get(Person, refs["lead"])

    assert lead == Person(
        id=refs["lead"],
        name="Jonas Weber",
        role=PersonRole.ENGINEERING_LEAD,
        company_id=refs["company"],
        email="jonas@example.com",
    )
    assert [person.name for person in repo.people(PersonRole.CSM)] == ["Olivia Hart"]


def test_a_project_with_every_deep_dive_field_reads_back_equal(repo: Repository) -> None:
    project = full_project(ids(repo))

    stored = repo.add_project(project, entered_on=date(2026, 4, 1))

    assert stored.id is not None
    assert stored == project.model_copy(update={"id": stored.id})
    assert repo.get(Project, stored.id) == stored
    assert repo.projects() == [stored]


def test_moving_a_project_to_delivery_records_each_phase_change_with_its_date(
    repo: Repository,
) -> None:
    stored = repo.add_project(full_project(ids(repo)), entered_on=date(2026, 4, 1))
    assert stored.id is not None

    moved = repo.move_phase(stored.id, Phase.DELIVERY, on=date(2026, 7, 6))

    assert moved.phase is Phase.DELIVERY
    assert repo.get(Project, stored.id) == moved
    history = repo.phase_history(stored.id)
    assert [(change.phase, change.entered_on) for change in history] == [
        (Phase.DEVELOPMENT, date(2026, 4, 1)),
        (Phase.DELIVERY, date(2026, 7, 6)),
    ]
    assert all(isinstance(change, PhaseChange) and change.id for change in history)


def test_moving_a_project_that_was_deleted_says_it_no_longer_exists(repo: Repository) -> None:
    with pytest.raises(NotFoundError):
        repo.move_phase(404, Phase.DELIVERY, on=MONDAY)

    assert repo.phase_history() == []


def test_a_p0_bug_with_its_analysis_and_security_flag_reads_back_equal(
    repo: Repository,
) -> None:
    refs = ids(repo)
    project = repo.add_project(full_project(refs), entered_on=date(2026, 4, 1))
    bug = p0_bug(refs, project.id)

    stored = repo.add(bug)

    assert stored.id is not None
    read = repo.get(Bug, stored.id)
    assert read == stored
    assert read is not None
    assert read.security_flag is True
    assert read.customers_affected == 3
    assert read.root_cause.startswith("Race between")
    assert repo.escalation_bugs() == [stored]


def test_an_untriaged_bug_keeps_no_priority_and_a_resolved_one_keeps_its_times(
    repo: Repository,
) -> None:
    untriaged = repo.add(Bug(title="Search returns archived customers first", opened_at=MONDAY))
    resolved = repo.add(
        Bug(
            title="Login loops",
            priority=Priority.P2,
            status=BugStatus.RESOLVED,
            opened_at=datetime(2026, 7, 1, 9, 0, tzinfo=UTC),
            resolved_at=datetime(2026, 7, 2, 17, 30, tzinfo=UTC),
        )
    )

    assert repo.get(Bug, untriaged.id or 0) == untriaged
    assert repo.get(Bug, resolved.id or 0) == resolved
    assert repo.open_bug_count() == 1


def test_checking_off_playbook_steps_of_a_p0_reads_back_in_order(repo: Repository) -> None:
    bug = repo.add(p0_bug(ids(repo)))
    assert bug.id is not None
    detected = datetime(2026, 7, 6, 7, 40)
    checks = [
        PlaybookCheck(
            bug_id=bug.id, step=PlaybookStep.COMMUNICATE, done_at=detected + timedelta(minutes=14)
        ),
        PlaybookCheck(
            bug_id=bug.id, step=PlaybookStep.DETECT, done_at=detected + timedelta(minutes=1)
        ),
        PlaybookCheck(
            bug_id=bug.id, step=PlaybookStep.RESPOND, done_at=detected + timedelta(minutes=4)
        ),
    ]
    for check in checks:
        assert repo.add(check) == check

    assert repo.playbook_checks(bug.id) == sorted(checks, key=lambda check: check.done_at)


def test_linking_customers_to_a_bug_lists_them_once(repo: Repository) -> None:
    refs = ids(repo)
    bug = repo.add(p0_bug(refs))
    first = repo.add(customer(refs, "Harbor & Pine"))
    second = repo.add(customer(refs, "Cobalt Freight"))
    assert bug.id and first.id and second.id

    repo.link_bug_customer(bug.id, first.id)
    repo.link_bug_customer(bug.id, second.id)
    repo.link_bug_customer(bug.id, first.id)

    assert sorted(repo.bug_customer_ids(bug.id)) == sorted([first.id, second.id])


def test_a_customer_with_every_health_input_reads_back_equal(repo: Repository) -> None:
    stored = repo.add(customer(ids(repo)))

    assert stored.id is not None
    assert repo.get(Customer, stored.id) == stored
    assert repo.customers() == [stored]


def test_nps_responses_read_back_newest_first_and_as_scores(repo: Repository) -> None:
    account = repo.add(customer(ids(repo)))
    assert account.id is not None
    older = repo.add(NpsResponse(customer_id=account.id, score=4, responded_on=date(2026, 6, 1)))
    newer = repo.add(
        NpsResponse(
            customer_id=account.id,
            score=9,
            responded_on=date(2026, 7, 1),
            comment="Much better since the fix.",
        )
    )

    assert repo.nps_responses(account.id) == [newer, older]
    assert repo.nps_scores() == {account.id: [4, 9]}


def test_a_feature_request_asked_by_two_customers_links_them_and_their_feedback(
    repo: Repository,
) -> None:
    refs = ids(repo)
    first = repo.add(customer(refs, "Northwind Logistics"))
    second = repo.add(customer(refs, "Summit Schools"))
    assert first.id and second.id
    request = repo.add(
        FeatureRequest(
            title="Salesforce integration",
            status=RequestStatus.IN_ROADMAP,
            effort="4 weeks",
            epic="Epic 2: Integrations",
        )
    )
    assert request.id is not None
    entry = repo.add(
        FeedbackEntry(
            customer_id=first.id,
            logged_on=date(2026, 7, 3),
            kind=FeedbackKind.FEATURE_REQUEST,
            text="Asked for Salesforce sync in the weekly check-in.",
            request_id=request.id,
        )
    )

    repo.link_request_customer(request.id, second.id)
    repo.link_request_customer(request.id, first.id)
    repo.link_request_customer(request.id, first.id)

    assert repo.get(FeatureRequest, request.id) == request
    assert repo.feature_requests() == [request]
    assert repo.request_asker_ids() == {request.id: sorted([first.id, second.id])}
    assert repo.feedback(first.id) == [entry]


def test_an_action_item_reads_back_with_its_week_owner_and_priority(repo: Repository) -> None:
    refs = ids(repo)
    item = repo.add(
        ActionItem(
            what="Root-cause review of the June payroll delays",
            owner_id=refs["lead"],
            due_date=date(2026, 7, 1),
            company_id=refs["company"],
            priority=ActionPriority.HIGH,
            status=ActionStatus.COMPLETE,
            week="2026-W27",
            closed_on=date(2026, 7, 2),
        )
    )
    cross_company = repo.add(ActionItem(what="Share the connector framework", week=WEEK))

    assert repo.get(ActionItem, item.id or 0) == item
    assert repo.action_items("2026-W27") == [item]
    assert repo.action_items() == [item, cross_company]
    assert cross_company.company_id is None


def test_a_follow_up_decision_reads_back_due_48_hours_after_it_was_raised(
    repo: Repository,
) -> None:
    raised = datetime(2026, 7, 6, 9, 55)
    decision = repo.add(
        Decision(
            what="Adopt Company A's connector framework for Banking Integration",
            context="Raised in the Monday review.",
            recommendation="Decide by the follow-up date.",
            kind=DecisionKind.FOLLOW_UP,
            category=DecisionCategory.ARCHITECTURE_CHANGE,
            week=WEEK,
            raised_at=raised,
        )
    )
    assert decision.id is not None

    read = repo.get(Decision, decision.id)

    assert read == decision
    assert read is not None
    assert read.due_at == datetime(2026, 7, 8, 9, 55)
    assert repo.decisions(WEEK) == [decision]


def test_an_immediate_decision_is_due_and_decided_in_the_meeting(repo: Repository) -> None:
    raised = datetime(2026, 6, 29, 9, 40)
    decision = repo.add(
        Decision(
            what="Move two engineers to Multi-State Payroll",
            kind=DecisionKind.IMMEDIATE,
            category=DecisionCategory.RESOURCE_REALLOCATION,
            week="2026-W27",
            raised_at=raised,
            decided_at=raised,
        )
    )

    read = repo.get(Decision, decision.id or 0)

    assert read == decision
    assert read is not None
    assert read.due_at == raised


def test_a_risk_reads_back_with_owner_mitigation_and_status(repo: Repository) -> None:
    refs = ids(repo)
    risk = repo.add(
        Risk(
            risk="Single on-call engineer for Treasury",
            owner_id=refs["lead"],
            mitigation="Cross-train two engineers",
            status=RiskStatus.MITIGATING,
        )
    )

    assert repo.get(Risk, risk.id or 0) == risk
    assert repo.risks() == [risk]


def test_a_review_week_its_submissions_and_kpis_read_back_equal(repo: Repository) -> None:
    refs = ids(repo)
    week = repo.add(
        ReviewWeek(
            week=WEEK,
            director_id=refs["pm"],
            director_accepted_at=datetime(2026, 7, 3, 16, 40),
            notes="Quiet week.\nTwo escalations.",
        )
    )
    on_time = repo.add(
        Submission(
            week=WEEK,
            person_id=refs["pm"],
            part=SubmissionPart.PROJECT_STATUS,
            submitted_at=datetime(2026, 7, 3, 11, 0),
        )
    )
    missing = repo.add(
        Submission(week=WEEK, person_id=refs["lead"], part=SubmissionPart.DEPENDENCIES)
    )
    kpis = repo.add(
        Kpis(
            week=WEEK,
            customers_signed=15,
            arr=2_285_000,
            pipeline=3_760_000,
            churn_customers=0,
            churn_mrr_pct=0.0,
            uptime_pct=99.82,
            p95_ms=210.0,
            test_coverage_pct=79.0,
            nps=40.0,
            support_tickets=46,
            features_shipped=5,
            story_points=102,
            team_size=45.0,
        )
    )

    assert repo.review_weeks() == [week]
    assert repo.submissions(WEEK) == [on_time, missing]
    assert repo.kpis(WEEK) == kpis
    assert repo.kpis("2026-W27") is None
    assert repo.latest_review_week() == WEEK


def test_a_saved_filter_reads_back_with_every_criterion(repo: Repository) -> None:
    refs = ids(repo)
    saved = repo.add(
        SavedFilter(
            name="Company B P1s in progress",
            query="payroll",
            company_id=refs["company"],
            priority=Priority.P1,
            status=BugStatus.IN_PROGRESS,
            assignee_id=refs["lead"],
        )
    )

    assert repo.get(SavedFilter, saved.id or 0) == saved
    assert repo.all(SavedFilter) == [saved]


def test_freezing_a_week_stores_its_figures_and_freezing_again_replaces_them(
    repo: Repository,
) -> None:
    first = {"week": WEEK, "bugs": [{"company": "Company A", "p1": 5}], "nps": 40.0}
    second = {"week": WEEK, "bugs": [{"company": "Company A", "p1": 4}], "nps": 41.5}

    repo.freeze_snapshot(WEEK, 1, datetime(2026, 7, 6, 10, 30), first, replace=True)
    assert repo.snapshot_data(WEEK) == first
    repo.freeze_snapshot(WEEK, 1, datetime(2026, 7, 6, 11, 0), second, replace=True)

    assert repo.snapshot_data(WEEK) == second
    assert repo.snapshot_weeks() == [WEEK]
    assert repo.snapshot_data("2026-W27") is None


def test_snapshot_figures_with_accents_and_pipes_come_back_unchanged(repo: Repository) -> None:
    data = {"customers": [{"name": "Pacífico Foods | LATAM", "health": 64}], "arrow": "↑"}

    repo.freeze_snapshot("2026-W27", 1, datetime(2026, 6, 29, 10, 30), data, replace=True)

    assert repo.snapshot_data("2026-W27") == data


# -- updates and deletes ----------------------------------------------------------------------


def test_editing_a_project_stores_the_new_fields(repo: Repository) -> None:
    stored = repo.add_project(full_project(ids(repo)), entered_on=date(2026, 4, 1))
    assert stored.id is not None
    edited = stored.model_copy(
        update={"progress": 70.0, "status": ProjectStatus.ON_TRACK, "key_blockers": ""}
    )

    repo.update(edited)

    assert repo.get(Project, stored.id) == edited


def test_editing_a_row_someone_deleted_says_it_no_longer_exists(repo: Repository) -> None:
    company = repo.add(Company(name="Company A"))
    assert company.id is not None
    repo.delete(Company, company.id)

    with pytest.raises(NotFoundError):
        repo.update(company.model_copy(update={"name": "Company A2"}))

    assert repo.companies() == []


def test_editing_an_entity_that_was_never_added_is_refused(repo: Repository) -> None:
    with pytest.raises(NotFoundError):
        repo.update(Company(name="Never added"))


def test_editing_this_weeks_kpis_replaces_them_and_a_missing_week_is_not_found(
    repo: Repository,
) -> None:
    repo.add(Kpis(week=WEEK, nps=38.0))

    repo.update(Kpis(week=WEEK, nps=40.0, support_tickets=46))

    assert repo.kpis(WEEK) == Kpis(week=WEEK, nps=40.0, support_tickets=46)
    with pytest.raises(NotFoundError):
        repo.update(Kpis(week="2026-W27", nps=36.0))
    assert repo.kpis("2026-W27") is None


def test_upserting_kpis_creates_the_week_then_replaces_it(repo: Repository) -> None:
    repo.upsert(Kpis(week=WEEK, nps=38.0))
    repo.upsert(Kpis(week=WEEK, nps=40.0))

    assert repo.kpis(WEEK) == Kpis(week=WEEK, nps=40.0)
    assert repo.count(Kpis) == 1


def test_deleting_a_bug_removes_it_and_its_playbook_checks(repo: Repository) -> None:
    bug = repo.add(p0_bug(ids(repo)))
    assert bug.id is not None
    repo.add(PlaybookCheck(bug_id=bug.id, step=PlaybookStep.DETECT, done_at=datetime(2026, 7, 6)))

    repo.delete(Bug, bug.id)

    assert repo.get(Bug, bug.id) is None
    assert repo.playbook_checks(bug.id) == []


def test_deleting_a_row_that_is_not_there_says_so(repo: Repository) -> None:
    with pytest.raises(NotFoundError):
        repo.delete(Bug, 404)


def test_deleting_a_company_that_still_has_projects_is_refused_and_keeps_everything(
    repo: Repository,
) -> None:
    refs = ids(repo)
    repo.add_project(full_project(refs), entered_on=date(2026, 4, 1))

    with pytest.raises(sqlite3.IntegrityError):
        repo.delete(Company, refs["company"])

    assert repo.get(Company, refs["company"]) is not None
    assert repo.count(Project) == 1
    assert repo.count(Product) == 1


# -- foreign keys -----------------------------------------------------------------------------


def test_adding_a_product_of_a_company_that_does_not_exist_stores_nothing(
    repo: Repository,
) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        repo.add(Product(company_id=404, name="Ghost product"))

    assert repo.count(Product) == 0


def test_assigning_a_bug_to_a_person_who_does_not_exist_stores_nothing(repo: Repository) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        repo.add(Bug(title="Orphan", opened_at=MONDAY, assignee_id=404))

    assert repo.count(Bug) == 0


def test_a_batch_with_one_bad_reference_stores_none_of_the_batch(repo: Repository) -> None:
    company = repo.add(Company(name="Company A"))
    assert company.id is not None
    batch = [
        Product(company_id=company.id, name="Boleta"),
        Product(company_id=404, name="Ghost"),
        Product(company_id=company.id, name="Invoicing"),
    ]

    with pytest.raises(sqlite3.IntegrityError):
        repo.add_many(batch)

    assert repo.count(Product) == 0


# -- control characters -----------------------------------------------------------------------

FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""C0 controls except tab and newline, DEL, C1 controls, bidi embeddings/overrides/isolates."""

CONTROLS = (
    [chr(code) for code in range(0x20) if chr(code) not in "\t\n"]
    + [chr(code) for code in range(0x7F, 0xA0)]
    + [chr(code) for code in range(0x202A, 0x202F)]
    + [chr(code) for code in range(0x2066, 0x206A)]
    + ["\x1b[31m", "\x1b]0;title\x07", "\r\n", "\t", "\n"]
)

hostile_text = st.lists(
    st.one_of(
        st.sampled_from(CONTROLS),
        st.text(st.characters(exclude_categories=["Cs"]), max_size=5),
    ),
    max_size=12,
).map("".join)


def stored_text_with_controls(path: Path) -> list[tuple[str, str, str]]:
    """Every text value in every table, read with plain sqlite3, that holds a control."""
    found: list[tuple[str, str, str]] = []
    with contextlib.closing(sqlite3.connect(path)) as conn:
        tables = [
            name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        for table in tables:
            cursor = conn.execute(f"SELECT * FROM [{table}]")
            columns = [column[0] for column in cursor.description]
            for row in cursor:
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, str) and FORBIDDEN.search(value):
                        found.append((table, column, value))
    return found


_unique = itertools.count()


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(name=hostile_text, text=hostile_text, line=hostile_text)
def test_typing_control_characters_into_any_field_never_stores_them(
    repo: Repository, name: str, text: str, line: str
) -> None:
    assert repo.path is not None
    n = next(_unique)
    title = f"T{n} {name}"
    company = repo.add(Company(name=title))
    assert company.id is not None
    product = repo.add(Product(company_id=company.id, name=title))
    person = repo.add(Person(name=title, role=PersonRole.OTHER, company_id=company.id, email=line))
    project = repo.add_project(
        Project(
            name=title,
            company_id=company.id,
            next_milestone=line,
            cpto_input=text,
            problem=text,
            key_findings=text,
            scope_remaining=text,
            resource_requirements=text,
            key_blockers=text,
            beta_feedback=text,
            satisfaction=text,
            support_impact=text,
        ),
        entered_on=MONDAY,
    )
    bug = repo.add(
        Bug(
            title=title,
            description=text,
            company_id=company.id,
            product_id=product.id,
            assignee_id=person.id,
            project_id=project.id,
            opened_at=MONDAY,
            root_cause=text,
            prevention=text,
        )
    )
    account = repo.add(
        Customer(name=title, company_id=company.id, escalated=True, escalation_note=text)
    )
    assert account.id is not None
    repo.add(NpsResponse(customer_id=account.id, score=7, responded_on=MONDAY, comment=text))
    request = repo.add(FeatureRequest(title=title, effort=line, epic=line))
    repo.add(
        FeedbackEntry(
            customer_id=account.id,
            logged_on=MONDAY,
            kind=FeedbackKind.PAIN_POINT,
            text=f"F {text}",
            request_id=request.id,
        )
    )
    repo.add(ActionItem(what=title, week=WEEK))
    repo.add(
        Decision(
            what=title,
            context=text,
            recommendation=text,
            category=DecisionCategory.PARTNERSHIP,
            week=WEEK,
            raised_at=datetime(2026, 7, 6, 10, 0),
        )
    )
    repo.add(Risk(risk=title, mitigation=text))
    repo.upsert(ReviewWeek(week=WEEK, notes=text))
    repo.add(SavedFilter(name=title, query=line))
    assert bug.id is not None

    assert stored_text_with_controls(repo.path) == []


def test_a_bidi_override_in_a_bug_title_is_removed_before_it_is_stored(
    repo: Repository,
) -> None:
    bug = repo.add(Bug(title="Invoice \u202efdp.exe\u202c attached", opened_at=MONDAY))

    assert bug.title == "Invoice fdp.exe attached"
    assert repo.path is not None
    with contextlib.closing(sqlite3.connect(repo.path)) as conn:
        (stored,) = conn.execute("SELECT title FROM bugs").fetchone()
    assert stored == "Invoice fdp.exe attached"


def test_a_pasted_multi_line_title_becomes_one_line_but_a_description_keeps_its_lines(
    repo: Repository,
) -> None:
    bug = repo.add(
        Bug(
            title="Export\r\nloses\tzeros\x1b[0m",
            description="Line one\r\nLine two\x07\n\tindented",
            opened_at=MONDAY,
        )
    )

    read = repo.get(Bug, bug.id or 0)

    assert read is not None
    assert read.title == "Export loses zeros[0m"
    assert read.description == "Line one\nLine two\n\tindented"


def test_naming_the_workspace_with_control_characters_stores_the_name_clean(
    repo: Repository,
) -> None:
    repo.set_meta("name", "Demo\x1b[2J portfolio\u202e")

    assert repo.path is not None
    assert stored_text_with_controls(repo.path) == []


# -- what a form shows on its fields ----------------------------------------------------------


def errors_of(model: type[Any], data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return field_errors(caught.value)


def test_saving_a_bug_with_an_empty_title_flags_the_title() -> None:
    errors = errors_of(Bug, {"title": "   ", "opened_at": "2026-07-06T09:00:00"})

    assert set(errors) == {"title"}


def test_a_title_made_only_of_control_characters_counts_as_empty() -> None:
    errors = errors_of(Company, {"name": "\x1b\x07\u202e"})

    assert errors == {"name": "must not be empty"}


def test_typing_progress_101_flags_progress() -> None:
    errors = errors_of(Project, {"name": "Invoice AI", "company_id": 1, "progress": "101"})

    assert set(errors) == {"progress"}


def test_an_nps_score_of_11_flags_the_score() -> None:
    errors = errors_of(NpsResponse, {"customer_id": 1, "score": 11, "responded_on": "2026-07-06"})

    assert set(errors) == {"score"}


def test_an_unknown_phase_flags_the_phase() -> None:
    errors = errors_of(Project, {"name": "Invoice AI", "company_id": 1, "phase": "Deployment"})

    assert set(errors) == {"phase"}


def test_an_impossible_date_flags_the_date_field() -> None:
    errors = errors_of(NpsResponse, {"customer_id": 1, "score": 9, "responded_on": "2026-02-30"})

    assert set(errors) == {"responded_on"}


def test_several_bad_fields_are_each_flagged_once() -> None:
    errors = errors_of(
        Project,
        {
            "name": "",
            "company_id": 1,
            "progress": 101,
            "risk": "Extreme",
            "go_no_go_date": "2026-02-30",
        },
    )

    assert set(errors) == {"name", "progress", "risk", "go_no_go_date"}


def test_meeting_notes_and_follow_ups_round_trip_and_replace(repo: Repository) -> None:
    repo.save_meeting_note("2026-W28", "discovery", "Go for Invoice AI")
    repo.save_meeting_note("2026-W28", "quality", "P0 postmortem Thursday")
    repo.save_meeting_note("2026-W28", "discovery", "Go, with a two-week extension")
    assert repo.meeting_notes("2026-W28") == {
        "discovery": "Go, with a two-week extension",
        "quality": "P0 postmortem Thursday",
    }
    repo.set_follow_up("2026-W28", "Tuesday", datetime(2026, 7, 7, 10, 0))
    repo.set_follow_up("2026-W28", "Friday", datetime(2026, 7, 10, 16, 0))
    repo.set_follow_up("2026-W28", "Friday", None)
    assert repo.follow_ups("2026-W28") == {"Tuesday": datetime(2026, 7, 7, 10, 0)}
    assert repo.follow_ups("2026-W27") == {}
