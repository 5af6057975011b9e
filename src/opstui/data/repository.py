"""The repository: the only code that reads or writes a workspace's SQLite tables.

Models go in and come out; aggregates are computed in SQL. Every public method that writes
is one transaction, so a user action is stored whole or not at all.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError
from sqlite_utils import Database

from opstui.data import history
from opstui.data.bug_queries import (
    BugListRow,
    BugQuery,
    count_bugs,
    page_bugs,
    titles_holding,
)
from opstui.data.row_problems import ProblemLog, read_bad_row, row_name
from opstui.data.workspace import (
    close_readonly,
    create_workspace,
    open_reader,
    open_workspace,
    open_workspace_readonly,
)
from opstui.domain.bugs import CompanyBugCounts
from opstui.domain.enums import (
    DONE_BUG_STATUSES,
    OPEN_BUG_STATUSES,
    PersonRole,
    Phase,
    PlaybookStep,
    Priority,
    RequestStatus,
    SubmissionPart,
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
    Product,
    Project,
    ReviewWeek,
    Risk,
    SavedFilter,
    Submission,
)
from opstui.domain.text import clean_json_escapes, clean_line, clean_stored
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
    """The row `model` is stored as, validated again (see `Repository.add_sorted`)."""
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


class Repository:
    """A workspace opened for reading and writing."""

    def __init__(self, db: Database, path: Path | None = None) -> None:
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

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> Repository:
        """Open an existing workspace (see `open_workspace` for what is refused)."""
        return cls(open_workspace(path), Path(path))

    @classmethod
    def open_readonly(cls, path: str | os.PathLike[str]) -> Repository:
        """Open an up-to-date workspace for reading only (see `open_workspace_readonly`)."""
        db, created = open_workspace_readonly(path)
        repo = cls(db, Path(path))
        repo._readonly_sidecars = created
        return repo

    @classmethod
    def create(cls, path: str | os.PathLike[str], *, make_dirs: bool = False) -> Repository:
        """Create a new, empty workspace."""
        return cls(create_workspace(path, make_dirs=make_dirs), Path(path))

    def reader(self) -> Repository:
        """A read-only repository on a connection of its own, over the same file (see
        `open_reader`); rows that break the model go to this repository's log."""
        if self.path is None:
            raise ValueError("a workspace without a file has no second connection")
        reader = Repository(open_reader(self.path), self.path)
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

    def changes_between(self, start: datetime, end: datetime) -> list[Change]:
        """Every recorded write in [start, end), oldest first."""
        return history.changes_between(self.db.conn, start, end)

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

    # -- people and companies -------------------------------------------------------------

    def companies(self) -> list[Company]:
        return self.all(Company, "name")

    def people(self, role: PersonRole | None = None) -> list[Person]:
        if role is None:
            return self.all(Person, "name")
        return self._models(Person, "SELECT * FROM people WHERE role = ? ORDER BY name", [role])

    def products(self, company_id: int | None = None) -> list[Product]:
        if company_id is None:
            return self.all(Product, "name")
        return self._models(
            Product, "SELECT * FROM products WHERE company_id = ? ORDER BY name", [company_id]
        )

    # -- projects -------------------------------------------------------------------------

    def projects(self) -> list[Project]:
        return self.all(Project, "name")

    def project_names(self) -> list[tuple[int, str, int]]:
        """(id, name, company id) of every project, by name: for pickers, without building
        a model per project."""
        return [
            # A company id another tool stored as text or NULL names no company.
            (int(row[0]), str(row[1] or ""), row[2] if isinstance(row[2], int) else 0)
            for row in self.db.execute(
                "SELECT id, name, company_id FROM projects ORDER BY name, id"
            ).fetchall()
        ]

    def phase_history(self, project_id: int | None = None) -> list[PhaseChange]:
        if project_id is None:
            return self.all(PhaseChange, "project_id, entered_on, id")
        return self._models(
            PhaseChange,
            "SELECT * FROM phase_changes WHERE project_id = ? ORDER BY entered_on, id",
            [project_id],
        )

    def add_project(self, project: Project, entered_on: date) -> Project:
        """Store a new project and record that it entered its phase on `entered_on`."""
        with self.db.atomic():
            stored = self._insert(project)
            assert stored.id is not None
            self._insert(
                PhaseChange(project_id=stored.id, phase=stored.phase, entered_on=entered_on)
            )
            return stored

    def save_project(
        self, project: Project, today: date, original: Project | None = None
    ) -> Project:
        """Store an edited project; a change of phase is recorded with today's date. With
        the `original` the user edited, only the fields they changed are written, and only
        if nobody changed those since (see `save_changes`)."""
        with self.db.atomic():
            assert project.id is not None
            before = self.get(Project, project.id)
            if before is None:
                raise NotFoundError(f"project {project.id} no longer exists")
            if original is not None:
                project = self._save_changes(original, project)
            else:
                self._update(project)
            if before.phase is not project.phase:
                self._insert(
                    PhaseChange(project_id=project.id, phase=project.phase, entered_on=today)
                )
            return project

    def move_phase(self, project_id: int, phase: Phase, on: date) -> Project:
        """Move a project to `phase` and record the transition with its date."""
        with self.db.atomic():
            project = self.get(Project, project_id)
            if project is None:
                raise NotFoundError(f"project {project_id} no longer exists")
            moved = project.model_copy(update={"phase": phase})
            self._update(moved)
            self._insert(PhaseChange(project_id=project_id, phase=phase, entered_on=on))
            return moved

    # -- bugs -----------------------------------------------------------------------------

    def escalation_bugs(self) -> list[Bug]:
        """Open bugs that trigger an escalation: P0/P1, or flagged security/compliance."""
        return self._models(
            Bug,
            f"SELECT * FROM bugs WHERE status IN ({_OPEN}) "
            "AND (priority IN ('P0', 'P1') OR security_flag) ORDER BY priority, opened_at",
        )

    def open_bug_count(self) -> int:
        row = self.db.execute(f"SELECT count(*) FROM bugs WHERE status IN ({_OPEN})").fetchone()
        return int(row[0])

    def search_bug_titles(self, query: str, limit: int) -> list[tuple[int, str]]:
        """Newest bugs whose title holds every word of `query` (for jumping to a bug)."""
        words = query.split()
        if not words:
            return []
        where, params = titles_holding(words)
        rows = self._rows(
            f"SELECT b.id, b.title FROM bugs b WHERE {where} ORDER BY b.opened_at DESC LIMIT ?",
            [*params, limit],
        )
        return [(row["id"], str(row["title"] or "")) for row in rows]

    def playbook_checks(self, bug_id: int) -> list[PlaybookCheck]:
        return self._models(
            PlaybookCheck,
            "SELECT * FROM playbook_checks WHERE bug_id = ? ORDER BY done_at",
            [bug_id],
        )

    def link_bug_customer(self, bug_id: int, customer_id: int) -> None:
        with self.db.atomic():
            self.db.table("bug_customers").insert(
                {"bug_id": bug_id, "customer_id": customer_id}, ignore=True
            )

    def bug_customer_ids(self, bug_id: int) -> list[int]:
        rows = self._rows("SELECT customer_id FROM bug_customers WHERE bug_id = ?", [bug_id])
        return [row["customer_id"] for row in rows]

    def add_bug(self, bug: Bug, customer_ids: Sequence[int] = ()) -> Bug:
        """Store a new bug and the customers it affects, in one transaction; returns the bug
        with its id.

        Raises `ValueError` when its product belongs to another company, `NotFoundError`
        when the product is gone; a linked record that is gone fails its foreign key.
        """
        with self.db.atomic():
            if bug.product_id is not None:
                product = self.get(Product, bug.product_id)
                if product is None:
                    raise NotFoundError(f"product {bug.product_id} no longer exists")
                if product.company_id != bug.company_id:
                    raise ValueError("the product belongs to another company")
            stored = self._insert(bug)
            links = [
                {"bug_id": stored.id, "customer_id": customer_id}
                for customer_id in dict.fromkeys(customer_ids)
            ]
            if links:
                self.db.table("bug_customers").insert_all(links)
            return stored

    def has_bugs(self) -> bool:
        """Whether the workspace holds any bug at all (one row read, at any size)."""
        return bool(self.db.execute("SELECT EXISTS (SELECT 1 FROM bugs)").fetchone()[0])

    # -- customers ------------------------------------------------------------------------

    def customers(self, *, retired: bool = False) -> list[Customer]:
        """Customers in service, by name; `retired=True` includes the retired ones (which
        pickers and live figures leave out, and history keeps)."""
        if retired:
            return self.all(Customer, "name")
        return self._models(
            Customer, "SELECT * FROM customers WHERE retired_on IS NULL ORDER BY name"
        )

    def nps_scores(self, *, retired: bool = False) -> dict[int, list[int]]:
        """The NPS survey scores of every customer in service (`retired=True`: of every
        customer), by customer id."""
        scores: dict[int, list[int]] = defaultdict(list)
        # A score another tool stored out of range or as text is left out (`check` names it).
        for row in self._rows(
            "SELECT customer_id, score FROM nps_responses "
            "WHERE typeof(score) = 'integer' AND score BETWEEN 0 AND 10 ORDER BY id"
        ):
            scores[row["customer_id"]].append(row["score"])
        if retired:
            return dict(scores)
        # Few customers are ever retired: leaving them out costs less than joining.
        gone = {row[0] for row in self.db.execute(_RETIRED_CUSTOMERS).fetchall()}
        return {customer: own for customer, own in scores.items() if customer not in gone}

    def nps_responses(self, customer_id: int) -> list[NpsResponse]:
        return self._models(
            NpsResponse,
            "SELECT * FROM nps_responses WHERE customer_id = ? ORDER BY responded_on DESC, id DESC",
            [customer_id],
        )

    def feedback(self, customer_id: int) -> list[FeedbackEntry]:
        """A customer's feedback log, newest first."""
        return self._models(
            FeedbackEntry,
            "SELECT * FROM feedback WHERE customer_id = ? ORDER BY logged_on DESC, id DESC",
            [customer_id],
        )

    def feature_requests(self) -> list[FeatureRequest]:
        return self.all(FeatureRequest, "title")

    def request_asker_ids(self) -> dict[int, list[int]]:
        """Customer ids who asked for each feature request."""
        askers: dict[int, list[int]] = defaultdict(list)
        for row in self._rows(
            "SELECT request_id, customer_id FROM request_customers ORDER BY request_id, customer_id"
        ):
            askers[row["request_id"]].append(row["customer_id"])
        return dict(askers)

    def customer_names(self) -> list[tuple[int, str, int]]:
        """(id, name, company id) of every customer not retired, by name: for pickers,
        without building a model per customer."""
        return [
            # A company id another tool stored as text or NULL names no company.
            (int(row[0]), str(row[1] or ""), row[2] if isinstance(row[2], int) else 0)
            for row in self.db.execute(
                "SELECT id, name, company_id FROM customers WHERE retired_on IS NULL "
                "ORDER BY name, id"
            ).fetchall()
        ]

    def support_tickets_this_week(self) -> int:
        """The support tickets this week of every customer in service, added up (a computed
        KPI; retired customers count in no live figure)."""
        # A count another tool stored as text or below zero is left out (`check` names it).
        row = self.db.execute(
            "SELECT coalesce(sum(tickets_this_week), 0) FROM customers WHERE retired_on IS NULL "
            "AND typeof(tickets_this_week) = 'integer' AND tickets_this_week >= 0"
        ).fetchone()
        return int(row[0])

    def shipped_request_count(self) -> int:
        """How many feature requests have the status shipped (a computed KPI)."""
        row = self.db.execute(
            "SELECT count(*) FROM feature_requests WHERE status = ?", [RequestStatus.SHIPPED.value]
        ).fetchone()
        return int(row[0])

    def link_request_customer(self, request_id: int, customer_id: int) -> None:
        with self.db.atomic():
            self.db.table("request_customers").insert(
                {"request_id": request_id, "customer_id": customer_id}, ignore=True
            )

    # -- the weekly review ----------------------------------------------------------------

    def review_weeks(self) -> list[ReviewWeek]:
        return self.all(ReviewWeek, "week")

    def latest_review_week(self) -> str | None:
        """The newest week that has review data (a review week, KPIs or a snapshot)."""
        row = self.db.execute(
            "SELECT max(week) FROM (SELECT week FROM review_weeks UNION ALL "
            "SELECT week FROM kpis UNION ALL SELECT week FROM snapshots) "
            # A week another tool stored as something else is no review week.
            "WHERE week GLOB '[0-9][0-9][0-9][0-9]-W[0-9][0-9]'"
        ).fetchone()
        return None if row[0] is None else str(row[0])

    def submissions(self, week: str) -> list[Submission]:
        return self._models(
            Submission, "SELECT * FROM submissions WHERE week = ? ORDER BY person_id, part", [week]
        )

    def kpis(self, week: str) -> Kpis | None:
        rows = self._models(Kpis, "SELECT * FROM kpis WHERE week = ?", [week])
        return rows[0] if rows else None

    def action_items(self, week: str | None = None) -> list[ActionItem]:
        if week is None:
            return self.all(ActionItem, "week, id")
        return self._models(
            ActionItem, "SELECT * FROM action_items WHERE week = ? ORDER BY id", [week]
        )

    def decisions(self, week: str | None = None) -> list[Decision]:
        if week is None:
            return self.all(Decision, "raised_at, id")
        return self._models(
            Decision, "SELECT * FROM decisions WHERE week = ? ORDER BY raised_at, id", [week]
        )

    def risks(self) -> list[Risk]:
        return self.all(Risk, "id")

    def snapshot_data(self, week: str) -> dict[str, Any] | None:
        """A frozen week's stored figures (JSON), or None when the week is not frozen."""
        row = self.db.execute("SELECT data FROM snapshots WHERE week = ?", [week]).fetchone()
        return None if row is None else dict(json.loads(clean_json_escapes(row[0])))

    def snapshot_weeks(self) -> list[str]:
        return [row["week"] for row in self._rows("SELECT week FROM snapshots ORDER BY week")]

    # -- the week's checklist ---------------------------------------------------------------

    def set_submission(
        self, week: str, person_id: int, part: SubmissionPart, at: datetime | None
    ) -> None:
        """Record a pre-read part as submitted at `at`, or not submitted (None)."""
        self.upsert(Submission(week=week, person_id=person_id, part=part, submitted_at=at))

    def review_week(self, week: str) -> ReviewWeek | None:
        rows = self._models(ReviewWeek, "SELECT * FROM review_weeks WHERE week = ?", [week])
        return rows[0] if rows else None

    def set_director_acceptance(
        self, week: str, director_id: int | None, at: datetime | None
    ) -> None:
        """The director accepts the week's pre-read at `at` (None takes it back)."""
        current = self.review_week(week) or ReviewWeek(week=week)
        self.upsert(
            current.model_copy(update={"director_id": director_id, "director_accepted_at": at})
        )

    def follow_ups(self, week: str) -> dict[str, datetime]:
        """The week's follow-up checkpoints that are done, by day."""
        rows = self._models(FollowUp, "SELECT * FROM follow_ups WHERE week = ?", [week])
        return {row.day: row.done_at for row in rows}

    def set_follow_up(self, week: str, day: str, at: datetime | None) -> None:
        """Check a follow-up checkpoint off at `at`, or clear it (None)."""
        with self.db.atomic():
            self.db.execute("DELETE FROM follow_ups WHERE week = ? AND day = ?", [week, day])
            if at is not None:
                self._insert(FollowUp(week=week, day=day, done_at=at))

    def meeting_notes(self, week: str) -> dict[str, str]:
        """The week's meeting notes, by agenda section."""
        rows = self._models(MeetingNote, "SELECT * FROM meeting_notes WHERE week = ?", [week])
        return {row.section: row.text for row in rows}

    def save_meeting_note(self, week: str, section: str, text: str) -> None:
        self.upsert(MeetingNote(week=week, section=section, text=text))

    # -- escalation candidates and snapshot parts -----------------------------------------

    def slipped_projects(self) -> list[Project]:
        """Projects whose completion date is later than their baseline (slip candidates)."""
        return self._models(
            Project,
            "SELECT * FROM projects WHERE completion_date > baseline_completion ORDER BY name",
        )

    def escalated_customers(self) -> list[Customer]:
        """Customers in service with their escalation flag raised."""
        return self._models(
            Customer,
            "SELECT * FROM customers WHERE escalated AND retired_on IS NULL ORDER BY name",
        )

    def snapshot_part(self, week: str, key: str) -> Any:
        """One top-level part of a week's stored snapshot, parsed by SQLite's JSON functions."""
        row = self.db.execute(
            "SELECT json_extract(data, '$.' || ?) FROM snapshots WHERE week = ?", [key, week]
        ).fetchone()
        if row is None or row[0] is None:
            return None
        value = row[0]
        if isinstance(value, str) and value[:1] in "[{":
            return json.loads(clean_json_escapes(value))
        return value

    # -- triage ---------------------------------------------------------------------------

    def bug_list_count(self, query: BugQuery, today: date) -> int:
        """How many bugs a list shows (counted in SQL)."""
        return count_bugs(self.db, query, today)

    def bug_list_page(
        self, query: BugQuery, today: date, offset: int, limit: int
    ) -> list[BugListRow]:
        """One page of a bug list, in the list's order."""
        return page_bugs(self.db, query, today, offset, limit, self.problems)

    def bugs_by_ids(self, ids: Sequence[int]) -> list[Bug]:
        """The bugs with these ids, in the order given (missing ids are skipped)."""
        if not ids:
            return []
        marks = ", ".join("?" for _ in ids)
        found = {
            bug.id: bug
            for bug in self._models(Bug, f"SELECT * FROM bugs WHERE id IN ({marks})", list(ids))
        }
        return [found[bug_id] for bug_id in ids if bug_id in found]

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

    def set_playbook_step(self, bug_id: int, step: PlaybookStep, done_at: datetime | None) -> None:
        """Check off a playbook step at `done_at`, or clear it with None."""
        with self.db.atomic():
            self.db.execute(
                "DELETE FROM playbook_checks WHERE bug_id = ? AND step = ?", [bug_id, step.value]
            )
            if done_at is not None:
                self._insert(PlaybookCheck(bug_id=bug_id, step=step, done_at=done_at))

    def saved_filters(self) -> list[SavedFilter]:
        return self.all(SavedFilter, "name")

    def save_filter(self, saved: SavedFilter) -> SavedFilter:
        """Store a named filter, replacing one of the same name."""
        with self.db.atomic():
            self.db.execute("DELETE FROM saved_filters WHERE name = ?", [saved.name])
            return self._insert(saved.model_copy(update={"id": None}))

    # -- overview -------------------------------------------------------------------------

    # -- customers and feedback -----------------------------------------------------------

    def set_customer_escalated(self, customer_id: int, escalated: bool) -> Customer:
        """Raise or clear a customer's escalation flag (a trigger of the escalations)."""
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE customers SET escalated = ? WHERE id = ?", [int(escalated), customer_id]
            )
            if cursor.rowcount == 0:
                raise NotFoundError(f"customer {customer_id} no longer exists")
            customer = self.get(Customer, customer_id)
            assert customer is not None
            return customer

    def add_nps_responses(self, responses: Sequence[NpsResponse]) -> list[NpsResponse]:
        """Store survey responses (one, or a batch typed at once) in one transaction; returns
        them with their ids. A customer gone meanwhile stores none of them."""
        with self.db.atomic():
            for customer_id in sorted({response.customer_id for response in responses}):
                if self.get(Customer, customer_id) is None:
                    raise NotFoundError("this customer no longer exists")
            return [self._insert(response) for response in responses]

    def customer_requests(self, customer_id: int) -> list[FeatureRequest]:
        """The feature requests a customer asked for, by title."""
        return self._models(
            FeatureRequest,
            "SELECT r.* FROM feature_requests r "
            "JOIN request_customers rc ON rc.request_id = r.id "
            "WHERE rc.customer_id = ? ORDER BY r.title, r.id",
            [customer_id],
        )

    def request_feedback(self, request_id: int) -> list[FeedbackEntry]:
        """The feedback entries linked to a feature request, newest first."""
        return self._models(
            FeedbackEntry,
            "SELECT * FROM feedback WHERE request_id = ? ORDER BY logged_on DESC, id DESC",
            [request_id],
        )

    def link_feedback(self, feedback_id: int, request: FeatureRequest) -> FeatureRequest:
        """Link a feature-request feedback entry to `request` and count its customer as
        asking for it, in one transaction. A request without an id is stored first (a new
        request created from the entry). Returns the request as stored.

        Raises `NotFoundError` when the entry or the request is gone, and `ValueError` when
        the entry is not a feature request or is already linked to another request.
        """
        # Imported here: this section may not touch the module's imports (shared file).
        from opstui.domain.enums import FeedbackKind

        with self.db.atomic():
            entry = self.get(FeedbackEntry, feedback_id)
            if entry is None:
                raise NotFoundError(f"feedback {feedback_id} no longer exists")
            if entry.kind is not FeedbackKind.FEATURE_REQUEST:
                raise ValueError("only a feature-request entry can be linked to a request")
            if entry.request_id is not None and entry.request_id != request.id:
                raise ValueError("this entry is already linked to another request")
            if request.id is None:
                request = self._insert(request)
            elif self.get(FeatureRequest, request.id) is None:
                raise NotFoundError(f"feature request {request.id} no longer exists")
            self._update(entry.model_copy(update={"request_id": request.id}))
            self.db.table("request_customers").insert(
                {"request_id": request.id, "customer_id": entry.customer_id}, ignore=True
            )
            return request

    # -- snapshots and export -------------------------------------------------------------

    def company_bug_counts(self, today: date, window_days: int) -> list[CompanyBugCounts]:
        """Open bugs per company and priority, and the resolution window's counts, from three
        index-friendly queries.

        One pass that evaluates every condition on every bug costs ~175 ms at 100,000 bugs;
        open counts from the (company, status, priority) index, the opened-in-window counts
        from the opened_at index and one plain scan for resolutions cost ~25 ms.
        """
        since = (today - timedelta(days=window_days - 1)).isoformat()
        until = (today + timedelta(days=1)).isoformat()
        window = {"since": since, "until": until}
        open_counts: dict[int, dict[Priority | None, int]] = defaultdict(dict)
        known = {priority.value for priority in Priority}
        for company_id, priority, count in self.db.execute(
            f"SELECT company_id, priority, count(*) FROM bugs WHERE status IN ({_OPEN}) "
            "AND company_id IS NOT NULL GROUP BY company_id, priority"
        ).fetchall():
            # A priority no one knows (another tool's) counts nowhere; `check` names the bug.
            if priority is None or priority in known:
                open_counts[company_id][None if priority is None else Priority(priority)] = count
        opened: dict[int, tuple[int, int]] = {
            company_id: (total, done)
            for company_id, total, done in self.db.execute(
                f"SELECT company_id, sum(status != 'duplicate'), sum(status IN ({_DONE})) "
                "FROM bugs WHERE opened_at >= :since AND opened_at < :until GROUP BY company_id",
                window,
            ).fetchall()
        }
        # NOT INDEXED: resolved_at has no index, and the status index would cost a row
        # lookup per resolved bug; a plain scan is cheaper.
        resolved: dict[int, tuple[float, int]] = {
            company_id: (float(days or 0), count)
            for company_id, days, count in self.db.execute(
                "SELECT company_id, sum(julianday(resolved_at) - julianday(opened_at)), count(*) "
                f"FROM bugs NOT INDEXED WHERE status IN ({_DONE}) "
                "AND resolved_at >= :since AND resolved_at < :until GROUP BY company_id",
                window,
            ).fetchall()
        }
        rows = []
        for company in self.all(Company, "name"):
            company_id, name = company.id or 0, company.name
            counts = open_counts.get(company_id, {})
            total, done = opened.get(company_id, (0, 0))
            days_sum, resolved_count = resolved.get(company_id, (0.0, 0))
            rows.append(
                CompanyBugCounts(
                    company_id=company_id,
                    company=name,
                    open_by_priority={p: counts.get(p, 0) for p in Priority},
                    untriaged=counts.get(None, 0),
                    window_total=total,
                    window_done=done,
                    resolution_days_sum=days_sum,
                    resolution_count=resolved_count,
                )
            )
        return rows

    def snapshot_json(self, week: str) -> str | None:
        """A frozen week's figures as the JSON text stored, or None when it is not frozen.

        `SnapshotData.model_validate_json` on this text is several times faster than
        validating `snapshot_data`'s dict, which matters at thousands of customers.
        """
        row = self.db.execute("SELECT data FROM snapshots WHERE week = ?", [week]).fetchone()
        return None if row is None else clean_json_escapes(str(row[0]))

    def snapshot_frozen_at(self, week: str) -> datetime | None:
        """When `week` was frozen, or None when it is not."""
        row = self.db.execute("SELECT frozen_at FROM snapshots WHERE week = ?", [week]).fetchone()
        return None if row is None else datetime.fromisoformat(row[0])

    def freeze_snapshot(
        self,
        week: str,
        version: int,
        frozen_at: datetime,
        data: dict[str, Any],
        *,
        replace: bool = False,
    ) -> bool:
        """Store a week's snapshot unless the week is already frozen (or `replace` is set).

        One statement, so two freezes racing cannot both win. Returns False, having written
        nothing, when the week already has a snapshot and `replace` is False.
        """
        conflict = (
            "DO UPDATE SET version = excluded.version, frozen_at = excluded.frozen_at, "
            "data = excluded.data"
            if replace
            else "DO NOTHING"
        )
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT INTO snapshots (week, version, frozen_at, data) VALUES (?, ?, ?, ?) "
                f"ON CONFLICT(week) {conflict}",
                [
                    week,
                    version,
                    frozen_at.isoformat(),
                    json.dumps(data, sort_keys=True, ensure_ascii=False),
                ],
            )
            return cursor.rowcount == 1

    def delete_snapshot(self, week: str) -> bool:
        """Remove a week's snapshot; False when the week was not frozen."""
        with self.db.atomic():
            cursor = self.db.execute("DELETE FROM snapshots WHERE week = ?", [week])
            return cursor.rowcount > 0

    # -- imports ----------------------------------------------------------------------------

    def customer_index(self) -> list[tuple[int, str, int, bool]]:
        """(id, name, company id, retired?) of every customer: an import matches names
        against these without building a model per customer."""
        return [
            (int(row[0]), str(row[1] or ""), int(row[2] or 0), row[3] is not None)
            for row in self.db.execute(
                "SELECT id, name, company_id, retired_on FROM customers ORDER BY id"
            ).fetchall()
        ]

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

    def bug_customer_links(self, bug_ids: Sequence[int]) -> set[tuple[int, int]]:
        """The (bug id, customer id) links of these bugs."""
        if not bug_ids:
            return set()
        marks = ", ".join("?" for _ in bug_ids)
        return {
            (int(bug), int(customer))
            for bug, customer in self.db.execute(
                f"SELECT bug_id, customer_id FROM bug_customers WHERE bug_id IN ({marks})",
                list(bug_ids),
            ).fetchall()
        }

    def add_bug_customer_links(self, links: Sequence[tuple[int, int]]) -> None:
        """Link bugs to customers (links that exist are kept once)."""
        with self.db.atomic():
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO bug_customers (bug_id, customer_id) VALUES (?, ?)", links
            )

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
