"""The portfolio screen, driven with the keyboard as a user would, checked in the database."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input, Select, Static

from opstui.data.repository import Repository
from opstui.data.sample import DEMO_TODAY
from opstui.domain.enums import Phase, ProjectStatus, RiskLevel
from opstui.domain.models import Project
from opstui.modals.confirm import ConfirmDialog
from opstui.modals.project_form import ProjectForm
from opstui.screens.portfolio import PortfolioScreen
from tests.app_harness import SIZE, demo_app, settle


def project_named(repo: Repository, name: str) -> Project:
    return next(p for p in repo.projects() if p.name == name)


async def select_project(pilot, name: str) -> PortfolioScreen:  # type: ignore[no-untyped-def]
    screen = pilot.app.screen
    assert isinstance(screen, PortfolioScreen)
    project = next(p for p in screen.data.projects if p.name == name)
    screen.show_entity(project.id)
    await pilot.pause()
    return screen


def row_keys(screen: PortfolioScreen) -> list[str]:
    return [row.key for row in screen.table.source.rows(0, len(screen.table.source))]


async def test_the_demo_opens_on_the_seed_projects_grouped_by_phase(demo_repo: Repository) -> None:
    app = demo_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PortfolioScreen)
        keys = row_keys(screen)
        groups = [key for key in keys if key.startswith("group:")]
        assert groups == [f"group:{phase.value}" for phase in Phase]
        by_id = {p.id: p for p in screen.data.projects}
        current = None
        for key in keys:
            if key.startswith("group:"):
                current = key.removeprefix("group:")
            else:
                assert by_id[int(key.split(":")[1])].phase.value == current
        names = {p.name for p in screen.data.projects}
        assert {
            "Boleta Automation",
            "Multi-State Payroll",
            "Banking Integration",
            "Invoice AI",
        } <= names


async def test_pressing_next_phase_on_invoice_ai_moves_it_to_definition_and_records_the_date(
    demo_repo: Repository,
) -> None:
    app = demo_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_project(pilot, "Invoice AI")
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
    moved = project_named(demo_repo, "Invoice AI")
    assert moved.phase is Phase.DEFINITION
    assert moved.id is not None
    last = demo_repo.phase_history(moved.id)[-1]
    assert (last.phase, last.entered_on) == (Phase.DEFINITION, DEMO_TODAY)


async def test_declining_the_phase_move_changes_nothing(demo_repo: Repository) -> None:
    app = demo_app(demo_repo)
    before = project_named(demo_repo, "Banking Integration")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_project(pilot, "Banking Integration")
        await pilot.press("left_square_bracket", "n")
        await settle(pilot)
    after = project_named(demo_repo, "Banking Integration")
    assert after == before
    assert before.id is not None
    assert len(demo_repo.phase_history(before.id)) == len(demo_repo.phase_history(after.id or 0))


async def test_moving_back_a_phase_is_recorded_too(demo_repo: Repository) -> None:
    app = demo_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_project(pilot, "Banking Integration")
        await pilot.press("left_square_bracket", "y")
        await settle(pilot)
    moved = project_named(demo_repo, "Banking Integration")
    assert moved.phase is Phase.DISCOVERY
    assert demo_repo.phase_history(moved.id)[-1].phase is Phase.DISCOVERY  # type: ignore[arg-type]


async def test_s_cycles_status_and_r_cycles_risk(demo_repo: Repository) -> None:
    app = demo_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_project(pilot, "Boleta Automation")
        await pilot.press("s")
        await settle(pilot)
        assert project_named(demo_repo, "Boleta Automation").status is ProjectStatus.AT_RISK
        await pilot.press("s", "s")
        await settle(pilot)
        assert project_named(demo_repo, "Boleta Automation").status is ProjectStatus.ON_TRACK
        await pilot.press("r")
        await settle(pilot)
        assert project_named(demo_repo, "Boleta Automation").risk is RiskLevel.MEDIUM


async def test_deleting_asks_first_and_removes_the_project_with_its_history(
    demo_repo: Repository,
) -> None:
    app = demo_app(demo_repo)
    project = project_named(demo_repo, "Vendor Onboarding")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_project(pilot, "Vendor Onboarding")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert demo_repo.get(Project, project.id or 0) is not None
        await pilot.press("d", "y")
        await settle(pilot)
    assert demo_repo.get(Project, project.id or 0) is None
    assert demo_repo.phase_history(project.id) == []


async def test_deleting_a_late_project_lowers_the_escalation_count_in_the_header(
    demo_repo: Repository,
) -> None:
    app = demo_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = app.escalation_count
        assert before is not None and before > 0
        await select_project(pilot, "Multi-State Payroll")
        await pilot.press("d", "y")
        await settle(pilot)
        assert app.escalation_count == before - 1
        header = app.screen.query_one("WorkspaceHeader")
        assert header.escalations == before - 1  # type: ignore[attr-defined]


async def test_a_new_project_is_saved_with_its_phase_entry(demo_repo: Repository) -> None:
    app = demo_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ProjectForm)
        await pilot.press(*"Payments Hub")
        form.query_one("#field-company_id", Select).value = demo_repo.companies()[1].id
        form.query_one("#field-progress", Input).value = "15"
        form.query_one("#field-completion_date", Input).value = "2026-09-30"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PortfolioScreen)
        assert app.screen.table.current_key is not None
    created = project_named(demo_repo, "Payments Hub")
    assert created.progress == 15
    assert created.completion_date == date(2026, 9, 30)
    assert created.company_id == demo_repo.companies()[1].id
    history = demo_repo.phase_history(created.id)
    assert [(h.phase, h.entered_on) for h in history] == [(Phase.DISCOVERY, DEMO_TODAY)]


async def test_a_form_with_errors_shows_each_on_its_field_keeps_the_input_and_saves_nothing(
    demo_repo: Repository,
) -> None:
    app = demo_app(demo_repo)
    before = project_named(demo_repo, "Invoice AI")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_project(pilot, "Invoice AI")
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ProjectForm)
        form.query_one("#field-name", Input).value = "   "
        form.query_one("#field-progress", Input).value = "150"
        form.query_one("#field-milestone_date", Input).value = "2026-02-30"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        errors = {
            name: str(form.query_one(f"#error-{name}", Static).render())
            for name in ("name", "progress", "milestone_date", "risk")
        }
        assert "must not be empty" in errors["name"]
        assert errors["progress"] == "Progress is a percentage from 0 to 100"
        assert errors["milestone_date"] == "30 February 2026 is not a date"
        assert errors["risk"] == ""
        assert form.query_one("#field-progress", Input).value == "150"
        await pilot.press("escape")
        await settle(pilot)
    assert project_named(demo_repo, "Invoice AI") == before


async def test_editing_the_deep_dive_of_a_development_project(demo_repo: Repository) -> None:
    app = demo_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_project(pilot, "Multi-State Payroll")
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ProjectForm)
        assert form.query_one("#field-sprint_current").parent.display  # type: ignore[union-attr]
        assert not form.query_one("#field-problem").parent.display  # type: ignore[union-attr]
        form.query_one("#field-sprint_current", Input).value = "5"
        form.query_one("#field-cpto_input").text = "Approve a fifth engineer"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
    saved = project_named(demo_repo, "Multi-State Payroll")
    assert saved.sprint_current == 5
    assert saved.cpto_input == "Approve a fifth engineer"


async def test_filtering_leaves_only_matching_projects_and_escape_clears(
    demo_repo: Repository,
) -> None:
    app = demo_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PortfolioScreen)
        total = len(row_keys(screen))
        await pilot.press("slash", *"Invoice")
        await pilot.pause()
        projects = [key for key in row_keys(screen) if key.startswith("project:")]
        invoice = project_named(demo_repo, "Invoice AI")
        assert projects == [f"project:{invoice.id}"]
        await pilot.press("escape")
        await pilot.pause()
        assert len(row_keys(screen)) == total
        assert screen.filter_input.value == ""


async def test_the_filter_matches_company_pm_and_milestone(demo_repo: Repository) -> None:
    app = demo_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PortfolioScreen)
        await pilot.press("slash", *"priya")
        await pilot.pause()
        names = {p.name for p in screen.visible_projects()}
        assert names == {"Multi-State Payroll", "Payroll Self-Service"}
        screen.filter_input.value = "handoff"
        await pilot.pause()
        assert {p.name for p in screen.visible_projects()} == {"Banking Integration"}


async def test_shift_g_groups_by_company(demo_repo: Repository) -> None:
    app = demo_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PortfolioScreen)
        await pilot.press("G")
        await pilot.pause()
        groups = [key for key in row_keys(screen) if key.startswith("group:")]
        assert groups == ["group:Company A", "group:Company B", "group:Company C"]
        await pilot.press("G")
        await pilot.pause()
        assert row_keys(screen)[0] == "group:Discovery"


async def test_sorting_by_progress_orders_each_group(demo_repo: Repository) -> None:
    app = demo_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PortfolioScreen)
        await pilot.press("o", "o", "o")  # name → company → phase → progress
        assert screen.sort_column == "progress"
        ascending = [p.progress for p in screen.visible_projects()]
        assert ascending == sorted(ascending)
        await pilot.press("O")
        descending = [p.progress for p in screen.visible_projects()]
        assert descending == sorted(ascending, reverse=True)
        first_group = row_keys(screen)[1:5]
        discovery = sorted(
            (p for p in screen.visible_projects() if p.phase is Phase.DISCOVERY),
            key=lambda p: -p.progress,
        )
        assert first_group == [f"project:{p.id}" for p in discovery]


async def test_markup_in_project_names_is_shown_literally(demo_repo: Repository) -> None:
    company = demo_repo.companies()[0]
    assert company.id is not None
    demo_repo.add_project(
        Project(name="[red]x[/red] [@click=app.quit]y[/]", company_id=company.id), DEMO_TODAY
    )
    app = demo_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_project(pilot, "[red]x[/red] [@click=app.quit]y[/]")
        screen = app.screen
        assert isinstance(screen, PortfolioScreen)
        row = screen.table.current
        assert row is not None
        assert row.cells[0].plain == "[red]x[/red] [@click=app.quit]y[/]"
        assert row.cells[0].spans == []
        await pilot.click(screen.table, offset=(2, screen.table.cursor + 1))
        await pilot.pause()
        assert app.is_running


async def test_the_on_track_count_shows_its_change_since_last_week(
    demo_repo: Repository,
) -> None:
    app = demo_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        summary = str(app.screen.query_one("#summary", Static).render())
        # Multi-State Payroll was on track in the 2026-W27 snapshot.
        assert "On track 11/16 ↓1 vs 2026-W27" in summary
