"""A team sets up its own workspace from `opstui init`, from the keyboard only.

The story: a company with a product, a PM and an engineering lead, a project, a customer
with three NPS responses, a bug, a risk and an action item — typed into the app's forms,
dropdowns chosen with the arrow keys. Then every screen shows them with the right figures,
and the week's Markdown export holds them.
"""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Select, SelectionList
from textual.widgets._select import SelectOverlay

from opstui.app import OpsApp
from opstui.cli import main
from opstui.data.config import Config
from opstui.data.repository import Repository
from opstui.domain.enums import PersonRole, Phase, Priority
from opstui.domain.models import Bug, Company, Customer, Person, Product, Project, Risk
from opstui.screens.base import OpsScreen
from tests.app_harness import SIZE, settle

TODAY = date(2026, 7, 6)


async def tab_to(pilot: Pilot[int], field: str) -> None:
    """Press tab until the field has the focus."""
    for _ in range(40):
        focused = pilot.app.focused
        if focused is not None and focused.id == f"field-{field}":
            return
        await pilot.press("tab")
    raise AssertionError(f"tab never reached {field} on {pilot.app.screen}")


async def type_into(pilot: Pilot[int], field: str, text: str) -> None:
    await tab_to(pilot, field)
    await pilot.press(*[("space" if char == " " else char) for char in text])


async def choose(pilot: Pilot[int], field: str, label: str) -> None:
    """Open a dropdown with enter and go down to `label`, then enter."""
    await tab_to(pilot, field)
    select = pilot.app.focused
    assert isinstance(select, Select)
    await pilot.press("enter")
    await pilot.pause()
    overlay = select.query_one(SelectOverlay)
    for _ in range(40):
        highlighted = overlay.highlighted
        if (
            highlighted is not None
            and str(overlay.get_option_at_index(highlighted).prompt) == label
        ):
            await pilot.press("enter")
            await pilot.pause()
            return
        await pilot.press("down")
    raise AssertionError(f"{label!r} is not a choice of {field}")


def shown(app: OpsApp) -> str:
    """The screen's text as a reader sees it."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


async def save(pilot: Pilot[int]) -> None:
    await pilot.press("ctrl+s")
    await settle(pilot)
    errors = [
        str(label.render()) for label in pilot.app.screen.query(".field-error") if label.display
    ]
    assert isinstance(pilot.app.screen, OpsScreen), f"not saved: {pilot.app.screen} {errors}"


async def test_a_team_sets_up_its_workspace_from_nothing_with_the_keyboard(
    tmp_path: Path, monkeypatch: object
) -> None:
    path = tmp_path / "team.db"
    assert main(["init", str(path)]) == 0
    repo = Repository.open(path)
    app = OpsApp(repo, config=Config(), as_of=TODAY, save_settings=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # Setup: a company and its product, then the PM and the engineering lead.
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_into(pilot, "name", "Northwind")
        await save(pilot)
        await pilot.press("p")
        await settle(pilot)
        await type_into(pilot, "name", "Ledger")
        await save(pilot)
        await pilot.press("l")  # the People tab
        await settle(pilot)
        for name, role in (
            ("Priya Nair", "product manager"),
            ("Tomas Herrera", "engineering lead"),
        ):
            await pilot.press("n")
            await settle(pilot)
            await type_into(pilot, "name", name)
            await choose(pilot, "role", role)
            await choose(pilot, "company_id", "Northwind")
            await save(pilot)
        # Portfolio: the project.
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_into(pilot, "name", "Invoice AI")
        await choose(pilot, "product_id", "Ledger · Northwind")
        await choose(pilot, "pm_id", "Priya Nair")
        await choose(pilot, "lead_id", "Tomas Herrera")
        await save(pilot)
        # Customers: one customer, then three NPS responses at once.
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_into(pilot, "name", "Harbor Pine")
        await type_into(pilot, "arr", "120000")
        await save(pilot)
        await pilot.press("N")
        await settle(pilot)
        await type_into(pilot, "scores", "10 9 3")
        await save(pilot)
        # Bugs: a P1 for Northwind, linked to the customer.
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_into(pilot, "title", "Invoice totals round wrongly")
        await choose(pilot, "company_id", "Northwind")
        await choose(pilot, "priority", "P1")
        await tab_to(pilot, "customers")
        customers = app.focused
        assert isinstance(customers, SelectionList)
        await pilot.press("space")  # the first (only) customer
        await save(pilot)
        # Weekly: the risk, then an action item.
        await pilot.press("g", "w")
        await settle(pilot)
        screen = app.screen
        for _ in range(8):
            if screen.tab == "risks":  # type: ignore[attr-defined]
                break
            await pilot.press("l")
            await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_into(pilot, "risk", "Tax API deprecated in Q4")
        await choose(pilot, "owner_id", "Tomas Herrera")
        await choose(pilot, "project_id", "Invoice AI")
        await save(pilot)
        for _ in range(8):
            if screen.tab == "actions":  # type: ignore[attr-defined]
                break
            await pilot.press("h")
            await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_into(pilot, "what", "Call Harbor Pine about totals")
        await choose(pilot, "owner_id", "Priya Nair")
        await save(pilot)

    # Everything is stored, linked as chosen.
    company = repo.all(Company)[0]
    assert company.name == "Northwind"
    assert [p.name for p in repo.all(Product)] == ["Ledger"]
    people = {p.name: p for p in repo.all(Person)}
    assert people["Priya Nair"].role is PersonRole.PRODUCT_MANAGER
    assert people["Tomas Herrera"].role is PersonRole.ENGINEERING_LEAD
    project = repo.all(Project)[0]
    assert (project.name, project.company_id, project.phase) == (
        "Invoice AI",
        company.id,
        Phase.DISCOVERY,
    )
    assert project.pm_id == people["Priya Nair"].id
    customer = repo.all(Customer)[0]
    assert (customer.name, customer.arr) == ("Harbor Pine", 120000)
    assert sorted(r.score for r in repo.nps_responses(customer.id or 0)) == [3, 9, 10]
    bug = repo.all(Bug)[0]
    assert (bug.priority, bug.company_id) == (Priority.P1, company.id)
    assert repo.bug_customer_ids(bug.id or 0) == [customer.id]
    risk = repo.all(Risk)[0]
    assert (risk.risk, risk.project_id) == ("Tax API deprecated in Q4", project.id)
    assert [a.what for a in repo.action_items()] == ["Call Harbor Pine about totals"]

    # The screens show them, with the right figures.
    app = OpsApp(repo, config=Config(), as_of=TODAY, save_settings=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        portfolio = shown(app)
        assert "Invoice AI" in portfolio and "Discovery" in portfolio
        await pilot.press("3")
        await settle(pilot)
        health = shown(app)
        assert "Harbor Pine" in health and "+33" in health  # (2 promoters − 1 detractor) / 3
        await pilot.press("2", "v")
        await settle(pilot)
        assert "Invoice totals round wrongly" in shown(app)
    matrix = {row.company: row for row in repo.company_bug_counts(TODAY, 90)}
    assert matrix["Northwind"].open_by_priority[Priority.P1] == 1
    repo.close()

    # The week's export holds them all.
    out = tmp_path / "week.md"
    assert (
        main(
            [
                "export",
                str(path),
                "--week",
                "2026-W28",
                "--as-of",
                TODAY.isoformat(),
                "-o",
                str(out),
            ]
        )
        == 0
    )
    document = out.read_text(encoding="utf-8")
    for expected in (
        "Northwind",
        "Invoice AI",
        "Harbor Pine",
        "Invoice totals round wrongly",
        "Tax API deprecated in Q4",
        "Call Harbor Pine about totals",
        "Priya Nair",
        "+33",
    ):
        assert expected in document, f"{expected!r} is not in the export"
