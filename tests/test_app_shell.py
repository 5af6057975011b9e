"""The app shell: switching screens, the header, help, the command palette, themes, keymap,
and what happens when background work fails."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandPalette
from textual.fuzzy import Matcher
from textual.widgets import Static

from opstui.app import OpsApp
from opstui.data.config import Config, load_config
from opstui.data.repository import Repository
from opstui.data.sample import DEMO_TODAY
from opstui.domain.models import Project
from opstui.modals.error import ErrorDialog
from opstui.modals.help import HelpScreen
from opstui.screens.bugs import BugsScreen
from opstui.screens.customers import CustomersScreen
from opstui.screens.portfolio import PortfolioScreen
from opstui.screens.weekly import WeeklyScreen
from opstui.widgets.fuzzy_text import highlight
from opstui.widgets.header import WorkspaceHeader
from tests.app_harness import SIZE, demo_app, settle


async def test_number_keys_and_g_chords_switch_between_the_four_screens(
    demo_repo: Repository,
) -> None:
    app = demo_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, PortfolioScreen)
        await pilot.press("2")
        assert isinstance(app.screen, BugsScreen)
        await pilot.press("4")  # on the bugs screen 0–3 are priorities; 4 still switches
        assert isinstance(app.screen, WeeklyScreen)
        await pilot.press("3")
        assert isinstance(app.screen, CustomersScreen)
        await pilot.press("1")
        assert isinstance(app.screen, PortfolioScreen)
        for key, screen_type in (
            ("b", BugsScreen),
            ("c", CustomersScreen),
            ("w", WeeklyScreen),
            ("p", PortfolioScreen),
        ):
            await pilot.press("g", key)
            await pilot.pause()
            assert isinstance(app.screen, screen_type)


async def test_g_followed_by_another_key_does_nothing(demo_repo: Repository) -> None:
    app = demo_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("g", "x")
        await pilot.pause()
        assert isinstance(app.screen, PortfolioScreen)


@pytest.mark.parametrize(
    ("name", "screen_type"),
    [("bugs", BugsScreen), ("customers", CustomersScreen), ("weekly", WeeklyScreen)],
)
async def test_the_app_opens_on_the_screen_named_by_screen(
    demo_repo: Repository, name: str, screen_type: type
) -> None:
    app = demo_app(demo_repo, screen=name)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, screen_type)


async def test_the_header_shows_workspace_week_and_escalations(demo_repo: Repository) -> None:
    app = demo_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        header = app.screen.query_one(WorkspaceHeader)
        text = header.render().plain  # type: ignore[union-attr]
        assert "Demo portfolio" in text
        assert "Week 2026-W28" in text
        assert f"⚑ {app.escalation_count} escalations" in text
        assert app.escalation_count == 22


async def test_the_review_week_follows_as_of(demo_repo: Repository) -> None:
    app = OpsApp(demo_repo, as_of=DEMO_TODAY.replace(month=9, day=1), save_settings=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.query_one(WorkspaceHeader).week == "2026-W36"


async def test_help_lists_every_portfolio_key_grouped(demo_repo: Repository) -> None:
    app = demo_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert {"Global", "Portfolio", "Navigation"} <= set(help_screen.groups)
        portfolio = {entry.description: entry.keys for entry in help_screen.groups["Portfolio"]}
        assert portfolio["Filter"] == "/"
        assert portfolio["Next phase"] == "]"
        assert portfolio["Previous phase"] == "["
        text = "\n".join(str(static.render()) for static in help_screen.query(Static))
        assert "Next phase" in text and "Filter" in text
        await pilot.press("escape")
        assert isinstance(app.screen, PortfolioScreen)


async def test_help_descriptions_come_from_the_bindings(demo_repo: Repository) -> None:
    app = demo_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        described = {
            entry.description for entries in help_screen.groups.values() for entry in entries
        }
        for binding in PortfolioScreen.BINDINGS:
            assert binding.description in described  # type: ignore[union-attr]


async def test_every_user_facing_binding_has_an_id_and_a_description() -> None:
    from opstui.screens.bugs import BugsScreen
    from opstui.screens.meeting import MeetingScreen
    from opstui.screens.weekly import WeeklyScreen

    for owner in (OpsApp, PortfolioScreen, BugsScreen, WeeklyScreen, MeetingScreen):
        for binding in owner.BINDINGS:
            assert binding.id, binding  # type: ignore[union-attr]
            assert binding.description, binding  # type: ignore[union-attr]


async def test_the_command_palette_jumps_to_a_project_by_fuzzy_name(
    demo_repo: Repository,
) -> None:
    app = demo_app(demo_repo, screen="bugs")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"boleta aut")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PortfolioScreen)
        selected = screen.selected()
        assert selected is not None and selected.name == "Boleta Automation"


async def test_the_command_palette_runs_screen_actions(demo_repo: Repository) -> None:
    app = demo_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Group")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PortfolioScreen)
        assert screen.group_by == "company"


async def test_a_failed_background_load_shows_one_error_and_the_app_keeps_running(
    demo_repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = demo_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)

        def broken(_repo: Repository) -> None:
            raise RuntimeError("disk went away")

        # Every connection's: the load reads on a connection of its worker's own.
        monkeypatch.setattr(Repository, "projects", broken)
        screen = app.screen
        assert isinstance(screen, PortfolioScreen)
        screen.load()
        screen.load()
        await settle(pilot)
        assert isinstance(app.screen, ErrorDialog)
        assert sum(isinstance(s, ErrorDialog) for s in app.screen_stack) == 1
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PortfolioScreen)
        assert app.is_running


async def test_choosing_a_theme_saves_it_to_the_config(
    demo_repo: Repository, private_config: Path
) -> None:
    app = OpsApp(demo_repo, as_of=DEMO_TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.theme = "opstui-projector"
        await pilot.pause()
    assert tomllib.loads(private_config.read_text())["theme"] == "opstui-projector"
    assert load_config().theme == "opstui-projector"


async def test_the_light_and_projector_themes_are_available(demo_repo: Repository) -> None:
    app = demo_app(demo_repo, config=Config(theme="opstui-light"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "opstui-light"
        assert "opstui-projector" in app.available_themes


async def test_keymap_overrides_from_config_rebind_keys(demo_repo: Repository) -> None:
    config = Config(keymap={"portfolio.filter": "f"})
    app = demo_app(demo_repo, config=config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PortfolioScreen)
        await pilot.press("f", *"Boleta")
        await pilot.pause()
        assert screen.filter_input.value == "Boleta"


async def test_palette_and_notifications_show_names_as_text(demo_repo: Repository) -> None:
    company = demo_repo.companies()[0]
    assert company.id is not None
    hostile = "[red]x[/red] [@click=app.quit]y[/]"
    demo_repo.add_project(Project(name=hostile, company_id=company.id), DEMO_TODAY)
    app = demo_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        matcher = Matcher("click")
        shown = highlight(matcher, hostile)
        assert shown.plain == hostile
        assert all("@click" not in str(span.style) for span in shown.spans)
        app.notify(f"Moved {hostile}")
        await pilot.pause()
        assert app._notifications
        notification = list(app._notifications)[-1]
        assert notification.markup is False
        app.notify("bell\x07 and \x1b[2J clear")
        await pilot.pause()
        assert list(app._notifications)[-1].message == "bell and [2J clear"
        await pilot.press("ctrl+p")
        await pilot.press(*"click")
        await pilot.pause(0.5)
        await pilot.press("escape")
        assert app.is_running


async def test_q_quits_the_app(demo_repo: Repository) -> None:
    app = demo_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_the_command_palette_jumps_to_a_bug_and_to_a_customer(
    demo_repo: Repository,
) -> None:
    from opstui.screens.bugs import BugsScreen
    from opstui.screens.customers import CustomersScreen

    app = demo_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"Payroll preview hangs")
        await pilot.pause(0.6)
        await pilot.press("enter")
        await settle(pilot)
        bugs = app.screen
        assert isinstance(bugs, BugsScreen)
        current = bugs.pages.bug_at(bugs.table.cursor) if bugs.pages else None
        assert current is not None and current.title.startswith("Payroll preview hangs")
        await pilot.press("ctrl+p", *"Meridian Bank")
        await pilot.pause(0.6)
        await pilot.press("enter")
        await settle(pilot)
        customers = app.screen
        assert isinstance(customers, CustomersScreen)
        assert customers.health_table.current_key is not None
        meridian = next(c for c in demo_repo.customers() if c.name == "Meridian Bank")
        assert customers.health_table.current_key == f"customer:{meridian.id}"


async def test_the_palette_reads_names_once_per_opening_and_no_records(
    demo_repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[str] = []
    for method in ("project_names", "customer_names", "projects", "customers"):
        original = getattr(Repository, method)

        def counted(
            self: Repository, *args: object, _m: str = method, _o: Any = original, **kw: object
        ) -> object:
            reads.append(_m)
            return _o(self, *args, **kw)

        monkeypatch.setattr(Repository, method, counted)
    app = demo_app(demo_repo, screen="bugs")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reads.clear()
        await pilot.press("ctrl+p", *"harbor")
        await pilot.pause(0.6)
        assert reads == ["project_names", "customer_names"]
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        prompts = [str(option.prompt) for option in palette.query_one("CommandList").options]
        assert [prompt.splitlines()[0] for prompt in prompts] == ["Customer: Harbor & Pine"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomersScreen)


async def test_a_short_palette_query_lists_the_closest_names_not_every_one(
    demo_repo: Repository,
) -> None:
    from opstui.commands import MAX_JUMP_HITS

    company = demo_repo.companies()[0]
    for number in range(MAX_JUMP_HITS * 3):
        demo_repo.add_project(
            Project(name=f"Billing step {number}", company_id=company.id), DEMO_TODAY
        )
    demo_repo.add_project(Project(name="Zeta", company_id=company.id), DEMO_TODAY)
    demo_repo.add_project(Project(name="Quiet zone", company_id=company.id), DEMO_TODAY)
    app = demo_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", "z")
        await pilot.pause(0.6)
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        prompts = [
            str(option.prompt).splitlines()[0]
            for option in palette.query_one("CommandList").options
        ]
        names = [prompt for prompt in prompts if prompt.startswith(("Project: ", "Customer: "))]
        assert len(names) <= MAX_JUMP_HITS
        # A name starting with the query and one with a word starting with it are listed.
        assert "Project: Zeta" in names and "Project: Quiet zone" in names
        await pilot.press("backspace", *"step 7")
        await pilot.pause(0.6)
        prompts = [
            str(option.prompt).splitlines()[0]
            for option in palette.query_one("CommandList").options
        ]
        assert prompts[0] == "Project: Billing step 7"
