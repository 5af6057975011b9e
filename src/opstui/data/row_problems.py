"""Rows that break the model: read anyway, with what is wrong said in words.

A row written by another tool or an older version may hold text in a date column, a value no
enum knows, a NULL in a required column, a number out of range or text in a number column.
Validating it fails; `read_bad_row` keeps every valid field, gives each bad one its default
(or a stand-in when the field is required) and names the problem, so that every screen and
the export keep working and `opstui check` can list the row. Valid rows never come here:
the repository pays for this only when validation has already failed.

Problems are worded as a form words a bad value (`domain.wording`). Figures that SQL adds up
(the bug matrix's open bugs by priority, NPS scores, ticket counts) leave out a value no
enum or range allows: it counts nowhere, and `opstui check` names its row.
"""

from __future__ import annotations

import threading
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from types import MappingProxyType
from typing import Any, TypeVar

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from opstui.domain.models import Model
from opstui.domain.text import clean_line
from opstui.domain.wording import field_label, problem_in_words, quoted

ModelT = TypeVar("ModelT", bound=Model)

_STAND_INS: dict[object, object] = {
    str: "(missing)",
    int: 0,
    float: 0.0,
    bool: False,
    date: date(1970, 1, 1),
    datetime: datetime(1970, 1, 1),
}
"""What a required field holds when its stored value is unusable: the row is shown marked,
and a form shows the problem under the field, so the stand-in is never taken for data."""
_ISO_WEEK_STAND_IN = "1970-W01"
_RANGES = ("a percentage ", "a number ", "a whole number ")


def _spoken(label: str) -> str:
    """A field label inside a sentence: "Milestone date" → "milestone date", "ARR" stays."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One field of one stored row that does not fit the model."""

    table: str
    row: str
    """How the row is named: "#3" for an entity with an id, else its key values."""
    field: str
    value: object
    """The value as stored (None when it is missing)."""
    reason: str
    """What is wrong, in the words a form uses ("'x' is not a date (YYYY-MM-DD)")."""

    def __str__(self) -> str:
        label = field_label(self.field)
        where = f"{self.table} {self.row}"
        if self.value is not None and self.reason.startswith(quoted(self.value)):
            text = f"{where}: {_spoken(label)} {self.reason}"
        elif self.reason.startswith(f"{label} "):
            # "Progress is a percentage from 0 to 100": the stored value goes after it.
            stored = "" if self.value is None else f", not {quoted(self.value)}"
            text = f"{where}: {_spoken(label)}{self.reason[len(label) :]}{stored}"
        elif self.value is not None:
            text = f"{where}: {_spoken(label)} {quoted(self.value)}: {self.reason}"
        else:
            text = f"{where}: {_spoken(label)}: {self.reason}"
        return clean_line(text)


def short_reason(field: str, reason: str) -> str:
    """The reason as a table cell shows it: "not a date", "missing", "not a priority"."""
    if reason.endswith(" is required"):
        return "missing"
    _, found, rest = reason.partition(" is ")
    if not found:
        return reason
    rest = rest.split(" (", 1)[0].split(":", 1)[0]
    if rest.startswith("not one of"):
        return f"not a {_spoken(field_label(field))}"
    if rest.startswith(_RANGES):
        return "out of range"
    return rest


def _enum_of(model: type[Model], name: str) -> type[Enum] | None:
    annotation = model.model_fields[name].annotation
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, Enum):
            return candidate
    return None


def _field_of(model: type[Model], item: ErrorDetails) -> tuple[str | None, str | None]:
    """The field an error belongs to and its message, when it is not the error's own;
    (None, None) for a column the model does not know."""
    if item["loc"]:
        name = str(item["loc"][0])
        return (name, None) if name in model.model_fields else (None, None)
    # Cross-field checks name their field as "field: message".
    field, _, rest = str(item["msg"]).removeprefix("Value error, ").partition(": ")
    return (field, rest) if rest and field in model.model_fields else ("", None)


def _stand_in(model: type[Model], name: str) -> object:
    field = model.model_fields[name]
    if not field.is_required():
        return field.get_default(call_default_factory=True)
    enum = _enum_of(model, name)
    if enum is not None:
        return next(iter(enum))
    if name == "week":
        return _ISO_WEEK_STAND_IN
    return _STAND_INS.get(field.annotation)


def read_bad_row(
    model: type[ModelT],
    row: Mapping[str, Any],
    error: ValidationError,
    table: str,
    key: str,
) -> tuple[ModelT, list[RowProblem]]:
    """The entity of a stored row that failed validation with `error`: its valid fields as
    stored, the bad ones replaced, and one problem per bad field. The entity's
    `row_problems` says what was wrong with each. Columns the model does not know (added
    by another tool) are left out without a word: they break nothing."""
    values = dict(row)
    reasons: dict[str, str] = {}
    problems: list[RowProblem] = []
    instance: ModelT | None = None
    # Each round replaces what failed; a replacement can uncover a cross-field check.
    for _ in range(4):
        for item in error.errors():
            name, message = _field_of(model, item)
            if name is None:
                values.pop(str(item["loc"][0]), None)
                continue
            if not name:
                break
            if name not in reasons:
                reasons[name] = message or problem_in_words(item, model)
                problems.append(RowProblem(table, key, name, row.get(name), reasons[name]))
            values[name] = _stand_in(model, name)
        try:
            instance = model.model_validate(values)
            break
        except ValidationError as again:
            error = again
    if instance is None:
        # Nothing more can be repaired: keep the values as they are, unvalidated.
        known = {name: value for name, value in values.items() if name in model.model_fields}
        instance = typing.cast("ModelT", model.model_construct(**known))
        if not reasons:
            reasons["id"] = str(error.errors()[0]["msg"])
            problems.append(RowProblem(table, key, "id", row.get("id"), reasons["id"]))
    # `row_problems` is a class-level default; a bad row's entity gets its own.
    object.__setattr__(instance, "row_problems", MappingProxyType(reasons))
    return instance, problems


def row_name(row: Mapping[str, Any], keys: Sequence[str]) -> str:
    """How a message names a row: "#3" by its id, else by its key values."""
    if keys == ("id",):
        return f"#{row.get('id')}"
    return ", ".join(clean_line(str(row.get(key))) for key in keys)


class ProblemLog:
    """The row problems met while reading one workspace, each to be reported once.

    Reads run on the UI thread and in workers alike; `listener` is called (in the reading
    thread) whenever a problem not met before is added.
    """

    def __init__(self) -> None:
        self._met: dict[tuple[str, str, str], RowProblem] = {}
        self._unreported: list[RowProblem] = []
        self._lock = threading.Lock()
        self.listener: Callable[[], object] | None = None

    def add(self, problems: Iterable[RowProblem]) -> None:
        added = False
        with self._lock:
            for problem in problems:
                key = (problem.table, problem.row, problem.field)
                if key not in self._met:
                    self._met[key] = problem
                    self._unreported.append(problem)
                    added = True
        if added and self.listener is not None:
            self.listener()

    def take_unreported(self) -> list[RowProblem]:
        """The problems not reported yet; from now on they count as reported."""
        with self._lock:
            taken, self._unreported = self._unreported, []
        return taken

    def forget(self, table: str, row: str) -> None:
        """A row was written whole: its problems are gone (and, met again, are new)."""
        with self._lock:
            for key in [key for key in self._met if key[:2] == (table, row)]:
                del self._met[key]
            self._unreported = [p for p in self._unreported if (p.table, p.row) != (table, row)]
