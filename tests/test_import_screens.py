"""Imported data on screen, as a new team meets it: `opstui init`, `opstui import`, then the
bugs screen; `I` on the bugs and customers screens; and hostile text in imported titles shown
literally, keeping the Markdown export valid."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from opstui.app import OpsApp
from opstui.cli import main
from opstui.data.config import Config
from opstui.data.repository import Repository
from opstui.data.review import review_snapshots
from opstui.domain.models import Bug, Company, Customer
from opstui.export.markdown import render_week
from opstui.modals.error import ErrorDialog
from opstui.modals.import_preview import ImportPreview
from opstui.modals.picker import Picker
from opstui.modals.text_prompt import TextPrompt
from opstui.screens.bugs import BugsScreen
from opstui.screens.customers import CustomersScreen
from opstui.widgets.bug_matrix import BugMatrixView
from tests.app_harness import SIZE, demo_app, settle
from tests.hostile import CLEAR_SCREEN, CSI_8BIT, FORBIDDEN, MARKUP, OSC_CLIPBOARD, OSC_TITLE
from tests.test_export_gfm import OWN_ELEMENTS, read

FIXTURES = Path(__file__).parent / "fixtures" / "import"
JIRA = FIXTURES / "jira.csv"
TODAY = date(2026, 3, 20)
"""A day after the fixture's last issue was opened."""


def drawn(app: OpsApp) -> tuple[str, str]:
    """The raw SVG of the screen, and the plain text a reader sees."""
    svg = app.export_screenshot()
    return svg, html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def view_bar(app: OpsApp) -> str:
    return str(app.screen.query_one("#view-bar").render())


def matrix(app: OpsApp) -> str:
    return str(app.screen.query_one(BugMatrixView).render())


async def wait_for(pilot: Pilot[int], done: Callable[[], bool], what: str) -> None:
    """Let workers finish and their results show, until `done()` (each step hands over to
    the next one: file, company, preview, import)."""
    for _ in range(40):
        await settle(pilot)
        if done():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"never saw {what}; the screen is {pilot.app.screen}")


def new_workspace(tmp_path: Path, *companies: str) -> Path:
    path = tmp_path / "t.db"
    assert main(["init", str(path)]) == 0
    if companies:
        repo = Repository.open(path)
        try:
            for name in companies:
                repo.add(Company(name=name))
        finally:
            repo.close()
    return path


# -- a new team ---------------------------------------------------------------------------------


async def test_a_new_team_imports_jira_then_sees_the_matrix_and_the_untriaged_inbox(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = new_workspace(tmp_path)
    assert main(["import", str(path), str(JIRA), "--company", "Company A"]) == 0
    capsys.readouterr()
    repo = Repository.open(path)
    try:
        app = demo_app(repo, screen="bugs", as_of=TODAY)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: "Company A" in matrix(app), "the matrix")
            assert isinstance(app.screen, BugsScreen)
            # The matrix: Company A's open bugs by priority (P1 1, P3 1) and 2 untriaged.
            row = next(line for line in matrix(app).splitlines() if "Company A" in line)
            assert re.match(r"Company A\s+0\s+1\s+0\s+1\s+2\s", row), row
            # The inbox: the two bugs Jira gave no priority, oldest first.
            assert view_bar(app).startswith("Triage inbox  2 left")
            screen = app.screen
            assert screen.pages is not None
            assert [bug.title for bug in screen.pages.bugs(0, 10)] == [
                "Password reset link expires too early",
                "Export to CSV times out for large workspaces",
            ]
            assert "Password reset link" in drawn(app)[1]
            assert not any(isinstance(s, ErrorDialog) for s in app.screen_stack)
    finally:
        repo.close()


# -- I on the bugs screen -----------------------------------------------------------------------


async def test_I_on_the_bugs_screen_asks_the_file_and_company_previews_and_imports_on_y(
    tmp_path: Path,
) -> None:
    path = new_workspace(tmp_path, "Company A", "Company B")
    repo = Repository.open(path)
    try:
        app = demo_app(repo, screen="bugs", as_of=TODAY)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("I")
            await settle(pilot)
            assert isinstance(app.screen, TextPrompt)
            app.screen.query_one("#prompt").value = str(JIRA)  # type: ignore[attr-defined]
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, Picker), "the company picker")
            await pilot.press(*"Company B", "enter")
            await wait_for(pilot, lambda: isinstance(app.screen, ImportPreview), "the preview")
            preview = app.screen
            assert isinstance(preview, ImportPreview)
            assert preview.confirm == "Import"
            assert "bugs: 7 to create, 0 to update, 0 unchanged, 1 skipped" in "\n".join(
                preview.summary
            )
            assert "create bug 'PAY-101'" in preview.changes
            assert repo.count(Bug) == 0  # the preview wrote nothing

            await pilot.press("y")
            await wait_for(pilot, lambda: repo.count(Bug) == 7, "the import")
            await wait_for(pilot, lambda: "2 left" in view_bar(app), "a reload")

            companies = {c.id: c.name for c in repo.companies()}
            assert {companies[b.company_id or 0] for b in repo.all(Bug)} == {"Company B"}
            assert isinstance(app.screen, BugsScreen)
            assert not any(isinstance(s, ErrorDialog) for s in app.screen_stack)
    finally:
        repo.close()


async def test_a_file_with_a_bad_row_previews_it_and_y_imports_only_the_good_rows(
    tmp_path: Path,
) -> None:
    path = new_workspace(tmp_path)
    repo = Repository.open(path)
    try:
        app = demo_app(repo, screen="bugs", as_of=TODAY)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("I")
            await settle(pilot)
            app.screen.query_one("#prompt").value = str(  # type: ignore[attr-defined]
                FIXTURES / "jira_bad_row.csv"
            )
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, ImportPreview), "the preview")
            preview = app.screen
            assert isinstance(preview, ImportPreview)
            assert preview.problems == ["line 11, Created: '31/Feb/26' is not a date"]
            assert preview.confirm == "Import the 6 good rows"

            await pilot.press("y")
            await wait_for(pilot, lambda: repo.count(Bug) == 6, "the import of the good rows")
    finally:
        repo.close()


async def test_an_unreadable_file_is_said_in_words_and_nothing_opens(tmp_path: Path) -> None:
    path = new_workspace(tmp_path, "Company A")
    repo = Repository.open(path)
    try:
        app = demo_app(repo, screen="bugs", as_of=TODAY)
        said: list[str] = []
        notify = app.notify

        def heard(message: str, **options: Any) -> None:
            said.append(message)
            notify(message, **options)

        app.notify = heard  # type: ignore[method-assign]
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("I")
            await settle(pilot)
            app.screen.query_one("#prompt").value = str(  # type: ignore[attr-defined]
                FIXTURES / "latin1.csv"
            )
            await pilot.press("enter")
            await wait_for(pilot, lambda: bool(said), "a message")
            assert said == [
                f"{FIXTURES / 'latin1.csv'}: line 3 is not UTF-8 text (byte 0xe9); save the "
                "file as UTF-8 (with or without BOM) and import again; nothing was imported"
            ]
            assert isinstance(app.screen, BugsScreen)
            assert repo.count(Bug) == 0
    finally:
        repo.close()


# -- I on the customers screen -------------------------------------------------------------------


async def test_I_on_the_customers_screen_imports_customers_after_the_preview(
    tmp_path: Path,
) -> None:
    path = new_workspace(tmp_path)
    repo = Repository.open(path)
    try:
        app = demo_app(repo, screen="customers", as_of=TODAY)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("I")
            await settle(pilot)
            app.screen.query_one("#prompt").value = str(  # type: ignore[attr-defined]
                FIXTURES / "customers.csv"
            )
            await pilot.press("enter")
            # The file names each customer's company: no question about it.
            await wait_for(pilot, lambda: isinstance(app.screen, ImportPreview), "the preview")
            preview = app.screen
            assert isinstance(preview, ImportPreview)
            assert "customers: 3 to create" in "\n".join(preview.summary)
            await pilot.press("y")
            await wait_for(pilot, lambda: repo.count(Customer) == 3, "the import")
            await wait_for(pilot, lambda: "Meridian Bank" in drawn(app)[1], "the table")
            screen = app.screen
            assert isinstance(screen, CustomersScreen) and screen.data is not None
            assert sorted(row.customer.name for row in screen.data.rows) == [
                "Harbor & Pine",
                "Meridian Bank",
                "Northwind Traders",
            ]
    finally:
        repo.close()


# -- hostile text in imported titles ------------------------------------------------------------

BIDI = "\u202eevil\u202c"
HOSTILE_TITLES = [
    f"{MARKUP} checkout",
    f"{OSC_TITLE}{OSC_CLIPBOARD}title{CLEAR_SCREEN}{CSI_8BIT}",
    f"refund {BIDI} <script>alert(1)</script>",
    "a | b | c\nsecond line",
    "[link=javascript:alert(1)]x[/link] # heading",
]


def hostile_jira(tmp_path: Path) -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["Summary", "Issue key", "Issue Type", "Priority", "Status", "Created"])
    for number, title in enumerate(HOSTILE_TITLES, start=1):
        writer.writerow([title, f"EVIL-{number}", "Bug", "Highest", "To Do", "16/Mar/26 9:00 AM"])
    path = tmp_path / "hostile.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    return path


async def test_hostile_imported_titles_show_literally_on_the_bugs_screen(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = new_workspace(tmp_path)
    assert main(["import", str(path), str(hostile_jira(tmp_path)), "--company", "Evil Co"]) == 0
    capsys.readouterr()
    repo = Repository.open(path)
    try:
        stored = sorted(bug.title for bug in repo.all(Bug))
        app = demo_app(repo, screen="bugs", as_of=TODAY)
        async with app.run_test(size=(160, 40)) as pilot:
            await settle(pilot)
            await pilot.press("v")  # all bugs
            await settle(pilot)
            assert app.is_running
            assert not any(isinstance(s, ErrorDialog) for s in app.screen_stack)
            svg, text = drawn(app)
            leaked = [hex(ord(char)) for char in FORBIDDEN if char in svg]
            assert not leaked
            assert "[@click=app.quit]ACME[/] checkout" in text  # markup shown, not run
            assert "[link=javascript:alert(1)]x[/link] # heading" in text
            assert "<script>alert(1)</script>" in text
            assert "a | b | c second line" in text  # the newline folded in a title
    finally:
        repo.close()
    assert all(not any(char in title for char in FORBIDDEN) for title in stored)


def test_hostile_imported_titles_keep_the_markdown_export_valid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = new_workspace(tmp_path)
    assert main(["import", str(path), str(hostile_jira(tmp_path)), "--company", "Evil Co"]) == 0
    capsys.readouterr()
    repo = Repository.open(path)
    try:
        config = Config()
        snapshot, previous = review_snapshots(
            repo, "2026-W12", TODAY, config.targets, config.health
        )
        document = render_week(snapshot, previous)
    finally:
        repo.close()

    page = read(document)
    foreign = {tag for tag, _ in page.elements} - OWN_ELEMENTS
    assert foreign == set(), foreign
    assert not page.comments
    assert all(len(set(cells)) == 1 for cells in page.tables)  # no row grew a cell
    visible = page.visible
    assert "[@click=app.quit]ACME[/] checkout" in visible
    assert "<script>alert(1)</script>" in visible
    assert "a | b | c second line" in visible
    assert not any(char in document for char in FORBIDDEN)
