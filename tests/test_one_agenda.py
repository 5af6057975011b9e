"""The Weekly screen and the export list the same action items and decisions for a week:
one rule decides which belong to it (`domain.review`), and both read it."""

from __future__ import annotations

import pytest

from opstui.data.config import Config
from opstui.data.repository import Repository
from opstui.data.review import review_snapshots
from opstui.domain.weeks import week_days
from opstui.screens.weekly import WeeklyScreen
from tests.app_harness import SIZE, demo_app, settle

WEEKS = ("2026-W25", "2026-W26", "2026-W27", "2026-W28", "2026-W29")


@pytest.mark.parametrize("week", WEEKS)
async def test_the_weekly_screen_lists_what_the_export_lists(
    demo_repo: Repository, week: str
) -> None:
    sunday = week_days(week)[1]
    config = Config()
    # The week as it stands at its end (a frozen week: as it was when frozen).
    app = demo_app(demo_repo, screen="weekly", as_of=sunday)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WeeklyScreen) and screen.data is not None
        assert screen.data.week == week
        shown_actions = [item.id for item in screen.data.actions]
        shown_decisions = [decision.id for decision in screen.data.decisions]
    if demo_repo.snapshot_frozen_at(week) is not None:
        demo_repo.db.execute("DELETE FROM snapshots WHERE week = ?", [week])
    snapshot, _ = review_snapshots(demo_repo, week, sunday, config.targets, config.health)
    assert shown_actions == [item.id for item in snapshot.action_items]
    assert shown_decisions == [decision.id for decision in snapshot.decisions]
    if week >= "2026-W27":  # the demo's review data starts in W27
        assert shown_actions and shown_decisions
