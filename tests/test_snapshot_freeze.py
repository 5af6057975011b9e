"""Freezing a review week: its figures stored once, the week read-only until unfrozen on
purpose, and "what changed since last week" computed against the week before.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from opstui.data.config import Config
from opstui.data.figures import week_snapshot
from opstui.data.repository import Repository
from opstui.data.review import (
    AlreadyFrozenError,
    SnapshotDamagedError,
    WeekFrozenError,
    ensure_week_editable,
    freeze_week,
    is_frozen,
    review_snapshots,
    snapshot_date,
    stored_snapshot,
    unfreeze_week,
)
from opstui.data.sample import DEMO_TODAY, DEMO_WEEK, SampleSize, generate
from opstui.domain.diff import week_diff
from opstui.domain.enums import (
    ActionPriority,
    ActionStatus,
    DecisionCategory,
    DecisionKind,
    HealthBand,
    Phase,
    Priority,
    ProjectStatus,
    RiskLevel,
)
from opstui.domain.models import Project
from opstui.domain.snapshot import (
    SNAPSHOT_VERSION,
    ActionItemFigure,
    BugRowFigure,
    CustomerFigure,
    DecisionFigure,
    EscalationFigure,
    ProjectFigure,
    SnapshotData,
)

CONFIG = Config()
MONDAY_MORNING = datetime(2026, 7, 6, 10, 30)


def freeze(repo: Repository, *, replace: bool = False, now: datetime = MONDAY_MORNING) -> None:
    freeze_week(
        repo,
        DEMO_WEEK,
        today=DEMO_TODAY,
        now=now,
        targets=CONFIG.targets,
        health=CONFIG.health,
        replace=replace,
    )


# -- freeze, unfreeze, refreeze ---------------------------------------------------------------


def test_freezing_the_review_week_stores_every_figure_as_computed(demo_repo: Repository) -> None:
    live = week_snapshot(demo_repo, DEMO_WEEK, DEMO_TODAY, CONFIG.targets, CONFIG.health)

    freeze(demo_repo)

    assert is_frozen(demo_repo, DEMO_WEEK)
    stored = stored_snapshot(demo_repo, DEMO_WEEK)
    assert stored == live
    assert stored is not None
    assert stored.version == SNAPSHOT_VERSION
    assert demo_repo.snapshot_frozen_at(DEMO_WEEK) == MONDAY_MORNING
    # Every kind of figure the review needs is there.
    assert stored.projects and stored.bugs and stored.customers and stored.requests
    assert stored.action_items and stored.decisions and stored.risks and stored.escalations
    assert [bug.priority for bug in stored.critical_bugs][:1] == [Priority.P0]
    assert stored.kpis["story_points"] == 102 and "features_shipped" not in stored.kpis
    assert (stored.support_tickets, stored.shipped_requests) == (63, 1)
    assert stored.avg_weeks_per_phase[Phase.DISCOVERY] is not None


def test_freezing_a_frozen_week_again_is_refused_and_keeps_the_first_snapshot(
    demo_repo: Repository,
) -> None:
    freeze(demo_repo)
    first = demo_repo.snapshot_json(DEMO_WEEK)

    with pytest.raises(AlreadyFrozenError, match=f"{DEMO_WEEK} is already frozen"):
        freeze(demo_repo, now=datetime(2026, 7, 6, 11, 0))

    assert demo_repo.snapshot_json(DEMO_WEEK) == first
    assert demo_repo.snapshot_frozen_at(DEMO_WEEK) == MONDAY_MORNING


def test_refreezing_with_replace_stores_the_figures_as_they_are_now(
    demo_repo: Repository,
) -> None:
    freeze(demo_repo)
    payroll = next(p for p in demo_repo.projects() if p.name == "Multi-State Payroll")
    demo_repo.update(payroll.model_copy(update={"status": ProjectStatus.OFF_TRACK}))

    freeze(demo_repo, replace=True, now=datetime(2026, 7, 6, 11, 0))

    stored = stored_snapshot(demo_repo, DEMO_WEEK)
    assert stored is not None
    figure = next(p for p in stored.projects if p.name == "Multi-State Payroll")
    assert figure.status is ProjectStatus.OFF_TRACK
    assert demo_repo.snapshot_frozen_at(DEMO_WEEK) == datetime(2026, 7, 6, 11, 0)


def test_unfreezing_makes_the_week_editable_and_a_second_unfreeze_says_so(
    demo_repo: Repository,
) -> None:
    freeze(demo_repo)

    assert unfreeze_week(demo_repo, DEMO_WEEK) is True

    assert not is_frozen(demo_repo, DEMO_WEEK)
    ensure_week_editable(demo_repo, DEMO_WEEK)
    assert unfreeze_week(demo_repo, DEMO_WEEK) is False
    freeze(demo_repo)  # and it can be frozen again without replace
    assert is_frozen(demo_repo, DEMO_WEEK)


def test_a_frozen_week_is_read_only_with_a_one_line_reason(demo_repo: Repository) -> None:
    ensure_week_editable(demo_repo, DEMO_WEEK)
    freeze(demo_repo)

    with pytest.raises(WeekFrozenError) as caught:
        ensure_week_editable(demo_repo, DEMO_WEEK)

    message = str(caught.value)
    assert "\n" not in message
    assert DEMO_WEEK in message and "unfreeze" in message
    ensure_week_editable(demo_repo, "2026-W29")  # other weeks stay editable


def test_a_frozen_week_exports_its_snapshot_not_todays_figures(demo_repo: Repository) -> None:
    freeze(demo_repo)
    payroll = next(p for p in demo_repo.projects() if p.name == "Multi-State Payroll")
    demo_repo.update(payroll.model_copy(update={"status": ProjectStatus.OFF_TRACK}))

    snapshot, previous = review_snapshots(
        demo_repo, DEMO_WEEK, date(2026, 7, 9), CONFIG.targets, CONFIG.health
    )

    assert snapshot.taken_on == DEMO_TODAY
    figure = next(p for p in snapshot.projects if p.name == "Multi-State Payroll")
    assert figure.status is ProjectStatus.AT_RISK
    assert previous is not None and previous.week == "2026-W27"


def test_a_snapshot_edited_outside_opstui_is_reported_on_one_line(demo_repo: Repository) -> None:
    demo_repo.db.execute("UPDATE snapshots SET data = '{\"week\": 5}' WHERE week = '2026-W27'")

    with pytest.raises(SnapshotDamagedError) as caught:
        stored_snapshot(demo_repo, "2026-W27")

    assert "2026-W27" in str(caught.value) and "\n" not in str(caught.value)


def test_a_live_week_is_computed_as_of_today_but_never_after_its_sunday() -> None:
    assert snapshot_date(DEMO_WEEK, date(2026, 7, 8)) == date(2026, 7, 8)
    assert snapshot_date(DEMO_WEEK, date(2026, 11, 21)) == date(2026, 7, 12)
    assert snapshot_date(DEMO_WEEK, date(2026, 7, 1)) == date(2026, 7, 1)


def test_a_version_1_snapshot_still_validates_with_defaults_for_the_new_figures() -> None:
    version_1 = {
        "version": 1,
        "week": "2026-W27",
        "taken_on": "2026-06-29",
        "projects": [
            {
                "name": "Invoice AI",
                "company": "Company A",
                "phase": "Discovery",
                "progress": 45.0,
                "status": "On track",
                "next_milestone": "Problem Validation",
                "risk": "Low",
            }
        ],
        "bugs": [{"company": "Total", "p0": 1, "p1": 16, "p2": 55, "p3": 21}],
        "kpis": {"arr": 2240000.0},
    }

    snapshot = SnapshotData.model_validate(version_1)

    assert snapshot.version == 1
    assert snapshot.projects[0].id is None
    assert snapshot.action_items == snapshot.decisions == snapshot.risks == ()
    assert snapshot.critical_bugs == ()
    assert snapshot.targets.p1_below == 15
    assert snapshot.bug_total() is not None and snapshot.company_bug_rows() == ()


def _counted_by_hand(path: Path, today: date, window_days: int) -> dict[str, tuple]:
    """The figures `company_bug_counts` gives, counted in Python from every row."""
    since = (today - timedelta(days=window_days - 1)).isoformat()
    until = (today + timedelta(days=1)).isoformat()
    conn = sqlite3.connect(path)
    names = dict(conn.execute("SELECT id, name FROM companies"))
    figures: dict[str, list] = {name: [{}, 0, 0, 0, 0.0, 0] for name in names.values()}
    for company_id, priority, status, opened, resolved in conn.execute(
        "SELECT company_id, priority, status, opened_at, resolved_at FROM bugs"
    ):
        if company_id is None:
            continue
        row = figures[names[company_id]]
        if status in ("open", "in progress"):
            if priority is None:
                row[1] += 1
            else:
                row[0][Priority(priority)] = row[0].get(Priority(priority), 0) + 1
        if since <= opened < until:
            row[2] += status != "duplicate"
            row[3] += status in ("resolved", "closed")
        if status in ("resolved", "closed") and resolved and since <= resolved < until:
            row[4] += (
                datetime.fromisoformat(resolved) - datetime.fromisoformat(opened)
            ).total_seconds() / 86400
            row[5] += 1
    conn.close()
    return {name: tuple(values) for name, values in figures.items()}


def test_the_bug_counts_equal_a_count_of_every_row(tmp_path: Path) -> None:
    path = generate(tmp_path / "scaled.db", SampleSize(bugs=3000, projects=30, customers=30))
    repo = Repository.open(path)
    try:
        for today in (DEMO_TODAY, date(2026, 7, 12), date(2024, 1, 1)):
            expected = _counted_by_hand(path, today, 90)
            counted = repo.company_bug_counts(today, 90)
            assert [row.company for row in counted] == sorted(expected)
            for row in counted:
                by_priority, untriaged, total, done, days, resolved = expected[row.company]
                open_counts = {p: n for p, n in row.open_by_priority.items() if n}
                assert (open_counts, row.untriaged) == (by_priority, untriaged)
                assert (row.window_total, row.window_done) == (total, done)
                assert row.resolution_count == resolved
                assert row.resolution_days_sum == pytest.approx(days)
    finally:
        repo.close()


# -- what changed since last week -------------------------------------------------------------


def project(
    project_id: int | None,
    name: str,
    *,
    phase: Phase = Phase.DEVELOPMENT,
    status: ProjectStatus = ProjectStatus.ON_TRACK,
    slip: int | None = 0,
) -> ProjectFigure:
    return ProjectFigure(
        id=project_id,
        name=name,
        company="Company A",
        phase=phase,
        progress=50,
        status=status,
        next_milestone="Demo",
        risk=RiskLevel.LOW,
        slip_days=slip,
    )


def customer(customer_id: int | None, name: str, health: int, band: HealthBand) -> CustomerFigure:
    return CustomerFigure(
        id=customer_id, name=name, company="Company B", arr=1000, health=health, band=band
    )


def bug_row(company: str, p0: int, p1: int) -> BugRowFigure:
    return BugRowFigure(company=company, p0=p0, p1=p1, p2=3, p3=0)


def escalation(target_id: int, title: str) -> EscalationFigure:
    return EscalationFigure(
        trigger="P0/P1 bug unresolved", kind="bug", title=title, detail="P1", target_id=target_id
    )


def decision(decision_id: int, decided_at: datetime | None) -> DecisionFigure:
    return DecisionFigure(
        id=decision_id,
        what=f"Decision {decision_id}",
        kind=DecisionKind.IMMEDIATE,
        category=DecisionCategory.GO_NO_GO,
        week="2026-W27",
        raised_at=datetime(2026, 6, 29, 9, 0),
        due_at=datetime(2026, 6, 29, 9, 0),
        decided_at=decided_at,
    )


def action(
    action_id: int, status: ActionStatus, due: date, closed_on: date | None = None
) -> ActionItemFigure:
    return ActionItemFigure(
        id=action_id,
        what=f"Action {action_id}",
        owner="Ana Ruiz",
        due_date=due,
        priority=ActionPriority.HIGH,
        status=status,
        week="2026-W27",
        closed_on=closed_on,
    )


LAST_WEEK = SnapshotData(
    week="2026-W27",
    taken_on=date(2026, 6, 29),
    projects=(
        project(1, "Status changes"),
        project(2, "Phase changes", phase=Phase.DEFINITION),
        project(3, "Slips further", slip=3),
        project(4, "Stays put", slip=10),
        project(5, "Cancelled"),
    ),
    bugs=(bug_row("Company A", 0, 5), bug_row("Company B", 1, 8), bug_row("Total", 1, 13)),
    customers=(
        customer(1, "Harbor & Pine", 64, HealthBand.YELLOW),
        customer(2, "Andes Retail", 88, HealthBand.GREEN),
    ),
    escalations=(escalation(10, "Still open"), escalation(11, "Fixed since")),
    decisions=(decision(1, None), decision(2, datetime(2026, 6, 29, 9, 0))),
    action_items=(
        action(1, ActionStatus.IN_PROGRESS, date(2026, 7, 3)),
        action(2, ActionStatus.BLOCKED, date(2026, 7, 1)),
        action(3, ActionStatus.NOT_STARTED, date(2026, 7, 10)),
    ),
)

THIS_WEEK = SnapshotData(
    week="2026-W28",
    taken_on=date(2026, 7, 6),
    projects=(
        project(1, "Status changes", status=ProjectStatus.AT_RISK),
        project(2, "Phase changes", phase=Phase.DEVELOPMENT),
        project(3, "Slips further", slip=11),
        project(4, "Stays put", slip=10),
        project(6, "Brand new"),
    ),
    bugs=(bug_row("Company A", 1, 5), bug_row("Company B", 1, 8), bug_row("Total", 2, 13)),
    customers=(
        customer(1, "Harbor & Pine", 28, HealthBand.RED),
        customer(2, "Andes Retail", 86, HealthBand.GREEN),
    ),
    escalations=(escalation(10, "Still open"), escalation(12, "New this week")),
    decisions=(decision(1, datetime(2026, 7, 6, 9, 50)), decision(2, datetime(2026, 6, 29, 9))),
    action_items=(
        action(1, ActionStatus.COMPLETE, date(2026, 7, 3), closed_on=date(2026, 7, 6)),
        action(2, ActionStatus.BLOCKED, date(2026, 7, 1)),
        action(3, ActionStatus.NOT_STARTED, date(2026, 7, 10)),
    ),
)


def test_the_diff_reports_projects_that_changed_status_phase_or_slipped_further() -> None:
    diff = week_diff(THIS_WEEK, LAST_WEEK)

    changes = {change.after.name: change for change in diff.projects}
    assert sorted(changes) == ["Phase changes", "Slips further", "Status changes"]
    assert changes["Status changes"].status_changed
    assert not changes["Status changes"].phase_changed
    assert changes["Phase changes"].phase_changed
    assert changes["Slips further"].further_slip_days == 8
    assert [p.name for p in diff.new_projects] == ["Brand new"]
    assert [p.name for p in diff.removed_projects] == ["Cancelled"]


def test_the_diff_reports_p0_and_p1_movements_per_company_and_in_total() -> None:
    diff = week_diff(THIS_WEEK, LAST_WEEK)

    assert [(m.company, m.p0_before, m.p0_after, m.is_total) for m in diff.bug_movements] == [
        ("Company A", 0, 1, False),
        ("Total", 1, 2, True),
    ]


def test_the_diff_reports_customers_whose_health_band_changed_only() -> None:
    diff = week_diff(THIS_WEEK, LAST_WEEK)

    assert [(c.after.name, c.before.band, c.after.band) for c in diff.band_changes] == [
        ("Harbor & Pine", HealthBand.YELLOW, HealthBand.RED)
    ]


def test_the_diff_reports_new_and_cleared_escalations() -> None:
    diff = week_diff(THIS_WEEK, LAST_WEEK)

    assert [e.title for e in diff.new_escalations] == ["New this week"]
    assert [e.title for e in diff.cleared_escalations] == ["Fixed since"]


def test_the_diff_reports_decisions_made_and_action_items_closed_or_overdue() -> None:
    diff = week_diff(THIS_WEEK, LAST_WEEK)

    assert [d.id for d in diff.decisions_made] == [1]
    assert [a.id for a in diff.actions_closed] == [1]
    assert [a.id for a in diff.actions_overdue] == [2]
    assert not diff.is_empty


def test_a_week_compared_with_itself_has_no_changes_but_its_overdue_items() -> None:
    diff = week_diff(THIS_WEEK, THIS_WEEK)

    assert diff.projects == diff.new_projects == diff.removed_projects == ()
    assert diff.bug_movements == diff.band_changes == ()
    assert diff.new_escalations == diff.cleared_escalations == ()
    assert diff.decisions_made == diff.actions_closed == ()
    assert [a.id for a in diff.actions_overdue] == [2]


def test_without_a_previous_week_only_the_weeks_own_changes_are_reported() -> None:
    diff = week_diff(THIS_WEEK, None)

    assert diff.previous_week is None
    assert diff.projects == diff.bug_movements == diff.new_escalations == ()
    assert [d.id for d in diff.decisions_made] == [1]  # decided on Monday of this week
    assert [a.id for a in diff.actions_closed] == [1]  # closed on Monday of this week
    assert [a.id for a in diff.actions_overdue] == [2]


def test_a_version_1_previous_snapshot_without_ids_is_matched_by_name() -> None:
    without_ids = LAST_WEEK.model_copy(
        update={
            "projects": tuple(p.model_copy(update={"id": None}) for p in LAST_WEEK.projects),
            "customers": tuple(c.model_copy(update={"id": None}) for c in LAST_WEEK.customers),
            "escalations": tuple(
                e.model_copy(update={"target_id": None}) for e in LAST_WEEK.escalations
            ),
        }
    )

    diff = week_diff(THIS_WEEK, without_ids)

    assert sorted(c.after.name for c in diff.projects) == [
        "Phase changes",
        "Slips further",
        "Status changes",
    ]
    assert [c.after.name for c in diff.band_changes] == ["Harbor & Pine"]
    assert [e.title for e in diff.new_escalations] == ["New this week"]


def test_a_renamed_project_is_still_the_same_project() -> None:
    renamed = THIS_WEEK.model_copy(
        update={"projects": (project(1, "Renamed", status=ProjectStatus.AT_RISK),)}
    )
    before = LAST_WEEK.model_copy(update={"projects": (project(1, "Status changes"),)})

    diff = week_diff(renamed, before)

    assert [c.after.name for c in diff.projects] == ["Renamed"]
    assert diff.new_projects == diff.removed_projects == ()


def test_the_demo_week_against_its_frozen_predecessor(demo_repo: Repository) -> None:
    snapshot, previous = review_snapshots(
        demo_repo, DEMO_WEEK, DEMO_TODAY, CONFIG.targets, CONFIG.health
    )

    diff = week_diff(snapshot, previous)

    assert diff.previous_week == "2026-W27"
    assert [(c.after.name, c.after.status) for c in diff.projects] == [
        ("Multi-State Payroll", ProjectStatus.AT_RISK)
    ]
    assert [c.after.name for c in diff.band_changes] == ["Harbor & Pine"]
    assert {a.what for a in diff.actions_overdue} == {
        "Lend two platform engineers to Multi-State Payroll",
        "Root-cause review of the June payroll delays",
    }


def test_a_project_added_after_a_freeze_is_new_in_next_weeks_diff(demo_repo: Repository) -> None:
    freeze(demo_repo)
    company_id = demo_repo.companies()[0].id
    assert company_id is not None
    demo_repo.add_project(Project(name="Late Arrival", company_id=company_id), DEMO_TODAY)

    snapshot, previous = review_snapshots(
        demo_repo, "2026-W29", date(2026, 7, 13), CONFIG.targets, CONFIG.health
    )

    diff = week_diff(snapshot, previous)
    assert previous is not None and previous.week == DEMO_WEEK
    assert [p.name for p in diff.new_projects] == ["Late Arrival"]
