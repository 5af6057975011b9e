"""Bugs and risks a team creates from the keyboard, and a new workspace that works on every key.

A bug is added on the bugs screen (`n`), a risk on the weekly screen's Risks tab; the stories
check the screens, meeting mode and the export, and what the workspace stores.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Static, TabbedContent, TextArea

from opstui.app import OpsApp
from opstui.data.repository import Repository
from opstui.domain.enums import Priority, RiskStatus
from opstui.domain.models import Bug, Company, Risk
from opstui.modals.bug_form import BugForm
from opstui.modals.error import ErrorDialog
from opstui.modals.export_preview import ExportPreview
from opstui.modals.model_form import ModelForm
from opstui.screens.bugs import BugsScreen
from opstui.screens.meeting import MeetingScreen
from opstui.screens.weekly import TABS, WeeklyScreen
from opstui.widgets.bug_matrix import BugMatrixView
from opstui.widgets.virtual_table import VirtualTable
from tests.app_harness import SIZE, demo_app, settle

NOW = datetime(2026, 7, 6, 9, 30)


@pytest.fixture(params=["empty", "one company"])
def new_workspace(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Repository]:
    """A workspace as `opstui init` makes it, or with one company and nothing else."""
    repo = Repository.create(tmp_path / "t.db")
    if request.param == "one company":
        repo.add(Company(name="Acme"))
    yield repo
    repo.close()


def bugs_screen(app: OpsApp) -> BugsScreen:
    screen = app.screen
    assert isinstance(screen, BugsScreen)
    return screen


def weekly(app: OpsApp) -> WeeklyScreen:
    screen = app.screen
    assert isinstance(screen, WeeklyScreen)
    return screen


def still_fine(app: OpsApp) -> None:
    """The app runs on, with no error dialog on top."""
    assert app.is_running
    assert not isinstance(app.screen, ErrorDialog)
    assert app.return_code is None


def view_bar(app: OpsApp) -> str:
    return str(bugs_screen(app).query_one("#view-bar", Static).render())


def matrix_p1(app: OpsApp, company: str) -> str:
    text = str(bugs_screen(app).query_one(BugMatrixView).render())
    line = next(line for line in text.splitlines() if line.startswith(company))
    return line.removeprefix(company).split()[1]


def data_rows(table: VirtualTable) -> list[list[str]]:
    return [
        [cell.plain for cell in row.cells]
        for row in table.source.rows(0, len(table.source))
        if not row.group
    ]


# -- bugs -------------------------------------------------------------------------------------


async def test_a_bug_typed_with_company_p1_and_two_customers_is_in_the_matrix_and_linked(
    demo_repo: Repository,
) -> None:
    company_a = next(c for c in demo_repo.companies() if c.name == "Company A")
    theirs = [cid for cid, _, company in demo_repo.customer_names() if company == company_a.id]
    app = demo_app(demo_repo, screen="bugs", clock=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert matrix_p1(app, "Company A") == "5"
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, BugForm)
        await pilot.press(*"Invoice export times out", "tab", *"Over 500 lines")
        await pilot.press("tab", "enter", "down", "enter")  # company: the first, Company A
        await pilot.press("tab", "tab", "enter", "down", "down", "enter")  # priority P1
        await pilot.press("tab", "tab", "tab", "tab")  # flag, project, customer filter, list
        await pilot.press("space", "down", "space")  # the first two of Company A's customers
        await pilot.press("ctrl+s")
        await settle(pilot)
        still_fine(app)
        assert matrix_p1(app, "Company A") == "6"
    stored = demo_repo.all(Bug)[-1]
    assert stored.title == "Invoice export times out"
    assert stored.description == "Over 500 lines"
    assert stored.company_id == company_a.id and stored.product_id is None
    assert stored.priority is Priority.P1 and stored.opened_at == NOW
    assert stored.id is not None
    assert sorted(demo_repo.bug_customer_ids(stored.id)) == sorted(theirs[:2])


async def test_an_untriaged_bug_lands_in_the_inbox(tmp_path: Path) -> None:
    repo = Repository.create(tmp_path / "t.db")
    repo.add(Company(name="Acme"))
    app = demo_app(repo, screen="bugs", clock=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "No bugs yet" in view_bar(app)
        await pilot.press("n", *"Login page blank on Safari")
        # Description, company, priority (Acme has no products to choose), the flag.
        await pilot.press("tab", "tab", "tab", "tab", "space")
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = bugs_screen(app)
        assert screen.view == "inbox"
        assert "Triage inbox" in view_bar(app) and "1 left" in view_bar(app)
        [stored] = repo.all(Bug)
        assert screen.table.current_key == f"bug:{stored.id}"
    assert stored.priority is None and stored.company_id is None
    assert stored.security_flag and stored.opened_at == NOW
    assert stored.id is not None and repo.bug_customer_ids(stored.id) == []


async def test_a_bug_without_a_title_is_refused_on_the_field_and_keeps_the_typing(
    tmp_path: Path,
) -> None:
    repo = Repository.create(tmp_path / "t.db")
    app = demo_app(repo, screen="bugs", clock=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n", "tab", *"Steps: open, click", "ctrl+s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, BugForm)
        assert "empty" in str(form.query_one("#error-title", Static).render())
        assert form.query_one("#field-description", TextArea).text == "Steps: open, click"
        assert form.focused is form.query_one("#field-title", Input)
    assert repo.count(Bug) == 0


# Every key of the bugs screen, and how to get back to it where a key opens something.
BUGS_KEYS: list[tuple[str, ...]] = [
    ("0",),
    ("1",),
    ("2",),
    ("3",),
    ("m",),
    ("a",),
    ("c",),
    ("x",),
    ("z",),
    ("space",),
    ("u",),
    ("v",),
    ("v",),
    ("slash", "x", "escape"),
    ("f", "escape"),
    ("S", "escape"),
    ("F",),
    ("o",),
    ("O",),
    ("enter",),
    ("n", "escape"),
]


async def test_every_key_of_the_bugs_screen_works_on_a_new_workspace(
    new_workspace: Repository,
) -> None:
    app = demo_app(new_workspace, screen="bugs", clock=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert view_bar(app).startswith(
            "No bugs yet — n adds one; I imports them from Jira, Linear, GitHub or a CSV"
        )
        for keys in BUGS_KEYS:
            await pilot.press(*keys)
            await settle(pilot)
            still_fine(app)
            assert isinstance(app.screen, BugsScreen), keys
        assert "No bugs yet" in view_bar(app)
    assert new_workspace.count(Bug) == 0


async def test_an_empty_inbox_says_so_and_points_at_all_bugs(tmp_path: Path) -> None:
    repo = Repository.create(tmp_path / "t.db")
    repo.add(Bug(title="Typo on the login page", priority=Priority.P3, opened_at=NOW))
    app = demo_app(repo, screen="bugs", clock=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "nothing to triage" in view_bar(app) and "v shows all bugs" in view_bar(app)
        await pilot.press("v")
        await settle(pilot)
        assert "1 shown" in view_bar(app)


# -- risks ------------------------------------------------------------------------------------


def stored_risk(repo: Repository, risk: Risk) -> Risk:
    assert risk.id is not None
    found = repo.get(Risk, risk.id)
    assert found is not None
    return found


def tab_risks(app: OpsApp) -> list[tuple[str, str]]:
    return [(row[0], row[2]) for row in data_rows(weekly(app).table("risks"))]


def export_risks(markdown: str) -> list[list[str]]:
    section = markdown.split("## Risks\n", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[1:]]


async def open_risks_tab(app: OpsApp, pilot: Any) -> None:
    await pilot.press(*["l"] * TABS.index("risks"))
    await settle(pilot)
    assert weekly(app).tab == "risks"


async def test_a_risk_added_edited_closed_and_reopened_agrees_in_tab_meeting_and_export(
    demo_repo: Repository,
) -> None:
    first_person = demo_repo.people()[0]
    first_project = demo_repo.projects()[0]
    company_a = next(c for c in demo_repo.companies() if c.name == "Company A")
    app = demo_app(demo_repo, screen="weekly", clock=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_risks_tab(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ModelForm)
        await pilot.press(*"Key vendor ends support", "tab", "enter", "down", "enter")
        await pilot.press("tab", *"Second vendor under contract", "tab")
        await pilot.press("tab", "enter", "down", "enter")  # project: the first by name
        await pilot.press("tab", "enter", "down", "enter")  # company: Company A
        await pilot.press("ctrl+s")
        await settle(pilot)
        still_fine(app)
        added = demo_repo.risks()[-1]
        assert added.risk == "Key vendor ends support"
        assert (added.owner_id, added.project_id, added.company_id) == (
            first_person.id,
            first_project.id,
            company_a.id,
        )
        assert added.status is RiskStatus.OPEN
        screen = weekly(app)
        table = screen.table("risks")
        # Open risks come before the closed one.
        assert tab_risks(app)[3] == ("Key vendor ends support", "Open")
        assert tab_risks(app)[-1][1] == "Closed"

        table.move_cursor(table.index_of(f"risk:{added.id}") or 0)
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ModelForm)
        form.query_one("#field-mitigation", TextArea).text = "Second vendor signed"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert stored_risk(demo_repo, added) == added.model_copy(
            update={"mitigation": "Second vendor signed"}
        )

        await pilot.press("s", "s")  # mitigating, then closed
        await settle(pilot)
        assert stored_risk(demo_repo, added).status is RiskStatus.CLOSED
        order = tab_risks(app)
        assert order[-2:] == [
            ("SII certificate renewal for Boleta", "Closed"),
            ("Key vendor ends support", "Closed"),
        ]
        closed_row = table.row_at(table.index_of(f"risk:{added.id}") or 0)
        assert closed_row is not None and closed_row.style == "dim"

        # Meeting mode's risks: the same risks in the same order, with their links.
        await pilot.press("m", *["n"] * 6)
        await settle(pilot)
        meeting = app.screen
        assert isinstance(meeting, MeetingScreen)
        shown = str(meeting.query_one("#meeting-content", Static).render())
        risks_part = shown.split("\nRisks\n", 1)[1]
        positions = [risks_part.index(name) for name, _ in order]
        assert positions == sorted(positions)
        line = next(line for line in risks_part.splitlines() if "Key vendor" in line)
        assert line.split()[0] == "Closed"
        assert f"({first_project.name} · Company A)" in line
        await pilot.press("escape")
        await settle(pilot)

        # The export: the same rows, in the same order, with project and company.
        await pilot.press("e")
        await pilot.pause()
        preview = app.screen
        assert isinstance(preview, ExportPreview)
        exported = export_risks(preview.query_one(TextArea).text)
        assert [(row[0], row[3]) for row in exported] == order
        assert exported[-1] == [
            "Key vendor ends support",
            first_person.name,
            "Second vendor signed",
            "Closed",
            first_project.name,
            "Company A",
        ]
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("s")  # reopened
        await settle(pilot)
        assert tab_risks(app)[3] == ("Key vendor ends support", "Open")
    assert stored_risk(demo_repo, added).status is RiskStatus.OPEN


async def test_a_risk_needs_its_text_and_keeps_the_rest(demo_repo: Repository) -> None:
    count = len(demo_repo.risks())
    app = demo_app(demo_repo, screen="weekly", clock=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_risks_tab(app, pilot)
        await pilot.press("n", "tab", "tab", *"Hire a second on-call", "ctrl+s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ModelForm)
        assert str(form.query_one("#error-risk", Static).render())
        assert form.query_one("#field-mitigation", TextArea).text == "Hire a second on-call"
    assert len(demo_repo.risks()) == count


# -- the weekly screen on a new workspace -----------------------------------------------------

EMPTY_TEXT = {
    "actions": "No action items for 2026-W28 yet — n adds one",
    "decisions": "No decisions on this week's agenda — n logs one",
    "escalations": "Nothing escalated",
    "risks": "No risks in the register yet — n adds one",
}


def table_text(table: VirtualTable) -> str:
    return "\n".join(
        " ".join(cell.plain for cell in row.cells)
        for row in table.source.rows(0, len(table.source))
    )


async def test_every_weekly_tab_form_meeting_freeze_and_export_work_on_a_new_workspace(
    new_workspace: Repository,
) -> None:
    app = demo_app(new_workspace, screen="weekly", clock=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = weekly(app)
        assert "No product managers or engineering leads yet" in table_text(
            screen.table("checklist")
        )
        for tab in TABS:
            screen.query_one(TabbedContent).active = tab
            await settle(pilot)
            still_fine(app)
            if tab in EMPTY_TEXT:
                assert EMPTY_TEXT[tab] in table_text(screen.table(tab)), tab
            if tab == "kpis":
                kpis = str(screen.query_one("#kpis-view", Static).render())
                assert "No KPIs typed for 2026-W28 yet — K enters them" in kpis
                assert "no survey responses yet" in kpis
            await pilot.press("enter")
            await settle(pilot)
            still_fine(app)
            await pilot.press("n")
            await settle(pilot)
            assert isinstance(app.screen, ModelForm), tab
            await pilot.press("escape")
            await settle(pilot)
            assert app.screen is screen
        await pilot.press("K")
        await settle(pilot)
        assert isinstance(app.screen, ModelForm)
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("m")
        await settle(pilot)
        meeting = app.screen
        assert isinstance(meeting, MeetingScreen)
        for _ in range(7):
            still_fine(app)
            assert str(meeting.query_one("#meeting-content", Static).render()).strip()
            await pilot.press("n")
            await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("F")
        await settle(pilot)
        still_fine(app)
        assert new_workspace.snapshot_frozen_at("2026-W28") is not None

        await pilot.press("e")
        await settle(pilot)
        preview = app.screen
        assert isinstance(preview, ExportPreview)
        text = preview.query_one(TextArea).text
        assert text.startswith("# Weekly product operations review — 2026-W28")
        assert "No risks in the register." in text
        await pilot.press("escape")
        await settle(pilot)
        still_fine(app)
