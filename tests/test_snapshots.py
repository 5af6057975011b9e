"""SVG snapshots at a fixed size, with the clock fixed by --as-of (the demo's review week)."""

from __future__ import annotations

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
