"""Rows that break the model — written by another tool or an older opstui: text in a date
column, a value no enum knows, a NULL in a required column, text in a number column, a number
out of range. Opening, every screen and the export keep working; the bad field is marked and
reported once in words; `opstui check` lists every such row; editing the row repairs it.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widgets import Input, Select, Static, TabbedContent

from opstui.app import OpsApp
from opstui.cli import main
from opstui.data.repository import Repository
from opstui.data.sample import DEMO_TODAY, DEMO_WEEK
from opstui.domain.models import Project
from opstui.domain.review import AGENDA
from opstui.modals.error import ErrorDialog
from opstui.modals.project_form import ProjectForm
from opstui.screens.bugs import BugsScreen
from opstui.screens.customers import CustomersScreen
from opstui.screens.meeting import MeetingScreen
from opstui.screens.portfolio import PortfolioScreen
from opstui.screens.weekly import WeeklyScreen
from opstui.widgets.virtual_table import VirtualTable
from tests.app_harness import SIZE, demo_app, settle

SAMPLE = Path(__file__).resolve().parents[1] / "sample.db"
AS_OF = ("--week", DEMO_WEEK, "--as-of", DEMO_TODAY.isoformat())


@dataclass(frozen=True)
class Bad:
    """One stored value another tool wrote, and how opstui says what is wrong with it."""

    kind: str
    table: str
    row: int | str
    """The row's id, or the key values of a table without ids."""
    column: str
    value: Any
    words: str

    @property
    def where(self) -> tuple[str, list[Any]]:
        if isinstance(self.row, int):
            return "id = ?", [self.row]
        return "week = ?", [self.row]

    @property
    def message(self) -> str:
        name = f"#{self.row}" if isinstance(self.row, int) else self.row
        return f"{self.table} {name}: {self.words}"


# fmt: off
BAD_VALUES = [
    # projects
    Bad("date", "projects", 3, "milestone_date", "a|b 2026-07-18",
        "milestone date 'a|b 2026-07-18' is not a date (YYYY-MM-DD)"),
    Bad("enum", "projects", 10, "status", "Urgent",
        "status 'Urgent' is not one of 'On track', 'At risk' or 'Off track'"),
    Bad("null", "projects", 8, "name", None, "name is required"),
    Bad("integer", "projects", 9, "sprint_current", "three",
        "sprint current 'three' is not a whole number"),
    Bad("range", "projects", 1, "progress", 150, "progress is a percentage from 0 to 100, not 150"),
    Bad("integer", "projects", 3, "company_id", "acme", "company 'acme' is not a whole number"),
    # bugs
    Bad("date", "bugs", 75, "opened_at", "yesterday",
        "opened at 'yesterday' is not a date and time (YYYY-MM-DD HH:MM)"),
    Bad("enum", "bugs", 17, "priority", "Urgent",
        "priority 'Urgent' is not one of 'P0', 'P1', 'P2' or 'P3'"),
    Bad("null", "bugs", 131, "title", None, "title is required"),
    Bad("integer", "bugs", 17, "customers_affected", "many",
        "customers affected 'many' is not a whole number"),
    Bad("range", "bugs", 75, "revenue_impact", -5,
        "revenue impact is a number of at least 0, not -5"),
    # customers
    Bad("date", "customers", 1, "renewal_date", "soon",
        "renewal date 'soon' is not a date (YYYY-MM-DD)"),
    Bad("enum", "customers", 2, "churn_risk", "Extreme",
        "churn risk 'Extreme' is not one of 'Low', 'Medium' or 'High'"),
    Bad("null", "customers", 3, "name", None, "name is required"),
    Bad("null", "customers", 1, "company_id", None, "company is required"),
    Bad("integer", "customers", 1, "seats", "lots", "seats 'lots' is not a whole number"),
    Bad("range", "customers", 2, "arr", -100, "ARR is a number of at least 0, not -100"),
    # action items
    Bad("date", "action_items", 6, "due_date", "Friday",
        "due date 'Friday' is not a date (YYYY-MM-DD)"),
    Bad("enum", "action_items", 5, "status", "Done",
        "status 'Done' is not one of 'Not started', 'In progress', 'Blocked' or 'Complete'"),
    Bad("null", "action_items", 4, "what", None, "what is required"),
    Bad("integer", "action_items", 6, "owner_id", "ana", "owner 'ana' is not a whole number"),
    Bad("range", "action_items", 5, "week", "2026-W60", "week '2026-W60': 2026 has no week 60"),
    # decisions
    Bad("date", "decisions", 3, "raised_at", "last week",
        "raised at 'last week' is not a date and time (YYYY-MM-DD HH:MM)"),
    Bad("enum", "decisions", 3, "category", "misc",
        "category 'misc' is not one of 'resource reallocation', 'go/no-go'"),  # and the rest
    Bad("null", "decisions", 4, "what", None, "what is required"),
    Bad("range", "decisions", 4, "decided_at", "2000-01-01T00:00:00",
        "decided at '2000-01-01T00:00:00': cannot be decided before it was raised"),
    # risks
    Bad("enum", "risks", 1, "status", "Unknown",
        "status 'Unknown' is not one of 'Open', 'Mitigating' or 'Closed'"),
    Bad("null", "risks", 2, "risk", None, "risk is required"),
    Bad("integer", "risks", 3, "owner_id", "x", "owner 'x' is not a whole number"),
    # people
    Bad("enum", "people", 1, "role", "boss",
        "role 'boss' is not one of 'product manager', 'engineering lead', 'director',"
        " 'csm', 'executive' or 'other'"),
    Bad("null", "people", 2, "name", None, "name is required"),
    Bad("integer", "people", 3, "company_id", "acme", "company 'acme' is not a whole number"),
    # companies
    Bad("null", "companies", 1, "name", None, "name is required"),
    # feedback
    Bad("date", "feedback", 1, "logged_on", "x", "logged on 'x' is not a date (YYYY-MM-DD)"),
    Bad("enum", "feedback", 2, "kind", "rant",
        "kind 'rant' is not one of 'feature request', 'pain point', 'praise' or 'bug'"),
    Bad("null", "feedback", 3, "text", None, "text is required"),
    # nps responses
    Bad("date", "nps_responses", 2, "responded_on", "then",
        "responded on 'then' is not a date (YYYY-MM-DD)"),
    Bad("integer", "nps_responses", 3, "score", "ten", "score 'ten' is not a whole number"),
    Bad("range", "nps_responses", 1, "score", 11, "score is a whole number from 0 to 10, not 11"),
    # feature requests
    Bad("enum", "feature_requests", 1, "status", "maybe",
        "status 'maybe' is not one of 'backlog', 'planned', 'in roadmap' or 'shipped'"),
    Bad("null", "feature_requests", 2, "title", None, "title is required"),
    # kpis
    Bad("range", "kpis", DEMO_WEEK, "nps", 250, "NPS is a number from -100 to 100, not 250"),
    Bad("integer", "kpis", "2026-W27", "uptime_pct", "high", "uptime 'high' is not a number"),
    # review weeks
    Bad("date", "review_weeks", "2026-W27", "director_accepted_at", "x",
        "director accepted at 'x' is not a date and time (YYYY-MM-DD HH:MM)"),
]
# fmt: on
KINDS = sorted({bad.kind for bad in BAD_VALUES})


def write_bad_value(path: Path, bad: Bad) -> None:
    """Store `bad` as another tool could: constraints ignored, a NOT NULL dropped."""
    conn = sqlite3.connect(path)
    try:
        if bad.value is None:
            (sql,) = conn.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [bad.table]
            ).fetchone()
            loose = re.sub(rf"(\n\s*{bad.column} [^\n,]*?) NOT NULL", r"\1", sql, count=1)
            if loose != sql:
                (version,) = conn.execute("PRAGMA schema_version").fetchone()
                conn.execute("PRAGMA writable_schema = ON")
                conn.execute(
                    "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
                    [loose, bad.table],
                )
                conn.execute(f"PRAGMA schema_version = {version + 1}")
                conn.execute("PRAGMA writable_schema = OFF")
                conn.commit()
                conn.close()
                conn = sqlite3.connect(path)
        conn.execute("PRAGMA ignore_check_constraints = ON")
        where, params = bad.where
        cursor = conn.execute(
            f"UPDATE [{bad.table}] SET [{bad.column}] = ? WHERE {where}", [bad.value, *params]
        )
        assert cursor.rowcount == 1, bad
        conn.commit()
    finally:
        conn.close()


def workspace_with(tmp_path: Path, bads: Sequence[Bad]) -> Path:
    path = tmp_path / "written-by-another-tool.db"
    shutil.copyfile(SAMPLE, path)
    for bad in bads:
        write_bad_value(path, bad)
    return path


def run(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# -- the export and `opstui check` ----------------------------------------------------------


@pytest.mark.parametrize("bad", BAD_VALUES, ids=lambda bad: f"{bad.table}-{bad.kind}")
def test_a_bad_value_keeps_the_export_working_and_check_names_it_in_words(
    bad: Bad, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = workspace_with(tmp_path, [bad])
    out = tmp_path / "review.md"

    code, _, err = run("export", str(path), *AS_OF, "-o", str(out), capsys=capsys)
    assert (code, err) == (0, "")
    assert out.read_text(encoding="utf-8").startswith("#")

    code, printed, err = run("check", str(path), capsys=capsys)
    assert code == 1
    (line,) = printed.splitlines()
    assert line.startswith(bad.message)  # a long list of known values may be cut short here
    assert "Traceback" not in err


def test_check_lists_every_bad_row_once_and_a_clean_workspace_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clean = tmp_path / "clean.db"
    shutil.copyfile(SAMPLE, clean)
    code, printed, _ = run("check", str(clean), capsys=capsys)
    assert code == 0
    assert re.fullmatch(r"ok: [\d,]+ rows checked\n", printed)

    path = workspace_with(tmp_path, BAD_VALUES)
    code, printed, _ = run("check", str(path), capsys=capsys)
    assert code == 1
    lines = printed.splitlines()
    assert len(lines) == len(BAD_VALUES)
    for bad in BAD_VALUES:
        assert sum(line.startswith(bad.message) for line in lines) == 1, bad.message


def test_a_row_that_breaks_the_model_leaves_every_other_row_as_it_was(tmp_path: Path) -> None:
    clean = Repository.open_readonly(SAMPLE)
    try:
        before = {p.id: p for p in clean.projects()}
    finally:
        clean.close()
    path = workspace_with(tmp_path, [bad for bad in BAD_VALUES if bad.table == "projects"])
    repo = Repository.open(path)
    try:
        after = {p.id: p for p in repo.projects()}
    finally:
        repo.close()
    broken = {bad.row for bad in BAD_VALUES if bad.table == "projects"}
    assert after.keys() == before.keys()
    for project_id, project in after.items():
        if project_id in broken:
            assert project.row_problems
        else:
            assert project == before[project_id] and not project.row_problems


def test_a_bad_row_keeps_its_readable_values_and_says_which_field_is_wrong(
    tmp_path: Path,
) -> None:
    path = workspace_with(tmp_path, [BAD_VALUES[0]])
    repo = Repository.open(path)
    try:
        project = repo.get(Project, 3)
        assert project is not None
        assert project.name == "Banking Integration"
        assert project.milestone_date is None
        assert dict(project.row_problems) == {
            "milestone_date": "'a|b 2026-07-18' is not a date (YYYY-MM-DD)"
        }
    finally:
        repo.close()


# -- the app ----------------------------------------------------------------------------------


def rows_text(table: VirtualTable) -> list[str]:
    return [
        " | ".join(cell.plain for cell in row.cells)
        for row in table.source.rows(0, len(table.source))
    ]


def assert_running_without_error(app: OpsApp) -> None:
    assert app.is_running
    errors = [screen.message for screen in app.screen_stack if isinstance(screen, ErrorDialog)]
    assert not errors


async def go_to(pilot: Pilot[int], app: OpsApp, screen: str) -> None:
    await pilot.press("g", screen)
    await settle(pilot)
    assert_running_without_error(app)


async def close_dialog(pilot: Pilot[int], app: OpsApp) -> None:
    await settle(pilot)
    assert isinstance(app.screen, ModalScreen)
    assert_running_without_error(app)
    await pilot.press("escape")
    await settle(pilot)


async def visit_every_screen(pilot: Pilot[int], app: OpsApp, bads: Sequence[Bad]) -> None:
    """Every screen, every tab, and the detail of every bad row that has one."""
    await settle(pilot)
    portfolio = app.screen
    assert isinstance(portfolio, PortfolioScreen)
    for bad in bads:
        if bad.table == "projects":
            portfolio.select_entity(int(bad.row))
            await pilot.press("enter")
            await close_dialog(pilot, app)

    await go_to(pilot, app, "b")
    bugs = app.screen
    assert isinstance(bugs, BugsScreen)
    await pilot.press("n")  # the new-bug form lists every project and customer
    await close_dialog(pilot, app)
    await pilot.press("v")
    await settle(pilot)
    for bad in bads:
        if bad.table == "bugs":
            bugs.select_entity(int(bad.row))
            await settle(pilot)
            await pilot.press("enter")
            await close_dialog(pilot, app)

    await go_to(pilot, app, "c")
    customers = app.screen
    assert isinstance(customers, CustomersScreen)
    for bad in bads:
        if bad.table == "customers":
            customers.select_entity(int(bad.row))
            await pilot.press("enter")
            await close_dialog(pilot, app)
    for customer_id in (1, 2):  # the feedback and NPS responses of the first customers
        customers.select_entity(customer_id)
        await pilot.press("enter")
        await close_dialog(pilot, app)
    await pilot.press("b")
    await settle(pilot)
    await pilot.press("enter")
    await close_dialog(pilot, app)
    await pilot.press("b")
    await settle(pilot)

    await go_to(pilot, app, "w")
    weekly = app.screen
    assert isinstance(weekly, WeeklyScreen)
    for tab in ("checklist", "actions", "decisions", "escalations", "kpis", "changes"):
        weekly.query_one(TabbedContent).active = tab
        await settle(pilot)
        assert_running_without_error(app)
    for bad in bads:
        if bad.table not in ("action_items", "decisions"):
            continue
        tab, key = (
            ("actions", "action") if bad.table == "action_items" else ("decisions", "decision")
        )
        weekly.query_one(TabbedContent).active = tab
        await settle(pilot)
        table = weekly.table(tab)
        index = table.index_of(f"{key}:{bad.row}")
        assert index is not None, bad
        table.move_cursor(index)
        table.focus()
        await pilot.press("enter")
        await close_dialog(pilot, app)
    await pilot.press("left_square_bracket")  # last week, with its KPIs and review
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)
    await pilot.press("m")
    await settle(pilot)
    assert isinstance(app.screen, MeetingScreen)
    for _ in AGENDA:
        await pilot.press("n")
        await pilot.pause()
        assert_running_without_error(app)
    await pilot.press("escape")
    await settle(pilot)
    assert_running_without_error(app)


@pytest.fixture
def notifications(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every notification the app shows, in order (they expire from the screen)."""
    said: list[str] = []
    notify = OpsApp.notify

    def recording(app: OpsApp, message: str, **options: Any) -> None:
        said.append(message)
        notify(app, message, **options)

    monkeypatch.setattr(OpsApp, "notify", recording)
    return said


@pytest.mark.parametrize("kind", KINDS)
async def test_every_screen_and_detail_keeps_working_and_says_once_what_is_wrong(
    kind: str, tmp_path: Path, notifications: list[str]
) -> None:
    bads = [bad for bad in BAD_VALUES if bad.kind == kind]
    repo = Repository.open(workspace_with(tmp_path, bads))
    app = demo_app(repo)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await visit_every_screen(pilot, app, bads)
    finally:
        repo.close()
    said = notifications
    for bad in bads:
        assert sum(message.count(bad.message) for message in said) == 1, (bad.message, said)


async def test_the_bad_field_is_marked_in_its_cell_on_the_portfolio(
    tmp_path: Path, notifications: list[str]
) -> None:
    repo = Repository.open(workspace_with(tmp_path, [BAD_VALUES[0], BAD_VALUES[1]]))
    app = demo_app(repo)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, PortfolioScreen)
            rows = rows_text(screen.table)
            banking = next(row for row in rows if row.startswith("Banking Integration"))
            assert "⚠ not a date" in banking
            connectors = next(row for row in rows if row.startswith("Open Banking Connectors"))
            assert "⚠ not a status" in connectors
            assert sum(BAD_VALUES[0].message in message for message in notifications) == 1
    finally:
        repo.close()


async def test_saving_a_bad_project_in_its_form_repairs_the_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    projects = [bad for bad in BAD_VALUES if bad.table == "projects"]
    path = workspace_with(tmp_path, projects)
    repo = Repository.open(path)
    app = demo_app(repo)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, PortfolioScreen)
            # The user picks the company again: the one the project's product belongs to.
            product_of = {project.id: project.product_id for project in repo.projects()}
            company_of = {product.id: product.company_id for product in repo.products()}
            for project_id in dict.fromkeys(int(bad.row) for bad in projects):
                screen.select_entity(project_id)
                await pilot.press("enter")
                await pilot.pause()
                form = app.screen
                assert isinstance(form, ProjectForm)
                for bad in (bad for bad in projects if bad.row == project_id):
                    # The form says what was wrong under the field, and offers no stand-in.
                    error = form.query_one(f"#error-{bad.column}", Static)
                    assert error.display
                    assert str(error.render()).startswith("As stored: ")
                    if bad.column in ("name", "progress"):
                        editor = form.query_one(f"#field-{bad.column}", Input)
                        assert editor.value == ""
                        editor.value = "Repaired project" if bad.column == "name" else "40"
                    if bad.column == "company_id":
                        company = company_of[product_of[project_id]]
                        form.query_one("#field-company_id", Select).value = company
                await pilot.press("ctrl+s")
                await settle(pilot)
                assert isinstance(app.screen, PortfolioScreen), project_id
            assert_running_without_error(app)
    finally:
        repo.close()
    code, printed, _ = run("check", str(path), capsys=capsys)
    assert (code, printed.startswith("ok: ")) == (0, True), printed
