"""Linear's CSV export (Settings → Import / export → Export CSV).

Columns: ID, Team, Title, Description, Status, Estimate, Priority, Project ID, Project,
Creator, Assignee, Labels, Cycle …, Created, Updated, Started, Triaged, Completed, Canceled,
Archived, Due Date, Parent issue, … Dates are ISO 8601 in UTC (`2026-04-05T09:03:00.000Z`).
Linear puts `'` before text a spreadsheet would read as a formula (`'=SUM(A1)`); it is taken
off again. Priority Urgent→P0, High→P1, Medium→P2, Low→P3, No priority→untriaged
(configurable); an issue in Triage waits in the untriaged inbox. Canceled → closed,
Duplicate → duplicate, Completed/Done → resolved, Started/In Progress/In Review → in progress.
Labels (comma-separated) `security`/`compliance` raise the flag; `customer:Meridian Bank`
links the customer.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

from opstui.data.importing.reading import Reading, labels_of
from opstui.data.importing.records import Item, Kind, Problem, Record
from opstui.data.importing.source import Header, Row
from opstui.data.importing.values import CellError, iso_datetime, unguarded
from opstui.domain.enums import BugStatus
from opstui.domain.import_rules import ImportRules

COLUMNS = {
    "key": "ID",
    "title": "Title",
    "description": "Description",
    "priority": "Priority",
    "status": "Status",
    "opened_at": "Created",
    "resolved_at": "Completed",
    "assignee": "Assignee",
    "customers": "Labels",
}

_ACTIVE = {"in progress", "in review", "started", "review"}
_DONE = {"done", "completed", "complete"}
_CANCELED = {"canceled", "cancelled"}


def is_linear(header: Header) -> bool:
    """Linear's columns (every export names the issue's team)."""
    return header.has("id", "team", "title", "status")


def read(header: Header, rows: Iterable[Row], rules: ImportRules) -> Reading:
    return Reading("linear", "Linear CSV export", Kind.BUGS, _items(header, rows, rules), COLUMNS)


def _cell(row: Row, name: str) -> str:
    return unguarded(row.get(name))


def _when(row: Row, name: str) -> datetime | Problem | None:
    text = _cell(row, name)
    if not text:
        return None
    try:
        return iso_datetime(text)
    except CellError as error:
        return Problem(row.line, row.header.label(name), str(error))


def _items(header: Header, rows: Iterable[Row], rules: ImportRules) -> Iterator[Item]:
    security = set(rules.security_labels)
    for row in rows:
        key = _cell(row, "id")
        if not key:
            yield Problem(row.line, header.label("id"), "is empty: every issue has an ID")
            continue
        moments: dict[str, datetime | None] = {}
        failed: Problem | None = None
        for name in ("created", "started", "completed", "canceled"):
            moment = _when(row, name)
            if isinstance(moment, Problem):
                failed = moment
                break
            moments[name] = moment
        if failed is not None:
            yield failed
            continue
        opened = moments["created"]
        if opened is None:
            yield Problem(
                row.line, header.label("created"), "is empty: a bug needs the day it was opened"
            )
            continue
        state = " ".join(_cell(row, "status").split()).casefold()
        resolved: datetime | None = None
        if state == "duplicate":
            status, resolved = BugStatus.DUPLICATE, moments["canceled"] or moments["completed"]
        elif moments["canceled"] is not None or state in _CANCELED:
            status, resolved = BugStatus.CLOSED, moments["canceled"]
        elif moments["completed"] is not None or state in _DONE:
            status, resolved = BugStatus.RESOLVED, moments["completed"]
        elif moments["started"] is not None or state in _ACTIVE:
            status = BugStatus.IN_PROGRESS
        else:
            status = BugStatus.OPEN
        labels = [unguarded(label.strip()) for label in _cell(row, "labels").split(",")]
        labels = [label for label in labels if label]
        values: dict[str, object] = {
            "title": _cell(row, "title"),
            "description": unguarded(row.get("description")),
            "status": status,
            "opened_at": opened,
            "resolved_at": resolved,
        }
        priority = rules.priority(rules.linear_priorities, _cell(row, "priority"))
        if priority is not None and state != "triage":
            values["priority"] = priority
        if any(label.casefold() in security for label in labels):
            values["security_flag"] = True
        refs: dict[str, object] = {}
        assignee = _cell(row, "assignee")
        if assignee:
            refs["assignee"] = assignee
        customers = labels_of(labels, rules.customer_label_prefix)
        if customers:
            refs["customers"] = tuple(customers)
        yield Record(row.line, f"linear:{key}", key, values, refs)
