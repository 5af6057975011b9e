"""Every screen in every theme can be read: WCAG AA (4.5:1) for every run of text drawn,
measured from the rendered segments' colours — the cursor row as the cursor walks the
table, the header, the footer, the status and risk colours on the background."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from opstui.data.config import Config
from opstui.data.repository import Repository
from opstui.widgets.virtual_table import VirtualTable
from tests.app_harness import SIZE, demo_app, settle
from tests.contrast import AA, drawn_row

THEMES = ("textual-dark", "opstui-light", "opstui-projector")
SCREENS = ("portfolio", "bugs", "customers", "weekly", "setup")
CURSOR_ROWS = 14
"""How many rows the cursor walks down each table (the demo's rows of every status)."""


def is_line(text: str) -> bool:
    """Box-drawing characters only: a border or the tab underline, not text."""
    return all(0x2500 <= ord(char) <= 0x257F or char == " " for char in text)


def unreadable(pilot: Pilot[int], rows: range | None = None) -> list[str]:
    screen = pilot.app.screen
    found = []
    for y in rows if rows is not None else range(screen.size.height):
        found += [
            f"{run}" for run in drawn_row(screen, y) if run.ratio < AA and not is_line(run.text)
        ]
    return found


def cursor_y(table: VirtualTable) -> int:
    return table.region.y + 1 + table.cursor - int(table.scroll_offset.y)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("screen", SCREENS)
async def test_every_text_on_the_screen_and_under_the_cursor_reads_at_aa(
    demo_repo: Repository, theme: str, screen: str
) -> None:
    app = demo_app(demo_repo, screen=screen, config=Config(theme=theme))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == theme
        problems = unreadable(pilot)
        table = app.screen.focused
        assert isinstance(table, VirtualTable), f"{screen}: the table has the focus"
        rows_seen = set()
        for _ in range(CURSOR_ROWS):
            y = cursor_y(table)
            rows_seen.add(table.current_key)
            runs = drawn_row(app.screen, y)
            assert runs, f"{screen}: the cursor row {y} draws text"
            problems += [f"cursor: {run}" for run in runs if run.ratio < AA]
            await pilot.press("down")
            await pilot.pause()
        if screen == "bugs":
            # Marked rows have their own background; all bugs show P0/P1 badges.
            await pilot.press("home", "space", "space", "space")
            await pilot.pause()
            problems += unreadable(pilot, range(table.region.y, table.region.bottom))
            await pilot.press("v")
            await settle(pilot)
            for _ in range(CURSOR_ROWS):
                runs = drawn_row(app.screen, cursor_y(table))
                problems += [f"all bugs, cursor: {run}" for run in runs if run.ratio < AA]
                await pilot.press("down")
                await pilot.pause()
            problems += unreadable(pilot)
        assert len(rows_seen) > 1
    assert problems == []


@pytest.mark.parametrize("theme", THEMES)
async def test_meeting_mode_reads_at_aa_in_every_section(demo_repo: Repository, theme: str) -> None:
    app = demo_app(demo_repo, screen="weekly", config=Config(theme=theme))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        problems = []
        for _ in range(8):
            problems += unreadable(pilot)
            await pilot.press("n")
            await pilot.pause()
    assert problems == []
