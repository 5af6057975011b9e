"""Who changed what: every write of a session, recorded in the `history` table.

Recording is per connection and by SQLite itself: `record_history` installs TEMP triggers
on the workspace's tables for the connection of one person's session. Each insert, update
and delete of a row then adds one `history` row — the person, the time (UTC), the table and
the row's key, and for an update each changed field as `[before, after]` — inside the same
transaction as the write, so a write and its history are stored together or not at all.
Whatever path writes (a form, a triage key, an undo, an import), nothing can forget it.

The triggers live only in the connection (TEMP), never in the file: another tool writing
the workspace, or the sample generator, is not asked for functions it does not have.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from opstui.domain.history import Change, PersonChanges

TRACKED_TABLES = (
    "companies",
    "products",
    "people",
    "projects",
    "phase_changes",
    "bugs",
    "bug_customers",
    "playbook_checks",
    "customers",
    "nps_responses",
    "feedback",
    "feature_requests",
    "request_customers",
    "review_weeks",
    "submissions",
    "preread_submissions",
    "kpis",
    "action_items",
    "decisions",
    "risks",
    "meeting_notes",
    "follow_ups",
    "saved_filters",
    "snapshots",
    "meta",
)
"""The tables whose writes are recorded (every table of the workspace's records)."""

UNRECORDED_COLUMNS = {("snapshots", "data")}
"""Columns too large to copy into the history: a snapshot's change is its week and time."""

_NOW = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now', (SELECT shift FROM temp.history_actor LIMIT 1))"
_ACTOR = "(SELECT person FROM temp.history_actor LIMIT 1)"


def _columns(conn: sqlite3.Connection, table: str) -> tuple[list[str], list[str]]:
    """The table's recorded columns and its key columns (in key order)."""
    rows = conn.execute(f"SELECT name, pk FROM pragma_table_info('{table}')").fetchall()
    columns = [name for name, _ in rows if (table, name) not in UNRECORDED_COLUMNS]
    keys = [name for name, pk in sorted(rows, key=lambda row: row[1]) if pk > 0]
    return columns, keys or [name for name, _ in rows]


def _key(row: str, keys: Sequence[str]) -> str:
    return " || '/' || ".join(f"CAST({row}.[{name}] AS TEXT)" for name in keys)


def _changed_fields(columns: Sequence[str]) -> str:
    """A JSON object of each changed column's [before, after], built in SQL (one flat
    concatenation: nested JSON calls overflow SQLite's parser on a wide table)."""
    parts = " || ".join(
        f"CASE WHEN old.[{name}] IS NOT new.[{name}] THEN ',' || json_quote('{name}') || ':' "
        f"|| json_array(old.[{name}], new.[{name}]) ELSE '' END"
        for name in columns
    )
    return f"'{{' || substr({parts or repr('')}, 2) || '}}'"


def _removed_fields(columns: Sequence[str]) -> str:
    """A JSON object of the deleted row's values."""
    return "json_object(" + ", ".join(f"'{name}', old.[{name}]" for name in columns) + ")"


def _trigger_sql(conn: sqlite3.Connection, table: str) -> list[str]:
    columns, keys = _columns(conn, table)
    insert = (
        "INSERT INTO history (at, person, entity, entity_key, action, changes) "
        f"VALUES ({_NOW}, {_ACTOR}, '{table}', {{key}}, '{{action}}', {{changes}});"
    )
    differs = " OR ".join(f"old.[{name}] IS NOT new.[{name}]" for name in columns) or "0"
    changed = _changed_fields(columns)
    removed = _removed_fields(columns)
    trigger = "CREATE TEMP TRIGGER IF NOT EXISTS [history_{table}_{event}] AFTER {event} ON "
    return [
        f"{trigger.format(table=table, event='insert')} main.[{table}] "
        f"BEGIN {insert.format(key=_key('new', keys), action='created', changes='NULL')} END",
        f"{trigger.format(table=table, event='update')} main.[{table}] WHEN {differs} "
        f"BEGIN {insert.format(key=_key('new', keys), action='changed', changes=changed)} END",
        f"{trigger.format(table=table, event='delete')} main.[{table}] "
        f"BEGIN {insert.format(key=_key('old', keys), action='deleted', changes=removed)} END",
    ]


def _installed(conn: sqlite3.Connection, name: str) -> bool:
    found = conn.execute(
        "SELECT 1 FROM temp.sqlite_master WHERE type = 'trigger' AND name = ?", [name]
    ).fetchone()
    return found is not None


@contextmanager
def created_in_bulk(conn: sqlite3.Connection, table: str) -> Iterator[None]:
    """Rows inserted into `table` in the block (inside one transaction, so nobody else
    adds rows meanwhile) are recorded with one statement at its end instead of a trigger
    call each: an import of 100,000 bugs pays a fraction of a second for its history."""
    trigger = f"history_{table}_insert"
    if not _installed(conn, trigger):
        yield
        return
    assert conn.in_transaction, "a bulk insert is recorded inside its transaction"
    (before,) = conn.execute(f"SELECT coalesce(max(rowid), 0) FROM main.[{table}]").fetchone()
    conn.execute(f"DROP TRIGGER temp.[{trigger}]")
    try:
        yield
    finally:
        _, keys = _columns(conn, table)
        conn.execute(
            "INSERT INTO main.history (at, person, entity, entity_key, action) "
            f"SELECT {_NOW}, {_ACTOR}, '{table}', {_key('t', keys)}, 'created' "
            f"FROM main.[{table}] AS t WHERE t.rowid > ? ORDER BY t.rowid",
            [before],
        )
        conn.execute(_trigger_sql(conn, table)[0])


def record_history(conn: sqlite3.Connection, person: str | None, shift_days: int = 0) -> None:
    """From now on, every write on `conn` is recorded as `person`'s (None: nobody named),
    at the clock's time moved by `shift_days` (a session on another "today", `--as-of`,
    records on that day, like everything else it stamps)."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS history_actor (person TEXT, shift TEXT)")
    conn.execute("DELETE FROM temp.history_actor")
    conn.execute("INSERT INTO temp.history_actor VALUES (?, ?)", [person, f"{shift_days:+d} days"])
    present = {
        name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    for table in TRACKED_TABLES:
        if table in present:
            for statement in _trigger_sql(conn, table):
                conn.execute(statement)
    if conn.in_transaction:  # the TEMP schema statements above opened none of the file's
        conn.commit()


def _change(row: sqlite3.Row | tuple[Any, ...]) -> Change:
    change_id, at, person, entity, key, action, changes = row
    stored = json.loads(changes or "{}")
    if action == "deleted":
        fields = {name: (value, None) for name, value in stored.items()}
    else:
        fields = {name: (pair[0], pair[1]) for name, pair in stored.items()}
    when = datetime.strptime(at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return Change(change_id, when, person, entity, key, action, fields)


_SELECT = "SELECT id, at, person, entity, entity_key, action, changes FROM history"


def changes_of(
    conn: sqlite3.Connection, entity: str, key: str | int, *, limit: int = 50
) -> list[Change]:
    """The latest writes of one row, newest first."""
    rows = conn.execute(
        f"{_SELECT} WHERE entity = ? AND entity_key = ? ORDER BY id DESC LIMIT ?",
        [entity, str(key), limit],
    ).fetchall()
    return [_change(row) for row in rows]


def last_change_of_fields(
    conn: sqlite3.Connection, entity: str, key: str | int, fields: Sequence[str]
) -> Change | None:
    """The newest recorded write of the row that changed one of `fields` (who and when)."""
    for change in changes_of(conn, entity, key, limit=200):
        if change.action != "changed" or any(name in change.fields for name in fields):
            return change
    return None


def _stamp(moment: datetime) -> str:
    # A naive time is the machine's local time, as everywhere else in the workspace.
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def people_changes(conn: sqlite3.Connection, start: datetime, end: datetime) -> list[PersonChanges]:
    """Who changed how many records of each kind in [start, end), busiest first."""
    found: dict[str | None, PersonChanges] = {}
    rows = conn.execute(
        "SELECT person, entity, count(*), max(at) FROM history WHERE at >= ? AND at < ? "
        "GROUP BY person, entity",
        [_stamp(start), _stamp(end)],
    )
    for person, entity, count, latest in rows:
        when = datetime.strptime(latest, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        item = found.setdefault(person, PersonChanges(person, {}, when))
        item.counts[entity] = count
        if when > item.latest:
            found[person] = PersonChanges(person, item.counts, when)
    return sorted(found.values(), key=lambda item: (-sum(item.counts.values()), item.person or ""))
