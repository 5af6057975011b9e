"""A recorded write of a record, and how it is said: "Dec 1 14:03 · Priya Nair · Risk
Medium → High". The `history` table holds them (`data/history.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from opstui.domain.text import clean_line
from opstui.domain.wording import field_label

_SHOWN_VALUE = 40
"""Longer values are cut in a history line (the record itself holds them whole)."""


class StaleEditError(Exception):
    """A field an edit changes was changed by someone else since the record was read: the
    edit is refused rather than overwrite theirs (nothing was stored). `latest` is the
    record as stored now, for a form to compare the user's typing against next time."""

    def __init__(self, message: str, latest: object = None) -> None:
        super().__init__(message)
        self.latest = latest


@dataclass(frozen=True)
class Change:
    """One recorded write: who, when, which row, and for an edit its fields' before/after."""

    id: int
    at: datetime
    """When, as an aware UTC time."""
    person: str | None
    entity: str
    """The table."""
    key: str
    """The row's key: its id, or its key columns joined with '/'."""
    action: str
    """`created`, `changed` or `deleted`."""
    fields: dict[str, tuple[Any, Any]]
    """For `changed`: each changed field's (before, after); for `deleted`: the row's values
    as (value, None); empty for `created`."""


def moment_words(at: datetime) -> str:
    """A recorded time on this machine's clock: "Dec 1 14:03"."""
    local = at.astimezone()
    return f"{local:%b} {local.day} {local:%H:%M}"


def person_words(change: Change) -> str:
    return clean_line(change.person or "") or "someone"


def _value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and abs(value) >= 10_000:
        return f"{value:,}"
    text = clean_line(str(value))
    if len(text) > _SHOWN_VALUE:
        text = text[: _SHOWN_VALUE - 1] + "…"
    return text


def fields_words(change: Change) -> str:
    """What a change did: "Risk Medium → High, Status On track → At risk"."""
    if change.action == "created":
        return "created"
    if change.action == "deleted":
        return "deleted"
    return ", ".join(
        f"{field_label(name)} {_value(before)} → {_value(after)}"
        for name, (before, after) in change.fields.items()
    )


def change_line(change: Change) -> str:
    """One line of a record's history."""
    return f"{moment_words(change.at)} · {person_words(change)} · {fields_words(change)}"


_ENTITY_WORDS = {
    "bugs": ("bug", "bugs"),
    "projects": ("project", "projects"),
    "customers": ("customer", "customers"),
    "action_items": ("action item", "action items"),
    "decisions": ("decision", "decisions"),
    "risks": ("risk", "risks"),
    "submissions": ("pre-read tick", "pre-read ticks"),
    "preread_submissions": ("pre-read submission", "pre-read submissions"),
    "playbook_checks": ("playbook step", "playbook steps"),
    "nps_responses": ("NPS response", "NPS responses"),
    "feedback": ("feedback entry", "feedback entries"),
    "people": ("person", "people"),
    "companies": ("company", "companies"),
    "products": ("product", "products"),
    "snapshots": ("snapshot", "snapshots"),
}


@dataclass(frozen=True)
class PersonChanges:
    """How many records one person changed in a stretch of time, by table."""

    person: str | None
    counts: dict[str, int]
    latest: datetime


def person_changes_words(item: PersonChanges) -> str:
    """ "Priya Nair: 8 bugs, 3 projects (latest Dec 1 14:03)"."""
    parts = []
    for entity, count in sorted(item.counts.items(), key=lambda pair: (-pair[1], pair[0])):
        one, many = _ENTITY_WORDS.get(entity, (entity.replace("_", " "),) * 2)
        parts.append(f"{count} {one if count == 1 else many}")
    who = clean_line(item.person or "") or "someone"
    return f"{who}: {', '.join(parts)} (latest {moment_words(item.latest)})"
