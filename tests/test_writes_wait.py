"""A write waits for another process's write instead of failing with "database is locked"."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import date
from pathlib import Path

from opstui.data.repository import Repository
from opstui.domain.enums import Phase
from opstui.domain.models import Project


def hold_the_write_lock(path: Path, started: threading.Event, seconds: float) -> None:
    """Another process: takes the write lock, changes a row, commits after `seconds`."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE meta SET value = value WHERE key = 'name'")
    other.execute("UPDATE projects SET progress = 51 WHERE name = 'Invoice AI'")
    started.set()
    time.sleep(seconds)
    other.execute("COMMIT")
    other.close()


def test_a_read_then_write_action_waits_for_the_other_writer_and_succeeds(
    demo_repo: Repository, demo_path: Path
) -> None:
    project = next(p for p in demo_repo.projects() if p.name == "Invoice AI")
    assert project.id is not None
    started = threading.Event()
    other = threading.Thread(target=hold_the_write_lock, args=(demo_path, started, 0.6))
    other.start()
    started.wait(5)
    began = time.monotonic()
    # Reads the project, then writes it and a phase change: one transaction.
    moved = demo_repo.move_phase(project.id, Phase.DEFINITION, date(2026, 7, 6))
    waited = time.monotonic() - began
    other.join()
    assert moved.phase is Phase.DEFINITION
    assert waited >= 0.4, "the write did not wait for the other writer"
    stored = demo_repo.get(Project, project.id)
    assert stored is not None
    # Both writes are there: the other process's progress and this one's phase.
    assert stored.phase is Phase.DEFINITION
    assert stored.progress == 51


def test_every_write_transaction_begins_immediate(demo_repo: Repository) -> None:
    statements: list[str] = []
    demo_repo.db.conn.set_trace_callback(statements.append)
    try:
        project = demo_repo.projects()[0]
        demo_repo.update(project.model_copy(update={"progress": 12}))
    finally:
        demo_repo.db.conn.set_trace_callback(None)
    begins = [s for s in statements if s.upper().startswith("BEGIN")]
    assert begins == ["BEGIN IMMEDIATE"]


async def test_a_write_that_stays_locked_says_so_and_a_form_keeps_what_was_typed(
    demo_repo: Repository, demo_path: Path
) -> None:
    from textual.widgets import Input, Static

    from opstui.modals.form_base import FormScreen
    from tests.app_harness import SIZE, demo_app, settle

    demo_repo.db.conn.execute("PRAGMA busy_timeout = 300")  # a short wait, for the test
    before = [(p.id, p.risk, p.next_milestone) for p in demo_repo.projects()]
    app = demo_app(demo_repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        holder = sqlite3.connect(demo_path)
        holder.execute("BEGIN IMMEDIATE")  # another program keeps the write lock
        try:
            await pilot.press("r")  # a quick action: cycle the risk
            await settle(pilot)
            said = [n.message for n in app._notifications]
            assert any("Not saved" in m and "busy" in m for m in said), said

            await pilot.press("enter")  # a form: the typing must survive the refusal
            await settle(pilot)
            form = app.screen
            assert isinstance(form, FormScreen)
            form.query_one("#field-next_milestone", Input).value = "Beta sign-off"
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.screen is form
            message = str(form.query_one("#error-__root__", Static).render())
            assert "stayed busy" in message and "ctrl+s tries again" in message
            assert form.query_one("#field-next_milestone", Input).value == "Beta sign-off"
        finally:
            holder.rollback()
            holder.close()
        await pilot.press("ctrl+s")  # the lock is free now: the same typing is saved
        await settle(pilot)
        assert not isinstance(app.screen, FormScreen)
    after = {p.id: p.next_milestone for p in demo_repo.projects()}
    assert "Beta sign-off" in after.values()
    assert [(i, r) for i, r, _ in before] == [(p.id, p.risk) for p in demo_repo.projects()]
