"""GitHub issues, as `gh issue list --json number,title,state,stateReason,labels,assignees,
createdAt,closedAt,url` prints them (a JSON array; JSON Lines from `--jq '.[]'` too).

`state` is OPEN or CLOSED; `stateReason` (missing or null in older output) COMPLETED,
NOT_PLANNED, DUPLICATE or REOPENED: closed as completed → resolved, as not planned → closed,
as duplicate → duplicate. Labels are objects with a `name`: `P0`…`P3` or `priority: high` set
the priority (the highest wins; configurable), `security` raises the flag,
`customer:Meridian Bank` links the customer. The first assignee's login is the assignee.
`body`, when present, is the description. The issue's URL is its source key.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from opstui.data.importing.reading import Reading, labels_of
from opstui.data.importing.records import Item, Kind, Problem, Record
from opstui.data.importing.values import CellError, iso_datetime
from opstui.domain.enums import BugStatus, Priority
from opstui.domain.import_rules import ImportRules
from opstui.domain.wording import quoted

COLUMNS = {
    "key": "url",
    "title": "title",
    "description": "body",
    "priority": "labels",
    "status": "state",
    "opened_at": "createdAt",
    "resolved_at": "closedAt",
    "assignee": "assignees",
    "customers": "labels",
}
FIELDS = "number,title,state,stateReason,labels,assignees,createdAt,closedAt,url"
"""The `--json` fields the importer reads (`body` too, when asked for)."""

_NEVER = "0001-01-01"  # Go's zero time: what some versions print for "not closed"


def looks_like_gh(item: Any) -> bool:
    return isinstance(item, dict) and "title" in item and ("url" in item or "number" in item)


def read(items: Iterable[tuple[int, Any]], rules: ImportRules) -> Reading:
    return Reading("github", "GitHub issues (gh JSON)", Kind.BUGS, _items(items, rules), COLUMNS)


def _names(value: Any, field: str) -> list[str]:
    """Names from a list of objects (`[{"name": "bug"}]`) or of strings."""
    if not isinstance(value, list):
        return []
    names = []
    for entry in value:
        if isinstance(entry, dict):
            entry = entry.get(field)
        if isinstance(entry, str) and entry.strip():
            names.append(entry.strip())
    return names


def _moment(line: int, item: dict[str, Any], field: str) -> datetime | Problem | None:
    value = item.get(field)
    if value is None or value == "" or (isinstance(value, str) and value.startswith(_NEVER)):
        return None
    if not isinstance(value, str):
        return Problem(line, field, f"{quoted(str(value))} is not a date and time")
    try:
        return iso_datetime(value)
    except CellError as error:
        return Problem(line, field, str(error))


def _status(state: str, reason: str) -> BugStatus:
    if state != "CLOSED":
        return BugStatus.OPEN
    if reason == "NOT_PLANNED":
        return BugStatus.CLOSED
    if reason == "DUPLICATE":
        return BugStatus.DUPLICATE
    return BugStatus.RESOLVED


def _items(items: Iterable[tuple[int, Any]], rules: ImportRules) -> Iterator[Item]:
    security = set(rules.security_labels)
    for line, item in items:
        if not looks_like_gh(item):
            yield Problem(line, "", "not an issue of `gh issue list --json` (no title or url)")
            continue
        url = item.get("url")
        if not isinstance(url, str) or not url.strip():
            yield Problem(line, "url", "is missing: the issue's URL is its key (add url to --json)")
            continue
        state = str(item.get("state") or "").strip().upper()
        if state not in ("OPEN", "CLOSED"):
            yield Problem(line, "state", f"{quoted(str(item.get('state')))} is not OPEN or CLOSED")
            continue
        opened = _moment(line, item, "createdAt")
        if isinstance(opened, Problem):
            yield opened
            continue
        if opened is None:
            yield Problem(line, "createdAt", "is missing: a bug needs the day it was opened")
            continue
        reason = str(item.get("stateReason") or "").strip().upper()
        status = _status(state, reason)
        resolved = _moment(line, item, "closedAt") if state == "CLOSED" else None
        if isinstance(resolved, Problem):
            yield resolved
            continue
        labels = _names(item.get("labels"), "name")
        number = item.get("number")
        title = item.get("title")
        body = item.get("body")
        values: dict[str, object] = {
            "title": title if isinstance(title, str) else "",
            "status": status,
            "opened_at": opened,
            "resolved_at": resolved,
        }
        if isinstance(body, str):
            values["description"] = body
        found = [rules.priority(rules.github_priority_labels, label) for label in labels]
        priorities = [priority for priority in found if priority is not None]
        if priorities:
            values["priority"] = min(priorities, key=lambda p: list(Priority).index(p))
        if any(label.casefold() in security for label in labels):
            values["security_flag"] = True
        refs: dict[str, object] = {}
        assignees = _names(item.get("assignees"), "login")
        if assignees:
            refs["assignee"] = assignees[0]
        customers = labels_of(labels, rules.customer_label_prefix)
        if customers:
            refs["customers"] = tuple(customers)
        label = f"#{number}" if isinstance(number, int) else url.strip()
        yield Record(line, f"github:{url.strip()}", label, values, refs)
