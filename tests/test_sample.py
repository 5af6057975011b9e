"""The demo workspace generator: the seed's portfolio, the same every time, and the checked-in
sample.db never drifting from it.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from opstui.data.bug_queries import BugQuery
from opstui.data.config import Config
from opstui.data.figures import week_bug_matrix
from opstui.data.repository import Repository
from opstui.data.sample import DEMO_TODAY, DEMO_WEEK, SampleSize, generate
from opstui.data.workspace import WorkspaceError
from opstui.domain.enums import Phase, Priority, ProjectStatus, RiskLevel, Trend
from opstui.domain.models import Bug, Customer, Project

CHECKED_IN_DEMO = Path(__file__).parents[1] / "sample.db"


def dump(path: Path, scratch: Path) -> list[str]:
    """The SQL dump of a workspace, read from a copy so the original is never touched."""
    copy = scratch / f"dump-of-{path.name}"
    shutil.copyfile(path, copy)
    with contextlib.closing(sqlite3.connect(copy)) as conn:
        return list(conn.iterdump())


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Repository]:
    repo = Repository.open(generate(tmp_path / "demo.db"))
    try:
        yield repo
    finally:
        repo.close()


def test_generating_the_demo_twice_gives_identical_content(tmp_path: Path) -> None:
    first = generate(tmp_path / "first.db")
    second = generate(tmp_path / "second.db")

    assert dump(first, tmp_path) == dump(second, tmp_path)


def test_the_checked_in_sample_db_is_exactly_what_the_generator_makes(tmp_path: Path) -> None:
    assert CHECKED_IN_DEMO.is_file(), (
        "sample.db is missing at the repository root; run `opstui sample --out sample.db`"
    )
    fresh = generate(tmp_path / "fresh.db")

    assert dump(CHECKED_IN_DEMO, tmp_path) == dump(fresh, tmp_path), (
        "sample.db drifted from the generator; regenerate it with `opstui sample --out sample.db`"
    )


def test_generating_over_an_existing_file_refuses_and_keeps_it(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    path.write_text("keep me", encoding="utf-8")

    with pytest.raises(WorkspaceError, match="already exists"):
        generate(path)

    assert path.read_text(encoding="utf-8") == "keep me"


def test_a_generated_demo_leaves_only_its_file_behind(tmp_path: Path) -> None:
    generate(tmp_path / "demo.db")

    assert sorted(entry.name for entry in tmp_path.iterdir()) == ["demo.db"]


def test_the_demo_holds_the_seeds_four_projects_exactly(demo: Repository) -> None:
    by_name = {project.name: project for project in demo.projects()}
    seed = [
        ("Boleta Automation", Phase.DELIVERY, 85, ProjectStatus.ON_TRACK, "Full Rollout",
         date(2026, 7, 9), RiskLevel.LOW, date(2026, 7, 12)),
        ("Multi-State Payroll", Phase.DEVELOPMENT, 60, ProjectStatus.AT_RISK, "Sprint 4 Demo",
         date(2026, 7, 10), RiskLevel.MEDIUM, date(2026, 7, 14)),
        ("Banking Integration", Phase.DEFINITION, 90, ProjectStatus.ON_TRACK, "Dev Handoff",
         date(2026, 7, 15), RiskLevel.LOW, date(2026, 7, 18)),
        ("Invoice AI", Phase.DISCOVERY, 45, ProjectStatus.ON_TRACK, "Problem Validation",
         date(2026, 7, 18), RiskLevel.LOW, date(2026, 7, 22)),
    ]  # fmt: skip

    for name, phase, progress, status, milestone, milestone_date, risk, completion in seed:
        project = by_name[name]
        assert (
            project.phase,
            project.progress,
            project.status,
            project.next_milestone,
            project.milestone_date,
            project.risk,
            project.completion_date,
        ) == (phase, progress, status, milestone, milestone_date, risk, completion), name


def test_the_demo_bug_matrix_on_review_monday_is_the_seeds_table(demo: Repository) -> None:
    targets = Config().targets

    matrix = week_bug_matrix(demo, DEMO_TODAY, targets, DEMO_WEEK)

    rows = [
        (row.company, row.counts[Priority.P0], row.counts[Priority.P1], row.counts[Priority.P2],
         row.resolution_rate, row.trend)
        for row in matrix.rows
    ]  # fmt: skip
    assert rows == [
        ("Company A", 0, 5, 18, 87.0, Trend.UP),
        ("Company B", 1, 8, 22, 82.0, Trend.FLAT),
        ("Company C", 0, 3, 15, 93.0, Trend.UP),
    ]
    total = matrix.total
    assert (total.counts[Priority.P0], total.counts[Priority.P1], total.counts[Priority.P2]) == (
        1,
        16,
        55,
    )
    assert total.resolution_rate is not None
    assert round(total.resolution_rate) == 87
    assert total.trend is Trend.UP


def test_the_demo_has_projects_in_every_phase(demo: Repository) -> None:
    assert {project.phase for project in demo.projects()} == set(Phase)


def test_every_demo_project_has_a_phase_history_ending_in_its_phase(demo: Repository) -> None:
    for project in demo.projects():
        assert project.id is not None
        history = demo.phase_history(project.id)
        assert history, project.name
        assert history[-1].phase is project.phase
        assert all(change.entered_on <= DEMO_TODAY for change in history)


def test_the_demo_has_frozen_snapshots_for_the_weeks_before_the_review(demo: Repository) -> None:
    weeks = demo.snapshot_weeks()

    assert weeks == ["2026-W25", "2026-W26", "2026-W27"]
    assert DEMO_WEEK not in weeks
    for week in weeks:
        data = demo.snapshot_data(week)
        assert data is not None
        assert data["week"] == week
        assert data["bugs"]


def test_scaling_the_demo_gives_exactly_the_counts_asked_for(tmp_path: Path) -> None:
    path = generate(tmp_path / "big.db", SampleSize(bugs=5000, projects=200, customers=300))

    repo = Repository.open(path)
    try:
        assert repo.count(Bug) == 5000
        assert repo.count(Project) == 200
        assert repo.count(Customer) == 300
        assert {project.phase for project in repo.projects()} == set(Phase)
    finally:
        repo.close()


def test_scaling_the_demo_down_still_gives_exactly_the_counts_asked_for(tmp_path: Path) -> None:
    path = generate(tmp_path / "tiny.db", SampleSize(bugs=10, projects=2, customers=3))

    repo = Repository.open(path)
    try:
        assert (repo.count(Bug), repo.count(Project), repo.count(Customer)) == (10, 2, 3)
    finally:
        repo.close()


def test_a_scaled_demo_is_also_the_same_every_time(tmp_path: Path) -> None:
    size = SampleSize(bugs=500, projects=40, customers=50)

    first = generate(tmp_path / "first.db", size)
    second = generate(tmp_path / "second.db", size)

    assert dump(first, tmp_path) == dump(second, tmp_path)


def test_a_scaled_workspace_stores_every_bug_valid_and_in_order_of_opening(
    tmp_path: Path,
) -> None:
    path = generate(tmp_path / "scaled.db", SampleSize(bugs=3000, projects=20, customers=30))
    repo = Repository.open(path)
    try:
        bugs = repo.all(Bug)
        assert len(bugs) == 3000
        assert not repo.problems.take_unreported(), "a generated row breaks the model"
        # Ids follow the opening (the P0 whose playbook runs is re-dated afterwards).
        ordered = [(bug.opened_at, bug.title) for bug in bugs if bug.priority is not Priority.P0]
        assert ordered == sorted(ordered)
        # The history's rows are stored as the model stores the same values.
        history = [bug for bug in bugs if bug.assignee_id is None and bug.product_id is None]
        assert len(history) > 2000
        # The title index, built in one pass after the bulk load, matches the table.
        repo.db.execute(
            "INSERT INTO bugs_title_search (bugs_title_search, rank) VALUES ('integrity-check', 1)"
        )
        timeouts = {bug.id for bug in bugs if "timeout" in bug.title.lower()}
        assert timeouts
        query = BugQuery(text="timeout", sort="id")
        assert {row.id for row in repo.bug_list_page(query, DEMO_TODAY, 0, 5000)} == timeouts
        indexes = repo.db.execute(
            "SELECT count(*) FROM sqlite_master WHERE tbl_name = 'bugs' AND sql IS NOT NULL"
        ).fetchone()[0]
        assert indexes >= 13  # the table, its indexes and triggers, made again after the load
        for bug in history[:50]:
            stored = repo.db.execute("SELECT * FROM bugs WHERE id = ?", [bug.id]).fetchone()
            columns = [d[0] for d in repo.db.execute("SELECT * FROM bugs LIMIT 0").description]
            expected = {"id": bug.id, **_stored(bug)}
            assert dict(zip(columns, stored, strict=True)) == expected
    finally:
        repo.close()


def _stored(bug: Bug) -> dict[str, object]:
    record = bug.model_dump(mode="json", exclude={"id"})
    record["security_flag"] = int(record["security_flag"])
    return record
