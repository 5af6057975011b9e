"""How a stored value that cannot be read shows in a table: "⚠ not a date" in its cell.

A row another tool wrote may break the model (see `opstui.data.row_problems`); the entity
read from it says which fields, and each row builder passes its row through `mark_problems`.
A valid row comes back as it was, at the cost of one check of an empty mapping.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from textual.content import Content

from opstui.data.row_problems import short_reason
from opstui.widgets.virtual_table import Column, Row

PROBLEM_STYLE = "bold $warning"
PROBLEM_MARK = "⚠"

_SUFFIXES = ("_id", "_date", "_at", "_on")


def problem_cell(field: str, reason: str) -> Content:
    """The cell of a field that could not be read: "⚠ not a date"."""
    return Content.styled(f"{PROBLEM_MARK} {short_reason(field, reason)}", PROBLEM_STYLE)


def _column_of(name: str, keys: Sequence[str]) -> int | None:
    """The column showing field `name`: the same key, or a word of it (`milestone_date`
    is shown by "milestone", `pm_id` by "pm", `churn_risk` by "churn")."""
    stem = name
    for suffix in _SUFFIXES:
        stem = stem.removesuffix(suffix)
    if stem in keys:
        return keys.index(stem)
    if name in keys:
        return keys.index(name)
    for word in stem.split("_"):
        if word in keys:
            return keys.index(word)
    return None


def mark_problems(row: Row, problems: Mapping[str, str], columns: Sequence[Column]) -> Row:
    """`row` with each unreadable field's cell showing what is wrong; a field without a
    column of its own puts the mark before the first cell."""
    if not problems:
        return row
    keys = [column.key for column in columns]
    cells = list(row.cells)
    elsewhere = False
    for name, reason in problems.items():
        index = _column_of(name, keys)
        if index is None or index >= len(cells):
            elsewhere = True
        else:
            cells[index] = problem_cell(name, reason)
    if elsewhere and cells and not cells[0].plain.startswith(PROBLEM_MARK):
        cells[0] = Content.assemble((f"{PROBLEM_MARK} ", PROBLEM_STYLE), cells[0])
    return replace(row, cells=tuple(cells))
