"""Helpers for driving the app headless: open it on a workspace and wait for its data."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from textual.pilot import Pilot

from opstui.app import OpsApp
from opstui.data.config import Config
from opstui.data.repository import Repository
from opstui.data.sample import DEMO_TODAY

SIZE = (120, 40)


def demo_app(
    repo: Repository,
    *,
    screen: str = "portfolio",
    config: Config | None = None,
    as_of: date = DEMO_TODAY,
    clock: Callable[[], datetime] | None = None,
) -> OpsApp:
    return OpsApp(repo, config=config, as_of=as_of, screen=screen, save_settings=False, clock=clock)


async def settle(pilot: Pilot[int]) -> None:
    """Wait until background loads are done and their results are on screen."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
