"""In-process timings: from a key posted to the app until the frame that shows its result.

The app runs headless (`App.run_test`, 120×40). `FrameProbe` wraps the app's `_display`,
the one place every frame goes through on its way to the terminal: it renders the frame to
the terminal's bytes as the real driver would, takes the time, and wakes the waiter whose
check the frame passes. A check looks at both the app's state (the key has been handled)
and the frame's text (the rows it should show are in it), so the time is that of the first
frame that really shows the result, never a frame drawn before the work was done. No
`pilot.pause()` sits between the key and the clock.

`python -m bench.frames open|customers|changes|session WORKSPACE` runs one measurement and
prints its milliseconds as JSON: the harness starts a fresh interpreter for each, as the app would
have, so no garbage of an earlier measurement lengthens the collector's pauses in a later.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App
from textual.command import CommandInput, CommandList, CommandPalette
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, TabbedContent

from bench.terminal import COLUMNS, LINES, visible_text
from opstui.app import OpsApp
from opstui.data.config import Config
from opstui.data.repository import Repository
from opstui.screens.bugs import BugsScreen
from opstui.screens.customers import CustomersScreen
from opstui.screens.portfolio import PortfolioScreen
from opstui.screens.weekly import WeeklyScreen
from opstui.widgets.virtual_table import Row, VirtualTable

FrameCheck = Callable[[str], bool]
"""Whether a frame (its visible text) shows what is awaited; it may also read the app."""

KEY_CHARACTERS = {"slash": "/", "escape": None, "space": " "}
FRAME_TIMEOUT = 20.0
SORTED_BY = ("priority", "title", "company", "status", "assignee")
"""The sorts timed, in the order `o` reaches them."""


class FrameProbe:
    """Times the frames an app writes and wakes whoever waits for a frame that shows X."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.frames = 0
        self._waiting: list[tuple[FrameCheck, asyncio.Future[float]]] = []
        self._display = app._display
        app._display = self._on_display  # type: ignore[method-assign]

    def _on_display(self, screen: Screen[Any], renderable: Any) -> None:
        self._display(screen, renderable)
        if renderable is None or self.app._batch_count:
            return  # nothing was written
        render = getattr(renderable, "render_segments", None)
        output = render(self.app.console) if render is not None else ""
        written = time.perf_counter()  # the frame is ready for the terminal now
        self.frames += 1
        if not self._waiting:
            return
        text = visible_text(output)
        for check, future in list(self._waiting):
            if not future.done() and _passes(check, text):
                future.set_result(written)

    async def after(self, action: Callable[[], object], check: FrameCheck) -> float:
        """Milliseconds from `action` to the first frame that passes `check`."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        waiter = (check, future)
        self._waiting.append(waiter)
        try:
            started = time.perf_counter()
            action()
            written = await asyncio.wait_for(future, FRAME_TIMEOUT)
        finally:
            self._waiting.remove(waiter)
        return (written - started) * 1000

    async def key(self, key: str, check: FrameCheck) -> float:
        """Milliseconds from posting `key` (as the terminal driver does) to a frame."""
        character = KEY_CHARACTERS.get(key, key if len(key) == 1 else None)
        return await self.after(lambda: self.app.post_message(events.Key(key, character)), check)


def _passes(check: FrameCheck, text: str) -> bool:
    try:
        return check(text)
    except Exception:  # the app is between states: not this frame
        return False


def row_markers(table: VirtualTable, row: Row) -> list[str]:
    """Text that a frame showing `row` in `table` must contain (each visible cell's start)."""
    if row.group:
        heading = row.cells[0].plain[:40].strip() if row.cells else ""
        return [heading] if heading else []
    markers: list[str] = []
    x = 0
    width = table.scrollable_content_region.width
    for column, cell in zip(table.columns, row.cells, strict=False):
        if x + column.width > width:
            break
        text = cell.plain[: max(0, column.width - 1)].strip()  # before any "…"
        if len(text) >= 2:
            markers.append(text)
        x += column.width + 1
    return markers


def table_markers(table: VirtualTable) -> list[str]:
    """What a frame showing the table as it is now must contain: its top and cursor rows."""
    top = int(table.scroll_offset.y)
    shown = range(top, top + table.scrollable_content_region.height - 1)  # less the heading
    markers: list[str] = []
    for index in sorted({top, table.cursor} & set(shown)):
        row = table.row_at(index)
        if row is not None:
            markers.extend(row_markers(table, row))
    return markers


def shows_table(table: VirtualTable, text: str) -> bool:
    markers = table_markers(table)
    return bool(markers) and all(marker in text for marker in markers)


async def wait_until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    """Poll `condition` (setup only, never inside a measurement)."""
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not reach the expected state")
        await asyncio.sleep(0.01)


async def settle(pilot: Pilot[Any]) -> None:
    """Let background work finish and its results reach the screen (between measurements)."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _open_app(path: Path, today: date) -> tuple[OpsApp, Repository]:
    repo = Repository.open(path)
    return OpsApp(repo, config=Config(), as_of=today, save_settings=False), repo


async def _started(pilot: Pilot[Any]) -> None:
    app = pilot.app
    await wait_until(lambda: isinstance(app.screen, PortfolioScreen) and app.screen.is_loaded)
    await settle(pilot)


# -- the measurements -------------------------------------------------------------------------


async def _screen_open(path: Path, today: date, key: str, screen_type: type[Screen[Any]]) -> float:
    """From `key` on a freshly started app until that screen's first rows are drawn (ms)."""
    app, repo = _open_app(path, today)
    try:
        async with app.run_test(size=(COLUMNS, LINES), notifications=True) as pilot:
            await _started(pilot)
            probe = FrameProbe(app)

            def first_rows(text: str) -> bool:
                screen = app.screen
                return (
                    isinstance(screen, screen_type)
                    and getattr(screen, "is_loaded", False)
                    and shows_table(screen.table, text)  # type: ignore[attr-defined]
                )

            elapsed = await probe.key(key, first_rows)
            await settle(pilot)
            return elapsed
    finally:
        repo.close()


async def bugs_screen_open(path: Path, today: date) -> float:
    """From `2` on a freshly started app until the bugs screen's first rows are drawn (ms)."""
    return await _screen_open(path, today, "2", BugsScreen)


async def customers_screen_open(path: Path, today: date) -> float:
    """From `3` on a freshly started app until the customers' first rows are drawn (ms)."""
    return await _screen_open(path, today, "3", CustomersScreen)


async def changes_tab(path: Path, today: date) -> float:
    """From choosing the weekly screen's Changes tab (the live week) until its lines show."""
    app, repo = _open_app(path, today)
    try:
        async with app.run_test(size=(COLUMNS, LINES), notifications=True) as pilot:
            await _started(pilot)
            await pilot.press("4")
            await wait_until(lambda: isinstance(app.screen, WeeklyScreen) and app.screen.is_loaded)
            await settle(pilot)
            weekly = app.screen
            assert isinstance(weekly, WeeklyScreen)
            probe = FrameProbe(app)
            tabs = weekly.query_one(TabbedContent)

            def shows_changes(text: str) -> bool:
                return weekly.tab == "changes" and (
                    "Changes since" in text or "No earlier snapshot" in text
                )

            elapsed = await probe.after(lambda: setattr(tabs, "active", "changes"), shows_changes)
            await settle(pilot)
            return elapsed
    finally:
        repo.close()


@dataclass(slots=True)
class SessionTimes:
    """Milliseconds per key, from one app driven through filters and a triage."""

    portfolio_filter: list[float] = field(default_factory=list)
    palette: list[float] = field(default_factory=list)
    """The palette's jump search: each letter typed to the frame with its hits."""
    bugs_filter: list[float] = field(default_factory=list)
    triage: list[float] = field(default_factory=list)
    sort: list[float] = field(default_factory=list)
    """`o` in the all-bugs list: priority, title, company, status, assignee, each to its frame."""


async def _type_filter(
    pilot: Pilot[Any], probe: FrameProbe, table: VirtualTable, filter_input: Input, word: str
) -> list[float]:
    """`/`, then `word` letter by letter (each timed to its frame), then `esc`."""
    await probe.key("slash", lambda text: filter_input.has_focus)
    await settle(pilot)
    times = []
    for length in range(1, len(word) + 1):
        typed = word[:length]
        before = table.source

        def filtered(text: str, typed: str = typed, before: object = before) -> bool:
            return (
                filter_input.value == typed
                and table.source is not before
                and shows_table(table, text)
            )

        times.append(await probe.key(word[length - 1], filtered))
        await settle(pilot)
    await probe.key("escape", lambda text: not filter_input.display)
    await settle(pilot)
    return times


async def _type_palette(pilot: Pilot[Any], probe: FrameProbe, word: str) -> list[float]:
    """`ctrl+p`, then `word` letter by letter, each timed to the frame showing its hits."""
    app = pilot.app
    await probe.key("ctrl+p", lambda text: isinstance(app.screen, CommandPalette))
    await settle(pilot)
    palette = app.screen
    assert isinstance(palette, CommandPalette)
    command_input = palette.query_one(CommandInput)
    hits = palette.query_one(CommandList)
    shown: dict[str, str] = {}
    """The query whose gathered hits the list holds now, by the palette's own refresh."""
    refresh = palette._refresh_command_list

    def refreshed(*arguments: Any) -> None:
        refresh(*arguments)
        shown["query"] = command_input.value

    palette._refresh_command_list = refreshed  # type: ignore[method-assign,assignment]
    times = []
    for length in range(1, len(word) + 1):
        typed = word[:length]

        def found(text: str, typed: str = typed) -> bool:
            if shown.get("query") != typed or not hits.option_count:
                return False
            first = str(hits.get_option_at_index(0).prompt).split("\n")[0]
            return first[:30].strip() in text

        times.append(await probe.key(word[length - 1], found))
        await settle(pilot)
    await probe.key("escape", lambda text: not isinstance(app.screen, CommandPalette))
    await settle(pilot)
    return times


async def interaction_session(
    path: Path,
    today: date,
    repeats: int,
    *,
    portfolio_word: str = "invoice",
    bugs_word: str = "timeout",
    triage_steps: int = 10,
) -> SessionTimes:
    """Filter the portfolio, filter all bugs, then triage with `3`: each key to its frame.

    The triage writes to the workspace: give it a scratch copy.
    """
    times = SessionTimes()
    app, repo = _open_app(path, today)
    try:
        async with app.run_test(size=(COLUMNS, LINES), notifications=True) as pilot:
            await _started(pilot)
            probe = FrameProbe(app)

            portfolio = app.screen
            assert isinstance(portfolio, PortfolioScreen)
            for _ in range(repeats):
                times.portfolio_filter += await _type_filter(
                    pilot, probe, portfolio.table, portfolio.filter_input, portfolio_word
                )
            for _ in range(repeats):
                times.palette += await _type_palette(pilot, probe, portfolio_word)

            await probe.key("2", lambda text: isinstance(app.screen, BugsScreen))
            await settle(pilot)
            bugs = app.screen
            assert isinstance(bugs, BugsScreen)
            await probe.key("v", lambda text: bugs.view == "all" and shows_table(bugs.table, text))
            await settle(pilot)
            for _ in range(repeats):
                times.bugs_filter += await _type_filter(
                    pilot, probe, bugs.table, bugs.filter_input, bugs_word
                )
            for _ in range(repeats):  # opened → id → priority … assignee → opened again
                for column in ("id", *SORTED_BY, "opened"):
                    before = bugs.table.source

                    def sorted_by(text: str, column: str = column, before: object = before) -> bool:
                        return (
                            bugs.query_all.sort == column
                            and bugs.table.source is not before
                            and shows_table(bugs.table, text)
                        )

                    elapsed = await probe.key("o", sorted_by)
                    if column in SORTED_BY:
                        times.sort.append(elapsed)
                    await settle(pilot)

            await probe.key(
                "v", lambda text: bugs.view == "inbox" and shows_table(bugs.table, text)
            )
            await settle(pilot)
            steps = min(repeats * triage_steps, len(bugs.table.source) - 1)  # keep one bug
            for _ in range(steps):
                before = bugs.table.source

                def next_bug(text: str, before: object = before) -> bool:
                    return bugs.table.source is not before and shows_table(bugs.table, text)

                times.triage.append(await probe.key("3", next_bug))
                await settle(pilot)  # the matrix and escalation recount finish in between
    finally:
        repo.close()
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.frames")
    parser.add_argument("what", choices=("open", "customers", "changes", "session"))
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--today", type=date.fromisoformat, required=True)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--portfolio-word", default="invoice")
    parser.add_argument("--bugs-word", default="timeout")
    parser.add_argument("--triage-steps", type=int, default=10)
    args = parser.parse_args(argv)
    opening = {"open": bugs_screen_open, "customers": customers_screen_open, "changes": changes_tab}
    if args.what in opening:
        result: object = asyncio.run(opening[args.what](args.workspace, args.today))
    else:
        times = asyncio.run(
            interaction_session(
                args.workspace,
                args.today,
                args.repeats,
                portfolio_word=args.portfolio_word,
                bugs_word=args.bugs_word,
                triage_steps=args.triage_steps,
            )
        )
        result = {
            "portfolio_filter": times.portfolio_filter,
            "palette": times.palette,
            "bugs_filter": times.bugs_filter,
            "triage": times.triage,
            "sort": times.sort,
        }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
