"""Nothing typed is lost to a stray `esc`: a form with unsaved changes asks first."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from opstui.data.repository import Repository
from opstui.domain.models import Project
from opstui.modals.bug_detail import BugDetail
from opstui.modals.confirm import ConfirmDialog
from opstui.modals.form_base import FormScreen
from tests.app_harness import SIZE, demo_app, settle


async def test_esc_on_a_typed_form_asks_and_keep_editing_keeps_the_text(
    demo_repo: Repository,
) -> None:
    app = demo_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        name = form.query_one("#field-name", Input)
        name.focus()
        await pilot.press(*"Atlas")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "Discard changes?" in str(app.screen.question)
        await pilot.press("n")  # keep editing
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#field-name", Input).value == "Atlas"


async def test_discarding_closes_the_form_and_stores_nothing(demo_repo: Repository) -> None:
    before = demo_repo.count(Project)
    app = demo_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        app.screen.query_one("#field-name", Input).value = "Atlas"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")  # discard
        await settle(pilot)
        assert not isinstance(app.screen, FormScreen | ConfirmDialog)
    assert demo_repo.count(Project) == before


async def test_esc_on_an_untouched_form_closes_it_at_once(demo_repo: Repository) -> None:
    app = demo_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # edit the first project, change nothing
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, FormScreen | ConfirmDialog)


async def test_a_typed_p0_analysis_is_not_lost_to_esc(demo_repo: Repository) -> None:
    app = demo_app(demo_repo, screen="bugs")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v", "enter")  # all bugs, the first one (a P0 in the demo)
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, BugDetail)
        areas = list(detail.query(TextArea))
        assert areas, "the demo's first bug has no analysis fields"
        areas[0].text = "Expired certificate on the gateway"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")  # esc on the question keeps editing too
        await settle(pilot)
        assert app.screen is detail
        assert areas[0].text == "Expired certificate on the gateway"
