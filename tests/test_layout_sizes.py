"""The screens at 80×24 and at 200×50: nothing wraps or is cut, the columns that matter
stay, nothing stretches across a wide terminal. SVG snapshots of each screen at both sizes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Footer

from opstui.data.repository import Repository
from opstui.widgets.bug_matrix import BugMatrixView
from opstui.widgets.virtual_table import VirtualTable
from tests.app_harness import demo_app, settle

SMALL = (80, 24)
LARGE = (200, 50)
CLOCK = datetime(2026, 7, 6, 9, 0)


def shown_columns(table: VirtualTable) -> list[str]:
    return [column.key for column in table.columns]


async def test_at_80x24_the_matrix_keeps_one_line_per_company(demo_repo: Repository) -> None:
    app = demo_app(demo_repo, screen="bugs")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        matrix = app.screen.query_one(BugMatrixView)
        # Heading, three companies, the total: five lines, none wider than the terminal.
        assert matrix.size.height == 5
        lines = str(matrix.render()).splitlines()
        assert len(lines) == 5 and all(len(line) <= matrix.size.width for line in lines)
        assert lines[0].split()[-1] == "Trend"


async def test_at_80x24_portfolio_keeps_status_risk_and_slip(demo_repo: Repository) -> None:
    app = demo_app(demo_repo)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        table = app.screen.query_one(VirtualTable)
        keys = shown_columns(table)
        assert {"name", "status", "risk", "slip"} <= set(keys)
        assert "pm" not in keys  # the PM goes first
        assert sum(column.width + 1 for column in table.columns) <= table.size.width
        heading = str(table.render_line(0).text)
        assert "Status" in heading and "Risk" in heading and "Slip" in heading


async def test_at_80x24_the_bug_list_shows_age_whole(demo_repo: Repository) -> None:
    app = demo_app(demo_repo, screen="bugs")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        table = app.screen.query_one(VirtualTable)
        assert "opened" in shown_columns(table) and "title" in shown_columns(table)
        assert sum(column.width + 1 for column in table.columns) <= table.size.width
        assert table.render_line(0).text.rstrip().endswith("Age")
        assert table.render_line(1).text.rstrip().endswith("d")


@pytest.mark.parametrize("screen", ["portfolio", "bugs", "customers", "weekly", "setup"])
async def test_at_80x24_no_footer_key_is_cut(demo_repo: Repository, screen: str) -> None:
    app = demo_app(demo_repo, screen=screen)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(Footer)
        shown = [key for key in footer.children if key.display]
        assert shown
        assert all(key.region.right <= footer.region.right for key in shown)
        # What does not fit is hidden whole, and the palette key keeps its place.
        palette = [key for key in shown if key.has_class("-command-palette")]
        others = [key for key in shown if not key.has_class("-command-palette")]
        if palette:
            assert all(key.region.right <= palette[0].region.x for key in others)


@pytest.mark.parametrize("screen", ["portfolio", "bugs", "customers"])
async def test_at_200x50_no_column_stretches_across(demo_repo: Repository, screen: str) -> None:
    app = demo_app(demo_repo, screen=screen)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        for table in app.screen.query(VirtualTable):
            if table.display:
                assert max(column.width for column in table.columns) <= 60


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "200x50"])
@pytest.mark.parametrize("screen", ["portfolio", "bugs", "customers", "weekly"])
def test_screen_snapshot_at_size(
    demo_repo: Repository, snap_compare: Any, screen: str, size: tuple[int, int]
) -> None:
    async def ready(pilot: Pilot[int]) -> None:
        await settle(pilot)

    app = demo_app(demo_repo, screen=screen, clock=lambda: CLOCK)
    assert snap_compare(app, terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "200x50"])
def test_meeting_mode_snapshot_at_size(
    demo_repo: Repository, snap_compare: Any, size: tuple[int, int]
) -> None:
    async def open_meeting(pilot: Pilot[int]) -> None:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)

    app = demo_app(demo_repo, screen="weekly", clock=lambda: CLOCK)
    assert snap_compare(app, terminal_size=size, run_before=open_meeting)


async def test_the_footer_shows_the_keys_that_fit_after_each_resize(
    demo_repo: Repository,
) -> None:
    """Wider, the keys hidden at 80 columns come back; narrower again, none is cut."""

    def shown(app: object) -> list[object]:
        footer = app.screen.query_one(Footer)  # type: ignore[attr-defined]
        keys = [key for key in footer.children if key.display]
        assert all(key.region.right <= footer.region.right for key in keys)
        return keys

    app = demo_app(demo_repo, screen="bugs")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        narrow = len(shown(app))
        await pilot.resize_terminal(200, 40)
        await settle(pilot)
        wide = len(shown(app))
        assert wide > narrow
        await pilot.resize_terminal(*SMALL)
        await settle(pilot)
        assert len(shown(app)) == narrow
