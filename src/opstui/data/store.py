"""The repository: the only code that reads or writes a workspace's SQLite tables.

Models go in and come out; aggregates are computed in SQL. Every public method that writes
is one transaction, so a user action is stored whole or not at all.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Self, TypeVar

from pydantic import ValidationError

from opstui.data import history
from opstui.data.database import WorkspaceDatabase
from opstui.data.row_problems import ProblemLog, read_bad_row, row_name
from opstui.data.workspace import (
    close_readonly,
    create_workspace,
    open_reader,
    open_workspace,
    open_workspace_readonly,
)
from opstui.domain.enums import (
    DONE_BUG_STATUSES,
    OPEN_BUG_STATUSES,
)
from opstui.domain.history import Change, PersonChanges, StaleEditError, moment_words, person_words
from opstui.domain.models import (
    ActionItem,
    Bug,
    Company,
    Customer,
    Decision,
    FeatureRequest,
    FeedbackEntry,
    FollowUp,
    Kpis,
    MeetingNote,
    Model,
    NpsResponse,
    Person,
    PhaseChange,
    PlaybookCheck,
    PrereadSubmission,
    Product,
    Project,
    ReviewWeek,
    Risk,
    SavedFilter,
    Submission,
)
from opstui.domain.text import clean_line, clean_stored
from opstui.domain.weeks import week_monday
from opstui.domain.wording import field_label

ModelT = TypeVar("ModelT", bound=Model)

TABLES: dict[type[Model], str] = {
    Company: "companies",
    Product: "products",
    Person: "people",
    Project: "projects",
    PhaseChange: "phase_changes",
    Bug: "bugs",
    Customer: "customers",
    NpsResponse: "nps_responses",
    FeedbackEntry: "feedback",
    FeatureRequest: "feature_requests",
    ActionItem: "action_items",
    Decision: "decisions",
    Risk: "risks",
    SavedFilter: "saved_filters",
}
"""Entities with an integer `id`, and the table each lives in."""

KEYED_TABLES: dict[type[Model], tuple[str, tuple[str, ...]]] = {
    ReviewWeek: ("review_weeks", ("week",)),
    Kpis: ("kpis", ("week",)),
    Submission: ("submissions", ("week", "person_id", "part")),
    PrereadSubmission: ("preread_submissions", ("week", "person_id")),
    PlaybookCheck: ("playbook_checks", ("bug_id", "step")),
    MeetingNote: ("meeting_notes", ("week", "section")),
    FollowUp: ("follow_ups", ("week", "day")),
}
"""Entities identified by natural keys, with their table and key columns."""

_OPEN = ", ".join(f"'{status.value}'" for status in OPEN_BUG_STATUSES)
_DONE = ", ".join(f"'{status.value}'" for status in DONE_BUG_STATUSES)
_RETIRED_CUSTOMERS = "SELECT id FROM customers WHERE retired_on IS NOT NULL"


def stale_edit_message(
    kind: str,
    stored: dict[str, Any],
    fields: Sequence[str],
    by: Change | None = None,
) -> str:
    """Why an edit was refused, in words: who changed which fields, to what, and when."""
    name = stored.get("name") or stored.get("title") or stored.get("what") or stored.get("risk")
    what = f"{kind.lower()} '{clean_line(str(name))}'" if name else kind.lower()
    changes = ", ".join(
        f"{field_label(field).lower()} to {clean_line(str(stored.get(field) or '—'))}"
        for field in fields
    )
    who, when = "someone else", ""
    if by is not None:
        who, when = person_words(by), f" ({moment_words(by.at)})"
    return f"{who} changed {what}{when} after you opened it: {changes}"


class NotFoundError(LookupError):
    """The row an update or delete names does not exist (any more)."""


def _record(model: Model) -> dict[str, Any]:
    """The row for `model`, validated again: a `model_copy(update=...)` skips validation,
    and nothing unvalidated (control characters included) may reach the file."""
    model = type(model).model_validate(model.model_dump())
    record = model.model_dump(mode="json")
    if record.get("id") is None:
        record.pop("id", None)
    return record


def record_of(model: Model) -> dict[str, Any]:
    """The row `model` is stored as, validated again (see `Store.add_sorted`)."""
    return _record(model)


def _sql_literal(value: Any) -> str:
    """`value` (None, a number, a bool or text) written as an SQL literal."""
    if value is None:
        return "NULL"
    if isinstance(value, bool | int):
        return str(int(value))
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no SQL literal for {type(value).__name__}")


@dataclass
class _BulkLoad:
    """A bulk load in progress (`Store.adding_in_bulk`)."""

    table: str
    before: int
    """The table's highest rowid when it began: later rows are the load's."""
    empty: bool
    searches: dict[str, list[str]] = field(default_factory=dict)
    deferred: list[str] | None = None
    """What was dropped for the load, to make again at its end (None: nothing yet)."""


class Store:
    """What every part of the repository shares: the open workspace, its connection, the
    generic reads and writes of any model, edits that never overwrite a newer one, and who
    changed what. The aggregates build on it; `Repository` is all of them."""

    def __init__(self, db: WorkspaceDatabase, path: Path | None = None) -> None:
        self.db = db
        self.path = path
        self._readonly_sidecars: list[Path] | None = None
        self.problems = ProblemLog()
        """Rows read so far that break the model (see `row_problems`), to report once."""
        # Every string read from the file, whatever table or meta key it comes from and
        # whoever wrote it, is cleaned of control characters before anything can show it.
        db.conn.text_factory = clean_stored
        self.person: str | None = None
        """Who this session's writes are recorded as (`record_history`)."""
        self.recording = False
        self.history_shift_days = 0
        self._bulk: dict[str, _BulkLoad] = {}
        """Tables in a bulk load (`adding_in_bulk`)."""

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, check_later: bool = False) -> Self:
        """Open an existing workspace (see `open_workspace` for what is refused; with
        `check_later`, damage is refused at the first write, after the first screen)."""
        return cls(open_workspace(path, check_later=check_later), Path(path))

    @classmethod
    def open_readonly(cls, path: str | os.PathLike[str]) -> Self:
        """Open an up-to-date workspace for reading only (see `open_workspace_readonly`)."""
        db, created = open_workspace_readonly(path)
        repo = cls(db, Path(path))
        repo._readonly_sidecars = created
        return repo

    @classmethod
    def create(cls, path: str | os.PathLike[str], *, make_dirs: bool = False) -> Self:
        """Create a new, empty workspace."""
        return cls(create_workspace(path, make_dirs=make_dirs), Path(path))

    def reader(self) -> Self:
        """A read-only repository on a connection of its own, over the same file (see
        `open_reader`); rows that break the model go to this repository's log."""
        if self.path is None:
            raise ValueError("a workspace without a file has no second connection")
        reader = type(self)(open_reader(self.path), self.path)
        reader.problems = self.problems
        return reader

    def close(self) -> None:
        if self._readonly_sidecars is not None:
            close_readonly(self.db, self._readonly_sidecars)
        else:
            self.db.close()

    # -- who changed what ----------------------------------------------------------------

    def record_history(self, person: str | None, *, shift_days: int | None = None) -> None:
        """Record every write of this repository from now on as `person`'s, each in the
        transaction of its write (see `data/history.py`), stamped `shift_days` from the
        clock's day (default: as before). Calling it again changes who."""
        if shift_days is not None:
            self.history_shift_days = shift_days
        history.record_history(self.db.conn, person, self.history_shift_days)
        self.person = person
        self.recording = True

    def history_of(self, model: type[Model], key: int | str, *, limit: int = 50) -> list[Change]:
        """The latest recorded writes of one record, newest first."""
        return history.changes_of(self.db.conn, self._table_of(model), key, limit=limit)

    def people_changes(self, week: str) -> list[PersonChanges]:
        """Who changed what during the ISO `week` (on this machine's clock), busiest first."""
        monday = datetime.combine(week_monday(week), datetime.min.time())
        return history.people_changes(self.db.conn, monday, monday + timedelta(days=7))

    @property
    def name(self) -> str:
        """The workspace's display name: its `name` meta entry, or its file name."""
        stored = clean_line(self.meta("name") or "")
        if stored:
            return stored
        # A file name can hold anything a meta value can.
        return clean_line(self.path.stem) if self.path is not None else "workspace"

    # -- generic --------------------------------------------------------------------------

    def _rows(
        self, sql: str, params: Sequence[Any] | dict[str, Any] = ()
    ) -> Iterator[dict[str, Any]]:
        return self.db.query(sql, params)

    def _models(
        self, model: type[ModelT], sql: str, params: Sequence[Any] | dict[str, Any] = ()
    ) -> list[ModelT]:
        validate = model.model_validate
        found: list[ModelT] = []
        for row in self._rows(sql, params):
            # A valid row costs one validation; only a failed one takes the slow path.
            try:
                found.append(validate(row))
            except ValidationError as error:
                found.append(self._read_bad_row(model, row, error))
        return found

    def _read_bad_row(
        self, model: type[ModelT], row: dict[str, Any], error: ValidationError
    ) -> ModelT:
        """A row another tool or version wrote that breaks the model: read with stand-ins for
        its bad fields, its problems logged to be reported once."""
        entity, problems = read_bad_row(
            model, row, error, self._table_of(model), row_name(row, self._key_of(model))
        )
        self.problems.add(problems)
        return entity

    @staticmethod
    def _key_of(model: type[Model]) -> tuple[str, ...]:
        return KEYED_TABLES[model][1] if model in KEYED_TABLES else ("id",)

    def add(self, model: ModelT) -> ModelT:
        """Store a new entity; returns it with its id (or as stored, for keyed entities)."""
        with self.db.atomic():
            return self._insert(model)

    def add_many(self, models: Iterable[Model]) -> None:
        """Store many new entities of one kind in one transaction (imports, the generator)."""
        with self.db.atomic():
            batch: list[dict[str, Any]] = []
            table = ""
            for model in models:
                kind = self._table_of(type(model))
                if table and kind != table:
                    raise ValueError("add_many takes entities of one kind")
                table = kind
                batch.append(_record(model))
            if batch:
                self.db.table(table).insert_all(batch, batch_size=2000)

    def add_sorted(
        self,
        model: type[Model],
        records: Iterable[dict[str, Any]],
        columns: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        order_by: Sequence[str],
    ) -> None:
        """Store many new entities of one kind, their ids given in `order_by` order (ties in
        the order given, `records` first), in one transaction (the generator).

        `records` are rows of validated models (`record_of`); `rows` are values of `columns`
        that the caller made valid by construction, every other column taking the model's
        default. Both are streamed through a temporary table that SQLite sorts, so no more
        than one row is ever in memory, whatever the number of rows.
        """
        fields = [name for name in model.model_fields if name != "id"]
        unknown = set(columns).difference(fields) | set(order_by).difference(fields)
        if unknown:
            raise ValueError(f"{model.__name__} has no field {sorted(unknown)[0]}")
        defaults = {
            name: info.get_default(call_default_factory=True)
            for name, info in model.model_fields.items()
            if name in fields and name not in columns
        }
        table = self._table_of(model)
        listed = ", ".join(f"[{name}]" for name in fields)
        declared = ", ".join(
            f"[{name}] DEFAULT {_sql_literal(defaults[name])}" if name in defaults else f"[{name}]"
            for name in fields
        )
        given = ", ".join(f"[{name}]" for name in columns)
        conn = self.db.conn
        with self.db.atomic():
            # Into an empty table, its indexes and triggers are built once at the end (the
            # trigram index of titles in one pass), far faster than row by row.
            empty = conn.execute(f"SELECT 1 FROM [{table}] LIMIT 1").fetchone() is None
            deferred = self._drop_indexes_and_triggers(table) if empty else []
            conn.execute("DROP TABLE IF EXISTS temp.sorted_rows")
            conn.execute(f"CREATE TEMP TABLE sorted_rows (seq INTEGER PRIMARY KEY, {declared})")
            conn.executemany(
                f"INSERT INTO temp.sorted_rows ({listed}) "
                f"VALUES ({', '.join('?' for _ in fields)})",
                (tuple(record.get(name) for name in fields) for record in records),
            )
            # sqlite3 reads the rows one at a time as it inserts them: nothing is collected.
            conn.executemany(
                f"INSERT INTO temp.sorted_rows ({given}) "
                f"VALUES ({', '.join('?' for _ in columns)})",
                rows,
            )
            order = ", ".join(f"[{name}]" for name in order_by)
            conn.execute(
                f"INSERT INTO [{table}] ({listed}) "
                f"SELECT {listed} FROM temp.sorted_rows ORDER BY {order}, seq"
            )
            conn.execute("DROP TABLE temp.sorted_rows")
            for statement in deferred:
                conn.execute(statement)
            if deferred:
                for (search,) in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE ?",
                    [f"CREATE VIRTUAL TABLE % USING fts5(%content='{table}'%"],
                ).fetchall():
                    conn.execute(f"INSERT INTO [{search}] ([{search}]) VALUES ('rebuild')")

    @contextmanager
    def adding_in_bulk(self, model: type[Model]) -> Iterator[None]:
        """Rows `insert_many_validated` adds to `model`'s table in the block (inside the
        caller's transaction) are indexed once at its end: each full-text index of the
        table in one statement instead of a trigger call per row (ten times faster for
        100,000 bug titles) and, when the table started empty, its sort indexes built once.
        Unique indexes stay in place, so what they guard is guarded throughout; a block
        that adds no row changes nothing in the file."""
        conn = self.db.conn
        assert conn.in_transaction, "a bulk load runs inside its transaction"
        table = self._table_of(model)
        (before,) = conn.execute(f"SELECT coalesce(max(rowid), 0) FROM [{table}]").fetchone()
        empty = conn.execute(f"SELECT 1 FROM [{table}] LIMIT 1").fetchone() is None
        bulk = _BulkLoad(table, int(before), empty)
        self._bulk[table] = bulk
        try:
            yield
        finally:
            del self._bulk[table]
            if bulk.deferred is not None:
                for search, columns in bulk.searches.items():
                    listed = ", ".join(f"[{column}]" for column in columns)
                    conn.execute(
                        f"INSERT INTO [{search}] (rowid, {listed}) SELECT rowid, {listed} "
                        f"FROM [{table}] WHERE rowid > ? ORDER BY rowid",
                        [bulk.before],
                    )
                for sql in bulk.deferred:
                    conn.execute(sql)

    def _defer_indexing(self, bulk: _BulkLoad) -> None:
        """Before a bulk load's first rows: drop what `adding_in_bulk` builds at the end."""
        conn = self.db.conn
        # Rows added before now were indexed by the triggers as they came.
        (bulk.before,) = conn.execute(
            f"SELECT coalesce(max(rowid), 0) FROM [{bulk.table}]"
        ).fetchone()
        bulk.searches = {
            str(name): [
                str(column)
                for (column,) in conn.execute("SELECT name FROM pragma_table_info(?)", [name])
            ]
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE ?",
                [f"CREATE VIRTUAL TABLE % USING fts5(%content='{bulk.table}'%"],
            )
        }
        found = conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ? "
            "AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY rowid",
            [bulk.table],
        ).fetchall()
        bulk.deferred = []
        for kind, name, sql in found:
            words = f" {' '.join(str(sql).upper().split())} "
            feeds_search = (
                kind == "trigger"
                and " AFTER INSERT " in words
                and any(search.upper() in words for search in bulk.searches)
            )
            sort_index = kind == "index" and bulk.empty and " UNIQUE " not in words
            if feeds_search or sort_index:
                conn.execute(f"DROP {str(kind).upper()} [{name}]")
                bulk.deferred.append(str(sql))

    def _drop_indexes_and_triggers(self, table: str) -> list[str]:
        """Drop `table`'s own indexes and triggers; the statements that make them again."""
        found = self.db.conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ? "
            "AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY rowid",
            [table],
        ).fetchall()
        for kind, name, _sql in found:
            self.db.conn.execute(f"DROP {kind.upper()} [{name}]")
        return [str(sql) for _kind, _name, sql in found]

    def _table_of(self, model: type[Model]) -> str:
        if model in TABLES:
            return TABLES[model]
        return KEYED_TABLES[model][0]

    def _insert(self, model: ModelT) -> ModelT:
        table = self.db.table(self._table_of(type(model)))
        table.insert(_record(model))
        if type(model) in TABLES:
            return model.model_copy(update={"id": table.last_pk})
        return model

    def update(self, model: Model) -> None:
        """Replace a stored entity's fields with the model's, in one transaction."""
        with self.db.atomic():
            self._update(model)

    def _update(self, model: Model) -> None:
        kind = type(model)
        if kind in TABLES:
            entity_id = getattr(model, "id", None)
            if entity_id is None:
                raise NotFoundError(f"{kind.__name__} has no id; add it first")
            cursor = self.db.execute(
                self._update_sql(TABLES[kind], ("id",), _record(model)),
                {**_record(model), "id": entity_id},
            )
        else:
            table, keys = KEYED_TABLES[kind]
            cursor = self.db.execute(self._update_sql(table, keys, _record(model)), _record(model))
        if cursor.rowcount == 0:
            raise NotFoundError(f"{kind.__name__} no longer exists")
        self._repaired(model)

    def _repaired(self, model: Model) -> None:
        """Every column of the row was written from a valid model: its problems are gone."""
        kind = type(model)
        keys = self._key_of(kind)
        name = row_name({key: getattr(model, key) for key in keys}, keys)
        self.problems.forget(self._table_of(kind), name)

    @staticmethod
    def _update_sql(table: str, keys: tuple[str, ...], record: dict[str, Any]) -> str:
        columns = ", ".join(f"[{name}] = :{name}" for name in record if name not in keys)
        where = " AND ".join(f"[{name}] = :{name}" for name in keys)
        return f"UPDATE [{table}] SET {columns} WHERE {where}"

    def upsert(self, model: Model) -> None:
        """Store a keyed entity (a week's KPIs, a submission), replacing what was there."""
        table, keys = KEYED_TABLES[type(model)]
        with self.db.atomic():
            self.db.table(table).upsert(_record(model), pk=keys if len(keys) > 1 else keys[0])
        self._repaired(model)

    def delete(self, model: type[Model], entity_id: int) -> None:
        """Delete one entity by id (linked rows follow the schema's ON DELETE rules)."""
        with self.db.atomic():
            cursor = self.db.execute(f"DELETE FROM [{TABLES[model]}] WHERE id = ?", [entity_id])
            if cursor.rowcount == 0:
                raise NotFoundError(f"{model.__name__} {entity_id} no longer exists")

    # -- retiring and reassigning -----------------------------------------------------------

    def _references(self, model: type[Model]) -> list[tuple[str, str]]:
        """Every (table, column) whose foreign key points at `model`'s table."""
        target = TABLES[model]
        found = []
        for table in self.db.table_names():
            for key in self.db.execute(f"PRAGMA foreign_key_list([{table}])").fetchall():
                if key[2] == target:
                    found.append((table, str(key[3])))
        return sorted(found)

    def dependents(self, model: type[Model], entity_id: int) -> dict[str, int]:
        """What points at one entity: rows per referencing table and column (only those
        with rows), e.g. `{"projects.company_id": 5}`. Read from the schema's foreign keys,
        so nothing that depends on a record can be missed."""
        counts: dict[str, int] = {}
        for table, column in self._references(model):
            row = self.db.execute(
                f"SELECT count(*) FROM [{table}] WHERE [{column}] = ?", [entity_id]
            ).fetchone()
            if row[0]:
                counts[f"{table}.{column}"] = int(row[0])
        return counts

    def set_retired(self, model: type[Model], entity_id: int, on: date | None) -> None:
        """Retire one company, product, person or customer as of `on` (None brings it
        back): hidden from pickers, kept with everything that points at it."""
        if "retired_on" not in model.model_fields:
            raise ValueError(f"{model.__name__} cannot be retired")
        with self.db.atomic():
            cursor = self.db.execute(
                f"UPDATE [{TABLES[model]}] SET retired_on = ? WHERE id = ?",
                [on.isoformat() if on else None, entity_id],
            )
            if cursor.rowcount == 0:
                raise NotFoundError(f"{model.__name__} {entity_id} no longer exists")

    def reassign_and_delete(self, model: type[Model], entity_id: int, to_id: int) -> None:
        """Point everything that refers to one entity at another, then delete it: one
        transaction, so a clash (a product name the other company has too) changes nothing."""
        if entity_id == to_id:
            raise ValueError("choose another record to hand its links to")
        with self.db.atomic():
            if self.get(model, to_id) is None:
                raise NotFoundError(f"{model.__name__} {to_id} no longer exists")
            for table, column in self._references(model):
                # A link both records already have is kept once (the old one goes with the
                # delete); any other clash fails the whole step.
                linked = column in self.db.table(table).pks
                self.db.execute(
                    f"UPDATE {'OR IGNORE ' if linked else ''}[{table}] SET [{column}] = ?"
                    f" WHERE [{column}] = ?",
                    [to_id, entity_id],
                )
            cursor = self.db.execute(f"DELETE FROM [{TABLES[model]}] WHERE id = ?", [entity_id])
            if cursor.rowcount == 0:
                raise NotFoundError(f"{model.__name__} {entity_id} no longer exists")

    def get(self, model: type[ModelT], entity_id: int) -> ModelT | None:
        rows = self._models(model, f"SELECT * FROM [{TABLES[model]}] WHERE id = ?", [entity_id])
        return rows[0] if rows else None

    def all(self, model: type[ModelT], order_by: str = "id") -> list[ModelT]:
        return self._models(model, f"SELECT * FROM [{self._table_of(model)}] ORDER BY {order_by}")

    def count(self, model: type[Model]) -> int:
        return int(self.db.execute(f"SELECT count(*) FROM [{self._table_of(model)}]").fetchone()[0])

    # -- meta -----------------------------------------------------------------------------

    def data_version(self) -> int:
        """SQLite's count of commits by other connections: it changes when another process
        has written the file."""
        return int(self.db.execute("PRAGMA data_version").fetchone()[0])

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self.db.atomic():
            self.db.table("meta").upsert({"key": key, "value": clean_line(value)}, pk="key")

    # -- edits that never overwrite someone else's ------------------------------------------

    def save_changes(self, original: ModelT, edited: ModelT) -> ModelT:
        """Store only the fields `edited` changes from `original` (the copy the user saw),
        and only if none of them changed in the file since it was read — by another
        terminal, the projector, a browser session. Someone else's edit of those fields is
        never overwritten (StaleEditError names them) and their edits of other fields are
        kept. Returns the record as now stored. One transaction."""
        with self.db.atomic():
            return self._save_changes(original, edited)

    def save_edit(self, original: ModelT | None, edited: ModelT) -> ModelT:
        """An edited record: `save_changes` against the copy the form was opened on, or a
        plain update when there is none."""
        if original is None:
            self.update(edited)
            return edited
        return self.save_changes(original, edited)

    def save_changes_many(self, pairs: Sequence[tuple[ModelT, ModelT]]) -> list[ModelT]:
        """`save_changes` for several records as one change: all of them or none (a bulk
        triage decision, its undo)."""
        with self.db.atomic():
            return [self._save_changes(original, edited) for original, edited in pairs]

    def _save_changes(self, original: ModelT, edited: ModelT) -> ModelT:
        kind = type(edited)
        if kind in KEYED_TABLES:  # a week's KPIs, a submission: found by its key columns
            table, keys = KEYED_TABLES[kind]
        elif kind in TABLES and getattr(edited, "id", None) is not None:
            table, keys = TABLES[kind], ("id",)
        else:
            raise NotFoundError(f"{kind.__name__} has no id; add it first")
        key = {name: getattr(edited, name) for name in keys}
        key_values = edited.model_dump(mode="json", include=set(keys))
        where = " AND ".join(f"[{name}] = :_key_{name}" for name in keys)
        parameters = {f"_key_{name}": value for name, value in key_values.items()}
        found = self._models(kind, f"SELECT * FROM [{table}] WHERE {where}", parameters)
        if not found:
            raise NotFoundError(f"{kind.__name__} {row_name(key, keys)} no longer exists")
        entity_id = "/".join(str(value) for value in key_values.values())
        stored = found[0].model_dump(mode="json")
        # A field the stored row could not give (`row_problems`) is written from the edit
        # whatever it holds, which repairs the row; a value that breaks the model is nobody's
        # edit to protect.
        unreadable = set(original.row_problems) | set(found[0].row_problems)
        seen = original.model_dump(mode="json")
        changed = {
            name: value
            for name, value in _record(edited).items()
            if name not in keys and (seen.get(name) != value or name in unreadable)
        }
        clashes = [
            name
            for name in changed
            if name not in unreadable
            and stored.get(name) != seen.get(name)
            and stored.get(name) != changed[name]
        ]
        if clashes:
            by = history.last_change_of_fields(self.db.conn, table, entity_id, clashes)
            raise StaleEditError(stale_edit_message(kind.__name__, stored, clashes, by), found[0])
        if changed:
            assignments = ", ".join(f"[{name}] = :{name}" for name in changed)
            self.db.execute(
                f"UPDATE [{table}] SET {assignments} WHERE {where}", {**changed, **parameters}
            )
        if unreadable:
            self._repaired(edited)
        try:
            return kind.model_validate({**stored, **changed})
        except ValidationError:  # a stored row that breaks the model: keep what was typed
            return edited

    # -- imports and table exports ---------------------------------------------------------

    def rows_by_source_key(
        self, model: type[Model], keys: Sequence[str], columns: Sequence[str] = ()
    ) -> dict[str, dict[str, Any]]:
        """The stored rows of `model`'s table with these source keys, by key (one query):
        every column, or only `columns` (which must name `source_key`)."""
        if not keys:
            return {}
        unknown = set(columns) - set(model.model_fields)
        if unknown:
            raise ValueError(f"not columns of {model.__name__}: {sorted(unknown)}")
        wanted = ", ".join(f"[{name}]" for name in columns) if columns else "*"
        marks = ", ".join("?" for _ in keys)
        rows = self._rows(
            f"SELECT {wanted} FROM [{TABLES[model]}] WHERE source_key IN ({marks})", list(keys)
        )
        return {row["source_key"]: row for row in rows}

    def rows_by_ids(self, model: type[Model], ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """The stored rows of `model`'s table with these ids, by id (one query)."""
        if not ids:
            return {}
        unique = list(dict.fromkeys(ids))
        marks = ", ".join("?" for _ in unique)
        rows = self._rows(f"SELECT * FROM [{TABLES[model]}] WHERE id IN ({marks})", unique)
        return {row["id"]: row for row in rows}

    def insert_validated(self, model: Model) -> int:
        """Store a new entity that was validated when it was built (an import's rows, by the
        thousand: `add` validates each one again); returns its id. Call it inside
        `db.atomic()`."""
        record = model.model_dump(mode="json")
        if record.get("id") is None:
            record.pop("id", None)
        columns = ", ".join(f"[{name}]" for name in record)
        marks = ", ".join("?" for _ in record)
        cursor = self.db.execute(
            f"INSERT INTO [{TABLES[type(model)]}] ({columns}) VALUES ({marks})",
            list(record.values()),
        )
        return int(cursor.lastrowid or 0)

    def insert_many_validated(self, models: Sequence[Model]) -> None:
        """Store new entities of one kind, validated when they were built, in one statement
        (`insert_validated`, without the ids)."""
        if not models:
            return
        records = [model.model_dump(mode="json") for model in models]
        columns = [name for name in records[0] if name != "id"]
        names = ", ".join(f"[{name}]" for name in columns)
        marks = ", ".join("?" for _ in columns)
        table = TABLES[type(models[0])]
        bulk = self._bulk.get(table)
        if bulk is not None and bulk.deferred is None:
            self._defer_indexing(bulk)
        with history.created_in_bulk(self.db.conn, table):
            self.db.conn.executemany(
                f"INSERT INTO [{table}] ({names}) VALUES ({marks})",
                [[record[name] for name in columns] for record in records],
            )

    def ids_by_source_key(self, model: type[Model], keys: Sequence[str]) -> dict[str, int]:
        """The ids of `model`'s stored rows with these source keys, by key (one query)."""
        if not keys:
            return {}
        marks = ", ".join("?" for _ in keys)
        return {
            str(key): int(entity_id)
            for entity_id, key in self.db.execute(
                f"SELECT id, source_key FROM [{TABLES[model]}] WHERE source_key IN ({marks})",
                list(keys),
            ).fetchall()
        }

    def update_columns(self, model: type[Model], entity_id: int, changes: dict[str, Any]) -> None:
        """Write some columns of one stored entity (values as `model_dump(mode="json")` gives
        them, already validated with the rest of the row). Call it inside `db.atomic()`."""
        unknown = set(changes) - set(model.model_fields)
        if unknown or "id" in changes:
            raise ValueError(f"not columns of {model.__name__}: {sorted(unknown)}")
        columns = ", ".join(f"[{name}] = ?" for name in changes)
        cursor = self.db.execute(
            f"UPDATE [{TABLES[model]}] SET {columns} WHERE id = ?", [*changes.values(), entity_id]
        )
        if cursor.rowcount == 0:
            raise NotFoundError(f"{model.__name__} {entity_id} no longer exists")

    def table_rows(self, what: str) -> Iterator[dict[str, Any]]:
        """Every row of one kind of record, with the names of what it points at, in id
        order: the rows of `opstui export --format csv|json --what WHAT`."""
        yield from self._rows(_TABLE_EXPORTS[what])

    def table_columns(self, what: str) -> list[str]:
        """The column names of `table_rows(what)`, without reading a row."""
        cursor = self.db.execute(f"SELECT * FROM ({_TABLE_EXPORTS[what]}) LIMIT 0")
        return [str(column[0]) for column in cursor.description]


_NAMES_OF_CUSTOMERS = (
    "(SELECT group_concat(name, '; ') FROM (SELECT cu.name FROM bug_customers bc "
    "JOIN customers cu ON cu.id = bc.customer_id WHERE bc.bug_id = b.id ORDER BY cu.name, cu.id))"
)
_TABLE_EXPORTS: dict[str, str] = {
    "bugs": "SELECT b.id, b.source_key AS key, b.title, b.description, c.name AS company, "
    "p.name AS product, b.priority, b.status, b.opened_at AS opened, b.resolved_at AS resolved, "
    "a.name AS assignee, pr.name AS project, b.duplicate_of, b.snoozed_until, "
    f"b.security_flag AS security, {_NAMES_OF_CUSTOMERS} AS customers, b.customers_affected, "
    "b.revenue_impact, b.root_cause, b.expected_fix_date, b.prevention FROM bugs b "
    "LEFT JOIN companies c ON c.id = b.company_id LEFT JOIN products p ON p.id = b.product_id "
    "LEFT JOIN people a ON a.id = b.assignee_id LEFT JOIN projects pr ON pr.id = b.project_id "
    "ORDER BY b.id",
    "customers": "SELECT cu.id, cu.source_key AS key, cu.name, c.name AS company, cu.arr, "
    "m.name AS csm, cu.renewal_date AS renewal, cu.seats, cu.active_users, "
    "cu.critical_features_used AS critical_features, cu.tickets_this_week, "
    "cu.tickets_last_week, cu.churn_risk, cu.escalated, cu.escalation_note, cu.retired_on "
    "FROM customers cu LEFT JOIN companies c ON c.id = cu.company_id "
    "LEFT JOIN people m ON m.id = cu.csm_id ORDER BY cu.id",
    "projects": "SELECT pr.id, pr.source_key AS key, pr.name, c.name AS company, "
    "p.name AS product, pr.phase, pr.progress, pr.status, pr.next_milestone, pr.milestone_date, "
    "pr.risk, pr.completion_date, pr.baseline_completion, pm.name AS pm, lead.name AS lead, "
    "pr.cpto_input, pr.problem, pr.interviews_done, pr.key_findings, pr.market_validation, "
    "pr.go_no_go_date, pr.scope_finalised, pr.scope_remaining, pr.feasibility, "
    "pr.resource_requirements, pr.dev_start_date, pr.sprint_current, pr.sprint_total, "
    "pr.velocity_trend, pr.quality_gates, pr.key_blockers, pr.beta_feedback, pr.launch_phase, "
    "pr.adoption_pct, pr.business_impact_arr, pr.satisfaction, pr.support_impact "
    "FROM projects pr LEFT JOIN companies c ON c.id = pr.company_id "
    "LEFT JOIN products p ON p.id = pr.product_id LEFT JOIN people pm ON pm.id = pr.pm_id "
    "LEFT JOIN people lead ON lead.id = pr.lead_id ORDER BY pr.id",
    "actions": "SELECT ai.id, ai.what, o.name AS owner, ai.due_date, c.name AS company, "
    "ai.priority, ai.status, ai.week, ai.closed_on FROM action_items ai "
    "LEFT JOIN people o ON o.id = ai.owner_id LEFT JOIN companies c ON c.id = ai.company_id "
    "ORDER BY ai.id",
    "decisions": "SELECT id, what, context, recommendation, kind, category, week, raised_at, "
    "decided_at FROM decisions ORDER BY id",
    "risks": "SELECT r.id, r.risk, o.name AS owner, r.mitigation, r.status, pr.name AS project, "
    "c.name AS company FROM risks r LEFT JOIN people o ON o.id = r.owner_id "
    "LEFT JOIN projects pr ON pr.id = r.project_id LEFT JOIN companies c ON c.id = r.company_id "
    "ORDER BY r.id",
}
"""The rows `Repository.table_rows` gives, by what is exported."""
