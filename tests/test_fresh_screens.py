"""Every open screen shows the latest data: writes here, and commits of other processes."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from textual.widgets import TabbedContent

from opstui.app import OpsApp
from opstui.data.repository import Repository
from opstui.domain.models import Project
from opstui.screens.portfolio import PortfolioScreen
from opstui.screens.weekly import WeeklyScreen
from tests.app_harness import SIZE, demo_app, settle


def escalation_keys(app: OpsApp) -> list[str]:
    screen = app.screen
    assert isinstance(screen, WeeklyScreen)
    table = screen.table("escalations")
    return [row.key for row in table.source.rows(0, len(table.source))]


async def test_a_p0_set_on_bugs_is_on_the_weekly_escalations_on_return(
    demo_repo: Repository,
) -> None:
    app = demo_app(demo_repo, screen="weekly")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one(TabbedContent).active = "escalations"
        await settle(pilot)
        before = escalation_keys(app)
        await pilot.press("2")  # bugs: the inbox of untriaged bugs
        await settle(pilot)
        await pilot.press("0")  # the oldest untriaged bug becomes a P0
        await settle(pilot)
        await pilot.press("g", "w")
        await settle(pilot)
        after = escalation_keys(app)
        assert len(after) == len(before) + 1
        assert app.escalation_count == len(after)


async def test_another_process_commit_shows_on_the_open_screen_within_3_seconds(
    demo_repo: Repository, demo_path: Path
) -> None:
    app = demo_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PortfolioScreen), getattr(screen, "message", screen)
        screen.table.move_cursor(3)
        await settle(pilot)
        cursor_key = screen.table.current_key
        target = next(p for p in demo_repo.projects() if p.name == "Invoice AI")
        # Another opstui process (or any SQLite client) commits a change to the file.
        other = sqlite3.connect(demo_path)
        with other:
            other.execute("UPDATE projects SET name = 'Invoice AI v2' WHERE id = ?", [target.id])
        other.close()
        started = time.monotonic()
        while time.monotonic() - started < 3:
            await pilot.pause(0.1)
            await app.workers.wait_for_complete()
            names = [p.name for p in screen.data.projects] if screen.data else []
            if "Invoice AI v2" in names:
                break
        else:
            raise AssertionError("the other process's change never showed")
        assert screen.table.current_key == cursor_key  # the cursor stayed where it was


async def test_a_screen_left_behind_reloads_when_shown_again(demo_repo: Repository) -> None:
    app = demo_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("4")  # weekly, then change a project from here
        await settle(pilot)
        project = next(p for p in demo_repo.projects() if p.name == "Invoice AI")
        demo_repo.update(project.model_copy(update={"name": "Invoice Assistant"}))
        app.data_changed()
        await pilot.press("1")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PortfolioScreen) and screen.data is not None
        assert "Invoice Assistant" in [p.name for p in screen.data.projects]
        assert demo_repo.get(Project, project.id or 0) is not None
