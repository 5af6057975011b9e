"""Jira's issue CSV export ("Export CSV (all fields)" of an issue search).

One row per issue. Jira repeats a column for each value of a multi-value field — several
`Labels`, `Sprint`, `Comment`, `Watchers` columns — and every one is read. Dates look like
`05/Apr/26 11:03 AM`. Priority Highest→P0, High→P1, Medium→P2, Low/Lowest→P3 (configurable);
Resolution Duplicate → duplicate, Won't Do (and the like) → closed, Done (and any other) →
resolved; without a resolution, a Done/Closed/Resolved status is resolved and an In Progress
or In Review one in progress. Epics, stories, tasks and sub-tasks are not bugs: skipped.
Labels `security`/`compliance` raise the security flag; `customer:Meridian_Bank` links the
customer. Comments are kept under the description.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime

from opstui.data.importing.reading import Reading, labels_of
from opstui.data.importing.records import Item, Kind, Problem, Record, Skip
from opstui.data.importing.source import Header, Row
from opstui.data.importing.values import CellError, jira_datetime
from opstui.domain.enums import BugStatus, Priority
from opstui.domain.import_rules import ImportRules

COLUMNS = {
    "key": "Issue key",
    "title": "Summary",
    "description": "Description",
    "priority": "Priority",
    "status": "Status",
    "opened_at": "Created",
    "resolved_at": "Resolved",
    "assignee": "Assignee",
    "customers": "Labels",
}

_CLOSED_RESOLUTIONS = {
    "won't do",
    "won't fix",
    "wont do",
    "wont fix",
    "cannot reproduce",
    "can't reproduce",
    "incomplete",
    "declined",
    "obsolete",
    "rejected",
}
_DONE_STATUSES = {"done", "closed", "resolved", "fixed", "released", "complete", "completed"}
_ACTIVE_STATUSES = {"in progress", "in review", "review", "in testing", "testing", "in qa"}
_COMMENT = re.compile(r"([^;]*);([^;]*);(.*)", re.DOTALL)


def is_jira(header: Header) -> bool:
    return header.has("issue key", "summary")


def read(header: Header, rows: Iterable[Row], rules: ImportRules) -> Reading:
    return Reading("jira", "Jira CSV export", Kind.BUGS, _items(header, rows, rules), COLUMNS)


def _status(resolution: str, status: str, category: str) -> BugStatus:
    resolution = " ".join(resolution.split()).casefold()
    if resolution in ("", "unresolved"):
        status = " ".join(status.split()).casefold()
        if category.strip().casefold() == "done" or status in _DONE_STATUSES:
            return BugStatus.RESOLVED
        if category.strip().casefold() == "in progress" or status in _ACTIVE_STATUSES:
            return BugStatus.IN_PROGRESS
        return BugStatus.OPEN
    if resolution == "duplicate":
        return BugStatus.DUPLICATE
    if resolution in _CLOSED_RESOLUTIONS:
        return BugStatus.CLOSED
    return BugStatus.RESOLVED


def _description(description: str, comments: list[str]) -> str:
    if not comments:
        return description
    lines = []
    for cell in comments:
        match = _COMMENT.fullmatch(cell)
        if match is None:
            lines.append(f"- {cell}")
        else:
            when, author, body = (part.strip() for part in match.groups())
            by = f" ({author})" if author else ""
            lines.append(f"- {when}{by}: {body}")
    block = "Comments from Jira:\n" + "\n".join(lines)
    return f"{description}\n\n{block}" if description else block


def _when(line: int, text: str, column: str) -> datetime | Problem | None:
    if not text:
        return None
    try:
        return jira_datetime(text)
    except CellError as error:
        return Problem(line, column, str(error))


def _items(header: Header, rows: Iterable[Row], rules: ImportRules) -> Iterator[Item]:
    skipped = set(rules.jira_skipped_types)
    security = set(rules.security_labels)
    key_column = header.label("issue key")
    created_column = header.label("created")
    resolved_column = header.label("resolved")
    updated_column = header.label("updated")
    pick = header.picker(
        *("issue key", "issue type", "summary", "description", "created", "resolved"),
        *("updated", "resolution", "status", "status category", "priority", "assignee"),
    )
    extra = next(
        (name for name in ("customer", "customers", "custom field (customer)") if header.has(name)),
        None,
    )
    label_columns = header.positions.get("labels", ())
    comment_columns = header.positions.get("comment", ())
    # Rows repeat a handful of words: each is worked out once.
    statuses: dict[tuple[str, str, str], BugStatus] = {}
    priorities: dict[str, Priority | None] = {}
    skip_types: dict[str, bool] = {}
    for row in rows:
        line = row.line
        cells = pick(row)
        key = cells[0].strip()
        if not key:
            yield Problem(line, key_column, "is empty: every issue has a key")
            continue
        issue_type = cells[1]
        skip = skip_types.get(issue_type)
        if skip is None:
            skip = skip_types[issue_type] = " ".join(issue_type.split()).casefold() in skipped
        if skip:
            yield Skip(line, issue_type.strip())
            continue
        opened = _when(line, cells[4].strip(), created_column)
        if isinstance(opened, Problem):
            yield opened
            continue
        if opened is None:
            yield Problem(line, created_column, "is empty: a bug needs the day it was opened")
            continue
        words = (cells[7], cells[8], cells[9])
        status = statuses.get(words)
        if status is None:
            status = statuses[words] = _status(*words)
        resolved: datetime | Problem | None = None
        if status not in (BugStatus.OPEN, BugStatus.IN_PROGRESS):
            resolved = _when(line, cells[5].strip(), resolved_column)
            if isinstance(resolved, Problem):
                yield resolved
                continue
            if resolved is None:
                updated = _when(line, cells[6].strip(), updated_column)
                resolved = updated if isinstance(updated, datetime) else None
        row_cells = row.cells
        width = len(row_cells)
        labels = [
            word for index in label_columns if index < width for word in row_cells[index].split()
        ]
        comments = [
            row_cells[index].strip()
            for index in comment_columns
            if index < width and row_cells[index].strip()
        ]
        values: dict[str, object] = {
            "title": cells[2],
            "description": _description(cells[3].strip(), comments),
            "status": status,
            "opened_at": opened,
            "resolved_at": resolved,
        }
        word = cells[10]
        if word not in priorities:
            priorities[word] = rules.priority(rules.jira_priorities, word)
        priority = priorities[word]
        if priority is not None:
            values["priority"] = priority
        refs: dict[str, object] = {}
        if labels:
            if any(label.casefold() in security for label in labels):
                values["security_flag"] = True
            customers = labels_of(labels, rules.customer_label_prefix)
        else:
            customers = []
        assignee = cells[11].strip()
        if assignee and assignee.casefold() != "unassigned":
            refs["assignee"] = assignee
        if extra is not None:
            customers += [
                name.strip()
                for cell in row.every(extra)
                for name in re.split(r"[;,]", cell)
                if name.strip()
            ]
        if customers:
            refs["customers"] = tuple(customers)
        yield Record(line, f"jira:{key}", key, values, refs)
