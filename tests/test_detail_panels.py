"""On a tall terminal the rows under the tables show the highlighted record: the project's
phase deep dive on the portfolio, the bug's detail and analysis on the bugs screen."""

from __future__ import annotations

from opstui.data.repository import Repository
from opstui.domain.enums import Phase, Priority
from opstui.domain.models import Bug, Project
from opstui.widgets.bug_panel import BugPanel
from opstui.widgets.deep_dive import DeepDivePanel
from opstui.widgets.virtual_table import VirtualTable
from tests.app_harness import SIZE, demo_app, settle


def panel_text(panel: DeepDivePanel | BugPanel) -> str:
    return str(panel.render())


async def test_the_portfolio_shows_the_highlighted_projects_deep_dive(
    demo_repo: Repository,
) -> None:
    projects = {project.name: project for project in demo_repo.all(Project)}
    app = demo_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(DeepDivePanel)
        table = app.screen.query_one(VirtualTable)
        assert panel.display
        seen = set()
        for _ in range(8):
            await pilot.press("down")
            await settle(pilot)
            key = table.current_key
            assert key is not None
            project = next(p for p in projects.values() if f"project:{p.id}" == key)
            text = panel_text(panel)
            assert text.startswith(project.name)
            assert "CPTO input needed" in text
            if project.cpto_input:
                assert project.cpto_input.split()[0] in text
            label = {
                Phase.DISCOVERY: "Problem being validated",
                Phase.DEFINITION: "Technical feasibility",
                Phase.DEVELOPMENT: "Velocity trend",
                Phase.DELIVERY: "Launch phase",
            }[project.phase]
            assert label in text
            seen.add(project.phase)
        assert len(seen) >= 2  # it follows the cursor from one phase to the next


async def test_the_bugs_screen_shows_the_highlighted_bug_and_its_analysis(
    demo_repo: Repository,
) -> None:
    p0 = next(b for b in demo_repo.all(Bug) if b.priority is Priority.P0)
    assert p0.id is not None
    app = demo_app(demo_repo, screen="bugs")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        panel = screen.query_one(BugPanel)
        table = screen.query_one(VirtualTable)
        first = table.current_key
        assert first is not None
        assert panel_text(panel).startswith(f"#{first.split(':')[1]} ")
        await pilot.press("down")
        await settle(pilot)
        second = table.current_key
        assert second is not None and second != first
        assert panel_text(panel).startswith(f"#{second.split(':')[1]} ")
        screen.select_entity(p0.id)  # type: ignore[attr-defined]
        await settle(pilot)
        text = panel_text(panel)
        assert text.startswith(f"#{p0.id} {p0.title}")
        assert "Root cause" in text and "Customer impact" in text
        if not p0.root_cause:
            assert "Analysis needed" in text


async def test_on_a_short_terminal_the_panels_leave_the_rows_to_the_tables(
    demo_repo: Repository,
) -> None:
    for screen, panel_type in (("portfolio", DeepDivePanel), ("bugs", BugPanel)):
        app = demo_app(demo_repo, screen=screen)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert not app.screen.query_one(panel_type).display
