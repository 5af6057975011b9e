"""Who changed what: every write of a session is recorded with its person and time, in the
write's own transaction, and the detail views and refusals say who."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Input, Select, Static

from opstui.data.config import Config, load_config
from opstui.data.identity import USER_ENV, named_user
from opstui.data.repository import Repository
from opstui.domain.enums import Priority, RiskLevel
from opstui.domain.history import StaleEditError, change_line
from opstui.domain.models import Bug, Project
from opstui.modals.bug_detail import BugDetail
from opstui.modals.form_base import FormScreen
from opstui.modals.picker import Picker
from opstui.screens.bugs import BugsScreen
from opstui.widgets.history_view import HistoryView
from tests.app_harness import SIZE, demo_app, settle


def project_named(repo: Repository, name: str) -> Project:
    return next(p for p in repo.projects() if p.name == name)


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_an_edit_is_recorded_with_its_person_time_and_each_field_before_and_after(
    demo_path: Path,
) -> None:
    repo = Repository.open(demo_path)
    repo.record_history("Ana Ruiz")
    project = project_named(repo, "Invoice AI")
    repo.save_changes(project, project.model_copy(update={"risk": RiskLevel.HIGH, "progress": 50}))

    (change,) = repo.history_of(Project, project.id or 0)
    assert (change.person, change.action) == ("Ana Ruiz", "changed")
    assert change.fields == {"risk": ("Low", "High"), "progress": (45.0, 50.0)}
    assert change.at.tzinfo is not None
    assert change_line(change).endswith("Ana Ruiz · Progress 45 → 50, Risk Low → High")
    repo.close()


def test_created_and_deleted_records_are_recorded_and_a_rolled_back_write_leaves_no_trace(
    demo_path: Path,
) -> None:
    repo = Repository.open(demo_path)
    repo.record_history("Ana Ruiz")
    project = project_named(repo, "Invoice AI")
    new = repo.add(project.model_copy(update={"id": None, "name": "Atlas", "source_key": None}))
    repo.delete(Project, new.id or 0)
    actions = [change.action for change in repo.history_of(Project, new.id or 0)]
    assert actions == ["deleted", "created"]
    deleted = repo.history_of(Project, new.id or 0)[0]
    assert deleted.fields["name"] == ("Atlas", None)

    before = rows(demo_path, "SELECT count(*) FROM history")
    with pytest.raises(RuntimeError), repo.db.atomic():
        repo.db.execute("UPDATE projects SET risk = 'High' WHERE id = ?", [project.id])
        raise RuntimeError("the rest of the change failed")
    assert rows(demo_path, "SELECT count(*) FROM history") == before
    repo.close()


def test_recording_lives_in_the_connection_so_other_tools_can_still_write_the_file(
    demo_path: Path,
) -> None:
    repo = Repository.open(demo_path)
    repo.record_history("Ana Ruiz")
    # The file holds only the title index's triggers (plain SQL any SQLite runs), none of
    # the history's.
    assert rows(
        demo_path, "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
    ) == [
        ("bugs_title_search_delete",),
        ("bugs_title_search_insert",),
        ("bugs_title_search_update",),
    ]
    conn = sqlite3.connect(demo_path)  # another program, with no idea of opstui
    with conn:
        conn.execute("UPDATE projects SET risk = 'High' WHERE name = 'Invoice AI'")
    conn.close()
    repo.close()


def test_a_stale_edit_is_refused_naming_who_changed_it_and_when(demo_path: Path) -> None:
    mine, theirs = Repository.open(demo_path), Repository.open(demo_path)
    mine.record_history("Ana Ruiz")
    theirs.record_history("Priya Nair")
    stale = project_named(mine, "Invoice AI")
    fresh = project_named(theirs, "Invoice AI")
    theirs.save_changes(fresh, fresh.model_copy(update={"risk": RiskLevel.HIGH}))

    with pytest.raises(StaleEditError) as refused:
        mine.save_changes(stale, stale.model_copy(update={"risk": RiskLevel.MEDIUM}))
    message = str(refused.value)
    assert message.startswith("Priya Nair changed project 'Invoice AI' (")
    assert "risk to High" in message
    latest = refused.value.latest
    assert isinstance(latest, Project) and latest.risk is RiskLevel.HIGH
    assert project_named(mine, "Invoice AI").risk is RiskLevel.HIGH
    mine.close()
    theirs.close()


def test_a_bulk_import_records_each_new_bug_once(demo_path: Path, tmp_path: Path) -> None:
    export = tmp_path / "jira.csv"
    export.write_text(
        "Summary,Issue key,Issue Type,Status,Priority,Created\n"
        + "".join(f"Bug {n},ACME-{n},Bug,Open,High,5/Apr/26 11:03 AM\n" for n in range(1, 41)),
        encoding="utf-8",
    )
    done = subprocess.run(
        [
            *(sys.executable, "-m", "opstui", "import", str(demo_path), str(export)),
            *("--company", "Company A", "--user", "Ana Ruiz"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    recorded = rows(
        demo_path,
        "SELECT count(*), count(DISTINCT entity_key), min(person), max(person) FROM history "
        "WHERE entity = 'bugs' AND action = 'created'",
    )
    assert recorded == [(40, 40, "Ana Ruiz", "Ana Ruiz")]
    imported = rows(demo_path, "SELECT count(*) FROM bugs WHERE source_key LIKE 'jira:%'")
    assert imported == [(40,)]


def test_who_you_are_comes_from_the_option_then_the_environment_then_the_config(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = Config(user="Config Person")
    assert named_user(None, config) == "Config Person"
    monkeypatch.setenv(USER_ENV, "Env Person")
    assert named_user(None, config) == "Env Person"
    assert named_user("Option Person", config) == "Option Person"
    assert named_user("  ", Config()) == "Env Person"
    monkeypatch.delenv(USER_ENV)
    assert named_user(None, Config()) is None


async def test_the_app_asks_who_you_are_once_and_records_your_changes_under_that_name(
    demo_repo: Repository,
) -> None:
    demo_repo.record_history("login")
    app = demo_app(demo_repo)
    app.ask_user = True
    app.save_settings = True
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, Picker)
        await pilot.press(*"Priya")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, Picker)
        await pilot.press("r")  # cycle the risk of the project under the cursor
        await settle(pilot)
    assert load_config().user == "Priya Nair"
    people = rows(demo_repo.path or Path(), "SELECT DISTINCT person FROM history")
    assert people == [("Priya Nair",)]


async def test_a_refused_form_keeps_what_was_typed_and_saves_it_over_the_latest_on_purpose(
    demo_repo: Repository, demo_path: Path
) -> None:
    demo_repo.record_history("Ana Ruiz")
    target = project_named(demo_repo, "Invoice AI")
    app = demo_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.table.move_cursor(screen.table.index_of(f"project:{target.id}") or 0)  # type: ignore[attr-defined]
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-risk", Select).value = RiskLevel.MEDIUM
        form.query_one("#field-next_milestone", Input).value = "Interviews done"

        theirs = Repository.open(demo_path)  # a colleague saves the risk a moment before
        theirs.record_history("Priya Nair")
        fresh = project_named(theirs, "Invoice AI")
        theirs.save_changes(fresh, fresh.model_copy(update={"risk": RiskLevel.HIGH}))
        theirs.close()

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # still open, as typed
        said = str(form.query_one("#error-__root__", Static).render())
        assert "Priya Nair changed project 'Invoice AI'" in said
        assert "ctrl+s saves it over that change" in said
        assert form.query_one("#field-next_milestone", Input).value == "Interviews done"
        assert project_named(demo_repo, "Invoice AI").risk is RiskLevel.HIGH

        await pilot.press("ctrl+s")  # told, the user keeps their risk on purpose
        await settle(pilot)
        assert not isinstance(app.screen, FormScreen)
    stored = project_named(demo_repo, "Invoice AI")
    assert (stored.risk, stored.next_milestone) == (RiskLevel.MEDIUM, "Interviews done")


async def test_the_bug_detail_lists_who_triaged_the_bug(demo_repo: Repository) -> None:
    demo_repo.record_history("Ana Ruiz")
    app = demo_app(demo_repo, screen="bugs")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BugsScreen)
        key = screen.table.current_key
        assert key is not None
        bug_id = int(key.split(":")[1])
        await pilot.press("1")  # triage as P1
        await settle(pilot)
        screen.select_entity(bug_id)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, BugDetail)
        shown = str(detail.query_one(HistoryView).render())
        assert "Ana Ruiz" in shown and "Priority — → P1" in shown
    bug = demo_repo.get(Bug, bug_id)
    assert bug is not None and bug.priority is Priority.P1


async def test_the_changes_tab_says_who_changed_what_this_week_on_the_apps_own_day(
    demo_repo: Repository,
) -> None:
    demo_repo.record_history("Ana Ruiz")
    app = demo_app(demo_repo, screen="weekly")  # on the demo's today, in 2026-W28
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        project = project_named(demo_repo, "Invoice AI")
        demo_repo.save_changes(project, project.model_copy(update={"risk": RiskLevel.HIGH}))
        screen = app.screen
        screen.query_one("TabbedContent").active = "changes"  # type: ignore[attr-defined]
        await settle(pilot)
        shown = str(screen.query_one("#changes-view", Static).render())
    assert "Who changed what in 2026-W28" in shown
    assert "Ana Ruiz: 1 project (latest Jul" in shown
    (change,) = demo_repo.history_of(Project, project.id or 0)
    assert change.at.date().isoformat().startswith("2026-07")


def test_two_people_typing_one_weeks_kpis_keep_each_others_figures(demo_path: Path) -> None:
    mine, theirs = Repository.open(demo_path), Repository.open(demo_path)
    theirs.record_history("Priya Nair")
    stale, fresh = mine.kpis("2026-W28"), theirs.kpis("2026-W28")
    assert stale is not None and fresh is not None
    theirs.save_changes(fresh, fresh.model_copy(update={"uptime_pct": 99.5}))

    mine.save_changes(stale, stale.model_copy(update={"p95_ms": 410}))  # another figure: kept
    with pytest.raises(StaleEditError, match="Priya Nair"):
        mine.save_changes(stale, stale.model_copy(update={"uptime_pct": 97.0}))

    stored = mine.kpis("2026-W28")
    assert stored is not None and (stored.uptime_pct, stored.p95_ms) == (99.5, 410)
    mine.close()
    theirs.close()


async def test_a_weeks_first_kpis_typed_by_two_people_keep_the_first_saved(
    demo_repo: Repository, demo_path: Path
) -> None:
    from opstui.domain.models import Kpis

    week = "2026-W29"  # a week nobody has typed KPIs for yet
    assert demo_repo.kpis(week) is None
    app = demo_app(demo_repo, screen="weekly", as_of=date(2026, 7, 15))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.query_one("TabbedContent").active = "kpis"  # type: ignore[attr-defined]
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-uptime_pct", Input).value = "97"
        theirs = Repository.open(demo_path)  # a colleague saves the week's KPIs first
        theirs.upsert(Kpis(week=week, uptime_pct=99.9))
        theirs.close()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # refused, the typing kept
        said = str(form.query_one("#error-__root__", Static).render())
        assert "someone else saved the KPIs of 2026-W29" in said
    stored = demo_repo.kpis(week)
    assert stored is not None and stored.uptime_pct == 99.9
