"""SVG snapshots at a fixed size, with the clock fixed by --as-of (the demo's review week)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from textual.pilot import Pilot

from opstui.data.repository import Repository
from tests.app_harness import SIZE, demo_app, settle


def test_portfolio_snapshot(demo_repo: Repository, snap_compare: Any) -> None:
    async def ready(pilot: Pilot[int]) -> None:
        await settle(pilot)

    assert snap_compare(demo_app(demo_repo), terminal_size=SIZE, run_before=ready)


def test_help_snapshot(demo_repo: Repository, snap_compare: Any) -> None:
    async def open_help(pilot: Pilot[int]) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(demo_app(demo_repo), terminal_size=SIZE, run_before=open_help)


def test_weekly_snapshot(demo_repo: Repository, snap_compare: Any) -> None:
    async def ready(pilot: Pilot[int]) -> None:
        await settle(pilot)

    app = demo_app(demo_repo, screen="weekly", clock=lambda: datetime(2026, 7, 6, 9, 0))
    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


def test_meeting_mode_snapshot(demo_repo: Repository, snap_compare: Any) -> None:
    async def open_meeting(pilot: Pilot[int]) -> None:
        await settle(pilot)
        await pilot.press("m", "n", "n", "n", "n", "n")  # the quality section
        await pilot.pause()

    app = demo_app(demo_repo, screen="weekly", clock=lambda: datetime(2026, 7, 6, 9, 0))
    assert snap_compare(app, terminal_size=SIZE, run_before=open_meeting)
