"""The setup screen and a portfolio's first run, driven from the keyboard as a new team would,
each story checked in the database."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from textual.widgets import Input, Select, Static

from opstui.data.config import Config
from opstui.data.repository import Repository
from opstui.data.review import review_snapshots
from opstui.data.sample import DEMO_TODAY, DEMO_WEEK
from opstui.domain.enums import PersonRole
from opstui.domain.models import Company, Person, Product
from opstui.domain.records import choosable, dependents_in_words
from opstui.export.markdown import render_week
from opstui.modals.confirm import ConfirmDialog
from opstui.modals.error import ErrorDialog
from opstui.modals.project_form import ProjectForm
from opstui.modals.retire_dialog import RetireDialog
from opstui.modals.setup_forms import CompanyForm, PersonForm, ProductForm
from opstui.screens.portfolio import PortfolioScreen
from opstui.screens.setup import SetupScreen
from tests.app_harness import SIZE, demo_app, settle


def text_of(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def company_named(repo: Repository, name: str) -> Company:
    return next(c for c in repo.companies() if c.name == name)


def person_named(repo: Repository, name: str) -> Person:
    return next(p for p in repo.people() if p.name == name)


async def type_text(pilot: Any, text: str) -> None:
    await pilot.press(*text)


async def choose(pilot: Any, steps: int) -> None:
    """Open the focused dropdown, move `steps` options down, pick."""
    await pilot.press("enter")
    await pilot.pause()
    for _ in range(steps):
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()


async def move_to(pilot: Any, screen: SetupScreen, key: str) -> None:
    """Move the cursor down to the row with `key`, one `j` at a time."""
    index = screen.table.index_of(key)
    assert index is not None, key
    while screen.table.cursor < index:
        await pilot.press("j")
    assert screen.table.current_key == key


def setup_screen(app: Any) -> SetupScreen:
    screen = app.screen
    assert isinstance(screen, SetupScreen)
    return screen


def company_choices(form: ProjectForm) -> set[str]:
    select = form.query_one("#field-company_id", Select)
    return {str(prompt) for prompt, _ in select._options if _ is not Select.NULL}


async def test_from_an_empty_workspace_the_keyboard_sets_up_a_company_its_product_and_people(
    tmp_path: Path,
) -> None:
    repo = Repository.create(tmp_path / "t.db")
    app = demo_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "No companies yet — n adds one" in text_of(app.screen, "#empty-state")
        await pilot.press("5")
        await settle(pilot)
        screen = setup_screen(app)
        assert "No companies yet — n adds one" in text_of(screen, "#hint")

        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, CompanyForm)
        await type_text(pilot, "Company A")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "No products yet — p adds one" in text_of(screen, "#hint")

        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, ProductForm)
        await type_text(pilot, "Payroll")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not screen.query_one("#hint", Static).display

        await pilot.press("l")
        await settle(pilot)
        assert "No people yet — n adds one" in text_of(screen, "#hint")
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, PersonForm)
        await type_text(pilot, "Ana Ruiz")
        await pilot.press("tab", "tab", "tab")
        await type_text(pilot, "ana@example.com")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "No engineering lead yet — n adds one" in text_of(screen, "#hint")

        # The role the portfolio still lacks comes first; a director is picked by key.
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "Tomás Herrera")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "Dana Cole")
        await pilot.press("tab")
        await choose(pilot, 2)  # product manager → engineering lead → director
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not screen.query_one("#hint", Static).display
        assert "1 company · 1 product · 3 people" in text_of(screen, "#summary")

    company = company_named(repo, "Company A")
    assert [(p.name, p.company_id) for p in repo.products()] == [("Payroll", company.id)]
    people = {p.name: (p.role, p.company_id, p.email) for p in repo.people()}
    assert people == {
        "Ana Ruiz": (PersonRole.PRODUCT_MANAGER, company.id, "ana@example.com"),
        "Tomás Herrera": (PersonRole.ENGINEERING_LEAD, company.id, None),
        "Dana Cole": (PersonRole.DIRECTOR, company.id, None),
    }


async def test_renaming_a_company_to_a_name_it_already_has_is_refused_under_the_field(
    tmp_path: Path,
) -> None:
    repo = Repository.create(tmp_path / "t.db")
    repo.add(Company(name="Company A"))
    repo.add(Company(name="Company B"))
    app = demo_app(repo, screen="setup")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CompanyForm)
        form.query_one("#field-name", Input).value = ""
        await type_text(pilot, "company b")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "already a company called company b" in text_of(form, "#error-name")
        assert form.query_one("#field-name", Input).value == "company b"
        await pilot.press(*["backspace"] * 9)
        await type_text(pilot, "Company Alpha")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
    assert [c.name for c in repo.companies()] == ["Company Alpha", "Company B"]


async def test_deleting_a_company_with_projects_says_what_depends_on_it_and_retiring_hides_it(
    demo_repo: Repository,
) -> None:
    company = company_named(demo_repo, "Company A")
    assert company.id is not None
    dependents = demo_repo.dependents(Company, company.id)
    assert dependents["projects.company_id"] > 0 and dependents["bugs.company_id"] > 0
    app = demo_app(demo_repo, screen="setup")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = setup_screen(app)
        assert screen.table.current_key == f"company:{company.id}"
        await pilot.press("d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, RetireDialog)
        links = text_of(dialog, "#retire-links")
        projects = dependents["projects.company_id"]
        assert f"{projects} projects" in links
        assert f"{dependents['bugs.company_id']} bugs" in links
        assert f"{dependents['customers.company_id']} customers" in links
        assert dependents_in_words(dependents) in links
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        assert screen.table.index_of(f"company:{company.id}") is None  # hidden
        await pilot.press("r")
        assert screen.table.index_of(f"company:{company.id}") is not None
        assert "retired" in text_of(screen, "#summary")

        # Gone from the company choices of a new project, kept by its own projects.
        await pilot.press("1")
        await settle(pilot)
        portfolio = app.screen
        assert isinstance(portfolio, PortfolioScreen)
        assert portfolio.data is not None
        own = [p for p in portfolio.data.projects if p.company_id == company.id]
        assert len(own) == projects
        await pilot.press("n")
        await pilot.pause()
        new_form = app.screen
        assert isinstance(new_form, ProjectForm)
        assert "Company A" not in company_choices(new_form)
        assert "Company B" in company_choices(new_form)
        await pilot.press("escape")
        await pilot.pause()
        portfolio.show_entity(own[0].id or 0)
        await pilot.press("e")
        await pilot.pause()
        edit_form = app.screen
        assert isinstance(edit_form, ProjectForm)
        assert "Company A" in company_choices(edit_form)
        assert edit_form.query_one("#field-company_id", Select).value == company.id
        await pilot.press("escape")
        await pilot.pause()

    retired = demo_repo.get(Company, company.id)
    assert retired is not None and retired.retired_on == DEMO_TODAY
    assert demo_repo.dependents(Company, company.id) == dependents
    config = Config()
    snapshot, previous = review_snapshots(
        demo_repo, DEMO_WEEK, DEMO_TODAY, config.targets, config.health
    )
    markdown = render_week(snapshot, previous)
    assert "Company A" in markdown
    assert any(p.company == "Company A" for p in snapshot.projects)


async def test_reassigning_a_persons_links_hands_them_to_another_person(
    demo_repo: Repository,
) -> None:
    pms = {p.pm_id for p in demo_repo.projects() if p.pm_id is not None}
    leaving = next(p for p in demo_repo.people() if p.id in pms)
    assert leaving.id is not None
    before = demo_repo.dependents(Person, leaving.id)
    app = demo_app(demo_repo, screen="setup")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        screen = setup_screen(app)
        await move_to(pilot, screen, f"person:{leaving.id}")
        target_label, target_id = screen.reassign_targets(leaving)[0]
        await pilot.press("d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, RetireDialog)
        assert "projects as PM" in text_of(dialog, "#retire-links")
        await pilot.press("a")  # nobody chosen yet: the dropdown gets the focus
        await pilot.pause()
        assert "Choose who takes the links over" in text_of(dialog, "#retire-reassign-note")
        await choose(pilot, 1)
        assert dialog.query_one("#reassign-to", Select).value == target_id
        await pilot.press("a")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, ConfirmDialog)
        assert target_label in str(confirm.question)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        assert screen.table.index_of(f"person:{leaving.id}") is None

    assert demo_repo.get(Person, leaving.id) is None
    after = demo_repo.dependents(Person, target_id)
    assert after["projects.pm_id"] >= before["projects.pm_id"]
    assert all(p.pm_id != leaving.id and p.lead_id != leaving.id for p in demo_repo.projects())


async def test_a_record_without_links_is_deleted_after_a_plain_confirmation(
    tmp_path: Path,
) -> None:
    repo = Repository.create(tmp_path / "t.db")
    spare = repo.add(Company(name="Spare Co"))
    app = demo_app(repo, screen="setup")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, RetireDialog)
        assert "Delete Spare Co? It has no links." in text_of(dialog, "#retire-question")
        await pilot.press("n")  # cancelling changes nothing
        await settle(pilot)
        assert repo.companies() == [spare]
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert "No companies yet" in text_of(app.screen, "#hint")
    assert repo.companies() == []


async def test_a_retired_person_is_shown_dimmed_on_request_and_brought_back_with_R(
    tmp_path: Path,
) -> None:
    repo = Repository.create(tmp_path / "t.db")
    company = repo.add(Company(name="Company A"))
    repo.add(Person(name="Ana Ruiz", role=PersonRole.PRODUCT_MANAGER, company_id=company.id))
    gone = repo.add(Person(name="Bo Lind", role=PersonRole.ENGINEERING_LEAD))
    assert gone.id is not None
    repo.set_retired(Person, gone.id, date(2026, 6, 1))
    app = demo_app(repo, screen="setup")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        screen = setup_screen(app)
        key = f"person:{gone.id}"
        assert screen.table.index_of(key) is None
        assert "No engineering lead yet" in text_of(screen, "#hint")
        await pilot.press("r")
        await pilot.pause()
        await move_to(pilot, screen, key)
        row = screen.table.current
        assert row is not None and row.style == "dim"
        assert "retired on 2026-06-01" in str(row.cells[-1])
        await pilot.press("R")
        await settle(pilot)
        row = screen.table.current
        assert row is not None and row.style == ""
        assert not screen.query_one("#hint", Static).display
    back = repo.get(Person, gone.id)
    assert back is not None and back.retired_on is None


async def test_the_portfolios_first_project_asks_for_its_company_first(tmp_path: Path) -> None:
    repo = Repository.create(tmp_path / "t.db")
    app = demo_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, CompanyForm)
        await type_text(pilot, "Company A")
        await pilot.press("ctrl+s")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ProjectForm)
        company = company_named(repo, "Company A")
        assert form.query_one("#field-company_id", Select).value == company.id
        await type_text(pilot, "Invoice AI")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PortfolioScreen)
        assert not app.screen.query_one("#empty-state", Static).display
    assert [(p.name, p.company_id) for p in repo.projects()] == [("Invoice AI", company.id)]


async def open_and_close_every_form(pilot: Any, app: Any) -> None:
    """Every key of the setup screen that opens something, on whatever data there is."""
    for keys in (("n",), ("p",), ("e",), ("enter",), ("d",), ("R",), ("r",), ("slash",)):
        await pilot.press(*keys)
        await settle(pilot)
        if not isinstance(app.screen, SetupScreen):
            await pilot.press("escape")
            await settle(pilot)
        assert isinstance(app.screen, SetupScreen), keys
    await pilot.press("escape", "l")
    await settle(pilot)
    for keys in (("n",), ("e",), ("d",), ("R",), ("r",)):
        await pilot.press(*keys)
        await settle(pilot)
        if not isinstance(app.screen, SetupScreen):
            await pilot.press("escape")
            await settle(pilot)
        assert isinstance(app.screen, SetupScreen), keys


async def test_setup_and_its_forms_work_on_an_empty_workspace(tmp_path: Path) -> None:
    repo = Repository.create(tmp_path / "t.db")
    app = demo_app(repo, screen="setup")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_and_close_every_form(pilot, app)
        assert app.is_running
        assert not any(isinstance(s, ErrorDialog) for s in app.screen_stack)
    assert (repo.companies(), repo.products(), repo.people()) == ([], [], [])


async def test_setup_and_its_forms_work_on_a_one_company_workspace(tmp_path: Path) -> None:
    repo = Repository.create(tmp_path / "t.db")
    company = repo.add(Company(name="Company A"))
    app = demo_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "No projects yet — n adds one" in text_of(app.screen, "#empty-state")
        await pilot.press("n")  # a company exists: straight to the project form
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ProjectForm)
        assert form.query_one("#field-company_id", Select).value == company.id
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("g", "s")
        await settle(pilot)
        screen = setup_screen(app)
        assert "No products yet" in text_of(screen, "#hint")
        await open_and_close_every_form(pilot, app)
        assert app.is_running
        assert not any(isinstance(s, ErrorDialog) for s in app.screen_stack)
    assert repo.companies() == [company]
    assert (repo.products(), repo.people(), repo.projects()) == ([], [], [])


def test_a_retired_record_is_offered_only_where_it_is_already_the_value() -> None:
    active = Company(id=1, name="Company A")
    retired = Company(id=2, name="Company B", retired_on=DEMO_TODAY)
    assert choosable([active, retired]) == [active]
    assert choosable([active, retired], None, 2) == [active, retired]
    new_product = ProductForm(None, [active, retired], [], None)
    assert new_product.fields[1].choices == (("Company A", 1),)
    old_product = Product(id=5, company_id=2, name="Legacy")
    kept = ProductForm(old_product, [active, retired], [old_product])
    assert kept.fields[1].choices == (("Company A", 1), ("Company B (retired)", 2))


def test_what_depends_on_a_record_reads_in_words() -> None:
    words = dependents_in_words(
        {"bugs.company_id": 279, "projects.company_id": 6, "customers.company_id": 5}
    )
    assert words == "6 projects, 279 bugs and 5 customers"
    assert dependents_in_words({"projects.pm_id": 1}) == "1 project as PM"
    assert dependents_in_words({"action_items.owner_id": 2, "meeting_notes.author_id": 3}) == (
        "2 action items owned and 3 meeting notes (author)"
    )
    assert dependents_in_words({}) == ""
