"""A new workspace works everywhere: every key of every screen, on an empty workspace and on
one with a single company and nothing else, leaves the app running with no error dialog."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.screen import ModalScreen

from opstui.app import OpsApp
from opstui.data.repository import Repository
from opstui.domain.models import Company
from opstui.modals.confirm import ConfirmDialog
from opstui.modals.error import ErrorDialog
from opstui.screens.base import OpsScreen
from tests.app_harness import SIZE, demo_app, settle

MODES = ("portfolio", "bugs", "customers", "weekly", "setup")
# Keys that leave the screen or the app: each is checked where it lands, not pressed here.
LEAVING = {"q", "ctrl+q", "ctrl+c", "1", "2", "3", "4", "5", "g", "ctrl+p", "question_mark"}
LEAVING |= {f"alt+{number}" for number in range(1, 6)}  # screen switches, tested on their own


@pytest.fixture(params=["empty", "one company"])
def new_repo(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Repository]:
    # Keys that write files (the export preview's "write") write them here.
    monkeypatch.chdir(tmp_path)
    repo = Repository.create(tmp_path / "team.db")
    if request.param == "one company":
        repo.add(Company(name="Acme Software"))
    yield repo
    repo.close()


def assert_running(app: OpsApp, where: str) -> None:
    assert app.is_running, f"the app quit after {where}"
    errors = [s for s in app.screen_stack if isinstance(s, ErrorDialog)]
    assert not errors, f"{where}: {errors[0].message if errors else ''}"


async def back_to(pilot: object, app: OpsApp, mode_screen: OpsScreen) -> None:
    """Close whatever a key opened (answering "discard" if a form asks)."""
    for _ in range(4):
        if app.screen is mode_screen:
            return
        if isinstance(app.screen, ConfirmDialog):
            await pilot.press("n")  # type: ignore[attr-defined]
        else:
            await pilot.press("escape")  # type: ignore[attr-defined]
        await settle(pilot)  # type: ignore[arg-type]
        if isinstance(app.screen, ConfirmDialog) and "Discard" in str(app.screen.question):
            await pilot.press("y")  # type: ignore[attr-defined]
            await settle(pilot)  # type: ignore[arg-type]
    assert app.screen is mode_screen, f"could not get back from {app.screen}"


@pytest.mark.parametrize("mode", MODES)
async def test_every_key_of_a_screen_works_on_a_new_workspace(
    new_repo: Repository, mode: str
) -> None:
    app = demo_app(new_repo, screen=mode)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OpsScreen)
        keys = sorted(
            {
                key
                for key, active in screen.active_bindings.items()
                if key not in LEAVING and active.binding.action not in ("quit", "app.quit")
            }
        )
        assert len(keys) >= 5, f"only {keys} to press"
        pressed = []
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
            pressed.append(key)
            assert_running(app, f"{mode}: {' '.join(pressed)}")
            if isinstance(app.screen, ModalScreen):
                # A form or picker opened: it too must work, then close.
                await pilot.press("tab", "enter")
                await settle(pilot)
                assert_running(app, f"{mode}: {key} then tab enter")
                await back_to(pilot, app, screen)
            elif app.screen is not screen:
                await back_to(pilot, app, screen)


@pytest.mark.parametrize("mode", MODES)
async def test_a_new_workspace_says_what_is_missing_and_which_key_adds_it(
    new_repo: Repository, mode: str
) -> None:
    app = demo_app(new_repo, screen=mode)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = "\n".join(
            str(widget.render()) for widget in app.screen.query("Static") if widget.display
        )
        assert "yet" in text, f"{mode} does not say what is missing:\n{text[:400]}"
