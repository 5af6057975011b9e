"""Two people on one workspace never lose each other's edits.

Each story has two sessions on one file, as two terminals (or the projector and a laptop)
have: one edits from a copy it read before the other saved.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from opstui.data.bug_queries import BugQuery
from opstui.data.repository import Repository, StaleEditError
from opstui.data.sample import DEMO_TODAY
from opstui.domain.enums import Priority, ProjectStatus, RiskLevel
from opstui.domain.models import Bug, Project
from opstui.screens.bugs import BugsScreen
from tests.app_harness import SIZE, demo_app, settle


def project_named(repo: Repository, name: str) -> Project:
    return next(p for p in repo.projects() if p.name == name)


def test_a_stale_copy_cannot_overwrite_a_newer_edit_of_the_same_field(demo_path: Path) -> None:
    first, second = Repository.open(demo_path), Repository.open(demo_path)
    stale = project_named(first, "Invoice AI")  # the first terminal shows this copy
    fresh = project_named(second, "Invoice AI")
    second.save_changes(fresh, fresh.model_copy(update={"risk": RiskLevel.HIGH}))

    with pytest.raises(StaleEditError, match="risk to High"):
        first.save_changes(stale, stale.model_copy(update={"risk": RiskLevel.MEDIUM}))

    assert project_named(first, "Invoice AI").risk is RiskLevel.HIGH
    first.close()
    second.close()


def test_cycling_status_from_a_stale_copy_keeps_the_other_persons_risk(demo_path: Path) -> None:
    first, second = Repository.open(demo_path), Repository.open(demo_path)
    stale = project_named(first, "Invoice AI")
    fresh = project_named(second, "Invoice AI")
    second.save_changes(fresh, fresh.model_copy(update={"risk": RiskLevel.HIGH}))

    first.save_changes(stale, stale.model_copy(update={"status": ProjectStatus.AT_RISK}))

    stored = project_named(first, "Invoice AI")
    assert (stored.status, stored.risk) == (ProjectStatus.AT_RISK, RiskLevel.HIGH)
    first.close()
    second.close()


async def test_the_portfolio_refuses_a_stale_risk_change_and_shows_the_latest(
    demo_repo: Repository, demo_path: Path
) -> None:
    app = demo_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        target = project_named(demo_repo, "Invoice AI")
        screen.table.move_cursor(screen.table.index_of(f"project:{target.id}") or 0)  # type: ignore[attr-defined]
        await settle(pilot)
        other = sqlite3.connect(demo_path)
        with other:  # another terminal sets the risk to High a moment before
            other.execute("UPDATE projects SET risk = 'High' WHERE id = ?", [target.id])
        other.close()
        await pilot.press("r")  # cycle risk from the copy on screen (Low → Medium)
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("someone else changed" in m for m in messages), messages
    assert demo_repo.get(Project, target.id or 0).risk is RiskLevel.HIGH  # type: ignore[union-attr]


def inbox_first(repo: Repository) -> int:
    return repo.bug_list_page(BugQuery(inbox=True, sort="opened"), DEMO_TODAY, 0, 1)[0].id


async def test_undo_never_reverts_what_someone_else_changed_since(
    demo_repo: Repository, demo_path: Path
) -> None:
    bug_id = inbox_first(demo_repo)
    app = demo_app(demo_repo, screen="bugs")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, BugsScreen)
        await pilot.press("2")  # triage the first untriaged bug as P2
        await settle(pilot)
        other = sqlite3.connect(demo_path)
        with other:  # a colleague raises it to P1 meanwhile
            other.execute("UPDATE bugs SET priority = 'P1' WHERE id = ?", [bug_id])
        other.close()
        await pilot.press("u")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("Could not undo" in m for m in messages), messages
    bug = demo_repo.get(Bug, bug_id)
    assert bug is not None and bug.priority is Priority.P1


async def test_undo_reverts_its_own_field_and_keeps_other_edits(
    demo_repo: Repository, demo_path: Path
) -> None:
    bug_id = inbox_first(demo_repo)
    app = demo_app(demo_repo, screen="bugs")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")  # P3
        await settle(pilot)
        other = sqlite3.connect(demo_path)
        with other:  # a colleague rewords the title meanwhile
            other.execute("UPDATE bugs SET title = 'Reworded by Ana' WHERE id = ?", [bug_id])
        other.close()
        await pilot.press("u")
        await settle(pilot)
    bug = demo_repo.get(Bug, bug_id)
    assert bug is not None
    assert (bug.priority, bug.title) == (None, "Reworded by Ana")
