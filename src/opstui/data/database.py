"""The connection a repository works through: plain `sqlite3`, with sqlite-utils' way of
running statements, and sqlite-utils itself only where a table helper is needed.

Reads and most writes are plain SQL, which needs nothing but `sqlite3`; the table helpers
(`insert_all`, `upsert`, a table's keys) come from sqlite-utils, imported the first time a
write asks for one, so opening a workspace and showing its first screen never pay for it.

A workspace opened before its damage check ran (the app shows its first screen first) holds
that check here: until it has passed, every write transaction waits for it, and SQLite
itself refuses any other change to the file (an authorizer), so a damaged file is never
written to.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.db import Table

    from opstui.data.workspace import DamageCheck

Parameters = Sequence[Any] | dict[str, Any]

_TRANSACTION_CONTROL = {"BEGIN", "COMMIT", "END", "RELEASE", "ROLLBACK", "SAVEPOINT"}

# `sqlite3.SQLITE_*` action codes of statements that change the file's tables or schema.
_CHANGES = {
    sqlite3.SQLITE_INSERT,
    sqlite3.SQLITE_UPDATE,
    sqlite3.SQLITE_DELETE,
    sqlite3.SQLITE_CREATE_TABLE,
    sqlite3.SQLITE_CREATE_INDEX,
    sqlite3.SQLITE_CREATE_TRIGGER,
    sqlite3.SQLITE_CREATE_VIEW,
    sqlite3.SQLITE_CREATE_VTABLE,
    sqlite3.SQLITE_DROP_TABLE,
    sqlite3.SQLITE_DROP_INDEX,
    sqlite3.SQLITE_DROP_TRIGGER,
    sqlite3.SQLITE_DROP_VIEW,
    sqlite3.SQLITE_DROP_VTABLE,
    sqlite3.SQLITE_ALTER_TABLE,
    sqlite3.SQLITE_REINDEX,
    sqlite3.SQLITE_ANALYZE,
}


_SCHEMA_TABLES = {"sqlite_master", "sqlite_temp_master", "sqlite_schema", "sqlite_temp_schema"}


def first_keyword(sql: str) -> str:
    """The first keyword of a statement, upper-cased, past blanks, `;` and comments (as
    sqlite-utils reads it); empty when there is none."""
    i, n = 0, len(sql)
    while i < n:
        if sql[i].isspace() or sql[i] in (";", "\ufeff"):
            i += 1
        elif sql.startswith("--", i):
            newline = sql.find("\n", i)
            if newline == -1:
                return ""
            i = newline + 1
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            if end == -1:
                return ""
            i = end + 2
        else:
            break
    j = i
    while j < n and (sql[j].isalpha() or sql[j] == "_"):
        j += 1
    return sql[i:j].upper()


def unique_keys(keys: Sequence[str]) -> list[str]:
    """Column names made unique as sqlite-utils makes them: a repeated name gets `_2`, `_3`…
    (skipping a suffix another column has)."""
    taken = set(keys)
    if len(taken) == len(keys):
        return list(keys)
    seen: set[str] = set()
    result = []
    for key in keys:
        if key in seen:
            new_key, suffix = key, 2
            while new_key in seen or new_key in taken:
                new_key = f"{key}_{suffix}"
                suffix += 1
            key = new_key
        seen.add(key)
        result.append(key)
    return result


class WorkspaceDatabase:
    """A workspace's connection, with every write transaction begun IMMEDIATE.

    A deferred transaction that reads before it writes cannot wait for another process's
    write lock (SQLite fails it at once, to avoid a deadlock), so the busy timeout would
    never apply: two terminals and a `freeze` loop would see "database is locked". Taking
    the write lock first makes a writer wait its turn instead.
    """

    def __init__(self, conn: sqlite3.Connection, *, recursive_triggers: bool = True) -> None:
        self.conn = conn
        self.damage_check: DamageCheck | None = None
        """The damage check still to pass before the first write (`check_before_writing`);
        None once it has passed, or when it ran before the workspace was opened."""
        if recursive_triggers:
            self.execute("PRAGMA recursive_triggers=on;")

    # -- statements -------------------------------------------------------------------------

    def execute(self, sql: str, parameters: Parameters | None = None) -> sqlite3.Cursor:
        """Run one statement. A change made outside a transaction is committed at once; one
        inside a transaction becomes part of it."""
        conn = self.conn
        was_in_transaction = conn.in_transaction
        try:
            cursor = conn.execute(sql) if parameters is None else conn.execute(sql, parameters)
        except Exception:
            if not was_in_transaction and conn.in_transaction:
                conn.execute("ROLLBACK")  # never leave an implicit transaction open
            raise
        if (
            not was_in_transaction
            and conn.in_transaction
            and cursor.description is None
            and first_keyword(sql) not in _TRANSACTION_CONTROL
        ):
            conn.execute("COMMIT")
        return cursor

    def query(self, sql: str, parameters: Parameters | None = None) -> Iterator[dict[str, Any]]:
        """The rows of a query, as dictionaries by column name, read as they are iterated."""
        cursor = (
            self.conn.execute(sql) if parameters is None else self.conn.execute(sql, parameters)
        )
        if cursor.description is None:
            raise ValueError("query() is for statements that return rows; use execute()")
        keys = unique_keys([column[0] for column in cursor.description])
        return (dict(zip(keys, row, strict=True)) for row in cursor)

    # -- transactions -----------------------------------------------------------------------

    @contextmanager
    def atomic(self) -> Iterator[WorkspaceDatabase]:
        """One transaction (a savepoint inside one already open): all of the block's
        changes are stored, or none."""
        conn = self.conn
        if conn.in_transaction:
            savepoint = f"sqlite_utils_{secrets.token_hex(16)}"
            conn.execute(f"SAVEPOINT {savepoint};")
            try:
                yield self
            except BaseException:
                if conn.in_transaction:  # an error can end the whole transaction
                    conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint};")
                    conn.execute(f"RELEASE SAVEPOINT {savepoint};")
                raise
            conn.execute(f"RELEASE SAVEPOINT {savepoint};")
            return
        self.check_before_writing()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        try:
            conn.execute("COMMIT")
        except BaseException:
            self.rollback()
            raise

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def close(self) -> None:
        self.conn.close()

    # -- the damage check -------------------------------------------------------------------

    def check_later(self, check: DamageCheck) -> None:
        """Open for writing before `check` has run: until it passes, SQLite refuses every
        change to the file, and a write transaction first runs (or waits for) the check."""
        self.damage_check = check
        self.conn.set_authorizer(_refuse_changes_until(check))

    def check_before_writing(self) -> None:
        """Raise the `WorkspaceError` of a damaged workspace, after running the damage check
        (or waiting for the run under way) if it has not passed yet. Call it in the thread
        that uses this connection."""
        check = self.damage_check
        if check is None:
            return
        check.run()  # raises when the file is damaged, and each time after that
        self.checked()

    def checked(self) -> None:
        """The damage check has passed: writes go ahead without asking again."""
        if self.damage_check is not None and self.damage_check.passed:
            self.damage_check = None
            self.conn.set_authorizer(None)

    # -- sqlite-utils, for its table helpers --------------------------------------------------

    @cached_property
    def utils(self) -> Database:
        """sqlite-utils' `Database` on this connection, its transactions this one's."""
        return _utils_database(self)

    def table(self, name: str) -> Table:
        return self.utils.table(name)

    def __getitem__(self, name: str) -> Table:
        return self.utils.table(name)

    def table_names(self) -> list[str]:
        return self.utils.table_names()


def _refuse_changes_until(check: DamageCheck) -> Any:
    def authorize(
        action: int, table: str | None, _second: str | None, database: str | None, _: str | None
    ) -> int:
        # SQLite's own bookkeeping of the schema (reading a table-valued pragma, say) asks
        # too; a change to the schema is asked as the CREATE, DROP or ALTER it is.
        if (
            action in _CHANGES
            and database != "temp"
            and table not in _SCHEMA_TABLES
            and not check.passed
        ):
            return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK

    return authorize


def _utils_database(db: WorkspaceDatabase) -> Database:
    from sqlite_utils import Database

    class _Utils(Database):
        @contextmanager
        def atomic(self) -> Iterator[Database]:
            with db.atomic():
                yield self

    return _Utils(db.conn, execute_plugins=False, recursive_triggers=False)
