"""Bug lists in SQL: filtered, sorted, counted and paged, for tables over 100,000 bugs.

A screen asks for a page of rows and a count; nothing loads every bug. Rows come back as
light `BugListRow` tuples rather than validated models: a page is read many times while
scrolling, and the text is cleaned where it is displayed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from types import MappingProxyType
from typing import Any

from pydantic import ValidationError

from opstui.data.database import WorkspaceDatabase as Database
from opstui.data.row_problems import ProblemLog, read_bad_row, row_name
from opstui.domain.bugs import URGENT_PRIORITIES
from opstui.domain.enums import OPEN_BUG_STATUSES, BugStatus, Priority
from opstui.domain.limits import typed_integer
from opstui.domain.models import Bug

SORT_COLUMNS: dict[str, str] = {
    "id": "b.id",
    "priority": "coalesce(b.priority, 'P9')",
    "title": "b.title COLLATE NOCASE",
    "company": "c.name COLLATE NOCASE",
    "status": "b.status",
    "assignee": "p.name COLLATE NOCASE",
    "opened": "b.opened_at",
}
"""Columns a bug list can be sorted by, and the SQL that sorts them."""

_OPEN = tuple(status.value for status in OPEN_BUG_STATUSES)
_OPEN_SQL = ", ".join(f"'{status}'" for status in _OPEN)
_URGENT_SQL = ", ".join(f"'{priority.value}'" for priority in URGENT_PRIORITIES)
_NEEDS_ANALYSIS_SQL = (
    f"(b.priority IN ({_URGENT_SQL}) AND b.status IN ({_OPEN_SQL}) AND trim(b.root_cause) = '')"
)
"""`domain.bugs.needs_analysis`, per row of a list."""
INBOX_INDEX = "bugs_inbox"
"""The partial index of untriaged open bugs (schema 0007); its condition is `_INBOX`."""
_INBOX = f"b.priority IS NULL AND b.status IN ({_OPEN_SQL})"
_PRIORITY_OF: dict[str | None, Priority | None] = {None: None} | {p.value: p for p in Priority}
_STATUS_OF = {status.value: status for status in BugStatus}
_NO_PROBLEMS: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class BugQuery:
    """Which bugs a list shows and in what order."""

    text: str = ""
    """Every word must appear in the title (or be the bug's #id)."""
    company_id: int | None = None
    priority: Priority | None = None
    status: BugStatus | None = None
    assignee_id: int | None = None
    open_only: bool = False
    inbox: bool = False
    """Untriaged open bugs that are not snoozed past today: the triage inbox."""
    without_company: bool = False
    """Only the bugs no company is set on."""
    sort: str = "opened"
    reverse: bool = False
    exclude_ids: frozenset[int] = field(default_factory=frozenset)

    def with_text(self, text: str) -> BugQuery:
        return replace(self, text=text)


@dataclass(frozen=True, slots=True)
class BugListRow:
    """What a bug list shows of one bug."""

    id: int
    title: str
    priority: Priority | None
    status: BugStatus
    company: str
    company_id: int | None
    assignee: str
    opened_at: datetime
    security: bool
    snoozed_until: date | None
    needs_analysis: bool
    """An open P0/P1 without its analysis (root cause) yet."""
    problems: Mapping[str, str] = field(default_factory=lambda: _NO_PROBLEMS)
    """The stored fields that break the model, by field, in words (see `row_problems`)."""


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


TRIGRAM = 3
"""The shortest word the title index can look up; shorter words scan the titles."""
TITLE_INDEX_MOST = 10_000
"""A page of a list whose title word is in more titles than this is found by walking the
list's order and testing each title (a page fills within a few thousand rows); the title
index would first gather every one of them (174,000 for "tim" of 1,000,000: 90 ms)."""


def titles_holding(
    words: Sequence[str], walk: frozenset[str] = frozenset()
) -> tuple[str, list[Any]]:
    """The SQL condition (on `bugs b`) that the title holds every word, and its values;
    the words in `walk` are tested on each title the query reaches (`walked_words`)."""
    found = [_title_has(word, word in walk) for word in words]
    return " AND ".join(sql for sql, _ in found), [value for _, values in found for value in values]


def _phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def walked_words(db: Database, words: Sequence[str]) -> frozenset[str]:
    """The words a page of a list tests on each title along its order instead of looking
    them up: each word of three characters or more when every one is in more than
    `TITLE_INDEX_MOST` titles. Walking fills a page within a few thousand rows then; with
    one rare word the index gives a small set, and walking would test every title."""
    common = _common_words(db, words)
    if any(len(word) >= TRIGRAM and word not in common for word in words):
        return frozenset()
    return common


def _common_words(db: Database, words: Sequence[str]) -> frozenset[str]:
    """The words of three characters or more in more than `TITLE_INDEX_MOST` titles (the
    index stops counting there: a few milliseconds)."""
    found = set()
    for word in words:
        if len(word) >= TRIGRAM:
            row = db.execute(
                "SELECT count(*) FROM (SELECT 1 FROM bugs_title_search"
                " WHERE bugs_title_search MATCH ? LIMIT ?)",
                [_phrase(word), TITLE_INDEX_MOST + 1],
            ).fetchone()
            if row[0] > TITLE_INDEX_MOST:
                found.add(word)
    return frozenset(found)


def _title_has(word: str, walk: bool = False) -> tuple[str, list[Any]]:
    """The title holds `word`, in any ASCII case (LIKE's meaning). A word of three
    characters or more is looked up in the trigram index first, which finds a superset (it
    folds every case and ignores order among repeats); LIKE then keeps exactly its matches.
    With `walk`, or a shorter word, every title the query reaches is tested by LIKE."""
    if walk or len(word) < TRIGRAM:
        return "b.title LIKE ? ESCAPE '\\'", [_like(word)]
    return (
        "(b.id IN (SELECT rowid FROM bugs_title_search WHERE bugs_title_search MATCH ?)"
        " AND b.title LIKE ? ESCAPE '\\')",
        [_phrase(word), _like(word)],
    )


def _where(
    query: BugQuery, today: date, walk: frozenset[str] = frozenset()
) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if query.inbox:
        clauses.append(_INBOX)  # literal, so SQLite sees that the inbox index covers it
        clauses.append("(b.snoozed_until IS NULL OR b.snoozed_until <= ?)")
        params.append(today.isoformat())
    if query.open_only:
        clauses.append("b.status IN (?, ?)")
        params.extend(_OPEN)
    for word in query.text.split():
        number = typed_integer(word.removeprefix("#"))
        has, values = _title_has(word, word in walk)
        if number is not None:
            clauses.append(f"(b.id = ? OR {has})")
            params.extend([number, *values])
        else:
            clauses.append(has)
            params.extend(values)
    for column, value in (
        ("b.company_id", query.company_id),
        ("b.priority", query.priority.value if query.priority else None),
        ("b.status", query.status.value if query.status else None),
        ("b.assignee_id", query.assignee_id),
    ):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    if query.without_company:
        clauses.append("b.company_id IS NULL")
    if query.exclude_ids:
        clauses.append(f"b.id NOT IN ({', '.join('?' for _ in query.exclude_ids)})")
        params.extend(sorted(query.exclude_ids))
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _bugs(query: BugQuery) -> str:
    """The bugs table, read through the inbox's own index for the inbox (the planner,
    without statistics, would rather walk every open bug)."""
    return f"bugs b INDEXED BY {INBOX_INDEX}" if query.inbox else "bugs b"


def count_bugs(db: Database, query: BugQuery, today: date) -> int:
    """How many bugs the query shows."""
    where, params = _where(query, today)
    row = db.execute(f"SELECT count(*) FROM {_bugs(query)}{where}", params).fetchone()
    return int(row[0])


def count_bugs_unless(
    db: Database, query: BugQuery, today: date, cancelled: Callable[[], bool]
) -> int | None:
    """How many bugs the query shows, or None when `cancelled()` turns true first (it is
    asked every few thousand steps of SQLite's, so a stale count stops at once)."""
    conn = db.conn
    conn.set_progress_handler(lambda: 1 if cancelled() else 0, 10_000)
    try:
        return count_bugs(db, query, today)
    except sqlite3.OperationalError:
        if cancelled():
            return None
        raise
    finally:
        conn.set_progress_handler(None, 0)


def page_bugs(
    db: Database,
    query: BugQuery,
    today: date,
    offset: int,
    limit: int,
    problems: ProblemLog | None = None,
) -> list[BugListRow]:
    """Rows `offset` to `offset + limit` of the query, in its order (ties by id). Rows that
    break the model are shown as `Bug` reads them, their problems added to `problems`."""
    where, params = _where(query, today, walked_words(db, query.text.split()))
    direction = "DESC" if query.reverse else "ASC"
    order = SORT_COLUMNS.get(query.sort, SORT_COLUMNS["opened"])
    # The page's ids first, in order (an index gives every order but company's and
    # assignee's, which join only those two small tables); then only the page is read.
    joins = {
        "company": "LEFT JOIN companies c ON c.id = b.company_id",
        "assignee": "LEFT JOIN people p ON p.id = b.assignee_id",
    }.get(query.sort, "")
    ids = [
        row[0]
        for row in db.execute(
            f"SELECT b.id FROM {_bugs(query)} {joins}{where} "
            f"ORDER BY {order} {direction}, b.id {direction} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
    ]
    if not ids:
        return []
    sql = f"""
        SELECT b.id, b.title, b.priority, b.status, coalesce(c.name, '') AS company,
               b.company_id, coalesce(p.name, '') AS assignee, b.opened_at, b.security_flag,
               b.snoozed_until,
               {_NEEDS_ANALYSIS_SQL} AS needs_analysis
        FROM bugs b
        LEFT JOIN companies c ON c.id = b.company_id
        LEFT JOIN people p ON p.id = b.assignee_id
        WHERE b.id IN ({", ".join("?" for _ in ids)})
    """
    by_id = {row[0]: row for row in db.execute(sql, ids).fetchall()}
    rows = [by_id[bug_id] for bug_id in ids if bug_id in by_id]
    found = []
    for row in rows:
        try:
            if row[1].__class__ is not str:
                raise TypeError("title is not text")
            found.append(
                BugListRow(
                    id=row[0],
                    title=row[1],
                    priority=_PRIORITY_OF[row[2]],
                    status=_STATUS_OF[row[3]],
                    company=str(row[4]),
                    company_id=row[5],
                    assignee=str(row[6]),
                    opened_at=datetime.fromisoformat(row[7]),
                    security=bool(row[8]),
                    snoozed_until=date.fromisoformat(row[9]) if row[9] else None,
                    needs_analysis=bool(row[10]),
                )
            )
        except (KeyError, TypeError, ValueError):
            found.append(_bad_list_row(row, problems))
    return found


def _bad_list_row(row: Sequence[Any], problems: ProblemLog | None) -> BugListRow:
    """A row another tool wrote that breaks the model, read the way `Bug` reads it."""
    stored = {
        "id": row[0],
        "title": row[1],
        "priority": row[2],
        "status": row[3],
        "opened_at": row[7],
        "snoozed_until": row[9],
        "security_flag": row[8],
    }
    try:
        bug = Bug.model_validate(stored)
    except ValidationError as error:
        bug, found = read_bad_row(Bug, stored, error, "bugs", row_name(stored, ("id",)))
        if problems is not None:
            problems.add(found)
    return BugListRow(
        id=row[0],
        title=bug.title,
        priority=bug.priority,
        status=bug.status,
        company=str(row[4]),
        company_id=row[5],
        assignee=str(row[6]),
        opened_at=bug.opened_at,
        security=bug.security_flag,
        snoozed_until=bug.snoozed_until,
        needs_analysis=bool(row[10]),
        problems=bug.row_problems,
    )
