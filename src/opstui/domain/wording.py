"""What is wrong with a value, said in the user's words rather than pydantic's.

A form shows these under its fields ("30 February 2026 is not a date", "Progress is a
percentage from 0 to 100"); the same words describe a stored row that breaks the model.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any, get_args

from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel
from pydantic_core import ErrorDetails

from opstui.domain.weeks import MONTH_NAMES

_LABELS = {
    "pm": "PM",
    "arr": "ARR",
    "cpto_input": "CPTO input",
    "nps": "NPS",
    "p95_ms": "p95 response time (ms)",
    "uptime_pct": "Uptime",
    "test_coverage_pct": "Test coverage",
    "csm": "CSM",
}
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DATE = {"date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"}
_DATETIME = {"datetime_type", "datetime_parsing", "datetime_from_date_parsing"}
_WHOLE = {"int_type", "int_parsing", "int_parsing_size", "int_from_float"}
_NUMBER = {"float_type", "float_parsing", "decimal_parsing"}
_NO_READER_CEILING = 10**12
_BOUND_TYPES = {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}


def field_label(name: str) -> str:
    """A field's name as a reader says it: `milestone_date` → "Milestone date"."""
    base = name.removesuffix("_id")
    label = _LABELS.get(name) or _LABELS.get(base) or base.replace("_", " ")
    return label[:1].upper() + label[1:]


def quoted(value: object) -> str:
    """A value as a message quotes it: text in quotes, one line, cut when long."""
    if isinstance(value, str):
        line = " ".join(value.split())
        return f"'{line[:60]}…'" if len(line) > 60 else f"'{line}'"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _not_a_date(value: object) -> str:
    match = _ISO_DATE.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is not None:
        year, month, day = (int(part) for part in match.groups())
        if 1 <= month <= 12:
            try:
                date(year, month, day)
            except ValueError:
                return f"{day} {MONTH_NAMES[month - 1]} {year} is not a date"
        else:
            return f"{quoted(value)} is not a date: there is no month {month}"
    return f"{quoted(value)} is not a date (YYYY-MM-DD)"


def _number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) and abs(value) >= 10_000 else f"{value:g}"


def _bounds(model: type[BaseModel] | None, name: str) -> tuple[float | None, float | None]:
    """The field's lower and upper bounds, from its declared constraints."""
    if model is None or name not in model.model_fields:
        return None, None
    low = high = None
    field = model.model_fields[name]
    constraints = list(field.metadata)
    # `Money | None` keeps Money's constraints inside the union's Annotated member.
    for member in get_args(field.annotation):
        for extra in getattr(member, "__metadata__", ()):
            constraints.extend(getattr(extra, "metadata", [extra]))
    for item in constraints:
        if isinstance(item, Ge | Gt):
            low = float(item.ge if isinstance(item, Ge) else item.gt)  # type: ignore[arg-type]
        elif isinstance(item, Le | Lt):
            high = float(item.le if isinstance(item, Le) else item.lt)  # type: ignore[arg-type]
    return low, high


def _range(label: str, low: float | None, high: float | None, whole: bool) -> str:
    kind = "a whole number" if whole else "a number"
    if low == 0 and high == 100 and not whole:
        return f"{label} is a percentage from 0 to 100"
    if low is not None and high is not None:
        return f"{label} is {kind} from {_number(low)} to {_number(high)}"
    if low is not None:
        return f"{label} is {kind} of at least {_number(low)}"
    if high is not None:
        return f"{label} is {kind} of at most {_number(high)}"
    return f"{label} is out of range"


def problem_in_words(item: ErrorDetails | Mapping[str, Any], model: type[BaseModel] | None) -> str:
    """One validation problem of a field of `model`, as a sentence about that field."""
    kind = str(item["type"])
    name = str(item["loc"][0]) if item["loc"] else ""
    label = field_label(name) if name else "This"
    value = item.get("input")
    if value is None and kind != "enum":
        return f"{label} is required"
    if kind in _DATE:
        return _not_a_date(value)
    if kind in _DATETIME:
        return f"{quoted(value)} is not a date and time (YYYY-MM-DD HH:MM)"
    if kind in _BOUND_TYPES:
        low, high = _bounds(model, name)
        if high is not None and high >= _NO_READER_CEILING:
            high = None  # a bound against overflow, not one a reader needs to hear
        annotation = (
            model.model_fields[name].annotation if model and name in model.model_fields else None
        )
        members = (annotation, *get_args(annotation))
        whole = any(getattr(member, "__origin__", member) is int for member in members)
        return _range(label, low, high, whole)
    if kind in _WHOLE:
        return f"{quoted(value)} is not a whole number"
    if kind in _NUMBER:
        return f"{quoted(value)} is not a number"
    if kind == "finite_number":
        return f"{label} must be a finite number"
    if kind == "enum":
        expected = str((item.get("ctx") or {}).get("expected", ""))
        return f"{quoted(value)} is not one of {expected}".rstrip()
    if kind == "missing":
        return f"{label} is required"
    if kind in ("bool_parsing", "bool_type"):
        return f"{quoted(value)} is not yes or no"
    if kind == "extra_forbidden":
        return f"{label} is not a field of this record"
    return str(item["msg"]).removeprefix("Value error, ")
