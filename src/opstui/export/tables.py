"""One kind of record as a CSV or JSON table, for spreadsheets and scripts.

Rows come in id order with the names of what they point at (company, assignee, CSM…), so the
same data gives the same bytes. The CSV's columns are those the generic import reads (a bugs
CSV exported from one workspace imports into another). A CSV cell that a spreadsheet would
run as a formula — text starting with `=`, `+`, `-`, `@`, a tab or a carriage return — gets a
leading `'`, which spreadsheets read as "this is text" (and the import takes off again).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any, Protocol

from opstui.domain.text import clean_text

WHAT = ("bugs", "projects", "customers", "actions", "decisions", "risks")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_YES_NO = {"security", "escalated", "scope_finalised"}
"""Columns stored as 0/1 that read as yes/no."""


class TableSource(Protocol):
    """Where the rows come from (the repository)."""

    def table_rows(self, what: str) -> Iterator[dict[str, Any]]: ...

    def table_columns(self, what: str) -> list[str]: ...


def guarded(text: str) -> str:
    """A CSV cell a spreadsheet shows as text, never runs as a formula."""
    return f"'{text}" if text.startswith(FORMULA_START) else text


def _value(name: str, value: Any) -> Any:
    """A stored value as exported: yes/no as booleans, whole amounts as integers."""
    if name in _YES_NO and value is not None:
        return bool(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return clean_text(value)
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return guarded(value)
    return str(value)


def render_table(repo: TableSource, what: str, fmt: str) -> bytes:
    """Every `what` (bugs, projects, customers, actions, decisions, risks) as `fmt` (csv or
    json), UTF-8."""
    if what not in WHAT:
        raise ValueError(f"cannot export {what!r}; choose one of {', '.join(WHAT)}")
    rows = (
        {name: _value(name, value) for name, value in row.items()} for row in repo.table_rows(what)
    )
    if fmt == "json":
        return (json.dumps(list(rows), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if fmt != "csv":
        raise ValueError(f"cannot export as {fmt!r}; choose csv or json")
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    header: list[str] | None = None
    for row in rows:
        if header is None:
            header = list(row)
            writer.writerow(header)
        writer.writerow([_cell(row[name]) for name in header])
    if header is None:
        writer.writerow(repo.table_columns(what))  # no rows: still the header
    return buffer.getvalue().encode("utf-8")
