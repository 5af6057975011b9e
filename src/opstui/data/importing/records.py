"""What a reader makes of one row of an export, before it meets the workspace: a record
of model values and of names still to be found (company, people, customers), a problem
with the row, or a row left out on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from opstui.domain.text import clean_line


class Kind(StrEnum):
    """What a file holds; the words `--kind` takes."""

    BUGS = "bugs"
    CUSTOMERS = "customers"
    NPS = "nps"
    FEEDBACK = "feedback"
    PROJECTS = "projects"


SINGULAR = {
    Kind.BUGS: "bug",
    Kind.CUSTOMERS: "customer",
    Kind.NPS: "NPS response",
    Kind.FEEDBACK: "feedback entry",
    Kind.PROJECTS: "project",
}


@dataclass(slots=True)
class Record:
    """One row, read: model field values and the names the row refers to.

    A field the row does not say (a blank cell, an unassigned issue, no priority) is left
    out of `values` and `refs`: a new record takes the default, a stored one keeps what it
    has. `refs` holds names to look up: `company`, `product`, `project`, `assignee`, `csm`,
    `pm`, `lead`, `customer` (one name) and `customers` (a tuple of names, bugs only).
    """

    line: int
    key: str | None
    """The source key stored with the record ("jira:ACME-12"); None when the record is
    matched by its name (a customer or project from a file without a key column)."""
    label: str
    """How messages name the row: "ACME-12", "Meridian Bank"."""
    values: dict[str, Any]
    refs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Problem:
    """Why one row cannot be imported, with its line and the column at fault."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}, {self.column}" if self.column else f"line {self.line}"
        # The message quotes the file's own text: nothing in it may reach a terminal.
        return clean_line(f"{where}: {self.message}")


@dataclass(frozen=True, slots=True)
class Skip:
    """A row left out on purpose (a Jira story is not a bug); `reason` is counted."""

    line: int
    reason: str


Item = Record | Problem | Skip
