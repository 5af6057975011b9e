"""SVG snapshots of customer health at a fixed size, the clock fixed by --as-of."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from opstui.data.repository import Repository
from tests.app_harness import SIZE, demo_app, settle


def test_customers_snapshot(demo_repo: Repository, snap_compare: Any) -> None:
    async def ready(pilot: Pilot[int]) -> None:
        await settle(pilot)

    assert snap_compare(
        demo_app(demo_repo, screen="customers"), terminal_size=SIZE, run_before=ready
    )


def test_customer_detail_snapshot(demo_repo: Repository, snap_compare: Any) -> None:
    """Why the worst customer scores 26: every factor with its weight and points."""

    async def explain(pilot: Pilot[int]) -> None:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(
        demo_app(demo_repo, screen="customers"), terminal_size=SIZE, run_before=explain
    )
