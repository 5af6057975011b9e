"""The app opens a workspace before checking the whole file for damage, so its first screen
comes sooner; nothing is written to the file until the check has passed, and a damaged file
is refused at the first write, as opening refuses it everywhere else."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlite_utils import Database

from opstui.data import workspace
from opstui.data.repository import Repository
from opstui.data.schema import MIGRATION_NAMES, MIGRATIONS
from opstui.data.workspace import WorkspaceError, open_workspace
from opstui.domain.models import Company
from opstui.modals.error import ErrorDialog
from opstui.screens.base import not_saved_words
from tests.app_harness import SIZE, demo_app, settle


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(directory: Path) -> list[str]:
    return sorted(entry.name for entry in directory.iterdir())


@pytest.fixture
def damaged(demo_path: Path) -> Path:
    """The demo workspace with garbage over pages in its middle; its header is whole."""
    data = bytearray(demo_path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 8192] = b"\xff" * 8192
    demo_path.write_bytes(bytes(data))
    return demo_path


def company_names(path: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [name for (name,) in conn.execute("SELECT name FROM companies ORDER BY name")]
    finally:
        conn.close()


def test_opening_compares_the_applied_migrations_with_the_migration_set_in_order() -> None:
    empty = Database(memory=True, execute_plugins=False)
    assert tuple(migration.name for migration in MIGRATIONS.pending(empty)) == MIGRATION_NAMES


def test_a_damaged_workspace_is_still_refused_at_opening_when_not_opened_for_the_app(
    damaged: Path,
) -> None:
    before = sha256(damaged)

    with pytest.raises(WorkspaceError, match="damaged"):
        Repository.open(damaged)

    assert sha256(damaged) == before


def test_a_workspace_opened_before_its_check_saves_the_first_write_once_the_check_passed(
    demo_path: Path,
) -> None:
    repo = Repository.open(demo_path, check_later=True)
    try:
        check = repo.db.damage_check
        assert check is not None and not check.passed

        repo.add(Company(name="Written after the check"))

        assert check.passed
        assert repo.db.damage_check is None
        assert "Written after the check" in company_names(demo_path)
    finally:
        repo.close()


def test_a_write_while_the_check_is_still_running_waits_for_it(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    finish_check = threading.Event()
    find_damage = workspace._find_damage

    def slow_check(path: Path) -> WorkspaceError | None:
        finish_check.wait(10)
        return find_damage(path)

    monkeypatch.setattr(workspace, "_find_damage", slow_check)
    repo = Repository.open(demo_path, check_later=True)
    try:
        check = repo.db.damage_check
        assert check is not None
        checking = threading.Thread(target=check.run)  # the app's background check
        checking.start()
        writing = threading.Thread(target=lambda: repo.add(Company(name="Waited")))
        writing.start()

        writing.join(0.3)
        assert writing.is_alive()  # the write waits for the check under way
        assert "Waited" not in company_names(demo_path)

        finish_check.set()
        checking.join(10)
        writing.join(10)
        assert "Waited" in company_names(demo_path)
    finally:
        finish_check.set()
        repo.close()


def test_a_damaged_workspace_opened_before_its_check_refuses_every_write_and_stays_as_it_was(
    damaged: Path,
) -> None:
    before, files = sha256(damaged), listing(damaged.parent)
    repo = Repository.open(damaged, check_later=True)
    try:
        with pytest.raises(WorkspaceError, match="damaged workspace") as refused:
            repo.add(Company(name="Never stored"))
        assert "nothing is written to it" in str(refused.value)
        assert "Not saved:" in not_saved_words(refused.value, damaged)
        with pytest.raises(WorkspaceError, match="damaged workspace"):  # and again
            repo.set_meta("name", "Never stored")
        # A statement outside a transaction is refused by SQLite itself.
        with pytest.raises(sqlite3.DatabaseError, match="not authorized"):
            repo.db.execute("INSERT INTO companies (name) VALUES ('Never stored')")
        repo.record_history("Someone")  # who writes is kept in the connection, not the file
    finally:
        repo.close()

    assert sha256(damaged) == before
    assert listing(damaged.parent) == files


def test_a_write_refused_before_the_check_is_explained_in_words(demo_path: Path) -> None:
    repo = Repository.open(demo_path, check_later=True)
    try:
        with pytest.raises(sqlite3.DatabaseError) as refused:
            repo.db.execute("INSERT INTO companies (name) VALUES ('Too early')")
        words = not_saved_words(refused.value, demo_path)
        assert "still being checked for damage" in words
        assert "nothing was changed" in words
    finally:
        repo.close()


def test_a_workspace_not_in_wal_mode_is_checked_before_opening(damaged: Path) -> None:
    # Opening it for writing would switch it to WAL mode, a write: the check comes first.
    conn = sqlite3.connect(damaged)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    before = sha256(damaged)

    with pytest.raises(WorkspaceError, match="damaged"):
        open_workspace(damaged, check_later=True)

    assert sha256(damaged) == before


async def test_the_app_checks_the_workspace_after_its_first_screen_and_then_writes(
    demo_path: Path,
) -> None:
    repo = Repository.open(demo_path, check_later=True)
    app = demo_app(repo)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await settle(pilot)
            assert repo.db.damage_check is None  # checked once the portfolio showed
            assert not any(isinstance(screen, ErrorDialog) for screen in app.screen_stack)
    finally:
        repo.close()


async def test_the_app_says_the_workspace_is_damaged_as_soon_as_its_check_finds_it(
    damaged: Path,
) -> None:
    repo = Repository.open(damaged, check_later=True)
    app = demo_app(repo)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.check_for_damage()  # if the first screen could not show its data
            await settle(pilot)
            dialogs = [
                screen
                for screen in app.screen_stack
                if isinstance(screen, ErrorDialog) and "damaged" in screen.title_text
            ]
            assert dialogs
            assert "damaged workspace" in dialogs[0].message
            assert "no change will be saved" in dialogs[0].message
            with pytest.raises(WorkspaceError, match="damaged"):
                repo.add(Company(name="Never stored"))
    finally:
        repo.close()
