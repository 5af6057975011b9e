"""The generic CSV: bugs, customers, NPS responses, feedback or projects, one per row, under
documented column names (any case; spaces, `-` and `_` alike), or the file's own names with
`--map "Account=name,Owner=csm"`.

A blank cell says nothing: a new record takes the default, a stored one keeps its value.
Rows are matched by the `key` column when there is one. Without it, customers and projects
are matched by name within their company, and bugs, responses and feedback by what they say
(so the same file imported twice still adds nothing twice).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from opstui.data.importing.reading import Reading
from opstui.data.importing.records import Item, Kind, Problem, Record
from opstui.data.importing.source import Header, Row, SourceError, fold
from opstui.data.importing.values import (
    CellError,
    iso_date,
    iso_datetime,
    name_key,
    number,
    unguarded,
    whole,
    yes_no,
)
from opstui.domain.enums import (
    BugStatus,
    ChurnRisk,
    FeedbackKind,
    Phase,
    Priority,
    ProjectStatus,
    RiskLevel,
)
from opstui.domain.wording import quoted

E = TypeVar("E", bound=StrEnum)


def _choice(kind: type[E], synonyms: dict[str, E] | None = None) -> Callable[[str], E]:
    """A reader of one of an enumeration's values, in any case (or a synonym)."""
    by_word = {member.value.casefold(): member for member in kind}
    by_word.update(synonyms or {})

    def read(text: str) -> E:
        found = by_word.get(" ".join(text.replace("_", " ").split()).casefold())
        if found is None:
            words = ", ".join(member.value for member in kind)
            raise CellError(f"{quoted(text)} is not one of {words}")
        return found

    return read


def _priority(text: str) -> Priority | None:
    word = text.strip().upper()
    if word.casefold() in ("untriaged", "none", "-"):
        return None
    word = word if word.startswith("P") else f"P{word}"
    try:
        return Priority(word)
    except ValueError:
        raise CellError(f"{quoted(text)} is not P0, P1, P2, P3 or untriaged") from None


def _names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in re.split(r"[;|]", text) if name.strip())


def _text(text: str) -> str:
    return text


@dataclass(frozen=True, slots=True)
class Column:
    """One documented column: the field (or name to look up) it fills, and its reader."""

    name: str
    target: str
    read: Callable[[str], Any] = _text
    ref: bool = False
    aliases: tuple[str, ...] = ()
    required: bool = False


_KEY = Column("key", "key", aliases=("id", "response_id", "external_id"))
SPECS: dict[Kind, tuple[Column, ...]] = {
    Kind.BUGS: (
        _KEY,
        Column("title", "title", aliases=("summary",), required=True),
        Column("description", "description"),
        Column("company", "company", ref=True),
        Column("product", "product", ref=True),
        Column("priority", "priority", _priority),
        Column(
            "status",
            "status",
            _choice(
                BugStatus,
                {
                    "done": BugStatus.RESOLVED,
                    "fixed": BugStatus.RESOLVED,
                    "new": BugStatus.OPEN,
                    "todo": BugStatus.OPEN,
                    "in-progress": BugStatus.IN_PROGRESS,
                },
            ),
        ),
        Column(
            "opened",
            "opened_at",
            iso_datetime,
            aliases=("opened_at", "created", "created_at"),
            required=True,
        ),
        Column("resolved", "resolved_at", iso_datetime, aliases=("resolved_at", "closed")),
        Column("assignee", "assignee", ref=True),
        Column("security", "security_flag", yes_no, aliases=("security_flag", "compliance")),
        Column("customers", "customers", _names, ref=True, aliases=("customer",)),
        Column("project", "project", ref=True),
    ),
    Kind.CUSTOMERS: (
        _KEY,
        Column("name", "name", aliases=("customer", "account"), required=True),
        Column("company", "company", ref=True),
        Column("arr", "arr", number),
        Column("csm", "csm", ref=True),
        Column("renewal", "renewal_date", iso_date, aliases=("renewal_date",)),
        Column("seats", "seats", whole),
        Column("active_users", "active_users", whole),
        Column(
            "critical_features",
            "critical_features_used",
            whole,
            aliases=("critical_features_used",),
        ),
        Column("tickets_this_week", "tickets_this_week", whole, aliases=("tickets",)),
        Column("tickets_last_week", "tickets_last_week", whole),
        Column("churn_risk", "churn_risk", _choice(ChurnRisk)),
        Column("escalated", "escalated", yes_no),
    ),
    Kind.NPS: (
        _KEY,
        Column("customer", "customer", ref=True, required=True),
        Column("company", "company", ref=True),
        Column("score", "score", whole, aliases=("nps",), required=True),
        Column("date", "responded_on", iso_date, aliases=("responded_on",), required=True),
        Column("comment", "comment"),
    ),
    Kind.FEEDBACK: (
        _KEY,
        Column("customer", "customer", ref=True, required=True),
        Column("company", "company", ref=True),
        Column("date", "logged_on", iso_date, aliases=("logged_on",), required=True),
        Column(
            "kind",
            "kind",
            _choice(
                FeedbackKind,
                {
                    "feature": FeedbackKind.FEATURE_REQUEST,
                    "request": FeedbackKind.FEATURE_REQUEST,
                    "pain": FeedbackKind.PAIN_POINT,
                },
            ),
            aliases=("type",),
            required=True,
        ),
        Column("text", "text", aliases=("feedback",), required=True),
    ),
    Kind.PROJECTS: (
        _KEY,
        Column("name", "name", aliases=("project",), required=True),
        Column("company", "company", ref=True),
        Column("product", "product", ref=True),
        Column("phase", "phase", _choice(Phase)),
        Column("progress", "progress", number),
        Column("status", "status", _choice(ProjectStatus)),
        Column("next_milestone", "next_milestone", aliases=("milestone",)),
        Column("milestone_date", "milestone_date", iso_date),
        Column("risk", "risk", _choice(RiskLevel)),
        Column(
            "completion_date",
            "completion_date",
            iso_date,
            aliases=("target", "target_completion"),
        ),
        Column("baseline_completion", "baseline_completion", iso_date, aliases=("baseline",)),
        Column("pm", "pm", ref=True, aliases=("product_manager",)),
        Column("lead", "lead", ref=True, aliases=("engineering_lead",)),
    ),
}
"""The documented columns of each kind (README, "Importing")."""

_PLURAL = {
    Kind.BUGS: "bugs",
    Kind.CUSTOMERS: "customers",
    Kind.NPS: "NPS responses",
    Kind.FEEDBACK: "feedback entries",
    Kind.PROJECTS: "projects",
}
KEPT_PREFIXES = ("jira:", "linear:", "github:", "csv:")
"""Source keys that name their source already (as `opstui export` writes them)."""
_MATCHED_BY_NAME = (Kind.CUSTOMERS, Kind.PROJECTS)
_SAYS_WHAT: dict[Kind, tuple[str, ...]] = {
    Kind.BUGS: ("title", "opened_at", "company"),
    Kind.NPS: ("customer", "company", "responded_on", "score", "comment"),
    Kind.FEEDBACK: ("customer", "company", "logged_on", "kind", "text"),
}
"""What identifies a row without a key: the same values twice are the same record."""


def normal(name: str) -> str:
    """A column name as matched: `Active users`, `active-users` → `active_users`."""
    return re.sub(r"[\s_-]+", "_", fold(name)).strip("_")


def parse_mapping(text: str) -> dict[str, str]:
    """`--map "Account Name=name,Owner=csm"` → {file column: documented column}."""
    mapping: dict[str, str] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        column, equals, target = part.partition("=")
        if not equals or not column.strip() or not target.strip():
            raise ValueError(f"{part.strip()!r} is not COLUMN=FIELD")
        mapping[normal(column)] = normal(target)
    return mapping


def _columns(kind: Kind) -> dict[str, Column]:
    """Every name a column of `kind` answers to (its documented name and its aliases)."""
    found: dict[str, Column] = {}
    for column in SPECS[kind]:
        for name in (column.name, *column.aliases):
            found[normal(name)] = column
    return found


def guess_kind(header: Header, mapping: dict[str, str]) -> Kind | None:
    """What a generic CSV holds, from its columns; None when they do not tell."""
    names = {mapping.get(normal(name), normal(name)) for name in header.names if name}
    if "score" in names or "nps" in names:
        return Kind.NPS
    if "text" in names or "feedback" in names:
        return Kind.FEEDBACK
    if names & {"phase", "progress", "pm", "lead", "next_milestone", "completion_date"}:
        return Kind.PROJECTS
    if "title" in names or "summary" in names:
        return Kind.BUGS
    if names & {"name", "customer", "account"} and names & {
        "arr",
        "csm",
        "seats",
        "renewal",
        "renewal_date",
        "churn_risk",
        "company",
        "active_users",
    }:
        return Kind.CUSTOMERS
    return None


def read(header: Header, rows: Iterable[Row], kind: Kind, mapping: dict[str, str]) -> Reading:
    """The rows of a generic CSV of `kind`; a missing required column is refused."""
    known = _columns(kind)
    for target in mapping.values():
        if target not in known:
            documented = ", ".join(column.name for column in SPECS[kind])
            raise SourceError(
                f"--map names {target!r}, which is not a column of {kind.value} "
                f"(those are: {documented})"
            )
    placed: list[tuple[int, Column]] = []
    seen: set[str] = set()
    # A column under its documented name comes before one under an alias (`key` before
    # `id`: an opstui export has both, and its ids belong to the workspace it came from).
    for exact in (True, False):
        for index, name in enumerate(header.names):
            wanted = mapping.get(normal(name), normal(name))
            column = known.get(wanted)
            if column is None or column.name in seen or (wanted == column.name) != exact:
                continue
            seen.add(column.name)
            placed.append((index, column))
    placed.sort(key=lambda found: found[0])
    missing = [c.name for c in SPECS[kind] if c.required and c.name not in seen]
    if missing:
        raise SourceError(
            f"a CSV of {_PLURAL[kind]} needs the column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)} (documented in the README; --map COLUMN=FIELD names "
            f"another column)"
        )
    columns = {column.target: header.names[index] for index, column in placed}
    return Reading("csv", f"CSV of {_PLURAL[kind]}", kind, _items(rows, kind, placed), columns)


def _items(rows: Iterable[Row], kind: Kind, placed: list[tuple[int, Column]]) -> Iterator[Item]:
    occurrences: Counter[str] = Counter()
    for row in rows:
        values: dict[str, Any] = {}
        refs: dict[str, Any] = {}
        key = ""
        problem: Problem | None = None
        cells = row.cells
        for index, column in placed:
            text = unguarded(cells[index].strip()) if index < len(cells) else ""
            if not text:
                if column.required:
                    problem = Problem(row.line, row.header.names[index], "is empty")
                    break
                continue
            if column.name == "key":
                key = text
                continue
            try:
                value = column.read(text)
            except CellError as error:
                problem = Problem(row.line, row.header.names[index], str(error))
                break
            if value is None:
                continue
            (refs if column.ref else values)[column.target] = value
        if problem is not None:
            yield problem
            continue
        label = str(values.get("title") or values.get("name") or refs.get("customer") or "")
        yield Record(
            row.line, _source_key(kind, key, values, refs, occurrences), label, values, refs
        )


def _source_key(
    kind: Kind,
    key: str,
    values: dict[str, Any],
    refs: dict[str, Any],
    occurrences: Counter[str],
) -> str | None:
    if key:
        # A key another import gave (an opstui export's `key` column) stays that key.
        return key if key.startswith(KEPT_PREFIXES) else f"csv:{key}"
    if kind in _MATCHED_BY_NAME:
        return None
    said = [values.get(name, refs.get(name, "")) for name in _SAYS_WHAT[kind]]
    text = "\x1f".join(name_key(value) if isinstance(value, str) else str(value) for value in said)
    digest = hashlib.sha1(f"{kind.value}\x1f{text}".encode()).hexdigest()[:16]
    occurrences[digest] += 1
    count = occurrences[digest]
    # The same values twice in one file are two records (two respondents, one day).
    return f"csv:~{digest}" if count == 1 else f"csv:~{digest}#{count}"
