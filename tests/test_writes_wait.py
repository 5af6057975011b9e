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
