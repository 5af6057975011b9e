"""Bug lists in SQL: filtered, sorted, counted and paged, for tables over 100,000 bugs.

A screen asks for a page of rows and a count; nothing loads every bug. Rows come back as
light `BugListRow` tuples rather than validated models: a page is read many times while
scrolling, and the text is cleaned where it is displayed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

from opstui.domain.enums import OPEN_BUG_STATUSES, BugStatus, Priority
from opstui.domain.limits import typed_integer

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
_PRIORITIES = {priority.value for priority in Priority}
_STATUSES = {status.value for status in BugStatus}


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


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _where(query: BugQuery, today: date) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if query.inbox:
        clauses.append("b.priority IS NULL AND b.status IN (?, ?)")
        params.extend(_OPEN)
        clauses.append("(b.snoozed_until IS NULL OR b.snoozed_until <= ?)")
        params.append(today.isoformat())
    if query.open_only:
        clauses.append("b.status IN (?, ?)")
        params.extend(_OPEN)
    for word in query.text.split():
        number = typed_integer(word.removeprefix("#"))
        if number is not None:
            clauses.append("(b.id = ? OR b.title LIKE ? ESCAPE '\\')")
            params.extend([number, _like(word)])
        else:
            clauses.append("b.title LIKE ? ESCAPE '\\'")
            params.append(_like(word))
    for column, value in (
        ("b.company_id", query.company_id),
        ("b.priority", query.priority.value if query.priority else None),
        ("b.status", query.status.value if query.status else None),
        ("b.assignee_id", query.assignee_id),
    ):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    if query.exclude_ids:
        clauses.append(f"b.id NOT IN ({', '.join('?' for _ in query.exclude_ids)})")
        params.extend(sorted(query.exclude_ids))
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def count_bugs(db: Database, query: BugQuery, today: date) -> int:
    """How many bugs the query shows."""
    where, params = _where(query, today)
    row = db.execute(f"SELECT count(*) FROM bugs b{where}", params).fetchone()
    return int(row[0])


def page_bugs(
    db: Database, query: BugQuery, today: date, offset: int, limit: int
) -> list[BugListRow]:
    """Rows `offset` to `offset + limit` of the query, in its order (ties by id)."""
    where, params = _where(query, today)
    direction = "DESC" if query.reverse else "ASC"
    order = SORT_COLUMNS.get(query.sort, SORT_COLUMNS["opened"])
    sql = f"""
        SELECT b.id, b.title, b.priority, b.status, coalesce(c.name, '') AS company,
               b.company_id, coalesce(p.name, '') AS assignee, b.opened_at, b.security_flag,
               b.snoozed_until,
               (b.priority IN ('P0', 'P1') AND b.status IN ('open', 'in progress')
                AND b.root_cause = '') AS needs_analysis
        FROM bugs b
        LEFT JOIN companies c ON c.id = b.company_id
        LEFT JOIN people p ON p.id = b.assignee_id
        {where}
        ORDER BY {order} {direction}, b.id {direction}
        LIMIT ? OFFSET ?
    """
    rows = db.execute(sql, [*params, limit, offset]).fetchall()
    return [
        BugListRow(
            id=row[0],
            title=str(row[1]),
            # Rows written by other tools may hold anything; show what is recognisable.
            priority=Priority(row[2]) if row[2] in _PRIORITIES else None,
            status=BugStatus(row[3]) if row[3] in _STATUSES else BugStatus.OPEN,
            company=str(row[4]),
            company_id=row[5],
            assignee=str(row[6]),
            opened_at=datetime.fromisoformat(row[7]),
            security=bool(row[8]),
            snoozed_until=date.fromisoformat(row[9]) if row[9] else None,
            needs_analysis=bool(row[10]),
        )
        for row in rows
    ]
