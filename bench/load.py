"""Many hands on one workspace: N processes triage, edit and read at once, beside a
`freeze` loop and an `export` loop, and afterwards the file proves what happened.

    python -m bench.load [--processes 12] [--seconds 60] [--bugs 100000] [--json FILE]

Each worker is a separate process with its own connection, recorded under its own name
(`worker-N`), and logs every write the repository acknowledged: the record, the fields,
the value it had seen and the value it wrote. After the run the workspace's history (the
`history` table, written in each write's own transaction) is compared with those logs:

- **acknowledged writes lost**: an acknowledged write with no history entry of its worker;
- **lost updates**: a write whose stored "before" is not what its author had seen — it
  replaced a value its author never saw (every such edit must have been refused);
- **"database is locked" reaching a user**: any write, freeze or export that failed so;
- **p95 write latency**: from the call to the acknowledgement, per write.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.workspaces import DEFAULT_CACHE, WorkspaceSize, cached_workspace

PROJECTS = 16
CUSTOMERS = 16
WEEK = "2026-W28"
P95_TARGET_MS = 100.0


@dataclass
class WorkerLog:
    """What one worker did, as it saw it."""

    person: str
    writes: list[dict[str, Any]] = field(default_factory=list)
    """Acknowledged writes in order: entity, key, fields {name: [seen, written]}, ms."""
    refused: int = 0
    """Edits refused because someone else had changed the same field since the read."""
    locked: int = 0
    other_errors: list[str] = field(default_factory=list)
    reads: int = 0


def _worker(
    number: int, path: str, seconds: float, out: str, seed: int, whole_rows: bool = False
) -> None:
    """One person's session: triage decisions, project edits from a copy read a moment
    earlier, and reads, until the time is up."""
    from opstui.data.bug_queries import BugQuery
    from opstui.data.repository import Repository
    from opstui.data.sample import DEMO_TODAY
    from opstui.domain.enums import Priority, ProjectStatus, RiskLevel
    from opstui.domain.history import StaleEditError
    from opstui.domain.models import Bug, Project

    rng = random.Random(seed)
    repo = Repository.open(path)
    log = WorkerLog(person=f"worker-{number}")
    repo.record_history(log.person)
    open_ids = [
        row[0]
        for row in repo.db.execute("SELECT id FROM bugs WHERE status IN ('open', 'in progress')")
    ]
    project_ids = [row[0] for row in repo.db.execute("SELECT id FROM projects")]
    deadline = time.monotonic() + seconds

    def write(kind: str, original: Any, edited: Any) -> None:
        seen = original.model_dump(mode="json")
        wrote = edited.model_dump(mode="json")
        fields = {name: [seen[name], wrote[name]] for name in wrote if wrote[name] != seen[name]}
        started = time.perf_counter()
        try:
            if whole_rows:  # the check of the checker: how the first version wrote
                repo.update(edited)
            else:
                repo.save_changes(original, edited)
        except StaleEditError:
            log.refused += 1
            return
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                log.locked += 1
                return
            log.other_errors.append(str(error))
            return
        elapsed = (time.perf_counter() - started) * 1000
        log.writes.append(
            {"entity": kind, "key": str(original.id), "fields": fields, "ms": elapsed}
        )

    while time.monotonic() < deadline:
        roll = rng.random()
        try:
            if roll < 0.45:  # a triage decision on one bug
                bug = repo.get(Bug, rng.choice(open_ids))
                if bug is not None:
                    time.sleep(rng.uniform(0.0, 0.05))  # the look at the bug
                    priority = rng.choice([p for p in Priority if p is not bug.priority])
                    write("bugs", bug, bug.model_copy(update={"priority": priority}))
            elif roll < 0.75:  # a project edit, from a copy read a while before
                project = repo.get(Project, rng.choice(project_ids))
                if project is not None:
                    time.sleep(rng.uniform(0.2, 1.5))  # typing in the form
                    change = rng.choice(["risk", "status", "progress"])
                    value: Any
                    if change == "risk":
                        value = rng.choice([r for r in RiskLevel if r is not project.risk])
                    elif change == "status":
                        value = rng.choice([s for s in ProjectStatus if s is not project.status])
                    else:
                        value = float(rng.randrange(0, 101))
                    write("projects", project, project.model_copy(update={change: value}))
            else:  # reading: a page of the bug list and the portfolio
                repo.bug_list_page(BugQuery(inbox=False, sort="priority"), DEMO_TODAY, 0, 50)
                repo.projects()
                log.reads += 1
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                log.locked += 1
            else:
                log.other_errors.append(str(error))
        time.sleep(rng.uniform(0.05, 0.25))
    repo.close()
    Path(out).write_text(json.dumps(log.__dict__), encoding="utf-8")


@dataclass
class LoopLog:
    runs: int = 0
    locked: int = 0
    failures: list[str] = field(default_factory=list)


def _command_loop(argv: list[str], seconds: float, log: LoopLog) -> None:
    """Run a command again and again until the time is up (the freeze or export loop)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
        log.runs += 1
        if done.returncode != 0:
            message = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "?"
            if "locked" in message or "busy" in message:
                log.locked += 1
            else:
                log.failures.append(message)


def _verify(path: Path, logs: list[WorkerLog]) -> dict[str, int]:
    """Compare each worker's acknowledged writes with the history in the file."""
    conn = sqlite3.connect(path)
    lost = lost_updates = unchanged = 0
    for log in logs:
        recorded = [
            (change_id, entity, key, json.loads(changes))
            for change_id, entity, key, changes in conn.execute(
                "SELECT id, entity, entity_key, changes FROM history "
                "WHERE person = ? AND action = 'changed' ORDER BY id",
                [log.person],
            )
        ]
        position = 0
        previous_id = 0
        for write in log.writes:
            # The worker's writes are in its history in the same order.
            found = position
            while found < len(recorded):
                _, entity, key, changes = recorded[found]
                if (entity, key) == (write["entity"], write["key"]) and all(
                    name in write["fields"] and after == write["fields"][name][1]
                    for name, (_, after) in changes.items()
                ):
                    break
                found += 1
            if found == len(recorded):
                next_id = recorded[position][0] if position < len(recorded) else 1 << 62
                # A write that stored nothing new: someone else had just set the same value.
                if _set_meanwhile(conn, write, previous_id, next_id):
                    unchanged += 1
                else:
                    lost += 1
                continue
            change_id, _, _, changes = recorded[found]
            position, previous_id = found + 1, change_id
            for name, (before, _) in changes.items():
                if before != write["fields"][name][0]:  # it replaced a value never seen
                    lost_updates += 1
    conn.close()
    return {"acknowledged_lost": lost, "lost_updates": lost_updates, "already_so": unchanged}


def _set_meanwhile(
    conn: sqlite3.Connection, write: dict[str, Any], after_id: int, before_id: int
) -> bool:
    """Whether the write had nothing to store: at some moment between the worker's
    neighbouring recorded writes (history ids `after_id` and `before_id`), where its commit
    must lie, each field it wrote already held the value it wrote (someone else set it)."""
    for name, (_, wrote) in write["fields"].items():
        path = f"$.{name}"
        rows = conn.execute(
            "SELECT id, json_extract(changes, ?) FROM history WHERE entity = ? "
            "AND entity_key = ? AND id < ? AND json_extract(changes, ?) IS NOT NULL ORDER BY id",
            [path, write["entity"], write["key"], before_id, path],
        ).fetchall()
        held = [json.loads(pair)[1] for change_id, pair in rows if change_id <= after_id][-1:]
        meanwhile = [json.loads(pair)[1] for change_id, pair in rows if change_id > after_id]
        if wrote not in held + meanwhile:
            return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    parser.add_argument("--processes", type=int, default=12)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--bugs", type=int, default=100_000)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--whole-rows",
        action="store_true",
        help="write whole rows from the stale copy, as the first version did: a check that "
        "the verification finds the lost updates that causes",
    )
    args = parser.parse_args(argv)

    cached, made = cached_workspace(WorkspaceSize(args.bugs, PROJECTS, CUSTOMERS), args.cache)
    scratch = Path(tempfile.mkdtemp(prefix="opstui-load-"))
    path = scratch / "load.db"
    path.write_bytes(cached.read_bytes())
    print(f"workspace: {args.bugs:,} bugs ({'generated' if made else 'cached'}), {path}")

    context = multiprocessing.get_context("spawn")
    outputs = [scratch / f"worker-{n}.json" for n in range(args.processes)]
    workers = [
        context.Process(
            target=_worker,
            args=(n, str(path), args.seconds, str(outputs[n]), 1000 + n, args.whole_rows),
        )
        for n in range(args.processes)
    ]
    opstui = [sys.executable, "-m", "opstui"]
    freeze_log, export_log = LoopLog(), LoopLog()
    export_file = scratch / "export.md"
    loops = [
        threading.Thread(
            target=_command_loop,
            args=(
                [*opstui, "freeze", str(path), "--week", WEEK, "--replace", "--user", "freezer"],
                args.seconds,
                freeze_log,
            ),
        ),
        threading.Thread(
            target=_command_loop,
            args=(
                [*opstui, "export", str(path), "--week", WEEK, "-o", str(export_file)],
                args.seconds,
                export_log,
            ),
        ),
    ]
    # The first freeze makes the week frozen, so later ones replace it.
    subprocess.run([*opstui, "freeze", str(path), "--week", WEEK], capture_output=True, check=False)
    started = time.monotonic()
    for process in workers:
        process.start()
    for loop in loops:
        loop.start()
    for process in workers:
        process.join()
    for loop in loops:
        loop.join()
    wall = time.monotonic() - started

    logs = []
    for output in outputs:
        if not output.exists():
            print(f"{output.name}: the worker ended without its log", file=sys.stderr)
            return 1
        logs.append(WorkerLog(**json.loads(output.read_text(encoding="utf-8"))))
    checks = _verify(path, logs)
    latencies = sorted(ms for log in logs for ms in (w["ms"] for w in log.writes))
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else 0.0
    figures = {
        "processes": args.processes,
        "seconds": round(wall, 1),
        "bugs": args.bugs,
        "writes_acknowledged": len(latencies),
        "edits_refused_as_stale": sum(log.refused for log in logs),
        "reads": sum(log.reads for log in logs),
        "freezes": freeze_log.runs,
        "exports": export_log.runs,
        **checks,
        "locked_reaching_a_user": sum(log.locked for log in logs)
        + freeze_log.locked
        + export_log.locked,
        "other_errors": sum(len(log.other_errors) for log in logs)
        + len(freeze_log.failures)
        + len(export_log.failures),
        "write_ms_median": round(statistics.median(latencies), 1) if latencies else 0.0,
        "write_ms_p95": round(p95, 1),
        "write_ms_max": round(latencies[-1], 1) if latencies else 0.0,
    }
    for name, value in figures.items():
        print(f"{name:>26}: {value}")
    for failure in [*freeze_log.failures, *export_log.failures][:5]:
        print(f"  loop failure: {failure}")
    for log in logs:
        for error in log.other_errors[:2]:
            print(f"  {log.person}: {error}")
    passed = (
        checks["acknowledged_lost"] == 0
        and checks["lost_updates"] == 0
        and figures["locked_reaching_a_user"] == 0
        and figures["other_errors"] == 0
        and p95 <= P95_TARGET_MS
    )
    print("PASS" if passed else "MISS", f"(p95 target {P95_TARGET_MS:.0f} ms)")
    if args.json is not None:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
